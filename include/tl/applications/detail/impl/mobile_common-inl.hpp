#pragma once
#include <tl/applications/detail/mobile_common.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>

namespace tl::applications::detail {

TL_INLINE layers::Padding2D correct_pad(const Shape& shape, int64_t kernel_size) {
  const int64_t rows = shape.at(1), cols = shape.at(2);
  const int64_t adjust_rows = rows == None ? 1 : 1 - rows % 2;
  const int64_t adjust_cols = rows == None || cols == None ? 1 : 1 - cols % 2;
  const int64_t correct = kernel_size / 2;
  return layers::Padding2D({correct - adjust_rows, correct}, {correct - adjust_cols, correct});
}

TL_INLINE int64_t make_divisible(double v, int64_t divisor) {
  // max(min_value, int(v + divisor / 2) // divisor * divisor), then + divisor if below 90 % of v.
  int64_t new_v = std::max<int64_t>(divisor, int64_t(v + double(divisor) / 2) / divisor * divisor);
  if (double(new_v) < 0.9 * v) new_v += divisor;
  return new_v;
}

TL_INLINE std::string format_2f(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%0.2f", value);
  return text;
}

TL_INLINE std::string python_float(double value) {
  char text[400];
  const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed).ptr;
  std::string out(text, end);
  if (out.find('.') == std::string::npos) out += ".0";
  return out;
}

TL_INLINE std::string dimension_text(int64_t dimension) {
  return dimension == None ? "None" : std::to_string(dimension);
}

TL_INLINE int64_t imagenet_default_size(int64_t rows, int64_t cols, const std::vector<int64_t>& sizes) {
  if (rows != cols || rows == None || std::find(sizes.begin(), sizes.end(), rows) == sizes.end()) return 224;
  return rows;
}

TL_INLINE bool one_of(double value, const std::vector<double>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

TL_INLINE void log_warning(const std::string& message) { std::cerr << "WARNING: " << message << std::endl; }

}  // namespace tl::applications::detail
