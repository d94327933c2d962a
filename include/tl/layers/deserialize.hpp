#pragma once
// Keras's `keras.layers.deserialize`: the layer a model config's entry describes, for every layer class tl has.
#include <tl/layers/layer.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tl::layers {

/// Builds a layer from its Keras config (`entry["config"]`) and the arguments of its first call besides the
/// input tensors (`{}`, except TFOpLambda's `{"y": 3.0, "name": null}`: see LayerImpl::call_kwargs).
using LayerFactory = std::function<std::shared_ptr<LayerImpl>(const json& config, const json& call_kwargs)>;

/// The layer classes tl builds from configs, in a fixed order, with their factories. Models (Functional,
/// Sequential) are not in it: tl::models::load_model builds those.
const std::vector<std::pair<std::string, LayerFactory>>& layer_factories();

/// "Activation, Add, AveragePooling2D, ...": the class names of layer_factories(), for messages.
std::string deserializable_class_names();

/// The call arguments of the first inbound node of a model config entry (`{}` when there are none): Keras
/// writes them after each input reference, `["x", 0, 0, {...}]`, wrapped in a list for most layers and bare
/// for TFOpLambda (`"inbound_nodes": [["re_lu", 0, 0, {"y": 3.0, "name": null}]]`).
json first_call_kwargs(const json& entry);

/// Keras's `keras.layers.deserialize({"class_name", "config"})` for one entry of a model config (its
/// `inbound_nodes`, when present, give TFOpLambda its constant). A frozen layer (`"trainable": false`) comes back
/// frozen. Throws ValueError: "Layer \"name\" (Class): ..." for a config tl cannot build (a missing key, a
/// Python Lambda, channels_first), "Unknown layer: 'Class'. tl can load: ..." for a class it does not have.
///   auto layer = tl::layers::deserialize(tl::json_parse(R"({"class_name": "ReLU", "config": {"max_value": 6.0}})"));
std::shared_ptr<LayerImpl> deserialize(const json& entry);

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/deserialize-inl.hpp>
#endif
