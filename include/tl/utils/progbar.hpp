#pragma once
// keras.utils.Progbar: `16/16 [==============================] - 45s 3s/step - loss: 0.5100`.
#include <tl/core/config.hpp>
#include <tl/core/logs.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace tl::utils {

struct ProgbarOptions {
  int width = 30;
  int verbose = 1;
  double interval = 0.05;  ///< seconds between terminal refreshes
  std::string unit_name = "step";
  /// Rewrite the line in place (a terminal). Default: whether stdout is a terminal, as Keras decides.
  int dynamic_display = -1;
  std::ostream* out = nullptr;  ///< default std::cout
};

/// Keras's progress bar. Values passed to update() are printed as given (Keras's stateful metrics).
/// Example: `tl::utils::Progbar bar(10); for (int i = 1; i <= 10; ++i) bar.update(i, {{"loss", 0.5}});`
class Progbar {
 public:
  explicit Progbar(int64_t target, ProgbarOptions options = {});

  /// Keras's `update(current, values, finalize)`: finalize defaults to current >= target.
  void update(int64_t current, const Logs& values = {}, int finalize = -1);

  /// Formats a per-step time as Keras: `3s/step`, `250ms/step`, `80us/step`.
  static std::string format_time(double per_unit, const std::string& unit);
  /// Formats one value as Keras: `%.4f`, or `%.4e` when its magnitude is at most 1e-3.
  static std::string format_value(double v);

 private:
  static double now();
  std::string bar(int64_t current) const;
  double step_duration(int64_t current, double t) const;
  std::string values_text() const;
  void print_verbose1(int64_t current, double t, bool final);
  // Keras's verbose=2 line: `16/16 - 45s - loss: 0.5100 - 45s/epoch - 3s/step`.
  void print_verbose2(int64_t current, double t);
  static std::string eta(double seconds);

  int64_t target_;
  ProgbarOptions o_;
  std::ostream& out_;
  bool dynamic_ = false;
  double start_, last_update_ = 0, time_after_first_step_ = 0;
  size_t prev_width_ = 0;
  Logs values_;
};

}  // namespace tl::utils

#ifdef TL_HEADER_ONLY
#include <tl/utils/impl/progbar-inl.hpp>
#endif
