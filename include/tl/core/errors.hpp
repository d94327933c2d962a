#pragma once
// Keras raises ValueError for bad arguments and shapes; tl throws the same-named C++ exception.
#include <stdexcept>
#include <string>

namespace tl {

/// Thrown for a wrong argument or an incompatible shape; the message names the argument or layer.
struct ValueError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// Thrown when a file cannot be read or written; the message names the file.
struct IOError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace detail {
/// Throws ValueError(message) unless condition holds.
inline void check(bool condition, const std::string& message) {
  if (!condition) throw ValueError(message);
}
}  // namespace detail

}  // namespace tl
