#pragma once
#include <tl/callbacks/progbar_logger.hpp>

#include <iostream>

namespace tl::callbacks {

TL_INLINE void ProgbarLogger::on_train_begin(const Logs&) { in_fit_ = true; }

TL_INLINE void ProgbarLogger::on_train_end(const Logs&) { in_fit_ = false; }

TL_INLINE void ProgbarLogger::on_epoch_begin(int epoch, const Logs&) {
  if (params().verbose && params().epochs > 1)
    out() << "Epoch " << epoch + 1 << "/" << params().epochs << "\n" << std::flush;
  start(params().steps);
}

TL_INLINE void ProgbarLogger::on_train_batch_end(int64_t batch, const Logs& logs) { step(batch, logs); }

TL_INLINE void ProgbarLogger::on_epoch_end(int, const Logs& logs) { finish(logs); }

TL_INLINE void ProgbarLogger::on_test_begin(const Logs&) {
  if (!in_fit_) start(params().steps);
}

TL_INLINE void ProgbarLogger::on_test_batch_end(int64_t batch, const Logs& logs) {
  if (!in_fit_) step(batch, logs);
}

TL_INLINE void ProgbarLogger::on_test_end(const Logs& logs) {
  if (!in_fit_) finish(logs);
}

TL_INLINE void ProgbarLogger::on_predict_begin(const Logs&) { start(params().steps); }

TL_INLINE void ProgbarLogger::on_predict_batch_end(int64_t batch, const Logs&) { step(batch, {}); }

TL_INLINE void ProgbarLogger::on_predict_end(const Logs&) { finish({}); }

TL_INLINE std::ostream& ProgbarLogger::out() const { return options_.out ? *options_.out : std::cout; }

TL_INLINE void ProgbarLogger::start(int64_t steps) {
  auto o = options_;
  o.verbose = params().verbose;
  bar_ = std::make_unique<utils::Progbar>(steps, o);
  seen_ = 0;
}

TL_INLINE void ProgbarLogger::step(int64_t batch, const Logs& logs) {
  seen_ = batch + 1;
  if (bar_ && params().verbose == 1) bar_->update(seen_, logs, 0);
}

TL_INLINE void ProgbarLogger::finish(const Logs& logs) {
  if (bar_) bar_->update(seen_, logs, 1);
  bar_.reset();
}

}  // namespace tl::callbacks
