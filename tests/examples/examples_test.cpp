// Runs the built examples end to end: hot_dog on a generated two-class directory (Keras-form output, saved
// model) and predict on that model; bad command lines exit with status 2 and the usage.
#include "../support.hpp"

#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <regex>

namespace {

using tl::test::TempDir;

const std::string examples_dir = TL_EXAMPLES_DIR;

/// A 64x64 image of one colour with a little noise, so no two files are identical.
void write_image(const std::filesystem::path& file, std::array<uint8_t, 3> rgb, uint32_t seed) {
  std::mt19937 rng(seed);
  tl::preprocessing::image::Image img{64, 64, 3, std::vector<uint8_t>(64 * 64 * 3)};
  for (size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<uint8_t>(std::clamp<int>(rgb[i % 3] + int(rng() % 21) - 10, 0, 255));
  tl::save_img(file, img);
}

/// DATA/{train,test}/{blue,red}/*.png: 8 training and 4 test images per class.
std::filesystem::path make_two_class_dir(const TempDir& tmp) {
  const auto data = tmp / "data";
  uint32_t seed = 0;
  for (const auto& [split, count] : {std::pair{"train", 8}, std::pair{"test", 4}})
    for (const auto& [name, rgb] : {std::pair{"blue", std::array<uint8_t, 3>{30, 40, 220}},
                                    std::pair{"red", std::array<uint8_t, 3>{220, 30, 40}}}) {
      std::filesystem::create_directories(data / split / name);
      for (int i = 0; i < count; ++i) write_image(data / split / name / (std::to_string(i) + ".png"), rgb, ++seed);
    }
  return data;
}

/// Exit status and combined output of a command.
std::pair<int, std::string> run_status(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("hot_dog trains the seed's model with Keras's output and predict classifies with the saved model") {
  TempDir tmp;
  const auto data = make_two_class_dir(tmp);
  const auto model = (tmp / "model.h5").string();
  const auto [status, out] = run_status(examples_dir + "/hot_dog " + data.string() +
                                        " --weights none --target-size 64 --epochs 2 --batch-size 4 --save " + model);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(count(out, "Found 16 images belonging to 2 classes.") == 1);
  CHECK(count(out, "Found 8 images belonging to 2 classes.") == 1);
  CHECK(count(out, "Model: \"my_model\"") == 1);
  CHECK(count(out, "Total params: 23,591,810") == 1);
  CHECK(count(out, "Trainable params: 4,098") == 1);
  CHECK(count(out, "Non-trainable params: 23,587,712") == 1);
  CHECK(count(out, "Epoch 1/2\n") == 1);
  CHECK(count(out, "Epoch 2/2\n") == 1);
  const std::regex epoch_line(R"(4/4 \[=+\] - \d+m?s \d+[mu]?s/step - loss: \d+\.\d{4} - accuracy: \d\.\d{4} - )"
                              R"(val_loss: \d+\.\d{4} - val_accuracy: \d\.\d{4})");
  CHECK(std::distance(std::sregex_iterator(out.begin(), out.end(), epoch_line), std::sregex_iterator()) == 2);
  CHECK(std::filesystem::exists(model));
  CHECK(tl::test::run("cat " + model + ".classes") == "blue\nred\n");

  const auto [predict_status, prediction] =
      run_status(examples_dir + "/predict " + model + " " + (data / "test/red/0.png").string() + " --target-size 64");
  INFO(prediction);
  REQUIRE(predict_status == 0);
  std::smatch m;
  REQUIRE(std::regex_match(prediction, m, std::regex(R"((blue|red) (\d\.\d{4})\n)")));
  const double probability = std::stod(m[2]);
  CHECK(probability >= 0.5);  // the most likely of two classes
  CHECK(probability <= 1.0);
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

TEST_CASE("fashion_transfer runs the whole experiment on a miniature Fashion-MNIST and prints its table") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "idx");
  tl::test::python("make_fashion_idx.py", (tmp / "idx").string() + " 12");
  const auto [status, out] = run_status(examples_dir + "/fashion_transfer --data " + (tmp / "idx").string() +
                                        " --cache " + (tmp / "cache").string() +
                                        " --pretrain-epochs 1 --shots 2 --seeds 2");
  INFO(out);
  REQUIRE(status == 0);
  CHECK(count(out, "/train: 120 images") == 1);
  CHECK(count(out, "/test: 60 images") == 1);
  CHECK(count(out, "Found 60 images belonging to 5 classes.") == 1);  // the source classes' training images
  CHECK(count(out, "Found 10 images belonging to 5 classes.") == 2);  // two draws of 2 images per target class
  CHECK(count(out, "Saved the pretrained weights to ") == 1);
  CHECK(std::filesystem::exists(tmp / "cache/fashion_source_resnet.h5"));
  const std::regex row(R"(\n       2 \|  [01]\.\d{3} ± 0\.\d{3} \|  [01]\.\d{3} ± 0\.\d{3} \|  [01]\.\d{3} ± 0\.\d{3}\n)");
  CHECK(std::regex_search(out, row));
  CHECK(count(out, "Test accuracy on the 30 target-class test images (mean ± std over 2 seeds):") == 1);
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
