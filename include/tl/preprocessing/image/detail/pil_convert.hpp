#pragma once
// Conversion unit, part 1: Image.convert() between L, LA, RGB and RGBA with PIL's exact integer arithmetic
// (Pillow's Convert.c), and the alpha premultiplication PIL wraps around filtered resizes.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cstdint>

namespace tl::preprocessing::image::detail {

/// PIL's ITU-R 601-2 luma in 16-bit fixed point: L = R*299/1000 + G*587/1000 + B*114/1000, rounded.
uint8_t pil_luma(const uint8_t* rgb);

/// One pixel of `from` channels as `to` channels, as PIL converts (alpha dropped, or 255 when added).
void convert_pixel(const uint8_t* in, int from, uint8_t* out, int to);

/// img.convert(mode) for a target channel count (1, 2, 3 or 4).
Image convert(const Image& img, int channels);

/// RGBA -> RGBa / LA -> La (premultiplied alpha), as PIL resizes images with alpha.
void premultiply_alpha(Image& img);

/// RGBa -> RGBA / La -> LA.
void unpremultiply_alpha(Image& img);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/pil_convert-inl.hpp>
#endif
