#pragma once
// Keras's ImageDataGenerator: random augmentation and normalization of (H, W, C) images, in Keras's order.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/affine.hpp>
#include <tl/preprocessing/image/detail/numpy_random.hpp>
#include <tl/preprocessing/image/iterator_options.hpp>
#include <tl/preprocessing/image/transform_params.hpp>

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tl::preprocessing::image {

class DirectoryIterator;
class NumpyArrayIterator;

/// ImageDataGenerator's constructor arguments (Keras defaults; rescale 0 means None).
struct ImageDataGeneratorOptions {
  bool featurewise_center = false;
  bool samplewise_center = false;
  bool featurewise_std_normalization = false;
  bool samplewise_std_normalization = false;
  bool zca_whitening = false;
  double zca_epsilon = 1e-6;
  double rotation_range = 0;
  ShiftRange width_shift_range = 0.0;
  ShiftRange height_shift_range = 0.0;
  std::vector<double> brightness_range{};  ///< empty (None) or {lower, upper}
  double shear_range = 0;
  ZoomRange zoom_range = 0.0;
  double channel_shift_range = 0;
  std::string fill_mode = "nearest";
  double cval = 0;
  bool horizontal_flip = false;
  bool vertical_flip = false;
  double rescale = 0;
  std::function<torch::Tensor(torch::Tensor)> preprocessing_function{};  ///< applied to each (H, W, C) image
  std::string data_format = "channels_last";
  double validation_split = 0;
  int interpolation_order = 1;
  torch::ScalarType dtype = torch::kFloat32;
};

/// Generates batches of image data with real-time augmentation, as Keras's ImageDataGenerator.
///   tl::ImageDataGenerator gen({.rescale = 1.0 / 255, .horizontal_flip = true, .validation_split = 0.2});
///   auto train = gen.flow_from_directory("hot_dog/train", {.target_size = {224, 224}, .subset = "training"});
/// Iterators copy the generator when created: call fit() before flow()/flow_from_directory().
class ImageDataGenerator {
 public:
  explicit ImageDataGenerator(ImageDataGeneratorOptions options = {});

  const ImageDataGeneratorOptions& options() const { return o_; }
  double validation_split() const { return o_.validation_split; }
  /// Feature-wise statistics set by fit() (undefined until then).
  torch::Tensor mean, std, principal_components;

  /// Draws one transformation for an image of shape (H, W, C) from numpy's RNG semantics; like Keras's
  /// get_random_transform it reseeds with `seed` when given, else continues this generator's own stream.
  TransformParams get_random_transform(const std::vector<int64_t>& img_shape, std::optional<uint32_t> seed = {});

  /// get_random_transform drawing from `rng` (the iterators' per-batch stream).
  TransformParams draw_transform(const std::vector<int64_t>& img_shape, detail::NumpyRandom& rng) const;

  /// Applies a transformation to one (H, W, C) image in Keras's order: affine, channel shift, flips, brightness.
  torch::Tensor apply_transform(torch::Tensor x, const TransformParams& p) const;

  /// get_random_transform followed by apply_transform.
  torch::Tensor random_transform(const torch::Tensor& x, std::optional<uint32_t> seed = {});

  /// Normalizes an image (or a batch) in Keras's order: preprocessing_function, rescale, sample-wise,
  /// feature-wise, ZCA. Feature-wise steps before fit() warn and are skipped, as in Keras.
  torch::Tensor standardize(torch::Tensor x) const;

  /// Computes the feature-wise statistics (mean, std, ZCA) from an (N, H, W, C) sample, as Keras's fit.
  void fit(const torch::Tensor& data, bool augment = false, int rounds = 1, std::optional<uint32_t> seed = {});

  /// True when every image always comes out the same: no random augmentation and no preprocessing_function.
  bool deterministic() const;

  /// Batches from class subfolders of `directory`; see DirectoryIteratorOptions. Prints Keras's
  /// "Found N images belonging to K classes." line.
  DirectoryIterator flow_from_directory(const std::filesystem::path& directory, const DirectoryIteratorOptions& options = {}) const;

  /// Batches from in-memory (N, H, W, C) images and optional labels y (N, ...), as Keras's flow.
  NumpyArrayIterator flow(const torch::Tensor& x, const torch::Tensor& y = {}, const FlowOptions& options = {}) const;

 private:
  static double draw_shift(const ShiftRange& r, int64_t size, detail::NumpyRandom& rng);
  static void warn_unfit(const char* what);
  void validate();

  ImageDataGeneratorOptions o_;
  bool featurewise_center_ = false, featurewise_std_ = false;
  detail::NumpyRandom rng_;  // seeded from std::random_device by the constructor
};

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/image_data_generator-inl.hpp>
#endif

// The iterators flow_from_directory and flow return (they include this header first, so this order has no cycle).
#include <tl/preprocessing/image/directory_iterator.hpp>
#include <tl/preprocessing/image/numpy_array_iterator.hpp>
