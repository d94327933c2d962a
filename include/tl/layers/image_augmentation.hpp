#pragma once
// Keras's image augmentation layers (keras.layers.RandomFlip, RandomRotation, RandomZoom, RandomTranslation,
// RandomContrast, RandomCrop; tf.keras 2.11 semantics): random per image while training (fit), identity at
// inference (predict, evaluate) except RandomCrop, which then smart-resizes. They run on the batch, on the model's
// device; their random numbers are drawn on the CPU from the layer's own generator when it has a seed (so a seed
// gives the same augmentations on CPU and CUDA), else from LibTorch's global one (torch::manual_seed).
//   auto data_augmentation = tl::Sequential({tl::layers::RandomFlip("horizontal"), tl::layers::RandomRotation(0.1)});
//   auto x = data_augmentation(inputs);
// A model holding one of them is never cached by fit's feature cache below it (frozen_in_training() is false).
#include <tl/layers/layer.hpp>

#include <ATen/core/Generator.h>

#include <cstdint>
#include <optional>
#include <string>

namespace tl::layers {

/// A Keras factor argument: one number, or a (lower, upper) pair: `RandomRotation(0.1)`, `RandomRotation({-0.2, 0.3})`.
/// Each layer reads a single number as Keras does (RandomRotation: [-f, f]; RandomContrast: [1 - f, 1 + f]).
struct Factor {
  Factor(double value) : lower(value), upper(value) {}
  Factor(double lower, double upper) : lower(lower), upper(upper), is_pair(true) {}
  double lower, upper;
  bool is_pair = false;
  /// The value as Keras's get_config writes it: a number or [lower, upper].
  json to_json() const;
  /// As Python prints it in error messages: 0.2 or (-0.2, 0.3).
  std::string repr() const;
  /// (-f, f) for a single number f, else (lower, upper).
  std::pair<double, double> symmetric() const { return is_pair ? std::pair{lower, upper} : std::pair{-lower, lower}; }
};

/// A factor that may be None (RandomZoom's width_factor): `.width_factor = 0.1`, `.width_factor = {-0.2, 0.3}`.
struct OptionalFactor {
  OptionalFactor() = default;
  OptionalFactor(std::nullopt_t) {}
  OptionalFactor(double value) : factor(Factor(value)) {}
  OptionalFactor(double lower, double upper) : factor(Factor(lower, upper)) {}
  OptionalFactor(Factor f) : factor(f) {}
  std::optional<Factor> factor;
  explicit operator bool() const { return factor.has_value(); }
  const Factor* operator->() const { return &*factor; }
};

/// The base of the augmentation layers (Keras's BaseImageAugmentationLayer): rank-4 (batch) or rank-3 (one image)
/// inputs, identity unless training, a seedable generator.
class BaseImageAugmentationLayerImpl : public SingleInputLayerImpl {
 public:
  BaseImageAugmentationLayerImpl(std::string class_name, const std::string& name, std::optional<uint64_t> seed);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  torch::Tensor forward_one(const torch::Tensor& x, bool training) final;
  TL_INLINE bool frozen_in_training() const override;  // random while training: never part of fit's cached prefix
  std::optional<uint64_t> seed() const { return seed_; }

 protected:
  /// The training computation on a float32 batch (N, C, H, W) in tl's internal layout.
  virtual torch::Tensor augment(const torch::Tensor& images) = 0;
  /// The inference computation, when changes_at_inference() (RandomCrop's smart_resize).
  TL_INLINE virtual torch::Tensor infer(const torch::Tensor& images);
  TL_INLINE virtual bool changes_at_inference() const;
  /// `rows` x `cols` float32 uniform draws in [0, 1) on the CPU, row by row (one row per image).
  torch::Tensor uniform(int64_t rows, int64_t cols);
  /// `rows` x `cols` int64 draws uniform in [0, 2^31 - 1) on the CPU (TensorFlow's int32 random_uniform range).
  torch::Tensor random_ints(int64_t rows, int64_t cols);
  /// lower + (upper - lower) * u in float32, as tf.random.uniform(minval, maxval).
  static torch::Tensor scaled(const torch::Tensor& u, double lower, double upper);
  /// config_with plus "seed".
  json config_with_seed(json extra) const;

