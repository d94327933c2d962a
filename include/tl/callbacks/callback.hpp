#pragma once
// keras.callbacks.Callback: hooks `fit`, `evaluate` and `predict` call at every stage.
#include <tl/core/config.hpp>
#include <tl/core/logs.hpp>

#include <concepts>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace tl::models {
class ModelImpl;
}

namespace tl::callbacks {

/// What `fit` tells callbacks before training (Keras's `callback.params`).
struct Params {
  int epochs = 1;
  int64_t steps = 0;
  int verbose = 1;
};

/// Base class of callbacks. Override the hooks you need; `model()` is the model being trained. A callback changes
/// the model through its public API only: `stop_training`, `optimizer()`, `resume_at_epoch()`, `interrupted()`,
/// weights and saving (see ModelImpl in <tl/models/functional.hpp>).
class Callback {
 public:
  TL_INLINE virtual ~Callback();
  void set_model(models::ModelImpl* model) { model_ = model; }
  void set_params(const Params& params) { params_ = params; }
  models::ModelImpl& model() const { return *model_; }
  const Params& params() const { return params_; }

  TL_INLINE virtual void on_train_begin(const Logs& logs);
  TL_INLINE virtual void on_train_end(const Logs& logs);
  TL_INLINE virtual void on_epoch_begin(int epoch, const Logs& logs);
  TL_INLINE virtual void on_epoch_end(int epoch, const Logs& logs);
  TL_INLINE virtual void on_train_batch_begin(int64_t batch, const Logs& logs);
  TL_INLINE virtual void on_train_batch_end(int64_t batch, const Logs& logs);
  TL_INLINE virtual void on_test_begin(const Logs& logs);
  TL_INLINE virtual void on_test_end(const Logs& logs);
  TL_INLINE virtual void on_test_batch_begin(int64_t batch, const Logs& logs);
  TL_INLINE virtual void on_test_batch_end(int64_t batch, const Logs& logs);
  TL_INLINE virtual void on_predict_begin(const Logs& logs);
  TL_INLINE virtual void on_predict_end(const Logs& logs);
  TL_INLINE virtual void on_predict_batch_begin(int64_t batch, const Logs& logs);
  TL_INLINE virtual void on_predict_batch_end(int64_t batch, const Logs& logs);

 private:
  models::ModelImpl* model_ = nullptr;
  Params params_;
};

/// The `callbacks=[...]` argument: holds callbacks by shared pointer. A callback given by value is copied;
/// give a `std::shared_ptr` to read its state after `fit` (e.g. EarlyStopping's stopped_epoch).
class CallbackList {
 public:
  CallbackList() = default;
  template <class... C>
  CallbackList(C&&... callbacks) {  // NOLINT: implicit, so `.callbacks = {EarlyStopping(...), ...}` reads as Keras
    (add(std::forward<C>(callbacks)), ...);
  }
  template <class C>
    requires std::derived_from<C, Callback>
  void add(std::shared_ptr<C> callback) {
    items_.push_back(std::move(callback));
  }
  template <class C>
    requires std::derived_from<std::decay_t<C>, Callback>
  void add(C&& callback) {
    items_.push_back(std::make_shared<std::decay_t<C>>(std::forward<C>(callback)));
  }
  const std::vector<std::shared_ptr<Callback>>& items() const { return items_; }

  /// Calls `hook` on every callback, in order.
  template <class F>
  void each(F&& hook) const {
    for (const auto& c : items_) hook(*c);
  }

 private:
  std::vector<std::shared_ptr<Callback>> items_;
};

}  // namespace tl::callbacks

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/impl/callback-inl.hpp>
#endif
