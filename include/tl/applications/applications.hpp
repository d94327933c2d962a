#pragma once
/// keras.applications: pretrained models for transfer learning, with their preprocessing and decoding.
#include <tl/applications/by_name.hpp>
#include <tl/applications/densenet.hpp>
#include <tl/applications/efficientnet.hpp>
#include <tl/applications/fine_tuning.hpp>
#include <tl/applications/imagenet_utils.hpp>
#include <tl/applications/inception_resnet_v2.hpp>
#include <tl/applications/inception_v3.hpp>
#include <tl/applications/mobilenet.hpp>
#include <tl/applications/mobilenet_v2.hpp>
#include <tl/applications/mobilenet_v3.hpp>
#include <tl/applications/nasnet.hpp>
#include <tl/applications/resnet.hpp>
#include <tl/applications/resnet_v2.hpp>
#include <tl/applications/vgg.hpp>
#include <tl/applications/xception.hpp>
