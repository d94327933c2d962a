#pragma once
// Keras's `_map_graph_network`: orders a functional graph's nodes and layers exactly as tf.keras does, so
// model.layers, summary() and by-order weight loading agree with Keras.
#include <tl/core/errors.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/layers/layer.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace tl::models::detail {

/// A functional graph's nodes by decreasing depth (execution order reversed) and its layers in Keras order.
struct GraphMap {
  std::vector<std::shared_ptr<Node>> nodes;  ///< execution order: inputs first
  std::vector<std::shared_ptr<layers::LayerImpl>> layers;
  std::map<int, std::vector<std::shared_ptr<Node>>> nodes_by_depth;
};

class GraphMapper {
 public:
  GraphMap map(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs) {
    for (const auto& t : outputs) visit(t);
    compute_depths(inputs);
    GraphMap g;
    for (auto& [node, depth] : node_depth_) g.nodes_by_depth[depth].push_back(node);
    for (auto it = g.nodes_by_depth.rbegin(); it != g.nodes_by_depth.rend(); ++it)
      g.nodes.insert(g.nodes.end(), it->second.begin(), it->second.end());
    g.layers = layers_in_keras_order();
    return g;
  }

 private:
  // Depth-first from the outputs, recording first visits (Keras's layer_indices) and finished nodes.
  void visit(const KerasTensor& t) {
    const auto& node = t.node();
    if (finished_.count(node.get())) return;
    if (in_progress_.count(node.get()))
      throw ValueError("The tensor at layer \"" + node->layer->name() + "\" is part of a cycle.");
    if (!layer_index_.count(node->layer.get())) layer_index_[node->layer.get()] = int(layer_index_.size());
    in_progress_.insert(node.get());
    for (const auto& in : node->inputs) visit(in);
    in_progress_.erase(node.get());
    finished_.insert(node.get());
    decreasing_depth_.push_back(node);
  }

  void compute_depths(const std::vector<KerasTensor>& inputs) {
    std::map<const layers::LayerImpl*, int> layer_depth;
    for (auto it = decreasing_depth_.rbegin(); it != decreasing_depth_.rend(); ++it) {
      const auto& node = *it;
      int depth = std::max(depth_of(node), layer_depth[node->layer.get()]);
      layer_depth[node->layer.get()] = depth;
      set_depth(node, depth);
      for (const auto& in : node->inputs) set_depth(in.node(), std::max(depth + 1, depth_of(in.node())));
    }
    for (const auto& t : inputs)
      if (!layer_depth.count(t.node()->layer.get())) {
        layer_depth[t.node()->layer.get()] = 0;
        layer_index_[t.node()->layer.get()] = -1;
        set_depth(t.node(), 0);
      }
    layer_depth_ = std::move(layer_depth);
  }

  std::vector<std::shared_ptr<layers::LayerImpl>> layers_in_keras_order() const {
    std::map<const layers::LayerImpl*, std::shared_ptr<layers::LayerImpl>> owner;
    for (auto& [node, depth] : node_depth_) owner[node->layer.get()] = node->layer;
    std::vector<std::shared_ptr<layers::LayerImpl>> out;
    for (auto& [layer, depth] : layer_depth_) out.push_back(owner.at(layer));
    std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
      const int da = layer_depth_.at(a.get()), db = layer_depth_.at(b.get());
      return da != db ? da > db : layer_index_.at(a.get()) < layer_index_.at(b.get());
    });
    return out;
  }

  int depth_of(const std::shared_ptr<Node>& n) const {
    for (auto& [node, depth] : node_depth_)
      if (node == n) return depth;
    return 0;
  }
  void set_depth(const std::shared_ptr<Node>& n, int depth) {
    for (auto& [node, d] : node_depth_)
      if (node == n) {
        d = depth;
        return;
      }
    node_depth_.emplace_back(n, depth);
  }

  std::set<const Node*> finished_, in_progress_;
  std::vector<std::shared_ptr<Node>> decreasing_depth_;
  std::map<const layers::LayerImpl*, int> layer_index_;
  std::map<const layers::LayerImpl*, int> layer_depth_;
  std::vector<std::pair<std::shared_ptr<Node>, int>> node_depth_;  // insertion-ordered, as Python's dict
};

}  // namespace tl::models::detail
