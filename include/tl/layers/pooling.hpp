#pragma once
// keras.layers.MaxPooling2D and AveragePooling2D, with TensorFlow's 'same' padding: the odd pixel after,
// padding never the maximum, and averages over the window's pixels inside the image only.
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of MaxPooling2D and AveragePooling2D, with Keras's defaults.
struct Pooling2DOptions {
  Size2 pool_size = 2;
  Size2 strides = None;  ///< None: pool_size
  std::string padding = "valid";  ///< "valid" or "same"
  std::string name = "";
};
using MaxPooling2DOptions = Pooling2DOptions;
using AveragePooling2DOptions = Pooling2DOptions;

/// What the two pooling layers share: options, shapes and TensorFlow's padding amounts.
class Pooling2DImpl : public SingleInputLayerImpl {
 public:
  Pooling2DImpl(std::string class_name, Pooling2DOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  const Pooling2DOptions& options() const { return options_; }

 protected:
  /// Pools an NCHW tensor with TensorFlow's padding of each axis.
  virtual torch::Tensor pool(const torch::Tensor& x, detail::AxisPadding ph, detail::AxisPadding pw) const = 0;
  std::vector<int64_t> kernel() const { return {options_.pool_size.h, options_.pool_size.w}; }
  std::vector<int64_t> stride() const { return {options_.strides.h, options_.strides.w}; }

 private:
  Pooling2DOptions options_;
};

class MaxPooling2DImpl : public Pooling2DImpl {
 public:
  explicit MaxPooling2DImpl(Pooling2DOptions options);

 protected:
  TL_INLINE torch::Tensor pool(const torch::Tensor& x, detail::AxisPadding ph, detail::AxisPadding pw) const override;
};

class AveragePooling2DImpl : public Pooling2DImpl {
 public:
  explicit AveragePooling2DImpl(Pooling2DOptions options);

 protected:
  TL_INLINE torch::Tensor pool(const torch::Tensor& x, detail::AxisPadding ph, detail::AxisPadding pw) const override;
};

/// `keras.layers.MaxPooling2D(pool_size=2, strides=None, padding="valid")`:
/// `x = tl::layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same"})(x);`
class MaxPooling2D : public LayerHandle<MaxPooling2DImpl> {
 public:
  explicit MaxPooling2D(Pooling2DOptions options = {});
};

/// `keras.layers.AveragePooling2D(pool_size=2, strides=None, padding="valid")`:
/// `x = tl::layers::AveragePooling2D({.pool_size = 2})(x);`
class AveragePooling2D : public LayerHandle<AveragePooling2DImpl> {
 public:
  explicit AveragePooling2D(Pooling2DOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/pooling-inl.hpp>
#endif
