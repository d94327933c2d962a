#pragma once
// Keras's DirectoryIterator: batches of images read from class subfolders, labelled per class_mode. The folder
// scan is detail/list_files.hpp's, loading load_img's, batching, threads and the bad-file policy IteratorCore's
// (detail/batch_iterator.hpp).
// image_data_generator.hpp first: it includes the iterators after its class, so this order has no cycle.
#include <tl/preprocessing/image/image_data_generator.hpp>
#include <tl/core/config.hpp>
#include <tl/preprocessing/image/detail/batch_iterator.hpp>
#include <tl/preprocessing/image/load_img.hpp>

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl::preprocessing::image {

namespace detail {
/// The files of a DirectoryIterator and how each becomes x (load_img, img_to_array) and y (per class_mode).
struct DirectorySource final : SampleSource {
  std::vector<std::string> filepaths;
  std::vector<int> classes;
  int64_t num_classes = 0;
  std::string class_mode;
  LoadImgOptions load_options;
  std::vector<int64_t> shape;
  torch::ScalarType dtype = torch::kFloat32;

  TL_INLINE int64_t count() const override;
  TL_INLINE std::vector<int64_t> sample_shape() const override;
  TL_INLINE torch::Tensor load(int64_t id) const override;
  TL_INLINE void load_into(int64_t id, torch::Tensor& row) const override;
  TL_INLINE void add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const override;
};

/// The share of every class a subset takes. Keras silently gives an empty "validation" subset (and everything
/// as "training") when the generator has no validation_split; tl reports that mistake instead.
std::optional<std::pair<double, double>> subset_split(const std::string& subset, double validation_split);
}  // namespace detail

/// Batches from a folder with one subfolder per class, as Keras's DirectoryIterator (a utils::Sequence).
/// Copies share one loader (and its position); the Keras attributes below are read-only snapshots.
///   auto it = tl::ImageDataGenerator().flow_from_directory("hot_dog/train", {.target_size = {224, 224}});
///   auto [x, y, w] = it[0];  // x (32, 224, 224, 3) float32, y (32, 2) one-hot
class DirectoryIterator : public detail::CoreSequence {
 public:
  DirectoryIterator(const std::filesystem::path& directory, const ImageDataGenerator& generator,
                    const DirectoryIteratorOptions& options = {});

  std::string directory;
  std::map<std::string, int> class_indices;  ///< class name -> index (sorted subfolder order)
  std::vector<int> classes;                  ///< class index of every sample
  std::vector<std::string> filenames;        ///< "class/file.jpg", relative to directory
  std::vector<std::string> filepaths;        ///< directory joined with each filename
  int64_t samples = 0;
  int64_t batch_size = 32;
  int64_t num_classes = 0;
  std::vector<int64_t> image_shape;  ///< (height, width, channels)
  std::string class_mode;

  /// Keras's `labels` (= classes).
  const std::vector<int>& labels() const { return classes; }
  /// Image files skipped as unreadable with on_bad_image = "skip" (at listing time and while loading).
  int64_t skipped_images() const { return skipped_at_start_ + core_->skipped_images(); }

 private:
  static void validate(const DirectoryIteratorOptions& o);
  void check_directory() const;
  std::shared_ptr<detail::DirectorySource> make_source(const ImageDataGenerator& generator, const DirectoryIteratorOptions& o) const;
  static detail::IteratorSettings settings(const DirectoryIteratorOptions& o);

  int64_t skipped_at_start_ = 0;
};

}  // namespace tl::preprocessing::image

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/impl/directory_iterator-inl.hpp>
#endif
