// bench/compile_time.sh: the seed model's translation unit, compiled header-only (tl::tl) and compiled
// (TL_COMPILED, declarations only). Never linked or run: what is measured is the compiler's CPU time.
#include <tl/tl.hpp>

#include "seed_main.inc"
