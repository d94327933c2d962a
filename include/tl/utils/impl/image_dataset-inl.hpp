#pragma once
#include <tl/utils/image_dataset.hpp>

#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/decode.hpp>
#include <tl/preprocessing/image/detail/list_files.hpp>
#include <tl/preprocessing/image/detail/numpy_random.hpp>
#include <tl/preprocessing/image/detail/pil_convert.hpp>
#include <tl/preprocessing/image/image_data_generator.hpp>
#include <tl/preprocessing/image/tf_image.hpp>

#include <algorithm>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>
#include <system_error>
#include <type_traits>

namespace tl::utils {

namespace detail {

namespace img = tl::preprocessing::image;

/// Python's repr of a list of strings: ['a', 'b'].
TL_INLINE std::string python_list(const std::vector<std::string>& items) {
  std::string s = "[";
  for (size_t i = 0; i < items.size(); ++i) s += (i ? ", '" : "'") + items[i] + "'";
  return s + "]";
}

/// tf.io.gfile.listdir + isdir, sorted: the class subfolders (links to folders included).
TL_INLINE std::vector<std::string> class_subdirs(const std::string& directory) {
  return img::detail::list_class_names(directory);
}

/// dataset_utils.index_subdirectory: files under `dir` as "dirname/rel/path", roots sorted, files sorted.
TL_INLINE std::vector<std::string> index_subdirectory(const std::string& dir, const std::string& dirname, bool follow_links,
                                                      const std::vector<std::string>& formats) {
  auto tree = img::detail::walk(dir, follow_links);
  std::stable_sort(tree.begin(), tree.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> found;
  for (auto& [root, files] : tree) {
    std::sort(files.begin(), files.end());
    std::string rel = root.size() > dir.size() ? root.substr(dir.size()) : "";
    while (!rel.empty() && rel.front() == '/') rel.erase(rel.begin());
    for (const auto& f : files) {
      if (!img::detail::has_image_extension(f, formats)) continue;
      const std::string relative = rel.empty() ? f : rel + "/" + f;
      found.push_back(dirname.empty() ? relative : dirname + "/" + relative);
    }
  }
  return found;
}

TL_INLINE DirectoryIndex index_directory(const std::string& directory, const DatasetLabels& labels,
                                         const std::vector<std::string>& formats, std::vector<std::string> class_names,
                                         bool shuffle, uint32_t seed, bool follow_links) {
  std::vector<std::string> subdirs;
  if (labels.none()) {
    subdirs = {""};  // no labels: index from the parent directory down
    class_names = subdirs;
  } else {
    subdirs = class_subdirs(directory);
    if (class_names.empty()) {
      class_names = subdirs;
    } else {
      auto a = class_names, b = subdirs;
      std::sort(a.begin(), a.end());
      a.erase(std::unique(a.begin(), a.end()), a.end());
      std::sort(b.begin(), b.end());
      if (a != b)
        throw ValueError("The `class_names` passed did not match the names of the subdirectories of the target "
                         "directory. Expected: " + python_list(subdirs) + ", but received: " + python_list(class_names));
    }
  }
  DirectoryIndex index;
  std::vector<int> found_labels;
  for (const auto& subdir : subdirs) {
    const int label = static_cast<int>(std::find(class_names.begin(), class_names.end(), subdir) - class_names.begin());
    const auto files = index_subdirectory(subdir.empty() ? directory : img::detail::path_join(directory, subdir), subdir,
                                          follow_links, formats);
    for (const auto& f : files) {
      index.file_paths.push_back(img::detail::path_join(directory, f));
      found_labels.push_back(label);
    }
  }
  const auto n = index.file_paths.size();
  if (labels.is_list()) {
    if (labels.values().size() != n)
      throw ValueError("Expected the lengths of `labels` to match the number of files in the target directory. "
                       "len(labels) is " + std::to_string(labels.values().size()) + " while we found " +
                       std::to_string(n) + " files in directory " + directory + ".");
    index.labels = labels.values();
  } else if (!labels.none()) {
    index.labels = std::move(found_labels);
  }
  if (labels.none())
    std::cout << "Found " << n << " files." << std::endl;
  else
    std::cout << "Found " << n << " files belonging to " << class_names.size() << " classes." << std::endl;
  if (shuffle) {
    // rng = np.random.RandomState(seed); rng.shuffle(file_paths); the same again for the labels: one permutation.
    img::detail::NumpyRandom rng(seed);
    const auto order = rng.permutation(static_cast<int64_t>(n));
    std::vector<std::string> paths(n);
    std::vector<int> shuffled(index.labels.size());
    for (size_t i = 0; i < n; ++i) {
      paths[i] = index.file_paths[static_cast<size_t>(order[i])];
      if (!index.labels.empty()) shuffled[i] = index.labels[static_cast<size_t>(order[i])];
    }
    index.file_paths = std::move(paths);
    index.labels = std::move(shuffled);
  }
  index.class_names = std::move(class_names);
  return index;
}

TL_INLINE void check_validation_split_arg(double validation_split, const std::string& subset, bool shuffle,
                                          const std::optional<uint32_t>& seed) {
  std::ostringstream split;
  split << validation_split;
  if (validation_split != 0 && !(0 < validation_split && validation_split < 1))
    throw ValueError("`validation_split` must be between 0 and 1, received: " + split.str());
  if ((validation_split != 0 || !subset.empty()) && !(validation_split != 0 && !subset.empty()))
    throw ValueError("If `subset` is set, `validation_split` must be set, and inversely.");
  if (!subset.empty() && subset != "training" && subset != "validation" && subset != "both")
    throw ValueError("`subset` must be either \"training\", \"validation\" or \"both\", received: " + subset);
  if (validation_split != 0 && shuffle && !seed)
    throw ValueError("If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make "
                     "sure that there is no overlap between the training and validation subset.");
}

TL_INLINE std::pair<std::vector<std::string>, std::vector<int>> training_or_validation_split(std::vector<std::string> samples,
                                                                                             std::vector<int> labels,
                                                                                             double validation_split,
                                                                                             const std::string& subset) {
  if (validation_split == 0) return {std::move(samples), std::move(labels)};
  const auto n = static_cast<int64_t>(samples.size());
  const auto num_val = static_cast<int64_t>(validation_split * static_cast<double>(n));
  // Python: samples[:-k] and samples[-k:]; with k = 0 these are [] and everything.
  const int64_t cut = num_val == 0 ? 0 : n - num_val;
  const auto take = [](auto& v, int64_t from, int64_t to) {
    if (!v.empty()) v = std::decay_t<decltype(v)>(v.begin() + from, v.begin() + to);
  };
  if (subset == "training") {
    std::cout << "Using " << n - num_val << " files for training." << std::endl;
    take(samples, 0, cut);
    take(labels, 0, cut);
  } else if (subset == "validation") {
    std::cout << "Using " << num_val << " files for validation." << std::endl;
    take(samples, cut, n);
    take(labels, cut, n);
  } else {
    throw ValueError("`subset` must be either \"training\" or \"validation\", received: " + subset);
  }
  return {std::move(samples), std::move(labels)};
}

TL_INLINE std::vector<int64_t> shuffle_buffer_order(int64_t count, int64_t buffer_size, uint32_t seed, int64_t epoch) {
  img::detail::NumpyRandom rng(seed + static_cast<uint32_t>(epoch));
  std::vector<int64_t> order, buffer;
  order.reserve(static_cast<size_t>(count));
  int64_t next = 0;
  while (next < count && static_cast<int64_t>(buffer.size()) < buffer_size) buffer.push_back(next++);
  while (!buffer.empty()) {
    const auto pick = static_cast<size_t>(rng.randint(static_cast<int64_t>(buffer.size())));
    order.push_back(buffer[pick]);
    if (next < count) {
      buffer[pick] = next++;  // the freed slot takes the next input element
    } else {
      buffer[pick] = buffer.back();
      buffer.pop_back();
    }
  }
  return order;
}

TL_INLINE torch::Tensor load_image(const std::string& path, std::pair<int, int> image_size, int channels,
                                   const std::string& interpolation, bool crop_to_aspect_ratio) {
  auto out = torch::empty({image_size.first, image_size.second, channels}, torch::kFloat32);
  load_image_into(path, image_size, channels, interpolation, crop_to_aspect_ratio, out.data_ptr<float>());
  return out;
}

TL_INLINE void load_image_into(const std::string& path, std::pair<int, int> image_size, int channels,
                               const std::string& interpolation, bool crop_to_aspect_ratio, float* out) {
  const auto method = img::detail::resize_method(interpolation);
  const auto bytes = img::detail::read_file(path);
  // Decoded and converted as load_img does (docs/data.md, "Colour conversion": where TensorFlow's decoders differ).
  auto image = img::detail::pil_convert(img::detail::decode_image(bytes.data(), bytes.size(), "image file '" + path + "'"),
                                        channels);
  img::detail::CropWindow window{0, 0, image.height, image.width};
  if (crop_to_aspect_ratio) window = img::detail::smart_resize_window(image.height, image.width, image_size.first, image_size.second);
  img::detail::resize_image_into(image, window, image_size, method, out);
}

TL_INLINE int64_t ImageDatasetSource::count() const { return static_cast<int64_t>(file_paths.size()); }

TL_INLINE std::vector<int64_t> ImageDatasetSource::sample_shape() const {
  return {image_size.first, image_size.second, channels};
}

TL_INLINE torch::Tensor ImageDatasetSource::load(int64_t id) const {
  return load_image(file_paths[static_cast<size_t>(id)], image_size, channels, interpolation, crop_to_aspect_ratio);
}

TL_INLINE void ImageDatasetSource::load_into(int64_t id, torch::Tensor& row) const {
  if (row.scalar_type() != torch::kFloat32 || !row.is_contiguous() || !row.device().is_cpu())
    return SampleSource::load_into(id, row);
  load_image_into(file_paths[static_cast<size_t>(id)], image_size, channels, interpolation, crop_to_aspect_ratio,
                  row.data_ptr<float>());
}

TL_INLINE void ImageDatasetSource::add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const {
  if (label_mode.empty()) return;
  const auto n = static_cast<int64_t>(ids.size());
  std::vector<int32_t> values(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) values[static_cast<size_t>(i)] = labels[static_cast<size_t>(ids[static_cast<size_t>(i)])];
  const auto y = torch::tensor(values, torch::kInt32);
  if (label_mode == "int") {
    batch.y = y;
  } else if (label_mode == "binary") {
    batch.y = y.to(torch::kFloat32).unsqueeze(-1);
  } else {  // categorical: tf.one_hot (an out-of-range label is all zeros)
    batch.y = torch::zeros({n, num_classes}, torch::kFloat32);
    for (int64_t i = 0; i < n; ++i) {
      const int32_t label = values[static_cast<size_t>(i)];
      if (label >= 0 && label < num_classes) batch.y[i][label] = 1;
    }
  }
}

/// The listing-time half of on_bad_image = "skip": drops unreadable files (with a warning each), keeping the
/// labels in step; returns how many were dropped.
TL_INLINE int64_t drop_unreadable_files(std::vector<std::string>& paths, std::vector<int>& labels) {
  std::vector<std::string> kept_paths;
  std::vector<int> kept_labels;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (const auto why = img::detail::unreadable_header(paths[i])) {
      std::cerr << "Warning: skipping unreadable image file '" << paths[i] << "': " << *why << "\n";
      continue;
    }
    kept_paths.push_back(paths[i]);
    if (!labels.empty()) kept_labels.push_back(labels[i]);
  }
  const auto dropped = static_cast<int64_t>(paths.size() - kept_paths.size());
  paths = std::move(kept_paths);
  labels = std::move(kept_labels);
  return dropped;
}

}  // namespace detail

TL_INLINE utils::Batch ImageDataset::get_batch(int64_t index) {
  auto batch = CoreSequence::get_batch(index);
  if (!batch_size && batch.x.defined() && batch.x.size(0) == 1) {
    batch.x = batch.x.squeeze(0);
    if (batch.y.defined()) batch.y = batch.y.squeeze(0);
  }
  return batch;
}

TL_INLINE ImageDataset ImageDataset::part(std::size_t i) const {
  if (!validation_)
    throw ValueError("image_dataset_from_directory returned one dataset; only subset=\"both\" returns two "
                     "(training, validation)");
  if (i == 1) return *validation_;
  ImageDataset training = *this;
  training.validation_.reset();
  return training;
}

TL_INLINE ImageDataset ImageDataset::make(std::vector<std::string> paths, std::vector<int> labels,
                                          const std::vector<std::string>& class_names, const ImageDatasetOptions& o,
                                          int channels, uint32_t seed, bool shuffle_each_epoch) {
  namespace img = tl::preprocessing::image;
  using namespace detail;
  const int64_t skipped = o.on_bad_image == "skip" ? drop_unreadable_files(paths, labels) : 0;
  auto source = std::make_shared<ImageDatasetSource>();
  source->file_paths = paths;
  source->labels = o.label_mode.empty() ? std::vector<int>{} : labels;
  source->label_mode = o.label_mode;
  source->num_classes = static_cast<int64_t>(class_names.size());
  source->channels = channels;
  source->image_size = o.image_size;
  source->interpolation = o.interpolation;
  source->crop_to_aspect_ratio = o.crop_to_aspect_ratio;
  img::detail::IteratorSettings settings;
  settings.batch_size = o.batch_size.value_or(1);
  settings.shuffle = false;
  settings.seed = seed;
  settings.loader = o.loader;
  settings.skip_bad = o.on_bad_image == "skip";
  ImageDataset ds;
  ds.core_ = std::make_shared<img::detail::IteratorCore>(source, img::ImageDataGenerator(), std::move(settings));
  if (shuffle_each_epoch) {
    const int64_t buffer = o.batch_size ? *o.batch_size * 8 : 1024;
    const auto count = static_cast<int64_t>(paths.size());
    ds.core_->set_epoch_order([count, buffer, seed](int64_t epoch) { return shuffle_buffer_order(count, buffer, seed, epoch); });
  }
  ds.class_names = class_names;
  ds.file_paths = std::move(paths);
  ds.labels = o.label_mode.empty() ? std::vector<int>{} : std::move(labels);
  ds.label_mode = o.label_mode;
  ds.batch_size = o.batch_size;
  ds.image_shape = {o.image_size.first, o.image_size.second, channels};
  ds.skipped_at_start_ = skipped;
  return ds;
}

TL_INLINE ImageDataset image_dataset_from_directory(const std::filesystem::path& directory, const ImageDatasetOptions& options) {
  namespace img = tl::preprocessing::image;
  ImageDatasetOptions o = options;
  const std::string dir = directory.string();
  const auto& labels = o.labels;
  if (!labels.inferred() && !labels.none()) {
    if (!labels.is_list())
      throw ValueError("`labels` argument should be a list/tuple of integer labels, of the same size as the number of "
                       "image files in the target directory. If you wish to infer the labels from the subdirectory "
                       "names in the target directory, pass `labels=\"inferred\"`. If you wish to get a dataset that "
                       "only contains images (no labels), pass `labels=None`. Received: labels=" + labels.text());
    if (!o.class_names.empty())
      throw ValueError("You can only pass `class_names` if `labels=\"inferred\"`. Received: labels=[...], and "
                       "class_names=" + detail::python_list(o.class_names));
  }
  const auto& m = o.label_mode;
  if (m != "int" && m != "categorical" && m != "binary" && !m.empty())
    throw ValueError("`label_mode` argument must be one of \"int\", \"categorical\", \"binary\", or None. Received: "
                     "label_mode=" + m);
  if (labels.none() || m.empty()) {
    o.labels = nullptr;
    o.label_mode.clear();
  }
  int channels = 0;
  if (o.color_mode == "rgb") channels = 3;
  else if (o.color_mode == "rgba") channels = 4;
  else if (o.color_mode == "grayscale") channels = 1;
  else throw ValueError("`color_mode` must be one of {\"rgb\", \"rgba\", \"grayscale\"}. Received: color_mode=" + o.color_mode);
  img::detail::resize_method(o.interpolation);
  detail::check_validation_split_arg(o.validation_split, o.subset, o.shuffle, o.seed);
  tl::detail::check(!o.batch_size || *o.batch_size > 0,
                    "image_dataset_from_directory: batch_size must be positive or None, got " + std::to_string(o.batch_size.value_or(0)));
  tl::detail::check(o.image_size.first > 0 && o.image_size.second > 0,
                    "image_dataset_from_directory: image_size must be positive, got (" + std::to_string(o.image_size.first) +
                        ", " + std::to_string(o.image_size.second) + ")");
  tl::detail::check(o.on_bad_image == "error" || o.on_bad_image == "skip",
                    "on_bad_image must be \"error\" or \"skip\", got \"" + o.on_bad_image + "\"");
  tl::detail::check(o.loader.workers >= 0 && o.loader.max_queue_size >= 0,
                    "image_dataset_from_directory: loader.workers and loader.max_queue_size must be >= 0");
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    throw IOError("image_dataset_from_directory: directory '" + dir + "' does not exist or is not a directory");

  const uint32_t seed = o.seed ? *o.seed : static_cast<uint32_t>(std::random_device{}() % 1000000);
  static const std::vector<std::string> formats{".bmp", ".gif", ".jpeg", ".jpg", ".png"};  // ALLOWLIST_FORMATS
  auto index = detail::index_directory(dir, o.labels, formats, o.class_names, o.shuffle, seed, o.follow_links);
  if (o.label_mode == "binary" && index.class_names.size() != 2)
    throw ValueError("When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names=" +
                     detail::python_list(index.class_names));
  const std::string allowed = "Allowed formats: ('.bmp', '.gif', '.jpeg', '.jpg', '.png')";
  const bool shuffle_batches = o.shuffle;
  if (o.subset == "both") {
    auto [train_paths, train_labels] = detail::training_or_validation_split(index.file_paths, index.labels, o.validation_split, "training");
    auto [val_paths, val_labels] = detail::training_or_validation_split(index.file_paths, index.labels, o.validation_split, "validation");
    if (train_paths.empty()) throw ValueError("No training images found in directory " + dir + ". " + allowed);
    if (val_paths.empty()) throw ValueError("No validation images found in directory " + dir + ". " + allowed);
    // Keras shuffles the training half each epoch, not the validation half.
    auto train = ImageDataset::make(std::move(train_paths), std::move(train_labels), index.class_names, o, channels, seed,
                                    shuffle_batches);
    auto val = ImageDataset::make(std::move(val_paths), std::move(val_labels), index.class_names, o, channels, seed, false);
    train.validation_ = std::make_shared<ImageDataset>(std::move(val));
    return train;
  }
  auto [paths, split_labels] = detail::training_or_validation_split(index.file_paths, index.labels, o.validation_split, o.subset);
  if (paths.empty()) throw ValueError("No images found in directory " + dir + ". " + allowed);
  return ImageDataset::make(std::move(paths), std::move(split_labels), index.class_names, o, channels, seed, shuffle_batches);
}

}  // namespace tl::utils
