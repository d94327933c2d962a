#pragma once
// keras.utils.image_dataset_from_directory (tf.keras 2.11): batches of images from a folder with one subfolder per
// class, with Keras's arguments, defaults, file order, splits and printed lines. TensorFlow's tf.data pipeline
// is replaced by the engine under flow_from_directory (preprocessing/image/detail/batch_iterator.hpp): the same
// worker threads, prefetching and bad-file policy. The rules followed, and their sources, are in docs/data.md.
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/batch_iterator.hpp>
#include <tl/preprocessing/image/iterator_options.hpp>
#include <tl/utils/sequence.hpp>

#include <torch/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace tl::utils {

/// Keras's `labels` argument: "inferred" (from the subfolders: the default), None (`nullptr` or "": no labels),
/// or one integer label per image file, in the order of the sorted file paths.
///   {.labels = nullptr}   {.labels = std::vector<int>{0, 1, 1, 0}}
class DatasetLabels {
 public:
  DatasetLabels(const char* value) : text_(value ? value : "") {}
  DatasetLabels(std::string value) : text_(std::move(value)) {}
  DatasetLabels(std::nullptr_t) {}
  DatasetLabels(std::vector<int> values) : values_(std::move(values)), is_list_(true) {}

  bool inferred() const { return !is_list_ && text_ == "inferred"; }
  bool none() const { return !is_list_ && text_.empty(); }
  bool is_list() const { return is_list_; }
  const std::vector<int>& values() const { return values_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<int> values_;
  bool is_list_ = false;
};

/// image_dataset_from_directory's keyword arguments, Keras's names and defaults, then tl's loader settings.
///   tl::utils::image_dataset_from_directory("flowers", {.batch_size = 16, .image_size = {180, 180}, .seed = 123,
///                                                       .validation_split = 0.2, .subset = "training"});
struct ImageDatasetOptions {
  DatasetLabels labels = "inferred";
  std::string label_mode = "int";          ///< "int", "categorical", "binary", "" (None: no labels)
  std::vector<std::string> class_names{};  ///< subfolder names in label order; empty: every subfolder, sorted
  std::string color_mode = "rgb";          ///< "grayscale", "rgb", "rgba"
  std::optional<int64_t> batch_size = 32;  ///< std::nullopt (None): single samples, unbatched
  std::pair<int, int> image_size{256, 256};  ///< (height, width)
  bool shuffle = true;
  std::optional<uint32_t> seed{};          ///< None: drawn at random (as Keras's np.random.randint(1e6))
  double validation_split = 0;             ///< 0 (None), or a fraction in (0, 1)
  std::string subset{};                    ///< "training", "validation", "both", "" (None)
  std::string interpolation = "bilinear";  ///< tf.image.resize's: bilinear, nearest, bicubic, area, lanczos3, ...
  bool follow_links = false;
  bool crop_to_aspect_ratio = false;
  std::string on_bad_image = "error";      ///< tl: "error" throws naming the file; "skip" warns, counts, skips
  preprocessing::image::LoaderOptions loader{};  ///< tl: worker threads and prefetch depth
};

namespace detail {

/// What index_directory finds: file paths (directory joined with "class/sub/file.jpg"), their labels (empty for
/// labels=None) and the class names.
struct DirectoryIndex {
  std::vector<std::string> file_paths;
  std::vector<int> labels;
  std::vector<std::string> class_names;
};

/// keras.utils.dataset_utils.index_directory: sorted class subfolders (or the whole tree for labels=None), each
/// walked with sorted roots and sorted files whose lower-cased name ends with one of `formats`; prints "Found N
/// files belonging to K classes." ("Found N files." without labels); then, with shuffle, file paths and labels
/// shuffled by np.random.RandomState(seed).shuffle.
DirectoryIndex index_directory(const std::string& directory, const DatasetLabels& labels,
                               const std::vector<std::string>& formats, std::vector<std::string> class_names,
                               bool shuffle, uint32_t seed, bool follow_links);

/// dataset_utils.check_validation_split_arg, with Keras's messages.
void check_validation_split_arg(double validation_split, const std::string& subset, bool shuffle,
                                const std::optional<uint32_t>& seed);

/// dataset_utils.get_training_or_validation_split: the last int(validation_split * n) samples are the
/// validation subset, the rest (samples[:-k]) the training subset; prints "Using M files for training." (or
/// validation). Keeps Python's slicing with k = 0: training is then empty and validation everything.
std::pair<std::vector<std::string>, std::vector<int>> training_or_validation_split(std::vector<std::string> samples,
                                                                                   std::vector<int> labels,
                                                                                   double validation_split,
                                                                                   const std::string& subset);

/// tl's deterministic stand-in for tf.data's `dataset.shuffle(buffer_size, seed)` (reshuffled each epoch):
/// TensorFlow's buffer algorithm (fill a buffer of `buffer_size`, emit a uniformly drawn element, refill from
/// the input) driven by numpy's RandomState(seed + epoch).randint. The order of epoch `epoch`.
std::vector<int64_t> shuffle_buffer_order(int64_t count, int64_t buffer_size, uint32_t seed, int64_t epoch);

/// The files of one dataset and how each becomes x (decode, color mode, crop, tf.image.resize) and y.
struct ImageDatasetSource final : preprocessing::image::detail::SampleSource {
  std::vector<std::string> file_paths;
  std::vector<int> labels;
  std::string label_mode;  // "int", "categorical", "binary" or "" (no labels)
  int64_t num_classes = 0;
  int channels = 3;
  std::pair<int, int> image_size{256, 256};
  std::string interpolation = "bilinear";
  bool crop_to_aspect_ratio = false;

