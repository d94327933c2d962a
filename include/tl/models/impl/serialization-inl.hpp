#pragma once
#include <tl/core/errors.hpp>
#include <tl/core/json.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/models/functional.hpp>
#include <tl/models/serialization.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

namespace tl::models {

namespace detail {

/// Keras's node_conversion_map: each node's index among its layer's calls inside this model; a nested model's
/// calls count from 1 (its node 0 is its own graph).
using NodeIndex = std::map<const Node*, int>;

TL_INLINE NodeIndex kept_node_indices(const ModelImpl& model) {
  std::map<const layers::LayerImpl*, std::vector<const Node*>> calls;
  for (const auto& [depth, nodes] : model.nodes_by_depth())
    for (const auto& node : nodes) calls[node->layer.get()].push_back(node.get());
  NodeIndex index;
  for (auto& [layer, nodes] : calls) {
    std::sort(nodes.begin(), nodes.end(), [](auto* a, auto* b) { return a->index < b->index; });
    const int first = dynamic_cast<const ModelImpl*>(layer) ? 1 : 0;
    for (size_t k = 0; k < nodes.size(); ++k) index[nodes[k]] = first + int(k);
  }
  return index;
}

/// `[layer_name, node_index, tensor_index]`: how Keras's configs point at a tensor.
TL_INLINE json tensor_ref(const KerasTensor& t, const NodeIndex& index) {
  return json::array({t.node()->layer->name(), index.at(t.node().get()), 0});
}

TL_INLINE json tensor_refs(const std::vector<KerasTensor>& tensors, const NodeIndex& index) {
  auto out = json::array();
  for (const auto& t : tensors) out.push_back(tensor_ref(t, index));
  return out;
}

/// A layer's calls inside `model` as Keras's `inbound_nodes`: per call, one `[name, node, 0, kwargs]` per input
/// (a lone reference, not a list, for the op layers that preserve their input structure, as Keras writes them).
TL_INLINE json inbound_nodes(const ModelImpl& model, const layers::LayerImpl& layer, const NodeIndex& index) {
  std::vector<std::shared_ptr<Node>> calls;
  for (const auto& [depth, nodes] : model.nodes_by_depth())
    for (const auto& node : nodes)
      if (node->layer.get() == &layer && !node->inputs.empty()) calls.push_back(node);
  std::sort(calls.begin(), calls.end(), [](const auto& a, const auto& b) { return a->index < b->index; });
  auto out = json::array();
  for (const auto& node : calls) {
    auto args = json::array();
    for (const auto& in : node->inputs) {
      auto ref = tensor_ref(in, index);
      ref.push_back(layer.call_kwargs());
      args.push_back(std::move(ref));
    }
    if (layer.preserve_input_structure_in_config() && args.size() == 1) out.push_back(std::move(args[0]));
    else out.push_back(std::move(args));
  }
  return out;
}

/// Keras's Functional config: {"name", "layers": [{"class_name", "config", "name", "inbound_nodes"}, ...],
/// "input_layers", "output_layers"}.
TL_INLINE json functional_config(const ModelImpl& model) {
  const auto index = kept_node_indices(model);
  auto layers = json::array();
  for (const auto& layer : model.layers()) {
    auto entry = layer_config(*layer);
    entry["name"] = layer->name();
    entry["inbound_nodes"] = inbound_nodes(model, *layer, index);
    layers.push_back(std::move(entry));
  }
  return json{{"name", model.name()}, {"layers", std::move(layers)},
              {"input_layers", tensor_refs(model.inputs(), index)}, {"output_layers", tensor_refs(model.outputs(), index)}};
}

/// Keras's Sequential config: {"name", "layers": [{"class_name", "config"}, ...]}, the InputLayer first.
TL_INLINE json sequential_config(const ModelImpl& model) {
  auto layers = json::array();
  for (const auto& layer : model.layers()) layers.push_back(layer_config(*layer));
  return json{{"name", model.name()}, {"layers", std::move(layers)}};
}

}  // namespace detail

TL_INLINE json layer_config(const layers::LayerImpl& layer) {
  json config;
  if (const auto* model = dynamic_cast<const ModelImpl*>(&layer)) {
    tl::detail::check(model->graph_built(), "Model \"" + model->name() + "\" cannot be saved before it is built: "
                                            "call it on data or give its first layer an input shape.");
    config = layer.class_name() == "Sequential" ? detail::sequential_config(*model) : detail::functional_config(*model);
  } else {
    config = layer.get_config();
  }
  return json{{"class_name", layer.class_name()}, {"config", std::move(config)}};
}

TL_INLINE std::string model_to_json(const ModelImpl& model) { return json_dumps(layer_config(model)); }

TL_INLINE void save_model(const ModelImpl& model, const std::filesystem::path& path) {
  io::save_model_hdf5(path, model_to_json(model), model.layers());
}

}  // namespace tl::models
