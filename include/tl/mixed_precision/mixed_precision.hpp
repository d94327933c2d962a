#pragma once
// keras.mixed_precision: dtype policies and the loss-scale optimizer float16 training needs.
#include <tl/mixed_precision/loss_scale_optimizer.hpp>
#include <tl/mixed_precision/policy.hpp>
