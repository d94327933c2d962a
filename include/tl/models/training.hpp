#pragma once
// Keras's Model training API: compile, fit, evaluate, predict and the *_on_batch calls. They are ModelImpl's
// members (declared in functional.hpp, options in options.hpp) and `Model`'s (model.hpp); their definitions are
// in impl/training-inl.hpp.
#include <tl/core/config.hpp>
#include <tl/models/functional.hpp>
#include <tl/models/options.hpp>

#ifdef TL_HEADER_ONLY
#include <tl/models/impl/training-inl.hpp>
#endif
