#pragma once
// A minimal JSON value, writer and parser: enough for Keras's `model_config` and small metadata files.
// Objects keep their insertion order and numbers are written as Python's json.dumps writes them.
#include <tl/core/detail/python_format.hpp>
#include <tl/core/errors.hpp>

#include <cstdint>
#include <type_traits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tl::io::json {

/// A JSON value: null, bool, integer, float, string, array or (ordered) object.
///   json::Value v = json::Object{{"units", 2}, {"activation", "softmax"}};
///   int64_t units = v.at("units").as_int();
class Value {
 public:
  using Array = std::vector<Value>;
  using Object = std::vector<std::pair<std::string, Value>>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(int64_t(i)) {}
  Value(int64_t i) : v_(i) {}
  Value(double d) : v_(d) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  bool is_null() const { return holds<std::nullptr_t>(); }
  bool is_bool() const { return holds<bool>(); }
  bool is_int() const { return holds<int64_t>(); }
  bool is_number() const { return holds<int64_t>() || holds<double>(); }
  bool is_string() const { return holds<std::string>(); }
  bool is_array() const { return holds<Array>(); }
  bool is_object() const { return holds<Object>(); }

  bool as_bool() const { return get<bool>("a boolean"); }
  int64_t as_int() const { return get<int64_t>("an integer"); }
  double as_double() const { return is_int() ? double(as_int()) : get<double>("a number"); }
  const std::string& as_string() const { return get<std::string>("a string"); }
  const Array& as_array() const { return get<Array>("an array"); }
  const Object& as_object() const { return get<Object>("an object"); }

  /// The member `key` of an object, or nullptr.
  const Value* find(const std::string& key) const {
    for (const auto& [k, v] : as_object())
      if (k == key) return &v;
    return nullptr;
  }
  /// The member `key` of an object; throws ValueError naming the key.
  const Value& at(const std::string& key) const {
    if (const Value* v = find(key)) return *v;
    throw ValueError("JSON object has no key \"" + key + "\"");
  }
  /// The member `key`, or `fallback` when it is absent or null.
  template <class T>
  T get_or(const std::string& key, T fallback) const;
  /// Sets (or adds, at the end) the member `key` of an object.
  Value& set(const std::string& key, Value value) {
    auto& object = std::get<Object>(v_);
    for (auto& [k, v] : object)
      if (k == key) return v = std::move(value);
    return object.emplace_back(key, std::move(value)).second;
  }

  template <class T>
  const T* if_holds() const { return std::get_if<T>(&v_); }

 private:
  template <class T>
  bool holds() const { return std::holds_alternative<T>(v_); }
  template <class T>
  const T& get(const char* what) const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    throw ValueError(std::string("JSON value is not ") + what);
  }

  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array, Object> v_ = nullptr;
};

using Array = Value::Array;
using Object = Value::Object;

template <class T>
T Value::get_or(const std::string& key, T fallback) const {
  const Value* v = find(key);
  if (!v || v->is_null()) return fallback;
  if constexpr (std::is_same_v<T, bool>) return v->as_bool();
  else if constexpr (std::is_integral_v<T>) return T(v->as_int());
  else if constexpr (std::is_floating_point_v<T>) return T(v->as_double());
  else return T(v->as_string());
}

namespace detail {

inline void write_string(std::string& out, const std::string& s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

inline std::string python_json_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return tl::detail::python_repr(d);
}

inline void write(std::string& out, const Value& v) {
  if (v.is_null()) out += "null";
  else if (v.is_bool()) out += v.as_bool() ? "true" : "false";
  else if (v.is_int()) out += std::to_string(v.as_int());
  else if (v.is_number()) out += python_json_float(v.as_double());
  else if (v.is_string()) write_string(out, v.as_string());
  else if (v.is_array()) {
    out += '[';
    for (size_t i = 0; i < v.as_array().size(); ++i) {
      if (i) out += ", ";
      write(out, v.as_array()[i]);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (const auto& [k, member] : v.as_object()) {
      if (!std::exchange(first, false)) out += ", ";
      write_string(out, k);
      out += ": ";
      write(out, member);
    }
    out += '}';
  }
}

}  // namespace detail

/// The JSON text of `v`, as Python's `json.dumps(v)` writes it (", " and ": " separators).
inline std::string dump(const Value& v) {
  std::string out;
  detail::write(out, v);
  return out;
}

}  // namespace tl::io::json

#include <tl/io/detail/json_parser.hpp>
