#pragma once
#include <tl/callbacks/detail/training_backup.hpp>
#include <tl/core/errors.hpp>
#include <tl/io/atomic_write.hpp>
#include <tl/io/detail/h5/reader.hpp>
#include <tl/io/hdf5.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/models/functional.hpp>
#include <tl/optimizers/optimizer.hpp>

#include <exception>
#include <string>
#include <vector>

namespace tl::callbacks::detail {

TL_INLINE void save_training_backup(const std::filesystem::path& path, models::ModelImpl& model, int epoch) {
  io::detail::write_atomically(path, [&](const std::filesystem::path& temp) {
    auto file = io::detail::Hdf5FileWriter::create(temp);
    io::detail::save_weights_to_hdf5_group(file.create_group("model_weights"), model.layers());
    const auto state = model.compiled() ? model.optimizer()->get_state() : optimizers::Optimizer::State{};
    std::vector<std::string> names;
    const auto group = file.create_group("optimizer_weights");
    for (const auto& [name, value] : state) {
      if (name == "iter") {
        file.write_string("iterations", std::to_string(value.item<int64_t>()));
        continue;
      }
      names.push_back(name);
      group.write_float32(name, value);
    }
    if (!names.empty()) file.write_strings("optimizer_weight_names", names);  // SGD without momentum has none
    file.write_string("epoch", std::to_string(epoch));
    file.close();
  });
}

/// An integer attribute written as text by save_training_backup; IOError names the file when it is damaged.
TL_INLINE int64_t read_integer_attr(const io::detail::h5::FileReader& file, const std::string& name, const std::string& path) {
  const auto text = file.has_attr(name) ? file.read_strings(name) : std::vector<std::string>{};
  try {
    if (text.size() == 1) return std::stoll(text[0]);
  } catch (const std::exception&) {
  }
  throw IOError("The backup " + path + " is damaged: attribute `" + name + "` is missing or not an integer");
}

TL_INLINE int load_training_backup(const std::filesystem::path& path, models::ModelImpl& model) {
  const auto file = io::detail::h5::FileReader::open(path);
  const int epoch = int(read_integer_attr(file, "epoch", path.string()));
  optimizers::Optimizer::State state{{"iter", torch::tensor(read_integer_attr(file, "iterations", path.string()))}};
  const auto group = file.group("optimizer_weights");
  const auto names = file.has_attr("optimizer_weight_names") ? file.read_strings("optimizer_weight_names")
                                                              : std::vector<std::string>{};
  for (const auto& name : names) state.emplace_back(name, group.read_float32(name));
  io::load_weights_hdf5(path, model.layers());
  if (model.compiled()) model.optimizer()->set_state(state);
  return epoch;
}

}  // namespace tl::callbacks::detail
