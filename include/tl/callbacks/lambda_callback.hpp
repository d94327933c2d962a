#pragma once
// keras.callbacks.LambdaCallback: a callback from functions, for one-off hooks.
#include <tl/callbacks/callback.hpp>
#include <tl/core/config.hpp>

#include <functional>

namespace tl::callbacks {

/// The hooks of LambdaCallback; each may be left empty.
struct LambdaCallbackOptions {
  std::function<void(int epoch, const Logs&)> on_epoch_begin = {};
  std::function<void(int epoch, const Logs&)> on_epoch_end = {};
  std::function<void(int64_t batch, const Logs&)> on_batch_begin = {};
  std::function<void(int64_t batch, const Logs&)> on_batch_end = {};
  std::function<void(const Logs&)> on_train_begin = {};
  std::function<void(const Logs&)> on_train_end = {};
};

/// `LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch))`:
///   tl::callbacks::LambdaCallback({.on_epoch_end = [](int epoch, const tl::Logs&) { std::cout << epoch; }})
class LambdaCallback : public Callback {
 public:
  explicit LambdaCallback(LambdaCallbackOptions hooks) : hooks_(std::move(hooks)) {}

  TL_INLINE void on_epoch_begin(int epoch, const Logs& logs) override;
  TL_INLINE void on_epoch_end(int epoch, const Logs& logs) override;
  TL_INLINE void on_train_batch_begin(int64_t batch, const Logs& logs) override;
  TL_INLINE void on_train_batch_end(int64_t batch, const Logs& logs) override;
  TL_INLINE void on_train_begin(const Logs& logs) override;
  TL_INLINE void on_train_end(const Logs& logs) override;

 private:
  template <class F, class... Args>
  static void call(const F& hook, const Args&... args) {
    if (hook) hook(args...);
  }
  LambdaCallbackOptions hooks_;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/lambda_callback-inl.hpp>
#endif
