// tl's side of the benchmarks in bench/run.sh: one program, one subcommand per benchmark, each printing
// `RESULT,<benchmark>,<implementation>,<value>,<unit>,<note>` lines that run.sh collects into results.csv.
//   tl_bench forward  ITERS [POLICY]    ResNet50 (include_top=false) forward, batch 16 at 224, under a dtype policy
//   tl_bench seed     DIR EPOCHS CACHE  frozen ResNet50 + GAP + Dense(2) on DIR/train, validated on DIR/test
//   tl_bench finetune ITERS             train_on_batch with conv5 unfrozen, batch 16 at 224
//   tl_bench loader   DIR WORKERS AUG [FAST]  flow_from_directory over DIR/train: decode + resize (+ augment);
//                                     FAST=1: the opt-in fast JPEG decode (LoaderOptions::fast_jpeg)
//   tl_bench loader_stages DIR [REPEAT]  one thread's CPU time per image in each stage of the loader, and the
//                                       JPEG decode at libjpeg's 1/2, 1/4, 1/8 scales (the fast decode's floor)
//   tl_bench augment  ITERS             the augmentation layers (training mode) beside a frozen ResNet50's forward,
//                                       batch 32 at 224: each cost as a share of the forward, in the same run
//   tl_bench dataset  DIR WORKERS ROUNDS  image_dataset_from_directory vs flow_from_directory over DIR/train
//                                       (224, batch 32), alternated ROUNDS times in the same run
#include "../examples/hot_dog_model.hpp"
#include "macs.hpp"

#include <tl/tl.hpp>

#include <tl/preprocessing/image/detail/pil_convert.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
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

/// Process CPU seconds (every thread), to compare per-thread work with Keras's single thread.
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

int loader(const std::string& dir, int workers, bool augment, bool fast) {
  tl::preprocessing::image::ImageDataGeneratorOptions options;
  if (augment) options = {.rotation_range = 20, .zoom_range = 0.2, .horizontal_flip = true};
  tl::ImageDataGenerator datagen(options);
  auto it = datagen.flow_from_directory(dir + "/train", {.target_size = {image_size, image_size}, .batch_size = 32,
                                                         .seed = 1, .loader = {.workers = workers, .fast_jpeg = fast}});
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = process_cpu_seconds();
  for (int64_t i = 0; i < it.size(); ++i) it.get_batch(i);
  const double wall = seconds_since(start), cpu = process_cpu_seconds() - cpu_start;
  char note[160];
  std::snprintf(note, sizeof note, "%lld JPEGs; cpu %.3f ms/img = %.0f img/s per thread", static_cast<long long>(it.samples),
                1e3 * cpu / double(it.samples), double(it.samples) / cpu);
  const char* name = std::getenv("BENCH_NAME");  // run.sh names the large-photo runs "loader_large"
  result(name ? name : augment ? "loader_augment" : "loader", "tl_" + std::to_string(workers) + "w" + (fast ? "_fast" : ""),
         double(it.samples) / wall, "img/s", note);
  return 0;
}

/// Where one loader thread's time goes, per image (thread CPU, best of REPEAT passes over DIR/train): read the file,
/// decode (PIL's Image.open + load), convert to RGB, resize to 224 (nearest), img_to_array + the copy into the
/// batch tensor. The same stages as flow_from_directory's worker, called one by one. Torch's intra-op threads are
/// set to one: with more, this thread's CPU time would count its spin-waits for the others on the copy (4.6 ms per
/// image instead of 0.13 on a loaded 2-core machine), which is not work.
int loader_stages(const std::string& dir, int repeat) {
  namespace img = tl::preprocessing::image;
  tl::backend::set_num_threads(1);
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir + "/train"))
    if (e.is_regular_file()) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  const auto thread_cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  };
  const img::LoadImgOptions options{.target_size = {image_size, image_size}};
  auto batch = torch::zeros({32, image_size, image_size, 3});
  std::map<std::string, double> best;
  // decode_at_1/N: the same files decoded at libjpeg's 1/N DCT scale whatever the target (the fast decode's floor:
  // entropy decoding is not scaled).
  const std::vector<std::string> stages{"read",          "decode",        "convert",       "resize",        "to_batch",
                                        "load_img_total", "decode_at_1/2", "decode_at_1/4", "decode_at_1/8"};
  for (int pass = 0; pass < repeat; ++pass) {
    std::map<std::string, double> t;
    for (size_t k = 0; k < files.size(); ++k) {
      const double a = thread_cpu();
      const auto bytes = img::detail::read_file(files[k]);
      const double b = thread_cpu();
      auto decoded = img::detail::decode_image(bytes.data(), bytes.size(), "image file", {});
      const double c = thread_cpu();
      const int width = decoded.width, height = decoded.height;  // for decode_at_1/N, before the move below
      auto rgb = img::detail::pil_convert(std::move(decoded), 3);
      const double d = thread_cpu();
      auto resized = img::detail::resize_for_keras(std::move(rgb), options);
      const double e = thread_cpu();
      batch[static_cast<int64_t>(k % 32)].copy_(tl::img_to_array(resized));
      const double f = thread_cpu();
      tl::img_to_array(tl::load_img(files[k], options));
      const double g = thread_cpu();
      t["read"] += b - a, t["decode"] += c - b, t["convert"] += d - c, t["resize"] += e - d, t["to_batch"] += f - e;
      t["load_img_total"] += g - f;
      for (int scale : {2, 4, 8}) {
        const double h = thread_cpu();
        img::detail::decode_image(bytes.data(), bytes.size(), "image file",
                                  {.draft_width = width / scale, .draft_height = height / scale});
        t["decode_at_1/" + std::to_string(scale)] += thread_cpu() - h;
      }
    }
    for (const auto& s : stages) best[s] = pass ? std::min(best[s], t[s]) : t[s];
  }
  for (const auto& s : stages)
    result("loader_stage", "tl_" + s, 1e3 * best[s] / double(files.size()), "ms/img",
           "thread CPU, best of " + std::to_string(repeat) + " passes over " + std::to_string(files.size()) + " JPEGs");
  return 0;
}

