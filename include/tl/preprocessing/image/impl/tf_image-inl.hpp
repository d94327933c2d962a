#pragma once
#include <tl/preprocessing/image/tf_image.hpp>

#include <tl/core/errors.hpp>

#include <ATen/Parallel.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)  // AVX2 compiled per function (target attribute), chosen at run time
#include <immintrin.h>
#endif

namespace tl::preprocessing::image {

namespace detail {

TL_INLINE ResizeMethod resize_method(const std::string& name) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::array<std::pair<const char*, ResizeMethod>, 8> methods{{{"bilinear", ResizeMethod::bilinear},
                                                                           {"nearest", ResizeMethod::nearest},
                                                                           {"bicubic", ResizeMethod::bicubic},
                                                                           {"area", ResizeMethod::area},
                                                                           {"lanczos3", ResizeMethod::lanczos3},
                                                                           {"lanczos5", ResizeMethod::lanczos5},
                                                                           {"gaussian", ResizeMethod::gaussian},
                                                                           {"mitchellcubic", ResizeMethod::mitchellcubic}}};
  for (const auto& [key, method] : methods)
    if (n == key) return method;
  throw ValueError("Value not recognized for `interpolation`: " + n +
                   ". Supported values are: dict_keys(['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', "
                   "'lanczos5', 'gaussian', 'mitchellcubic'])");
}

/// TensorFlow's Keys cubic table (resize_bicubic_op.cc, InitCoeffsTable(-0.5)): 1025 pairs of weights.
TL_INLINE const std::vector<float>& keys_cubic_table() {
  static const std::vector<float> table = [] {
    constexpr int64_t size = 1024;
    constexpr double a = -0.5;
    std::vector<float> t((size + 1) * 2);
    for (int64_t i = 0; i <= size; ++i) {
      float x = static_cast<float>(static_cast<double>(i) * 1.0 / size);
      t[i * 2] = static_cast<float>(((a + 2) * x - (a + 3)) * x * x + 1);
      x = static_cast<float>(x + 1.0);
      t[i * 2 + 1] = static_cast<float>(((a * x - 5 * a) * x + 8 * a) * x - 4 * a);
    }
    return t;
  }();
  return table;
}

/// The kernels of ScaleAndTranslate (sampling_kernels.h), in float as TensorFlow evaluates them.
TL_INLINE float sampling_kernel(ResizeMethod method, float x) {
  x = std::abs(x);
  switch (method) {
    case ResizeMethod::lanczos3:
    case ResizeMethod::lanczos5: {
      constexpr float pi = 3.14159265359f;
      const float radius = method == ResizeMethod::lanczos3 ? 3.0f : 5.0f;
      if (x > radius) return 0.0f;
      if (x <= 1e-3f) return 1.0f;
      return radius * std::sin(pi * x) * std::sin(pi * x / radius) / (pi * pi * x * x);
    }
    case ResizeMethod::gaussian: {
      constexpr float radius = 1.5f;
      const float sigma = radius / 3.0f;
      if (x >= radius) return 0.0f;
      return static_cast<float>(std::exp(-x * x / (2.0 * sigma * sigma)));
    }
    default: {  // mitchellcubic
      if (x >= 2.0f) return 0.0f;
      if (x >= 1.0f) return (((-7.0f / 18.0f) * x + 2.0f) * x - 10.0f / 3.0f) * x + 16.0f / 9.0f;
      return (((7.0f / 6.0f) * x - 2.0f) * x) * x + 8.0f / 9.0f;
    }
  }
}

TL_INLINE float sampling_radius(ResizeMethod method) {
  switch (method) {
    case ResizeMethod::lanczos3: return 3.0f;
    case ResizeMethod::lanczos5: return 5.0f;
    case ResizeMethod::gaussian: return 1.5f;
    default: return 2.0f;
  }
}

/// Per-output lists of (index, weight), padded to one span.
TL_INLINE ResizeTaps pack_taps(const std::vector<std::vector<std::pair<int64_t, double>>>& rows) {
  ResizeTaps t;
  for (const auto& r : rows) t.span = std::max<int64_t>(t.span, static_cast<int64_t>(r.size()));
  t.span = std::max<int64_t>(t.span, 1);
  t.index.assign(rows.size() * t.span, 0);
  t.weight.assign(rows.size() * t.span, 0.0);
  for (size_t o = 0; o < rows.size(); ++o)
    for (size_t k = 0; k < rows[o].size(); ++k) {
      t.index[o * t.span + k] = rows[o][k].first;
      t.weight[o * t.span + k] = rows[o][k].second;
    }
  return t;
}

TL_INLINE ResizeTaps resize_taps(int64_t in, int64_t out, ResizeMethod method) {
  tl::detail::check(in > 0 && out > 0, "resize: sizes must be positive, got " + std::to_string(in) + " -> " + std::to_string(out));
  std::vector<std::vector<std::pair<int64_t, double>>> rows(static_cast<size_t>(out));
  const auto bound = [&](int64_t i) { return std::min(in - 1, std::max<int64_t>(0, i)); };
  switch (method) {
    case ResizeMethod::bilinear: {
      // resize_bilinear_op.cc, half_pixel_centers: in = (o + 0.5) * scale - 0.5, lower = max(floor(in), 0),
      // upper = min(ceil(in), in_size - 1), lerp = in - floor(in). In double (TensorFlow: float), so that the
      // weights are those of the float64 torch.nn.functional.interpolate oracle.
      const double scale = static_cast<double>(in) / static_cast<double>(out);
      for (int64_t o = 0; o < out; ++o) {
        const double c = (static_cast<double>(o) + 0.5) * scale - 0.5;
        const double f = std::floor(c);
        const int64_t lower = std::max<int64_t>(static_cast<int64_t>(f), 0);
        const int64_t upper = std::min<int64_t>(static_cast<int64_t>(std::ceil(c)), in - 1);
        const double lerp = c - f;
        rows[o] = {{lower, 1.0 - lerp}, {upper, lerp}};
      }
      break;
    }
    case ResizeMethod::nearest: {
      // resize_nearest_neighbor_op.cc, half_pixel_centers: floor((o + 0.5f) * scale) in float, capped.
      const float scale = static_cast<float>(in) / static_cast<float>(out);
      for (int64_t o = 0; o < out; ++o)
        rows[o] = {{bound(static_cast<int64_t>(std::floor((static_cast<float>(o) + 0.5f) * scale))), 1.0}};
      break;
    }
    case ResizeMethod::bicubic: {
      // resize_bicubic_op.cc, half_pixel_centers (Keys, a = -0.5): table weights at lrintf(delta * 1024); taps
      // outside the image get weight 0 and the rest are renormalised.
      const auto& table = keys_cubic_table();
      constexpr int64_t size = 1024;
      const float scale = static_cast<float>(in) / static_cast<float>(out);
      for (int64_t o = 0; o < out; ++o) {
        const float in_loc_f = (static_cast<float>(o) + 0.5f) * scale - 0.5f;
        const auto in_loc = static_cast<int64_t>(std::floor(in_loc_f));
        const float delta = in_loc_f - static_cast<float>(in_loc);
        const int64_t offset = std::lrintf(delta * size);
        const std::array<int64_t, 4> wanted{in_loc - 1, in_loc, in_loc + 1, in_loc + 2};
        const std::array<float, 4> coeff{table[offset * 2 + 1], table[offset * 2], table[(size - offset) * 2],
                                         table[(size - offset) * 2 + 1]};
        std::array<float, 4> w{};
        for (int k = 0; k < 4; ++k) w[k] = bound(wanted[k]) == wanted[k] ? coeff[k] : 0.0f;
        const float sum = w[0] + w[1] + w[2] + w[3];
        if (std::abs(sum) >= 1000.0f * std::numeric_limits<float>::min()) {
          const float inv = 1.0f / sum;
          for (auto& v : w) v *= inv;
        }
        for (int k = 0; k < 4; ++k) rows[o].emplace_back(bound(wanted[k]), w[k]);
      }
      break;
    }
    case ResizeMethod::area: {
      // resize_area_op.cc: output o averages the input cells [o * scale, (o + 1) * scale), partial cells by their
      // covered fraction; the sum is divided by the scale.
      const float scale = static_cast<float>(in) / static_cast<float>(out);
      for (int64_t o = 0; o < out; ++o) {
        const float in_y = static_cast<float>(o) * scale;
        const float in_y1 = static_cast<float>(o + 1) * scale;
        const auto start = static_cast<int64_t>(std::floor(in_y));
        const auto end = static_cast<int64_t>(std::ceil(in_y1));
        for (int64_t i = start; i < end; ++i) {
          float w;
          if (static_cast<float>(i) < in_y)
            w = static_cast<float>(i + 1) > in_y1 ? scale : static_cast<float>(i + 1) - in_y;
          else
            w = static_cast<float>(i + 1) > in_y1 ? in_y1 - static_cast<float>(i) : 1.0f;
          rows[o].emplace_back(bound(i), static_cast<double>(w) / static_cast<double>(scale));
        }
      }
      break;
    }
    default: {
      // scale_and_translate_op.cc with antialias=False (kernel_scale 1) and translation 0; tf.image.resize passes
      // scale = out / in as float32.
      const float scale = static_cast<float>(out) / static_cast<float>(in);
      const auto inv_scale = static_cast<float>(1.0 / scale);
      const float radius = sampling_radius(method);
      for (int64_t o = 0; o < out; ++o) {
        const float sample = (static_cast<float>(o) + 0.5f) * inv_scale;
        if (sample < 0 || sample > static_cast<float>(in)) continue;  // an empty span
        const int64_t start = bound(static_cast<int64_t>(std::ceil(sample - radius - 0.5f)));
        const int64_t end = bound(static_cast<int64_t>(std::floor(sample + radius - 0.5f))) + 1;
        std::vector<float> w;
        float sum = 0.0f;
        for (int64_t s = start; s < end; ++s) {
          w.push_back(sampling_kernel(method, static_cast<float>(s) + 0.5f - sample));
          sum += w.back();
        }
        const bool normalise = std::abs(sum) >= 1000.0f * std::numeric_limits<float>::min();
        const float inv = normalise ? 1.0f / sum : 0.0f;
        for (int64_t s = start; s < end; ++s) rows[o].emplace_back(s, normalise ? w[s - start] * inv : 0.0);
      }
      break;
    }
  }
  return pack_taps(rows);
}

// The vertical pass of resize_image: uint8 rows to float, weighted. GCC's -O2 leaves the plain loops scalar (its
// very-cheap vectoriser cost model), and they are most of a resize; on SSE2 (the x86-64 baseline) 16 bytes at a
// time they run several times faster and give the same floats (the same products and sums, lane by lane).
#if defined(__SSE2__)
/// Four float vectors from 16 uint8.
struct F32x16 {
  __m128 q[4];
};
inline F32x16 widen_u8x16(const uint8_t* p) {
  const __m128i zero = _mm_setzero_si128(), v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i lo = _mm_unpacklo_epi8(v, zero), hi = _mm_unpackhi_epi8(v, zero);
  return {{_mm_cvtepi32_ps(_mm_unpacklo_epi16(lo, zero)), _mm_cvtepi32_ps(_mm_unpackhi_epi16(lo, zero)),
           _mm_cvtepi32_ps(_mm_unpacklo_epi16(hi, zero)), _mm_cvtepi32_ps(_mm_unpackhi_epi16(hi, zero))}};
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
/// blend_rows on AVX2, 8 lanes, chosen at run time: the same products and sums as the SSE2 and scalar loops.
__attribute__((target("avx2"))) inline int64_t blend_rows_avx2(const uint8_t* s0, const uint8_t* s1, float w0, float w1,
                                                                float* dst, int64_t n) {
  const __m256 v0 = _mm256_set1_ps(w0), v1 = _mm256_set1_ps(w1);
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256 a = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(s0 + j))));
    const __m256 b = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(s1 + j))));
    _mm256_storeu_ps(dst + j, _mm256_add_ps(_mm256_mul_ps(v0, a), _mm256_mul_ps(v1, b)));
  }
  return j;
}
#endif

