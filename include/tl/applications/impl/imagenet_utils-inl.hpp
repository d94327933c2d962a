#pragma once
#include <tl/applications/imagenet_utils.hpp>
#include <tl/core/errors.hpp>
#include <tl/utils/get_file.hpp>

#include <algorithm>
#include <iostream>

namespace tl::applications {

namespace detail {

TL_INLINE void check_mode(const std::string& mode) {
  if (mode != "caffe" && mode != "tf" && mode != "torch")
    throw ValueError("Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=" + mode);
}

TL_INLINE void check_predictions_shape(const torch::Tensor& preds, size_t classes) {
  if (preds.dim() != 2 || preds.size(1) != int64_t(classes))
    throw ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, " +
                     std::to_string(classes) + ")). Found array with shape: " + to_string(preds.sizes().vec()));
}

TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top,
                                                               const ClassIndex& index) {
  check_predictions_shape(preds, index.size());
  tl::detail::check(top >= 0, "decode_predictions: top must not be negative, got " + std::to_string(top));
  const auto scores = preds.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  const auto order = std::get<1>(scores.sort(/*stable=*/true, /*dim=*/1, /*descending=*/true));
  std::vector<std::vector<Prediction>> results;
  for (int64_t row = 0; row < scores.size(0); ++row) {
    std::vector<Prediction> result;
    for (int64_t k = 0; k < std::min<int64_t>(top, scores.size(1)); ++k) {
      const int64_t i = order[row][k].item<int64_t>();
      result.push_back({index[i].class_name, index[i].class_description, scores[row][i].item<float>()});
    }
    results.push_back(std::move(result));
  }
  return results;
}

TL_INLINE const ClassIndex& imagenet_class_index() {
  static const ClassIndex index = load_class_index(
      utils::get_file("imagenet_class_index.json", class_index_url, {.cache_subdir = "models", .file_hash = class_index_md5}));
  return index;
}

TL_INLINE void validate_activation(const std::string& classifier_activation, bool pretrained) {
  if (!pretrained) return;
  if (classifier_activation != "softmax" && classifier_activation != "" && classifier_activation != "linear")
    throw ValueError("Only `None` and `softmax` activations are allowed for the `classifier_activation` argument "
                     "when using pretrained weights, with `include_top=True`; Received: classifier_activation=" +
                     classifier_activation);
}

TL_INLINE void warn_unusual_channels(const Shape& input_shape) {
  const int64_t channels = input_shape.back();
  if (channels != 1 && channels != 3)
    std::cerr << "WARNING: This model usually expects 1 or 3 input channels. However, it was passed an input_shape "
                 "with " << channels << " input channels." << std::endl;
}

TL_INLINE Shape obtain_input_shape(Shape input_shape, const InputShapeRules& rules) {
  const int64_t size = rules.default_size;
  Shape default_shape{size, size, 3};
  if (!rules.imagenet && input_shape.size() == 3) {
    warn_unusual_channels(input_shape);
    default_shape = {size, size, input_shape.back()};
  }
  if (rules.imagenet && rules.require_flatten) {
    if (!input_shape.empty() && input_shape != default_shape)
      throw ValueError("When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be " +
                       to_string(default_shape) + ".");
    return default_shape;
  }
  if (!input_shape.empty()) {
    if (input_shape.size() != 3) throw ValueError("`input_shape` must be a tuple of three integers.");
    if (input_shape[2] != 3 && rules.imagenet)
      throw ValueError("The input must have 3 channels; got `input_shape=" + to_string(input_shape) + "`");
    const auto too_small = [&](int64_t d) { return d != None && d < rules.min_size; };
    if (too_small(input_shape[0]) || too_small(input_shape[1]))
      throw ValueError("Input size must be at least " + std::to_string(rules.min_size) + "x" +
                       std::to_string(rules.min_size) + "; got `input_shape=" + to_string(input_shape) + "`");
  } else {
    input_shape = rules.require_flatten ? default_shape : Shape{None, None, 3};
  }
  if (rules.require_flatten && std::find(input_shape.begin(), input_shape.end(), None) != input_shape.end())
    throw ValueError("If `include_top` is True, you should specify a static `input_shape`. Got `input_shape=" +
                     to_string(input_shape) + "`");
  return input_shape;
}

}  // namespace detail

TL_INLINE torch::Tensor preprocess_input(const torch::Tensor& x, const PreprocessOptions& options) {
  const auto& mode = options.mode;
  detail::check_mode(mode);
  auto out = torch::is_floating_point(x) ? x.clone() : x.to(torch::kFloat32);
  if (mode == "tf") return out / 127.5 - 1.0;
  tl::detail::check(out.dim() >= 1 && out.size(-1) == 3,
                    "preprocess_input: mode \"" + mode + "\" expects RGB images with 3 channels last, got a tensor "
                    "of shape " + to_string(out.sizes().vec()));
  if (mode == "torch") {
    const auto mean = torch::tensor({0.485, 0.456, 0.406}, out.options());
    const auto std = torch::tensor({0.229, 0.224, 0.225}, out.options());
    return (out / 255.0 - mean) / std;
  }
  return out.flip(-1) - torch::tensor({103.939, 116.779, 123.68}, out.options());  // caffe: BGR, mean-centred
}

TL_INLINE std::vector<std::vector<Prediction>> decode_predictions(const torch::Tensor& preds, int64_t top) {
  detail::check_predictions_shape(preds, 1000);  // before any download, as Keras
  return detail::decode_predictions(preds, top, detail::imagenet_class_index());
}

}  // namespace tl::applications
