#pragma once
// TensorFlow's image arithmetic as tf.keras 2.x uses it, on LibTorch tensors (CPU or CUDA):
// - tf.image.resize(..., antialias=False): image_dataset_from_directory, smart_resize and RandomCrop resize with it;
// - keras.preprocessing.image.smart_resize: the largest centred crop with the target's aspect ratio, then resize;
// - ImageProjectiveTransformV3 (Keras's image_preprocessing.transform): RandomRotation, RandomZoom and
//   RandomTranslation map every output pixel back into the input with it.
// Sources: keras/utils/image_utils.py and keras/layers/preprocessing/image_preprocessing.py (keras v2.11.0);
// tensorflow/core/kernels/image/ resize_bilinear_op.cc, resize_nearest_neighbor_op.cc, resize_bicubic_op.cc,
// resize_area_op.cc, scale_and_translate_op.cc, sampling_kernels.h, image_ops.h. docs/data.md says where tl's
// arithmetic differs from TensorFlow's (bilinear weights in double precision).
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/pil_image.hpp>

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tl::preprocessing::image {

/// tf.image.resize(images, size, method) with antialias=False (half-pixel centres): an (H, W, C) image or an
/// (N, H, W, C) batch, any dtype, to float32 of (height, width), on the input's device. `method`: "bilinear",
/// "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic" (any case).
///   auto y = tl::preprocessing::image::resize_images(x, {224, 224});  // (N, 224, 224, C) float32
torch::Tensor resize_images(const torch::Tensor& images, std::pair<int, int> size, const std::string& method = "bilinear");

/// keras.preprocessing.image.smart_resize: crops the largest centred window with the aspect ratio of `size`, then
/// resizes it with resize_images. (H, W, C) or (N, H, W, C) in, float32 out.
///   auto y = tl::preprocessing::image::smart_resize(x, {200, 200});  // (340, 500, 3) -> centre (340, 340) -> (200, 200)
torch::Tensor smart_resize(const torch::Tensor& x, std::pair<int, int> size, const std::string& interpolation = "bilinear");

namespace detail {

enum class ResizeMethod { bilinear, nearest, bicubic, area, lanczos3, lanczos5, gaussian, mitchellcubic };

/// Keras's image_utils.get_interpolation: the method of a name, lower-cased first; ValueError naming the
/// supported ones otherwise.
ResizeMethod resize_method(const std::string& name);

/// One axis of a resize: output i is the sum over k < span of weight[i * span + k] * input[index[i * span + k]]
/// (unused taps have weight 0). The weights follow TensorFlow's kernels (see the header comment).
struct ResizeTaps {
  int64_t span = 0;
  std::vector<int64_t> index;
  std::vector<double> weight;
};
ResizeTaps resize_taps(int64_t in_size, int64_t out_size, ResizeMethod method);

/// A window of an image: rows [top, top + height), columns [left, left + width).
struct CropWindow {
  int64_t top = 0, left = 0, height = 0, width = 0;
};

/// smart_resize's crop, in float32 as Keras computes it: crop_height = int(float(width * target_height) /
/// target_width), capped at height; likewise the width; centred (start = int(float(height - crop_height) / 2)).
CropWindow smart_resize_window(int64_t height, int64_t width, int64_t target_height, int64_t target_width);

/// The loader's resize: `window` of an 8-bit image to a float32 (height, width, channels) tensor, with
/// tf.image.resize's weights (computed in double, applied in float: within 4e-5 of float64 for 0..255 values).
/// What image_dataset_from_directory's load_image does after decoding.
torch::Tensor resize_image(const Image& img, const CropWindow& window, std::pair<int, int> size, ResizeMethod method);

/// resize_image into `out`, height * width * channels floats (a batch's row: no tensor of its own, no copy).
void resize_image_into(const Image& img, const CropWindow& window, std::pair<int, int> size, ResizeMethod method,
                       float* out);

/// resize_images on a float32 batch in tl's internal layout (N, C, H, W), on its device.
torch::Tensor resize_internal(const torch::Tensor& images, std::pair<int64_t, int64_t> size, ResizeMethod method);

/// smart_resize on a float32 batch in tl's internal layout (N, C, H, W).
torch::Tensor smart_resize_internal(const torch::Tensor& images, std::pair<int64_t, int64_t> size, ResizeMethod method);

/// Keras's check_fill_mode_and_interpolation: fill_mode "reflect", "wrap", "constant" or "nearest" and
/// interpolation "nearest" or "bilinear", else ValueError with Keras's message.
void check_fill_mode_and_interpolation(const std::string& fill_mode, const std::string& interpolation);

/// ImageProjectiveTransformV3 (Keras's image_preprocessing.transform) on a float32 batch in tl's internal layout
/// (N, C, H, W): output pixel (x, y) of image n samples the input at ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k),
/// k = c0 x + c1 y + 1, for the row [a0, a1, a2, b0, b1, b2, c0, c1] of `transforms` (N, 8) float32 (any device).
/// Coordinates outside the image are mapped by fill_mode; interpolation "nearest" or "bilinear".
/// On the CPU a loop kernel (TensorFlow's ProjectiveGenerator), elsewhere tensor operations with the same float32
/// arithmetic; `cpu_kernel` = false forces the tensor operations (what the tests compare on a machine without CUDA).
torch::Tensor projective_transform(const torch::Tensor& images, const torch::Tensor& transforms,
                                   const std::string& interpolation, const std::string& fill_mode, double fill_value);
torch::Tensor projective_transform(const torch::Tensor& images, const torch::Tensor& transforms,
                                   const std::string& interpolation, const std::string& fill_mode, double fill_value,
                                   bool cpu_kernel);

/// Keras's get_rotation_matrix / get_zoom_matrix / get_translation_matrix: (N, 8) float32 CPU transforms for
/// angles (N) in radians, zooms (N, 2) as [zx, zy], translations (N, 2) in pixels as [dx, dy].
torch::Tensor rotation_matrix(const torch::Tensor& angles, int64_t height, int64_t width);
torch::Tensor zoom_matrix(const torch::Tensor& zooms, int64_t height, int64_t width);
torch::Tensor translation_matrix(const torch::Tensor& translations);

}  // namespace detail
}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/tf_image-inl.hpp>
#endif
