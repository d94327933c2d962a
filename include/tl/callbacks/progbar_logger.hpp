#pragma once
// keras.callbacks.ProgbarLogger: prints `Epoch 1/5` and the progress bar; fit adds it when verbose != 0.
#include <tl/callbacks/callback.hpp>
#include <tl/utils/progbar.hpp>

#include <iostream>
#include <memory>

namespace tl::callbacks {

class ProgbarLogger : public Callback {
 public:
  /// `out` and `dynamic_display` exist for tests; by default stdout, rewritten in place on a terminal.
  explicit ProgbarLogger(utils::ProgbarOptions options = {}) : options_(std::move(options)) {}

  void on_train_begin(const Logs&) override { in_fit_ = true; }
  void on_train_end(const Logs&) override { in_fit_ = false; }
  void on_epoch_begin(int epoch, const Logs&) override {
    if (params().verbose && params().epochs > 1)
      out() << "Epoch " << epoch + 1 << "/" << params().epochs << "\n" << std::flush;
    start(params().steps);
  }
  void on_train_batch_end(int64_t batch, const Logs& logs) override { step(batch, logs); }
  void on_epoch_end(int, const Logs& logs) override { finish(logs); }

  void on_test_begin(const Logs&) override {
    if (!in_fit_) start(params().steps);
  }
  void on_test_batch_end(int64_t batch, const Logs& logs) override {
    if (!in_fit_) step(batch, logs);
  }
  void on_test_end(const Logs& logs) override {
    if (!in_fit_) finish(logs);
  }
  void on_predict_begin(const Logs&) override { start(params().steps); }
  void on_predict_batch_end(int64_t batch, const Logs&) override { step(batch, {}); }
  void on_predict_end(const Logs&) override { finish({}); }

 private:
  std::ostream& out() const { return options_.out ? *options_.out : std::cout; }
  void start(int64_t steps) {
    auto o = options_;
    o.verbose = params().verbose;
    bar_ = std::make_unique<utils::Progbar>(steps, o);
    seen_ = 0;
  }
  void step(int64_t batch, const Logs& logs) {
    seen_ = batch + 1;
    if (bar_ && params().verbose == 1) bar_->update(seen_, logs, 0);
  }
  void finish(const Logs& logs) {
    if (bar_) bar_->update(seen_, logs, 1);
    bar_.reset();
  }

  utils::ProgbarOptions options_;
  std::unique_ptr<utils::Progbar> bar_;
  int64_t seen_ = 0;
  bool in_fit_ = false;
};

}  // namespace tl::callbacks
