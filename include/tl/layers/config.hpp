#pragma once
// Pieces of layer configs as Keras writes them: initializers as {"class_name", "config"}, tuples as arrays,
// shapes with null for None; and their reading back, for tl::models::load_model.
#include <tl/core/config.hpp>
#include <tl/core/json_fwd.hpp>
#include <tl/core/shape.hpp>

#include <string>

namespace tl::layers::config {

/// A Keras tuple such as kernel_size (3, 3): `[3, 3]`.
json pair(int64_t a, int64_t b);

/// A Keras shape: `[null, 224, 224, 3]`; and back.
json shape(const Shape& s);
Shape to_shape(const json& v);

/// Keras's activation name: "" is "linear".
json activation(const std::string& name);

/// An initializer as Keras serializes it: "glorot_uniform" -> {"class_name": "GlorotUniform", "config": {"seed": null}}.
json initializer(const std::string& name);
/// The tl name of a serialized initializer (a Keras object or a plain string).
std::string initializer_name(const json& v);

/// The member `key` of a config object; a missing key throws ValueError naming it.
const json& at(const json& config, const std::string& key);
/// The member `key` as a number, bool or string, or `fallback` when it is absent or null.
int64_t int_or(const json& config, const std::string& key, int64_t fallback);
double double_or(const json& config, const std::string& key, double fallback);
bool bool_or(const json& config, const std::string& key, bool fallback);
std::string string_or(const json& config, const std::string& key, const std::string& fallback);

}  // namespace tl::layers::config

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/config-inl.hpp>
#endif
