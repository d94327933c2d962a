#pragma once
// Moved: Keras's layer deserialization is tl::layers::deserialize (<tl/layers/deserialize.hpp>). This header
// keeps the old names for load_model.hpp until it calls tl::layers::deserialize(entry) itself.
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/deserialize.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tl::models::detail {

using Value = tl::json;
namespace config = layers::config;
using LayerFactory = std::function<std::shared_ptr<layers::LayerImpl>(const Value& config)>;

inline std::string name_of(const Value& c) { return config::string_or(c, "name", ""); }

/// tl::layers::layer_factories() with the config as the only argument (TFOpLambda, whose constant is in the
/// inbound node, needs tl::layers::deserialize(entry)).
inline const std::vector<std::pair<std::string, LayerFactory>>& layer_factories() {
  static const auto table = [] {
    std::vector<std::pair<std::string, LayerFactory>> out;
    for (const auto& [name, make] : layers::layer_factories())
      out.emplace_back(name, [make = make](const Value& c) { return make(c, Value::object()); });
    return out;
  }();
  return table;
}

}  // namespace tl::models::detail
