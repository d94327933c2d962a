#pragma once
// keras.Model: the functional model handle users hold (`tl::Model model(inputs, outputs, "my_model")`).
#include <tl/core/config.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/models/functional.hpp>
#include <tl/models/serialization.hpp>
#include <tl/models/summary.hpp>
#include <tl/models/training.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tl::models {

/// Handle with Keras's Model API; copies share the model. Training methods take Keras's keyword arguments
/// as option structs: `model.fit(train, {.epochs = 5, .validation_data = test});`.
template <class Impl>
class ModelHandle : public layers::LayerHandle<Impl> {
 public:
  using layers::LayerHandle<Impl>::LayerHandle;
  using layers::LayerHandle<Impl>::operator->;

  const auto& layers() const { return (*this)->layers(); }
  std::shared_ptr<layers::LayerImpl> get_layer(const std::string& name) const { return (*this)->get_layer(name); }
  std::shared_ptr<layers::LayerImpl> get_layer(size_t index) const { return (*this)->get_layer(index); }
  const std::vector<KerasTensor>& inputs() const { return (*this)->inputs(); }
  const std::vector<KerasTensor>& outputs() const { return (*this)->outputs(); }

  void compile(const CompileOptions& options) const { (*this)->compile(options); }
  callbacks::History fit(utils::Sequence& data, const FitOptions& options = {}) const { return (*this)->fit(data, options); }
  callbacks::History fit(const torch::Tensor& x, const torch::Tensor& y, const FitOptions& options = {}) const {
    return (*this)->fit(x, y, options);
  }
  Logs evaluate(utils::Sequence& data, const EvaluateOptions& options = {}) const { return (*this)->evaluate(data, options); }
  Logs evaluate(const torch::Tensor& x, const torch::Tensor& y, const EvaluateOptions& options = {}) const {
    return (*this)->evaluate(x, y, options);
  }
  torch::Tensor predict(utils::Sequence& data, const PredictOptions& options = {}) const {
    return (*this)->predict(data, options);
  }
  torch::Tensor predict(const torch::Tensor& x, const PredictOptions& options = {}) const {
    return (*this)->predict(x, options);
  }
  Logs train_on_batch(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& sample_weight = {}) const {
    return (*this)->train_on_batch(x, y, sample_weight);
  }
  Logs test_on_batch(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& sample_weight = {}) const {
    return (*this)->test_on_batch(x, y, sample_weight);
  }
  torch::Tensor predict_on_batch(const torch::Tensor& x) const { return (*this)->predict_on_batch(x); }
  void summary(const SummaryOptions& options = {}) const { print_summary(**this, options); }
  /// Keras's `save_weights(path)`: the legacy Keras HDF5 layout, written atomically.
  void save_weights(const std::filesystem::path& path) const { io::save_weights_hdf5(path, layers()); }
  /// Keras's `load_weights(path, by_name=..., skip_mismatch=...)` from a Keras or tl HDF5 file.
  void load_weights(const std::filesystem::path& path, const io::LoadWeightsOptions& options = {}) const {
    io::load_weights_hdf5(path, layers(), options);
  }
  /// Keras's `model.save("model.h5")`: architecture and weights in one HDF5 file, written atomically; a separate
  /// program gets the model back with `tl::models::load_model("model.h5")`.
  void save(const std::filesystem::path& path) const { save_model(**this, path); }
  /// Moves the weights to a device (`tl::Device`/`torch::kCUDA`); batches follow the model.
  void to(torch::Device device) const { (*this)->to(device); }
  torch::Device device() const { return (*this)->device(); }
};

/// `keras.Model(inputs=..., outputs=..., name=...)`, a functional model.
class Model : public ModelHandle<ModelImpl> {
 public:
  Model(const KerasTensor& inputs, const KerasTensor& outputs, const std::string& name = "");
  Model(std::vector<KerasTensor> inputs, const KerasTensor& outputs, const std::string& name = "");
  explicit Model(std::shared_ptr<ModelImpl> impl) : ModelHandle(std::move(impl)) {}
};

}  // namespace tl::models

namespace tl {
using models::Model;
using Device = torch::Device;
}  // namespace tl

#ifdef TL_HEADER_ONLY
#include <tl/models/impl/model-inl.hpp>
#endif
