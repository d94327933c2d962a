// The seed job (frozen ResNet50 + GAP + Dense(2), flow_from_directory, validated every epoch) as N workers of
// MultiWorkerMirroredStrategy x T threads each, for bench/distributed.sh (2 workers x 1 thread vs 1 process x 2
// threads on the same 2 cores). Not a test.
//   tl_bench_distributed DIR EPOCHS NPROC THREADS [SIZE=224] [BATCH=32]
// The launching process starts NPROC workers of itself (tl::distribute::launch: torchrun's variables on 127.0.0.1;
// NPROC 1 is a plain one-process fit), waits, and prints
//   RESULT,seed_dist,<NPROC>x<THREADS>,<wall s>,s,cpu <s> (all workers' user+system time)
// and worker 0 prints what went through the collectives: gradient bytes and buckets per step, the wait after
// backward, the other bytes (metric states, stop flags, the start-of-fit broadcast, the feature-cache pooling).
#include "../examples/hot_dog_model.hpp"

#include <tl/tl.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <iostream>
#include <string>

namespace {

double child_cpu_seconds() {
  rusage r{};
  getrusage(RUSAGE_CHILDREN, &r);
  return double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + 1e-6 * double(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

int worker(const std::string& dir, int epochs, int threads, int64_t size, int64_t batch) {
  tl::distribute::MultiWorkerMirroredStrategy strategy;
  tl::backend::set_num_threads(threads);
  tl::ImageDataGenerator datagen;
  const tl::preprocessing::image::DirectoryIteratorOptions flow{.target_size = {size, size},
                                                                .class_mode = "categorical",
                                                                .batch_size = batch,  // the global batch
                                                                .seed = 1,
                                                                .loader = {.workers = threads}};
  auto train = datagen.flow_from_directory(dir + "/train", flow);
  auto test = datagen.flow_from_directory(dir + "/test", flow);
  std::optional<tl::Model> model;
  {
    auto scope = strategy.scope();
    // The same random weights on every worker, as the same weights file would give: the start of fit finds them
    // equal and broadcasts nothing (the peer's DDP broadcasts only its head).
    torch::manual_seed(1);
    model = examples::hot_dog_model("none", size, train.num_classes);
    model->compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  }
  const auto start = std::chrono::steady_clock::now();
  auto history = model->fit(train, {.epochs = epochs, .verbose = 0, .validation_data = test});
  const double fit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto s = strategy.stats();
  const int n = strategy.num_replicas_in_sync();
  const std::string impl = std::to_string(n) + "x" + std::to_string(threads);
  std::cout << "RESULT,seed_dist_fit," << impl << "," << fit_s << ",s,fit only; final val_accuracy "
            << history.history["val_accuracy"].back() << std::endl;
  if (n > 1 && s.gradient_syncs > 0)
    std::cout << "RESULT,seed_dist_bytes_per_step," << impl << "," << s.gradient_bytes / s.gradient_syncs
              << ",B,gradients in " << s.buckets / s.gradient_syncs << " bucket(s)/step (" << s.buckets_in_backward
              << " of " << s.buckets << " launched inside backward); wait after backward "
              << 1000 * s.gradient_wait_seconds / double(s.gradient_syncs) << " ms/step; other bytes "
              << s.other_bytes << " in " << s.collectives << " collectives over " << s.gradient_syncs << " steps"
              << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 5) {
    std::cerr << "usage: tl_bench_distributed DIR EPOCHS NPROC THREADS [SIZE=224] [BATCH=32]\n";
    return 2;
  }
  const std::string dir = argv[1];
  const int epochs = std::stoi(argv[2]), nproc = std::stoi(argv[3]), threads = std::stoi(argv[4]);
  const int64_t size = argc > 5 ? std::stoll(argv[5]) : 224, batch = argc > 6 ? std::stoll(argv[6]) : 32;
  if (tl::distribute::is_worker_process() || std::getenv("TL_BENCH_WORKER"))
    return worker(dir, epochs, threads, size, batch);
  const auto start = std::chrono::steady_clock::now();
  const double cpu0 = child_cpu_seconds();
  std::vector<std::string> args{"/proc/self/exe"};
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  int code = 0;
  if (nproc == 1) {  // one plain process: no cluster variables at all
    setenv("TL_BENCH_WORKER", "1", 1);
    auto child = tl::distribute::detail::spawn_child(args, {}, 0);
    code = tl::distribute::detail::wait_children({child}, 0, true, 5).at(0).code;
    unsetenv("TL_BENCH_WORKER");
  } else {
    code = tl::distribute::launch(args, {.nproc_per_node = nproc});
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "RESULT,seed_dist," << nproc << "x" << threads << "," << wall << ",s,cpu " << child_cpu_seconds() - cpu0
            << " s (all workers), load " << std::ifstream("/proc/loadavg").rdbuf() << std::flush;
  return code;
} catch (const std::exception& e) {
  std::cerr << "tl_bench_distributed: " << e.what() << "\n";
  return 1;
}
