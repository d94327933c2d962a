#pragma once
// keras.optimizers.SGD: plain, momentum and Nesterov gradient descent with Keras's velocity convention.
#include <tl/optimizers/optimizer.hpp>

namespace tl::optimizers {

/// Keras's SGD arguments and defaults.
struct SGDOptions {
  double learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
};

/// SGD as Keras computes it: v = momentum * v - lr * g; var += v (Nesterov: var += momentum * v - lr * g).
///   auto sgd = tl::optimizers::SGD({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
class SGD : public Optimizer {
 public:
  explicit SGD(SGDOptions options = {});
  TL_INLINE std::string name() const override;
  const SGDOptions& options() const { return options_; }

 protected:
  TL_INLINE std::vector<std::string> slot_names() const override;
  TL_INLINE void update(Group& g) override;

 private:
  SGDOptions options_;
};

}  // namespace tl::optimizers

#ifdef TL_HEADER_ONLY
#include <tl/optimizers/impl/sgd-inl.hpp>
#endif
