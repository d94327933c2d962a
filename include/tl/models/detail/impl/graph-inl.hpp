#pragma once
#include <tl/core/errors.hpp>
#include <tl/layers/layer.hpp>
#include <tl/models/detail/graph.hpp>

#include <algorithm>

namespace tl::models::detail {

TL_INLINE GraphMap GraphMapper::map(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs) {
  for (const auto& t : outputs) visit(t);
  compute_depths(inputs);
  GraphMap g;
  for (auto& [node, depth] : node_depth_) g.nodes_by_depth[depth].push_back(node);
  for (auto it = g.nodes_by_depth.rbegin(); it != g.nodes_by_depth.rend(); ++it)
    g.nodes.insert(g.nodes.end(), it->second.begin(), it->second.end());
  g.layers = layers_in_keras_order();
  return g;
}

TL_INLINE void GraphMapper::visit(const KerasTensor& t) {
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

TL_INLINE void GraphMapper::compute_depths(const std::vector<KerasTensor>& inputs) {
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

TL_INLINE std::vector<std::shared_ptr<layers::LayerImpl>> GraphMapper::layers_in_keras_order() const {
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

TL_INLINE int GraphMapper::depth_of(const std::shared_ptr<Node>& n) const {
  const auto found = node_position_.find(n.get());
  return found == node_position_.end() ? 0 : node_depth_[found->second].second;
}

TL_INLINE void GraphMapper::set_depth(const std::shared_ptr<Node>& n, int depth) {
  const auto [found, inserted] = node_position_.emplace(n.get(), node_depth_.size());
  if (inserted) node_depth_.emplace_back(n, depth);
  else node_depth_[found->second].second = depth;
}

}  // namespace tl::models::detail
