// The functional graph: shape inference and its errors, Keras's layer order and names, nesting, trainable.
#include "../support.hpp"

using namespace tl;
using Catch::Matchers::Contains;

TEST_CASE("Input and layer calls infer Keras shapes", "[models]") {
  backend::clear_session();
  auto inputs = Input({32, 32, 3});
  CHECK(to_string(inputs.shape()) == "(None, 32, 32, 3)");
  auto x = layers::Conv2D(8, 3, {.strides = 2, .padding = "same"})(inputs);
  CHECK(to_string(x.shape()) == "(None, 16, 16, 8)");
  x = layers::GlobalAveragePooling2D()(x);
  auto outputs = layers::Dense(2, {.activation = "softmax"})(x);
  CHECK(to_string(outputs.shape()) == "(None, 2)");
  Model model(inputs, outputs, "m");
  CHECK(model.layers().size() == 4);
  CHECK(model.layers()[0]->name() == "input_1");
  CHECK(model.layers()[1]->name() == "conv2d");
  CHECK(model.get_layer("dense")->class_name() == "Dense");
  CHECK_THROWS_WITH(model.get_layer("nope"), Contains("No such layer: nope"));
}

TEST_CASE("A shape mismatch names the layer and both shapes", "[models]") {
  auto inputs = Input({4});
  auto dense = layers::Dense(3);
  dense(inputs);
  CHECK_THROWS_WITH(dense(Input({5})), Contains("dense") && Contains("(None, 5)"));
}

TEST_CASE("A model called on a new input nests like a layer", "[models]") {
  backend::clear_session();
  auto base_in = Input({None, None, 3});
  auto base_out = layers::Conv2D(4, 3)(base_in);
  Model base(base_in, base_out, "base");
  auto inputs = Input({16, 16, 3});
  auto x = base(inputs);
  CHECK(to_string(x.shape()) == "(None, 14, 14, 4)");
  auto outputs = layers::Dense(1)(layers::GlobalAveragePooling2D()(x));
  Model model(inputs, outputs);
  CHECK(model->name() == "model");
  CHECK(model.count_params() == 3 * 3 * 3 * 4 + 4 + 4 + 1);
  CHECK_THROWS_WITH(base(Input({16, 16, 1})), Contains("Input 0 of layer \"base\" is incompatible with the layer"));

  base.trainable(false);
  CHECK(count_params(model->trainable_weights()) == 5);
  CHECK(count_params(model->non_trainable_weights()) == 112);
  base.trainable(true);
  CHECK(count_params(model->trainable_weights()) == 117);

  auto y = model.predict(torch::rand({2, 16, 16, 3}), {.verbose = 0});
  CHECK(y.sizes() == torch::IntArrayRef({2, 1}));
}

TEST_CASE("Layer order follows Keras's depth-then-discovery rule", "[models]") {
  backend::clear_session();
  auto inputs = Input({8});
  auto a = layers::Dense(4, {.name = "a"})(inputs);
  auto shortcut = layers::Dense(4, {.name = "shortcut"})(inputs);
  auto b = layers::Dense(4, {.name = "b"})(a);
  auto out = layers::Add({.name = "add"})({shortcut, b});
  Model model(inputs, out);
  std::vector<std::string> names;
  for (auto& l : model.layers()) names.push_back(l->name());
  // Keras: depth from the output, ties broken by first visit from the output (shortcut before b).
  CHECK((names == std::vector<std::string>{"input_1", "a", "shortcut", "b", "add"}));
}

TEST_CASE("Graph errors: disconnected inputs and duplicate names", "[models]") {
  auto in1 = Input({4});
  auto in2 = Input({4});
  auto out = layers::Add()({layers::Dense(4)(in1), layers::Dense(4)(in2)});
  CHECK_THROWS_WITH(Model(in1, out), Contains("Graph disconnected"));
  auto x = Input({4});
  auto y = layers::Dense(2, {.name = "same"})(layers::Dense(2, {.name = "same"})(x));
  CHECK_THROWS_WITH(Model(x, y), Contains("\"same\" is used 2 times"));
}

TEST_CASE("Sequential builds from an InputLayer or from the first data", "[models]") {
  backend::clear_session();
  Sequential eager({layers::InputLayer({6}), layers::Dense(3, {.activation = "relu"}), layers::Dense(2)});
  CHECK(eager.count_params() == 6 * 3 + 3 + 3 * 2 + 2);
  CHECK(eager->name() == "sequential");

  Sequential deferred({layers::Dense(3), layers::Dense(1)});
  CHECK_THROWS_WITH(deferred.summary(), Contains("has not yet been built"));
  auto y = deferred.predict(torch::rand({5, 4}), {.verbose = 0});
  CHECK(y.sizes() == torch::IntArrayRef({5, 1}));
  CHECK(deferred.count_params() == 4 * 3 + 3 + 3 + 1);
}
