#pragma once
#include <tl/applications/detail/application.hpp>
#include <tl/applications/detail/mobile_common.hpp>
#include <tl/applications/efficientnet.hpp>
#include <tl/layers/activation.hpp>
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/depthwise_conv2d.hpp>
#include <tl/layers/dropout.hpp>
#include <tl/layers/global_pooling.hpp>
#include <tl/layers/merge.hpp>
#include <tl/layers/normalization.hpp>
#include <tl/layers/rescaling.hpp>
#include <tl/layers/reshape.hpp>
#include <tl/layers/zero_padding2d.hpp>

#include <array>
#include <cmath>

// tf.keras 2.11's keras/applications/efficientnet.py.
namespace tl::applications::detail::efficientnet {

inline constexpr const char* base_weights_path = "https://storage.googleapis.com/keras-applications/";

/// DEFAULT_BLOCKS_ARGS: kernel_size, repeats, filters_in, filters_out, expand_ratio, strides; every block has
/// id_skip and se_ratio 0.25.
struct BlockArgs {
  int64_t kernel_size, repeats, filters_in, filters_out, expand_ratio, strides;
};
inline constexpr std::array<BlockArgs, 7> default_blocks_args = {{{3, 1, 32, 16, 1, 1},
                                                                  {3, 2, 16, 24, 6, 2},
                                                                  {5, 2, 24, 40, 6, 2},
                                                                  {3, 3, 40, 80, 6, 2},
                                                                  {5, 3, 80, 112, 6, 1},
                                                                  {5, 4, 112, 192, 6, 2},
                                                                  {3, 1, 192, 320, 6, 1}}};

TL_INLINE const EfficientNetSpec& variant(int i) {
  static const std::array<EfficientNetSpec, 8> variants = {{
      {1.0, 1.0, 224, 0.2, "efficientnetb0", "902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"},
      {1.0, 1.1, 240, 0.2, "efficientnetb1", "1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"},
      {1.1, 1.2, 260, 0.3, "efficientnetb2", "b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"},
      {1.2, 1.4, 300, 0.3, "efficientnetb3", "ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"},
      {1.4, 1.8, 380, 0.4, "efficientnetb4", "18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"},
      {1.6, 2.2, 456, 0.4, "efficientnetb5", "ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"},
      {1.8, 2.6, 528, 0.5, "efficientnetb6", "165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"},
      {2.0, 3.1, 600, 0.5, "efficientnetb7", "8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"},
  }};
  return variants.at(size_t(i));
}

/// round_filters: filters · width to a multiple of 8, never 10 % below (depth_divisor 8).
TL_INLINE int64_t round_filters(int64_t filters, double width_coefficient) {
  return make_divisible(double(filters) * width_coefficient, 8);
}

/// round_repeats: ceil(depth · repeats).
TL_INLINE int64_t round_repeats(int64_t repeats, double depth_coefficient) {
  return int64_t(std::ceil(depth_coefficient * double(repeats)));
}

TL_INLINE KerasTensor bn(const KerasTensor& x, const std::string& name) {
  return layers::BatchNormalization({.axis = 3, .name = name})(x);
}

/// block(): [expand_conv, expand_bn, expand_activation], [dwconv_pad] dwconv, bn, activation, the squeeze and
/// excitation (se_squeeze, se_reshape, se_reduce, se_expand, se_excite), project_conv, project_bn, and with the
/// shape kept [drop] (drop-connect: one draw per sample) and add.
TL_INLINE KerasTensor block(const KerasTensor& inputs, double drop_rate, const std::string& name, int64_t filters_in,
                            int64_t filters_out, int64_t kernel_size, int64_t strides, int64_t expand_ratio,
                            double se_ratio = 0.25) {
  const int64_t filters = filters_in * expand_ratio;
  auto x = inputs;
  if (expand_ratio != 1) {
    x = layers::Conv2D(filters, 1, {.padding = "same", .use_bias = false, .name = name + "expand_conv"})(x);
    x = bn(x, name + "expand_bn");
    x = layers::Activation("swish", {.name = name + "expand_activation"})(x);
  }
  if (strides == 2) x = layers::ZeroPadding2D(correct_pad(x.shape(), kernel_size), {.name = name + "dwconv_pad"})(x);
  x = layers::DepthwiseConv2D(kernel_size, {.strides = strides,
                                            .padding = strides == 2 ? "valid" : "same",
                                            .use_bias = false,
                                            .name = name + "dwconv"})(x);
  x = bn(x, name + "bn");
  x = layers::Activation("swish", {.name = name + "activation"})(x);
  if (0 < se_ratio && se_ratio <= 1) {
    const int64_t filters_se = std::max<int64_t>(1, int64_t(double(filters_in) * se_ratio));
    auto se = layers::GlobalAveragePooling2D({.name = name + "se_squeeze"})(x);
    se = layers::Reshape({1, 1, filters}, {.name = name + "se_reshape"})(se);
    se = layers::Conv2D(filters_se, 1, {.padding = "same", .activation = "swish", .name = name + "se_reduce"})(se);
    se = layers::Conv2D(filters, 1, {.padding = "same", .activation = "sigmoid", .name = name + "se_expand"})(se);
    x = layers::Multiply({.name = name + "se_excite"})({x, se});
  }
  x = layers::Conv2D(filters_out, 1, {.padding = "same", .use_bias = false, .name = name + "project_conv"})(x);
  x = bn(x, name + "project_bn");
  if (strides == 1 && filters_in == filters_out) {
    if (drop_rate > 0)
      x = layers::Dropout(drop_rate, {.noise_shape = Shape{None, 1, 1, 1}, .name = name + "drop"})(x);
    x = layers::Add({.name = name + "add"})({x, inputs});
  }
  return x;
}

/// 1 / sqrt(IMAGENET_STDDEV_RGB) in float32, as `1.0 / tf.math.sqrt(...)` computes it: [2.0896919, 2.1128857,
/// 2.1081853].
TL_INLINE std::vector<double> imagenet_stddev_correction() {
  std::vector<double> out;
  for (float stddev : {0.229f, 0.224f, 0.225f}) out.push_back(double(1.0f / std::sqrt(stddev)));
  return out;
}

TL_INLINE ApplicationSpec application_spec(const EfficientNetSpec& spec) {
  const auto file = [&](const std::string& suffix, const std::string& md5) {
    const std::string fname = spec.model_name + suffix;
    return WeightsFile{fname, base_weights_path + fname, md5};
  };
  return {.name = spec.model_name,
          .default_size = spec.default_size,
          .min_size = 32,
          .imagenet_top = file(".h5", spec.top_md5),
          .imagenet_notop = file("_notop.h5", spec.notop_md5)};
}

TL_INLINE KerasTensor graph(const Application& app, const EfficientNetSpec& spec, const EfficientNetOptions& options) {
  const double width = spec.width_coefficient;
  // The stem: inputs are pixels in [0, 255].
  auto x = layers::Rescaling(1.0 / 255.0)(app.input());
  x = layers::Normalization({.axis = {3}})(x);
  // Keras's ImageNet files hold the stddev as the Normalization's variance (tensorflow#49930): ImageNet weights
  // divide once more by sqrt(stddev).
  if (app.imagenet()) x = layers::Rescaling(imagenet_stddev_correction())(x);
  x = layers::ZeroPadding2D(correct_pad(x.shape(), 3), {.name = "stem_conv_pad"})(x);
  x = layers::Conv2D(round_filters(32, width), 3,
                     {.strides = 2, .padding = "valid", .use_bias = false, .name = "stem_conv"})(x);
  x = bn(x, "stem_bn");
  x = layers::Activation("swish", {.name = "stem_activation"})(x);

  // The blocks: block<stage><a, b, ...>_, the b-th of B with drop-connect rate drop_connect_rate · b / B.
  double blocks = 0;
  for (const auto& args : default_blocks_args) blocks += double(round_repeats(args.repeats, spec.depth_coefficient));
  int64_t b = 0;
  for (size_t i = 0; i < default_blocks_args.size(); ++i) {
    auto args = default_blocks_args[i];
    args.filters_in = round_filters(args.filters_in, width);
    args.filters_out = round_filters(args.filters_out, width);
    const int64_t repeats = round_repeats(args.repeats, spec.depth_coefficient);
    for (int64_t j = 0; j < repeats; ++j) {
      if (j > 0) {
        args.strides = 1;
        args.filters_in = args.filters_out;
      }
      const std::string name = "block" + std::to_string(i + 1) + char('a' + j) + "_";
      x = block(x, options.drop_connect_rate * double(b) / blocks, name, args.filters_in, args.filters_out,
                args.kernel_size, args.strides, args.expand_ratio);
      ++b;
    }
  }

  x = layers::Conv2D(round_filters(1280, width), 1, {.padding = "same", .use_bias = false, .name = "top_conv"})(x);
  x = bn(x, "top_bn");
  x = layers::Activation("swish", {.name = "top_activation"})(x);
  // The top: avg_pool, top_dropout, predictions; without it avg_pool / max_pool.
  return app.head(x, {.dropout = spec.dropout_rate});
}

TL_INLINE Model EfficientNet(const EfficientNetSpec& spec, const EfficientNetOptions& options) {
  const Application app(application_spec(spec), common_options(options));
  return app.model(graph(app, spec, options));
}

}  // namespace tl::applications::detail::efficientnet

