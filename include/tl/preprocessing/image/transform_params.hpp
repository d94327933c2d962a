#pragma once
// The parameter ranges of ImageDataGenerator and the drawn parameters of one random transformation.
#include <tl/core/config.hpp>
#include <tl/core/errors.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace tl::preprocessing::image {

/// width_shift_range / height_shift_range as Keras reads them: a float (fraction of the size if < 1, else
/// pixels, drawn uniformly), an int N (whole pixels drawn from 0..N-1 with a random sign), or a list of values.
///   {.width_shift_range = 0.2}  {.width_shift_range = 2}  {.width_shift_range = {-5, 0, 5}}
struct ShiftRange {
  ShiftRange(double range = 0.0) : range(range) {}
  ShiftRange(int pixels) : range(pixels), is_int(true) {}
  ShiftRange(std::initializer_list<double> values) : choices(values), range(values.size()) {}

  std::vector<double> choices;  // the list form
  double range = 0.0;
  bool is_int = false;

  /// Keras's truthiness test `if self.height_shift_range:`.
  explicit operator bool() const { return range != 0; }
};

/// zoom_range: a float z (zoom drawn from [1 - z, 1 + z]) or a pair [lower, upper].
struct ZoomRange {
  ZoomRange(double z = 0.0) : lower(1 - z), upper(1 + z) {}
  /// ValueError unless two bounds are given.
  ZoomRange(std::initializer_list<double> bounds);
  double lower = 1, upper = 1;
};

/// One drawn transformation, Keras's transform_parameters dict (tx: rows, ty: columns, degrees for angles).
struct TransformParams {
  double theta = 0, tx = 0, ty = 0, shear = 0, zx = 1, zy = 1;
  bool flip_horizontal = false, flip_vertical = false;
  std::optional<double> channel_shift_intensity;
  std::optional<double> brightness;
  bool operator==(const TransformParams&) const = default;
};

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/transform_params-inl.hpp>
#endif