/// The augmentation layers on a batch of 32 at 224 in training mode (as fit runs them), each timed beside a frozen
/// ResNet50's forward of the same batch; the ratio is the layer's share of the forward (the bar: 10 %).
int augment(int iters) {
  namespace L = tl::layers;
  constexpr int64_t batch = 32;
  auto base = resnet50_base();
  base.trainable(false);
  const auto x = torch::rand({batch, image_size, image_size, 3}) * 255;
  const auto forward = median_seconds(1, iters, [&] { base.predict_on_batch(x); });
  result("augment_forward", "tl", forward.wall, "s/batch", "frozen ResNet50 predict_on_batch, batch 32; " + forward.cpu_note(batch));
  struct Case { std::string name; tl::Layer layer; };
  const std::vector<Case> cases{
      {"RandomFlip", L::RandomFlip("horizontal_and_vertical", {.seed = 1})},
      {"RandomRotation", L::RandomRotation(0.2, {.seed = 1})},
      {"RandomZoom", L::RandomZoom(0.2, {.seed = 1})},
      {"RandomTranslation", L::RandomTranslation(0.1, 0.1, {.seed = 1})},
      {"RandomContrast", L::RandomContrast(0.2, {.seed = 1})},
      {"RandomCrop", L::RandomCrop(200, 200, {.seed = 1})},
      {"guide_pair", tl::Sequential({L::RandomFlip("horizontal", {.seed = 1}), L::RandomRotation(0.1, {.seed = 1})})},
      {"all_five", tl::Sequential({L::RandomFlip("horizontal", {.seed = 1}), L::RandomRotation(0.1, {.seed = 1}),
                                   L::RandomZoom(0.1, {.seed = 1}), L::RandomTranslation(0.1, 0.1, {.seed = 1}),
                                   L::RandomContrast(0.1, {.seed = 1})})}};
  for (const auto& c : cases) {
    const auto t = median_seconds(1, std::max(3, iters), [&] { c.layer(x, true); });
    result("augment_" + c.name, "tl", t.wall / forward.wall, "x forward",
           std::to_string(int(1000 * t.wall)) + " ms/batch wall, " + std::to_string(int(1000 * t.cpu)) + " ms cpu");
  }
  return 0;
}

/// Loads every batch of DIR/train at 224 (batch 32) with image_dataset_from_directory and with flow_from_directory
/// (default interpolations: bilinear and nearest), alternately, ROUNDS times; prints images/s of each round.
int dataset(const std::string& dir, int workers, int rounds) {
  const tl::preprocessing::image::LoaderOptions loader{.workers = workers};
  auto ds = tl::utils::image_dataset_from_directory(dir + "/train", {.image_size = {image_size, image_size}, .seed = 1, .loader = loader});
  auto it = tl::ImageDataGenerator().flow_from_directory(dir + "/train", {.target_size = {image_size, image_size}, .seed = 1, .loader = loader});
  const auto epoch = [](tl::Sequence& data) {
    const auto start = std::chrono::steady_clock::now();
    const auto cpu_start = std::clock();
    int64_t images = 0;
    for (int64_t i = 0; i < data.size(); ++i) images += data.get_batch(i).x.size(0);
    data.on_epoch_end();
    return std::tuple{double(images) / seconds_since(start), double(std::clock() - cpu_start) / CLOCKS_PER_SEC / double(images)};
  };
  for (int r = 0; r < rounds; ++r) {
    for (const bool keras_dataset : {true, false}) {
      const auto [rate, cpu] = keras_dataset ? epoch(ds) : epoch(it);
      result(keras_dataset ? "image_dataset" : "flow_from_directory", "tl_r" + std::to_string(r), rate, "img/s",
             std::to_string(workers) + " workers, cpu " + std::to_string(int(1e6 * cpu)) + " us/img");
    }
  }
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
  if (command == "loader" && (argc == 5 || argc == 6))
    return loader(argv[2], arg(argv, 3), arg(argv, 4) != 0, argc == 6 && arg(argv, 5) != 0);
  if (command == "loader_stages" && (argc == 3 || argc == 4)) return loader_stages(argv[2], argc == 4 ? arg(argv, 3) : 3);
  if (command == "augment" && argc == 3) return augment(arg(argv, 2));
  if (command == "dataset" && argc == 5) return dataset(argv[2], arg(argv, 3), arg(argv, 4));
  std::cerr << "usage: tl_bench forward ITERS [POLICY] | seed DIR EPOCHS CACHE(0|1) | finetune ITERS | "
               "loader DIR WORKERS AUG(0|1) [FAST(0|1)] | loader_stages DIR [REPEAT] | augment ITERS | "
               "dataset DIR WORKERS ROUNDS\n";
  return 2;
} catch (const std::exception& e) {
  std::cerr << "tl_bench: " << e.what() << "\n";
  return 1;
}
