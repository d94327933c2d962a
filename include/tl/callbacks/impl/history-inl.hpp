#pragma once
#include <tl/callbacks/history.hpp>

namespace tl::callbacks {

TL_INLINE void History::on_train_begin(const Logs&) { epoch.clear(); }

TL_INLINE void History::on_epoch_end(int e, const Logs& logs) {
  epoch.push_back(e);
  for (const auto& [name, value] : logs) history[name].push_back(value);
}

}  // namespace tl::callbacks
