#pragma once
// keras.optimizers.Adam with TF's update rule (epsilon added to sqrt(v), not to the bias-corrected sqrt).
#include <tl/optimizers/optimizer.hpp>

namespace tl::optimizers {

/// Keras's Adam arguments and defaults.
struct AdamOptions {
  double learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
};

/// Adam as Keras computes it: lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t), var -= lr_t * m / (sqrt(v) + eps).
///   model.compile({.optimizer = tl::optimizers::Adam({.learning_rate = 1e-5}), .loss = "binary_crossentropy"});
class Adam : public Optimizer {
 public:
  explicit Adam(AdamOptions options = {}) : Optimizer(options.learning_rate), options_(options) {}
  TL_INLINE std::string name() const override;
  const AdamOptions& options() const { return options_; }

 protected:
  TL_INLINE std::vector<std::string> slot_names() const override;
  TL_INLINE void update(Group& g) override;

 private:
  AdamOptions options_;
};

}  // namespace tl::optimizers

#ifdef TL_HEADER_ONLY
#include <tl/optimizers/impl/adam-inl.hpp>
#endif
