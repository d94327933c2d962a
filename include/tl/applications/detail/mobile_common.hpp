#pragma once
// What keras.applications' mobile families share (MobileNetV2, MobileNetV3, EfficientNet; NASNet may use
// correct_pad too): imagenet_utils.correct_pad and the `_make_divisible` / `_depth` width rounding.
#include <tl/core/config.hpp>
#include <tl/core/shape.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tl::applications::detail {

/// Keras's `imagenet_utils.correct_pad(inputs, kernel_size)` for a channels-last `shape` (batch first): the
/// ZeroPadding2D that, before a stride-2 'valid' convolution, reproduces TensorFlow's 'same' padding —
/// `((k//2 - adjust, k//2), ...)` with `adjust = 1 - size % 2`, or 1 on both axes when the height is unknown
/// (Keras looks at the height only; an unknown width with a known height crashes in Keras, tl adjusts it by 1).
layers::Padding2D correct_pad(const Shape& shape, int64_t kernel_size);

/// MobileNetV2's `_make_divisible(v, divisor)` (MobileNetV3's `_depth`): `v` rounded to the nearest multiple
/// of `divisor`, at least `divisor`, and never more than 10 % below `v`.
int64_t make_divisible(double v, int64_t divisor = 8);

/// Python's `"%0.2f" % value` (MobileNet's model names: `mobilenet_0.75_224`).
std::string format_2f(double value);

/// Python's `str(value)` / `repr(value)` of a float in fixed notation: 0.3 -> "0.3", 1.0 -> "1.0", 0.75 -> "0.75".
std::string python_float(double value);

/// Python's `str(int_or_none)` for a dimension of a Keras shape: "224" or "None".
std::string dimension_text(int64_t dimension);

/// MobileNet/V2's `default_size`: the rows of a square input whose size is one of the ImageNet sizes, else 224.
/// `rows`, `cols` may be None.
int64_t imagenet_default_size(int64_t rows, int64_t cols, const std::vector<int64_t>& sizes);

/// Whether `value` is one of `allowed` (Python's `alpha in [0.35, 0.50, ...]`: exact float comparison).
bool one_of(double value, const std::vector<double>& allowed);

/// Prints Keras's `logging.warning` line on stderr.
void log_warning(const std::string& message);

}  // namespace tl::applications::detail

#ifdef TL_HEADER_ONLY
#include <tl/applications/detail/impl/mobile_common-inl.hpp>
#endif
