#pragma once
#include <tl/callbacks/detail/format_filepath.hpp>
#include <tl/core/detail/python_format.hpp>
#include <tl/core/errors.hpp>

namespace tl::callbacks::detail {

TL_INLINE std::string format_filepath(const std::string& pattern, int epoch, std::optional<int64_t> batch,
                                      const Logs& logs) {
  const auto fail = [&](const std::string& reason) {
    throw ValueError("Failed to format this callback filepath: \"" + pattern + "\". Reason: " + reason);
  };
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
      out += c, ++i;
      continue;
    }
    if (c == '}') fail("Single '}' encountered in format string");
    if (c != '{') {
      out += c;
      continue;
    }
    const size_t close = pattern.find('}', i);
    if (close == std::string::npos) fail("Single '{' encountered in format string");
    const std::string field = pattern.substr(i + 1, close - i - 1);
    const size_t colon = field.find(':');
    const std::string name = field.substr(0, colon), spec = colon == std::string::npos ? "" : field.substr(colon + 1);
    try {
      if (name == "epoch") out += tl::detail::python_format(epoch, true, spec);
      else if (name == "batch" && batch && !logs.contains("batch")) out += tl::detail::python_format(double(*batch), true, spec);
      else if (logs.contains(name)) out += tl::detail::python_format(double(float(logs.at(name))), false, spec);  // Keras logs are float32
      else fail("'" + name + "'");
    } catch (const ValueError& e) {
      if (std::string(e.what()).rfind("Failed to format", 0) == 0) throw;
      fail(e.what());
    }
    i = close;
  }
  return out;
}

}  // namespace tl::callbacks::detail
