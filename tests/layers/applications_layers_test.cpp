// The layers keras.applications builds with, case by case against the applications oracle's single-layer models
// (`applications_reference.py layers`: Keras's semantics in numpy float64, Keras's names, configs, weight names
// and shapes, and the weights file `save_weights` writes): each case is rebuilt in tl, its weights loaded from the
// oracle's file, and its names, configs, weights, parameter counts, output shapes and outputs compared.
#include "layers_ref.hpp"

#include <tl/core/json.hpp>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>

using namespace tl::layers;
using tl::None;

namespace {

const tl::test::TempDir& oracle_cases() {
  return tl::test::made_once([](const tl::test::TempDir& dir) {
    tl::test::python("applications_reference.py", "layers " + dir.path().string());
  });
}

torch::Tensor read_floats(const std::filesystem::path& path, const std::vector<int64_t>& shape) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  auto t = torch::empty(shape, torch::kFloat);
  in.read(reinterpret_cast<char*>(t.data_ptr<float>()), std::streamsize(t.numel() * sizeof(float)));
  REQUIRE(in.gcount() == std::streamsize(t.numel() * sizeof(float)));
  return t;
}

std::vector<int64_t> ints(const tl::json& v) {
  std::vector<int64_t> out;
  for (const auto& d : v) out.push_back(d.is_null() ? None : d.get<int64_t>());
  return out;
}

/// The oracle's values against tl's: numbers to float32 precision (Keras keeps ReLU's arguments and TFOpLambda's
/// operand as float32, the oracle's stand-ins write the Python floats), everything else exactly.
bool same_value(const tl::json& oracle, const tl::json& mine) {
  if (oracle.is_number_float() || (oracle.is_number() && mine.is_number_float()))
    return mine.is_number() &&
           std::abs(oracle.get<double>() - mine.get<double>()) <= 1e-7 * std::max(1.0, std::abs(oracle.get<double>()));
  if (oracle.is_array() && mine.is_array() && oracle.size() == mine.size()) {
    for (size_t i = 0; i < oracle.size(); ++i)
      if (!same_value(oracle[i], mine[i])) return false;
    return true;
  }
  return oracle == mine;
}

const double kStddev[3] = {0.229, 0.224, 0.225};

