#pragma once
#include <tl/core/errors.hpp>
#include <tl/models/functional.hpp>
#include <tl/models/summary.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

namespace tl::models {

namespace detail {

TL_INLINE std::string thousands(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}

/// Keras's `layer.output_shape` as summary prints it: one shape, `[(...)]` for an InputLayer, or "multiple".
TL_INLINE std::string output_shape_text(const layers::LayerImpl& layer) {
  const auto& shapes = layer.call_output_shapes();
  if (shapes.empty()) return "?";
  for (const auto& s : shapes)
    if (s != shapes[0]) return "multiple";
  const auto text = to_string(shapes[0]);
  return layer.class_name() == "InputLayer" ? "[" + text + "]" : text;
}

/// Keras's sequential_like test: one node per depth, none with several inputs, each layer used once.
TL_INLINE bool sequential_like(const ModelImpl& model) {
  if (model.class_name() == "Sequential") return true;
  std::map<const layers::LayerImpl*, int> uses;
  for (const auto& [depth, nodes] : model.nodes_by_depth()) {
    if (nodes.size() > 1 || (nodes.size() == 1 && nodes[0]->inputs.size() > 1)) return false;
    for (const auto& n : nodes)
      if (++uses[n->layer.get()] > 1) return false;
  }
  return true;
}

/// Python's repr of a list of strings: `['input_1[0][0]', 'conv1_pad[0][0]']`.
TL_INLINE std::string connections_text(const ModelImpl& model, const layers::LayerImpl& layer) {
  std::vector<std::shared_ptr<Node>> nodes;
  for (const auto& [depth, ns] : model.nodes_by_depth())
    for (const auto& n : ns)
      if (n->layer.get() == &layer) nodes.push_back(n);
  std::sort(nodes.begin(), nodes.end(), [](auto& a, auto& b) { return a->index < b->index; });
  std::string s = "[";
  for (const auto& n : nodes)
    for (const auto& in : n->inputs)
      s += std::string(s.size() > 1 ? ", " : "") + "'" + in.node()->layer->name() + "[" +
           std::to_string(in.node()->index) + "][0]'";
  return s + "]";
}

/// Keras's print_row: each field wrapped into its column, breaking after `),` `},` `],` `',` when present.
TL_INLINE void print_row(std::ostream& out, std::vector<std::string> fields, const std::vector<int>& positions) {
  auto pending = [&] { return std::any_of(fields.begin(), fields.end(), [](auto& f) { return !f.empty(); }); };
  while (pending()) {
    std::string line;
    for (size_t col = 0; col < fields.size(); ++col) {
      const int start = col ? positions[col - 1] : 0;
      const int space = col + 1 != positions.size() ? 2 : 0;
      size_t cutoff = size_t(std::max(0, positions[col] - start - space));
      std::string fit = fields[col].substr(0, cutoff);
      size_t best = std::string::npos;
      for (const char* brk : {"),", "},", "],", "',"})
        if (auto at = fit.find(brk); at != std::string::npos) best = std::min(best, at + 2);
      if (best != std::string::npos) cutoff = best, fit = fit.substr(0, cutoff);
      if (col == 0) line += ' ';
      line += fit + std::string(space, ' ');
      fields[col] = fields[col].size() > cutoff ? fields[col].substr(cutoff) : "";
      if (int(line.size()) < positions[col]) line += std::string(positions[col] - line.size(), ' ');
    }
    out << line << "\n";
  }
}

}  // namespace detail

TL_INLINE void print_summary(const ModelImpl& model, const SummaryOptions& options) {
  tl::detail::check(model.graph_built(), "This model has not yet been built. Build the model first by calling it "
                                         "on data or by giving it an input shape (model \"" + model.name() + "\").");
  std::ostream& out = options.out ? *options.out : std::cout;
  const bool seq = detail::sequential_like(model);
  const int length = options.line_length ? options.line_length : (seq ? 65 : 98);
  auto rel = options.positions.empty() ? (seq ? std::vector<double>{.45, .85, 1.} : std::vector<double>{.33, .55, .67, 1.})
                                       : options.positions;
  std::vector<int> positions;
  for (double p : rel) positions.push_back(p <= 1 ? int(length * p) : int(p));
  std::vector<std::string> header = {"Layer (type)", "Output Shape", "Param #"};
  if (!seq) header.push_back("Connected to");
  out << "Model: \"" << model.name() << "\"\n" << std::string(length, '_') << "\n";
  detail::print_row(out, header, positions);
  out << std::string(length, '=') << "\n";
  for (const auto& layer : model.layers()) {
    std::vector<std::string> row = {layer->name() + " (" + layer->class_name() + ")", detail::output_shape_text(*layer),
                                    std::to_string(layer->count_params())};
    if (!seq) row.push_back(detail::connections_text(model, *layer));
    detail::print_row(out, row, positions);
    out << std::string(length, ' ') << "\n";
  }
  const int64_t trainable = count_params(model.trainable_weights());
  const int64_t frozen = count_params(model.non_trainable_weights());
  out << std::string(length, '=') << "\n"
      << "Total params: " << detail::thousands(trainable + frozen) << "\n"
      << "Trainable params: " << detail::thousands(trainable) << "\n"
      << "Non-trainable params: " << detail::thousands(frozen) << "\n"
      << std::string(length, '_') << "\n"
      << std::flush;
}

}  // namespace tl::models
