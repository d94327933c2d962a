#pragma once
// The keyword arguments every keras.applications model takes, as one options struct: the families without
// arguments of their own (ResNet, ResNetV2, VGG, InceptionV3, InceptionResNetV2, Xception, DenseNet, NASNet) name it
// after themselves (`ResNetOptions`, `VGGOptions`, ...); the mobile families add theirs (alpha, ...) to a struct
// of their own.
#include <tl/core/keras_tensor.hpp>
#include <tl/core/shape.hpp>

#include <cstdint>
#include <string>

namespace tl::applications {

/// Keras's common keyword arguments of a keras.applications model, with Keras's defaults. Example:
///   auto base = tl::applications::ResNet50({.include_top = false, .weights = "imagenet", .pooling = "avg"});
struct ApplicationOptions {
  bool include_top = true;  ///< end with Keras's classifier (the 1000 ImageNet classes by default)
  /// "imagenet" (Keras's pretrained weights, downloaded once into ~/.keras/models), "" or "none" (random),
  /// or the path to a Keras HDF5 weights file of the same architecture (loaded by layer order).
  std::string weights = "imagenet";
  KerasTensor input_tensor = {};  ///< optional: build on this tensor (e.g. from tl::Input) instead of a new Input
  /// Without the batch, e.g. {224, 224, 3}; empty: the family's default size with the top, {None, None, 3}
  /// without it (each family's doc comment gives its default and smallest sizes).
  Shape input_shape = {};
  std::string pooling = "";  ///< without the top: "" (4-D feature map), "avg" or "max" (2-D features)
  int64_t classes = 1000;
  std::string classifier_activation = "softmax";  ///< of the top's last layer; "" for logits
  std::string name = "";                          ///< empty: the family's model name ("resnet50", "vgg16", ...)
};

}  // namespace tl::applications