namespace tl::applications {

TL_INLINE Model EfficientNetB0(const EfficientNetOptions& options) {
  return detail::efficientnet::EfficientNet(detail::efficientnet::variant(0), options);
}
TL_INLINE Model EfficientNetB1(const EfficientNetOptions& options) {
  return detail::efficientnet::EfficientNet(detail::efficientnet::variant(1), options);
}
TL_INLINE Model EfficientNetB2(const EfficientNetOptions& options) {
  return detail::efficientnet::EfficientNet(detail::efficientnet::variant(2), options);
}
TL_INLINE Model EfficientNetB3(const EfficientNetOptions& options) {
  return detail::efficientnet::EfficientNet(detail::efficientnet::variant(3), options);
}
TL_INLINE Model EfficientNetB4(const EfficientNetOptions& options) {
  return detail::efficientnet::EfficientNet(detail::efficientnet::variant(4), options);
}
TL_INLINE Model EfficientNetB5(const EfficientNetOptions& options) {
  return detail::efficientnet::EfficientNet(detail::efficientnet::variant(5), options);
}
TL_INLINE Model EfficientNetB6(const EfficientNetOptions& options) {
  return detail::efficientnet::EfficientNet(detail::efficientnet::variant(6), options);
}
TL_INLINE Model EfficientNetB7(const EfficientNetOptions& options) {
  return detail::efficientnet::EfficientNet(detail::efficientnet::variant(7), options);
}

namespace efficientnet {

TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x) { return x; }

TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  return applications::decode_predictions(preds, top);
}

}  // namespace efficientnet
}  // namespace tl::applications