  TL_INLINE int64_t count() const override;
  TL_INLINE std::vector<int64_t> sample_shape() const override;
  TL_INLINE torch::Tensor load(int64_t id) const override;
  TL_INLINE void load_into(int64_t id, torch::Tensor& row) const override;
  TL_INLINE void add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const override;
};

/// Keras's load_image on one file: decoded, converted to `channels`, resized (or smart-resized) to float32.
torch::Tensor load_image(const std::string& path, std::pair<int, int> image_size, int channels,
                         const std::string& interpolation, bool crop_to_aspect_ratio);
/// load_image into `out` (image_size.first * image_size.second * channels floats).
void load_image_into(const std::string& path, std::pair<int, int> image_size, int channels,
                     const std::string& interpolation, bool crop_to_aspect_ratio, float* out);

}  // namespace detail

class ImageDataset;
ImageDataset image_dataset_from_directory(const std::filesystem::path& directory, const ImageDatasetOptions& options);

/// What image_dataset_from_directory returns: Keras's dataset of (images, labels) batches as a utils::Sequence
/// (fit, evaluate and predict take it). x is (batch, height, width, channels) float32 in 0..255; y is int32 (batch)
/// for label_mode "int", float32 (batch, 1) for "binary", float32 (batch, num_classes) for "categorical",
/// undefined without labels. Batches by index (`ds[i]`) and by range-for, in this epoch's order; fit calls
/// on_epoch_end, which reshuffles (when shuffle). Copies share one loader.
///   auto [train_ds, val_ds] = tl::utils::image_dataset_from_directory(
///       "flowers", {.image_size = {180, 180}, .seed = 123, .validation_split = 0.2, .subset = "both"});
///   for (const auto& batch : train_ds) { /* batch.x: (32, 180, 180, 3) */ }
class ImageDataset : public preprocessing::image::detail::CoreSequence {
 public:
  std::vector<std::string> class_names;  ///< Keras's dataset.class_names
  std::vector<std::string> file_paths;   ///< Keras's dataset.file_paths (order of the samples before per-epoch shuffling)
  std::vector<int> labels;               ///< the label of each file path (empty without labels)
  std::string label_mode;                ///< "int", "categorical", "binary" or "" (no labels)
  std::optional<int64_t> batch_size;     ///< std::nullopt: unbatched
  std::vector<int64_t> image_shape;      ///< (height, width, channels)

  /// Image files skipped as unreadable with on_bad_image = "skip" (at listing time and while loading).
  int64_t skipped_images() const { return skipped_at_start_ + core_->skipped_images(); }

  /// Batch `index` of this epoch; unbatched datasets give one sample (x: (height, width, channels)).
  TL_INLINE utils::Batch get_batch(int64_t index) override;

  /// A batch source for range-for: batches 0..size()-1 of the current epoch.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = utils::Batch;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = utils::Batch;
    iterator() = default;
    iterator(ImageDataset* dataset, int64_t index) : dataset_(dataset), index_(index) {}
    utils::Batch operator*() const { return dataset_->get_batch(index_); }
    iterator& operator++() { return ++index_, *this; }
    void operator++(int) { ++index_; }
    bool operator==(const iterator& other) const { return index_ == other.index_; }

   private:
    ImageDataset* dataset_ = nullptr;
    int64_t index_ = 0;
  };
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size()}; }

  /// subset="both" returns (training, validation), as Keras's list: `auto [train_ds, val_ds] = ...;`. get<0>()
  /// is the training dataset, get<1>() the validation one; ValueError for any other subset.
  template <std::size_t I>
  ImageDataset get() const {
    static_assert(I < 2, "image_dataset_from_directory(subset=\"both\") returns two datasets");
    return part(I);
  }

 private:
  friend ImageDataset image_dataset_from_directory(const std::filesystem::path& directory, const ImageDatasetOptions& options);
  ImageDataset part(std::size_t i) const;
  /// One dataset over `paths` (Keras's paths_and_labels_to_dataset, then batch, and shuffle when
  /// `shuffle_each_epoch`); applies the listing-time skip policy.
  static ImageDataset make(std::vector<std::string> paths, std::vector<int> labels,
                           const std::vector<std::string>& class_names, const ImageDatasetOptions& o, int channels,
                           uint32_t seed, bool shuffle_each_epoch);

  int64_t skipped_at_start_ = 0;
  std::shared_ptr<ImageDataset> validation_;  // subset="both": the validation half (this object is the training half)
};

/// keras.utils.image_dataset_from_directory(directory, ...): see ImageDatasetOptions and docs/data.md.
///   auto train_ds = tl::utils::image_dataset_from_directory("hot_dog/train", {.image_size = {224, 224}});
///   model.fit(train_ds, {.epochs = 5, .validation_data = val_ds});
ImageDataset image_dataset_from_directory(const std::filesystem::path& directory, const ImageDatasetOptions& options = {});

}  // namespace tl::utils

template <>
struct std::tuple_size<tl::utils::ImageDataset> : std::integral_constant<std::size_t, 2> {};
template <std::size_t I>
struct std::tuple_element<I, tl::utils::ImageDataset> {
  using type = tl::utils::ImageDataset;
};

namespace tl {
using utils::image_dataset_from_directory;
using utils::ImageDataset;
}  // namespace tl

#ifdef TL_HEADER_ONLY
#include <tl/utils/impl/image_dataset-inl.hpp>
#endif
