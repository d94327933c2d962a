#pragma once
// The monitored quantity of EarlyStopping, ModelCheckpoint and ReduceLROnPlateau: its mode (min/max) and
// Keras's warnings when it is missing from the logs.
#include <tl/core/errors.hpp>
#include <tl/core/logs.hpp>

#include <iostream>
#include <limits>
#include <optional>
#include <string>

namespace tl::callbacks::detail {

/// Whether larger is better: "max", "min", or for "auto" what `auto_is_max` says about the monitor's name.
inline bool maximizes(const std::string& who, const std::string& mode, bool auto_is_max) {
  tl::detail::check(mode == "auto" || mode == "min" || mode == "max",
                    who + ": mode must be \"auto\", \"min\" or \"max\", got \"" + mode + "\"");
  return mode == "max" || (mode == "auto" && auto_is_max);
}

inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The worst possible value: where "best so far" starts (np.Inf or -np.Inf).
inline double worst(bool greater) {
  return greater ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
}

/// The names in `logs`, joined by `separator`, for warnings.
inline std::string log_names(const Logs& logs, const std::string& separator = ",") {
  std::string out;
  for (const auto& [name, value] : logs) out += (out.empty() ? "" : separator) + name;
  return out;
}

/// `logs[monitor]`, or nothing after printing Keras's warning `missing` (which gets the available names).
inline std::optional<double> monitor_value(const Logs& logs, const std::string& monitor, const std::string& missing) {
  if (logs.contains(monitor)) return logs.at(monitor);
  std::cerr << "WARNING: " << missing << log_names(logs) << std::endl;
  return std::nullopt;
}

/// A line of a callback's verbose output; Keras prints these to stdout with print_msg.
inline void print_msg(const std::string& message) { std::cout << message << std::endl; }

}  // namespace tl::callbacks::detail