/// dst[j] = w0 * s0[j] + w1 * s1[j]: a bilinear output row from its two input rows.
TL_INLINE void blend_rows(const uint8_t* s0, const uint8_t* s1, float w0, float w1, float* dst, int64_t n) {
  int64_t j = 0;
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) j = blend_rows_avx2(s0, s1, w0, w1, dst, n);
#endif
#if defined(__SSE2__)
  const __m128 v0 = _mm_set1_ps(w0), v1 = _mm_set1_ps(w1);
  for (; j + 16 <= n; j += 16) {
    const auto a = widen_u8x16(s0 + j), b = widen_u8x16(s1 + j);
    for (int q = 0; q < 4; ++q) _mm_storeu_ps(dst + j + 4 * q, _mm_add_ps(_mm_mul_ps(v0, a.q[q]), _mm_mul_ps(v1, b.q[q])));
  }
#endif
  for (; j < n; ++j) dst[j] = w0 * static_cast<float>(s0[j]) + w1 * static_cast<float>(s1[j]);
}

/// dst[j] = w * s[j], or dst[j] += w * s[j] when `accumulate`: one tap of any other method's vertical pass.
TL_INLINE void weigh_row(const uint8_t* s, float w, float* dst, int64_t n, bool accumulate) {
  int64_t j = 0;
#if defined(__SSE2__)
  const __m128 v = _mm_set1_ps(w);
  for (; j + 16 <= n; j += 16) {
    const auto a = widen_u8x16(s + j);
    for (int q = 0; q < 4; ++q) {
      const __m128 term = _mm_mul_ps(v, a.q[q]);
      _mm_storeu_ps(dst + j + 4 * q, accumulate ? _mm_add_ps(_mm_loadu_ps(dst + j + 4 * q), term) : term);
    }
  }
#endif
  for (; j < n; ++j) dst[j] = accumulate ? dst[j] + w * static_cast<float>(s[j]) : w * static_cast<float>(s[j]);
}

