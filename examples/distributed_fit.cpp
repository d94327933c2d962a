// The hot-dog program on several workers: a frozen ResNet50 and a softmax head trained with
// MultiWorkerMirroredStrategy, the program line for line. Each worker trains on its slice of every global
// batch; only worker 0 prints and saves. See docs/distributed.md.
//   distributed_fit DATA_DIR --nproc 2                 # starts 2 local workers of itself
//   torchrun --nproc_per_node 2 --no-python ./distributed_fit DATA_DIR     # or RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT
//   TF_CONFIG='{"cluster": {"worker": ["a:2222", "b:2222"]}, "task": {"type": "worker", "index": 0}}' distributed_fit DATA_DIR
#include "command_line.hpp"
#include "hot_dog_model.hpp"

#include <tl/tl.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

namespace {

constexpr const char* usage =
    "usage: distributed_fit [DATA_DIR=hot_dog] [--nproc N] [--epochs 5] [--target-size 224] [--batch-size 32]\n"
    "                       [--weights imagenet|none|FILE.h5] [--threads T] [--seed 1] [--timeout SECONDS] [--save FILE]\n"
    "DATA_DIR holds train/ and test/, each with one folder of images per class.\n"
    "--nproc N: start N local workers of this program (a small torchrun); without it the cluster comes from\n"
    "           TF_CONFIG or torchrun's RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT (none: one process).\n"
    "--batch-size: the global batch, split over the workers, as in Keras.\n"
    "--threads T: intra-op threads per worker (default: this machine's cores / workers on it).\n"
    "--seed S: the weights' and the shuffling's seed (the same on every worker; one process with the same seed\n"
    "          trains the same model).\n"
    "--timeout SECONDS: how long a worker waits for the others before it stops with an error (default 300).";

/// This program's arguments without `--nproc N`: what each worker runs.
std::vector<std::string> worker_arguments(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 0; i < argc; ++i) {
    if (std::string(argv[i]) == "--nproc") {
      ++i;
      continue;
    }
    out.push_back(i == 0 ? "/proc/self/exe" : argv[i]);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::CommandLine args(argc, argv, usage,
                                   {"nproc", "epochs", "target-size", "batch-size", "weights", "threads", "seed", "timeout", "save"});
  const std::filesystem::path data_dir = args.positional(0, "hot_dog", 1);
  const int nproc = args.get_int("nproc", 0, 0);
  if (nproc > 0 && !tl::distribute::is_worker_process())
    return tl::distribute::launch(worker_arguments(argc, argv), {.nproc_per_node = nproc});
  const int epochs = args.get_int("epochs", 5);
  const int size = args.get_int("target-size", 224, 32);
  const int batch_size = args.get_int("batch-size", 32);
  const int seed = args.get_int("seed", 1, 0);
  const std::string save = args.get("save", "");

  // The cluster from the environment; every wait for another worker bounded by --timeout.
  tl::distribute::MultiWorkerMirroredStrategy strategy(
      {.communication_options = {.timeout_seconds = static_cast<double>(args.get_int("timeout", 300))}});
  const char* local_world_size = std::getenv("LOCAL_WORLD_SIZE");  // set by --nproc and torchrun
  const int local = std::max(1, local_world_size ? std::atoi(local_world_size) : 1);
  const int threads = args.get_int("threads", std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / local));
  tl::backend::set_num_threads(threads);

  tl::ImageDataGenerator datagen;
  // The same seed on every worker: all of them draw the batches one process would, each loads its own slice.
  const tl::preprocessing::image::LoaderOptions loader{.workers = threads};
  auto train = datagen.flow_from_directory(data_dir / "train", {.target_size = {size, size}, .batch_size = batch_size,
                                                                .seed = static_cast<uint32_t>(seed), .loader = loader});
  auto test = datagen.flow_from_directory(data_dir / "test", {.target_size = {size, size}, .batch_size = batch_size,
                                                              .shuffle = false, .loader = loader});
  std::optional<tl::Model> model;
  {
    auto scope = strategy.scope();  // models built and compiled here are replicated
    torch::manual_seed(seed);       // worker 0's weights are broadcast at the start of fit anyway
    model = examples::hot_dog_model(args.get("weights", "imagenet"), size, train.num_classes);
    model->compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  }
  model->fit(train, {.epochs = epochs, .validation_data = test});
  if (!save.empty() && strategy.is_chief()) {  // only worker 0 writes
    model->save(save);
    examples::save_class_names(save, train.class_indices);
    std::cout << "Saved the model's weights to " << save << " and its class names to "
              << examples::classes_file(save).string() << "\n";
  }
  const auto stats = strategy.stats();
  if (strategy.num_replicas_in_sync() > 1 && stats.gradient_syncs > 0)
    std::cout << strategy.num_replicas_in_sync() << " workers (" << strategy.implementation() << "): "
              << stats.gradient_bytes / stats.gradient_syncs << " bytes of gradients all-reduced per step in "
              << stats.buckets / stats.gradient_syncs << " bucket(s)" << std::endl;
  return 0;
} catch (const std::exception& e) {
  std::cerr << "distributed_fit: " << e.what() << "\n";
  return 1;
}
