#pragma once
// Keras's `deserialize(config)` for tl's layers: class_name -> a factory building the layer from its config.
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/layers.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tl::models::detail {

using Value = tl::json;
namespace config = layers::config;
using LayerFactory = std::function<std::shared_ptr<layers::LayerImpl>(const Value& config)>;

inline std::string name_of(const Value& c) { return config::string_or(c, "name", ""); }
inline std::string activation_of(const Value& c) {
  const auto a = config::string_or(c, "activation", "linear");
  return a == "linear" ? "" : a;
}
inline std::string initializer_of(const Value& c, const std::string& key, const std::string& fallback) {
  const auto v = c.find(key);
  return v != c.end() && !v->is_null() ? config::initializer_name(*v) : fallback;
}
/// A Keras int-or-tuple argument (kernel_size, strides, pool_size).
inline layers::Size2 size2_of(const Value& c, const std::string& key, layers::Size2 fallback) {
  const auto v = c.find(key);
  if (v == c.end() || v->is_null()) return fallback;
  if (v->is_number_integer()) return v->get<int64_t>();
  tl::detail::check(v->is_array() && v->size() == 2, "\"" + key + "\" must be an int or a pair");
  return {(*v)[0].get<int64_t>(), (*v)[1].get<int64_t>()};
}
inline layers::Padding2D padding_of(const Value& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  tl::detail::check(v.is_array() && v.size() == 2, "ZeroPadding2D: \"padding\" must be an int, a pair or a pair of pairs");
  if (v[0].is_number_integer()) return {v[0].get<int64_t>(), v[1].get<int64_t>()};
  return {{v[0].at(0).get<int64_t>(), v[0].at(1).get<int64_t>()}, {v[1].at(0).get<int64_t>(), v[1].at(1).get<int64_t>()}};
}

inline layers::Pooling2DOptions pooling_options(const Value& c) {
  return {.pool_size = size2_of(c, "pool_size", 2), .strides = size2_of(c, "strides", None),
          .padding = config::string_or(c, "padding", "valid"), .name = name_of(c)};
}

template <class Handle>
std::shared_ptr<layers::LayerImpl> made(const Handle& h) {
  return h.ptr();
}

/// The factories of every layer class tl can load (models are handled by load_model.hpp).
inline const std::vector<std::pair<std::string, LayerFactory>>& layer_factories() {
  using namespace layers;
  static const std::vector<std::pair<std::string, LayerFactory>> table = {
      {"Dense", [](const Value& c) {
         return made(Dense(config::at(c, "units").get<int64_t>(),
                           {.activation = activation_of(c), .use_bias = config::bool_or(c, "use_bias", true),
                            .kernel_initializer = initializer_of(c, "kernel_initializer", "glorot_uniform"),
                            .bias_initializer = initializer_of(c, "bias_initializer", "zeros"), .name = name_of(c)}));
       }},
      {"Conv2D", [](const Value& c) {
         return made(Conv2D(config::at(c, "filters").get<int64_t>(), size2_of(c, "kernel_size", 1),
                            {.strides = size2_of(c, "strides", 1), .padding = config::string_or(c, "padding", "valid"),
                             .dilation_rate = size2_of(c, "dilation_rate", 1), .activation = activation_of(c),
                             .use_bias = config::bool_or(c, "use_bias", true),
                             .kernel_initializer = initializer_of(c, "kernel_initializer", "glorot_uniform"),
                             .bias_initializer = initializer_of(c, "bias_initializer", "zeros"), .name = name_of(c)}));
       }},
      {"Activation", [](const Value& c) { return made(Activation(config::at(c, "activation").get<std::string>(), {.name = name_of(c)})); }},
      {"BatchNormalization", [](const Value& c) {
         const Value axis = c.contains("axis") ? c.at("axis") : Value(-1);
         return made(BatchNormalization({.axis = axis.is_array() ? axis.at(0).get<int64_t>() : axis.get<int64_t>(),
                                         .momentum = config::double_or(c, "momentum", 0.99), .epsilon = config::double_or(c, "epsilon", 1e-3),
                                         .center = config::bool_or(c, "center", true), .scale = config::bool_or(c, "scale", true),
                                         .name = name_of(c)}));
       }},
      {"Dropout", [](const Value& c) {
         const auto seed = c.find("seed");
         return made(Dropout(config::at(c, "rate").get<double>(),
                             {.seed = seed != c.end() && !seed->is_null() ? std::optional<uint64_t>(seed->get<int64_t>())
                                                                          : std::nullopt,
                              .name = name_of(c)}));
       }},
      {"Flatten", [](const Value& c) { return made(Flatten({.name = name_of(c)})); }},
      {"Add", [](const Value& c) { return made(Add({.name = name_of(c)})); }},
      {"GlobalAveragePooling2D", [](const Value& c) {
         return made(GlobalAveragePooling2D({.keepdims = config::bool_or(c, "keepdims", false), .name = name_of(c)}));
       }},
      {"GlobalMaxPooling2D", [](const Value& c) {
         return made(GlobalMaxPooling2D({.keepdims = config::bool_or(c, "keepdims", false), .name = name_of(c)}));
       }},
      {"MaxPooling2D", [](const Value& c) { return made(MaxPooling2D(pooling_options(c))); }},
      {"AveragePooling2D", [](const Value& c) { return made(AveragePooling2D(pooling_options(c))); }},
      {"Rescaling", [](const Value& c) {
         return made(Rescaling(config::at(c, "scale").get<double>(), {.offset = config::double_or(c, "offset", 0.0), .name = name_of(c)}));
       }},
      {"ZeroPadding2D", [](const Value& c) { return made(ZeroPadding2D(padding_of(config::at(c, "padding")), {.name = name_of(c)})); }},
  };
  return table;
}

}  // namespace tl::models::detail
