#pragma once
// keras.callbacks.History: what `fit` returns.
#include <tl/callbacks/callback.hpp>

#include <map>
#include <string>
#include <vector>

namespace tl::callbacks {

/// Records every epoch's logs: `history.history["val_accuracy"]` as in Keras.
class History : public Callback {
 public:
  std::vector<int> epoch;
  std::map<std::string, std::vector<double>> history;

  TL_INLINE void on_train_begin(const Logs& logs) override;
  TL_INLINE void on_epoch_end(int e, const Logs& logs) override;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/history-inl.hpp>
#endif
