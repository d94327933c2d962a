// Runs the built examples end to end: hot_dog on a generated two-class directory (Keras-form output, saved
// model) and predict on that model; bad command lines exit with status 2 and the usage; missing or empty data
// folders exit with status 1 and name the folder. (fashion_transfer: fashion_transfer_test.cpp.)
#include "examples_support.hpp"

#include <regex>

namespace {

using tl::test::TempDir;
using tl::test::examples::count;
using tl::test::examples::make_two_class_dir;
using tl::test::examples::run_status;

const std::string& examples_dir = tl::test::examples::dir;

}  // namespace

TEST_CASE("hot_dog trains the seed's model with Keras's output and predict classifies with the saved model") {
  TempDir tmp;
  const auto data = make_two_class_dir(tmp);
  const auto model = (tmp / "model.h5").string();
  // Six epochs: the first runs the frozen ResNet50 (random weights) and caches its features, the other five train
  // the head on them in milliseconds. Seeded: with some random bases the head starts saturated (loss 7.69, the
  // clipped log of 1e-7) and never learns, as Keras's would; about one unseeded run in five.
  const auto [status, out] = run_status(examples_dir + "/hot_dog " + data.string() +
                                        " --weights none --target-size 64 --epochs 6 --batch-size 4 --seed 1 --save " +
                                        model);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(count(out, "Found 16 images belonging to 2 classes.") == 1);
  CHECK(count(out, "Found 8 images belonging to 2 classes.") == 1);
  CHECK(count(out, "Model: \"my_model\"") == 1);
  CHECK(count(out, "Total params: 23,591,810") == 1);
  CHECK(count(out, "Trainable params: 4,098") == 1);
  CHECK(count(out, "Non-trainable params: 23,587,712") == 1);
  CHECK(count(out, "Epoch 1/6\n") == 1);
  CHECK(count(out, "Epoch 6/6\n") == 1);
  // Keras's Progbar prints a value of at most 1e-3 as %.4e: a trained head's loss 4.5597e-04, an accuracy 0.0000e+00.
  const std::string value = R"(\d\.\d{4}(e[+-]\d+)?|\d+\.\d{4})";
  const std::regex epoch_line(R"(4/4 \[=+\] - \d+m?s \d+[mu]?s/step - loss: ()" + value + R"() - accuracy: ()" + value +
                              R"() - val_loss: ()" + value + R"() - val_accuracy: ()" + value + ")");
  CHECK(std::distance(std::sregex_iterator(out.begin(), out.end(), epoch_line), std::sregex_iterator()) == 6);
  CHECK(count(out, "Saved the model to " + model + " and its class names to " + model + ".classes") == 1);
  CHECK(std::filesystem::exists(model));
  CHECK(tl::test::run("cat " + model + ".classes") == "blue\nred\n");

  // predict loads the saved model in another process and names the class of an image of each colour.
  for (const std::string colour : {"red", "blue"}) {
    const auto [predict_status, prediction] = run_status(examples_dir + "/predict " + model + " " +
                                                         (data / "test" / colour / "0.png").string() + " --target-size 64");
    INFO(colour << ": " << prediction);
    REQUIRE(predict_status == 0);
    std::smatch m;
    REQUIRE(std::regex_match(prediction, m, std::regex(R"((blue|red) (\d\.\d{4})\n)")));
    CHECK(m[1] == colour);
    CHECK(std::stod(m[2]) >= 0.5);  // printed: the probability of the class named, the larger of two
    CHECK(std::stod(m[2]) <= 1.0);
  }
}

