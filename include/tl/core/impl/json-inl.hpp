#pragma once
#include <tl/core/detail/python_format.hpp>
#include <tl/core/errors.hpp>
#include <tl/core/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>

namespace tl {

namespace detail {
// Scalars as Python writes them; containers with Python's separators.
TL_INLINE void write_python_json(std::string& out, const json& value) {
  if (value.is_array()) {
    out += '[';
    for (size_t i = 0; i < value.size(); ++i) {
      if (i) out += ", ";
      write_python_json(out, value[i]);
    }
    out += ']';
  } else if (value.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, member] : value.items()) {
      if (!first) out += ", ";
      first = false;
      out += json(key).dump(-1, ' ', /*ensure_ascii=*/true);
      out += ": ";
      write_python_json(out, member);
    }
    out += '}';
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    out += std::isnan(d) ? "NaN" : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity") : python_repr(d);
  } else {
    out += value.dump(-1, ' ', /*ensure_ascii=*/true);
  }
}

// Python's json writes NaN, Infinity and -Infinity for such floats; JSON has no such tokens, so outside strings
// they become marker strings (starting with a NUL, which no Keras name has) before parsing, and floats after.
struct PythonFloatToken {
  const char* token;
  double value;
};
inline const PythonFloatToken python_float_tokens[] = {{"-Infinity", -std::numeric_limits<double>::infinity()},
                                                       {"Infinity", std::numeric_limits<double>::infinity()},
                                                       {"NaN", std::numeric_limits<double>::quiet_NaN()}};

TL_INLINE std::string mark_python_floats(const std::string& text, bool& marked) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (in_string) {
      if (text[i] == '\\' && i + 1 < text.size()) out += text[i++];
      else if (text[i] == '"') in_string = false;
    } else if (text[i] == '"') {
      in_string = true;
    } else {
      const auto* match = std::find_if(std::begin(python_float_tokens), std::end(python_float_tokens),
                                       [&](const auto& t) { return text.compare(i, std::strlen(t.token), t.token) == 0; });
      if (match != std::end(python_float_tokens)) {
        out.append("\"\\u0000").append(match->token).append("\"");
        i += std::strlen(match->token) - 1;
        marked = true;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

TL_INLINE void unmark_python_floats(json& value) {
  if (value.is_structured()) {
    for (auto& member : value) unmark_python_floats(member);
    return;
  }
  if (!value.is_string()) return;
  const auto& s = value.get_ref<const std::string&>();
  if (s.empty() || s[0] != '\0') return;
  for (const auto& t : python_float_tokens)
    if (s.compare(1, std::string::npos, t.token) == 0) {
      value = t.value;  // replaces the string `s` refers to
      return;
    }
}
}  // namespace detail

TL_INLINE std::string json_dumps(const json& value) {
  std::string out;
  detail::write_python_json(out, value);
  return out;
}

TL_INLINE json json_parse(const std::string& text, const std::string& source) {
  try {
    bool marked = false;
    const auto marked_text = detail::mark_python_floats(text, marked);
    auto value = json::parse(marked ? marked_text : text);
    if (marked) detail::unmark_python_floats(value);
    return value;
  } catch (const json::exception& e) {
    throw IOError(source + " is not valid JSON: " + e.what());
  }
}

}  // namespace tl
