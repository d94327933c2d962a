// The README's main job: transfer learning proven offline on Fashion-MNIST. A small ResNet is pretrained on
// five source classes (T-shirt, pullover, coat, sandal, sneaker) and saved with save_weights; the five other
// classes (trouser, dress, shirt, bag, ankle boot) are then learnt from N labelled images per class, three ways:
// from scratch, with the pretrained base frozen under a new head, and frozen-then-fine-tuned at a low learning
// rate. Every image goes through ImageDataGenerator.flow_from_directory. Prints test accuracy on all 5,000
// test images of the target classes.
#include "../command_line.hpp"
#include "fashion_mnist.hpp"
#include "few_shot.hpp"
#include "small_resnet.hpp"

#include <tl/tl.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace {

constexpr const char* usage =
    "usage: fashion_transfer [--shots 5,10,50] [--seeds 3] [--pretrain-epochs 3] [--pretrain-steps 0]\n"
    "                        [--data /usr/share/datasets/fashion-mnist] [--cache DIR]\n"
    "--shots: labelled training images per target class, one experiment each (comma-separated).\n"
    "--seeds: few-shot draws per N (each trains the three variants).\n"
    "--pretrain-epochs/--pretrain-steps: pretraining on the 30,000 source images, in batches of 128\n"
    "                  (steps per epoch: 0 = all 235).\n"
    "--cache: where the PNG export and the pretrained weights go (default $XDG_CACHE_HOME/tl/fashion_mnist\n"
    "         or ~/.cache/tl/fashion_mnist).";

const std::vector<int> source_labels = {0, 2, 4, 5, 7};
const std::vector<int> target_labels = {1, 3, 6, 8, 9};
constexpr int64_t classes = 5;

struct Settings {
  std::filesystem::path data, cache;
  std::vector<int> shots;
  int seeds = 3;
  int pretrain_epochs = 3;
  int pretrain_steps = 0;  ///< per epoch; 0: the whole source set
};

/// Test accuracy of one few-shot draw for the three ways of learning it.
struct Accuracies {
  double scratch = 0, frozen = 0, fine_tuned = 0;
};

const auto start_time = std::chrono::steady_clock::now();

/// Wall time so far, and the CPU time of all threads (which shows when other programs share the cores).
std::string elapsed() {
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start_time;
  std::ostringstream out;
  out << "[" << std::fixed << std::setprecision(0) << wall.count() << " s, cpu " << double(std::clock()) / CLOCKS_PER_SEC
      << " s]";
  return out.str();
}

std::filesystem::path default_cache() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "tl" / "fashion_mnist";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".cache" / "tl" / "fashion_mnist";
}

std::vector<int> parse_shots(const examples::CommandLine& args) {
  std::vector<int> shots;
  std::stringstream list(args.get("shots", "5,10,50"));
  for (std::string item; std::getline(list, item, ',');) {
    char* end = nullptr;
    const long n = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || n < 1 || n > 6000) args.fail("--shots expects numbers in 1..6000, got '" + item + "'");
    shots.push_back(static_cast<int>(n));
  }
  return shots;
}

/// 28x28 grayscale images scaled to [0, 1], integer labels, from the given class folders of `dir`.
tl::DirectoryIterator flow(const std::filesystem::path& dir, const std::vector<int>& labels, int64_t batch_size,
                           bool shuffle, uint32_t seed) {
  static const tl::ImageDataGenerator datagen({.rescale = 1.0 / 255});
  return datagen.flow_from_directory(dir, {.target_size = {28, 28},
                                           .color_mode = "grayscale",
                                           .classes = fashion_mnist::folders_of(labels),
                                           .class_mode = "sparse",
                                           .batch_size = batch_size,
                                           .shuffle = shuffle,
                                           .seed = seed});
}