/// tl's build of each oracle case: Input -> the layer(s), named as Keras names them in a fresh session.
const std::map<std::string, std::function<tl::KerasTensor(const tl::KerasTensor&)>>& builders() {
  using K = const tl::KerasTensor&;
  static const std::map<std::string, std::function<tl::KerasTensor(K)>> table = {
      {"depthwise_k3_s1_same", [](K i) { return DepthwiseConv2D(3, {.padding = "same", .use_bias = false})(i); }},
      {"depthwise_k3_s2_valid_dm2_bias", [](K i) { return DepthwiseConv2D(3, {.strides = 2, .depth_multiplier = 2})(i); }},
      {"depthwise_k5_s2_same_odd", [](K i) { return DepthwiseConv2D(5, {.strides = 2, .padding = "same"})(i); }},
      {"separable_k3_s1_same", [](K i) { return SeparableConv2D(5, 3, {.padding = "same", .use_bias = false})(i); }},
      {"separable_k3_s2_same_dm2_bias",
       [](K i) { return SeparableConv2D(6, 3, {.strides = 2, .padding = "same", .depth_multiplier = 2})(i); }},
      {"separable_k7_s2_valid", [](K i) { return SeparableConv2D(4, 7, {.strides = 2, .use_bias = false})(i); }},
      {"conv_k3_s2_same_odd", [](K i) { return Conv2D(5, 3, {.strides = 2, .padding = "same"})(i); }},
      {"conv_k7_s2_same_even", [](K i) { return Conv2D(4, 7, {.strides = 2, .padding = "same", .use_bias = false})(i); }},
      {"conv_k1x7_same", [](K i) { return Conv2D(4, {1, 7}, {.padding = "same", .use_bias = false})(i); }},
      {"conv_k3_swish", [](K i) { return Conv2D(4, 3, {.activation = "swish"})(i); }},
      {"maxpool_k3_s2_same_odd", [](K i) { return MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same"})(i); }},
      {"maxpool_k3_s2_same_even", [](K i) { return MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same"})(i); }},
      {"maxpool_k3_s1_same", [](K i) { return MaxPooling2D({.pool_size = 3, .strides = 1, .padding = "same"})(i); }},
      {"maxpool_k3_s2_valid", [](K i) { return MaxPooling2D({.pool_size = 3, .strides = 2})(i); }},
      {"avgpool_k3_s2_same_odd", [](K i) { return AveragePooling2D({.pool_size = 3, .strides = 2, .padding = "same"})(i); }},
      {"avgpool_k3_s1_same", [](K i) { return AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same"})(i); }},
      {"avgpool_k2_s2_valid_odd", [](K i) { return AveragePooling2D({.pool_size = 2, .strides = 2})(i); }},
      {"avgpool_k1_s2_valid", [](K i) { return AveragePooling2D({.pool_size = {1, 1}, .strides = {2, 2}})(i); }},
      {"global_avg_keepdims", [](K i) { return GlobalAveragePooling2D({.keepdims = true})(i); }},
      {"global_max", [](K i) { return GlobalMaxPooling2D()(i); }},
      {"batchnorm_center_no_scale", [](K i) { return BatchNormalization({.scale = false})(i); }},
      {"batchnorm_eps_1.001e-5", [](K i) { return BatchNormalization({.epsilon = 1.001e-5})(i); }},
      {"relu6", [](K i) { return ReLU(6.0)(i); }},
      {"relu_slope_threshold_max",
       [](K i) { return ReLU({.max_value = 1.5, .negative_slope = 0.1, .threshold = 0.25})(i); }},
      {"relu_negative_slope", [](K i) { return ReLU({.negative_slope = 0.2})(i); }},
      {"relu_threshold", [](K i) { return ReLU({.threshold = 0.5})(i); }},
      {"relu_leaky", [](K i) { return ReLU({.negative_slope = 0.3})(i); }},
      {"activation_swish", [](K i) { return Activation("swish")(i); }},
      {"activation_hard_sigmoid", [](K i) { return Activation("hard_sigmoid")(i); }},
      {"activation_sigmoid", [](K i) { return Activation("sigmoid")(i); }},
      {"activation_softmax", [](K i) { return Activation("softmax")(i); }},
      {"zero_padding_asymmetric", [](K i) { return ZeroPadding2D({{0, 1}, {2, 3}})(i); }},
      {"cropping_top_left", [](K i) { return Cropping2D({{1, 0}, {1, 0}})(i); }},
      {"flatten_hwc", [](K i) { return Flatten()(i); }},
      {"reshape", [](K i) { return Reshape({1, 1, 24})(i); }},
      {"dense_softmax", [](K i) { return Dense(7, {.activation = "softmax"})(i); }},
      {"rescaling_offset", [](K i) { return Rescaling(1.0 / 127.5, {.offset = -1.0})(i); }},
      {"rescaling_per_channel",
       [](K i) {
         // EfficientNet's 1 / sqrt(stddev), computed in float32 as numpy does for a float32 array.
         std::vector<double> scale;
         for (double s : kStddev) scale.push_back(double(1.0f / std::sqrt(float(s))));
         return Rescaling(scale)(i);
       }},
      {"normalization_imagenet", [](K i) { return Normalization({.axis = {3}})(i); }},
      {"tfop_add_multiply",
       [](K i) {
         return TFOpLambda("math.multiply", 1.0 / 6.0)(ReLU(6.0)(TFOpLambda("__operators__.add", 3.0)(i)));
       }},
      {"multiply_broadcast", [](K i) { return Multiply()({i, GlobalAveragePooling2D({.keepdims = true})(i)}); }},
      {"lambda_scaled_residual",
       [](K i) { return ScaledResidual(0.17, {.name = "block35_1"})({i, Conv2D(3, 1, {.name = "block35_1_conv"})(i)}); }},
  };
  return table;
}

}  // namespace

namespace {

tl::json oracle_description() {
  std::ifstream file(oracle_cases() / "layers.json");
  std::stringstream text;
  text << file.rdbuf();
  return tl::json_parse(text.str(), "layers.json");
}

/// Rebuilds one oracle case in tl and compares it; returns the output's error relative to its scale.
double check_case(const std::string& name, const tl::json& expected) {
  const auto& dir = oracle_cases();
  INFO("case " << name);
  const auto builder = builders().find(name);
  REQUIRE(builder != builders().end());
  tl::backend::clear_session();
  const auto x_shape = ints(expected.at("x_shape"));
  const auto inputs = tl::Input(tl::Shape(x_shape.begin() + 1, x_shape.end()));
  tl::Model model(inputs, builder->second(inputs), name);

  // model.layers: class, name, config (the keys the oracle writes), weights, output shape, parameters.
  const auto& described = expected.at("layers");
  REQUIRE(model.layers().size() == described.size());
  int64_t total = 0;
  for (size_t k = 0; k < described.size(); ++k) {
    const auto& layer = *model.layers()[k];
    const auto& want = described[k];
    INFO("layer " << want.at("name").get<std::string>());
    CHECK(layer.class_name() == want.at("class_name").get<std::string>());
    CHECK(layer.name() == want.at("name").get<std::string>());
    const auto config = layer.get_config();
    for (auto key = want.at("config").begin(); key != want.at("config").end(); ++key) {
      INFO("config key " << key.key());
      if (layer.class_name() == "TFOpLambda" && key.key() == "y") {  // a call argument in Keras
        CHECK(same_value(key.value(), layer.call_kwargs().at("y")));
        continue;
      }
      REQUIRE(config.contains(key.key()));
      CHECK(same_value(key.value(), config.at(key.key())));
    }
    const auto weights = tl::io::detail::legacy_weights(layer);
    REQUIRE(weights.size() == want.at("weights").size());
    int64_t params = 0;
    for (size_t w = 0; w < weights.size(); ++w) {
      const auto& ww = want.at("weights")[w];
      CHECK(weights[w].name == ww.at("name").get<std::string>());
      CHECK(weights[w].keras_shape() == ints(ww.at("shape")));
      CHECK(weights[w].trainable == ww.at("trainable").get<bool>());
      CHECK(std::string(weights[w].get().scalar_type() == torch::kLong ? "int64" : "float32") ==
            ww.at("dtype").get<std::string>());
      int64_t size = 1;
      for (auto d : ints(ww.at("shape"))) size *= d;
      params += size;
    }
    CHECK(layer.count_params() == params);
    total += params;
    CHECK(layer.call_output_shapes().back() == ints(want.at("output_shape")));
  }
  int64_t model_params = 0;
  for (const auto& layer : model.layers()) model_params += layer->count_params();
  CHECK(model_params == total);

  // The oracle's weights, then its output for its input.
  if (name == "normalization_imagenet") {
    // tl's HDF5 reader takes float datasets only, and this file's `count` is int64 as tf.keras writes it:
    // set the ImageNet values the oracle used.
    model.get_layer("normalization")->set_weights({torch::tensor({0.485f, 0.456f, 0.406f}),
                                                   torch::tensor({0.229f, 0.224f, 0.225f}), torch::tensor(int64_t(0))});
  } else {
    model.load_weights(dir / (name + ".h5"));
  }
  const auto x = read_floats(dir / (name + ".x.bin"), x_shape);
  const auto want = read_floats(dir / (name + ".y.bin"), ints(expected.at("y_shape")));
  const auto got = model.predict(x);
  REQUIRE(got.sizes() == want.sizes());
  // y.bin is the float64 result rounded to float32; tl computes in float32: a sum of n products of O(1) values
  // is off by ~n·2^-24 relative, so 1e-6 of the output's scale covers the 7x7x3 = 147-term convolutions.
  const double error = tl::test::max_abs_diff(got, want) / std::max(1.0, want.abs().max().item<double>());
  CHECK(error < 1e-6);
  return error;
}

}  // namespace

TEST_CASE("keras.applications' layers match the oracle: names, configs, weights, shapes, params, outputs",
          "[layers][applications_layers]") {
  const auto cases = oracle_description();
  double worst = 0;
  std::string worst_case;
  int compared = 0;
  for (auto it = cases.begin(); it != cases.end(); ++it) {
    const std::string name = it.key();
    if (name == "relu_negative_threshold_max") {
      // tf.keras 2.11's ReLU layer refuses a negative threshold (backend.relu itself would take it).
      tl::test::require_value_error([] { ReLU({.max_value = 1.0, .threshold = -0.5}); },
                                    {"threshold of a ReLU layer cannot be a negative value. Received: -0.5"});
      continue;
    }
    if (name == "tfop_add_multiply") continue;  // below
    const double error = check_case(name, it.value());
    if (error > worst) worst = error, worst_case = name;
    ++compared;
  }
  CHECK(compared == 41);
  WARN("largest relative error over " << compared << " cases: " << worst << " (" << worst_case << ")");
}

// A model holding a TFOpLambda registers its layers under names without dots ("tf.__operators__.add" is refused
// by torch::nn::Module::register_module).
TEST_CASE("keras.applications' TFOpLambda pair matches the oracle", "[layers][applications_layers]") {
  const auto cases = oracle_description();
  const double error = check_case("tfop_add_multiply", cases.at("tfop_add_multiply"));
  WARN("tfop_add_multiply: relative error " << error);
}

TEST_CASE("summary() prints Keras's parameter counts for the new layers", "[layers][applications_layers]") {
  tl::backend::clear_session();
  auto inputs = tl::Input({9, 8, 3});
  auto x = DepthwiseConv2D(3, {.depth_multiplier = 2, .name = "dw"})(inputs);     // 3*3*3*2 + 6 = 60
  x = SeparableConv2D(4, 3, {.padding = "same", .name = "sep"})(x);               // 3*3*6 + 6*4 + 4 = 82
  x = Normalization({.name = "norm"})(x);                                         // 4 + 4 + 1 = 9, none trainable
  x = ReLU(6.0)(x);
  auto y = Cropping2D(1, {.name = "crop"})(x);
  y = ScaledResidual(0.2, {.name = "block8_1"})({y, Conv2D(4, 1, {.name = "block8_1_conv"})(y)});  // 20
  auto out = Concatenate({.name = "cat"})({y, Multiply({.name = "mul"})({y, y})});
  out = Reshape({-1}, {.name = "flat"})(out);
  out = Dropout(0.2, {.noise_shape = tl::Shape{None, 1}, .name = "drop"})(out);
  tl::Model model(inputs, out, "m");
  std::ostringstream text;
  model.summary({.out = &text});
  const auto s = text.str();
  INFO(s);
  CHECK_THAT(s, Catch::Matchers::Contains(" dw (DepthwiseConv2D)           (None, 7, 6, 6)      60"));
  CHECK_THAT(s, Catch::Matchers::Contains(" sep (SeparableConv2D)          (None, 7, 6, 4)      82"));
  CHECK_THAT(s, Catch::Matchers::Contains(" norm (Normalization)           (None, 7, 6, 4)      9"));
  CHECK_THAT(s, Catch::Matchers::Contains(" block8_1 (Lambda)              (None, 5, 4, 4)      0"));
  CHECK_THAT(s, Catch::Matchers::Contains(" cat (Concatenate)              (None, 5, 4, 8)      0"));
  CHECK_THAT(s, Catch::Matchers::Contains(" flat (Reshape)                 (None, 160)          0"));
  CHECK_THAT(s, Catch::Matchers::Contains("Total params: 171\nTrainable params: 162\nNon-trainable params: 9\n"));
}

TEST_CASE("summary() of a TFOpLambda", "[layers][applications_layers]") {
  tl::backend::clear_session();
  auto inputs = tl::Input({4, 4, 3});
  tl::Model model(inputs, TFOpLambda("__operators__.add", 3.0)(inputs), "m");
  std::ostringstream text;
  model.summary({.out = &text});
  INFO(text.str());
  // Keras's print_row cuts the first column at 29 - 2 characters and prints the rest on the next line.
  CHECK_THAT(text.str(), Catch::Matchers::Contains(" tf.__operators__.add (TFOpL  (None, 4, 4, 3)          0"));
  CHECK_THAT(text.str(), Catch::Matchers::Contains("\n ambda)  "));
  CHECK_THAT(text.str(), Catch::Matchers::Contains("Total params: 0\n"));
}
