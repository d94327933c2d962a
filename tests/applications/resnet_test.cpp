// keras.applications.ResNet50/101/152 against Keras's own resnet_common.py (driven with numpy layers by
// tests/python/resnet_reference.py): outputs, layer order, parameter counts, argument checks, fine-tuning.
#include "applications_support.hpp"

#include <tl/applications/applications.hpp>
#include <tl/layers/layers.hpp>

#include <map>
#include <tuple>

using Catch::Matchers::Contains;
using tl::applications::ResNet50;
using tl::applications::ResNetOptions;

namespace {

/// The oracle's weights files, inputs, outputs and layer lists, made once per test run.
const tl::test::TempDir& reference() {
  return tl::test::made_once([](const auto& dir) { tl::test::python("resnet_reference.py", "parity " + dir.path().string()); });
}

std::vector<std::string> lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// model.layers' names; the input layer's is left out (Keras numbers inputs per session: input_1, input_2...).
std::vector<std::string> layer_names(const tl::Model& model) {
  std::vector<std::string> names;
  for (size_t i = 1; i < model.layers().size(); ++i) names.push_back(model.layers()[i]->name());
  return names;
}

std::vector<std::string> keras_layer_names(const std::string& reference_case) {
  auto names = lines(reference() / (reference_case + ".layers.txt"));
  names.erase(names.begin());
  // keras_applications names the classifier "probs"; tf.keras (whose summary users compare with) "predictions".
  for (auto& name : names)
    if (name == "probs") name = "predictions";
  return names;
}

std::string resnet_summary_of(const tl::Model& model) {
  return tl::test::capture_stdout([&] { model.summary(); });
}

int64_t trainable_count(const tl::Model& model) { return tl::count_params(model->trainable_weights()); }

/// Counts of ResNet50/101/152 with and without the top, from Keras's graph: "ResNet101_notop" -> {total, ...}.
std::map<std::string, std::map<std::string, int64_t>> keras_counts() {
  std::istringstream json(tl::test::python("resnet_reference.py", "counts"));
  std::map<std::string, std::map<std::string, int64_t>> out;
  std::string token, model;
  // The oracle prints {"ResNet50_top": {"total": 1, "non_trainable": 2, "layers": 3}, ...}: read it token by token.
  for (char c; json.get(c);) {
    if (c != '"') continue;
    std::getline(json, token, '"');
    if (token.rfind("ResNet", 0) == 0) {
      model = token;
      continue;
    }
    json.ignore(2);  // ": "
    json >> out[model][token];
  }
  return out;
}

}  // namespace

TEST_CASE("ResNet50 computes what Keras's resnet_common graph computes, weights loaded from a Keras h5",
          "[applications][resnet]") {
  struct Case {
    std::string name;
    ResNetOptions options;
    std::vector<int64_t> x_shape, y_shape;
  };
  const auto top = (reference() / "top.h5").string(), notop = (reference() / "notop.h5").string();
  const std::vector<Case> cases = {
      {"top224", {.weights = top}, {1, 224, 224, 3}, {1, 1000}},
      {"top64", {.weights = top, .input_shape = {64, 64, 3}}, {2, 64, 64, 3}, {2, 1000}},
      {"none64", {.include_top = false, .weights = notop, .input_shape = {64, 64, 3}}, {2, 64, 64, 3}, {2, 2, 2, 2048}},
      {"avg64", {.include_top = false, .weights = notop, .input_shape = {64, 64, 3}, .pooling = "avg"}, {2, 64, 64, 3}, {2, 2048}},
      {"max64", {.include_top = false, .weights = notop, .input_shape = {64, 64, 3}, .pooling = "max"}, {2, 64, 64, 3}, {2, 2048}},
      {"max224", {.include_top = false, .weights = notop, .pooling = "max"}, {1, 224, 224, 3}, {1, 2048}},
  };
  torch::NoGradGuard no_grad;
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto model = ResNet50(c.options);
    CHECK(model.name() == "resnet50");
    CHECK(layer_names(model) == keras_layer_names(c.name));
    CHECK(model.layers()[0]->class_name() == "InputLayer");
    const auto x = tl::test::read_floats(reference() / (c.name + ".x.bin"), c.x_shape);
    const auto expected = tl::test::read_floats(reference() / (c.name + ".y.bin"), c.y_shape);
    const auto y = model(x);
    REQUIRE(y.sizes().vec() == c.y_shape);
    const double error = tl::test::relative_error(y, expected);
    std::cout << "ResNet50 parity " << c.name << ": max |tl - keras| / max |keras| = " << error << std::endl;
    CHECK(error < 1e-4);
  }
}