TL_INLINE CropWindow smart_resize_window(int64_t height, int64_t width, int64_t target_height, int64_t target_width) {
  auto crop_height = static_cast<int64_t>(static_cast<float>(width * target_height) / static_cast<float>(target_width));
  auto crop_width = static_cast<int64_t>(static_cast<float>(height * target_width) / static_cast<float>(target_height));
  crop_height = std::min(height, crop_height);
  crop_width = std::min(width, crop_width);
  const auto top = static_cast<int64_t>(static_cast<float>(height - crop_height) / 2);
  const auto left = static_cast<int64_t>(static_cast<float>(width - crop_width) / 2);
  return {top, left, crop_height, crop_width};
}

/// One axis of resize_image: its taps, weights in float. Kept per thread for the last sizes: a folder's images mostly
/// share them, and building them is ~450 small allocations.
struct ResizeAxis {
  int64_t in = -1, out = -1;
  ResizeMethod method = ResizeMethod::bilinear;
  int64_t span = 0;
  std::vector<int64_t> index;
  std::vector<float> weight;
};

TL_INLINE const ResizeAxis& resize_axis(ResizeAxis& cache, int64_t in, int64_t out, ResizeMethod method) {
  if (cache.in != in || cache.out != out || cache.method != method) {
    auto taps = resize_taps(in, out, method);
    cache = {in, out, method, taps.span, std::move(taps.index), {taps.weight.begin(), taps.weight.end()}};
  }
  return cache;
}

