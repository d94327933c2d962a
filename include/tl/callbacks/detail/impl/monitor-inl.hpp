#pragma once
#include <tl/callbacks/detail/monitor.hpp>
#include <tl/core/errors.hpp>

#include <iostream>
#include <limits>

namespace tl::callbacks::detail {

TL_INLINE bool maximizes(const std::string& who, const std::string& mode, bool auto_is_max) {
  tl::detail::check(mode == "auto" || mode == "min" || mode == "max",
                    who + ": mode must be \"auto\", \"min\" or \"max\", got \"" + mode + "\"");
  return mode == "max" || (mode == "auto" && auto_is_max);
}

TL_INLINE bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TL_INLINE double worst(bool greater) {
  return greater ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
}

TL_INLINE std::string log_names(const Logs& logs, const std::string& separator) {
  std::string out;
  for (const auto& [name, value] : logs) out += (out.empty() ? "" : separator) + name;
  return out;
}

TL_INLINE std::optional<double> monitor_value(const Logs& logs, const std::string& monitor,
                                              const std::string& missing) {
  if (logs.contains(monitor)) return logs.at(monitor);
  std::cerr << "WARNING: " << missing << log_names(logs) << std::endl;
  return std::nullopt;
}

TL_INLINE void print_msg(const std::string& message) { std::cout << message << std::endl; }

}  // namespace tl::callbacks::detail
