// bench/compile_time.sh: the seed unit header-only, including only the headers it uses instead of <tl/tl.hpp>:
// what a header-only user saves by naming them. Never linked or run.
#include <tl/applications/resnet.hpp>
#include <tl/layers/dense.hpp>
#include <tl/layers/global_pooling.hpp>
#include <tl/models/model.hpp>

#include "seed_main.inc"
