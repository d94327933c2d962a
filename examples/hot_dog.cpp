// The blog's hot-dog / not-hot-dog program in C++, line for line: a frozen ImageNet ResNet50 (or another
// keras.applications base, --base NAME), a new softmax head, five epochs on DATA_DIR/train validated on
// DATA_DIR/test; then, optionally, fine-tuning of the base's last layers at a low learning rate and saving for
// `predict`. Data: Kaggle's dansbecker/hot-dog-not-hot-dog.
#include "command_line.hpp"
#include "hot_dog_model.hpp"

#include <tl/tl.hpp>

#include <iostream>
#include <optional>

namespace {

constexpr const char* usage =
    "usage: hot_dog [DATA_DIR=hot_dog] [--epochs 5] [--target-size 512] [--batch-size 32]\n"
    "               [--weights imagenet|none|FILE.h5] [--base ResNet50] [--fine-tune EPOCHS]\n"
    "               [--unfreeze-from LAYER] [--seed S] [--save FILE]\n"
    "DATA_DIR holds train/ and test/, each with one folder of images per class.\n"
    "--base: the keras.applications model to build on, by Keras's name (VGG16, DenseNet121, InceptionV3, ...).\n"
    "--weights: the base's weights (FILE.h5: a Keras weights file of the base without its top).\n"
    "--fine-tune N: then unfreeze the base from LAYER on (ResNet50: conv5_block1_1_conv, its conv5; other bases\n"
    "               need --unfreeze-from) and train N more epochs with Adam(1e-5).\n"
    "--seed S: the weights' and the shuffling's seed (keras.utils.set_random_seed); without it, random.\n"
    "--save FILE: save the model (architecture and weights, Keras HDF5) and FILE.classes (class names) for `predict`.";

/// The base model inside hot_dog_model's model (its layer after the input).
tl::Model base_of(const tl::Model& model) {
  return tl::Model(std::dynamic_pointer_cast<tl::models::ModelImpl>(model.layers().at(1)));
}

/// The blog's suggested next step: unfreeze the last stage (from `first_layer` on), recompile with a low learning
/// rate, go on.
void fine_tune(const tl::Model& model, const std::string& first_layer, tl::DirectoryIterator& train,
               tl::DirectoryIterator& test, int epochs, int fine_tune_epochs) {
  tl::applications::set_trainable_from(base_of(model), first_layer);
  model.compile({.optimizer = tl::optimizers::Adam({.learning_rate = 1e-5}), .loss = "binary_crossentropy",
                 .metrics = {"accuracy"}});
  model.fit(train, {.epochs = epochs + fine_tune_epochs, .validation_data = test, .initial_epoch = epochs});
}

/// Keras's flow_from_directory only prints "Found 0 images belonging to 0 classes." for a folder without class
/// folders or images; the model would then fail on a Dense layer of 0 units. Say which folder it is instead.
void require_images(const tl::DirectoryIterator& generator) {
  if (generator.samples == 0)
    throw tl::ValueError(generator.directory + ": no images in class folders (expected one folder of images per "
                         "class, e.g. " + generator.directory + "/hot_dog/1.jpg)");
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::CommandLine args(argc, argv, usage,
                                   {"epochs", "target-size", "batch-size", "weights", "base", "fine-tune", "unfreeze-from", "seed",
                                    "save"});
  const std::filesystem::path data_dir = args.positional(0, "hot_dog", 1);
  const int epochs = args.get_int("epochs", 5);
  const int size = args.get_int("target-size", 512, 32);  // the least any base accepts; each checks its own
  const int batch_size = args.get_int("batch-size", 32);
  const int fine_tune_epochs = args.get_int("fine-tune", 0, 0);
  const std::string save = args.get("save", "");
  const std::string base = args.get("base", "ResNet50");
  tl::applications::by_name::get(base);  // an unknown name fails here, listing the known ones, before any data is read
  const std::string unfreeze_from = args.get("unfreeze-from", base == "ResNet50" ? "conv5_block1_1_conv" : "");
  if (fine_tune_epochs > 0 && unfreeze_from.empty())
    throw tl::ValueError("--fine-tune with --base " + base + " needs --unfreeze-from LAYER (a layer of " + base + ")");

  std::optional<uint32_t> seed;
  if (!args.get("seed", "").empty()) {
    seed = static_cast<uint32_t>(args.get_int("seed", 0, 0));
    torch::manual_seed(*seed);  // the new layers' initial weights (and a base without weights)
  }

  tl::ImageDataGenerator datagen;
  auto train_generator = datagen.flow_from_directory(
      data_dir / "train",
      {.target_size = {size, size}, .class_mode = "categorical", .batch_size = batch_size, .seed = seed});
  auto test_generator = datagen.flow_from_directory(
      data_dir / "test", {.target_size = {size, size}, .class_mode = "categorical", .batch_size = batch_size});
  require_images(train_generator);
  require_images(test_generator);

  auto model = examples::hot_dog_model(args.get("weights", "imagenet"), size, train_generator.num_classes, base);
  if (fine_tune_epochs > 0) base_of(model).get_layer(unfreeze_from);  // a wrong name fails before any training
  model.compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  model.summary();
  model.fit(train_generator, {.epochs = epochs, .validation_data = test_generator});

  if (fine_tune_epochs > 0) fine_tune(model, unfreeze_from, train_generator, test_generator, epochs, fine_tune_epochs);
  if (!save.empty()) {
    model.save(save);  // architecture and weights: `predict` loads it with tl::models::load_model
    examples::save_class_names(save, train_generator.class_indices);
    std::cout << "Saved the model to " << save << " and its class names to "
              << examples::classes_file(save).string() << "\n";
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "hot_dog: " << e.what() << "\n";
  return 1;
}
