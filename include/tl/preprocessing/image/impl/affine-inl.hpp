#pragma once
#include <tl/preprocessing/image/affine.hpp>

#include <tl/preprocessing/image/img_to_array.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cmath>
#include <numbers>
#include <optional>

namespace tl::preprocessing::image {

namespace detail {
TL_INLINE Matrix3 matmul(const Matrix3& a, const Matrix3& b) {
  Matrix3 r{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) r[i][j] += a[i][k] * b[k][j];
  return r;
}

TL_INLINE FillMode fill_mode_from(const std::string& name) {
  if (name == "constant") return FillMode::constant;
  if (name == "nearest") return FillMode::nearest;
  if (name == "reflect") return FillMode::reflect;
  if (name == "wrap") return FillMode::wrap;
  throw ValueError("fill_mode must be one of constant, nearest, reflect, wrap; got \"" + name + "\"");
}

/// scipy.ndimage's map_coordinate: folds an input coordinate into [0, len-1]; -1 means "use cval".
TL_INLINE double map_coordinate(double in, int64_t len, FillMode mode) {
  if (in >= 0 && in <= len - 1) return in;
  if (len <= 1) return mode == FillMode::constant ? -1 : 0;
  switch (mode) {
    case FillMode::constant: return -1;
    case FillMode::nearest: return in < 0 ? 0 : double(len - 1);
    case FillMode::reflect: {
      const int64_t sz2 = 2 * len;
      if (in < 0) {
        if (in < -sz2) in = sz2 * static_cast<int64_t>(-in / sz2) + in;
        return in < -len ? in + sz2 : (in > -1e-15 ? 1e-15 : -in) - 1;
      }
      in -= sz2 * static_cast<int64_t>(in / sz2);
      return in >= len ? sz2 - in - 1 : in;
    }
    case FillMode::wrap: {
      const int64_t sz = len - 1;  // scipy's legacy 'wrap' has period len - 1
      if (in < 0) return in + sz * (static_cast<int64_t>(-in / sz) + 1);
      return in - sz * static_cast<int64_t>(in / sz);
    }
  }
  return -1;
}

/// The input index of a tap just outside the image: reflected for 'reflect', mirrored otherwise (where the
/// tap's weight is zero anyway), as scipy extends the input.
TL_INLINE int64_t extend_index(int64_t i, int64_t len, FillMode mode) {
  if (len <= 1) return 0;
  if (mode == FillMode::reflect && (i < 0 || i >= len)) {
    i %= 2 * len;
    if (i < 0) i += 2 * len;
    return i >= len ? 2 * len - 1 - i : i;
  }
  const int64_t s2 = 2 * len - 2;
  if (i < 0) {
    i = s2 * (-i / s2) + i;
    return i <= 1 - len ? i + s2 : -i;
  }
  if (i >= len) {
    i -= s2 * (i / s2);
    return i >= len ? s2 - i : i;
  }
  return i;
}

/// Interpolation taps along one axis: two indices and weights (order 1) or one (order 0).
struct AxisTaps {
  int64_t index[2];
  double weight[2];
  int count;
};

TL_INLINE bool axis_taps(double coord, int64_t len, FillMode mode, int order, AxisTaps& taps) {
  const double cc = map_coordinate(coord, len, mode);
  if (cc <= -1.0) return false;
  if (order == 0) {
    taps = {{extend_index(static_cast<int64_t>(std::floor(cc + 0.5)), len, mode), 0}, {1.0, 0.0}, 1};
  } else {
    const int64_t start = static_cast<int64_t>(std::floor(cc));
    const double t = cc - start;
    taps = {{extend_index(start, len, mode), extend_index(start + 1, len, mode)}, {1.0 - t, t}, 2};
  }
  return true;
}

/// The resampling loop over one element type: In/Out float or double, the arithmetic in double as scipy's. A pixel
/// whose taps all lie inside the image (most of them) skips the boundary folding; the sums are the same in the same
/// order, so the result is bit for bit the general path's.
template <class In, class Out>
void affine_resample_loop(const In* in, Out* o, int64_t h, int64_t w, int64_t c, const Matrix3& m, FillMode mode, double cval,
                          int order) {
  for (int64_t r = 0; r < h; ++r)
    for (int64_t col = 0; col < w; ++col, o += c) {
      const double cr = m[0][0] * r + m[0][1] * col + m[0][2];
      const double cc = m[1][0] * r + m[1][1] * col + m[1][2];
      if (order == 1 && cr >= 0 && cr < double(h - 1) && cc >= 0 && cc < double(w - 1)) {
        const int64_t r0 = static_cast<int64_t>(cr), c0 = static_cast<int64_t>(cc);  // floor: both are >= 0
        const double tr = cr - double(r0), tc = cc - double(c0);
        // (weight_r * weight_c) * value, summed in the general path's order: the same doubles.
        const double w00 = (1.0 - tr) * (1.0 - tc), w01 = (1.0 - tr) * tc, w10 = tr * (1.0 - tc), w11 = tr * tc;
        const In* p0 = in + (r0 * w + c0) * c;
        const In* p1 = p0 + w * c;
        for (int64_t k = 0; k < c; ++k) {
          double v = 0;
          v += w00 * double(p0[k]);
          v += w01 * double(p0[c + k]);
          v += w10 * double(p1[k]);
          v += w11 * double(p1[c + k]);
          o[k] = static_cast<Out>(v);
        }
        continue;
      }
      AxisTaps taps_r{}, taps_c{};
      const bool inside = axis_taps(cr, h, mode, order, taps_r) && axis_taps(cc, w, mode, order, taps_c);
      for (int64_t k = 0; k < c; ++k) {
        double v = cval;
        if (inside) {
          v = 0;
          for (int i = 0; i < taps_r.count; ++i)
            for (int j = 0; j < taps_c.count; ++j)
              v += taps_r.weight[i] * taps_c.weight[j] * double(in[(taps_r.index[i] * w + taps_c.index[j]) * c + k]);
        }
        o[k] = static_cast<Out>(v);
      }
    }
}

TL_INLINE torch::Tensor affine_resample(const torch::Tensor& image, const Matrix3& m, FillMode mode, double cval, int order) {
  // float32 images (the loader's) are read and written as they are: converting a double to float once at the end
  // rounds as .to(kFloat32) of the double result would.
  const bool f32 = image.scalar_type() == torch::kFloat32;
  auto x = f32 ? image.contiguous() : image.to(torch::kFloat64).contiguous();
  const int64_t h = x.size(0), w = x.size(1), c = x.size(2);
  auto out = torch::empty_like(x);
  if (f32) {
    affine_resample_loop(x.data_ptr<float>(), out.data_ptr<float>(), h, w, c, m, mode, cval, order);
    return out;
  }
  affine_resample_loop(x.data_ptr<double>(), out.data_ptr<double>(), h, w, c, m, mode, cval, order);
  return out.to(image.scalar_type());
}
}  // namespace detail

TL_INLINE torch::Tensor apply_affine_transform(const torch::Tensor& x, const AffineParams& p) {
  tl::detail::check(x.dim() == 3, "apply_affine_transform: expected an (H, W, C) image");
  tl::detail::check(p.order == 0 || p.order == 1,
                "apply_affine_transform: interpolation_order must be 0 or 1 (tl implements scipy's orders 0 and 1), got " +
                    std::to_string(p.order));
  const auto mode = detail::fill_mode_from(p.fill_mode);
  using detail::Matrix3;
  std::optional<Matrix3> m;
  auto then = [&](const Matrix3& next) { m = m ? detail::matmul(*m, next) : next; };
  if (p.theta != 0) {
    const double t = p.theta * std::numbers::pi / 180.0;
    then({{{std::cos(t), -std::sin(t), 0}, {std::sin(t), std::cos(t), 0}, {0, 0, 1}}});
  }
  if (p.tx != 0 || p.ty != 0) then({{{1, 0, p.tx}, {0, 1, p.ty}, {0, 0, 1}}});
  if (p.shear != 0) {
    const double s = p.shear * std::numbers::pi / 180.0;
    then({{{1, -std::sin(s), 0}, {0, std::cos(s), 0}, {0, 0, 1}}});
  }
  if (p.zx != 1 || p.zy != 1) then({{{p.zx, 0, 0}, {0, p.zy, 0}, {0, 0, 1}}});
  if (!m) return x;
  // transform_matrix_offset_center: about (h/2 + 0.5, w/2 + 0.5), as Keras does.
  const double ox = double(x.size(0)) / 2 + 0.5, oy = double(x.size(1)) / 2 + 0.5;
  const Matrix3 offset{{{1, 0, ox}, {0, 1, oy}, {0, 0, 1}}}, reset{{{1, 0, -ox}, {0, 1, -oy}, {0, 0, 1}}};
  return detail::affine_resample(x, detail::matmul(detail::matmul(offset, *m), reset), mode, p.cval, p.order);
}

TL_INLINE torch::Tensor flip_axis(const torch::Tensor& x, int64_t axis) { return x.flip({axis}); }

TL_INLINE torch::Tensor apply_channel_shift(const torch::Tensor& x, double intensity) {
  const auto lo = x.min(), hi = x.max();
  return torch::clamp(x + static_cast<float>(intensity), lo, hi);
}

TL_INLINE torch::Tensor apply_brightness_shift(const torch::Tensor& x, double brightness) {
  Image img = array_to_img(x, true);
  const float alpha = static_cast<float>(brightness);
  const int color = (img.channels == 2 || img.channels == 4) ? img.channels - 1 : img.channels;
  for (size_t i = 0; i < img.pixels.size(); ++i) {
    if (static_cast<int>(i % img.channels) >= color) continue;  // PIL keeps the alpha band
    const float v = alpha * static_cast<float>(img.pixels[i]);
    img.pixels[i] = v <= 0.0f ? 0 : v >= 255.0f ? 255 : static_cast<uint8_t>(v);
  }
  return img_to_array(img, x.scalar_type());
}

}  // namespace tl::preprocessing::image
