// tl::layers::deserialize (Keras's keras.layers.deserialize) for every layer class, Keras-written entries
// (TFOpLambda's operand in the inbound node, InceptionResNetV2's Lambda), and model.save -> load_model round trips
// of models holding each new layer.
#include "layers_ref.hpp"

#include <tl/core/json.hpp>

using namespace tl::layers;
using tl::None;
using tl::test::require_value_error;

namespace {

tl::json entry_of(const LayerImpl& layer) {
  return tl::json{{"class_name", layer.class_name()}, {"config", layer.get_config()}};
}

/// get_config -> deserialize -> build on the same input -> get_config: the same text.
void check_config_round_trip(const Layer& layer, const tl::Shape& input) {
  layer(tl::Input(input));
  const auto back = deserialize(entry_of(*layer));
  back->call_symbolic({tl::Input(input)});
  CHECK(back->class_name() == layer->class_name());
  CHECK(tl::json_dumps(back->get_config()) == tl::json_dumps(layer->get_config()));
}

}  // namespace

TEST_CASE("deserialize rebuilds every layer class from its config", "[layers][deserialize]") {
  tl::backend::clear_session();
  const tl::Shape image{9, 8, 4};
  check_config_round_trip(DepthwiseConv2D(5, {.strides = 2, .padding = "same", .depth_multiplier = 2,
                                              .activation = "relu6", .use_bias = false,
                                              .depthwise_initializer = "he_normal"}),
                          image);
  check_config_round_trip(SeparableConv2D(6, {3, 1}, {.dilation_rate = 2, .depth_multiplier = 3,
                                                      .activation = "hard_swish",
                                                      .pointwise_initializer = "zeros", .bias_initializer = "ones"}),
                          image);
  check_config_round_trip(ReLU({.max_value = 6.0, .negative_slope = 0.1, .threshold = 0.5}), image);
  check_config_round_trip(ReLU(), image);
  check_config_round_trip(Reshape({-1, 4}), image);
  check_config_round_trip(Cropping2D({{1, 2}, {0, 3}}), image);
  check_config_round_trip(Normalization({.axis = {1, 3}}), image);
  check_config_round_trip(Normalization({.axis = {}, .mean = 0.5, .variance = {2.0}}), image);
  check_config_round_trip(Dropout(0.3, {.noise_shape = tl::Shape{None, 1, 1, None}, .seed = 5}), image);
  check_config_round_trip(Rescaling({1.0, 2.0, 3.0, 4.0}, {.offset = {0.5, 0.25, 0.0, 1.0}}), image);
  check_config_round_trip(Rescaling(1.0 / 255), image);
  check_config_round_trip(Activation("hard_sigmoid"), image);
  check_config_round_trip(Conv2D(3, 3, {.strides = 2, .padding = "same"}), image);
  check_config_round_trip(Dense(3), tl::Shape{5});
  check_config_round_trip(BatchNormalization({.momentum = 0.999, .epsilon = 1.001e-5, .scale = false}), image);
  check_config_round_trip(GlobalAveragePooling2D({.keepdims = true}), image);
  check_config_round_trip(MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same"}), image);
  check_config_round_trip(ZeroPadding2D({{0, 1}, {0, 1}}), image);
  check_config_round_trip(Flatten(), image);

  // Merge layers and the scaled residual, on two inputs.
  for (const auto& layer : std::vector<Layer>{Add(), Multiply(), Concatenate({.axis = 3}),
                                              ScaledResidual(0.1, {.output_shape = tl::Shape{9, 8, 4}})}) {
    layer({tl::Input(image), tl::Input(image)});
    const auto back = deserialize(entry_of(*layer));
    back->call_symbolic({tl::Input(image), tl::Input(image)});
    CHECK(back->class_name() == layer->class_name());
    CHECK(tl::json_dumps(back->get_config()) == tl::json_dumps(layer->get_config()));
  }
  // Every class is listed, the new ones included.
  const auto names = deserializable_class_names();
  for (const char* name : {"DepthwiseConv2D", "SeparableConv2D", "ReLU", "Reshape", "Cropping2D", "Normalization",
                           "Multiply", "Concatenate", "Lambda", "TFOpLambda", "Add", "Conv2D", "Dense", "Dropout",
                           "Rescaling", "ZeroPadding2D", "BatchNormalization", "InputLayer"})
    CHECK_THAT(names, Catch::Matchers::Contains(name));
}

TEST_CASE("deserialize reads Keras-written entries and refuses what tl cannot run", "[layers][deserialize]") {
  tl::backend::clear_session();
  // TFOpLambda as tf.keras 2.11 writes it: the constant is the call's `y`, in the bare inbound reference.
  const auto add = deserialize(tl::json_parse(
      R"({"class_name": "TFOpLambda", "config": {"name": "tf.__operators__.add", "trainable": true, "dtype": )"
      R"("float32", "function": "__operators__.add"}, "name": "tf.__operators__.add", "inbound_nodes": )"
      R"([["Conv/BatchNorm", 0, 0, {"y": 3.0, "name": null}]]})"));
  auto* op = dynamic_cast<TFOpLambdaImpl*>(add.get());
  REQUIRE(op != nullptr);
  CHECK(op->name() == "tf.__operators__.add");
  CHECK(op->y() == 3.0);
  CHECK(tl::json_dumps(op->call_kwargs()) == R"({"y": 3.0, "name": null})");
  // The usual nesting works too; a missing operand is refused with the reason.
  CHECK(first_call_kwargs(tl::json_parse(R"({"inbound_nodes": [[["x", 0, 0, {"y": 2.0}]]]})")).at("y") == 2.0);
  require_value_error(
      [] {
        deserialize(tl::json_parse(R"({"class_name": "TFOpLambda", "config": {"name": "op", "function": )"
                                   R"("math.multiply"}})"));
      },
      {"Layer \"op\" (TFOpLambda)", "inbound node"});
  require_value_error(
      [] {
        deserialize(tl::json_parse(R"({"class_name": "TFOpLambda", "config": {"name": "op", "function": "math.sqrt"}, )"
                                   R"("inbound_nodes": [["x", 0, 0, {"y": 2.0, "name": null}]]})"));
      },
      {"Layer \"op\" (TFOpLambda)", "math.sqrt"});

  // InceptionResNetV2's Lambda as Keras saves it (marshalled bytecode): tl's scaled residual.
  const auto lambda = deserialize(tl::json_parse(
      R"({"class_name": "Lambda", "config": {"name": "block35_1", "trainable": true, "dtype": "float32", )"
      R"("function": ["4wIAAAAAAAAAAAAAAAIAAAAEAAAAQwAAAHMQAAAAfABkARkAfABkAhkAfAEUABcAUwCpA05p", null, null], )"
      R"("function_type": "lambda", "module": "keras.applications.inception_resnet_v2", "output_shape": )"
      R"([35, 35, 320], "output_shape_type": "raw", "output_shape_module": null, "arguments": {"scale": 0.17}}})"));
  auto* residual = dynamic_cast<ScaledResidualImpl*>(lambda.get());
  REQUIRE(residual != nullptr);
  CHECK(residual->scale() == 0.17);
  CHECK(residual->options().output_shape == tl::Shape{35, 35, 320});
  // Any other Lambda is Python code tl cannot run.
  require_value_error(
      [] {
        deserialize(tl::json_parse(R"({"class_name": "Lambda", "config": {"name": "mine", "function": ["4wIA", null, )"
                                   R"(null], "function_type": "lambda", "module": "__main__", "arguments": {}}})"));
      },
      {"Layer \"mine\" (Lambda)", "Python code", "tl_scaled_residual"});

  require_value_error(
      [] {
        deserialize(tl::json_parse(R"({"class_name": "Conv2D", "config": {"name": "c", "filters": 2, "kernel_size": 3, )"
                                   R"("data_format": "channels_first"}})"));
      },
      {"Layer \"c\" (Conv2D)", "channels_last"});
  require_value_error([] { deserialize(tl::json_parse(R"({"class_name": "Conv3D", "config": {"name": "c"}})")); },
                      {"Unknown layer: 'Conv3D'. tl can load: Activation, Add, "});
  require_value_error([] { deserialize(tl::json_parse(R"({"class_name": "Dense", "config": {"name": "d", "units": "two"}})")); },
                      {"Layer \"d\" (Dense)"});
  // A layer's own error keeps one prefix.
  const auto message = tl::test::message_of([] {
    deserialize(tl::json_parse(R"({"class_name": "ReLU", "config": {"name": "r", "max_value": -1.0}})"));
  });
  CHECK(message == "Layer \"r\" (ReLU): max_value of a ReLU layer cannot be a negative value. Received: -1.0");
  // Frozen layers come back frozen.
  const auto frozen = deserialize(tl::json_parse(
      R"({"class_name": "DepthwiseConv2D", "config": {"name": "dw", "trainable": false, "kernel_size": [3, 3]}})"));
  CHECK_FALSE(frozen->trainable());
}

TEST_CASE("model.save -> load_model round trips every new layer", "[layers][deserialize][io]") {
  tl::backend::clear_session();
  torch::manual_seed(11);
  auto inputs = tl::Input({11, 10, 3});
  auto x = Normalization({.axis = {3}, .name = "norm"})(inputs);
  x = Rescaling({2.0, 1.5, 1.0})(x);
  x = DepthwiseConv2D(3, {.strides = 2, .padding = "same", .depth_multiplier = 2, .name = "dw"})(x);
  x = ReLU(6.0, {.name = "relu6"})(x);
  auto branch = SeparableConv2D(6, 3, {.padding = "same", .activation = "swish", .name = "sep"})(x);
  x = ScaledResidual(0.17, {.output_shape = tl::Shape{6, 5, 6}, .name = "block35_1"})({x, branch});
  x = ReLU({.negative_slope = 0.1, .threshold = 0.25, .name = "leaky"})(x);
  auto se = GlobalAveragePooling2D({.name = "squeeze"})(x);
  se = Reshape({1, 1, 6}, {.name = "se_reshape"})(se);
  se = Conv2D(6, 1, {.activation = "hard_sigmoid", .name = "se_expand"})(se);
  x = Multiply({.name = "se_excite"})({x, se});
  x = Dropout(0.2, {.noise_shape = tl::Shape{None, 1, 1, 1}, .name = "drop"})(x);
  x = Cropping2D({{1, 0}, {0, 1}}, {.name = "crop"})(x);
  x = Concatenate({.name = "cat"})({x, Activation("hard_swish", {.name = "hs"})(x)});
  tl::Model model(inputs, Flatten({.name = "flatten"})(x), "new_layers");
  // Weights that are not the initial ones, the normalization's included.
  std::vector<torch::Tensor> norm_weights{torch::tensor({0.485f, 0.456f, 0.406f}),
                                          torch::tensor({0.229f, 0.224f, 0.225f}), torch::tensor(int64_t(42))};
  model.get_layer("norm")->set_weights(norm_weights);
  for (const auto& name : {"dw", "sep", "se_expand"}) {
    auto values = model.get_layer(name)->get_weights();
    for (auto& v : values) v = torch::randn_like(v);
    model.get_layer(name)->set_weights(values);
  }

  tl::test::TempDir dir;
  model.save(dir / "model.h5");
  const auto loaded = tl::models::load_model(dir / "model.h5");
  CHECK(tl::models::model_to_json(*loaded) == tl::models::model_to_json(*model));
  REQUIRE(loaded.layers().size() == model.layers().size());
  for (size_t k = 0; k < model.layers().size(); ++k) {
    const auto a = model.layers()[k]->get_weights(), b = loaded.layers()[k]->get_weights();
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) CHECK(torch::equal(a[i], b[i]));
  }
  CHECK(loaded.get_layer("norm")->get_weights()[2].item<int64_t>() == 42);
  const auto images = torch::rand({2, 11, 10, 3});
  CHECK(torch::equal(loaded.predict(images), model.predict(images)));
}

// Needs tl::models' model config to carry call arguments: serialization writing each reference's kwargs from
// LayerImpl::call_kwargs() (bare for preserve_input_structure_in_config()), and load_model building layers through
// tl::layers::deserialize(entry) so that TFOpLambda finds its `y`. Until both land it fails where the constant is
// missing from the file.
TEST_CASE("model.save -> load_model round trips TFOpLambda (MobileNetV3's hard_sigmoid)",
          "[layers][deserialize][io]") {
  tl::backend::clear_session();
  auto inputs = tl::Input({4, 4, 3});
  auto x = TFOpLambda("__operators__.add", 3.0)(inputs);
  x = ReLU(6.0)(x);
  x = TFOpLambda("math.multiply", 1.0 / 6.0)(x);
  tl::Model model(inputs, Multiply()({inputs, x}), "hard_swish");
  tl::test::TempDir dir;
  model.save(dir / "model.h5");
  const auto loaded = tl::models::load_model(dir / "model.h5");
  CHECK(tl::models::model_to_json(*loaded) == tl::models::model_to_json(*model));
  const auto images = torch::randn({2, 4, 4, 3}) * 4;
  CHECK(torch::equal(loaded.predict(images), model.predict(images)));
}
