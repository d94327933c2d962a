#pragma once
// Keras's `_map_graph_network`: orders a functional graph's nodes and layers exactly as tf.keras does, so
// model.layers, summary() and by-order weight loading agree with Keras.
#include <tl/core/config.hpp>
#include <tl/core/keras_tensor.hpp>

#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tl::models::detail {

/// A functional graph's nodes by decreasing depth (execution order reversed) and its layers in Keras order.
struct GraphMap {
  std::vector<std::shared_ptr<Node>> nodes;  ///< execution order: inputs first
  std::vector<std::shared_ptr<layers::LayerImpl>> layers;
  std::map<int, std::vector<std::shared_ptr<Node>>> nodes_by_depth;
};

/// Maps one graph: `GraphMapper().map(inputs, outputs)`. O(n log n) in the number of nodes.
class GraphMapper {
 public:
  GraphMap map(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs);

 private:
  // Depth-first from the outputs, recording first visits (Keras's layer_indices) and finished nodes.
  void visit(const KerasTensor& t);
  void compute_depths(const std::vector<KerasTensor>& inputs);
  std::vector<std::shared_ptr<layers::LayerImpl>> layers_in_keras_order() const;
  int depth_of(const std::shared_ptr<Node>& n) const;
  void set_depth(const std::shared_ptr<Node>& n, int depth);

  std::set<const Node*> finished_, in_progress_;
  std::vector<std::shared_ptr<Node>> decreasing_depth_;
  std::map<const layers::LayerImpl*, int> layer_index_;
  std::map<const layers::LayerImpl*, int> layer_depth_;
  std::vector<std::pair<std::shared_ptr<Node>, int>> node_depth_;  // insertion-ordered, as Python's dict
  std::unordered_map<const Node*, size_t> node_position_;          // where each node is in node_depth_
};

}  // namespace tl::models::detail

#ifdef TL_HEADER_ONLY
#include <tl/models/detail/impl/graph-inl.hpp>
#endif