 private:
  std::optional<uint64_t> seed_;
  at::Generator generator_;
};

// ---------------------------------------------------------------------------------------------------------------

/// Keras's keyword arguments of RandomFlip.
struct RandomFlipOptions {
  std::optional<uint64_t> seed = std::nullopt;
  std::string name = "";
};

class RandomFlipImpl : public BaseImageAugmentationLayerImpl {
 public:
  RandomFlipImpl(std::string mode, RandomFlipOptions options);
  TL_INLINE json get_config() const override;
  const std::string& mode() const { return mode_; }

 protected:
  TL_INLINE torch::Tensor augment(const torch::Tensor& images) override;

 private:
  std::string mode_;
  bool horizontal_ = false, vertical_ = false;
};

/// `keras.layers.RandomFlip(mode="horizontal_and_vertical")`: each image flipped left-right and/or top-bottom with
/// probability 1/2 ("horizontal", "vertical" or "horizontal_and_vertical").
///   tl::layers::RandomFlip("horizontal", {.seed = 42})
class RandomFlip : public LayerHandle<RandomFlipImpl> {
 public:
  explicit RandomFlip(std::string mode = "horizontal_and_vertical", RandomFlipOptions options = {});
};

// ---------------------------------------------------------------------------------------------------------------

/// Keras's keyword arguments of RandomRotation.
struct RandomRotationOptions {
  std::string fill_mode = "reflect";      ///< "reflect", "wrap", "constant", "nearest"
  std::string interpolation = "bilinear";  ///< "bilinear", "nearest"
  std::optional<uint64_t> seed = std::nullopt;
  double fill_value = 0.0;                 ///< for fill_mode "constant"
  std::string name = "";
};

class RandomRotationImpl : public BaseImageAugmentationLayerImpl {
 public:
  RandomRotationImpl(Factor factor, RandomRotationOptions options);
  TL_INLINE json get_config() const override;

 protected:
  TL_INLINE torch::Tensor augment(const torch::Tensor& images) override;

 private:
  Factor factor_;
  RandomRotationOptions options_;
  double lower_, upper_;
};

/// `keras.layers.RandomRotation(factor)`: rotates each image by an angle drawn in [lower, upper] * 2 pi (a single
/// factor f: [-f, f]; positive is counter-clockwise) about its centre.
///   tl::layers::RandomRotation(0.1)   tl::layers::RandomRotation({-0.2, 0.3}, {.fill_mode = "constant"})
class RandomRotation : public LayerHandle<RandomRotationImpl> {
 public:
  explicit RandomRotation(Factor factor, RandomRotationOptions options = {});
};

// ---------------------------------------------------------------------------------------------------------------

/// Keras's keyword arguments of RandomZoom.
struct RandomZoomOptions {
  OptionalFactor width_factor = std::nullopt;  ///< None: the height's zoom for both axes (aspect kept)
  std::string fill_mode = "reflect";
  std::string interpolation = "bilinear";
  std::optional<uint64_t> seed = std::nullopt;
  double fill_value = 0.0;
  std::string name = "";
};

class RandomZoomImpl : public BaseImageAugmentationLayerImpl {
 public:
  RandomZoomImpl(Factor height_factor, RandomZoomOptions options);
  TL_INLINE json get_config() const override;

 protected:
  TL_INLINE torch::Tensor augment(const torch::Tensor& images) override;

