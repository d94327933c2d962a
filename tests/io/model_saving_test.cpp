// model.save -> load_model: Keras's model_config (checked with h5py) and identical predictions in a separate
// process; JSON value, writer and parser; errors naming the file.
#include "../support.hpp"

#include <tl/core/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>

using namespace tl;
using Catch::Matchers::Contains;

namespace {

/// A small CNN with every kind of layer tl has, and a nested frozen base, as in transfer learning.
Model cnn_with_nested_base() {
  auto base_in = Input({8, 8, 3});
  auto x = layers::Rescaling(1.0 / 127.5, {.offset = -1})(base_in);
  x = layers::ZeroPadding2D({{1, 0}, {0, 1}})(x);
  x = layers::Conv2D(4, 3, {.strides = 1, .padding = "same", .activation = "relu"})(x);
  auto shortcut = x;
  x = layers::BatchNormalization()(x);
  x = layers::Activation("relu")(x);
  x = layers::Add()({x, shortcut});
  x = layers::MaxPooling2D({.pool_size = 2})(x);
  Model base(base_in, x, "base");
  base.trainable(false);

  auto inputs = Input({8, 8, 3});
  auto y = base(inputs);
  auto pooled = layers::GlobalAveragePooling2D()(y);
  y = layers::AveragePooling2D({.pool_size = 2, .padding = "same"})(y);
  y = layers::Flatten()(y);
  y = layers::Dense(4, {.activation = "relu"})(y);
  y = layers::Add()({y, pooled});
  y = layers::Dropout(0.5)(y);
  return Model(inputs, layers::Dense(3, {.activation = "softmax"})(y), "classifier");
}

/// The tool's fixed input (see tests/tools/tl_test_tool.cpp): linspace(-1, 1) in the input shape, batch 3.
torch::Tensor fixed_input(const Shape& shape) {
  std::vector<int64_t> sizes{3};
  sizes.insert(sizes.end(), shape.begin() + 1, shape.end());
  return torch::linspace(-1, 1, std::accumulate(sizes.begin(), sizes.end(), int64_t(1), std::multiplies<>()))
      .reshape(sizes);
}

std::string printed(const torch::Tensor& t) {
  std::string out;
  const auto c = t.contiguous();
  char buf[64];
  for (int64_t i = 0; i < c.numel(); ++i) {
    std::snprintf(buf, sizeof buf, "%.9g\n", c.data_ptr<float>()[i]);
    out += buf;
  }
  return out;
}

}  // namespace

TEST_CASE("a saved model predicts identically when loaded in another process", "[io][save]") {
  test::TempDir dir;
  auto model = cnn_with_nested_base();
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy"});
  torch::manual_seed(1);
  model.fit(torch::rand({8, 8, 8, 3}) * 255, torch::one_hot(torch::randint(0, 3, {8}), 3).to(torch::kFloat),
            {.batch_size = 4, .epochs = 1, .verbose = 0});  // moves BatchNormalization statistics and weights
  model.save(dir / "model.h5");
  const auto expected = printed(model.predict(fixed_input(model.inputs()[0].shape()), {.verbose = 0}));
  CHECK(test::run(std::string(TL_TEST_TOOL) + " predict " + (dir / "model.h5").string()) == expected);

  {  // the file has Keras's model_config structure (h5py)
    const auto layout = test::python("model_config_check.py", (dir / "model.h5").string());
    const auto input_name = model.layers()[0]->name();
    CHECK_THAT(layout, Contains("base Functional inbound=[[[\"" + input_name + "\", 0, 0, {}]]]"));
    CHECK_THAT(layout, Contains(" GlobalAveragePooling2D inbound=[[[\"base\", 1, 0, {}]]]"));
    const auto base = std::dynamic_pointer_cast<models::ModelImpl>(model.get_layer("base"));
    CHECK_THAT(layout, Contains("\n  " + base->layers()[1]->name() + " Rescaling inbound=[[[\"" +
                                base->layers()[0]->name() + "\", 0, 0, {}]]]"));  // nested, indented
    CHECK_THAT(layout, Contains("inputs=[[\"" + input_name + "\", 0, 0]] outputs=[[\"" + model.layers().back()->name() +
                                "\", 0, 0]]"));
  }
  {  // load_model restores the architecture, names and trainable flags
    auto loaded = models::load_model(dir / "model.h5");
    REQUIRE(loaded.layers().size() == model.layers().size());
    for (size_t i = 0; i < model.layers().size(); ++i) {
      CHECK(loaded.layers()[i]->name() == model.layers()[i]->name());
      CHECK(loaded.layers()[i]->class_name() == model.layers()[i]->class_name());
    }
    CHECK(loaded.get_layer("base")->trainable_weights().empty());
    CHECK(models::model_to_json(*loaded) == models::model_to_json(*model));
  }
}

