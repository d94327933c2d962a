#pragma once
// The monitored quantity of EarlyStopping, ModelCheckpoint and ReduceLROnPlateau: its mode (min/max) and
// Keras's warnings when it is missing from the logs.
#include <tl/core/config.hpp>
#include <tl/core/logs.hpp>

#include <optional>
#include <string>

namespace tl::callbacks::detail {

/// Whether larger is better: "max", "min", or for "auto" what `auto_is_max` says about the monitor's name.
bool maximizes(const std::string& who, const std::string& mode, bool auto_is_max);

bool ends_with(const std::string& s, const std::string& suffix);

/// The worst possible value: where "best so far" starts (np.Inf or -np.Inf).
double worst(bool greater);

/// The names in `logs`, joined by `separator`, for warnings.
std::string log_names(const Logs& logs, const std::string& separator = ",");

/// `logs[monitor]`, or nothing after printing Keras's warning `missing` (which gets the available names).
std::optional<double> monitor_value(const Logs& logs, const std::string& monitor, const std::string& missing);

/// A line of a callback's verbose output; Keras prints these to stdout with print_msg.
void print_msg(const std::string& message);

}  // namespace tl::callbacks::detail

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/detail/impl/monitor-inl.hpp>
#endif
