#pragma once
// Numbers printed as Python prints them: Keras's messages, CSV rows and JSON use `repr(float)` and format specs
// such as `{epoch:02d}` / `{val_loss:.2f}`; tl prints the same text.
#include <tl/core/config.hpp>

#include <string>

namespace tl::detail {

/// Python's `repr(float)`: the shortest text that reads back as `value`, fixed for exponents in [-4, 16), else
/// scientific with a two-digit exponent ("0.0001", "1e-05", "1e+16", "inf", "nan").
std::string python_repr(double value);

/// A Python format spec, the subset Keras's file names use: `[0][width][.precision][d|f|e|g]`.
struct FormatSpec {
  bool zero_pad = false;
  int width = 0;
  int precision = -1;
  char type = 0;
};

/// Parses a format spec; anything outside the subset throws ValueError naming it.
FormatSpec parse_format_spec(const std::string& spec);

/// Python's `format(value, spec)` for a number; `is_int` tells an int (epoch) from a float (a metric).
std::string python_format(double value, bool is_int, const std::string& spec);

}  // namespace tl::detail

#ifdef TL_HEADER_ONLY
#include <tl/core/detail/impl/python_format-inl.hpp>
#endif
