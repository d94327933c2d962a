// A separate program the io/callbacks tests run: it proves a model saved by one process loads in another, and
// that BackupAndRestore survives a kill -9.
//   tl_test_tool predict MODEL.h5             load_model, predict a fixed input, print one value per line
//   tl_test_tool train BACKUP_DIR LOG [KILL_EPOCH]  5 epochs with BackupAndRestore; SIGKILLs itself in the middle
//                                                 of epoch KILL_EPOCH (0-based); LOG gets "epoch E" per finished epoch
#include <tl/tl.hpp>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace {

/// The fixed input: values spread over [-1, 1] in the model's input shape, batch of 3.
torch::Tensor fixed_input(const tl::Shape& shape) {
  std::vector<int64_t> sizes{3};
  sizes.insert(sizes.end(), shape.begin() + 1, shape.end());
  const int64_t n = std::accumulate(sizes.begin(), sizes.end(), int64_t(1), std::multiplies<>());
  return torch::linspace(-1, 1, n).reshape(sizes);
}

int predict(const std::string& path) {
  auto model = tl::models::load_model(path);
  const auto out = model.predict(fixed_input(model.inputs()[0].shape()), {.verbose = 0}).contiguous();
  for (int64_t i = 0; i < out.numel(); ++i) std::printf("%.9g\n", out.data_ptr<float>()[i]);
  return 0;
}

int train(const std::string& backup_dir, const std::string& log, int kill_epoch) {
  torch::manual_seed(0);
  const auto x = torch::randn({64, 4});
  const auto y = (x.sum(1, true) > 0).to(torch::kFloat);
  auto inputs = tl::Input({4});
  auto hidden = tl::layers::Dense(8, {.activation = "relu"})(inputs);
  tl::Model model(inputs, tl::layers::Dense(1, {.activation = "sigmoid"})(hidden));
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy"});
  int epoch_now = 0;
  tl::callbacks::LambdaCallback hooks({
      .on_epoch_begin = [&](int epoch, const tl::Logs&) { epoch_now = epoch; },
      .on_epoch_end = [&](int epoch, const tl::Logs&) { std::ofstream(log, std::ios::app) << "epoch " << epoch << "\n"; },
      .on_batch_end = [&](int64_t batch, const tl::Logs&) {
        if (epoch_now == kill_epoch && batch == 1) std::raise(SIGKILL);
      },
  });
  auto history = model.fit(x, y, {.batch_size = 16, .epochs = 5, .verbose = 0, .callbacks = {tl::callbacks::BackupAndRestore(backup_dir), hooks}, .shuffle = false});
  for (int e : history.epoch) std::cout << "history " << e << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "predict" && argc == 3) return predict(argv[2]);
    if (command == "train" && argc >= 4) return train(argv[2], argv[3], argc > 4 ? std::stoi(argv[4]) : -1);
    std::cerr << "usage: tl_test_tool predict MODEL.h5 | train BACKUP_DIR LOG [KILL_EPOCH]\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
