#pragma once
#include <tl/preprocessing/image/directory_iterator.hpp>

#include <tl/core/errors.hpp>
#include <tl/preprocessing/image/detail/list_files.hpp>
#include <tl/preprocessing/image/detail/pil_resize.hpp>
#include <tl/preprocessing/image/img_to_array.hpp>

#include <iostream>
#include <system_error>

namespace tl::preprocessing::image {

namespace detail {
TL_INLINE int64_t DirectorySource::count() const { return static_cast<int64_t>(filepaths.size()); }

TL_INLINE std::vector<int64_t> DirectorySource::sample_shape() const { return shape; }

TL_INLINE torch::Tensor DirectorySource::load(int64_t id) const { return img_to_array(load_img(filepaths[id], load_options)); }

TL_INLINE void DirectorySource::load_into(int64_t id, torch::Tensor& row) const {
  const auto img = load_img(filepaths[id], load_options);
  // img_to_array's uint8 view of the pixels (no copy), converted as it is copied into the batch.
  row.copy_(img_to_array(img, torch::kUInt8));
}

TL_INLINE void DirectorySource::add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const {
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

TL_INLINE std::optional<std::pair<double, double>> subset_split(const std::string& subset, double validation_split) {
  if (subset.empty()) return std::nullopt;
  tl::detail::check(validation_split > 0, "subset=\"" + subset + "\" needs a validation_split in the ImageDataGenerator "
                                          "(e.g. ImageDataGenerator({.validation_split = 0.2})); it is 0");
  if (subset == "validation") return std::pair{0.0, validation_split};
  if (subset == "training") return std::pair{validation_split, 1.0};
  throw ValueError("Invalid subset name: " + subset + "; expected \"training\" or \"validation\"");
}
}  // namespace detail

TL_INLINE DirectoryIterator::DirectoryIterator(const std::filesystem::path& directory, const ImageDataGenerator& generator,
                                               const DirectoryIteratorOptions& options)
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

TL_INLINE void DirectoryIterator::validate(const DirectoryIteratorOptions& o) {
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

TL_INLINE void DirectoryIterator::check_directory() const {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    throw IOError("flow_from_directory: directory '" + directory + "' does not exist or is not a directory");
}

TL_INLINE std::shared_ptr<detail::DirectorySource> DirectoryIterator::make_source(const ImageDataGenerator& generator,
                                                                                  const DirectoryIteratorOptions& o) const {
  auto source = std::make_shared<detail::DirectorySource>();
  source->filepaths = filepaths;
  source->classes = classes;
  source->num_classes = num_classes;
  source->class_mode = class_mode;
  source->load_options = {o.color_mode, o.target_size, o.interpolation, o.keep_aspect_ratio, o.loader.fast_jpeg};
  source->shape = image_shape;
  source->dtype = generator.options().dtype;
  return source;
}

TL_INLINE detail::IteratorSettings DirectoryIterator::settings(const DirectoryIteratorOptions& o) {
  return {o.batch_size, o.shuffle, o.seed, o.loader, o.on_bad_image == "skip", o.save_to_dir, o.save_prefix, o.save_format, 10000000};
}

TL_INLINE DirectoryIterator ImageDataGenerator::flow_from_directory(const std::filesystem::path& directory,
                                                                    const DirectoryIteratorOptions& options) const {
  return DirectoryIterator(directory, *this, options);
}

}  // namespace tl::preprocessing::image
