#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/detail/mobile_common.hpp>
#include <tl/applications/mobilenet_v3.hpp>
#include <tl/core/errors.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/depthwise_conv2d.hpp>
#include <tl/layers/dropout.hpp>
#include <tl/layers/flatten.hpp>
#include <tl/layers/global_pooling.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/relu.hpp>
#include <tl/layers/rescaling.hpp>
#include <tl/layers/tf_op_lambda.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <array>
#include <functional>
#include <map>

// tf.keras 2.11's keras/applications/mobilenet_v3.py.
namespace tl::applications::detail::mobilenet_v3 {

inline constexpr const char* base_weight_path =
    "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/";

TL_INLINE const std::map<std::string, std::pair<std::string, std::string>>& weights_hashes() {
  static const std::map<std::string, std::pair<std::string, std::string>> hashes = {
      {"large_224_0.75_float", {"765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"}},
      {"large_224_1.0_float", {"59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"}},
      {"large_minimalistic_224_1.0_float", {"675e7b876c45c57e9e63e6d90a36599c", "ec5221f64a2f6d1ef965a614bdae7973"}},
      {"small_224_0.75_float", {"cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"}},
      {"small_224_1.0_float", {"8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"}},
      {"small_minimalistic_224_1.0_float", {"99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"}},
  };
  return hashes;
}

/// An activation as mobilenet_v3.py applies it: a function of the symbolic tensor adding layers.
using ActivationFn = std::function<KerasTensor(const KerasTensor&)>;

/// relu(x): an auto-named ReLU layer.
TL_INLINE KerasTensor relu(const KerasTensor& x) { return layers::ReLU()(x); }

/// hard_sigmoid(x) = ReLU(6.)(x + 3.0) * (1.0 / 6.0): TFOpLambda `tf.__operators__.add`, ReLU, TFOpLambda
/// `tf.math.multiply`, all auto-named.
TL_INLINE KerasTensor hard_sigmoid(const KerasTensor& x) {
  auto y = layers::TFOpLambda("__operators__.add", 3.0)(x);
  y = layers::ReLU(6.0)(y);
  return layers::TFOpLambda("math.multiply", 1.0 / 6.0)(y);
}

/// hard_swish(x) = Multiply()([x, hard_sigmoid(x)]).
TL_INLINE KerasTensor hard_swish(const KerasTensor& x) { return layers::Multiply()({x, hard_sigmoid(x)}); }

/// `_depth` (MobileNetV2's _make_divisible by 8).
TL_INLINE int64_t depth(double v) { return make_divisible(v, 8); }

TL_INLINE KerasTensor bn(const KerasTensor& x, const std::string& name) {
  return layers::BatchNormalization({.axis = -1, .momentum = 0.999, .epsilon = 1e-3, .name = name})(x);
}

/// _se_block: AvgPool (keepdims), Conv, Relu, Conv_1, hard_sigmoid, Mul, under `<prefix>squeeze_excite/`.
TL_INLINE KerasTensor se_block(const KerasTensor& inputs, int64_t filters, double se_ratio, const std::string& prefix) {
  auto x = layers::GlobalAveragePooling2D({.keepdims = true, .name = prefix + "squeeze_excite/AvgPool"})(inputs);
  x = layers::Conv2D(depth(double(filters) * se_ratio), 1, {.padding = "same", .name = prefix + "squeeze_excite/Conv"})(x);
  x = layers::ReLU({.name = prefix + "squeeze_excite/Relu"})(x);
  x = layers::Conv2D(filters, 1, {.padding = "same", .name = prefix + "squeeze_excite/Conv_1"})(x);
  x = hard_sigmoid(x);
  return layers::Multiply({.name = prefix + "squeeze_excite/Mul"})({inputs, x});
}

/// _inverted_res_block, under the prefix `expanded_conv/` (block 0, no expansion) or `expanded_conv_<id>/`.
TL_INLINE KerasTensor inverted_res_block(const KerasTensor& inputs, double expansion, int64_t filters,
                                         int64_t kernel_size, int64_t stride, double se_ratio,
                                         const ActivationFn& activation, int block_id) {
  const int64_t infilters = inputs.shape().back();
  std::string prefix = "expanded_conv/";
  auto x = inputs;
  if (block_id) {
    prefix = "expanded_conv_" + std::to_string(block_id) + "/";
    x = layers::Conv2D(depth(double(infilters) * expansion), 1,
                       {.padding = "same", .use_bias = false, .name = prefix + "expand"})(x);
    x = bn(x, prefix + "expand/BatchNorm");
    x = activation(x);
  }
  if (stride == 2) x = layers::ZeroPadding2D(correct_pad(x.shape(), kernel_size), {.name = prefix + "depthwise/pad"})(x);
  x = layers::DepthwiseConv2D(kernel_size, {.strides = stride,
                                            .padding = stride == 1 ? "same" : "valid",
                                            .use_bias = false,
                                            .name = prefix + "depthwise"})(x);
  x = bn(x, prefix + "depthwise/BatchNorm");
  x = activation(x);
  if (se_ratio > 0) x = se_block(x, depth(double(infilters) * expansion), se_ratio, prefix);
  x = layers::Conv2D(filters, 1, {.padding = "same", .use_bias = false, .name = prefix + "project"})(x);
  x = bn(x, prefix + "project/BatchNorm");
  if (stride == 1 && infilters == filters) x = layers::Add({.name = prefix + "Add"})({inputs, x});
  return x;
}

/// One block of a stack: expansion, filters (before alpha), kernel (0: the model's, 5 or 3 when minimalistic),
/// stride, squeeze-and-excite, and whether it uses the model's activation (else relu).
struct Block {
  double expansion;
  int64_t filters, kernel, stride;
  bool se, model_activation;
};

inline constexpr std::array<Block, 11> small_blocks = {{{1, 16, 3, 2, true, false},
                                                        {72.0 / 16, 24, 3, 2, false, false},
                                                        {88.0 / 24, 24, 3, 1, false, false},
                                                        {4, 40, 0, 2, true, true},
                                                        {6, 40, 0, 1, true, true},
                                                        {6, 40, 0, 1, true, true},
                                                        {3, 48, 0, 1, true, true},
                                                        {3, 48, 0, 1, true, true},
                                                        {6, 96, 0, 2, true, true},
                                                        {6, 96, 0, 1, true, true},
                                                        {6, 96, 0, 1, true, true}}};

inline constexpr std::array<Block, 15> large_blocks = {{{1, 16, 3, 1, false, false},
                                                        {4, 24, 3, 2, false, false},
                                                        {3, 24, 3, 1, false, false},
                                                        {3, 40, 0, 2, true, false},
                                                        {3, 40, 0, 1, true, false},
                                                        {3, 40, 0, 1, true, false},
                                                        {6, 80, 3, 2, false, true},
                                                        {2.5, 80, 3, 1, false, true},
                                                        {2.3, 80, 3, 1, false, true},
                                                        {2.3, 80, 3, 1, false, true},
                                                        {6, 112, 3, 1, true, true},
                                                        {6, 112, 3, 1, true, true},
                                                        {6, 160, 0, 2, true, true},
                                                        {6, 160, 0, 1, true, true},
                                                        {6, 160, 0, 1, true, true}}};

/// The input shape MobileNetV3 uses: no obtain_input_shape; (None, None, 3) by default, with or without the top;
/// an input tensor's (cols, rows, 3) when only it is given (Keras swaps them); at least 32x32.
TL_INLINE Shape input_shape_of(const MobileNetV3Options& options) {
  Shape shape = options.input_shape;
  if (!shape.empty() && options.input_tensor.defined()) {
    const auto& given = options.input_tensor.shape();
    if (shape.size() < 2 || given.size() < 3 || given[2] != shape[1])
      throw ValueError("input_shape[1] must equal backend.int_shape(input_tensor)[2].  Received input_shape=" +
                       to_string(shape) + ", backend.int_shape(input_tensor)=" + to_string(given));
  }
  if (shape.empty() && options.input_tensor.defined()) {
    const auto& given = options.input_tensor.shape();
    if (given.size() >= 3) shape = {given[2], given[1], 3};
  }
  if (shape.empty()) shape = {None, None, 3};
  if (shape.size() >= 2) {
    const int64_t rows = shape[0], cols = shape[1];
    if (rows != None && cols != None && rows > 0 && cols > 0 && (rows < 32 || cols < 32))
      throw ValueError("Input size must be at least 32x32; Received `input_shape=" + to_string(shape) + "`");
  }
  return shape;
}

/// MobileNetV3(stack_fn, last_point_ch, ..., model_type, ...).
TL_INLINE Model MobileNetV3(bool large, const MobileNetV3Options& options) {
  const std::string model_type = large ? "large" : "small";
  auto common = common_options(options);
  common.input_shape = input_shape_of(options);
  Application app({.name = "MobilenetV3" + model_type,
                         .input_shape_rule = [](const Shape& shape, bool) { return shape; }},
                        common);
  const double alpha = options.alpha;
  if (app.imagenet()) {
    if ((!options.minimalistic && !one_of(alpha, {0.75, 1.0})) || (options.minimalistic && alpha != 1.0))
      throw ValueError("If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for non minimalistic "
                       "or `1.0` for minimalistic only.");
    const auto& shape = app.input_shape();
    if (shape[0] != shape[1] || shape[0] != 224)
      log_warning("`input_shape` is undefined or non-square, or `rows` is not 224. Weights for input shape "
                  "(224, 224) will be loaded as the default.");
  }
  const int64_t kernel = options.minimalistic ? 3 : 5;
  const ActivationFn activation = options.minimalistic ? ActivationFn(relu) : ActivationFn(hard_swish);
  const double se_ratio = options.minimalistic ? 0 : 0.25;

  auto x = app.input();
  if (options.include_preprocessing) x = layers::Rescaling(1.0 / 127.5, {.offset = -1.0})(x);
  x = layers::Conv2D(16, 3, {.strides = 2, .padding = "same", .use_bias = false, .name = "Conv"})(x);
  x = bn(x, "Conv/BatchNorm");
  x = activation(x);
  const auto stack = [&](const auto& blocks) {
    int block_id = 0;
    for (const auto& b : blocks)
      x = inverted_res_block(x, b.expansion, depth(double(b.filters) * alpha), b.kernel ? b.kernel : kernel, b.stride,
                             b.se ? se_ratio : 0, b.model_activation ? activation : ActivationFn(relu), block_id++);
  };
  if (large) stack(large_blocks);
  else stack(small_blocks);
  const int64_t last_conv_ch = depth(double(x.shape().back() * 6));
  int64_t last_point_ch = large ? 1280 : 1024;
  if (alpha > 1.0) last_point_ch = depth(double(last_point_ch) * alpha);
  x = layers::Conv2D(last_conv_ch, 1, {.padding = "same", .use_bias = false, .name = "Conv_1"})(x);
  x = bn(x, "Conv_1/BatchNorm");
  x = activation(x);
  if (app.include_top()) {
    x = layers::GlobalAveragePooling2D({.keepdims = true})(x);
    x = layers::Conv2D(last_point_ch, 1, {.padding = "same", .use_bias = true, .name = "Conv_2"})(x);
    x = activation(x);
    if (options.dropout_rate > 0) x = layers::Dropout(options.dropout_rate)(x);
    x = layers::Conv2D(options.classes, 1, {.padding = "same", .name = "Logits"})(x);
    x = layers::Flatten()(x);
    x = layers::Activation(options.classifier_activation, {.name = "Predictions"})(x);
  } else {
    x = app.pooling(x);  // avg_pool / max_pool
  }
  if (app.imagenet()) {
    // Files exist for the arguments the checks above let through.
    const std::string key = model_type + (options.minimalistic ? "_minimalistic" : "") + "_224_" + python_float(alpha) + "_float";
    const auto& [top_md5, notop_md5] = weights_hashes().at(key);
    auto& spec = app.spec();
    const std::string top = "weights_mobilenet_v3_" + key + ".h5";
    spec.imagenet_top = {top, base_weight_path + top, top_md5};
    const std::string notop = "weights_mobilenet_v3_" + key + "_no_top_v2.h5";
    spec.imagenet_notop = {notop, base_weight_path + notop, notop_md5};
  }
  return app.model(x);
}

}  // namespace tl::applications::detail::mobilenet_v3

namespace tl::applications {

TL_INLINE Model MobileNetV3Small(const MobileNetV3Options& options) {
  return detail::mobilenet_v3::MobileNetV3(false, options);
}

TL_INLINE Model MobileNetV3Large(const MobileNetV3Options& options) {
  return detail::mobilenet_v3::MobileNetV3(true, options);
}

namespace mobilenet_v3 {

TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return x; }

TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}

}  // namespace mobilenet_v3
}  // namespace tl::applications