TEST_CASE("ResNet parameter counts and summary totals are Keras's", "[applications][resnet]") {
  const auto with_top = ResNet50({.weights = "none"});
  CHECK(with_top.count_params() == 25'636'712);
  CHECK(trainable_count(with_top) == 25'583'592);
  CHECK(with_top.layers().size() == 177);
  const auto text = resnet_summary_of(with_top);
  CHECK_THAT(text, Contains("Model: \"resnet50\""));
  CHECK_THAT(text, Contains("Total params: 25,636,712"));
  CHECK_THAT(text, Contains("Trainable params: 25,583,592"));
  CHECK_THAT(text, Contains("Non-trainable params: 53,120"));

  const auto base = ResNet50({.include_top = false, .weights = "none", .input_shape = {224, 224, 3}});
  CHECK(base.count_params() == 23'587'712);
  CHECK(trainable_count(base) == 23'534'592);
  CHECK_THAT(resnet_summary_of(base), Contains("Total params: 23,587,712"));

  // The tutorial's model: the frozen base, then a new two-class head.
  base.trainable(false);
  const auto inputs = tl::Input({224, 224, 3});
  auto x = base(inputs);
  x = tl::layers::GlobalAveragePooling2D()(x);
  const tl::Model model(inputs, tl::layers::Dense(2)(x));
  CHECK(model.count_params() == 23'591'810);
  CHECK(trainable_count(model) == 4'098);
  const auto seed_text = resnet_summary_of(model);
  CHECK_THAT(seed_text, Contains("Total params: 23,591,810"));
  CHECK_THAT(seed_text, Contains("Trainable params: 4,098"));
  CHECK_THAT(seed_text, Contains("Non-trainable params: 23,587,712"));
}

TEST_CASE("ResNet101 and ResNet152 have Keras's layers and parameter counts", "[applications][resnet]") {
  const auto keras = keras_counts();
  const std::vector<std::tuple<std::string, tl::Model (*)(const ResNetOptions&), std::string>> models = {
      {"ResNet50", tl::applications::ResNet50, "resnet50"},
      {"ResNet101", tl::applications::ResNet101, "resnet101"},
      {"ResNet152", tl::applications::ResNet152, "resnet152"}};
  for (const auto& [name, make, model_name] : models)
    for (bool include_top : {true, false}) {
      const auto key = name + (include_top ? "_top" : "_notop");
      CAPTURE(key);
      const auto model = make({.include_top = include_top, .weights = "none"});
      CHECK(model.name() == model_name);
      CHECK(model.count_params() == keras.at(key).at("total"));
      CHECK(model.count_params() - trainable_count(model) == keras.at(key).at("non_trainable"));
      CHECK(int64_t(model.layers().size()) == keras.at(key).at("layers"));
    }
}

TEST_CASE("ResNet checks its arguments as Keras does", "[applications][resnet]") {
  const auto fails = [](const ResNetOptions& options, const std::string& message) {
    CAPTURE(message);
    try {
      ResNet50(options);
      FAIL("no ValueError");
    } catch (const tl::ValueError& e) {
      CHECK_THAT(e.what(), Contains(message));
    }
  };
  fails({.weights = "/no/such/weights.h5"},
        "The `weights` argument should be either `None` (random initialization), `imagenet` (pre-training on "
        "ImageNet), or the path to the weights file to be loaded. Received: weights=/no/such/weights.h5");
  fails({.classes = 10}, "If using `weights` as `\"imagenet\"` with `include_top` as true, `classes` should be 1000");
  fails({.input_shape = {256, 256, 3}},
        "When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be (224, 224, 3).");
  fails({.include_top = false, .input_shape = {64, 64, 1}}, "The input must have 3 channels; got `input_shape=(64, 64, 1)`");
  fails({.include_top = false, .weights = "none", .input_shape = {31, 64, 3}},
        "Input size must be at least 32x32; got `input_shape=(31, 64, 3)`");
  fails({.include_top = false, .weights = "none", .input_shape = {64, 64}}, "`input_shape` must be a tuple of three integers.");
  fails({.weights = "none", .input_shape = {tl::None, tl::None, 3}},
        "If `include_top` is True, you should specify a static `input_shape`. Got `input_shape=(None, None, 3)`");
  fails({.include_top = false, .weights = "none", .pooling = "mean"}, "`pooling` should be None, \"avg\" or \"max\"");
  fails({.weights = (reference() / "top.h5").string(), .classifier_activation = "relu"},
        "Only `None` and `softmax` activations are allowed for the `classifier_activation` argument");
  // Without the top, sizes down to 32 and any size with weights=None are fine, as in Keras.
  CHECK(ResNet50({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}}).outputs()[0].shape() ==
        tl::Shape{tl::None, 1, 1, 2048});
  CHECK(ResNet50({.include_top = false, .weights = "none"}).inputs()[0].shape() == tl::Shape{tl::None, tl::None, tl::None, 3});
  CHECK(ResNet50({.weights = "none", .input_shape = {64, 64, 3}, .classes = 7, .classifier_activation = ""})
            .outputs()[0].shape() == tl::Shape{tl::None, 7});
}

