#pragma once
#include <tl/utils/progbar.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <utility>

namespace tl::utils {

TL_INLINE Progbar::Progbar(int64_t target, ProgbarOptions options)
    : target_(target), o_(std::move(options)), out_(o_.out ? *o_.out : std::cout), start_(now()) {
  dynamic_ = o_.dynamic_display >= 0 ? o_.dynamic_display == 1 : isatty(fileno(stdout)) == 1;
}

TL_INLINE void Progbar::update(int64_t current, const Logs& values, int finalize) {
  const bool final = finalize >= 0 ? finalize == 1 : current >= target_;
  for (const auto& [k, v] : values) values_.set(k, v);
  const double t = now();
  if (current == 1) time_after_first_step_ = t;
  if (o_.verbose == 1 && (final || dynamic_)) print_verbose1(current, t, final);
  if (o_.verbose == 2 && final) print_verbose2(current, t);
  last_update_ = t;
}

TL_INLINE std::string Progbar::format_time(double per_unit, const std::string& unit) {
  char buf[64];
  if (per_unit >= 1 || per_unit == 0) std::snprintf(buf, sizeof buf, "%.0fs/%s", per_unit, unit.c_str());
  else if (per_unit >= 1e-3) std::snprintf(buf, sizeof buf, "%.0fms/%s", per_unit * 1e3, unit.c_str());
  else std::snprintf(buf, sizeof buf, "%.0fus/%s", per_unit * 1e6, unit.c_str());
  return buf;
}

TL_INLINE std::string Progbar::format_value(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, std::abs(v) > 1e-3 ? "%.4f" : "%.4e", v);
  return buf;
}

TL_INLINE double Progbar::now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

TL_INLINE std::string Progbar::bar(int64_t current) const {
  char buf[64];
  const int digits = int(std::log10(double(target_))) + 1;
  std::snprintf(buf, sizeof buf, "%*lld/%lld [", digits, (long long)current, (long long)target_);
  std::string s = buf;
  const int filled = int(o_.width * (double(current) / double(target_)));
  if (filled > 0) s += std::string(filled - 1, '=') + (current < target_ ? ">" : "=");
  return s + std::string(std::max(0, o_.width - filled), '.') + "]";
}

TL_INLINE double Progbar::step_duration(int64_t current, double t) const {
  if (current <= 0) return 0;
  if (time_after_first_step_ > 0 && current > 1) return (t - time_after_first_step_) / double(current - 1);
  return (t - start_) / double(current);
}

TL_INLINE std::string Progbar::values_text() const {
  std::string s;
  for (const auto& [k, v] : values_) s += " - " + k + ": " + format_value(v);
  return s;
}

TL_INLINE void Progbar::print_verbose1(int64_t current, double t, bool final) {
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

TL_INLINE void Progbar::print_verbose2(int64_t current, double t) {
  char buf[64];
  const int digits = int(std::log10(double(target_))) + 1;
  std::snprintf(buf, sizeof buf, "%*lld/%lld - %.0fs", digits, (long long)current, (long long)target_, t - start_);
  out_ << buf << values_text() << " - " << format_time(t - start_, "epoch") << " - "
       << format_time((t - start_) / double(target_), o_.unit_name) << "\n" << std::flush;
}

TL_INLINE std::string Progbar::eta(double seconds) {
  char buf[32];
  const long s = long(seconds);
  if (seconds > 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s % 3600) / 60, s % 60);
  else if (seconds > 60) std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

}  // namespace tl::utils
