#pragma once
// keras.layers.ZeroPadding2D: zero rows above/below and zero columns left/right of an image.
#include <tl/layers/config.hpp>
#include <tl/layers/conv_utils.hpp>
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
  std::string str() const {
    std::string s = "(";
    s.append(Size2(top, bottom).str()).append(", ").append(Size2(left, right).str());
    return s + ")";
  }
};

/// Keras's keyword arguments of ZeroPadding2D.
struct ZeroPadding2DOptions {
  std::string name = "";
};

class ZeroPadding2DImpl : public SingleInputLayerImpl {
 public:
  ZeroPadding2DImpl(Padding2D padding, const ZeroPadding2DOptions& options)
      : SingleInputLayerImpl("ZeroPadding2D", options.name), padding_(padding) {
    detail::check(padding.top >= 0 && padding.bottom >= 0 && padding.left >= 0 && padding.right >= 0,
                  error_prefix() + "padding must not be negative, got " + padding.str());
  }
  Shape output_shape_for(const Shape& in) const override {
    detail::check_ndim(in, 4, name());
    const auto grow = [](int64_t d, int64_t by) { return d == None ? None : d + by; };
    return {in[0], grow(in[1], padding_.top + padding_.bottom), grow(in[2], padding_.left + padding_.right), in[3]};
  }
  torch::Tensor forward_one(const torch::Tensor& x, bool) override {
    return torch::constant_pad_nd(x, {padding_.left, padding_.right, padding_.top, padding_.bottom});
  }
  const Padding2D& padding() const { return padding_; }
  io::json::Value get_config() const override {
    const auto& p = padding_;
    return config_with({{"padding", io::json::Array{config::pair(p.top, p.bottom), config::pair(p.left, p.right)}},
                        {"data_format", "channels_last"}});
  }

 private:
  Padding2D padding_;
};

/// `keras.layers.ZeroPadding2D(padding)`: `x = tl::layers::ZeroPadding2D({{3, 3}, {3, 3}})(x);`
class ZeroPadding2D : public LayerHandle<ZeroPadding2DImpl> {
 public:
  explicit ZeroPadding2D(Padding2D padding = 1, const ZeroPadding2DOptions& options = {})
      : LayerHandle(std::make_shared<ZeroPadding2DImpl>(padding, options)) {}
};

}  // namespace tl::layers