void compile(const tl::Model& model, double learning_rate) {
  model.compile({.optimizer = tl::optimizers::Adam({.learning_rate = learning_rate}),
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
}

/// Pretrains base + head on the source classes and saves the weights (Keras HDF5); returns the file.
std::filesystem::path pretrain(const Settings& s) {
  std::cout << "\nPretraining a small ResNet on the source classes " << fashion_mnist::folders_of(source_labels).front()
            << ", ... (" << s.pretrain_epochs << " epochs):" << std::endl;
  auto source = flow(s.cache / "train", source_labels, 128, true, 0);
  auto source_test = flow(s.cache / "test", source_labels, 500, false, 0);
  torch::manual_seed(0);
  const auto model = fashion_transfer::classifier(fashion_transfer::small_resnet_base(), classes, "source_head");
  compile(model, 1e-3);
  model.summary();
  model.fit(source, {.epochs = s.pretrain_epochs, .verbose = 2, .steps_per_epoch = s.pretrain_steps});
  const auto logs = model.evaluate(source_test, {.verbose = 0});
  std::cout << "Source-class test accuracy: " << std::fixed << std::setprecision(3) << logs["accuracy"] << " "
            << elapsed() << std::endl;
  const auto file = s.cache / "fashion_source_resnet.h5";
  model.save_weights(file);
  std::cout << "Saved the pretrained weights to " << file.string() << std::endl;
  return file;
}

/// Epochs that make about `steps` optimizer steps over a training set of `batches` batches.
int epochs_for(int steps, int64_t batches) { return static_cast<int>(std::max<int64_t>(1, steps / batches)); }

double accuracy(const tl::Model& model, tl::DirectoryIterator& test) {
  return model.evaluate(test, {.verbose = 0})["accuracy"];
}

double train_from_scratch(tl::DirectoryIterator& train, tl::DirectoryIterator& test) {
  const auto model = fashion_transfer::classifier(fashion_transfer::small_resnet_base(), classes, "target_head");
  compile(model, 1e-3);
  model.fit(train, {.epochs = epochs_for(60, train.size()), .verbose = 0});
  return accuracy(model, test);
}

/// The Keras guide's recipe: frozen pretrained base + new head; then unfreeze the base (its BatchNormalization
/// layers stay in inference mode) and fine-tune everything at a low learning rate.
void train_transfer(const std::filesystem::path& pretrained, tl::DirectoryIterator& train, tl::DirectoryIterator& test,
                    Accuracies& result) {
  const auto base = fashion_transfer::small_resnet_base();
  const auto model = fashion_transfer::classifier(base, classes, "target_head");
  model.load_weights(pretrained, {.by_name = true});  // the base only: the file's head is "source_head"
  base.trainable(false);
  compile(model, 1e-2);
  // 200 steps: a linear head converges slowly, and with the base frozen they run on cached features.
  model.fit(train, {.epochs = epochs_for(200, train.size()), .verbose = 0});
  result.frozen = accuracy(model, test);

  base.trainable(true);
  for (const auto& layer : base.layers())
    if (layer->class_name() == "BatchNormalization") layer->set_trainable(false);
  compile(model, 1e-4);
  model.fit(train, {.epochs = epochs_for(30, train.size()), .verbose = 0});
  result.fine_tuned = accuracy(model, test);
}

Accuracies run_draw(const Settings& s, const std::filesystem::path& pretrained, tl::DirectoryIterator& test, int n, int seed) {
  const auto dir = fashion_transfer::few_shot_folder(s.cache, target_labels, n, seed);
  auto train = flow(dir, target_labels, std::min<int64_t>(32, n * classes), true, static_cast<uint32_t>(seed));
  Accuracies result;
  torch::manual_seed(seed);
  result.scratch = train_from_scratch(train, test);
  torch::manual_seed(seed);
  train_transfer(pretrained, train, test, result);
  std::cout << "  N=" << std::setw(2) << n << " seed " << seed << ": scratch " << std::fixed << std::setprecision(3)
            << result.scratch << "  frozen " << result.frozen << "  fine-tuned " << result.fine_tuned << "  "
            << elapsed() << std::endl;
  return result;
}

std::string mean_std(const std::vector<double>& values) {
  double mean = 0, var = 0;
  for (double v : values) mean += v / values.size();
  for (double v : values) var += (v - mean) * (v - mean) / values.size();
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << mean << " ± " << std::sqrt(var);
  return out.str();
}

void print_row(int n, const std::vector<Accuracies>& runs) {
  std::vector<double> scratch, frozen, fine_tuned;
  for (const auto& r : runs) {
    scratch.push_back(r.scratch);
    frozen.push_back(r.frozen);
    fine_tuned.push_back(r.fine_tuned);
  }
  std::cout << std::setw(8) << n << " | " << std::setw(15) << mean_std(scratch) << " | " << std::setw(15)
            << mean_std(frozen) << " | " << std::setw(15) << mean_std(fine_tuned) << "\n";
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::CommandLine args(argc, argv, usage,
                                   {"shots", "seeds", "pretrain-steps", "pretrain-epochs", "data", "cache"});
  args.positional(0, "", 0);
  const Settings settings{args.get("data", "/usr/share/datasets/fashion-mnist"),
                          args.get("cache", default_cache().string()),
                          parse_shots(args),
                          args.get_int("seeds", 3),
                          args.get_int("pretrain-epochs", 3),
                          args.get_int("pretrain-steps", 0, 0)};

  fashion_mnist::export_png_folders(settings.data, settings.cache);
  const auto pretrained = pretrain(settings);

  std::cout << "\nLearning the target classes trouser, dress, shirt, bag, ankle boot from N images per class "
               "(test: all their test images):" << std::endl;
  auto test = flow(settings.cache / "test", target_labels, 500, false, 0);
  std::vector<std::vector<Accuracies>> table;
  for (int n : settings.shots) {
    table.emplace_back();
    for (int seed = 0; seed < settings.seeds; ++seed) table.back().push_back(run_draw(settings, pretrained, test, n, seed));
  }

  std::cout << "\nTest accuracy on the " << test.samples << " target-class test images (mean ± std over "
            << settings.seeds << " seeds):\n"
            << "N/class  |     scratch     |  frozen + head  | then fine-tuned\n"
            << "---------+-----------------+-----------------+----------------\n";
  for (size_t i = 0; i < settings.shots.size(); ++i) print_row(settings.shots[i], table[i]);
  std::cout << "(PyTorch reference, 3 seeds: N=5 0.668 / 0.806 / 0.819; N=10 0.781 / 0.825 / 0.844)\n"
            << "Total time " << elapsed() << std::endl;
  return 0;
} catch (const std::exception& e) {
  std::cerr << "fashion_transfer: " << e.what() << "\n";
  return 1;
}
