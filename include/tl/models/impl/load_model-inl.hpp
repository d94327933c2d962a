#pragma once
#include <tl/core/errors.hpp>
#include <tl/core/json.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/layers/input_layer.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/deserialize.hpp>
#include <tl/models/load_model.hpp>
#include <tl/models/sequential.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tl::models {

namespace detail {

using Value = tl::json;
namespace config = layers::config;


TL_INLINE std::shared_ptr<ModelImpl> model_from_config(const Value& entry);

/// Builds one layer (tl::layers::deserialize) or nested model from `{"class_name", "config", ...}`; "trainable":
/// false freezes it.
TL_INLINE std::shared_ptr<layers::LayerImpl> layer_from_config(const Value& entry) {
  const auto class_name = config::at(entry, "class_name").get<std::string>();
  if (class_name != "Functional" && class_name != "Model" && class_name != "Sequential") return layers::deserialize(entry);
  auto model = model_from_config(entry);
  if (!config::bool_or(config::at(entry, "config"), "trainable", true)) model->set_trainable(false);
  return model;
}

/// The InputLayer a config describes (`batch_input_shape` includes the batch dimension).
TL_INLINE std::shared_ptr<layers::InputLayerImpl> input_layer_from_config(const Value& config) {
  const auto shape = config::to_shape(config::at(config, "batch_input_shape"));
  tl::detail::check(!shape.empty(), "InputLayer \"" + config::string_or(config, "name", "") + "\": empty batch_input_shape");
  return std::make_shared<layers::InputLayerImpl>(Shape(shape.begin() + 1, shape.end()),
                                                  layers::InputOptions{.name = config::string_or(config, "name", ""), .batch_size = shape[0]});
}

/// Keras's reconstruct_from_config: creates the layers, then calls each on its inbound tensors, in as many passes
/// as the order of the config needs.
class GraphBuilder {
 public:
  std::shared_ptr<ModelImpl> build(const Value& config) {
    std::vector<std::pair<std::shared_ptr<layers::LayerImpl>, const Value*>> pending;
    for (const auto& entry : config::at(config, "layers")) {
      const auto name = config::at(entry, "name").get<std::string>();
      if (config::at(entry, "class_name") == "InputLayer")
        tensors_[{name, 0}] = input_layer_from_config(config::at(entry, "config"))->make_tensor();
      else pending.emplace_back(layer_from_config(entry), &config::at(entry, "inbound_nodes"));
    }
    for (auto& [layer, nodes] : pending) remaining_.push_back({layer, nodes, 0});
    while (!remaining_.empty()) call_ready_layers();
    return std::make_shared<ModelImpl>(refs(config::at(config, "input_layers")), refs(config::at(config, "output_layers")),
                                       config::at(config, "name").get<std::string>());
  }

 private:
  struct Calls {
    std::shared_ptr<layers::LayerImpl> layer;
    const Value* nodes;  ///< the layer's inbound_nodes: an array of calls
    size_t done;
  };

  void call_ready_layers() {
    bool progress = false;
    for (auto& c : remaining_)
      while (c.done < c.nodes->size() && ready((*c.nodes)[c.done])) {
        const auto out = c.layer->call_symbolic(inputs_of((*c.nodes)[c.done]));
        const int first = std::dynamic_pointer_cast<ModelImpl>(c.layer) ? 1 : 0;
        tensors_[{c.layer->name(), first + int(c.done++)}] = out;
        progress = true;
      }
    std::erase_if(remaining_, [](const Calls& c) { return c.done == c.nodes->size(); });
    if (!progress && !remaining_.empty())
      throw ValueError("Layer \"" + remaining_[0].layer->name() + "\" is called on tensors that no layer produces");
  }
  // A call's references: a list of them, or one bare reference (an op layer's preserved input structure).
  static std::vector<Value> refs_of(const Value& node) {
    if (!node.empty() && node[0].is_string()) return {node};
    return std::vector<Value>(node.begin(), node.end());
  }
  bool ready(const Value& node) const {
    for (const auto& arg : refs_of(node))
      if (!tensors_.count(key(arg))) return false;
    return true;
  }
  std::vector<KerasTensor> inputs_of(const Value& node) const {
    std::vector<KerasTensor> out;
    for (const auto& arg : refs_of(node)) out.push_back(tensors_.at(key(arg)));
    return out;
  }
  std::vector<KerasTensor> refs(const Value& list) const {
    std::vector<KerasTensor> out;
    for (const auto& ref : list) {
      const auto found = tensors_.find(key(ref));
      tl::detail::check(found != tensors_.end(), "No layer produces the model input/output " + key(ref).first);
      out.push_back(found->second);
    }
    return out;
  }
  static std::pair<std::string, int> key(const Value& ref) {
    return {ref.at(0).get<std::string>(), int(ref.at(1).get<int64_t>())};
  }

  std::map<std::pair<std::string, int>, KerasTensor> tensors_;
  std::vector<Calls> remaining_;
};

TL_INLINE std::shared_ptr<ModelImpl> sequential_from_config(const Value& config) {
  std::vector<layers::Layer> stack;
  for (const auto& entry : config::at(config, "layers")) {
    const bool is_input = config::at(entry, "class_name") == "InputLayer";
    stack.emplace_back(is_input ? input_layer_from_config(config::at(entry, "config")) : layer_from_config(entry));
  }
  return std::make_shared<SequentialImpl>(stack, config::string_or(config, "name", ""));
}

TL_INLINE std::shared_ptr<ModelImpl> model_from_config(const Value& entry) {
  const Value& config = config::at(entry, "config");
  if (config::at(entry, "class_name") == "Sequential") return sequential_from_config(config);
  return GraphBuilder().build(config);
}

}  // namespace detail

TL_INLINE Model model_from_json(const std::string& json, const std::string& source) {
  const auto entry = json_parse(json, source);
  try {
    return Model(detail::model_from_config(entry));
  } catch (const ValueError& e) {
    throw ValueError(source + ": " + e.what());
  } catch (const tl::json::exception& e) {  // a value of the wrong type, e.g. "units": "two"
    throw ValueError(source + ": " + e.what());
  }
}

TL_INLINE Model load_model(const std::filesystem::path& path) {
  auto model = model_from_json(io::load_model_config_hdf5(path), path.string() + " (model_config)");
  io::load_weights_hdf5(path, model.layers());
  return model;
}

}  // namespace tl::models
