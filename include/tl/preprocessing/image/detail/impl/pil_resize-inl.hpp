#pragma once
#include <tl/preprocessing/image/detail/pil_resize.hpp>

#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/detail/pil_convert.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numbers>
#include <type_traits>
#include <vector>

namespace tl::preprocessing::image::detail {

/// PIL's NEAREST: source coordinate accumulates (in/out) from (in/out)/2, truncated (ImagingScaleAffine).
TL_INLINE std::vector<int> nearest_positions(int out_size, double start, double scale, int in_size) {
  std::vector<int> pos(static_cast<size_t>(out_size));
  double v = start + scale * 0.5;
  for (int i = 0; i < out_size; ++i, v += scale) {
    const int p = v < 0.0 ? -1 : static_cast<int>(v);
    pos[i] = (p < 0 || p >= in_size) ? -1 : p;
  }
  return pos;
}

TL_INLINE Image resize_nearest(const Image& img, int width, int height, Box box) {
  const auto xs = nearest_positions(width, box.x0, (box.x1 - box.x0) / width, img.width);
  const auto ys = nearest_positions(height, box.y0, (box.y1 - box.y0) / height, img.height);
  Image out = blank_image(width, height, img.channels);
  // One row loop per channel count, so that each pixel is a fixed-size copy (the loader's hot path: 3 channels).
  const auto rows = [&](auto channels) {
    constexpr int c = decltype(channels)::value;
    for (int y = 0; y < height; ++y) {
      if (ys[y] < 0) continue;  // PIL fills outside rows with 0
      if (y > 0 && ys[y] == ys[y - 1]) {  // the same source row again: copy the row just made
        std::memcpy(out.row(y), out.row(y - 1), static_cast<size_t>(width) * c);
        continue;
      }
      const uint8_t* in = img.row(ys[y]);
      uint8_t* o = out.row(y);
      for (int x = 0; x < width; ++x, o += c)
        if (xs[x] >= 0) std::memcpy(o, in + static_cast<size_t>(xs[x]) * c, c);
    }
  };
  switch (img.channels) {
    case 1: rows(std::integral_constant<int, 1>{}); break;
    case 2: rows(std::integral_constant<int, 2>{}); break;
    case 3: rows(std::integral_constant<int, 3>{}); break;
    default: rows(std::integral_constant<int, 4>{}); break;
  }
  return out;
}

TL_INLINE double box_kernel(double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }
TL_INLINE double bilinear_kernel(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}
TL_INLINE double hamming_kernel(double x) {
  x = std::fabs(x);
  if (x == 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  x *= std::numbers::pi;
  return std::sin(x) / x * (0.54 + 0.46 * std::cos(x));
}
TL_INLINE double bicubic_kernel(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}
TL_INLINE double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= std::numbers::pi;
  return std::sin(x) / x;
}
TL_INLINE double lanczos_kernel(double x) { return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3) : 0.0; }

/// Fixed-point weights of one output pixel: the first source pixel and its integer weights.
struct Taps {
  int first = 0;
  std::vector<int32_t> weights;
};

inline constexpr int kPrecisionBits = 32 - 8 - 2;

/// PIL's precompute_coeffs + normalize_coeffs_8bpc for one axis.
TL_INLINE std::vector<Taps> resample_taps(int in_size, double in0, double in1, int out_size, PilFilter filter) {
  const double scale = (in1 - in0) / out_size;
  const double filterscale = scale < 1.0 ? 1.0 : scale;
  const double support = filter.support * filterscale;
  std::vector<Taps> taps(static_cast<size_t>(out_size));
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = in0 + (xx + 0.5) * scale;
    const int xmin = std::max(0, static_cast<int>(center - support + 0.5));
    const int xmax = std::min(in_size, static_cast<int>(center + support + 0.5)) - xmin;
    std::vector<double> w(static_cast<size_t>(std::max(xmax, 0)));
    double total = 0.0;
    for (int x = 0; x < xmax; ++x) total += w[x] = filter.kernel((x + xmin - center + 0.5) / filterscale);
    taps[xx].first = xmin;
    for (double v : w) {
      const double k = (total != 0.0 ? v / total : v) * (1 << kPrecisionBits);
      taps[xx].weights.push_back(static_cast<int32_t>(k < 0 ? -0.5 + k : 0.5 + k));
    }
  }
  return taps;
}

TL_INLINE uint8_t clip8(int64_t acc) {
  if (acc >= (int64_t{1} << kPrecisionBits << 8)) return 255;
  if (acc <= 0) return 0;
  return static_cast<uint8_t>(acc >> kPrecisionBits);
}

