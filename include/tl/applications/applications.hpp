#pragma once
/// keras.applications: pretrained models for transfer learning, with their preprocessing and decoding.
#include <tl/applications/fine_tuning.hpp>
#include <tl/applications/imagenet_utils.hpp>
#include <tl/applications/resnet.hpp>
