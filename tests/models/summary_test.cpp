// summary() prints tf.keras 2.x's table: the golden texts below are the layout Keras's print_summary produces
// (65 columns sequential-like, 98 with "Connected to"; rows wrapped at the column edge; blank line per layer).
#include "../support.hpp"

using namespace tl;

static std::string summary_of(const Model& model) {
  std::ostringstream out;
  model.summary({.out = &out});
  return out.str();
}

TEST_CASE("summary of a sequential-like functional model", "[models][summary]") {
  backend::clear_session();
  auto inputs = Input({512, 512, 3});
  auto x = layers::Conv2D(16, 3, {.name = "conv"})(inputs);
  x = layers::GlobalAveragePooling2D()(x);
  auto outputs = layers::Dense(2, {.activation = "softmax"})(x);
  Model model(inputs, outputs, "my_model");
  const std::string expected =
      "Model: \"my_model\"\n"
      "_________________________________________________________________\n"
      " Layer (type)                Output Shape              Param #   \n"
      "=================================================================\n"
      " input_1 (InputLayer)        [(None, 512, 512, 3)]     0         \n"
      "                                                                 \n"
      " conv (Conv2D)               (None, 510, 510, 16)      448       \n"
      "                                                                 \n"
      " global_average_pooling2d (G  (None, 16)               0         \n"
      " lobalAveragePooling2D)                                          \n"
      "                                                                 \n"
      " dense (Dense)               (None, 2)                 34        \n"
      "                                                                 \n"
      "=================================================================\n"
      "Total params: 482\n"
      "Trainable params: 482\n"
      "Non-trainable params: 0\n"
      "_________________________________________________________________\n";
  CHECK(summary_of(model) == expected);
}

TEST_CASE("summary with Connected to for a branching graph", "[models][summary]") {
  backend::clear_session();
  auto inputs = Input({8}, {.name = "in"});
  auto a = layers::Dense(4, {.name = "a"})(inputs);
  auto b = layers::Dense(4, {.name = "b"})(inputs);
  auto out = layers::Add({.name = "add"})({a, b});
  Model model(inputs, out, "branch");
  const std::string expected =
      "Model: \"branch\"\n" + std::string(98, '_') + "\n" +
      " Layer (type)                   Output Shape         Param #     Connected to                     \n" +
      std::string(98, '=') + "\n" +
      " in (InputLayer)                [(None, 8)]          0           []                               \n" +
      std::string(98, ' ') + "\n" +
      " a (Dense)                      (None, 4)            36          ['in[0][0]']                     \n" +
      std::string(98, ' ') + "\n" +
      " b (Dense)                      (None, 4)            36          ['in[0][0]']                     \n" +
      std::string(98, ' ') + "\n" +
      " add (Add)                      (None, 4)            0           ['a[0][0]',                      \n" +
      "                                                                  'b[0][0]']                      \n" +
      std::string(98, ' ') + "\n" + std::string(98, '=') + "\n" +
      "Total params: 72\nTrainable params: 72\nNon-trainable params: 0\n" + std::string(98, '_') + "\n";
  CHECK(summary_of(model) == expected);
}

TEST_CASE("summary counts thousands and frozen weights as Keras", "[models][summary]") {
  CHECK(models::detail::thousands(23591810) == "23,591,810");
  CHECK(models::detail::thousands(4098) == "4,098");
  CHECK(models::detail::thousands(0) == "0");
  backend::clear_session();
  auto inputs = Input({4});
  auto x = layers::BatchNormalization()(inputs);
  Model model(inputs, layers::Dense(1000)(x));
  const auto text = summary_of(model);
  CHECK_THAT(text, Catch::Matchers::Contains("Total params: 5,016\nTrainable params: 5,008\nNon-trainable params: 8\n"));
}
