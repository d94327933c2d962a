#pragma once
// tl's private copy of stb_image (TGA and PSD only) and stb_image_write (Debian libstb-dev), as static functions inside namespace
// tl::preprocessing::image::detail::stb. Only impl/stb_codec-inl.hpp includes this file: in compiled mode stb is
// compiled once, into src/preprocessing.cpp, and users' translation units never see it; in header-only mode every
// translation unit that includes tl's image headers compiles its own static copy. Being static and namespaced, it
// never clashes with a user's own copy: users may include <stb_image.h> before or after tl's headers and link
// their own stb implementation from another translation unit. push_macro/pop_macro restore the user's macros.
// Limitation (header-only mode only): the one translation unit that defines STB_IMAGE_IMPLEMENTATION must not
// include tl's image headers (stb's internal macros would collide).
// System headers stb includes are pulled in first, at global scope, so nothing of libc lands in our namespace.
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(stbi__err)
#error "tl: this translation unit compiles stb_image's implementation (STB_IMAGE_IMPLEMENTATION); include tl's image headers from another one"
#endif
#pragma push_macro("STBI_INCLUDE_STB_IMAGE_H")
#pragma push_macro("STB_IMAGE_IMPLEMENTATION")
#pragma push_macro("STB_IMAGE_STATIC")
#pragma push_macro("STBIDEF")
#pragma push_macro("INCLUDE_STB_IMAGE_WRITE_H")
#pragma push_macro("STB_IMAGE_WRITE_IMPLEMENTATION")
#pragma push_macro("STB_IMAGE_WRITE_STATIC")
#pragma push_macro("STBIWDEF")
#pragma push_macro("STBI_ASSERT")
#pragma push_macro("STBI_ONLY_TGA")
#pragma push_macro("STBI_ONLY_PSD")
#undef STBI_INCLUDE_STB_IMAGE_H
#undef STBIDEF
#undef INCLUDE_STB_IMAGE_WRITE_H
#undef STBIWDEF
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
// Only TGA and PSD, the formats PIL reads that tl has no decoder of its own for (JPEG, PNG, BMP, GIF and PNM go
// through tl's PIL-exact decoders: detail/decoders.hpp). stb_image_write is whole (save_img).
#define STBI_ONLY_TGA
#define STBI_ONLY_PSD
// stb's internal asserts fire on some damaged JPEGs (a debug build would abort on a bad file); its error returns
// already handle those files.
#undef STBI_ASSERT
#define STBI_ASSERT(x) ((void)0)

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wshadow"
#endif
// Guard the header bodies against inclusion in a namespace twice within one translation unit.
#ifndef TL_DETAIL_STB_INCLUDED
#define TL_DETAIL_STB_INCLUDED
namespace tl::preprocessing::image::detail::stb {
#include <stb_image.h>
#include <stb_image_write.h>
}  // namespace tl::preprocessing::image::detail::stb
#endif
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#pragma pop_macro("STBI_ONLY_PSD")
#pragma pop_macro("STBI_ONLY_TGA")
#pragma pop_macro("STBI_ASSERT")
#pragma pop_macro("STBIWDEF")
#pragma pop_macro("STB_IMAGE_WRITE_STATIC")
#pragma pop_macro("STB_IMAGE_WRITE_IMPLEMENTATION")
#pragma pop_macro("INCLUDE_STB_IMAGE_WRITE_H")
#pragma pop_macro("STBIDEF")
#pragma pop_macro("STB_IMAGE_STATIC")
#pragma pop_macro("STB_IMAGE_IMPLEMENTATION")
#pragma pop_macro("STBI_INCLUDE_STB_IMAGE_H")
