#pragma once
// Symbolic tensors: what `keras.Input` returns and layers return when called on one. They carry a shape and
// the graph node that produced them, from which tl::Model reads the network.
#include <tl/core/shape.hpp>

#include <memory>
#include <vector>

namespace tl {

namespace layers {
class LayerImpl;
}

class KerasTensor;

/// One call of a layer in a graph: the layer, the symbolic tensors it was called on, and its output shape.
struct Node {
  std::shared_ptr<layers::LayerImpl> layer;
  std::vector<KerasTensor> inputs;
  Shape output_shape;
  int index = 0;  ///< position among the layer's calls: Keras's node_index
};

/// A symbolic tensor (Keras's KerasTensor): a shape and the node that computes it.
class KerasTensor {
 public:
  KerasTensor() = default;
  explicit KerasTensor(std::shared_ptr<Node> node) : node_(std::move(node)) {}

  /// The Keras shape, batch dimension first: `(None, 512, 512, 3)`.
  const Shape& shape() const { return node_->output_shape; }
  /// The node that produces this tensor (nullptr for a default-constructed tensor).
  const std::shared_ptr<Node>& node() const { return node_; }
  bool defined() const { return node_ != nullptr; }

 private:
  std::shared_ptr<Node> node_;
};

}  // namespace tl
