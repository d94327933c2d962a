#pragma once
// keras.layers.Dense: activation(x @ kernel + bias), kernel (in, out) as Keras stores it.
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of Dense, with Keras's defaults.
struct DenseOptions {
  std::string activation = "";  ///< "" or "linear": none
  bool use_bias = true;
  std::string kernel_initializer = "glorot_uniform";
  std::string bias_initializer = "zeros";
  std::string name = "";
};

class DenseImpl : public SingleInputLayerImpl {
 public:
  DenseImpl(int64_t units, DenseOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE void build_for(const Shape& in) override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  int64_t units() const { return units_; }
  const DenseOptions& options() const { return options_; }

 private:
  int64_t units_;
  DenseOptions options_;
  torch::Tensor kernel_, bias_;
};

/// `keras.layers.Dense(units, activation=...)`: `auto out = tl::layers::Dense(2, {.activation = "softmax"})(x);`
class Dense : public LayerHandle<DenseImpl> {
 public:
  explicit Dense(int64_t units, DenseOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/dense-inl.hpp>
#endif
