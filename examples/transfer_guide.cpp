// Keras's transfer-learning guide (keras.io/guides/transfer_learning, "An end-to-end example"), line for line, with
// the guide's advice for your own images: keras.utils.image_dataset_from_directory instead of tfds. Data
// augmentation runs inside the model (RandomFlip, RandomRotation), a frozen ImageNet base, a new head, then
// fine-tuning at a low learning rate. tl's applications have ResNet50 where the guide uses Xception, so the guide's
// Rescaling(1 / 127.5, offset=-1) becomes ResNet50's preprocess_input (a small layer below).
//   transfer_guide DATA_DIR   (one folder per class, two classes: e.g. Kaggle's cats vs dogs, or hot_dog/train)
#include "command_line.hpp"

#include <tl/tl.hpp>

#include <iostream>

namespace {

constexpr const char* usage =
    "usage: transfer_guide DATA_DIR [--epochs 20] [--fine-tune-epochs 10] [--image-size 150] [--batch-size 32]\n"
    "                      [--weights imagenet|none|FILE.h5] [--seed 1337]\n"
    "DATA_DIR holds one folder of images per class (two classes); 20% of the files are held out for validation.\n"
    "--weights: the ResNet50 base's weights (FILE.h5: a Keras ResNet50 'notop' weights file).";

/// `x = keras.applications.resnet50.preprocess_input(x)` as a layer of the model: RGB 0..255 to BGR minus
/// ImageNet's means (tl's tensors inside a model are (N, C, H, W)).
class ResNet50PreprocessImpl : public tl::layers::SingleInputLayerImpl {
 public:
  ResNet50PreprocessImpl() : SingleInputLayerImpl("ResNet50Preprocess", "preprocess_input") {}
  tl::Shape output_shape_for(const tl::Shape& in) const override { return in; }
  torch::Tensor forward_one(const torch::Tensor& x, bool /*training*/) override {
    const auto mean = torch::tensor({103.939f, 116.779f, 123.68f}, x.options()).view({1, 3, 1, 1});
    return x.flip({1}) - mean;
  }
};

tl::Layer ResNet50Preprocess() { return tl::Layer(std::make_shared<ResNet50PreprocessImpl>()); }

}  // namespace

int main(int argc, char** argv) try {
  const examples::CommandLine args(argc, argv, usage,
                                   {"epochs", "fine-tune-epochs", "image-size", "batch-size", "weights", "seed"});
  const std::filesystem::path data_dir = args.required(0, "DATA_DIR", 1);
  const int epochs = args.get_int("epochs", 20);
  const int fine_tune_epochs = args.get_int("fine-tune-epochs", 10, 0);
  const int size = args.get_int("image-size", 150, 32);
  const int batch_size = args.get_int("batch-size", 32);
  const auto seed = static_cast<uint32_t>(args.get_int("seed", 1337, 0));
  const std::string weights = args.get("weights", "imagenet");

  // train_ds, validation_ds = keras.utils.image_dataset_from_directory(
  //     DATA_DIR, validation_split=0.2, subset="both", seed=1337, image_size=(150, 150), batch_size=32)
  auto [train_ds, validation_ds] = tl::utils::image_dataset_from_directory(
      data_dir, {.batch_size = batch_size, .image_size = {size, size}, .seed = seed, .validation_split = 0.2,
                 .subset = "both"});

  // data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
  auto data_augmentation = tl::Sequential({tl::layers::RandomFlip("horizontal"), tl::layers::RandomRotation(0.1)});

  // base_model = keras.applications.Xception(weights="imagenet", input_shape=(150, 150, 3), include_top=False)
  auto base_model = tl::applications::ResNet50({.include_top = false, .weights = weights, .input_shape = {size, size, 3}});
  base_model.trainable(false);  // base_model.trainable = False

  auto inputs = tl::Input({size, size, 3});
  auto x = data_augmentation(inputs);  // Apply random data augmentation
  x = ResNet50Preprocess()(x);         // the guide: keras.layers.Rescaling(scale=1 / 127.5, offset=-1)(x)
  // The guide calls base_model(x, training=False). In tl a frozen BatchNormalization always runs in inference mode.
  x = base_model(x);
  x = tl::layers::GlobalAveragePooling2D()(x);
  x = tl::layers::Dropout(0.2)(x);  // Regularize with dropout
  auto outputs = tl::layers::Dense(1)(x);
  tl::Model model(inputs, outputs);
  model.summary();

  model.compile({.optimizer = tl::optimizers::Adam(),
                 .loss = tl::losses::BinaryCrossentropy({.from_logits = true}),
                 .metrics = {tl::metrics::BinaryAccuracy()}});
  model.fit(train_ds, {.epochs = epochs, .validation_data = validation_ds});

  if (fine_tune_epochs > 0) {
    // base_model.trainable = True, its BatchNormalization layers kept in inference mode (the guide's
    // training=False): in tl, by leaving them frozen.
    base_model.trainable(true);
    for (const auto& layer : base_model->layers())
      if (layer->class_name() == "BatchNormalization") layer->set_trainable(false);
    model.summary();
    model.compile({.optimizer = tl::optimizers::Adam({.learning_rate = 1e-5}),  // Low learning rate
                   .loss = tl::losses::BinaryCrossentropy({.from_logits = true}),
                   .metrics = {tl::metrics::BinaryAccuracy()}});
    model.fit(train_ds, {.epochs = fine_tune_epochs, .validation_data = validation_ds});
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "transfer_guide: " << e.what() << "\n";
  return 1;
}