TL_INLINE torch::Tensor resize_image(const Image& img, const CropWindow& window, std::pair<int, int> size,
                                     ResizeMethod method) {
  tl::detail::check(size.first > 0 && size.second > 0, "resize: sizes must be positive, got " +
                                                           std::to_string(size.first) + "x" + std::to_string(size.second));
  auto out = torch::empty({size.first, size.second, img.channels}, torch::kFloat32);
  resize_image_into(img, window, size, method, out.data_ptr<float>());
  return out;
}

TL_INLINE void resize_image_into(const Image& img, const CropWindow& window, std::pair<int, int> size,
                                 ResizeMethod method, float* o) {
  const auto [out_h, out_w] = size;
  tl::detail::check(window.height > 0 && window.width > 0 && window.top >= 0 && window.left >= 0 &&
                        window.top + window.height <= img.height && window.left + window.width <= img.width,
                    "resize: the crop window is outside the image");
  const int64_t c = img.channels, ww = window.width, row_len = ww * c;
  // Weights from double to float, sums in float: within 4e-5 of the double-precision result for 0..255 values
  // (bilinear, measured from 5x7 to 1500x1000 images), and twice as fast.
  thread_local ResizeAxis rows_cache, columns_cache;
  const ResizeAxis& ty = resize_axis(rows_cache, window.height, out_h, method);
  const ResizeAxis& tx = resize_axis(columns_cache, ww, out_w, method);
  const std::vector<float>&wy = ty.weight, &wx = tx.weight;
  // Per output row: the weighted sum of its input rows (contiguous loops over a row that stays in the L1 cache),
  // then the columns of that row.
  thread_local std::vector<float> rowbuf;
  rowbuf.resize(static_cast<size_t>(row_len + 1));  // + 1: the RGB pass below reads a pixel as 4 floats
  float* dst = rowbuf.data();
  thread_local std::vector<int64_t> offset;
  offset.resize(tx.index.size());
  for (size_t i = 0; i < offset.size(); ++i) offset[i] = tx.index[i] * c;
  for (int64_t oy = 0; oy < out_h; ++oy) {
    const auto src = [&](int64_t k) {
      return img.row(static_cast<int>(window.top + ty.index[oy * ty.span + k])) + window.left * c;
    };
    const float* w = wy.data() + oy * ty.span;
    if (ty.span == 2) {
      blend_rows(src(0), src(1), w[0], w[1], dst, row_len);
    } else {
      weigh_row(src(0), w[0], dst, row_len, false);
      for (int64_t k = 1; k < ty.span; ++k)
        if (w[k] != 0.0f) weigh_row(src(k), w[k], dst, row_len, true);
    }
    if (tx.span == 2 && c == 3) {  // bilinear RGB, unrolled
      int64_t ox = 0;
#if defined(__SSE2__)
      // A pixel as one 4-float vector: the 4th lane reads the next pixel's red and writes a value that the next
      // pixel overwrites; the row's last pixel is left to the scalar loop, which writes only its own 3 floats.
      for (; ox + 1 < out_w; ++ox, o += 3) {
        const __m128 a = _mm_loadu_ps(dst + offset[ox * 2]), b = _mm_loadu_ps(dst + offset[ox * 2 + 1]);
        _mm_storeu_ps(o, _mm_add_ps(_mm_mul_ps(_mm_set1_ps(wx[ox * 2]), a), _mm_mul_ps(_mm_set1_ps(wx[ox * 2 + 1]), b)));
      }
#endif
      for (; ox < out_w; ++ox, o += 3) {
        const float w0 = wx[ox * 2], w1 = wx[ox * 2 + 1];
        const float *a = dst + offset[ox * 2], *b = dst + offset[ox * 2 + 1];
        o[0] = w0 * a[0] + w1 * b[0];
        o[1] = w0 * a[1] + w1 * b[1];
        o[2] = w0 * a[2] + w1 * b[2];
      }
      continue;
    }
    for (int64_t ox = 0; ox < out_w; ++ox, o += c) {
      const float* wk = wx.data() + ox * tx.span;
      const int64_t* at = offset.data() + ox * tx.span;
      float acc[4] = {0, 0, 0, 0};
      for (int64_t k = 0; k < tx.span; ++k)
        for (int64_t ch = 0; ch < c; ++ch) acc[ch] += wk[k] * dst[at[k] + ch];
      for (int64_t ch = 0; ch < c; ++ch) o[ch] = acc[ch];
    }
  }
}

