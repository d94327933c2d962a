#pragma once
// keras.losses.LossFunctionWrapper: a Loss from a function of (y_true, y_pred).
#include <tl/losses/loss.hpp>

#include <functional>
#include <string>
#include <utility>

namespace tl::losses {

/// A Loss computing `fn(y_true, y_pred)`, y_true already cast to y_pred's dtype and shape (else ValueError).
///   LossFunctionWrapper huber("my_loss", [](auto& t, auto& p) { return (p - t).abs().mean(-1); });
class LossFunctionWrapper : public Loss {
 public:
  using Fn = std::function<torch::Tensor(const torch::Tensor& y_true, const torch::Tensor& y_pred)>;
  LossFunctionWrapper(std::string name, Fn fn) : name_(std::move(name)), fn_(std::move(fn)) {}
  TL_INLINE std::string name() const override;
  TL_INLINE torch::Tensor per_sample(const torch::Tensor& y_true, const torch::Tensor& y_pred) const override;

 private:
  std::string name_;
  Fn fn_;
};

}  // namespace tl::losses

#ifdef TL_HEADER_ONLY
#include <tl/losses/impl/loss_function_wrapper-inl.hpp>
#endif
