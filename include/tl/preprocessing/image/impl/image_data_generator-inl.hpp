#pragma once
#include <tl/preprocessing/image/image_data_generator.hpp>

#include <tl/core/errors.hpp>

#include <torch/linalg.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <utility>

namespace tl::preprocessing::image {

TL_INLINE ImageDataGenerator::ImageDataGenerator(ImageDataGeneratorOptions options) : o_(std::move(options)) {
  rng_.seed(std::random_device{}());
  validate();
}

TL_INLINE TransformParams ImageDataGenerator::get_random_transform(const std::vector<int64_t>& img_shape,
                                                                 std::optional<uint32_t> seed) {
  if (seed) rng_.seed(*seed);
  return draw_transform(img_shape, rng_);
}

TL_INLINE TransformParams ImageDataGenerator::draw_transform(const std::vector<int64_t>& img_shape, detail::NumpyRandom& rng) const {
  TransformParams p;
  if (o_.rotation_range) p.theta = rng.uniform(-o_.rotation_range, o_.rotation_range);
  if (o_.height_shift_range) p.tx = draw_shift(o_.height_shift_range, img_shape.at(0), rng);
  if (o_.width_shift_range) p.ty = draw_shift(o_.width_shift_range, img_shape.at(1), rng);
  if (o_.shear_range) p.shear = rng.uniform(-o_.shear_range, o_.shear_range);
  if (!(o_.zoom_range.lower == 1 && o_.zoom_range.upper == 1)) {
    p.zx = rng.uniform(o_.zoom_range.lower, o_.zoom_range.upper);
    p.zy = rng.uniform(o_.zoom_range.lower, o_.zoom_range.upper);
  }
  p.flip_horizontal = (rng.random() < 0.5) && o_.horizontal_flip;
  p.flip_vertical = (rng.random() < 0.5) && o_.vertical_flip;
  if (o_.channel_shift_range != 0) p.channel_shift_intensity = rng.uniform(-o_.channel_shift_range, o_.channel_shift_range);
  if (!o_.brightness_range.empty()) p.brightness = rng.uniform(o_.brightness_range[0], o_.brightness_range[1]);
  return p;
}

TL_INLINE torch::Tensor ImageDataGenerator::apply_transform(torch::Tensor x, const TransformParams& p) const {
  x = apply_affine_transform(x, {p.theta, p.tx, p.ty, p.shear, p.zx, p.zy, o_.fill_mode, o_.cval, o_.interpolation_order});
  if (p.channel_shift_intensity) x = apply_channel_shift(x, *p.channel_shift_intensity);
  if (p.flip_horizontal) x = flip_axis(x, 1);
  if (p.flip_vertical) x = flip_axis(x, 0);
  if (p.brightness) x = apply_brightness_shift(x, *p.brightness);
  return x;
}

TL_INLINE torch::Tensor ImageDataGenerator::random_transform(const torch::Tensor& x, std::optional<uint32_t> seed) {
  return apply_transform(x, get_random_transform(x.sizes().vec(), seed));
}

TL_INLINE torch::Tensor ImageDataGenerator::standardize(torch::Tensor x) const {
  if (o_.preprocessing_function) x = o_.preprocessing_function(x);
  if (o_.rescale) x = x * static_cast<float>(o_.rescale);
  if (o_.samplewise_center) x = x - x.mean();
  if (o_.samplewise_std_normalization) x = x / (x.std(/*unbiased=*/false) + 1e-6);
  if (featurewise_center_) x = mean.defined() ? x - mean : (warn_unfit("featurewise_center"), x);
  if (featurewise_std_) x = std.defined() ? x / (std + 1e-6) : (warn_unfit("featurewise_std_normalization"), x);
  if (o_.zca_whitening) {
    if (!principal_components.defined()) return warn_unfit("zca_whitening"), x;
    const auto flat = x.reshape({-1, x.size(-3) * x.size(-2) * x.size(-1)}).to(principal_components.scalar_type());
    x = torch::matmul(flat, principal_components).reshape(x.sizes()).to(x.scalar_type());
  }
  return x;
}

TL_INLINE void ImageDataGenerator::fit(const torch::Tensor& data, bool augment, int rounds, std::optional<uint32_t> seed) {
  tl::detail::check(data.dim() == 4, "ImageDataGenerator.fit: input should have rank 4, got rank " + std::to_string(data.dim()));
  if (seed) rng_.seed(*seed);
  auto x = data.to(o_.dtype).clone();
  if (augment) {
    std::vector<torch::Tensor> all;
    for (int r = 0; r < rounds; ++r)
      for (int64_t i = 0; i < x.size(0); ++i) all.push_back(random_transform(x[i]));
    x = torch::stack(all);
  }
  const auto channel_stat = [&](const torch::Tensor& s) { return s.reshape({1, 1, x.size(3)}); };
  if (featurewise_center_) {
    mean = channel_stat(x.to(torch::kFloat64).mean({0, 1, 2}).to(o_.dtype));
    x = x - mean;
  }
  if (featurewise_std_) {
    std = channel_stat(x.to(torch::kFloat64).std({0, 1, 2}, /*unbiased=*/false).to(o_.dtype));
    x = x / (std + 1e-6);
  }
  if (o_.zca_whitening) {
    const auto flat = x.reshape({x.size(0), -1}).to(torch::kFloat64);
    const auto sigma = torch::matmul(flat.t(), flat) / flat.size(0);
    auto [u, s, vh] = torch::linalg::svd(sigma, /*full_matrices=*/true, c10::nullopt);
    const auto s_inv = 1.0 / torch::sqrt(s.unsqueeze(0) + o_.zca_epsilon);
    principal_components = torch::matmul(u * s_inv, u.t());
  }
}

TL_INLINE bool ImageDataGenerator::deterministic() const {
  return !o_.rotation_range && !o_.width_shift_range && !o_.height_shift_range && !o_.shear_range &&
         o_.zoom_range.lower == 1 && o_.zoom_range.upper == 1 && !o_.horizontal_flip && !o_.vertical_flip &&
         o_.channel_shift_range == 0 && o_.brightness_range.empty() && !o_.preprocessing_function;
}

TL_INLINE double ImageDataGenerator::draw_shift(const ShiftRange& r, int64_t size, detail::NumpyRandom& rng) {
  double v;
  double max = r.range;
  if (!r.choices.empty()) {
    v = r.choices[rng.randint(static_cast<int64_t>(r.choices.size()))];
    max = *std::max_element(r.choices.begin(), r.choices.end());
  } else if (r.is_int) {
    v = static_cast<double>(rng.randint(static_cast<int64_t>(r.range)));
  } else {
    return rng.uniform(-r.range, r.range) * (r.range < 1 ? size : 1);
  }
  v *= rng.randint(2) == 0 ? -1 : 1;
  return max < 1 ? v * size : v;
}

TL_INLINE void ImageDataGenerator::warn_unfit(const char* what) {
  std::cerr << "Warning: This ImageDataGenerator specifies `" << what
            << "`, but it hasn't been fit on any training data. Fit it first by calling `.fit(numpy_data)`.\n";
}

TL_INLINE void ImageDataGenerator::validate() {
  tl::detail::check(o_.data_format == "channels_last", "ImageDataGenerator: tl supports data_format \"channels_last\" only");
  tl::detail::check(!o_.validation_split || (o_.validation_split > 0 && o_.validation_split < 1),
                "`validation_split` must be strictly between 0 and 1. Received: " + std::to_string(o_.validation_split));
  tl::detail::check(o_.brightness_range.empty() || o_.brightness_range.size() == 2,
                "`brightness_range should be tuple or list of two floats.");
  tl::detail::check(o_.interpolation_order == 0 || o_.interpolation_order == 1,
                "ImageDataGenerator: interpolation_order must be 0 or 1 in tl");
  detail::fill_mode_from(o_.fill_mode);
  // Keras's implications between the normalization flags.
  featurewise_center_ = o_.featurewise_center || o_.zca_whitening || o_.featurewise_std_normalization;
  featurewise_std_ = o_.featurewise_std_normalization && !o_.zca_whitening;
  if (o_.samplewise_std_normalization) o_.samplewise_center = true;
}

}  // namespace tl::preprocessing::image