/// One axis of resize_internal: sums span gathered slices along `dim`, weighted.
TL_INLINE torch::Tensor resample_axis(const torch::Tensor& x, int64_t dim, int64_t out, ResizeMethod method) {
  const ResizeTaps t = resize_taps(x.size(dim), out, method);
  const auto index = torch::tensor(t.index, torch::kLong).view({out, t.span}).to(x.device());
  const auto weight = torch::tensor(t.weight, torch::kDouble).view({out, t.span}).to(x.device(), torch::kFloat32);
  std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
  shape[static_cast<size_t>(dim)] = out;
  torch::Tensor result;
  for (int64_t k = 0; k < t.span; ++k) {
    auto term = x.index_select(dim, index.select(1, k));
    if (method != ResizeMethod::nearest) term = term * weight.select(1, k).view(shape);
    result = result.defined() ? result + term : term;
  }
  return result;
}

TL_INLINE torch::Tensor resize_internal(const torch::Tensor& images, std::pair<int64_t, int64_t> size, ResizeMethod method) {
  tl::detail::check(images.dim() == 4, "resize: expected a batch of images");
  tl::detail::check(size.first > 0 && size.second > 0, "resize: the size must be positive, got (" +
                                                           std::to_string(size.first) + ", " + std::to_string(size.second) + ")");
  const auto x = images.to(torch::kFloat32);
  return resample_axis(resample_axis(x, 2, size.first, method), 3, size.second, method);
}

TL_INLINE torch::Tensor smart_resize_internal(const torch::Tensor& images, std::pair<int64_t, int64_t> size, ResizeMethod method) {
  const auto w = smart_resize_window(images.size(2), images.size(3), size.first, size.second);
  const auto crop = images.slice(2, w.top, w.top + w.height).slice(3, w.left, w.left + w.width);
  return resize_internal(crop, size, method);
}

TL_INLINE void check_fill_mode_and_interpolation(const std::string& fill_mode, const std::string& interpolation) {
  if (fill_mode != "reflect" && fill_mode != "wrap" && fill_mode != "constant" && fill_mode != "nearest")
    throw ValueError("Unknown `fill_mode` " + fill_mode + ". Only `reflect`, `wrap`, `constant` and `nearest` are supported.");
  if (interpolation != "nearest" && interpolation != "bilinear")
    throw ValueError("Unknown `interpolation` " + interpolation + ". Only `nearest` and `bilinear` are supported.");
}

