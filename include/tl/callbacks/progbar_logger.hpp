#pragma once
// keras.callbacks.ProgbarLogger: prints `Epoch 1/5` and the progress bar; fit adds it when verbose != 0.
#include <tl/callbacks/callback.hpp>
#include <tl/core/config.hpp>
#include <tl/utils/progbar.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>

namespace tl::callbacks {

class ProgbarLogger : public Callback {
 public:
  /// `out` and `dynamic_display` exist for tests; by default stdout, rewritten in place on a terminal.
  explicit ProgbarLogger(utils::ProgbarOptions options = {}) : options_(std::move(options)) {}

  TL_INLINE void on_train_begin(const Logs& logs) override;
  TL_INLINE void on_train_end(const Logs& logs) override;
  TL_INLINE void on_epoch_begin(int epoch, const Logs& logs) override;
  TL_INLINE void on_train_batch_end(int64_t batch, const Logs& logs) override;
  TL_INLINE void on_epoch_end(int epoch, const Logs& logs) override;

  TL_INLINE void on_test_begin(const Logs& logs) override;
  TL_INLINE void on_test_batch_end(int64_t batch, const Logs& logs) override;
  TL_INLINE void on_test_end(const Logs& logs) override;
  TL_INLINE void on_predict_begin(const Logs& logs) override;
  TL_INLINE void on_predict_batch_end(int64_t batch, const Logs& logs) override;
  TL_INLINE void on_predict_end(const Logs& logs) override;

 private:
  std::ostream& out() const;
  void start(int64_t steps);
  void step(int64_t batch, const Logs& logs);
  void finish(const Logs& logs);

  utils::ProgbarOptions options_;
  std::unique_ptr<utils::Progbar> bar_;
  int64_t seen_ = 0;
  bool in_fit_ = false;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/progbar_logger-inl.hpp>
#endif
