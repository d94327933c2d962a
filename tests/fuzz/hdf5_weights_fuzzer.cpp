// libFuzzer target: the Keras-HDF5 readers (load_weights by order and by name, load_model) on arbitrary file
// bytes, seeded with files tl and h5py wrote. Every input must load or throw a tl::IOError/ValueError that names
// the file; a crash, another exception, a leak or a hang is a finding.
// TL_FUZZ_WRITE_SEEDS=DIR writes the seed files (a weights file and a whole-model file of the fuzzed model).
#include <tl/tl.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

/// A small model with each kind of weight layout the readers handle: conv kernel, BatchNormalization, dense.
tl::Model make_model() {
  const auto inputs = tl::Input({6, 6, 2});
  auto x = tl::layers::Conv2D(3, 3, {.name = "conv"})(inputs);
  x = tl::layers::BatchNormalization({.name = "bn"})(x);
  x = tl::layers::GlobalAveragePooling2D()(x);
  const auto outputs = tl::layers::Dense(2, {.activation = "softmax", .name = "dense"})(x);
  return tl::Model(inputs, outputs, "fuzzed");
}

const std::filesystem::path& input_file() {
  static const auto path = std::filesystem::temp_directory_path() / ("tl_hdf5_fuzz_" + std::to_string(getpid()) + ".h5");
  return path;
}

bool names_file(const std::exception& e) { return std::string(e.what()).find(input_file().string()) != std::string::npos; }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tl::backend::set_num_threads(1);
  if (const char* dir = std::getenv("TL_FUZZ_WRITE_SEEDS")) {
    const auto model = make_model();
    model.save_weights(std::filesystem::path(dir) / "weights.keras_h5");
    model.save(std::filesystem::path(dir) / "model.keras_h5");
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto model = make_model();
  std::ofstream(input_file(), std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  for (const auto options : {tl::io::LoadWeightsOptions{}, tl::io::LoadWeightsOptions{.by_name = true},
                             tl::io::LoadWeightsOptions{.by_name = true, .skip_mismatch = true}}) {
    try {
      model.load_weights(input_file(), options);
    } catch (const tl::IOError& e) {
      if (!names_file(e)) __builtin_trap();
    } catch (const tl::ValueError&) {  // a mismatch names the layer and both shapes
    }
  }
  try {
    tl::models::load_model(input_file());
  } catch (const tl::IOError& e) {
    if (!names_file(e)) __builtin_trap();
  } catch (const tl::ValueError&) {
  }
  return 0;
}
