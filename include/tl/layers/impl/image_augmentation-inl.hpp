#pragma once
#include <tl/core/json.hpp>
#include <tl/layers/image_augmentation.hpp>
#include <tl/preprocessing/image/tf_image.hpp>

#include <ATen/CPUGeneratorImpl.h>

#include <charconv>
#include <cmath>
#include <numbers>

namespace tl::layers {

namespace augmentation_detail {
/// Python's repr of a float: the shortest round trip, with ".0" for whole numbers.
TL_INLINE std::string python_float(double v) {
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  std::string s(buf, end);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}
namespace tf = tl::preprocessing::image::detail;
}  // namespace augmentation_detail

TL_INLINE json Factor::to_json() const { return is_pair ? json::array({lower, upper}) : json(lower); }

TL_INLINE std::string Factor::repr() const {
  using augmentation_detail::python_float;
  if (!is_pair) return python_float(lower);
  std::string s = "(";
  s += python_float(lower);
  s += ", ";
  s += python_float(upper);
  s += ")";
  return s;
}

// --- BaseImageAugmentationLayerImpl ---------------------------------------------------------------------------

TL_INLINE BaseImageAugmentationLayerImpl::BaseImageAugmentationLayerImpl(std::string class_name, const std::string& name,
                                                                         std::optional<uint64_t> seed)
    : SingleInputLayerImpl(std::move(class_name), name), seed_(seed) {
  if (seed_) generator_ = at::detail::createCPUGenerator(*seed_);
}

TL_INLINE Shape BaseImageAugmentationLayerImpl::output_shape_for(const Shape& in) const {
  detail::check(in.size() == 4 || in.size() == 3,
                error_prefix() + "Image augmentation layers are expecting inputs to be rank 3 (HWC) or 4D (NHWC) "
                                 "tensors. Got shape: " + tl::to_string(in));
  return in;
}

TL_INLINE bool BaseImageAugmentationLayerImpl::frozen_in_training() const { return false; }

TL_INLINE torch::Tensor BaseImageAugmentationLayerImpl::infer(const torch::Tensor& images) { return images; }

TL_INLINE bool BaseImageAugmentationLayerImpl::changes_at_inference() const { return false; }

TL_INLINE torch::Tensor BaseImageAugmentationLayerImpl::forward_one(const torch::Tensor& x, bool training) {
  detail::check(x.dim() == 3 || x.dim() == 4, error_prefix() +
                                                  "Image augmentation layers are expecting inputs to be rank 3 (HWC) "
                                                  "or 4D (NHWC) tensors. Got rank " + std::to_string(x.dim()));
  if (!training && !changes_at_inference()) return x;  // Keras returns its inputs unchanged
  // A rank-3 input is one (H, W, C) image, in Keras's layout: a batch of one in tl's (N, C, H, W).
  const auto batch = x.dim() == 3 ? x.permute({2, 0, 1}).unsqueeze(0) : x;
  const auto images = batch.scalar_type() == torch::kFloat32 ? batch : batch.to(torch::kFloat32);
  auto out = training ? augment(images) : infer(images);
  return x.dim() == 3 ? out.squeeze(0).permute({1, 2, 0}) : out;
}

TL_INLINE torch::Tensor BaseImageAugmentationLayerImpl::uniform(int64_t rows, int64_t cols) {
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
  if (generator_.defined()) return torch::rand({rows, cols}, generator_, opts);
  return torch::rand({rows, cols}, opts);
}

TL_INLINE torch::Tensor BaseImageAugmentationLayerImpl::random_ints(int64_t rows, int64_t cols) {
  const auto opts = torch::TensorOptions().dtype(torch::kLong);
  constexpr int64_t int32_max = 2147483647;
  if (generator_.defined()) return torch::randint(0, int32_max, {rows, cols}, generator_, opts);
  return torch::randint(0, int32_max, {rows, cols}, opts);
}

TL_INLINE torch::Tensor BaseImageAugmentationLayerImpl::scaled(const torch::Tensor& u, double lower, double upper) {
  const auto lo = static_cast<float>(lower), hi = static_cast<float>(upper);
  return lo + (hi - lo) * u;
}

TL_INLINE json BaseImageAugmentationLayerImpl::config_with_seed(json extra) const {
  extra["seed"] = seed_ ? json(static_cast<int64_t>(*seed_)) : json(nullptr);
  return config_with(std::move(extra));
}

// --- RandomFlip ---------------------------------------------------------------------------------------------------

TL_INLINE RandomFlipImpl::RandomFlipImpl(std::string mode, RandomFlipOptions options)
    : BaseImageAugmentationLayerImpl("RandomFlip", options.name, options.seed), mode_(std::move(mode)) {
  if (mode_ == "horizontal") horizontal_ = true;
  else if (mode_ == "vertical") vertical_ = true;
  else if (mode_ == "horizontal_and_vertical") horizontal_ = vertical_ = true;
  else throw ValueError("RandomFlip layer " + this->name() + " received an unknown mode argument " + mode_);
}

TL_INLINE torch::Tensor RandomFlipImpl::augment(const torch::Tensor& images) {
  const int64_t n = images.size(0);
  // Per image: flip_horizontal (when the mode has it), then flip_vertical, each with probability 1/2.
  const auto u = uniform(n, int64_t(horizontal_) + int64_t(vertical_));
  auto out = images;
  int64_t column = 0;
  const auto apply = [&](int64_t dim) {
    const auto flip = (u.select(1, column++) < 0.5f).to(images.device()).view({n, 1, 1, 1});
    out = torch::where(flip, out.flip({dim}), out);
  };
  if (horizontal_) apply(3);  // tf.image.flip_left_right
  if (vertical_) apply(2);    // tf.image.flip_up_down
  return out;
}

TL_INLINE json RandomFlipImpl::get_config() const { return config_with_seed({{"mode", mode_}}); }

TL_INLINE RandomFlip::RandomFlip(std::string mode, RandomFlipOptions options)
    : LayerHandle(std::make_shared<RandomFlipImpl>(std::move(mode), std::move(options))) {}

// --- RandomRotation -----------------------------------------------------------------------------------------------

TL_INLINE RandomRotationImpl::RandomRotationImpl(Factor factor, RandomRotationOptions options)
    : BaseImageAugmentationLayerImpl("RandomRotation", options.name, options.seed),
      factor_(factor),
      options_(std::move(options)) {
  std::tie(lower_, upper_) = factor_.symmetric();
  if (upper_ < lower_) throw ValueError("Factor cannot have negative values, got " + factor_.repr());
  augmentation_detail::tf::check_fill_mode_and_interpolation(options_.fill_mode, options_.interpolation);
}

TL_INLINE torch::Tensor RandomRotationImpl::augment(const torch::Tensor& images) {
  const int64_t n = images.size(0), h = images.size(2), w = images.size(3);
  const double min_angle = lower_ * 2.0 * std::numbers::pi, max_angle = upper_ * 2.0 * std::numbers::pi;
  const auto angles = scaled(uniform(n, 1).squeeze(1), min_angle, max_angle);
  return augmentation_detail::tf::projective_transform(images, augmentation_detail::tf::rotation_matrix(angles, h, w),
                                                       options_.interpolation, options_.fill_mode, options_.fill_value);
}

TL_INLINE json RandomRotationImpl::get_config() const {
  return config_with_seed({{"factor", factor_.to_json()}, {"fill_mode", options_.fill_mode},
                           {"fill_value", options_.fill_value}, {"interpolation", options_.interpolation}});
}

TL_INLINE RandomRotation::RandomRotation(Factor factor, RandomRotationOptions options)
    : LayerHandle(std::make_shared<RandomRotationImpl>(factor, std::move(options))) {}

// --- RandomZoom ---------------------------------------------------------------------------------------------------

TL_INLINE RandomZoomImpl::RandomZoomImpl(Factor height_factor, RandomZoomOptions options)
    : BaseImageAugmentationLayerImpl("RandomZoom", options.name, options.seed),
      height_factor_(height_factor),
      options_(std::move(options)) {
  height_ = height_factor_.symmetric();
  if (std::abs(height_.first) > 1.0 || std::abs(height_.second) > 1.0)
    throw ValueError("`height_factor` must have values between [-1, 1], got " + height_factor_.repr());
  if (options_.width_factor) {
    width_ = options_.width_factor->symmetric();
    if (width_.first < -1.0 || width_.second < -1.0)
      throw ValueError("`width_factor` must have values larger than -1, got " + options_.width_factor->repr());
  }
  augmentation_detail::tf::check_fill_mode_and_interpolation(options_.fill_mode, options_.interpolation);
}

TL_INLINE torch::Tensor RandomZoomImpl::augment(const torch::Tensor& images) {
  const int64_t n = images.size(0), h = images.size(2), w = images.size(3);
  // Per image: height_zoom, then width_zoom (when width_factor is set; else the same zoom).
  const auto u = uniform(n, options_.width_factor ? 2 : 1);
  const auto height_zoom = scaled(u.select(1, 0), 1.0 + height_.first, 1.0 + height_.second);
  const auto width_zoom = options_.width_factor ? scaled(u.select(1, 1), 1.0 + width_.first, 1.0 + width_.second) : height_zoom;
  const auto zooms = torch::stack({width_zoom, height_zoom}, 1);
  return augmentation_detail::tf::projective_transform(images, augmentation_detail::tf::zoom_matrix(zooms, h, w),
                                                       options_.interpolation, options_.fill_mode, options_.fill_value);
}

TL_INLINE json RandomZoomImpl::get_config() const {
  return config_with_seed({{"height_factor", height_factor_.to_json()},
                           {"width_factor", options_.width_factor ? options_.width_factor->to_json() : json(nullptr)},
                           {"fill_mode", options_.fill_mode}, {"fill_value", options_.fill_value},
                           {"interpolation", options_.interpolation}});
}

TL_INLINE RandomZoom::RandomZoom(Factor height_factor, RandomZoomOptions options)
    : LayerHandle(std::make_shared<RandomZoomImpl>(height_factor, std::move(options))) {}

// --- RandomTranslation --------------------------------------------------------------------------------------------

TL_INLINE RandomTranslationImpl::RandomTranslationImpl(Factor height_factor, Factor width_factor,
                                                       RandomTranslationOptions options)
    : BaseImageAugmentationLayerImpl("RandomTranslation", options.name, options.seed),
      height_factor_(height_factor),
      width_factor_(width_factor),
      options_(std::move(options)) {
  const auto check = [](const Factor& f, const std::string& what, std::pair<double, double>& range) {
    range = f.symmetric();
    if (range.second < range.first)
      throw ValueError("`" + what + "` cannot have upper bound less than lower bound, got " + f.repr());
    if (std::abs(range.first) > 1.0 || std::abs(range.second) > 1.0)
      throw ValueError("`" + what + "` must have values between [-1, 1], got " + f.repr());
  };
  check(height_factor_, "height_factor", height_);
  check(width_factor_, "width_factor", width_);
  augmentation_detail::tf::check_fill_mode_and_interpolation(options_.fill_mode, options_.interpolation);
}

TL_INLINE torch::Tensor RandomTranslationImpl::augment(const torch::Tensor& images) {
  const int64_t n = images.size(0), h = images.size(2), w = images.size(3);
  const auto u = uniform(n, 2);  // per image: height, then width
  const auto dy = scaled(u.select(1, 0), height_.first, height_.second) * static_cast<float>(h);
  const auto dx = scaled(u.select(1, 1), width_.first, width_.second) * static_cast<float>(w);
  return augmentation_detail::tf::projective_transform(images,
                                                       augmentation_detail::tf::translation_matrix(torch::stack({dx, dy}, 1)),
                                                       options_.interpolation, options_.fill_mode, options_.fill_value);
}

TL_INLINE json RandomTranslationImpl::get_config() const {
  return config_with_seed({{"height_factor", height_factor_.to_json()}, {"width_factor", width_factor_.to_json()},
                           {"fill_mode", options_.fill_mode}, {"fill_value", options_.fill_value},
                           {"interpolation", options_.interpolation}});
}

TL_INLINE RandomTranslation::RandomTranslation(Factor height_factor, Factor width_factor, RandomTranslationOptions options)
    : LayerHandle(std::make_shared<RandomTranslationImpl>(height_factor, width_factor, std::move(options))) {}

// --- RandomContrast -----------------------------------------------------------------------------------------------

TL_INLINE RandomContrastImpl::RandomContrastImpl(Factor factor, RandomContrastOptions options)
    : BaseImageAugmentationLayerImpl("RandomContrast", options.name, options.seed),
      factor_(factor),
      options_(std::move(options)) {
  if (factor_.lower < 0.0 || factor_.upper < 0.0 || factor_.lower > 1.0)
    throw ValueError("Factor cannot have negative values or greater than 1.0, got " + factor_.repr());
}

TL_INLINE torch::Tensor RandomContrastImpl::augment(const torch::Tensor& images) {
  const int64_t n = images.size(0);
  const auto factor = scaled(uniform(n, 1).squeeze(1), 1.0 - factor_.lower, 1.0 + factor_.upper)
                          .to(images.device())
                          .view({n, 1, 1, 1});
  const auto mean = images.mean({2, 3}, /*keepdim=*/true);  // per image and channel (tf.image.adjust_contrast)
  return ((images - mean) * factor + mean).clamp(0, 255);
}

TL_INLINE json RandomContrastImpl::get_config() const { return config_with_seed({{"factor", factor_.to_json()}}); }

TL_INLINE RandomContrast::RandomContrast(Factor factor, RandomContrastOptions options)
    : LayerHandle(std::make_shared<RandomContrastImpl>(factor, std::move(options))) {}

// --- RandomCrop ---------------------------------------------------------------------------------------------------

TL_INLINE RandomCropImpl::RandomCropImpl(int64_t height, int64_t width, RandomCropOptions options)
    : BaseImageAugmentationLayerImpl("RandomCrop", options.name, options.seed),
      height_(height),
      width_(width),
      options_(std::move(options)) {
  detail::check(height > 0 && width > 0, error_prefix() + "height and width must be positive, got (" +
                                             std::to_string(height) + ", " + std::to_string(width) + ")");
}

TL_INLINE Shape RandomCropImpl::output_shape_for(const Shape& in) const {
  auto out = BaseImageAugmentationLayerImpl::output_shape_for(in);
  out[out.size() - 3] = height_;
  out[out.size() - 2] = width_;
  return out;
}

TL_INLINE torch::Tensor RandomCropImpl::augment(const torch::Tensor& images) {
  const int64_t n = images.size(0), h = images.size(2), w = images.size(3);
  const int64_t h_diff = h - height_, w_diff = w - width_;
  // Per image: two draws in [0, int32 max), then top = r0 % (h_diff + 1), left = r1 % (w_diff + 1), as Keras.
  const auto r = random_ints(n, 2);
  if (h_diff < 0 || w_diff < 0) return infer(images);  // smaller than the crop: smart_resize
  const auto top = (r.select(1, 0) % (h_diff + 1)).to(images.device()).view({n, 1, 1});
  const auto left = (r.select(1, 1) % (w_diff + 1)).to(images.device()).view({n, 1, 1});
  const auto lopts = images.options().dtype(torch::kLong);
  const auto rows = top + torch::arange(height_, lopts).view({1, height_, 1});
  const auto cols = left + torch::arange(width_, lopts).view({1, 1, width_});
  const auto index = (torch::arange(n, lopts).view({n, 1, 1}) * h + rows) * w + cols;
  const auto pixels = images.permute({0, 2, 3, 1}).reshape({n * h * w, images.size(1)});
  return pixels.index_select(0, index.reshape({-1})).view({n, height_, width_, images.size(1)}).permute({0, 3, 1, 2});
}

TL_INLINE torch::Tensor RandomCropImpl::infer(const torch::Tensor& images) {
  return augmentation_detail::tf::smart_resize_internal(images, {height_, width_},
                                                        augmentation_detail::tf::ResizeMethod::bilinear);
}

TL_INLINE bool RandomCropImpl::changes_at_inference() const { return true; }

TL_INLINE json RandomCropImpl::get_config() const { return config_with_seed({{"height", height_}, {"width", width_}}); }

TL_INLINE RandomCrop::RandomCrop(int64_t height, int64_t width, RandomCropOptions options)
    : LayerHandle(std::make_shared<RandomCropImpl>(height, width, std::move(options))) {}

}  // namespace tl::layers