TEST_CASE("ResNet loads a weights file layer by layer, checking every shape", "[applications][resnet]") {
  // The notop file has no classifier: Keras's by-order load refuses it for a model with a top.
  CHECK_THROWS_WITH(ResNet50({.weights = (reference() / "notop.h5").string(), .input_shape = {64, 64, 3}}),
                    Contains("Layer count mismatch"));
  // Same layers, wrong class count: the classifier's kernel shape is named.
  CHECK_THROWS_WITH(ResNet50({.weights = (reference() / "top.h5").string(), .input_shape = {64, 64, 3}, .classes = 5}),
                    Contains("predictions"));
}

TEST_CASE("ResNet50 weights='imagenet' offline names the URL and where to place the file", "[applications][resnet]") {
  tl::test::OfflineKerasHome home;
  const std::string file = "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5";
  try {
    tl::test::capture_stdout([] { ResNet50({.include_top = false}); });
    FAIL("weights=imagenet without the file and without network should throw");
  } catch (const std::exception& e) {
    CHECK_THAT(e.what(), Contains("https://github.com/keras-team/keras-applications/releases/download/resnet/" + file));
    CHECK_THAT(e.what(), Contains((home.models() / file).string()));
  }
  CHECK_FALSE(std::filesystem::exists(home.models() / file));
}

TEST_CASE("ResNet builds on a given input tensor and keeps what precedes it", "[applications][resnet]") {
  const auto inputs = tl::Input({64, 64, 3});
  const auto scaled = tl::layers::Activation("linear", {.name = "scale"})(inputs);
  const auto model = ResNet50({.include_top = false, .weights = "none", .input_tensor = scaled, .pooling = "avg"});
  REQUIRE(model.inputs().size() == 1);
  CHECK(model.inputs()[0].node() == inputs.node());
  CHECK(model.layers()[1]->name() == "scale");
  CHECK(model.outputs()[0].shape() == tl::Shape{tl::None, 2048});
}

TEST_CASE("set_trainable_from freezes the layers before the named one; frozen BatchNorm stays in inference mode",
          "[applications][resnet][fine_tuning]") {
  const auto base = ResNet50({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}});
  base.trainable(false);
  tl::applications::set_trainable_from(base, "conv5_block1_1_conv");
  bool reached = false;
  int64_t expected_trainable = 0;
  for (const auto& layer : base.layers()) {
    reached = reached || layer->name() == "conv5_block1_1_conv";
    CAPTURE(layer->name());
    CHECK(layer->trainable() == reached);
    if (reached) expected_trainable += tl::count_params(layer->trainable_weights());
  }
  CHECK(base.trainable());
  CHECK(trainable_count(base) == expected_trainable);
  CHECK(base.get_layer("conv4_block6_out")->trainable() == false);

  // A training-mode call updates the moving statistics of trainable BN layers only.
  auto moving_mean = [&](const std::string& name) { return base.get_layer(name)->get_weights()[2]; };
  const auto frozen_before = moving_mean("conv4_block6_3_bn"), trainable_before = moving_mean("conv5_block1_1_bn");
  base(torch::rand({2, 32, 32, 3}), /*training=*/true);
  CHECK(torch::equal(moving_mean("conv4_block6_3_bn"), frozen_before));
  CHECK_FALSE(torch::equal(moving_mean("conv5_block1_1_bn"), trainable_before));

  CHECK_THROWS_WITH(tl::applications::set_trainable_from(base, "conv6_block1_1_conv"),
                    Contains("No such layer: conv6_block1_1_conv"));
}
