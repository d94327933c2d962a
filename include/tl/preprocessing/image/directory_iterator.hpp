#pragma once
// Keras's DirectoryIterator: batches of images read from class subfolders, labelled per class_mode.
// image_data_generator.hpp first: it includes the iterators after its class, so this order has no cycle.
#include <tl/preprocessing/image/image_data_generator.hpp>
#include <tl/preprocessing/image/detail/batch_iterator.hpp>
#include <tl/preprocessing/image/detail/list_files.hpp>
#include <tl/preprocessing/image/load_img.hpp>

#include <iostream>
#include <map>

namespace tl::preprocessing::image {

namespace detail {
/// The files of a DirectoryIterator and how each becomes x and y.
struct DirectorySource final : SampleSource {
  std::vector<std::string> filepaths;
  std::vector<int> classes;
  int64_t num_classes = 0;
  std::string class_mode;
  LoadImgOptions load_options;
  std::vector<int64_t> shape;
  torch::ScalarType dtype = torch::kFloat32;

  int64_t count() const override { return static_cast<int64_t>(filepaths.size()); }
  std::vector<int64_t> sample_shape() const override { return shape; }
  torch::Tensor load(int64_t id) const override { return img_to_array(load_img(filepaths[id], load_options)); }
  void add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const override {
    const auto n = static_cast<int64_t>(ids.size());
    const auto opts = torch::TensorOptions().dtype(dtype);
    if (class_mode == "input") {
      batch.y = batch.x.clone();
    } else if (class_mode == "binary" || class_mode == "sparse") {
      batch.y = torch::empty({n}, opts);
      for (int64_t i = 0; i < n; ++i) batch.y[i] = classes[ids[i]];
    } else if (class_mode == "categorical") {
      batch.y = torch::zeros({n, num_classes}, opts);
      for (int64_t i = 0; i < n; ++i) batch.y[i][classes[ids[i]]] = 1;
    }
  }
};

/// The share of every class a subset takes. Keras silently gives an empty "validation" subset (and everything
/// as "training") when the generator has no validation_split; tl reports that mistake instead.
inline std::optional<std::pair<double, double>> subset_split(const std::string& subset, double validation_split) {
  if (subset.empty()) return std::nullopt;
  tl::detail::check(validation_split > 0, "subset=\"" + subset + "\" needs a validation_split in the ImageDataGenerator "
                                          "(e.g. ImageDataGenerator({.validation_split = 0.2})); it is 0");
  if (subset == "validation") return std::pair{0.0, validation_split};
  if (subset == "training") return std::pair{validation_split, 1.0};
  throw ValueError("Invalid subset name: " + subset + "; expected \"training\" or \"validation\"");
}

/// skip mode: drops files whose header stb cannot read (empty, not an image, TIFF...), warning for each.
inline int64_t drop_unreadable(std::vector<std::string>& filenames, const std::string& directory) {
  std::vector<std::string> kept;
  for (auto& f : filenames) {
    int w, h, c;
    const std::string path = path_join(directory, f);
    if (stb::stbi_info(path.c_str(), &w, &h, &c)) {
      kept.push_back(std::move(f));
      continue;
    }
    const auto bytes = read_file(path);
    std::cerr << "Warning: skipping unreadable image file '" << path << "': "
              << (bytes.empty() ? "empty (0 bytes)" : undecodable_reason(bytes)) << "\n";
  }
  const auto dropped = static_cast<int64_t>(filenames.size() - kept.size());
  filenames = std::move(kept);
  return dropped;
}
}  // namespace detail

/// Batches from a folder with one subfolder per class, as Keras's DirectoryIterator (a utils::Sequence).
/// Copies share one loader (and its position); the Keras attributes below are read-only snapshots.
///   auto it = tl::ImageDataGenerator().flow_from_directory("hot_dog/train", {.target_size = {224, 224}});
///   auto [x, y, w] = it[0];  // x (32, 224, 224, 3) float32, y (32, 2) one-hot
class DirectoryIterator : public detail::CoreSequence {
 public:
  DirectoryIterator(const std::filesystem::path& directory, const ImageDataGenerator& generator,
                    const DirectoryIteratorOptions& options = {})
      : directory(directory.string()), batch_size(options.batch_size), class_mode(options.class_mode) {
    validate(options);
    check_directory();
    auto names = options.classes.empty() ? detail::list_class_names(this->directory) : options.classes;
    num_classes = static_cast<int64_t>(names.size());
    for (size_t i = 0; i < names.size(); ++i) class_indices[names[i]] = static_cast<int>(i);
    const auto split = detail::subset_split(options.subset, generator.validation_split());
    for (const auto& name : names) {
      auto files = detail::list_class_files(detail::path_join(this->directory, name), name, options.follow_links, split);
      if (options.on_bad_image == "skip") skipped_at_start_ += detail::drop_unreadable(files, this->directory);
      classes.insert(classes.end(), files.size(), class_indices[name]);
      filenames.insert(filenames.end(), files.begin(), files.end());
    }
    samples = static_cast<int64_t>(filenames.size());
    for (const auto& f : filenames) filepaths.push_back(detail::path_join(this->directory, f));
    std::cout << "Found " << samples << " images belonging to " << num_classes << " classes." << std::endl;
    image_shape = {options.target_size.first, options.target_size.second, detail::channels_for(options.color_mode)};
    core_ = std::make_shared<detail::IteratorCore>(make_source(generator, options), generator, settings(options));
  }

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
  static void validate(const DirectoryIteratorOptions& o) {
    const auto& m = o.class_mode;
    tl::detail::check(m == "categorical" || m == "binary" || m == "sparse" || m == "input" || m.empty(),
                  "Invalid class_mode: \"" + m + "\"; expected one of \"categorical\", \"binary\", \"sparse\", \"input\", \"\" (None)");
    tl::detail::check(o.on_bad_image == "error" || o.on_bad_image == "skip",
                  "on_bad_image must be \"error\" or \"skip\", got \"" + o.on_bad_image + "\"");
    detail::channels_for(o.color_mode);
    detail::pil_filter(o.interpolation);
    tl::detail::check(o.batch_size > 0, "flow_from_directory: batch_size must be positive, got " + std::to_string(o.batch_size));
    tl::detail::check(o.target_size.first > 0 && o.target_size.second > 0,
                      "flow_from_directory: target_size must be positive, got (" + std::to_string(o.target_size.first) +
                          ", " + std::to_string(o.target_size.second) + ")");
    tl::detail::check(o.loader.workers >= 0 && o.loader.max_queue_size >= 0,
                      "flow_from_directory: loader.workers and loader.max_queue_size must be >= 0");
  }

  void check_directory() const {
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec))
      throw IOError("flow_from_directory: directory '" + directory + "' does not exist or is not a directory");
  }

  std::shared_ptr<detail::DirectorySource> make_source(const ImageDataGenerator& generator, const DirectoryIteratorOptions& o) const {
    auto source = std::make_shared<detail::DirectorySource>();
    source->filepaths = filepaths;
    source->classes = classes;
    source->num_classes = num_classes;
    source->class_mode = class_mode;
    source->load_options = {o.color_mode, o.target_size, o.interpolation, o.keep_aspect_ratio};
    source->shape = image_shape;
    source->dtype = generator.options().dtype;
    return source;
  }

  static detail::IteratorSettings settings(const DirectoryIteratorOptions& o) {
    return {o.batch_size, o.shuffle, o.seed, o.loader, o.on_bad_image == "skip", o.save_to_dir, o.save_prefix, o.save_format, 10000000};
  }

  int64_t skipped_at_start_ = 0;
};

inline DirectoryIterator ImageDataGenerator::flow_from_directory(const std::filesystem::path& directory,
                                                                 const DirectoryIteratorOptions& options) const {
  return DirectoryIterator(directory, *this, options);
}

}  // namespace tl::preprocessing::image
