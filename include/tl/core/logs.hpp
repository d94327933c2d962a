#pragma once
// The `logs` dict Keras passes to callbacks and prints in the progress bar: ordered as inserted.
#include <tl/core/errors.hpp>

#include <string>
#include <utility>
#include <vector>

namespace tl {

/// Named scalar results in insertion order (`loss`, `accuracy`, `val_loss`, ...), as Keras's logs dict.
class Logs {
 public:
  using Entry = std::pair<std::string, double>;
  Logs() = default;
  Logs(std::initializer_list<Entry> entries) : entries_(entries) {}

  /// Sets a value, keeping the position of an existing name.
  void set(const std::string& name, double value) {
    for (auto& [n, v] : entries_)
      if (n == name) {
        v = value;
        return;
      }
    entries_.emplace_back(name, value);
  }
  bool contains(const std::string& name) const { return find(name) != nullptr; }
  /// The value for `name`; throws ValueError naming the missing key and the ones present.
  double at(const std::string& name) const {
    if (const double* v = find(name)) return *v;
    std::string known;
    for (auto& [n, v] : entries_) known += (known.empty() ? "" : ", ") + n;
    throw ValueError("logs have no '" + name + "'; available: " + known);
  }
  double operator[](const std::string& name) const { return at(name); }
  /// The i-th value, as Keras's `evaluate` returns [loss, metric...].
  double operator[](size_t i) const { return entries_.at(i).second; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  const double* find(const std::string& name) const {
    for (auto& [n, v] : entries_)
      if (n == name) return &v;
    return nullptr;
  }
  std::vector<Entry> entries_;
};

}  // namespace tl
