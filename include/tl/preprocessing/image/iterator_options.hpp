#pragma once
// Keyword arguments of ImageDataGenerator.flow_from_directory and .flow, with Keras's defaults, plus tl's
// loader settings (worker threads, prefetch depth, what to do with unreadable images).
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl::preprocessing::image {

namespace detail {
/// One worker per hardware thread (at least one): LoaderOptions::workers's default.
int default_workers();
}  // namespace detail

/// Threads decoding and augmenting samples, how many batches they prepare ahead of the one asked for, and tl's
/// opt-in fast JPEG decode.
struct LoaderOptions {
  int workers = detail::default_workers();  ///< 0: load in the caller; default: one per hardware thread
  int max_queue_size = 2;  ///< batches prefetched ahead while the model computes
  /// JPEGs at least twice the target size decoded at 1/2, 1/4 or 1/8 scale by libjpeg (LoadImgOptions::fast_jpeg):
  /// faster, but not Keras's pixels, so off by default. docs/data.md has the speed-up and the differences.
  bool fast_jpeg = false;
};

/// flow_from_directory's keyword arguments (Keras defaults).
///   gen.flow_from_directory("hot_dog/train", {.target_size = {224, 224}, .batch_size = 16, .seed = 1})
struct DirectoryIteratorOptions {
  std::pair<int, int> target_size{256, 256};  ///< (height, width)
  std::string color_mode = "rgb";             ///< "grayscale", "rgb", "rgba"
  std::vector<std::string> classes{};         ///< subfolder names; empty: every subfolder, sorted
  std::string class_mode = "categorical";     ///< "categorical", "binary", "sparse", "input", "" (None)
  int64_t batch_size = 32;
  bool shuffle = true;
  std::optional<uint32_t> seed{};
  std::string save_to_dir{};                  ///< when set, every augmented image is also written there
  std::string save_prefix{};
  std::string save_format = "png";
  bool follow_links = false;
  std::string subset{};                       ///< "training", "validation" or "" (None)
  std::string interpolation = "nearest";
  bool keep_aspect_ratio = false;
  std::string on_bad_image = "error";         ///< "error": throw naming the file; "skip": warn, count, skip
  LoaderOptions loader{};
};

/// flow's keyword arguments (Keras defaults).
///   gen.flow(x, y, {.batch_size = 32, .shuffle = false})
struct FlowOptions {
  int64_t batch_size = 32;
  bool shuffle = true;
  torch::Tensor sample_weight{};
  std::optional<uint32_t> seed{};
  std::string save_to_dir{};
  std::string save_prefix{};
  std::string save_format = "png";
  std::string subset{};
  LoaderOptions loader{};
};

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/iterator_options-inl.hpp>
#endif
