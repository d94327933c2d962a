#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/nasnet.hpp>
#include <tl/core/backend.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/cropping2d.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/pooling.hpp>
#include <tl/layers/separable_conv2d.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <algorithm>
#include <utility>

// keras/applications/nasnet.py, statement for statement, name scopes included (they name the weights). The
// structure depends on the static input size, as in Keras: correct_pad and _adjust_block read the shapes.
namespace tl::applications::detail::nasnet {

inline constexpr const char* weights_path = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/";

/// One NASNet-A configuration (NASNet's arguments besides the common ones).
struct NASNetSpec {
  int64_t penultimate_filters;
  int num_blocks;
  int64_t stem_block_filters;
  bool skip_reduction;
  int64_t default_size;
  std::string kind;  ///< "mobile" / "large": the weights files
  std::string top_md5, notop_md5;
  int64_t filter_multiplier = 2;
};

/// imagenet_utils.correct_pad: the ZeroPadding2D before a stride-2 'valid' convolution (TF 'same' for known
/// sizes, the even-size padding when the height is unknown).
TL_INLINE layers::Padding2D correct_pad(const KerasTensor& x, int64_t kernel_size) {
  const auto& shape = x.shape();
  const std::pair<int64_t, int64_t> adjust =
      shape[1] == None ? std::pair<int64_t, int64_t>{1, 1} : std::pair<int64_t, int64_t>{1 - shape[1] % 2, 1 - shape[2] % 2};
  const int64_t correct = kernel_size / 2;
  return {{correct - adjust.first, correct}, {correct - adjust.second, correct}};
}

TL_INLINE KerasTensor bn(const KerasTensor& x, const std::string& name) {
  return layers::BatchNormalization({.axis = -1, .momentum = 0.9997, .epsilon = 1e-3, .name = name})(x);
}

TL_INLINE KerasTensor relu(const KerasTensor& x, const std::string& name = "") {
  return layers::Activation("relu", {.name = name})(x);
}

TL_INLINE KerasTensor conv_1x1(const KerasTensor& x, int64_t filters, const std::string& name) {
  return layers::Conv2D(filters, 1,
                        {.strides = 1, .padding = "same", .use_bias = false, .kernel_initializer = "he_normal", .name = name})(x);
}

/// nasnet._separable_conv_block: ReLU, [correct_pad,] separable conv + BN, ReLU, separable conv + BN.
TL_INLINE KerasTensor separable_conv_block(const KerasTensor& ip, int64_t filters, int64_t kernel_size, int64_t strides,
                                           const std::string& block_id) {
  backend::NameScope scope("separable_conv_block_" + block_id);
  auto x = relu(ip);
  std::string conv_pad = "same";
  if (strides == 2) {
    x = layers::ZeroPadding2D(correct_pad(x, kernel_size), {.name = "separable_conv_1_pad_" + block_id})(x);
    conv_pad = "valid";
  }
  x = layers::SeparableConv2D(filters, kernel_size,
                              {.strides = strides, .padding = conv_pad, .use_bias = false, .name = "separable_conv_1_" + block_id})(x);
  x = bn(x, "separable_conv_1_bn_" + block_id);
  x = relu(x);
  x = layers::SeparableConv2D(filters, kernel_size, {.padding = "same", .use_bias = false, .name = "separable_conv_2_" + block_id})(x);
  return bn(x, "separable_conv_2_bn_" + block_id);
}

/// nasnet._adjust_block: matches the previous cell's output `p` to `ip`'s width (a factorized reduction) or to
/// `filters` channels (a projection); `p` undefined: `ip`.
TL_INLINE KerasTensor adjust_block(KerasTensor p, const KerasTensor& ip, int64_t filters, const std::string& block_id) {
  backend::NameScope scope("adjust_block");
  if (!p.defined()) return ip;
  const auto p_shape = p.shape(), ip_shape = ip.shape();
  if (p_shape[2] != ip_shape[2]) {  // widths (img_dim -2); unknown widths compare equal, as None == None
    backend::NameScope reduction("adjust_reduction_block_" + block_id);
    p = relu(p, "adjust_relu_1_" + block_id);
    auto p1 = layers::AveragePooling2D({.pool_size = 1, .strides = 2, .padding = "valid", .name = "adjust_avg_pool_1_" + block_id})(p);
    p1 = conv_1x1(p1, filters / 2, "adjust_conv_1_" + block_id);
    auto p2 = layers::ZeroPadding2D({{0, 1}, {0, 1}})(p);
    p2 = layers::Cropping2D({{1, 0}, {1, 0}})(p2);
    p2 = layers::AveragePooling2D({.pool_size = 1, .strides = 2, .padding = "valid", .name = "adjust_avg_pool_2_" + block_id})(p2);
    p2 = conv_1x1(p2, filters / 2, "adjust_conv_2_" + block_id);
    p = layers::concatenate({p1, p2}, {.axis = -1});
    return bn(p, "adjust_bn_" + block_id);
  }
  if (p_shape.back() != filters) {
    backend::NameScope projection("adjust_projection_block_" + block_id);
    p = relu(p);
    p = conv_1x1(p, filters, "adjust_conv_projection_" + block_id);
    return bn(p, "adjust_bn_" + block_id);
  }
  return p;
}

/// nasnet._normal_a_cell: returns (x, ip): the next cell's `p` is this cell's input.
TL_INLINE std::pair<KerasTensor, KerasTensor> normal_a_cell(const KerasTensor& ip, const KerasTensor& p_in, int64_t filters,
                                                            const std::string& block_id) {
  backend::NameScope cell("normal_A_block_" + block_id);
  const auto p = adjust_block(p_in, ip, filters, block_id);
  auto h = relu(ip);
  h = conv_1x1(h, filters, "normal_conv_1_" + block_id);
  h = bn(h, "normal_bn_1_" + block_id);
  KerasTensor x1, x2, x3, x4, x5;
  {
    backend::NameScope block("block_1");
    const auto x1_1 = separable_conv_block(h, filters, 5, 1, "normal_left1_" + block_id);
    const auto x1_2 = separable_conv_block(p, filters, 3, 1, "normal_right1_" + block_id);
    x1 = layers::add({x1_1, x1_2}, {.name = "normal_add_1_" + block_id});
  }
  {
    backend::NameScope block("block_2");
    const auto x2_1 = separable_conv_block(p, filters, 5, 1, "normal_left2_" + block_id);
    const auto x2_2 = separable_conv_block(p, filters, 3, 1, "normal_right2_" + block_id);
    x2 = layers::add({x2_1, x2_2}, {.name = "normal_add_2_" + block_id});
  }
  {
    backend::NameScope block("block_3");
    x3 = layers::AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same", .name = "normal_left3_" + block_id})(h);
    x3 = layers::add({x3, p}, {.name = "normal_add_3_" + block_id});
  }
  {
    backend::NameScope block("block_4");
    const auto x4_1 = layers::AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same", .name = "normal_left4_" + block_id})(p);
    const auto x4_2 = layers::AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same", .name = "normal_right4_" + block_id})(p);
    x4 = layers::add({x4_1, x4_2}, {.name = "normal_add_4_" + block_id});
  }
  {
    backend::NameScope block("block_5");
    x5 = separable_conv_block(h, filters, 3, 1, "normal_left5_" + block_id);
    x5 = layers::add({x5, h}, {.name = "normal_add_5_" + block_id});
  }
  const auto x = layers::concatenate({p, x1, x2, x3, x4, x5}, {.axis = -1, .name = "normal_concat_" + block_id});
  return {x, ip};
}

/// nasnet._reduction_a_cell: halves the size; returns (x, ip).
TL_INLINE std::pair<KerasTensor, KerasTensor> reduction_a_cell(const KerasTensor& ip, const KerasTensor& p_in, int64_t filters,
                                                               const std::string& block_id) {
  backend::NameScope cell("reduction_A_block_" + block_id);
  const auto p = adjust_block(p_in, ip, filters, block_id);
  auto h = relu(ip);
  h = conv_1x1(h, filters, "reduction_conv_1_" + block_id);
  h = bn(h, "reduction_bn_1_" + block_id);
  const auto h3 = layers::ZeroPadding2D(correct_pad(h, 3), {.name = "reduction_pad_1_" + block_id})(h);
  KerasTensor x1, x2, x3, x4, x5;
  {
    backend::NameScope block("block_1");
    const auto x1_1 = separable_conv_block(h, filters, 5, 2, "reduction_left1_" + block_id);
    const auto x1_2 = separable_conv_block(p, filters, 7, 2, "reduction_right1_" + block_id);
    x1 = layers::add({x1_1, x1_2}, {.name = "reduction_add_1_" + block_id});
  }
  {
    backend::NameScope block("block_2");
    const auto x2_1 = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "valid", .name = "reduction_left2_" + block_id})(h3);
    const auto x2_2 = separable_conv_block(p, filters, 7, 2, "reduction_right2_" + block_id);
    x2 = layers::add({x2_1, x2_2}, {.name = "reduction_add_2_" + block_id});
  }
  {
    backend::NameScope block("block_3");
    const auto x3_1 = layers::AveragePooling2D({.pool_size = 3, .strides = 2, .padding = "valid", .name = "reduction_left3_" + block_id})(h3);
    const auto x3_2 = separable_conv_block(p, filters, 5, 2, "reduction_right3_" + block_id);
    x3 = layers::add({x3_1, x3_2}, {.name = "reduction_add3_" + block_id});
  }
  {
    backend::NameScope block("block_4");
    x4 = layers::AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same", .name = "reduction_left4_" + block_id})(x1);
    x4 = layers::add({x2, x4});
  }
  {
    backend::NameScope block("block_5");
    const auto x5_1 = separable_conv_block(x1, filters, 3, 1, "reduction_left4_" + block_id);
    const auto x5_2 = layers::MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "valid", .name = "reduction_right5_" + block_id})(h3);
    x5 = layers::add({x5_1, x5_2}, {.name = "reduction_add4_" + block_id});
  }
  const auto x = layers::concatenate({x2, x3, x4, x5}, {.axis = -1, .name = "reduction_concat_" + block_id});
  return {x, ip};
}

