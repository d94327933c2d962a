#pragma once
// Keras shapes: channels-last, batch dimension first, None (-1) for unknown sizes.
#include <cstdint>
#include <string>
#include <vector>

namespace tl {

/// A Keras shape including the batch dimension, e.g. `(None, 512, 512, 3)`; -1 stands for None.
using Shape = std::vector<int64_t>;

/// Keras's `None` inside a Shape.
inline constexpr int64_t None = -1;

/// Formats a shape as Python prints a Keras shape tuple: `(None, 2)`, `(None,)`.
inline std::string to_string(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += shape[i] < 0 ? "None" : std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

/// Number of elements of a shape without its batch dimension (all dims must be known).
inline int64_t element_count(const Shape& shape) {
  int64_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i) n *= shape[i];
  return n;
}

}  // namespace tl
