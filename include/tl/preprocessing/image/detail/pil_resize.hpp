#pragma once
// Conversion unit, part 2: Image.resize() exactly as Pillow 9 computes it on 8-bit images: nearest by its affine
// scaling (Geometry.c), the other filters by its two-pass separable convolution in 22-bit fixed point
// (Resample.c). Keras's use of it (when to resize, keep_aspect_ratio's crop) is load_img's (load_img.hpp).
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <string>

namespace tl::preprocessing::image::detail {

/// A source rectangle (PIL's `box`): left, top, right, bottom in source pixels.
struct Box {
  double x0, y0, x1, y1;
};

/// One of PIL's resampling filters: its kernel and support radius; kernel nullptr is NEAREST.
struct PilFilter {
  double (*kernel)(double);
  double support;
};

/// PIL's filter for a Keras interpolation name ({nullptr, 0} for "nearest"); ValueError for an unknown name.
PilFilter pil_filter(const std::string& interpolation);

/// PIL's NEAREST resize of the `box` of img (ImagingScaleAffine); outside pixels stay 0.
Image resize_nearest(const Image& img, int width, int height, Box box);

/// PIL's ImagingResample of the `box` of img with a convolution filter: horizontal pass, then vertical.
Image resample(const Image& img, int width, int height, Box box, PilFilter filter);

/// img.resize((width, height), resample, box) as Pillow 9 does it, premultiplying alpha for filtered resizes.
Image pil_resize(const Image& img, int width, int height, const std::string& interpolation, Box box);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/pil_resize-inl.hpp>
#endif
