#pragma once
// The Keras guide's fine-tuning step: unfreeze the base, then re-freeze every layer before a chosen one.
#include <tl/core/config.hpp>
#include <tl/models/model.hpp>

#include <string>

namespace tl::applications {

/// Makes `model` trainable from the layer named `layer_name` on and frozen before it (in `model.layers` order),
/// as the Keras transfer-learning guide does with `base.trainable = True` followed by
/// `for layer in base.layers[:fine_tune_at]: layer.trainable = False`. Frozen BatchNormalization layers keep
/// running in inference mode (their moving statistics), which is the layer's own rule. Re-`compile` afterwards.
/// Example: `tl::applications::set_trainable_from(base, "conv5_block1_1_conv");  // fine-tune conv5 only`
void set_trainable_from(const Model& model, const std::string& layer_name);

}  // namespace tl::applications

#ifdef TL_HEADER_ONLY
#include <tl/applications/impl/fine_tuning-inl.hpp>
#endif
