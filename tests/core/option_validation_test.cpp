// Every public option a user can get wrong is refused with a ValueError that names it and says what is wrong,
// before any work starts (no crash, no LibTorch assertion, no silently empty result).
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <functional>

namespace {

using tl::test::TempDir;
using DirectoryOptions = tl::preprocessing::image::DirectoryIteratorOptions;
using GeneratorOptions = tl::preprocessing::image::ImageDataGeneratorOptions;

struct Case {
  std::string what;               ///< the mistake, for the report
  std::function<void()> call;     ///< makes it
  std::string message;            ///< a part of the ValueError's message that names the argument
};

/// A directory flow_from_directory accepts: one class folder with one image.
const TempDir& image_dir() {
  return tl::test::made_once([](const TempDir& dir) {
    std::filesystem::create_directories(dir / "cats");
    tl::save_img(dir / "cats/a.png", tl::preprocessing::image::Image{4, 4, 3, std::vector<uint8_t>(48, 90)});
  });
}

void flow(const DirectoryOptions& options, const GeneratorOptions& generator = {}) {
  tl::ImageDataGenerator(generator).flow_from_directory(image_dir().path(), options);
}

tl::Model tiny_model() {
  const auto inputs = tl::Input({3});
  return tl::Model(inputs, tl::layers::Dense(2)(inputs));
}

void fit(const tl::models::FitOptions& options) {
  auto model = tiny_model();
  model.compile({.optimizer = "sgd", .loss = "mse"});
  model.fit(torch::zeros({4, 3}), torch::zeros({4, 2}), options);
}

void check_all(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO(c.what);
    std::string message = "(no exception)";
    try {
      tl::test::capture_stdout(c.call);
    } catch (const tl::ValueError& e) {
      message = e.what();
    }
    INFO(message);
    REQUIRE(message.find(c.message) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("flow_from_directory, ImageDataGenerator and load_img options", "[core][validation]") {
  check_all({
      {"negative batch size", [] { flow({.batch_size = -1}); }, "batch_size must be positive, got -1"},
      {"target size 0", [] { flow({.target_size = {0, 224}}); }, "target_size must be positive, got (0, 224)"},
      {"unknown class_mode", [] { flow({.class_mode = "multi"}); }, "Invalid class_mode: \"multi\""},
      {"unknown color_mode", [] { flow({.color_mode = "cmyk"}); }, "color_mode must be \"grayscale\", \"rgb\", or \"rgba\"; got \"cmyk\""},
      {"unknown interpolation", [] { flow({.interpolation = "cubic"}); }, "cubic"},
      {"unknown on_bad_image", [] { flow({.on_bad_image = "ignore"}); }, "on_bad_image must be \"error\" or \"skip\""},
      {"negative workers", [] { flow({.loader = {.workers = -2}}); }, "loader.workers"},
      {"subset without validation_split", [] { flow({.subset = "training"}); }, "subset=\"training\" needs a validation_split"},
      {"unknown subset", [] { flow({.subset = "test"}, {.validation_split = 0.2}); }, "Invalid subset name: test"},
      {"validation_split 1.5", [] { flow({}, {.validation_split = 1.5}); }, "`validation_split` must be strictly between 0 and 1"},
      {"validation_split -0.1", [] { flow({}, {.validation_split = -0.1}); }, "`validation_split` must be strictly between 0 and 1"},
      {"brightness_range of 3", [] { flow({}, {.brightness_range = {0.5, 1.0, 1.5}}); }, "brightness_range"},
      {"load_img negative size", [] { tl::load_img(image_dir() / "cats/a.png", {.target_size = {-1, 5}}); }, "target_size must be positive"},
      {"load_img unknown colour", [] { tl::load_img(image_dir() / "cats/a.png", {.color_mode = "hsv"}); }, "\"hsv\""},
  });
}

TEST_CASE("layer, compile and fit options", "[core][validation]") {
  const auto x = tl::Input({8, 8, 3});
  check_all({
      {"Dense units 0", [] { tl::layers::Dense(0); }, "units must be positive, got 0"},
      {"unknown activation", [] { tl::layers::Dense(2, {.activation = "softmaxx"}); }, "softmaxx"},
      {"Conv2D filters 0", [] { tl::layers::Conv2D(0, 3); }, "filters must be positive, got 0"},
      {"Conv2D padding", [] { tl::layers::Conv2D(4, 3, {.padding = "full"}); }, "full"},
      {"Conv2D kernel 0", [] { tl::layers::Conv2D(4, 0); }, "kernel_size must be positive"},
      {"Dropout rate", [] { tl::layers::Dropout(1.5); }, "rate must be in [0, 1), got 1.5"},
      {"Input negative", [] { tl::Input({-3, 4}); }, "shape dimensions must be positive or None"},
      {"Conv2D window larger than its input", [x] { tl::layers::Conv2D(1, 9)(x); }, "output is <= 0 due to downsampling"},
      {"unknown optimizer", [] { tiny_model().compile({.optimizer = "Adamm", .loss = "mse"}); }, "Adamm"},
      {"unknown loss", [] { tiny_model().compile({.optimizer = "adam", .loss = "hinge2"}); }, "hinge2"},
      {"unknown metric (resolved at the first batch, as Keras)", [] {
         auto model = tiny_model();
         model.compile({.optimizer = "adam", .loss = "mse", .metrics = {"acc2"}});
         model.fit(torch::zeros({2, 3}), torch::zeros({2, 2}), {.verbose = 0});
       }, "Could not interpret metric identifier: 'acc2'"},
      {"no loss", [] { tiny_model().compile({.optimizer = "adam"}); }, "a loss is required"},
      {"negative epochs", [] { fit({.epochs = -1}); }, "epochs and initial_epoch must be >= 0"},
      {"verbose 3", [] { fit({.verbose = 3}); }, "verbose must be 0, 1 or 2"},
      {"batch size 0", [] { fit({.batch_size = 0}); }, "batch_size must be positive, got 0"},
      {"negative steps", [] { fit({.steps_per_epoch = -2}); }, "steps_per_epoch and validation_steps must be >= 0"},
      {"validation_freq 0", [] { fit({.validation_freq = 0}); }, "validation_freq must be positive"},
      {"fit before compile", [] { tiny_model().fit(torch::zeros({2, 3}), torch::zeros({2, 2})); }, "You must compile your model"},
      {"zero threads", [] { tl::backend::set_num_threads(0); }, "set_num_threads: the number of threads must be positive, got 0"},
  });
}

TEST_CASE("applications and callbacks options", "[core][validation]") {
  using tl::applications::ResNet50;
  check_all({
      {"include_top with a wrong input shape", [] { ResNet50({.weights = "imagenet", .input_shape = {100, 100, 3}}); }, "input_shape"},
      {"input too small", [] { ResNet50({.include_top = false, .weights = "none", .input_shape = {16, 16, 3}}); }, "32"},
      {"weights file missing", [] { ResNet50({.weights = "no_such_weights.h5"}); }, "The `weights` argument should be either"},
      {"pooling min", [] { ResNet50({.include_top = false, .weights = "none", .pooling = "min"}); }, "`pooling` should be None, \"avg\" or \"max\""},
      {"imagenet with 10 classes", [] { ResNet50({.weights = "imagenet", .classes = 10}); }, "`classes` should be 1000"},
      {"EarlyStopping mode", [] { tl::callbacks::EarlyStopping({.mode = "sideways"}); }, "mode must be \"auto\", \"min\" or \"max\""},
      {"EarlyStopping patience", [] { tl::callbacks::EarlyStopping({.patience = -1}); }, "patience must be >= 0"},
      {"ReduceLROnPlateau factor", [] { tl::callbacks::ReduceLROnPlateau({.factor = 1.5}); }, "does not support a factor >= 1.0"},
      {"ModelCheckpoint save_freq", [] { tl::callbacks::ModelCheckpoint("m.h5", {.save_freq = "batch"}); }, "Unrecognized save_freq: batch"},
      {"ModelCheckpoint empty path", [] { tl::callbacks::ModelCheckpoint(""); }, "filepath must not be empty"},
      {"BackupAndRestore empty dir", [] { tl::callbacks::BackupAndRestore(""); }, "Empty `backup_dir` argument passed"},
  });
}
