// Classifies one image with a model saved by `hot_dog --save FILE`: prints the class and its probability.
#include "command_line.hpp"
#include "hot_dog_model.hpp"

#include <tl/tl.hpp>

#include <iomanip>
#include <iostream>

namespace {

constexpr const char* usage =
    "usage: predict MODEL_FILE IMAGE [--target-size 512]\n"
    "MODEL_FILE: saved by `hot_dog --save MODEL_FILE` (with MODEL_FILE.classes beside it).\n"
    "--target-size: the size to resize the image to (default: the model's input size, else 512).";

}  // namespace

int main(int argc, char** argv) try {
  const examples::CommandLine args(argc, argv, usage, {"target-size"});
  const std::filesystem::path model_file = args.required(0, "MODEL_FILE", 2);
  const std::filesystem::path image_file = args.required(1, "IMAGE", 2);
  const int requested_size = args.get_int("target-size", 512, 32);  // checked before any file is read

  const auto class_names = examples::load_class_names(model_file);
  const auto model = tl::models::load_model(model_file);  // architecture and weights, as Keras's load_model
  const auto input_size = model.inputs().at(0).shape().at(1);
  const bool size_given = !args.get("target-size", "").empty();
  const int size = size_given || input_size <= 0 ? requested_size : int(input_size);
  const auto x = tl::img_to_array(tl::load_img(image_file, {.target_size = {size, size}})).unsqueeze(0);
  const auto probabilities = model.predict(x, {.verbose = 0})[0];
  const auto best = probabilities.argmax().item<int64_t>();
  std::cout << class_names.at(best) << " " << std::fixed << std::setprecision(4)
            << probabilities[best].item<double>() << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "predict: " << e.what() << "\n";
  return 1;
}