/// image_ops.h's MapCoordinate for one fill mode, elementwise on float32 coordinates.
TL_INLINE torch::Tensor tf_map_coordinate(const torch::Tensor& c, int64_t len, const std::string& fill_mode) {
  if (fill_mode == "constant") return c;
  const auto high = static_cast<double>(len - 1);
  if (fill_mode == "nearest") return c.clamp(0.0, high);
  if (len <= 1) return torch::zeros_like(c);
  torch::Tensor mapped;
  if (fill_mode == "reflect") {
    const auto sz2 = static_cast<double>(2 * len);
    auto low = torch::where(c < sz2, torch::trunc(-c / sz2) * sz2 + c, c);  // [abcd] -> [dcba|abcd|dcba]
    low = torch::where(low < -static_cast<double>(len), low + sz2, -low - 1);
    auto up = c - torch::trunc(c / sz2) * sz2;
    up = torch::where(up >= static_cast<double>(len), sz2 - up - 1, up);
    mapped = torch::where(c < 0, low, torch::where(c > high, up, c));
  } else {  // wrap: [abcd] -> [abcd|abcd|abcd]
    const auto sz = static_cast<double>(len - 1);
    const auto n = static_cast<double>(len);
    const auto low = c + (torch::trunc(-c / sz) + 1) * n;
    const auto up = c - torch::trunc(c / sz) * n;
    mapped = torch::where(c < 0, low, torch::where(c > high, up, c));
  }
  return mapped.clamp(0.0, high);
}

/// image_ops.h's MapCoordinate for one coordinate (the CPU kernel's; tf_map_coordinate is the same on tensors).
TL_INLINE float tf_map_coordinate_scalar(float in, int64_t len, int mode) {  // mode: 0 reflect, 1 wrap, 2 constant, 3 nearest
  if (mode == 2) return in;
  const auto high = static_cast<float>(len - 1);
  if (mode == 3) return std::min(std::max(in, 0.0f), high);
  if (len <= 1) return 0.0f;
  if (mode == 0) {
    const int64_t sz2 = 2 * len;
    if (in < 0) {
      if (in < static_cast<float>(sz2)) in = static_cast<float>(sz2 * static_cast<int64_t>(-in / static_cast<float>(sz2))) + in;
      in = in < static_cast<float>(-len) ? in + static_cast<float>(sz2) : -in - 1;
    } else if (in > high) {
      in -= static_cast<float>(sz2 * static_cast<int64_t>(in / static_cast<float>(sz2)));
      if (in >= static_cast<float>(len)) in = static_cast<float>(sz2) - in - 1;
    }
  } else {
    const int64_t sz = len - 1;
    if (in < 0)
      in += static_cast<float>(len * (static_cast<int64_t>(-in / static_cast<float>(sz)) + 1));
    else if (in > high)
      in -= static_cast<float>(len * static_cast<int64_t>(in / static_cast<float>(sz)));
  }
  return std::min(std::max(in, 0.0f), high);
}

/// The CPU kernel of projective_transform: TensorFlow's ProjectiveGenerator, one output row per task.
TL_INLINE torch::Tensor projective_transform_cpu(const torch::Tensor& images, const torch::Tensor& transforms,
                                                 bool nearest, int mode, float fill) {
  const int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
  const auto src = images.to(torch::kFloat32).permute({0, 2, 3, 1}).contiguous();  // free for channels_last memory
  auto out = torch::empty_like(src);
  const auto t = transforms.to(torch::kCPU, torch::kFloat32).contiguous();
  const float* in = src.data_ptr<float>();
  const float* tr = t.data_ptr<float>();
  float* o = out.data_ptr<float>();
  const bool shared = t.size(0) == 1;
  at::parallel_for(0, n * h, 1, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t b = r / h;
      const auto fy = static_cast<float>(r % h);
      const float* m = tr + (shared ? 0 : b * 8);
      const float* image = in + b * h * w * c;
      float* dst = o + r * w * c;
      const auto read = [&](int64_t yi, int64_t xi, int64_t ch) {  // read_with_fill_value
        return yi >= 0 && yi < h && xi >= 0 && xi < w ? image[(yi * w + xi) * c + ch] : fill;
      };
      for (int64_t x = 0; x < w; ++x, dst += c) {
        const auto fx = static_cast<float>(x);
        const float projection = m[6] * fx + m[7] * fy + 1.f;
        const float px = projection == 0 ? 0.f : (m[0] * fx + m[1] * fy + m[2]) / projection;
        const float py = projection == 0 ? 0.f : (m[3] * fx + m[4] * fy + m[5]) / projection;
        const float xx = tf_map_coordinate_scalar(px, w, mode), yy = tf_map_coordinate_scalar(py, h, mode);
        if (projection == 0 || xx < 0 || xx > static_cast<float>(w - 1) || yy < 0 || yy > static_cast<float>(h - 1)) {
          for (int64_t ch = 0; ch < c; ++ch) dst[ch] = fill;
          continue;
        }
        if (nearest) {
          const auto yi = static_cast<int64_t>(std::round(yy)), xi = static_cast<int64_t>(std::round(xx));
          for (int64_t ch = 0; ch < c; ++ch) dst[ch] = read(yi, xi, ch);
          continue;
        }
        const float y0 = std::floor(yy), x0 = std::floor(xx), y1 = y0 + 1, x1 = x0 + 1;
        const auto y0i = static_cast<int64_t>(y0), x0i = static_cast<int64_t>(x0);
        for (int64_t ch = 0; ch < c; ++ch) {
          const float top = (x1 - xx) * read(y0i, x0i, ch) + (xx - x0) * read(y0i, x0i + 1, ch);
          const float bottom = (x1 - xx) * read(y0i + 1, x0i, ch) + (xx - x0) * read(y0i + 1, x0i + 1, ch);
          dst[ch] = (y1 - yy) * top + (yy - y0) * bottom;
        }
      }
    }
  });
  return out.permute({0, 3, 1, 2});
}

