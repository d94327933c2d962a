#pragma once
// keras.layers.GlobalAveragePooling2D and GlobalMaxPooling2D: one value per channel and image.
#include <tl/layers/layer.hpp>

namespace tl::layers {

/// Keras's keyword arguments of the global pooling layers.
struct GlobalPooling2DOptions {
  bool keepdims = false;  ///< keep H and W as size-1 axes: (N, 1, 1, C) instead of (N, C)
  std::string name = "";
};
using GlobalAveragePooling2DOptions = GlobalPooling2DOptions;
using GlobalMaxPooling2DOptions = GlobalPooling2DOptions;

/// What the two global pooling layers share; `reduce` works on the H, W axes of an NCHW tensor.
class GlobalPooling2DImpl : public SingleInputLayerImpl {
 public:
  GlobalPooling2DImpl(std::string class_name, GlobalPooling2DOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  const GlobalPooling2DOptions& options() const { return options_; }

 protected:
  virtual torch::Tensor reduce(const torch::Tensor& x, bool keepdims) const = 0;

 private:
  GlobalPooling2DOptions options_;
};

class GlobalAveragePooling2DImpl : public GlobalPooling2DImpl {
 public:
  explicit GlobalAveragePooling2DImpl(GlobalPooling2DOptions options);

 protected:
  TL_INLINE torch::Tensor reduce(const torch::Tensor& x, bool keepdims) const override;
};

class GlobalMaxPooling2DImpl : public GlobalPooling2DImpl {
 public:
  explicit GlobalMaxPooling2DImpl(GlobalPooling2DOptions options);

 protected:
  TL_INLINE torch::Tensor reduce(const torch::Tensor& x, bool keepdims) const override;
};

/// `keras.layers.GlobalAveragePooling2D()`: `x = tl::layers::GlobalAveragePooling2D()(x);` gives (None, C).
class GlobalAveragePooling2D : public LayerHandle<GlobalAveragePooling2DImpl> {
 public:
  explicit GlobalAveragePooling2D(GlobalPooling2DOptions options = {});
};

/// `keras.layers.GlobalMaxPooling2D()`: `x = tl::layers::GlobalMaxPooling2D()(x);` gives (None, C).
class GlobalMaxPooling2D : public LayerHandle<GlobalMaxPooling2DImpl> {
 public:
  explicit GlobalMaxPooling2D(GlobalPooling2DOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/global_pooling-inl.hpp>
#endif
