#pragma once
// Runs tests/python/keras_math_ref.py (Keras's optimizer, loss and metric formulas in numpy) on named tensors.
#include "support.hpp"

#include <torch/torch.h>

#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tl::test {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

/// Writes `name shape v0 v1 ...` lines, the oracle's input format.
inline void write_named(const std::filesystem::path& path, const NamedTensors& tensors) {
  std::ofstream out(path);
  out << std::setprecision(17);
  for (const auto& [name, tensor] : tensors) {
    const auto t = tensor.detach().to(torch::kDouble).contiguous();
    std::string shape;
    for (auto d : t.sizes()) shape.append(shape.empty() ? "" : ",").append(std::to_string(d));
    out << name << ' ' << (t.dim() ? shape : "-");
    for (int64_t i = 0; i < t.numel(); ++i) out << ' ' << t.data_ptr<double>()[i];
    out << '\n';
  }
}

/// Parses the oracle's output lines into float64 tensors by name.
inline std::map<std::string, torch::Tensor> read_named(const std::string& text) {
  std::map<std::string, torch::Tensor> tensors;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string name, shape_text;
    if (!(fields >> name >> shape_text)) continue;
    std::vector<int64_t> shape;
    std::istringstream dims(shape_text == "-" ? "" : shape_text);
    for (std::string d; std::getline(dims, d, ',');) shape.push_back(std::stoll(d));
    std::vector<double> values;
    for (double v; fields >> v;) values.push_back(v);
    tensors[name] = torch::tensor(values, torch::kDouble).reshape(shape);
  }
  return tensors;
}

/// `keras_math_ref.py <command...> <inputs file>`: the reference values Keras's formulas give.
inline std::map<std::string, torch::Tensor> keras_math(const std::string& command, const NamedTensors& inputs) {
  TempDir dir;
  write_named(dir / "inputs.txt", inputs);
  return read_named(python("keras_math_ref.py", command + " " + (dir / "inputs.txt").string()));
}

/// The largest absolute difference between two tensors of the same shape (compared in float64).
inline double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.detach().to(torch::kDouble).cpu() - b.detach().to(torch::kDouble).cpu()).abs().max().item<double>();
}

}  // namespace tl::test
