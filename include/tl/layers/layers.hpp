#pragma once
// Every layer tl provides, as `keras.layers`.
#include <tl/layers/activations.hpp>
#include <tl/layers/dense.hpp>
#include <tl/layers/input_layer.hpp>
#include <tl/layers/layer.hpp>