TL_INLINE bool has_none(const Shape& shape) { return std::find(shape.begin(), shape.end(), None) != shape.end(); }

/// nasnet.NASNet.
TL_INLINE Model NASNet(const NASNetSpec& spec, const NASNetOptions& options) {
  const auto file = [&](bool top, const std::string& md5) {
    const std::string suffix = top ? "" : "_no_top", origin_suffix = top ? "" : "-no-top";
    return WeightsFile{"nasnet_" + spec.kind + suffix + ".h5",
                       weights_path + std::string("NASNet-") + spec.kind + origin_suffix + ".h5", md5};
  };
  const bool include_top = options.include_top;
  const int64_t default_size = spec.default_size;
  ApplicationSpec app_spec{.name = "NASNet",
                           .default_size = default_size,
                           .min_size = 32,
                           .imagenet_top = file(true, spec.top_md5),
                           .imagenet_notop = file(false, spec.notop_md5)};
  // tf.keras 2.11's rule (obtain_input_shape with require_flatten=include_top) except one named divergence: with
  // weights="imagenet" and neither top nor input_shape, the default static size, as keras_applications 1.0.8 and
  // tf.keras <= 2.9 build it: the no-top ImageNet file only loads into that structure (keras-team/keras#18365).
  app_spec.input_shape_rule = [include_top, default_size](const Shape& input_shape, bool imagenet) {
    if (imagenet && has_none(input_shape))
      throw ValueError("When specifying the input shape of a NASNet and loading `ImageNet` weights, the input_shape "
                       "argument must be static (no None entries). Got: `input_shape=" + to_string(input_shape) + "`.");
    return obtain_input_shape(input_shape, {.default_size = default_size,
                                            .min_size = 32,
                                            .require_flatten = include_top || (imagenet && input_shape.empty()),
                                            .imagenet = imagenet});
  };
  const Application app(std::move(app_spec), common_options(options));

  const int64_t filters = spec.penultimate_filters / 24, m = spec.filter_multiplier;
  auto x = layers::Conv2D(spec.stem_block_filters, 3,
                          {.strides = 2, .padding = "valid", .use_bias = false, .kernel_initializer = "he_normal", .name = "stem_conv1"})(
      app.input());
  x = bn(x, "stem_bn1");
  KerasTensor p, p0;
  std::tie(x, p) = reduction_a_cell(x, p, filters / (m * m), "stem_1");
  std::tie(x, p) = reduction_a_cell(x, p, filters / m, "stem_2");
  const int n = spec.num_blocks;
  for (int i = 0; i < n; ++i) std::tie(x, p) = normal_a_cell(x, p, filters, std::to_string(i));
  std::tie(x, p0) = reduction_a_cell(x, p, filters * m, "reduce_" + std::to_string(n));
  p = spec.skip_reduction ? p : p0;
  for (int i = 0; i < n; ++i) std::tie(x, p) = normal_a_cell(x, p, filters * m, std::to_string(n + i + 1));
  std::tie(x, p0) = reduction_a_cell(x, p, filters * m * m, "reduce_" + std::to_string(2 * n));
  p = spec.skip_reduction ? p : p0;
  for (int i = 0; i < n; ++i) std::tie(x, p) = normal_a_cell(x, p, filters * m * m, std::to_string(2 * n + i + 1));
  x = relu(x);
  // Auto-named GlobalAveragePooling2D + predictions; without the top, auto-named global pooling.
  return app.model(app.head(x, {.pool_name = ""}, {.avg = "", .max = ""}));
}

}  // namespace tl::applications::detail::nasnet

namespace tl::applications {

TL_INLINE Model NASNetMobile(const NASNetOptions& options) {
  return detail::nasnet::NASNet({.penultimate_filters = 1056,
                                 .num_blocks = 4,
                                 .stem_block_filters = 32,
                                 .skip_reduction = false,
                                 .default_size = 224,
                                 .kind = "mobile",
                                 .top_md5 = "020fb642bf7360b370c678b08e0adf61",
                                 .notop_md5 = "1ed92395b5b598bdda52abe5c0dbfd63"},
                                options);
}

TL_INLINE Model NASNetLarge(const NASNetOptions& options) {
  return detail::nasnet::NASNet({.penultimate_filters = 4032,
                                 .num_blocks = 6,
                                 .stem_block_filters = 96,
                                 .skip_reduction = true,
                                 .default_size = 331,
                                 .kind = "large",
                                 .top_md5 = "11577c9a518f0070763c2b964a382f17",
                                 .notop_md5 = "d81d89dc07e6e56530c4e77faddd61b5"},
                                options);
}

namespace nasnet {
TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return applications::preprocess_input(x, {.mode = "tf"}); }
TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}
}  // namespace nasnet

}  // namespace tl::applications
