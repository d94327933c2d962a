#pragma once
/// tl's two build modes, as spdlog's and fmt's:
/// - header-only (the default, target `tl::tl`): every definition is in the headers, marked `inline`;
/// - compiled (`TL_COMPILED`, target `tl::tl_compiled`): src/*.cpp compile the definitions (the `impl/*-inl.hpp`
///   files) once into a library, and a user's translation unit sees declarations only.
#if defined(TL_COMPILED)
#define TL_INLINE
#else
#define TL_HEADER_ONLY 1
#define TL_INLINE inline
#endif
