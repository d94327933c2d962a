#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/deserialize.hpp>
#include <tl/layers/image_augmentation_factories.hpp>
#include <tl/layers/layers.hpp>

#include <algorithm>
#include <cctype>

namespace tl::layers {

namespace deserialize_detail {

TL_INLINE std::string name_of(const json& c) { return config::string_or(c, "name", ""); }

TL_INLINE std::string activation_of(const json& c) {
  const auto a = config::string_or(c, "activation", "linear");
  return a == "linear" ? "" : a;
}

TL_INLINE std::string initializer_of(const json& c, const std::string& key, const std::string& fallback) {
  const auto v = c.find(key);
  return v != c.end() && !v->is_null() ? config::initializer_name(*v) : fallback;
}

TL_INLINE std::string padding_of(const json& c) {
  auto p = config::string_or(c, "padding", "valid");
  for (auto& ch : p) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return p;
}

/// A Keras int-or-tuple argument (kernel_size, strides, pool_size).
TL_INLINE Size2 size2_of(const json& c, const std::string& key, Size2 fallback) {
  const auto v = c.find(key);
  if (v == c.end() || v->is_null()) return fallback;
  if (v->is_number_integer()) return v->get<int64_t>();
  tl::detail::check(v->is_array() && v->size() == 2, "\"" + key + "\" must be an int or a pair, got " + v->dump());
  return {(*v)[0].get<int64_t>(), (*v)[1].get<int64_t>()};
}

/// ZeroPadding2D's padding, Cropping2D's cropping: an int, a pair, or a pair of pairs.
TL_INLINE Padding2D padding2d_of(const json& v, const std::string& key) {
  if (v.is_number_integer()) return v.get<int64_t>();
  tl::detail::check(v.is_array() && v.size() == 2, "\"" + key + "\" must be an int, a pair or a pair of pairs, got " +
                                                       v.dump());
  const auto pair = [&](const json& p) -> std::pair<int64_t, int64_t> {
    if (p.is_number_integer()) return {p.get<int64_t>(), p.get<int64_t>()};
    tl::detail::check(p.is_array() && p.size() == 2, "\"" + key + "\" entries must be ints or pairs, got " + v.dump());
    return {p[0].get<int64_t>(), p[1].get<int64_t>()};
  };
  return {pair(v[0]), pair(v[1])};
}

/// A number or a list of numbers (Rescaling's scale, Normalization's mean).
TL_INLINE Scalars scalars_of(const json& v, const std::string& key) {
  if (v.is_number()) return v.get<double>();
  tl::detail::check(v.is_array(), "\"" + key + "\" must be a number or a list of numbers, got " + v.dump());
  std::vector<double> values;
  for (const auto& x : v) values.push_back(x.get<double>());
  return values;
}

TL_INLINE std::vector<int64_t> ints_of(const json& v, const std::string& key) {
  if (v.is_number_integer()) return {v.get<int64_t>()};
  tl::detail::check(v.is_array(), "\"" + key + "\" must be an int or a list of ints, got " + v.dump());
  std::vector<int64_t> out;
  for (const auto& x : v) out.push_back(x.get<int64_t>());
  return out;
}

TL_INLINE void check_channels_last(const json& c) {
  const auto format = config::string_or(c, "data_format", "channels_last");
  tl::detail::check(format == "channels_last", "tl computes channels_last (NHWC) layers only, got data_format \"" +
                                                   format + "\"");
}

TL_INLINE Pooling2DOptions pooling_options(const json& c) {
  check_channels_last(c);
  return {.pool_size = size2_of(c, "pool_size", 2), .strides = size2_of(c, "strides", None),
          .padding = padding_of(c), .name = name_of(c)};
}

template <class Handle>
std::shared_ptr<LayerImpl> made(const Handle& h) {
  return h.ptr();
}

}  // namespace deserialize_detail

TL_INLINE const std::vector<std::pair<std::string, LayerFactory>>& layer_factories() {
  using namespace deserialize_detail;
  using C = const json&;
  static const auto table = [] {
    std::vector<std::pair<std::string, LayerFactory>> table = {
        {"Activation", [](C c, C) { return made(Activation(config::at(c, "activation").get<std::string>(), {.name = name_of(c)})); }},
        {"Add", [](C c, C) { return made(Add({.name = name_of(c)})); }},
        {"AveragePooling2D", [](C c, C) { return made(AveragePooling2D(pooling_options(c))); }},
        {"BatchNormalization", [](C c, C) {
           const json axis = c.contains("axis") ? c.at("axis") : json(-1);
           tl::detail::check(!axis.is_array() || axis.size() == 1, "tl normalizes one axis, got \"axis\": " + axis.dump());
           return made(BatchNormalization({.axis = axis.is_array() ? axis.at(0).get<int64_t>() : axis.get<int64_t>(),
                                           .momentum = config::double_or(c, "momentum", 0.99),
                                           .epsilon = config::double_or(c, "epsilon", 1e-3),
                                           .center = config::bool_or(c, "center", true),
                                           .scale = config::bool_or(c, "scale", true), .name = name_of(c)}));
         }},
        {"Concatenate", [](C c, C) { return made(Concatenate({.axis = config::int_or(c, "axis", -1), .name = name_of(c)})); }},
        {"Conv2D", [](C c, C) {
           check_channels_last(c);
           tl::detail::check(config::int_or(c, "groups", 1) == 1, "tl's Conv2D has groups=1 only");
           return made(Conv2D(config::at(c, "filters").get<int64_t>(), size2_of(c, "kernel_size", 1),
                              {.strides = size2_of(c, "strides", 1), .padding = padding_of(c),
                               .dilation_rate = size2_of(c, "dilation_rate", 1), .activation = activation_of(c),
                               .use_bias = config::bool_or(c, "use_bias", true),
                               .kernel_initializer = initializer_of(c, "kernel_initializer", "glorot_uniform"),
                               .bias_initializer = initializer_of(c, "bias_initializer", "zeros"), .name = name_of(c)}));
         }},
        {"Cropping2D", [](C c, C) {
           check_channels_last(c);
           const auto v = c.find("cropping");
           return made(Cropping2D(v == c.end() ? Padding2D(0) : padding2d_of(*v, "cropping"), {.name = name_of(c)}));
         }},
        {"Dense", [](C c, C) {
           return made(Dense(config::at(c, "units").get<int64_t>(),
                             {.activation = activation_of(c), .use_bias = config::bool_or(c, "use_bias", true),
                              .kernel_initializer = initializer_of(c, "kernel_initializer", "glorot_uniform"),
                              .bias_initializer = initializer_of(c, "bias_initializer", "zeros"), .name = name_of(c)}));
         }},
        {"DepthwiseConv2D", [](C c, C) {
           check_channels_last(c);
           return made(DepthwiseConv2D(
               size2_of(c, "kernel_size", 1),
               {.strides = size2_of(c, "strides", 1), .padding = padding_of(c),
                .depth_multiplier = config::int_or(c, "depth_multiplier", 1),
                .dilation_rate = size2_of(c, "dilation_rate", 1), .activation = activation_of(c),
                .use_bias = config::bool_or(c, "use_bias", true),
                .depthwise_initializer = initializer_of(c, "depthwise_initializer", "glorot_uniform"),
                .bias_initializer = initializer_of(c, "bias_initializer", "zeros"), .name = name_of(c)}));
         }},
        {"Dropout", [](C c, C) {
           const auto seed = c.find("seed");
           const auto noise = c.find("noise_shape");
           return made(Dropout(config::at(c, "rate").get<double>(),
                               {.noise_shape = noise != c.end() && !noise->is_null() ? std::optional<Shape>(config::to_shape(*noise))
                                                                                     : std::nullopt,
                                .seed = seed != c.end() && !seed->is_null() ? std::optional<uint64_t>(seed->get<int64_t>())
                                                                            : std::nullopt,
                                .name = name_of(c)}));
         }},
        {"Flatten", [](C c, C) {
           check_channels_last(c);
           return made(Flatten({.name = name_of(c)}));
         }},
        {"GlobalAveragePooling2D", [](C c, C) {
           check_channels_last(c);
           return made(GlobalAveragePooling2D({.keepdims = config::bool_or(c, "keepdims", false), .name = name_of(c)}));
         }},
        {"GlobalMaxPooling2D", [](C c, C) {
           check_channels_last(c);
           return made(GlobalMaxPooling2D({.keepdims = config::bool_or(c, "keepdims", false), .name = name_of(c)}));
         }},
        {"InputLayer", [](C c, C) -> std::shared_ptr<LayerImpl> {
           const auto shape = config::to_shape(config::at(c, "batch_input_shape"));
           tl::detail::check(!shape.empty(), "empty batch_input_shape");
           return std::make_shared<InputLayerImpl>(Shape(shape.begin() + 1, shape.end()),
                                                   InputOptions{.name = name_of(c), .batch_size = shape[0]});
         }},
        {"Lambda", [](C c, C) {
           tl::detail::check(ScaledResidualImpl::recognizes(c),
                             "a Lambda layer holds Python code, which tl cannot run. tl loads one Lambda: "
                             "InceptionResNetV2's scaled residual inputs[0] + inputs[1] * scale (tl::layers::"
                             "ScaledResidual, \"function\": \"tl_scaled_residual\", or Keras's own from the module "
                             "keras.applications.inception_resnet_v2 with the single argument \"scale\")");
           const auto shape = c.find("output_shape");
           const bool raw_shape = shape != c.end() && shape->is_array() &&
                                  config::string_or(c, "output_shape_type", "raw") == "raw";
           return made(ScaledResidual(c.at("arguments").at("scale").get<double>(),
                                      {.output_shape = raw_shape ? std::optional<Shape>(config::to_shape(*shape)) : std::nullopt,
                                       .name = name_of(c)}));
         }},
        {"MaxPooling2D", [](C c, C) { return made(MaxPooling2D(pooling_options(c))); }},
        {"Multiply", [](C c, C) { return made(Multiply({.name = name_of(c)})); }},
        {"Normalization", [](C c, C) {
           const auto axis = c.find("axis");
           const auto mean = c.find("mean");
           const auto variance = c.find("variance");
           const auto optional_scalars = [](auto it, const json& cfg, const std::string& key) {
             return it == cfg.end() || it->is_null() ? Scalars() : scalars_of(*it, key);
           };
           return made(Normalization({.axis = axis == c.end() ? std::vector<int64_t>{-1}
                                              : axis->is_null() ? std::vector<int64_t>{}
                                                                : ints_of(*axis, "axis"),
                                      .mean = optional_scalars(mean, c, "mean"),
                                      .variance = optional_scalars(variance, c, "variance"),
                                      .invert = config::bool_or(c, "invert", false), .name = name_of(c)}));
         }},
        {"ReLU", [](C c, C) {
           const auto max_value = c.find("max_value");
           return made(ReLU({.max_value = max_value == c.end() || max_value->is_null() ? std::nullopt
                                                                                      : std::optional<double>(max_value->get<double>()),
                             .negative_slope = config::double_or(c, "negative_slope", 0.0),
                             .threshold = config::double_or(c, "threshold", 0.0), .name = name_of(c)}));
         }},
        {"Rescaling", [](C c, C) {
           const auto offset = c.find("offset");
           return made(Rescaling(scalars_of(config::at(c, "scale"), "scale"),
                                 {.offset = offset == c.end() || offset->is_null() ? Scalars(0.0) : scalars_of(*offset, "offset"),
                                  .name = name_of(c)}));
         }},
        {"Reshape", [](C c, C) {
           return made(Reshape(ints_of(config::at(c, "target_shape"), "target_shape"), {.name = name_of(c)}));
         }},
        {"SeparableConv2D", [](C c, C) {
           check_channels_last(c);
           return made(SeparableConv2D(
               config::at(c, "filters").get<int64_t>(), size2_of(c, "kernel_size", 1),
               {.strides = size2_of(c, "strides", 1), .padding = padding_of(c),
                .dilation_rate = size2_of(c, "dilation_rate", 1),
                .depth_multiplier = config::int_or(c, "depth_multiplier", 1), .activation = activation_of(c),
                .use_bias = config::bool_or(c, "use_bias", true),
                .depthwise_initializer = initializer_of(c, "depthwise_initializer", "glorot_uniform"),
                .pointwise_initializer = initializer_of(c, "pointwise_initializer", "glorot_uniform"),
                .bias_initializer = initializer_of(c, "bias_initializer", "zeros"), .name = name_of(c)}));
         }},
        {"TFOpLambda", [](C c, C kwargs) {
           const auto y = kwargs.find("y");
           tl::detail::check(y != kwargs.end() && y->is_number(),
                             "the operand \"y\" of TFOpLambda is a call argument, written into the model config's "
                             "inbound node ([\"x\", 0, 0, {\"y\": 3.0, \"name\": null}]), and this entry has none");
           return made(TFOpLambda(config::at(c, "function").get<std::string>(), y->get<double>(), {.name = name_of(c)}));
         }},
        {"ZeroPadding2D", [](C c, C) {
           check_channels_last(c);
           return made(ZeroPadding2D(padding2d_of(config::at(c, "padding"), "padding"), {.name = name_of(c)}));
         }},
    };
    // The augmentation layers keep their factories beside them (image_augmentation_factories.hpp); they need no call
    // arguments. One table, sorted by class name as above.
    for (const auto& [name, factory] : image_augmentation_factories())
      table.emplace_back(name, [factory = factory](C c, C) { return factory(c); });
    std::sort(table.begin(), table.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return table;
  }();
  return table;
}

TL_INLINE std::string deserializable_class_names() {
  std::string names;
  for (const auto& [name, make] : layer_factories()) names.append(names.empty() ? "" : ", ").append(name);
  return names;
}

TL_INLINE json first_call_kwargs(const json& entry) {
  const auto nodes = entry.find("inbound_nodes");
  if (nodes == entry.end() || !nodes->is_array() || nodes->empty()) return json::object();
  const json& node = nodes->at(0);
  // A bare reference ["x", 0, 0, {...}] (TFOpLambda) or a list of them [["x", 0, 0, {...}], ...].
  const json& ref = node.is_array() && !node.empty() && node[0].is_array() ? node[0] : node;
  if (ref.is_array() && ref.size() >= 4 && ref[3].is_object()) return ref[3];
  return json::object();
}

TL_INLINE std::shared_ptr<LayerImpl> deserialize(const json& entry) {
  const auto class_name = config::at(entry, "class_name").get<std::string>();
  const json& c = config::at(entry, "config");
  const std::string prefix = "Layer \"" + deserialize_detail::name_of(c) + "\" (" + class_name + "): ";
  std::shared_ptr<LayerImpl> layer;
  for (const auto& [name, make] : layer_factories()) {
    if (name != class_name) continue;
    try {
      layer = make(c, first_call_kwargs(entry));
    } catch (const ValueError& e) {  // the layers' own messages start with the prefix already
      const std::string message = e.what();
      throw ValueError(message.rfind(prefix, 0) == 0 ? message : prefix + message);
    } catch (const json::exception& e) {  // a value of the wrong type, e.g. "units": "two"
      throw ValueError(prefix + e.what());
    }
  }
  if (!layer) throw ValueError("Unknown layer: '" + class_name + "'. tl can load: " + deserializable_class_names() + ".");
  if (!config::bool_or(c, "trainable", true)) layer->set_trainable(false);
  return layer;
}

}  // namespace tl::layers