TEST_CASE("hot_dog --base builds on another keras.applications model, by Keras's name") {
  TempDir tmp;
  const auto data = make_two_class_dir(tmp);
  const auto [status, out] = run_status(examples_dir + "/hot_dog " + data.string() +
                                        " --base DenseNet121 --weights none --target-size 32 --epochs 1 --batch-size 8");
  INFO(out);
  REQUIRE(status == 0);
  CHECK(count(out, " densenet121 (Functional) ") == 1);
  CHECK(count(out, "Total params: 7,039,554") == 1);  // Keras's DenseNet121 without its top, 7,037,504, + 1024 * 2 + 2
  CHECK(count(out, "Trainable params: 2,050") == 1);
  CHECK(count(out, "2/2 [==============================] - ") == 1);  // one epoch (Keras prints no "Epoch 1/1")

  const auto [unknown_status, unknown] = run_status(examples_dir + "/hot_dog " + data.string() + " --base ResNet51");
  CHECK(unknown_status == 1);
  CHECK(count(unknown, "Unknown application model: ResNet51. Known models: VGG16, VGG19, ResNet50,") == 1);
  const auto [fine_status, fine] = run_status(examples_dir + "/hot_dog " + data.string() + " --base VGG16 --fine-tune 1");
  CHECK(fine_status == 1);
  CHECK(count(fine, "--fine-tune with --base VGG16 needs --unfreeze-from LAYER") == 1);
  const auto [layer_status, layer] = run_status(examples_dir + "/hot_dog " + data.string() +
                                                " --base VGG16 --weights none --target-size 32 --fine-tune 1 "
                                                "--unfreeze-from block6_conv1");
  CHECK(layer_status == 1);
  CHECK(count(layer, "No such layer: block6_conv1") == 1);
  CHECK(count(layer, "[====") == 0);  // refused before any training
}

TEST_CASE("the examples reject bad command lines with their usage and exit status 2") {
  for (const auto& args : {"hot_dog --epochs zero", "hot_dog --epochs 0", "hot_dog --nonsense 1", "hot_dog a b",
                           "hot_dog --save", "predict", "predict only_model.h5", "predict m.h5 x.png --target-size 8",
                           "fashion_transfer --shots 5,x", "fashion_transfer extra"}) {
    const auto [status, out] = run_status(examples_dir + "/" + args);
    INFO(args << "\n" << out);
    CHECK(status == 2);
    CHECK(out.find("usage: ") != std::string::npos);
  }
}

TEST_CASE("hot_dog and predict report missing files and exit with status 1") {
  TempDir tmp;
  const auto [status, out] = run_status(examples_dir + "/hot_dog " + (tmp / "nowhere").string() + " --weights none");
  CHECK(status == 1);
  CHECK(out.find("nowhere/train") != std::string::npos);
  const auto [predict_status, predict_out] = run_status(examples_dir + "/predict " + (tmp / "m.h5").string() + " x.png");
  CHECK(predict_status == 1);
  CHECK(predict_out.find("m.h5.classes") != std::string::npos);
}

TEST_CASE("hot_dog on a data folder without class folders or images names the folder and exits with status 1") {
  // Keras's flow_from_directory only prints "Found 0 images belonging to 0 classes."; the model would then get a
  // Dense layer of 0 units. hot_dog stops before building the model and says which folder holds no images.
  TempDir tmp;
  const auto data = make_two_class_dir(tmp);
  std::filesystem::path empty;
  SECTION("train/ holds nothing") {
    empty = data / "train";
    std::filesystem::remove_all(empty);
    std::filesystem::create_directories(empty);
  }
  SECTION("train/ holds class folders without images") {
    empty = data / "train";
    for (const auto* colour : {"blue", "red"}) {
      std::filesystem::remove_all(empty / colour);
      std::filesystem::create_directories(empty / colour);
    }
  }
  SECTION("test/ holds nothing") {
    empty = data / "test";
    std::filesystem::remove_all(empty);
    std::filesystem::create_directories(empty);
  }
  const auto [status, out] = run_status(examples_dir + "/hot_dog " + data.string() +
                                        " --weights none --target-size 32 --epochs 1 --batch-size 4");
  INFO(out);
  CHECK(status == 1);
  CHECK(count(out, "hot_dog: " + empty.string() + ": no images in class folders") == 1);
  CHECK(out.find("units must be positive") == std::string::npos);
  CHECK(out.find("Model: ") == std::string::npos);  // stopped before building the model
}
