#pragma once
// Test-only layers with chosen weights, and a JSON description of them for tests/python/keras_h5_reference.py.
#include "../support.hpp"

#include <tl/io/keras_weights.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace tl::test {

/// One weight of a StubLayer: its short name ("kernel"), torch-layout shape, trainable flag and layout.
struct StubWeight {
  std::string name;
  std::vector<int64_t> shape;
  bool trainable = true;
  WeightLayout layout = WeightLayout::keras;
};

/// A layer holding exactly the weights it is given (random values), as Keras layers hold theirs.
class StubLayerImpl : public layers::LayerImpl {
 public:
  StubLayerImpl(const std::string& name, const std::vector<StubWeight>& weights) : LayerImpl("Stub", name) {
    for (const auto& w : weights) add_weight(w.name, torch::randn(w.shape), w.trainable, w.layout);
  }
  Shape compute_output_shape(const std::vector<Shape>& shapes) const override { return shapes.at(0); }
  torch::Tensor forward_internal(const std::vector<torch::Tensor>& inputs, bool) override { return inputs.at(0); }
};

/// A nested model stand-in: its weights are those of its inner layers, as a Functional model's are.
class StubModelImpl : public StubLayerImpl {
 public:
  StubModelImpl(const std::string& name, std::vector<std::shared_ptr<StubLayerImpl>> inner)
      : StubLayerImpl(name, {}), inner_(std::move(inner)) {}
  const std::vector<std::shared_ptr<StubLayerImpl>>& inner() const { return inner_; }
  std::vector<Weight> weights() const override {
    std::vector<Weight> all;
    for (const auto& layer : inner_) {
      auto w = layer->weights();
      all.insert(all.end(), w.begin(), w.end());
    }
    return all;
  }

 private:
  std::vector<std::shared_ptr<StubLayerImpl>> inner_;
};

inline std::shared_ptr<layers::LayerImpl> stub(const std::string& name, const std::vector<StubWeight>& weights) {
  return std::make_shared<StubLayerImpl>(name, weights);
}

/// A small model of the kinds of layers Keras files hold: Dense, Conv2D (HWIO kernel), BatchNormalization
/// (non-trainable statistics), weightless layers, and a nested model.
inline io::LayerList sample_layers() {
  auto nested = std::make_shared<StubModelImpl>(
      "resnet_stub", std::vector<std::shared_ptr<StubLayerImpl>>{
                         std::make_shared<StubLayerImpl>("conv1_conv", std::vector<StubWeight>{
                                                                           {"kernel", {4, 3, 3, 3}, true, WeightLayout::conv_kernel},
                                                                           {"bias", {4}}}),
                         std::make_shared<StubLayerImpl>("conv1_bn", std::vector<StubWeight>{{"gamma", {4}},
                                                                                             {"beta", {4}},
                                                                                             {"moving_mean", {4}, false},
                                                                                             {"moving_variance", {4}, false}})});
  return {stub("input_1", {}),
          nested,
          stub("conv2d", {{"kernel", {5, 4, 1, 1}, true, WeightLayout::conv_kernel}, {"bias", {5}}}),
          stub("global_average_pooling2d", {}),
          stub("batch_normalization",
               {{"gamma", {5}}, {"beta", {5}}, {"moving_mean", {5}, false}, {"moving_variance", {5}, false}}),
          stub("dense", {{"kernel", {5, 2}}, {"bias", {2}}})};
}

/// Describes layers and their Keras-layout weight values as JSON for keras_h5_reference.py.
inline std::string spec_json(const io::LayerList& layers) {
  std::string out = "{\"layers\": [";
  for (size_t l = 0; l < layers.size(); ++l) {
    out += std::string(l ? ", " : "") + "{\"name\": \"" + layers[l]->name() + "\", \"weights\": [";
    const auto weights = layers[l]->weights();
    for (size_t i = 0; i < weights.size(); ++i) {
      const auto value = weights[i].get().flatten();
      out += std::string(i ? ", " : "") + "{\"name\": \"" + weights[i].name + "\", \"trainable\": " +
             (weights[i].trainable ? "true" : "false") + ", \"shape\": [";
      const auto shape = weights[i].keras_shape();
      for (size_t d = 0; d < shape.size(); ++d) out += (d ? ", " : "") + std::to_string(shape[d]);
      out += "], \"values\": [";
      char buf[32];
      for (int64_t k = 0; k < value.numel(); ++k) {
        std::snprintf(buf, sizeof buf, "%s%.9g", k ? ", " : "", value[k].item<float>());
        out += buf;
      }
      out += "]}";
    }
    out += "]}";
  }
  return out + "]}";
}

/// Writes a Keras-layout weights file with h5py from `layers`' current values; `flags` as keras_h5_reference.py.
inline void write_keras_file(const io::LayerList& layers, const std::filesystem::path& h5, const std::string& flags = "") {
  const auto spec = h5.string() + ".json";
  std::ofstream(spec) << spec_json(layers);
  python("keras_h5_reference.py", spec + " " + h5.string() + " " + flags);
}

/// Whether every weight of `a` equals the weight at the same place in `b`.
inline bool same_weights(const io::LayerList& a, const io::LayerList& b) {
  for (size_t l = 0; l < a.size(); ++l) {
    const auto wa = a[l]->get_weights(), wb = b[l]->get_weights();
    if (wa.size() != wb.size()) return false;
    for (size_t i = 0; i < wa.size(); ++i)
      if (!torch::equal(wa[i], wb[i])) return false;
  }
  return true;
}

}  // namespace tl::test
