#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/vgg.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/dense.hpp>
#include <tl/layers/flatten.hpp>
#include <tl/layers/pooling.hpp>

#include <array>

// keras/applications/vgg16.py and vgg19.py: five blocks of 3x3 'same' ReLU convolutions, each closed by a 2x2
// max pooling; the top flattens in (h, w, c) order, as fc1's rows in Keras's files expect.
namespace tl::applications::detail::vgg {

inline constexpr const char* weights_path = "https://storage.googleapis.com/tensorflow/keras-applications/";

TL_INLINE Model VGG(const std::string& model_name, const std::array<int, 5>& convs, const std::string& top_md5,
                    const std::string& notop_md5, const VGGOptions& options) {
  const Application app(
      {.name = model_name,
       .default_size = 224,
       .min_size = 32,
       .imagenet_top = tf_kernels_file(weights_path + model_name + "/", model_name, "", top_md5),
       .imagenet_notop = tf_kernels_file(weights_path + model_name + "/", model_name, "_notop", notop_md5)},
      common_options(options));
  const std::array<int64_t, 5> filters = {64, 128, 256, 512, 512};
  auto x = app.input();
  for (int b = 0; b < 5; ++b) {
    const auto block = "block" + std::to_string(b + 1);
    for (int i = 1; i <= convs[b]; ++i)
      x = layers::Conv2D(filters[b], 3, {.padding = "same", .activation = "relu", .name = block + "_conv" + std::to_string(i)})(x);
    x = layers::MaxPooling2D({.pool_size = 2, .strides = 2, .name = block + "_pool"})(x);
  }
  if (app.include_top()) {
    x = layers::Flatten({.name = "flatten"})(x);
    x = layers::Dense(4096, {.activation = "relu", .name = "fc1"})(x);
    x = layers::Dense(4096, {.activation = "relu", .name = "fc2"})(x);
    x = layers::Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  } else {
    x = app.pooling(x, {.avg = "", .max = ""});  // auto-named: global_average_pooling2d / global_max_pooling2d
  }
  return app.model(x);
}

}  // namespace tl::applications::detail::vgg

namespace tl::applications {

TL_INLINE Model VGG16(const VGGOptions& options) {
  return detail::vgg::VGG("vgg16", {2, 2, 3, 3, 3}, "64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc",
                          options);
}

TL_INLINE Model VGG19(const VGGOptions& options) {
  return detail::vgg::VGG("vgg19", {2, 2, 4, 4, 4}, "cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6",
                          options);
}

namespace vgg16 {
TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "caffe"}); }
TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}
}  // namespace vgg16

}  // namespace tl::applications
