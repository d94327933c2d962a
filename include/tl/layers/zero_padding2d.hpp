#pragma once
// keras.layers.ZeroPadding2D: zero rows above/below and zero columns left/right of an image.
#include <tl/layers/layer.hpp>

#include <utility>

namespace tl::layers {

/// ZeroPadding2D's `padding` as Keras accepts it: `1`, `{1, 2}` (rows, columns) or `{{top, bottom}, {left, right}}`.
struct Padding2D {
  int64_t top, bottom, left, right;
  Padding2D(int64_t all) : Padding2D(all, all) {}  // NOLINT: implicit, as Keras takes a bare int
  Padding2D(int64_t rows, int64_t columns) : top(rows), bottom(rows), left(columns), right(columns) {}
  Padding2D(std::pair<int64_t, int64_t> rows, std::pair<int64_t, int64_t> columns)
      : top(rows.first), bottom(rows.second), left(columns.first), right(columns.second) {}
  /// As Python prints it: `((1, 1), (2, 2))`.
  std::string str() const;
};

/// Keras's keyword arguments of ZeroPadding2D.
struct ZeroPadding2DOptions {
  std::string name = "";
};

class ZeroPadding2DImpl : public SingleInputLayerImpl {
 public:
  ZeroPadding2DImpl(Padding2D padding, const ZeroPadding2DOptions& options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE torch::Tensor forward_one(const torch::Tensor& x, bool training) override;
  TL_INLINE json get_config() const override;
  const Padding2D& padding() const { return padding_; }

 private:
  Padding2D padding_;
};

/// `keras.layers.ZeroPadding2D(padding)`: `x = tl::layers::ZeroPadding2D({{3, 3}, {3, 3}})(x);`
class ZeroPadding2D : public LayerHandle<ZeroPadding2DImpl> {
 public:
  explicit ZeroPadding2D(Padding2D padding = 1, const ZeroPadding2DOptions& options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/zero_padding2d-inl.hpp>
#endif