 private:
  Factor height_factor_;
  RandomZoomOptions options_;
  std::pair<double, double> height_, width_;
};

/// `keras.layers.RandomZoom(height_factor, width_factor=None)`: zooms each image by 1 + a factor drawn in the range
/// (positive: out, negative: in), about its centre. `RandomZoom(0)` is the identity.
///   tl::layers::RandomZoom(0.2)   tl::layers::RandomZoom({-0.3, -0.2}, {.width_factor = 0.1})
class RandomZoom : public LayerHandle<RandomZoomImpl> {
 public:
  explicit RandomZoom(Factor height_factor, RandomZoomOptions options = {});
};

// ---------------------------------------------------------------------------------------------------------------

/// Keras's keyword arguments of RandomTranslation.
struct RandomTranslationOptions {
  std::string fill_mode = "reflect";
  std::string interpolation = "bilinear";
  std::optional<uint64_t> seed = std::nullopt;
  double fill_value = 0.0;
  std::string name = "";
};

class RandomTranslationImpl : public BaseImageAugmentationLayerImpl {
 public:
  RandomTranslationImpl(Factor height_factor, Factor width_factor, RandomTranslationOptions options);
  TL_INLINE json get_config() const override;

 protected:
  TL_INLINE torch::Tensor augment(const torch::Tensor& images) override;

 private:
  Factor height_factor_, width_factor_;
  RandomTranslationOptions options_;
  std::pair<double, double> height_, width_;
};

/// `keras.layers.RandomTranslation(height_factor, width_factor)`: shifts each image by fractions of its height and
/// width drawn in the ranges (a single f: [-f, f]; positive is down / right).
///   tl::layers::RandomTranslation(0.1, 0.2)
class RandomTranslation : public LayerHandle<RandomTranslationImpl> {
 public:
  RandomTranslation(Factor height_factor, Factor width_factor, RandomTranslationOptions options = {});
};

// ---------------------------------------------------------------------------------------------------------------

/// Keras's keyword arguments of RandomContrast.
struct RandomContrastOptions {
  std::optional<uint64_t> seed = std::nullopt;
  std::string name = "";
};

class RandomContrastImpl : public BaseImageAugmentationLayerImpl {
 public:
  RandomContrastImpl(Factor factor, RandomContrastOptions options);
  TL_INLINE json get_config() const override;

 protected:
  TL_INLINE torch::Tensor augment(const torch::Tensor& images) override;

 private:
  Factor factor_;
  RandomContrastOptions options_;
};

/// `keras.layers.RandomContrast(factor)`: per image, a contrast factor c in [1 - lower, 1 + upper] (a single f:
/// lower = upper = f); each channel becomes (x - mean) * c + mean, clipped to [0, 255] (tf.image.adjust_contrast).
///   tl::layers::RandomContrast(0.2)
class RandomContrast : public LayerHandle<RandomContrastImpl> {
 public:
  explicit RandomContrast(Factor factor, RandomContrastOptions options = {});
};

// ---------------------------------------------------------------------------------------------------------------

/// Keras's keyword arguments of RandomCrop.
struct RandomCropOptions {
  std::optional<uint64_t> seed = std::nullopt;
  std::string name = "";
};

class RandomCropImpl : public BaseImageAugmentationLayerImpl {
 public:
  RandomCropImpl(int64_t height, int64_t width, RandomCropOptions options);
  TL_INLINE Shape output_shape_for(const Shape& in) const override;
  TL_INLINE json get_config() const override;
  int64_t height() const { return height_; }
  int64_t width() const { return width_; }

 protected:
  TL_INLINE torch::Tensor augment(const torch::Tensor& images) override;
  TL_INLINE torch::Tensor infer(const torch::Tensor& images) override;
  TL_INLINE bool changes_at_inference() const override;

 private:
  int64_t height_, width_;
  RandomCropOptions options_;
};

/// `keras.layers.RandomCrop(height, width)`: while training, a (height, width) window at a random place in each
/// image (an image smaller than that is smart-resized instead); at inference, smart_resize to (height, width):
/// the largest centred window with the target's aspect ratio, resized bilinearly (not a plain centre crop).
///   tl::layers::RandomCrop(224, 224)
class RandomCrop : public LayerHandle<RandomCropImpl> {
 public:
  RandomCrop(int64_t height, int64_t width, RandomCropOptions options = {});
};

}  // namespace tl::layers

#ifdef TL_HEADER_ONLY
#include <tl/layers/impl/image_augmentation-inl.hpp>
#endif
