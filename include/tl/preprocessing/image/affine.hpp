#pragma once
// Keras's affine_transformations: rotation/shift/shear/zoom about the image centre resampled as
// scipy.ndimage.affine_transform does (spline order 0 or 1, modes constant/nearest/reflect/wrap), plus flips,
// channel shift and brightness shift. Images are (H, W, C) float tensors.
#include <tl/core/config.hpp>
#include <tl/core/errors.hpp>

#include <torch/types.h>

#include <array>
#include <cstdint>
#include <string>

namespace tl::preprocessing::image {

namespace detail {
using Matrix3 = std::array<std::array<double, 3>, 3>;

/// a @ b.
Matrix3 matmul(const Matrix3& a, const Matrix3& b);

enum class FillMode { constant, nearest, reflect, wrap };

/// The fill mode of a Keras fill_mode name; ValueError for another.
FillMode fill_mode_from(const std::string& name);

/// scipy.ndimage.affine_transform(channel, matrix, offset, order, mode, cval) on every channel of (H, W, C).
torch::Tensor affine_resample(const torch::Tensor& image, const Matrix3& m, FillMode mode, double cval, int order);
}  // namespace detail

/// Keras's apply_affine_transform on an (H, W, C) image: theta (degrees), tx/ty (row/column shift in pixels),
/// shear (degrees), zx/zy (zoom), about the centre; fill_mode constant|nearest|reflect|wrap; order 0 or 1.
///   auto y = tl::preprocessing::image::apply_affine_transform(x, {.theta = 30, .fill_mode = "reflect"});
struct AffineParams {
  double theta = 0, tx = 0, ty = 0, shear = 0, zx = 1, zy = 1;
  std::string fill_mode = "nearest";
  double cval = 0;
  int order = 1;
};

torch::Tensor apply_affine_transform(const torch::Tensor& x, const AffineParams& p);

/// Keras's flip_axis on an (H, W, C) image: axis 0 flips rows (vertical), 1 flips columns (horizontal).
torch::Tensor flip_axis(const torch::Tensor& x, int64_t axis);

/// Keras's apply_channel_shift: adds intensity to every channel, clipped to the image's min and max.
torch::Tensor apply_channel_shift(const torch::Tensor& x, double intensity);

/// Keras's apply_brightness_shift: to 8 bits as array_to_img(scale=True) does, then PIL's Brightness
/// enhancer (blend with black: trunc(float(brightness) * v), clipped), back to float.
torch::Tensor apply_brightness_shift(const torch::Tensor& x, double brightness);

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/affine-inl.hpp>
#endif
