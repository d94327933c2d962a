#pragma once
// A Keras argument given as a number or as a list of numbers, one per channel (Rescaling's scale and offset,
// Normalization's mean and variance).
#include <initializer_list>
#include <utility>
#include <vector>

namespace tl::layers {

/// `1.0 / 255` or `{0.485, 0.456, 0.406}`; Keras's config writes it back the way it was given. Default: none
/// (Python's None, for Normalization's mean and variance).
struct Scalars {
  std::vector<double> values;  ///< empty: none
  bool scalar = false;         ///< given as a number (a one-element list stays a list)

  Scalars() = default;
  Scalars(double value) : values{value}, scalar(true) {}  // NOLINT: implicit, as Keras takes a bare number
  Scalars(std::vector<double> list) : values(std::move(list)) {}  // NOLINT
  Scalars(std::initializer_list<double> list) : values(list) {}
  bool none() const { return values.empty(); }
  bool operator==(const Scalars&) const = default;
};

}  // namespace tl::layers
