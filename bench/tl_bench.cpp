// tl's side of the benchmarks in bench/run.sh: one program, one subcommand per benchmark, each printing
// `RESULT,<benchmark>,<implementation>,<value>,<unit>,<note>` lines that run.sh collects into results.csv.
//   tl_bench forward  ITERS [POLICY]    ResNet50 (include_top=false) forward, batch 16 at 224, under a dtype policy
//   tl_bench seed     DIR EPOCHS CACHE  frozen ResNet50 + GAP + Dense(2) on DIR/train, validated on DIR/test
//   tl_bench finetune ITERS             train_on_batch with conv5 unfrozen, batch 16 at 224
//   tl_bench loader   DIR WORKERS AUG   flow_from_directory over DIR/train: decode + resize (+ augment)
#include "../examples/hot_dog_model.hpp"
#include "macs.hpp"

#include <tl/tl.hpp>

#include <chrono>
#include <ctime>
#include <iostream>
#include <string>

namespace {

constexpr int64_t batch_size = 16;
constexpr int64_t image_size = 224;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void result(const std::string& bench, const std::string& impl, double value, const std::string& unit,
            const std::string& note = "") {
  std::cout << "RESULT," << bench << "," << impl << "," << value << "," << unit << "," << note << std::endl;
}

/// Random weights (no network here): the arithmetic is the same as with ImageNet's.
tl::Model resnet50_base() {
  return tl::applications::ResNet50({.include_top = false, .weights = "none", .input_shape = {image_size, image_size, 3}});
}

/// Wall and process-CPU seconds of one call of `step`: medians of `iters` calls after `warmup` untimed ones.
/// CPU time shows the work done even when other processes share the cores.
struct Timing {
  double wall, cpu;
  std::string cpu_note(int64_t images) const { return "cpu " + std::to_string(int(1000 * cpu / double(images))) + " ms/img"; }
};
template <class Step>
Timing median_seconds(int warmup, int iters, Step&& step) {
  for (int i = 0; i < warmup; ++i) step();
  std::vector<double> wall, cpu;
  for (int i = 0; i < iters; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto cpu_start = std::clock();
    step();
    cpu.push_back(double(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    wall.push_back(seconds_since(start));
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

int forward(int iters, const std::string& policy) {
  tl::mixed_precision::set_global_policy(policy);
  auto base = resnet50_base();
  base.trainable(false);
  result("resnet50_macs", "tl", bench::macs_per_image(base), "MAC/img", "Conv2D+Dense layers from the model's shapes");
  const auto x = torch::rand({batch_size, image_size, image_size, 3}) * 255;  // NHWC, as Keras users feed it
  const auto t = median_seconds(2, iters, [&] { base.predict_on_batch(x); });
  const auto impl = policy == "float32" ? std::string("tl") : "tl_" + policy;
  result("forward", impl, double(batch_size) / t.wall, "img/s", "predict_on_batch; " + t.cpu_note(batch_size));
  return 0;
}

/// The seed's model: frozen ResNet50 + GlobalAveragePooling2D + Dense(classes, softmax), random weights.
tl::Model seed_model(int64_t classes) { return examples::hot_dog_model("none", image_size, classes); }

int seed(const std::string& dir, int epochs, bool cache) {
  const auto start = std::chrono::steady_clock::now();
  tl::ImageDataGenerator datagen;
  const tl::preprocessing::image::DirectoryIteratorOptions flow{
      .target_size = {image_size, image_size}, .class_mode = "categorical", .batch_size = batch_size};
  auto train = datagen.flow_from_directory(dir + "/train", flow);
  auto test = datagen.flow_from_directory(dir + "/test", flow);
  auto model = seed_model(train.num_classes);
  model.compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  model.fit(train, {.epochs = epochs, .verbose = 0, .validation_data = test, .cache_features = cache});
  const std::string impl = cache ? "tl" : "tl_no_cache";
  result("seed_job", impl, seconds_since(start), "s",
         std::to_string(train.samples) + "+" + std::to_string(test.samples) + " images x " + std::to_string(epochs) +
             " epochs");
  return 0;
}

int finetune(int iters) {
  auto model = seed_model(2);
  const tl::Model base(std::dynamic_pointer_cast<tl::models::ModelImpl>(model.get_layer("resnet50")));
  tl::applications::set_trainable_from(base, "conv5_block1_1_conv");
  model.compile({.optimizer = tl::optimizers::Adam({.learning_rate = 1e-5}), .loss = "binary_crossentropy"});
  const auto x = torch::rand({batch_size, image_size, image_size, 3}) * 255;
  const auto y = torch::one_hot(torch::randint(2, {batch_size}), 2).to(torch::kFloat);
  const auto t = median_seconds(1, iters, [&] { model.train_on_batch(x, y); });
  result("finetune_step", "tl", double(batch_size) / t.wall, "img/s", "conv5 unfrozen + Adam; " + t.cpu_note(batch_size));
  return 0;
}

int loader(const std::string& dir, int workers, bool augment) {
  tl::preprocessing::image::ImageDataGeneratorOptions options;
  if (augment) options = {.rotation_range = 20, .zoom_range = 0.2, .horizontal_flip = true};
  tl::ImageDataGenerator datagen(options);
  auto it = datagen.flow_from_directory(dir + "/train", {.target_size = {image_size, image_size}, .batch_size = 32,
                                                         .seed = 1, .loader = {.workers = workers}});
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < it.size(); ++i) it.get_batch(i);
  result(augment ? "loader_augment" : "loader", "tl_" + std::to_string(workers) + "w",
         double(it.samples) / seconds_since(start), "img/s", std::to_string(it.samples) + " JPEGs");
  return 0;
}

int arg(char** argv, int i) { return std::stoi(argv[i]); }

}  // namespace

int main(int argc, char** argv) try {
  at::globalContext().setFlushDenormal(true);  // random weights: keep denormals from skewing either side
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "forward" && (argc == 3 || argc == 4)) return forward(arg(argv, 2), argc == 4 ? argv[3] : "float32");
  if (command == "seed" && argc == 5) return seed(argv[2], arg(argv, 3), arg(argv, 4) != 0);
  if (command == "finetune" && argc == 3) return finetune(arg(argv, 2));
  if (command == "loader" && argc == 5) return loader(argv[2], arg(argv, 3), arg(argv, 4) != 0);
  std::cerr << "usage: tl_bench forward ITERS [POLICY] | seed DIR EPOCHS CACHE(0|1) | finetune ITERS | loader DIR WORKERS AUG(0|1)\n";
  return 2;
} catch (const std::exception& e) {
  std::cerr << "tl_bench: " << e.what() << "\n";
  return 1;
}