TL_INLINE torch::Tensor projective_transform(const torch::Tensor& images, const torch::Tensor& transforms,
                                             const std::string& interpolation, const std::string& fill_mode, double fill_value) {
  return projective_transform(images, transforms, interpolation, fill_mode, fill_value, images.device().is_cpu());
}

TL_INLINE torch::Tensor projective_transform(const torch::Tensor& images, const torch::Tensor& transforms,
                                             const std::string& interpolation, const std::string& fill_mode, double fill_value,
                                             bool cpu_kernel) {
  check_fill_mode_and_interpolation(fill_mode, interpolation);
  tl::detail::check(images.dim() == 4, "transform: expected a batch of images (N, C, H, W)");
  const int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
  tl::detail::check(transforms.dim() == 2 && transforms.size(1) == 8 && (transforms.size(0) == n || transforms.size(0) == 1),
                    "transform: transforms must be (N, 8) or (1, 8)");
  if (cpu_kernel) {
    tl::detail::check(images.device().is_cpu(), "transform: the CPU kernel needs CPU tensors");
    const int mode = fill_mode == "reflect" ? 0 : fill_mode == "wrap" ? 1 : fill_mode == "constant" ? 2 : 3;
    return projective_transform_cpu(images, transforms, interpolation == "nearest", mode, static_cast<float>(fill_value));
  }
  const auto fopts = images.options().dtype(torch::kFloat32);
  const auto t = transforms.to(images.device(), torch::kFloat32);
  const auto col = [&](int64_t i) { return t.select(1, i).view({-1, 1, 1}); };
  const auto ox = torch::arange(w, fopts).view({1, 1, w});
  const auto oy = torch::arange(h, fopts).view({1, h, 1});
  const auto projection = col(6) * ox + col(7) * oy + 1.0;
  const auto in_x = (col(0) * ox + col(1) * oy + col(2)) / projection;
  const auto in_y = (col(3) * ox + col(4) * oy + col(5)) / projection;
  const auto x = tf_map_coordinate(in_x, w, fill_mode).expand({n, h, w});
  const auto y = tf_map_coordinate(in_y, h, fill_mode).expand({n, h, w});
  const auto outside = (projection == 0).expand({n, h, w}) | (x < 0) | (x > static_cast<double>(w - 1)) | (y < 0) |
                       (y > static_cast<double>(h - 1));
  // Rows of C values in NHWC order: free for channels_last memory, one copy otherwise.
  const auto pixels = images.to(torch::kFloat32).permute({0, 2, 3, 1}).reshape({n * h * w, c});
  const auto base = (torch::arange(n, images.options().dtype(torch::kLong)) * (h * w)).view({n, 1, 1});
  const auto fill = torch::full({}, fill_value, fopts);
  const auto read = [&](const torch::Tensor& yi, const torch::Tensor& xi) {  // read_with_fill_value
    const auto valid = ((yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)).unsqueeze(-1);
    const auto index = base + yi.clamp(0, h - 1) * w + xi.clamp(0, w - 1);
    const auto v = pixels.index_select(0, index.reshape({-1})).view({n, h, w, c});
    return torch::where(valid, v, fill);
  };
  torch::Tensor out;
  if (interpolation == "nearest") {
    // std::round on coordinates >= 0: halves go up.
    const auto round = [](const torch::Tensor& v) {
      const auto f = torch::floor(v);
      return (f + ((v - f) >= 0.5).to(v.scalar_type())).to(torch::kLong);
    };
    out = read(round(y), round(x));
  } else {
    const auto y0 = torch::floor(y), x0 = torch::floor(x);
    const auto y1 = y0 + 1, x1 = x0 + 1;
    const auto y0i = y0.to(torch::kLong), x0i = x0.to(torch::kLong), y1i = y0i + 1, x1i = x0i + 1;
    const auto u = [](const torch::Tensor& v) { return v.unsqueeze(-1); };
    const auto top = u(x1 - x) * read(y0i, x0i) + u(x - x0) * read(y0i, x1i);
    const auto bottom = u(x1 - x) * read(y1i, x0i) + u(x - x0) * read(y1i, x1i);
    out = u(y1 - y) * top + u(y - y0) * bottom;
  }
  out = torch::where(outside.unsqueeze(-1), fill, out);
  return out.permute({0, 3, 1, 2});
}

