#pragma once
// keras.utils.Progbar: `16/16 [==============================] - 45s 3s/step - loss: 0.5100`.
#include <tl/core/logs.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

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
class Progbar {
 public:
  explicit Progbar(int64_t target, ProgbarOptions options = {})
      : target_(target), o_(std::move(options)), out_(o_.out ? *o_.out : std::cout), start_(now()) {
    dynamic_ = o_.dynamic_display >= 0 ? o_.dynamic_display == 1 : isatty(fileno(stdout)) == 1;
  }

  /// Keras's `update(current, values, finalize)`: finalize defaults to current >= target.
  void update(int64_t current, const Logs& values = {}, int finalize = -1) {
    const bool final = finalize >= 0 ? finalize == 1 : current >= target_;
    for (const auto& [k, v] : values) values_.set(k, v);
    const double t = now();
    if (current == 1) time_after_first_step_ = t;
    if (o_.verbose == 1 && (final || dynamic_)) print_verbose1(current, t, final);
    if (o_.verbose == 2 && final) print_verbose2(current, t);
    last_update_ = t;
  }

  /// Formats a per-step time as Keras: `3s/step`, `250ms/step`, `80us/step`.
  static std::string format_time(double per_unit, const std::string& unit) {
    char buf[64];
    if (per_unit >= 1 || per_unit == 0) std::snprintf(buf, sizeof buf, "%.0fs/%s", per_unit, unit.c_str());
    else if (per_unit >= 1e-3) std::snprintf(buf, sizeof buf, "%.0fms/%s", per_unit * 1e3, unit.c_str());
    else std::snprintf(buf, sizeof buf, "%.0fus/%s", per_unit * 1e6, unit.c_str());
    return buf;
  }
  /// Formats one value as Keras: `%.4f`, or `%.4e` when its magnitude is at most 1e-3.
  static std::string format_value(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, std::abs(v) > 1e-3 ? "%.4f" : "%.4e", v);
    return buf;
  }

 private:
  static double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
  }
  std::string bar(int64_t current) const {
    char buf[64];
    const int digits = int(std::log10(double(target_))) + 1;
    std::snprintf(buf, sizeof buf, "%*lld/%lld [", digits, (long long)current, (long long)target_);
    std::string s = buf;
    const int filled = int(o_.width * (double(current) / double(target_)));
    if (filled > 0) s += std::string(filled - 1, '=') + (current < target_ ? ">" : "=");
    return s + std::string(std::max(0, o_.width - filled), '.') + "]";
  }
  double step_duration(int64_t current, double t) const {
    if (current <= 0) return 0;
    if (time_after_first_step_ > 0 && current > 1) return (t - time_after_first_step_) / double(current - 1);
    return (t - start_) / double(current);
  }
  std::string values_text() const {
    std::string s;
    for (const auto& [k, v] : values_) s += " - " + k + ": " + format_value(v);
    return s;
  }
  void print_verbose1(int64_t current, double t, bool final) {
    if (!final && t - last_update_ < o_.interval) return;
    std::string line = bar(current);
    char buf[64];
    if (final) {
      std::snprintf(buf, sizeof buf, " - %.0fs ", t - start_);
      line += buf + format_time(step_duration(current, t), o_.unit_name);
    } else {
      line += " - ETA: " + eta(step_duration(current, t) * double(target_ - current));
    }
    line += values_text();
    if (dynamic_) {
      const size_t width = line.size();
      if (width < prev_width_) line += std::string(prev_width_ - width, ' ');
      prev_width_ = width;
      out_ << '\r';
    }
    out_ << line << (final ? "\n" : "") << std::flush;
  }
  // Keras's verbose=2 line: `16/16 - 45s - loss: 0.5100 - 45s/epoch - 3s/step`.
  void print_verbose2(int64_t current, double t) {
    char buf[64];
    const int digits = int(std::log10(double(target_))) + 1;
    std::snprintf(buf, sizeof buf, "%*lld/%lld - %.0fs", digits, (long long)current, (long long)target_, t - start_);
    out_ << buf << values_text() << " - " << format_time(t - start_, "epoch") << " - "
         << format_time((t - start_) / double(target_), o_.unit_name) << "\n" << std::flush;
  }
  static std::string eta(double seconds) {
    char buf[32];
    const long s = long(seconds);
    if (seconds > 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s % 3600) / 60, s % 60);
    else if (seconds > 60) std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
  }

  int64_t target_;
  ProgbarOptions o_;
  std::ostream& out_;
  bool dynamic_ = false;
  double start_, last_update_ = 0, time_after_first_step_ = 0;
  size_t prev_width_ = 0;
  Logs values_;
};

}  // namespace tl::utils
