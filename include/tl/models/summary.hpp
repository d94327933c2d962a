#pragma once
// model.summary(): tf.keras 2.x's table, column for column (print_summary in keras/utils/layer_utils.py).
#include <tl/core/config.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace tl::models {

class ModelImpl;

/// summary()'s keyword arguments; 0 picks Keras's defaults (65 columns, or 98 with "Connected to").
struct SummaryOptions {
  int line_length = 0;
  std::vector<double> positions = {};
  std::ostream* out = nullptr;  ///< default std::cout
};

/// Prints Keras's summary table of `model`.
void print_summary(const ModelImpl& model, const SummaryOptions& options = {});

namespace detail {
/// `23591810` -> `23,591,810`, as Python's `{:,}`.
std::string thousands(int64_t n);
}  // namespace detail

}  // namespace tl::models

#ifdef TL_HEADER_ONLY
#include <tl/models/impl/summary-inl.hpp>
#endif
