#pragma once
#include <tl/applications/fine_tuning.hpp>

#include <algorithm>

namespace tl::applications {

TL_INLINE void set_trainable_from(const Model& model, const std::string& layer_name) {
  const auto& layers = model.layers();
  const auto first = std::find_if(layers.begin(), layers.end(), [&](const auto& l) { return l->name() == layer_name; });
  if (first == layers.end()) model.get_layer(layer_name);  // throws Keras's "No such layer" ValueError
  model.trainable(true);
  std::for_each(layers.begin(), first, [](const auto& l) { l->set_trainable(false); });
}

}  // namespace tl::applications