/// One convolution pass along x (horizontal) or y; `rows_from` offsets the source rows (PIL's ybox_first). The taps
/// are walked as Resample.c walks them (ImagingResampleHorizontal/Vertical_8bpc), row by row, with the same sums.
TL_INLINE Image resample_pass(const Image& in, const std::vector<Taps>& taps, bool horizontal, int out_rows, int rows_from) {
  const int c = in.channels;
  const int w = horizontal ? static_cast<int>(taps.size()) : in.width;
  const int h = horizontal ? out_rows : static_cast<int>(taps.size());
  Image out = blank_image(w, h, c);
  const size_t stride = static_cast<size_t>(in.width) * static_cast<size_t>(c);
  if (horizontal) {
    const auto rows = [&](auto channels) {  // a fixed channel count: one pass over the taps for every channel
      constexpr int C = decltype(channels)::value;
      for (int y = 0; y < h; ++y) {
        const uint8_t* src = in.row(y + rows_from);
        uint8_t* o = out.row(y);
        for (int x = 0; x < w; ++x, o += C) {
          const Taps& t = taps[static_cast<size_t>(x)];
          const uint8_t* s0 = src + static_cast<size_t>(t.first) * C;
          int32_t acc[C];  // 32 bits, as Resample.c's `ss`: |weights| sum to well under 2^31 / 255
          for (int k = 0; k < C; ++k) acc[k] = int32_t{1} << (kPrecisionBits - 1);
          const size_t n = t.weights.size();
          for (size_t i = 0; i < n; ++i, s0 += C)
            for (int k = 0; k < C; ++k) acc[k] += static_cast<int32_t>(s0[k]) * t.weights[i];
          for (int k = 0; k < C; ++k) o[k] = clip8(acc[k]);
        }
      }
    };
    switch (c) {
      case 1: rows(std::integral_constant<int, 1>{}); break;
      case 2: rows(std::integral_constant<int, 2>{}); break;
      case 3: rows(std::integral_constant<int, 3>{}); break;
      default: rows(std::integral_constant<int, 4>{}); break;
    }
    return out;
  }
  std::vector<int32_t> acc(stride);
  for (int y = 0; y < h; ++y) {
    const Taps& t = taps[static_cast<size_t>(y)];
    std::fill(acc.begin(), acc.end(), int32_t{1} << (kPrecisionBits - 1));
    for (size_t i = 0; i < t.weights.size(); ++i) {  // the same sums, accumulated a source row at a time
      const uint8_t* src = in.row(t.first + static_cast<int>(i));
      const int32_t weight = t.weights[i];
      for (size_t j = 0; j < stride; ++j) acc[j] += static_cast<int32_t>(src[j]) * weight;
    }
    uint8_t* o = out.row(y);
    for (size_t j = 0; j < stride; ++j) o[j] = clip8(acc[j]);
  }
  return out;
}

TL_INLINE Image resample(const Image& img, int width, int height, Box box, PilFilter filter) {
  const bool need_h = width != img.width || box.x0 != 0 || box.x1 != width;
  const bool need_v = height != img.height || box.y0 != 0 || box.y1 != height;
  const auto taps_h = resample_taps(img.width, box.x0, box.x1, width, filter);
  auto taps_v = resample_taps(img.height, box.y0, box.y1, height, filter);
  Image cur = img;
  if (need_h) {
    const int first = taps_v.front().first;
    const int last = taps_v.back().first + static_cast<int>(taps_v.back().weights.size());
    for (auto& t : taps_v) t.first -= first;
    cur = resample_pass(img, taps_h, true, last - first, first);
  }
  if (need_v) cur = resample_pass(cur, taps_v, false, 0, 0);
  return cur;
}

TL_INLINE PilFilter pil_filter(const std::string& interpolation) {
  if (interpolation == "nearest") return {nullptr, 0.0};
  if (interpolation == "bilinear") return {bilinear_kernel, 1.0};
  if (interpolation == "bicubic") return {bicubic_kernel, 2.0};
  if (interpolation == "lanczos") return {lanczos_kernel, 3.0};
  if (interpolation == "box") return {box_kernel, 0.5};
  if (interpolation == "hamming") return {hamming_kernel, 1.0};
  throw ValueError("Invalid interpolation method " + interpolation +
                   " specified. Supported methods are nearest, bilinear, bicubic, hamming, box, lanczos");
}

TL_INLINE Image pil_resize(const Image& img, int width, int height, const std::string& interpolation, Box box) {
  const PilFilter filter = pil_filter(interpolation);
  if (!filter.kernel) return resize_nearest(img, width, height, box);
  const bool alpha = img.channels == 2 || img.channels == 4;
  if (!alpha) return resample(img, width, height, box, filter);
  Image pre = img;
  premultiply_alpha(pre);
  Image out = resample(pre, width, height, box, filter);
  unpremultiply_alpha(out);
  return out;
}

}  // namespace tl::preprocessing::image::detail
