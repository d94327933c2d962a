#pragma once
// keras.optimizers.RMSprop, including TF's kernels for momentum (epsilon inside the square root there).
#include <tl/optimizers/optimizer.hpp>

namespace tl::optimizers {

/// Keras's RMSprop arguments and defaults.
struct RMSpropOptions {
  double learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
};

/// RMSprop as Keras computes it: ms = rho * ms + (1 - rho) * g^2; var -= lr * g / (sqrt(ms) + eps).
/// Centered subtracts mg^2 (mg = rho * mg + (1 - rho) * g) from ms. With momentum > 0 TF's ApplyRMSProp
/// kernels run instead: mom = momentum * mom + lr * g / sqrt(ms + eps); var -= mom.
///   auto rmsprop = tl::optimizers::RMSprop({.learning_rate = 1e-4, .centered = true});
class RMSprop : public Optimizer {
 public:
  explicit RMSprop(RMSpropOptions options = {});
  TL_INLINE std::string name() const override;
  const RMSpropOptions& options() const { return options_; }

 protected:
  TL_INLINE std::vector<std::string> slot_names() const override;
  TL_INLINE void update(Group& g) override;

 private:
  RMSpropOptions options_;
};

}  // namespace tl::optimizers

#ifdef TL_HEADER_ONLY
#include <tl/optimizers/impl/rmsprop-inl.hpp>
#endif