TEST_CASE("a Sequential model saves as class_name Sequential and loads back", "[io][save]") {
  test::TempDir dir;
  Sequential model({layers::InputLayer({4}, {.name = "features"}), layers::Dense(5, {.activation = "tanh"}),
                    layers::Dense(2)});
  model.save(dir / "seq.h5");
  CHECK(test::python("model_config_check.py", (dir / "seq.h5").string()) ==
        "features InputLayer\n" + model.layers()[1]->name() + " Dense\n" + model.layers()[2]->name() + " Dense\n");
  auto loaded = models::load_model(dir / "seq.h5");
  CHECK(loaded->class_name() == "Sequential");
  const auto x = torch::randn({3, 4});
  CHECK(torch::equal(loaded.predict(x, {.verbose = 0}), model.predict(x, {.verbose = 0})));
}

TEST_CASE("load_model errors name the file and the problem", "[io][save]") {
  test::TempDir dir;
  Sequential model({layers::InputLayer({4}), layers::Dense(2)});
  model.save_weights(dir / "weights.h5");
  CHECK_THROWS_WITH(models::load_model(dir / "weights.h5"), Contains("No model config found") && Contains("weights.h5"));
  CHECK_THROWS_WITH(models::load_model(dir / "missing.h5"), Contains("missing.h5"));
  const std::string bad_class =
      R"({"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "InputLayer", "config": )"
      R"({"batch_input_shape": [null, 4], "name": "in"}, "name": "in", "inbound_nodes": []}, {"class_name": "Dense2", )"
      R"("config": {"name": "d"}, "name": "d", "inbound_nodes": [[["in", 0, 0, {}]]]}], "input_layers": [["in", 0, 0]], )"
      R"("output_layers": [["d", 0, 0]]}})";
  CHECK_THROWS_WITH(models::model_from_json(bad_class, "x.h5"), Contains("x.h5") && Contains("Unknown layer: 'Dense2'"));
  CHECK_THROWS_WITH(models::model_from_json(R"({"class_name": "Functional", "config": {"name": )", "y.h5"),
                    Contains("y.h5 is not valid JSON"));
  auto missing_units = bad_class;
  missing_units.replace(missing_units.find("Dense2"), 6, "Dense");
  CHECK_THROWS_WITH(models::model_from_json(missing_units, "z.h5"), Contains("z.h5") && Contains("\"units\""));
}

TEST_CASE("json: Python's number formatting, escapes, NaN/Infinity and round trips", "[io][json]") {
  const json v = {{"a", json::array({1, 0.1, 1e-05, 1e16, 1e15, 123.0, -2.5e-7, nullptr, true})},
                  {"s", "q\"\\\n\x01"},
                  {"nested", {{"k", "\xc3\xa9"}, {"inf", std::numeric_limits<double>::infinity()}}}};
  const auto text = json_dumps(v);
  test::TempDir dir;
  std::ofstream(dir / "dump.py") << "import json\nprint(json.dumps({'a': [1, 0.1, 1e-05, 1e16, 1e15, 123.0, -2.5e-7, None, "
                                    "True], 's': 'q\"\\\\\\n\\x01', 'nested': {'k': '\\u00e9', 'inf': float('inf')}}), end='')\n";
  CHECK(text == test::run(std::string(TL_TEST_PYTHON) + " " + (dir / "dump.py").string()));
  CHECK(json_dumps(json_parse(text)) == text);
  CHECK(json_parse(R"("\ud83d\ude00")").get<std::string>() == "\xf0\x9f\x98\x80");
  CHECK(json_parse(" [1, 2.5e3, -0] ")[1].get<double>() == 2500);
  const auto python_floats = json_parse(R"([NaN, Infinity, -Infinity, "NaN", {"Infinity": -Infinity}])");
  CHECK(std::isnan(python_floats[0].get<double>()));
  CHECK(python_floats[1].get<double>() == std::numeric_limits<double>::infinity());
  CHECK(python_floats[2].get<double>() == -std::numeric_limits<double>::infinity());
  CHECK(python_floats[3] == "NaN");  // a string stays a string
  CHECK(python_floats[4]["Infinity"].get<double>() == -std::numeric_limits<double>::infinity());
  for (const std::string bad : {"", "[1,", "{\"a\" 1}", "tru", "\"abc", "[1] x", "01x", "01", "1.", "[Nan]"})
    CHECK_THROWS_AS(json_parse(bad, "bad.json"), IOError);
  CHECK_THROWS_WITH(json_parse(std::string(10000, '['), "deep.json"), Contains("deep.json"));
}
