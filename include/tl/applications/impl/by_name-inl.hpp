#pragma once
#include <tl/applications/by_name.hpp>
#include <tl/applications/densenet.hpp>
#include <tl/applications/efficientnet.hpp>
#include <tl/applications/inception_resnet_v2.hpp>
#include <tl/applications/inception_v3.hpp>
#include <tl/applications/mobilenet.hpp>
#include <tl/applications/mobilenet_v2.hpp>
#include <tl/applications/mobilenet_v3.hpp>
#include <tl/applications/nasnet.hpp>
#include <tl/applications/resnet.hpp>
#include <tl/applications/resnet_v2.hpp>
#include <tl/applications/vgg.hpp>
#include <tl/applications/xception.hpp>
#include <tl/core/errors.hpp>

namespace tl::applications::by_name {

TL_INLINE const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = {
      {"VGG16", factory(VGG16), "caffe", vgg16::preprocess_input},
      {"VGG19", factory(VGG19), "caffe", vgg19::preprocess_input},
      {"ResNet50", factory(ResNet50), "caffe", resnet50::preprocess_input},
      {"ResNet101", factory(ResNet101), "caffe", resnet::preprocess_input},
      {"ResNet152", factory(ResNet152), "caffe", resnet::preprocess_input},
      {"ResNet50V2", factory(ResNet50V2), "tf", resnet_v2::preprocess_input},
      {"ResNet101V2", factory(ResNet101V2), "tf", resnet_v2::preprocess_input},
      {"ResNet152V2", factory(ResNet152V2), "tf", resnet_v2::preprocess_input},
      {"InceptionV3", factory(InceptionV3), "tf", inception_v3::preprocess_input},
      {"InceptionResNetV2", factory(InceptionResNetV2), "tf", inception_resnet_v2::preprocess_input},
      {"Xception", factory(Xception), "tf", xception::preprocess_input},
      {"DenseNet121", factory(DenseNet121), "torch", densenet::preprocess_input},
      {"DenseNet169", factory(DenseNet169), "torch", densenet::preprocess_input},
      {"DenseNet201", factory(DenseNet201), "torch", densenet::preprocess_input},
      {"NASNetMobile", factory(NASNetMobile), "tf", nasnet::preprocess_input},
      {"NASNetLarge", factory(NASNetLarge), "tf", nasnet::preprocess_input},
      {"MobileNet", factory(MobileNet), "tf", mobilenet::preprocess_input},
      {"MobileNetV2", factory(MobileNetV2), "tf", mobilenet_v2::preprocess_input},
      {"MobileNetV3Small", factory(MobileNetV3Small), "", mobilenet_v3::preprocess_input},  // rescales inside
      {"MobileNetV3Large", factory(MobileNetV3Large), "", mobilenet_v3::preprocess_input},
      {"EfficientNetB0", factory(EfficientNetB0), "", efficientnet::preprocess_input},  // rescales and normalizes inside
      {"EfficientNetB1", factory(EfficientNetB1), "", efficientnet::preprocess_input},
      {"EfficientNetB2", factory(EfficientNetB2), "", efficientnet::preprocess_input},
      {"EfficientNetB3", factory(EfficientNetB3), "", efficientnet::preprocess_input},
      {"EfficientNetB4", factory(EfficientNetB4), "", efficientnet::preprocess_input},
      {"EfficientNetB5", factory(EfficientNetB5), "", efficientnet::preprocess_input},
      {"EfficientNetB6", factory(EfficientNetB6), "", efficientnet::preprocess_input},
      {"EfficientNetB7", factory(EfficientNetB7), "", efficientnet::preprocess_input},
  };
  return table;
}

TL_INLINE std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& e : entries()) out.push_back(e.name);
  return out;
}

TL_INLINE const Entry& get(const std::string& name) {
  std::string known;
  for (const auto& e : entries()) {
    if (e.name == name) return e;
    known += (known.empty() ? "" : ", ") + e.name;
  }
  throw ValueError("Unknown application model: " + name + ". Known models: " + known);
}

}  // namespace tl::applications::by_name
