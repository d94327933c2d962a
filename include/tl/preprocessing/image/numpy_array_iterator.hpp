#pragma once
// Keras's NumpyArrayIterator: batches of augmented in-memory images (N, H, W, C) with their labels.
// image_data_generator.hpp first: it includes the iterators after its class, so this order has no cycle.
#include <tl/preprocessing/image/image_data_generator.hpp>
#include <tl/preprocessing/image/detail/batch_iterator.hpp>

namespace tl::preprocessing::image {

namespace detail {
struct ArraySource final : SampleSource {
  torch::Tensor x, y, sample_weight;

  int64_t count() const override { return x.size(0); }
  std::vector<int64_t> sample_shape() const override { return x.sizes().slice(1).vec(); }
  torch::Tensor load(int64_t id) const override { return x[id]; }
  void add_targets(utils::Batch& batch, const std::vector<int64_t>& ids) const override {
    const auto index = torch::tensor(ids, torch::kLong);
    if (y.defined()) batch.y = y.index_select(0, index);
    if (sample_weight.defined()) batch.sample_weight = sample_weight.index_select(0, index);
  }
};

/// Keras's check that a subset split leaves the same label set on both sides.
inline void check_same_classes(const torch::Tensor& y, int64_t split) {
  if (!y.defined()) return;
  const auto a = std::get<0>(torch::_unique(y.slice(0, 0, split)));
  const auto b = std::get<0>(torch::_unique(y.slice(0, split)));
  tl::detail::check(a.sizes() == b.sizes() && torch::equal(a, b),
        "Training and validation subsets have different number of classes after the split. If your numpy arrays "
        "are sorted by the label, you might want to shuffle them.");
}
}  // namespace detail

/// Batches from in-memory arrays, as Keras's NumpyArrayIterator (a utils::Sequence); made by gen.flow(x, y).
///   auto it = tl::ImageDataGenerator({.horizontal_flip = true}).flow(x, y, {.batch_size = 16, .seed = 1});
class NumpyArrayIterator : public detail::CoreSequence {
 public:
  NumpyArrayIterator(torch::Tensor x, torch::Tensor y, const ImageDataGenerator& generator, const FlowOptions& options = {})
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

  torch::Tensor x, y, sample_weight;  ///< the arrays (after the subset cut)
  int64_t n = 0;
  int64_t batch_size = 32;
};

inline NumpyArrayIterator ImageDataGenerator::flow(const torch::Tensor& x, const torch::Tensor& y, const FlowOptions& options) const {
  return NumpyArrayIterator(x, y, *this, options);
}

}  // namespace tl::preprocessing::image
