#pragma once
// Conversion unit, part 1: Image.convert() with PIL's exact integer arithmetic (Pillow 9.4's Image.py:889-1110 and
// Convert.c): a decoded image in any of PIL's modes (1, L, P, I, LA, RGB, RGBA, CMYK, with its palette and
// transparency) to Keras's L/RGB/RGBA, conversions between 8-bit images, and the alpha premultiplication PIL wraps
// around filtered resizes.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/decoded_image.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <cstdint>

namespace tl::preprocessing::image::detail {

/// PIL's ITU-R 601-2 luma in 16-bit fixed point: L = R*299/1000 + G*587/1000 + B*114/1000, rounded.
uint8_t pil_luma(const uint8_t* rgb);

/// One pixel of `from` channels as `to` channels, as PIL converts (alpha dropped, or 255 when added).
void convert_pixel(const uint8_t* in, int from, uint8_t* out, int to);

/// img.convert(mode) for a target channel count (1, 2, 3 or 4).
Image convert(const Image& img, int channels);

/// Keras's `img.convert(mode)` of a decoded image for "L" (channels 1), "RGB" (3) or "RGBA" (4), skipped when the
/// image already has that mode (its pixels are moved, not copied). Transparency as Image.convert applies it: 1, L,
/// I and RGB to RGBA clear the alpha of pixels equal to the transparent colour (compared after the 8-bit
/// conversion, against the colour's low bytes: ImagingConvertTransparent); P to RGBA takes the alphas into the
/// palette; to L and RGB the pixels ignore it. CMYK to L goes through RGB (cmyk2rgb, then the L24 luma).
Image pil_convert(DecodedImage&& im, int channels);

/// RGBA -> RGBa / LA -> La (premultiplied alpha), as PIL resizes images with alpha.
void premultiply_alpha(Image& img);

/// RGBa -> RGBA / La -> LA.
void unpremultiply_alpha(Image& img);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/pil_convert-inl.hpp>
#endif