TL_INLINE torch::Tensor rotation_matrix(const torch::Tensor& angles, int64_t height, int64_t width) {
  const auto a = angles.to(torch::kCPU, torch::kFloat32);
  const auto cos = torch::cos(a), sin = torch::sin(a);
  const auto h = static_cast<float>(height), w = static_cast<float>(width);
  const auto x_offset = ((w - 1) - (cos * (w - 1) - sin * (h - 1))) / 2.0f;
  const auto y_offset = ((h - 1) - (sin * (w - 1) + cos * (h - 1))) / 2.0f;
  const auto zero = torch::zeros_like(a);
  return torch::stack({cos, -sin, x_offset, sin, cos, y_offset, zero, zero}, 1);
}

TL_INLINE torch::Tensor zoom_matrix(const torch::Tensor& zooms, int64_t height, int64_t width) {
  const auto z = zooms.to(torch::kCPU, torch::kFloat32);
  const auto zx = z.select(1, 0), zy = z.select(1, 1);
  const auto x_offset = ((static_cast<float>(width) - 1.0f) / 2.0f) * (1.0f - zx);
  const auto y_offset = ((static_cast<float>(height) - 1.0f) / 2.0f) * (1.0f - zy);
  const auto zero = torch::zeros_like(zx);
  return torch::stack({zx, zero, x_offset, zero, zy, y_offset, zero, zero}, 1);
}

TL_INLINE torch::Tensor translation_matrix(const torch::Tensor& translations) {
  const auto t = translations.to(torch::kCPU, torch::kFloat32);
  const auto one = torch::ones_like(t.select(1, 0)), zero = torch::zeros_like(one);
  return torch::stack({one, zero, -t.select(1, 0), zero, one, -t.select(1, 1), zero, zero}, 1);
}

}  // namespace detail

TL_INLINE torch::Tensor resize_images(const torch::Tensor& images, std::pair<int, int> size, const std::string& method) {
  const auto m = detail::resize_method(method);
  tl::detail::check(images.dim() == 3 || images.dim() == 4,
                    "resize_images: expected an (H, W, C) image or an (N, H, W, C) batch, got rank " + std::to_string(images.dim()));
  const auto batch = images.dim() == 3 ? images.unsqueeze(0) : images;
  auto out = detail::resize_internal(batch.permute({0, 3, 1, 2}), {size.first, size.second}, m).permute({0, 2, 3, 1});
  return images.dim() == 3 ? out.squeeze(0) : out;
}

TL_INLINE torch::Tensor smart_resize(const torch::Tensor& x, std::pair<int, int> size, const std::string& interpolation) {
  const auto m = detail::resize_method(interpolation);
  tl::detail::check(x.dim() == 3 || x.dim() == 4,
                    "Expected an image array with shape `(height, width, channels)`, or `(batch_size, height, width, "
                    "channels)`, but got input with incorrect rank, of shape " + c10::str(x.sizes()) + ".");
  const auto batch = x.dim() == 3 ? x.unsqueeze(0) : x;
  auto out = detail::smart_resize_internal(batch.permute({0, 3, 1, 2}), {size.first, size.second}, m).permute({0, 2, 3, 1});
  return x.dim() == 3 ? out.squeeze(0) : out;
}

}  // namespace tl::preprocessing::image
