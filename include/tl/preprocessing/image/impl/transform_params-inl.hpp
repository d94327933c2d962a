#pragma once
#include <tl/preprocessing/image/transform_params.hpp>

namespace tl::preprocessing::image {

TL_INLINE ZoomRange::ZoomRange(std::initializer_list<double> bounds) {
  if (bounds.size() != 2)
    throw ValueError("`zoom_range` should be a float or a tuple or list of two floats. Received " +
                     std::to_string(bounds.size()) + " values");
  lower = *bounds.begin();
  upper = *(bounds.begin() + 1);
}

}  // namespace tl::preprocessing::image
