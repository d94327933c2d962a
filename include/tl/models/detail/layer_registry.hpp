#pragma once
// Keras's `deserialize(config)` for tl's layers: class_name -> a factory building the layer from its config.
#include <tl/layers/layers.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tl::models::detail {

using io::json::Value;
using LayerFactory = std::function<std::shared_ptr<layers::LayerImpl>(const Value& config)>;

inline std::string name_of(const Value& c) { return c.get_or<std::string>("name", ""); }
inline std::string activation_of(const Value& c) {
  const auto a = c.get_or<std::string>("activation", "linear");
  return a == "linear" ? "" : a;
}
inline std::string initializer_of(const Value& c, const std::string& key, const std::string& fallback) {
  const Value* v = c.find(key);
  return v && !v->is_null() ? layers::config::initializer_name(*v) : fallback;
}
/// A Keras int-or-tuple argument (kernel_size, strides, pool_size).
inline layers::Size2 size2_of(const Value& c, const std::string& key, layers::Size2 fallback) {
  const Value* v = c.find(key);
  if (!v || v->is_null()) return fallback;
  if (v->is_int()) return v->as_int();
  tl::detail::check(v->as_array().size() == 2, "\"" + key + "\" must be an int or a pair");
  return {v->as_array()[0].as_int(), v->as_array()[1].as_int()};
}
inline layers::Padding2D padding_of(const Value& v) {
  if (v.is_int()) return v.as_int();
  const auto& a = v.as_array();
  tl::detail::check(a.size() == 2, "ZeroPadding2D: \"padding\" must be an int, a pair or a pair of pairs");
  if (a[0].is_int()) return {a[0].as_int(), a[1].as_int()};
  return {{a[0].as_array().at(0).as_int(), a[0].as_array().at(1).as_int()},
          {a[1].as_array().at(0).as_int(), a[1].as_array().at(1).as_int()}};
}

inline layers::Pooling2DOptions pooling_options(const Value& c) {
  return {.pool_size = size2_of(c, "pool_size", 2), .strides = size2_of(c, "strides", None),
          .padding = c.get_or<std::string>("padding", "valid"), .name = name_of(c)};
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
         return made(Dense(c.at("units").as_int(),
                           {.activation = activation_of(c), .use_bias = c.get_or("use_bias", true),
                            .kernel_initializer = initializer_of(c, "kernel_initializer", "glorot_uniform"),
                            .bias_initializer = initializer_of(c, "bias_initializer", "zeros"), .name = name_of(c)}));
       }},
      {"Conv2D", [](const Value& c) {
         return made(Conv2D(c.at("filters").as_int(), size2_of(c, "kernel_size", 1),
                            {.strides = size2_of(c, "strides", 1), .padding = c.get_or<std::string>("padding", "valid"),
                             .dilation_rate = size2_of(c, "dilation_rate", 1), .activation = activation_of(c),
                             .use_bias = c.get_or("use_bias", true),
                             .kernel_initializer = initializer_of(c, "kernel_initializer", "glorot_uniform"),
                             .bias_initializer = initializer_of(c, "bias_initializer", "zeros"), .name = name_of(c)}));
       }},
      {"Activation", [](const Value& c) { return made(Activation(c.at("activation").as_string(), {.name = name_of(c)})); }},
      {"BatchNormalization", [](const Value& c) {
         const Value& axis = c.find("axis") ? c.at("axis") : Value(-1);
         return made(BatchNormalization({.axis = axis.is_array() ? axis.as_array().at(0).as_int() : axis.as_int(),
                                         .momentum = c.get_or("momentum", 0.99), .epsilon = c.get_or("epsilon", 1e-3),
                                         .center = c.get_or("center", true), .scale = c.get_or("scale", true),
                                         .name = name_of(c)}));
       }},
      {"Dropout", [](const Value& c) {
         const Value* seed = c.find("seed");
         return made(Dropout(c.at("rate").as_double(),
                             {.seed = seed && !seed->is_null() ? std::optional<uint64_t>(seed->as_int()) : std::nullopt,
                              .name = name_of(c)}));
       }},
      {"Flatten", [](const Value& c) { return made(Flatten({.name = name_of(c)})); }},
      {"Add", [](const Value& c) { return made(Add({.name = name_of(c)})); }},
      {"GlobalAveragePooling2D", [](const Value& c) {
         return made(GlobalAveragePooling2D({.keepdims = c.get_or("keepdims", false), .name = name_of(c)}));
       }},
      {"GlobalMaxPooling2D", [](const Value& c) {
         return made(GlobalMaxPooling2D({.keepdims = c.get_or("keepdims", false), .name = name_of(c)}));
       }},
      {"MaxPooling2D", [](const Value& c) { return made(MaxPooling2D(pooling_options(c))); }},
      {"AveragePooling2D", [](const Value& c) { return made(AveragePooling2D(pooling_options(c))); }},
      {"Rescaling", [](const Value& c) {
         return made(Rescaling(c.at("scale").as_double(), {.offset = c.get_or("offset", 0.0), .name = name_of(c)}));
       }},
      {"ZeroPadding2D", [](const Value& c) { return made(ZeroPadding2D(padding_of(c.at("padding")), {.name = name_of(c)})); }},
  };
  return table;
}

}  // namespace tl::models::detail
