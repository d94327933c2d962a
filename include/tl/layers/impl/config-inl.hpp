#pragma once
#include <tl/core/backend.hpp>
#include <tl/core/errors.hpp>
#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>

#include <cctype>

namespace tl::layers::config {

TL_INLINE json pair(int64_t a, int64_t b) { return json::array({a, b}); }

TL_INLINE json shape(const Shape& s) {
  auto out = json::array();
  for (auto d : s) out.push_back(d == None ? json(nullptr) : json(d));
  return out;
}

TL_INLINE Shape to_shape(const json& v) {
  detail::check(v.is_array(), "a shape must be a list, got " + v.dump());
  Shape s;
  for (const auto& d : v) s.push_back(d.is_null() ? None : d.get<int64_t>());
  return s;
}

TL_INLINE json activation(const std::string& name) { return name.empty() ? "linear" : name; }

TL_INLINE json initializer(const std::string& name) {
  std::string class_name;
  bool upper = true;
  for (char c : name) {
    if (c == '_') upper = true;
    else class_name += upper ? char(std::toupper(static_cast<unsigned char>(c))) : c, upper = false;
  }
  const bool random = name.find("uniform") != std::string::npos || name.find("normal") != std::string::npos;
  return json{{"class_name", class_name}, {"config", random ? json{{"seed", nullptr}} : json::object()}};
}

TL_INLINE std::string initializer_name(const json& v) {
  return v.is_string() ? v.get<std::string>() : backend::to_snake_case(at(v, "class_name").get<std::string>());
}

TL_INLINE const json& at(const json& config, const std::string& key) {
  detail::check(config.is_object(), "a config must be a JSON object, got " + config.dump());
  const auto it = config.find(key);
  if (it == config.end()) throw ValueError("JSON object has no key \"" + key + "\"");
  return *it;
}

namespace detail {
// The member, or nullptr when it is absent or null.
TL_INLINE const json* member(const json& config, const std::string& key) {
  const auto it = config.find(key);
  return it == config.end() || it->is_null() ? nullptr : &*it;
}
}  // namespace detail

TL_INLINE int64_t int_or(const json& config, const std::string& key, int64_t fallback) {
  const auto* v = detail::member(config, key);
  return v ? v->get<int64_t>() : fallback;
}
TL_INLINE double double_or(const json& config, const std::string& key, double fallback) {
  const auto* v = detail::member(config, key);
  return v ? v->get<double>() : fallback;
}
TL_INLINE bool bool_or(const json& config, const std::string& key, bool fallback) {
  const auto* v = detail::member(config, key);
  return v ? v->get<bool>() : fallback;
}
TL_INLINE std::string string_or(const json& config, const std::string& key, const std::string& fallback) {
  const auto* v = detail::member(config, key);
  return v ? v->get<std::string>() : fallback;
}

}  // namespace tl::layers::config
