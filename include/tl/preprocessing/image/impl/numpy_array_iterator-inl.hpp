#pragma once
#include <tl/preprocessing/image/numpy_array_iterator.hpp>

#include <tl/core/errors.hpp>

#include <memory>
#include <tuple>

namespace tl::preprocessing::image {

namespace detail {
TL_INLINE int64_t ArraySource::count() const { return x.size(0); }

TL_INLINE std::vector<int64_t> ArraySource::sample_shape() const { return x.sizes().slice(1).vec(); }

TL_INLINE torch::Tensor ArraySource::load(int64_t id) const { return x[id]; }

TL_INLINE void ArraySource::add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const {
  const auto index = torch::tensor(ids, torch::kLong);
  if (y.defined()) batch.y = y.index_select(0, index);
  if (sample_weight.defined()) batch.sample_weight = sample_weight.index_select(0, index);
}

TL_INLINE void check_same_classes(const torch::Tensor& y, int64_t split) {
  if (!y.defined()) return;
  const auto a = std::get<0>(torch::_unique(y.slice(0, 0, split)));
  const auto b = std::get<0>(torch::_unique(y.slice(0, split)));
  tl::detail::check(a.sizes() == b.sizes() && torch::equal(a, b),
        "Training and validation subsets have different number of classes after the split. If your numpy arrays "
        "are sorted by the label, you might want to shuffle them.");
}
}  // namespace detail

TL_INLINE NumpyArrayIterator::NumpyArrayIterator(torch::Tensor x, torch::Tensor y, const ImageDataGenerator& generator,
                                                 const FlowOptions& options)
    : batch_size(options.batch_size) {
  tl::detail::check(x.dim() == 4, "Input data in `NumpyArrayIterator` should have rank 4. You passed an array with rank " +
                                  std::to_string(x.dim()));
  auto w = options.sample_weight;
  tl::detail::check(!y.defined() || y.size(0) == x.size(0),
                "`x` (images tensor) and `y` (labels) should have the same length. Found: x.shape[0] = " +
                    std::to_string(x.size(0)) + ", y.shape[0] = " + std::to_string(y.defined() ? y.size(0) : 0));
  tl::detail::check(!w.defined() || w.size(0) == x.size(0), "`x` (images tensor) and `sample_weight` should have the same length");
  if (!options.subset.empty()) {
    tl::detail::check(options.subset == "training" || options.subset == "validation",
                  "Invalid subset name: " + options.subset + "; expected \"training\" or \"validation\".");
    const auto split = static_cast<int64_t>(static_cast<double>(x.size(0)) * generator.validation_split());
    detail::check_same_classes(y, split);
    const bool validation = options.subset == "validation";
    auto part = [&](const torch::Tensor& t) {
      return !t.defined() ? t : validation ? t.slice(0, 0, split) : t.slice(0, split);
    };
    x = part(x), y = part(y), w = part(w);
  }
  auto source = std::make_shared<detail::ArraySource>();
  source->x = x.to(generator.options().dtype).contiguous();
  source->y = y;
  source->sample_weight = w;
  this->x = source->x, this->y = y, this->sample_weight = w;
  n = x.size(0);
  core_ = std::make_shared<detail::IteratorCore>(
      source, generator,
      detail::IteratorSettings{options.batch_size, options.shuffle, options.seed, options.loader, false,
                               options.save_to_dir, options.save_prefix, options.save_format, 10000});
}

TL_INLINE NumpyArrayIterator ImageDataGenerator::flow(const torch::Tensor& x, const torch::Tensor& y, const FlowOptions& options) const {
  return NumpyArrayIterator(x, y, *this, options);
}

}  // namespace tl::preprocessing::image
