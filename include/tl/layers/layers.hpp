#pragma once
// Every layer tl provides, as `keras.layers`.
#include <tl/layers/activation.hpp>
#include <tl/layers/activations.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/cropping2d.hpp>
#include <tl/layers/dense.hpp>
#include <tl/layers/depthwise_conv2d.hpp>
#include <tl/layers/dropout.hpp>
#include <tl/layers/flatten.hpp>
#include <tl/layers/global_pooling.hpp>
#include <tl/layers/image_augmentation.hpp>
#include <tl/layers/input_layer.hpp>
#include <tl/layers/lambda.hpp>
#include <tl/layers/layer.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/normalization.hpp>
#include <tl/layers/pooling.hpp>
#include <tl/layers/relu.hpp>
#include <tl/layers/rescaling.hpp>
#include <tl/layers/reshape.hpp>
#include <tl/layers/separable_conv2d.hpp>
#include <tl/layers/tf_op_lambda.hpp>
#include <tl/layers/zero_padding2d.hpp>
// keras.layers.deserialize (after the layers: its header-only definitions build every one of them).
#include <tl/layers/deserialize.hpp>
