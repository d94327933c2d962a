#pragma once
/// tl: Keras's transfer-learning API in C++ on LibTorch. One include gives everything:
///   #include <tl/tl.hpp>
#include <tl/core/backend.hpp>
#include <tl/core/errors.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/core/shape.hpp>
#include <tl/layers/layers.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/utils/get_file.hpp>
#include <tl/utils/sequence.hpp>
