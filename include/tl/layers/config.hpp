#pragma once
// Pieces of layer configs as Keras writes them: initializers as {"class_name", "config"}, tuples as arrays,
// shapes with null for None; and their reading back, for tl::models::load_model.
#include <tl/core/backend.hpp>
#include <tl/core/shape.hpp>
#include <tl/io/detail/json.hpp>

#include <string>

namespace tl::layers::config {

using io::json::Value;

/// A Keras tuple such as kernel_size (3, 3): `[3, 3]`.
inline Value pair(int64_t a, int64_t b) { return io::json::Array{a, b}; }

/// A Keras shape: `[null, 224, 224, 3]`.
inline Value shape(const Shape& s) {
  io::json::Array out;
  for (auto d : s) {
    if (d == None) out.emplace_back();
    else out.emplace_back(d);
  }
  return out;
}
inline Shape to_shape(const Value& v) {
  Shape s;
  for (const auto& d : v.as_array()) s.push_back(d.is_null() ? None : d.as_int());
  return s;
}

/// Keras's activation name: "" is "linear".
inline Value activation(const std::string& name) { return name.empty() ? "linear" : name; }

/// An initializer as Keras serializes it: "glorot_uniform" -> {"class_name": "GlorotUniform", "config": {"seed": null}}.
inline Value initializer(const std::string& name) {
  std::string class_name;
  bool upper = true;
  for (char c : name) {
    if (c == '_') upper = true;
    else class_name += upper ? char(std::toupper(static_cast<unsigned char>(c))) : c, upper = false;
  }
  const bool random = name.find("uniform") != std::string::npos || name.find("normal") != std::string::npos;
  return io::json::Object{{"class_name", class_name},
                          {"config", random ? io::json::Object{{"seed", nullptr}} : io::json::Object{}}};
}
/// The tl name of a serialized initializer (a Keras object or a plain string).
inline std::string initializer_name(const Value& v) {
  return v.is_string() ? v.as_string() : backend::to_snake_case(v.at("class_name").as_string());
}

}  // namespace tl::layers::config
