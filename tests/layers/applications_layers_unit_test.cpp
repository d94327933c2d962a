// DepthwiseConv2D, SeparableConv2D, ReLU, Reshape, Cropping2D, Multiply, Concatenate, Normalization, Dropout's
// noise_shape, the scaled-residual Lambda, TFOpLambda and the new activations: options and errors as Keras 2.11,
// get_config text as Keras 2.11 writes it, weight layouts, and numbers against float64 reference formulas
// (tests/python/layers_ref.py: torch.nn.functional in float64 for the convolutions, numpy for the rest).
#include "layers_ref.hpp"

#include <tl/core/json.hpp>

using namespace tl::layers;
using tl::None;
using tl::test::pair;
using tl::test::require_value_error;

namespace {

std::string config_text(const LayerImpl& layer) { return tl::json_dumps(layer.get_config()); }

/// The largest difference relative to the reference's scale (at least 1).
double relative_error(const torch::Tensor& got, const torch::Tensor& want) {
  return tl::test::max_abs_diff(got, want) / std::max(1.0, want.abs().max().item<double>());
}

}  // namespace

// ---- DepthwiseConv2D ----

TEST_CASE("DepthwiseConv2D: shapes, validation, Keras's weights and config", "[layers][depthwise]") {
  CHECK(DepthwiseConv2D(3)(tl::Input({9, 8, 3})).shape() == tl::Shape{None, 7, 6, 3});
  CHECK(DepthwiseConv2D(5, {.strides = 2, .padding = "same", .depth_multiplier = 2})(tl::Input({9, 10, 3})).shape() ==
        tl::Shape{None, 5, 5, 6});
  CHECK(DepthwiseConv2D(3, {.dilation_rate = 2})(tl::Input({None, 9, 4})).shape() == tl::Shape{None, None, 5, 4});
  require_value_error([] { DepthwiseConv2D(3, {.depth_multiplier = 0, .name = "dw"}); },
                      {"\"dw\"", "depth_multiplier=0"});
  require_value_error([] { DepthwiseConv2D(3, {.strides = 2, .dilation_rate = 2, .name = "dw"}); }, {"dilation"});
  require_value_error([] { DepthwiseConv2D(3, {.padding = "full"}); }, {"padding", "full"});
  require_value_error([] { DepthwiseConv2D(3, {.name = "dw"})(tl::Input({8, 8, None})); }, {"\"dw\"", "channel"});
  require_value_error([] { DepthwiseConv2D(3, {.name = "dw"})(tl::Input({8, 3})); }, {"\"dw\"", "ndim=4"});
  require_value_error([] { DepthwiseConv2D(3, {.name = "dw"})(tl::Input({1, 5, 3})); }, {"\"dw\"", "<= 0"});
  require_value_error([] { Conv2D(2, 3, {.name = "c"})(tl::Input({1, 5, 3})); }, {"\"c\"", "<= 0"});

  tl::backend::clear_session();
  DepthwiseConv2D dw(3, {.depth_multiplier = 2});
  dw(tl::Input({8, 8, 5}));
  CHECK(dw.name() == "depthwise_conv2d");
  CHECK(dw.count_params() == 3 * 3 * 5 * 2 + 10);
  const auto weights = dw.weights();
  REQUIRE(weights.size() == 2);
  CHECK(weights[0].name == "depthwise_conv2d/depthwise_kernel:0");
  CHECK(weights[0].keras_shape() == std::vector<int64_t>{3, 3, 5, 2});
  CHECK(weights[1].keras_shape() == std::vector<int64_t>{10});
  // Keras's (kh, kw, C, M) round-trips; the grouped kernel's output channel c·M + m is Keras's [:, :, c, m].
  const auto keras = torch::randn({3, 3, 5, 2});
  dw.set_weights({keras, torch::zeros({10})});
  CHECK(torch::equal(dw.get_weights()[0], keras));
  CHECK(dw->kernel().sizes() == torch::IntArrayRef{10, 1, 3, 3});
  CHECK(torch::equal(dw->kernel()[2 * 2 + 1][0], keras.select(2, 2).select(2, 1)));
  CHECK(config_text(*dw) ==
        R"({"name": "depthwise_conv2d", "trainable": true, "dtype": "float32", "kernel_size": [3, 3], )"
        R"("strides": [1, 1], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1], )"
        R"("groups": 1, "activation": "linear", "use_bias": true, "bias_initializer": {"class_name": "Zeros", )"
        R"("config": {}}, "bias_regularizer": null, "activity_regularizer": null, "bias_constraint": null, )"
        R"("depth_multiplier": 2, "depthwise_initializer": {"class_name": "GlorotUniform", "config": {"seed": )"
        R"(null}}, "depthwise_regularizer": null, "depthwise_constraint": null})");
}

TEST_CASE("DepthwiseConv2D computes tf.nn.depthwise_conv2d (odd sizes, stride 2, 'same', dilation, multiplier)",
          "[layers][depthwise]") {
  struct Case {
    int64_t h, w, c;
    Size2 kernel;
    DepthwiseConv2DOptions options;
  };
  const std::vector<Case> cases = {
      {9, 10, 3, 5, {.strides = 2, .padding = "same"}},
      {9, 8, 3, 3, {.strides = 2, .depth_multiplier = 2}},
      {7, 7, 4, 3, {.padding = "same", .depth_multiplier = 3, .use_bias = false}},
      {8, 9, 2, {3, 2}, {.strides = {2, 1}, .padding = "same"}},
      {10, 9, 3, 3, {.padding = "same", .dilation_rate = 2}},
      {6, 5, 3, 3, {.padding = "same", .activation = "relu6"}},
  };
  double worst = 0;
  for (const auto& c : cases) {
    DepthwiseConv2D dw(c.kernel, c.options);
    dw(tl::Input({c.h, c.w, c.c}));
    const int64_t m = c.options.depth_multiplier;
    const auto kernel = torch::randn({c.kernel.h, c.kernel.w, c.c, m});
    const auto bias = c.options.use_bias ? torch::randn({c.c * m}) : torch::zeros({c.c * m});
    if (c.options.use_bias) dw.set_weights({kernel, bias});
    else dw.set_weights({kernel});
    const auto x = torch::randn({2, c.h, c.w, c.c});
    const auto& o = c.options;
    auto want = tl::test::layers_ref("depthwise " + o.padding,
                                     {{"x", x}, {"kernel", kernel}, {"bias", bias},
                                      {"strides", pair(o.strides.h, o.strides.w)},
                                      {"dilation", pair(o.dilation_rate.h, o.dilation_rate.w)}})["y"];
    if (o.activation == "relu6") want = want.clamp(0, 6);
    const auto got = dw(x);
    REQUIRE(got.sizes() == want.sizes());
    const double error = relative_error(got, want);
    // float32 against float64: a 5x5 window sums 25 products of N(0, 1) values, ~1e-6 off at worst.
    CHECK(error < 2e-6);
    worst = std::max(worst, error);
    // channels_last memory in, channels_last memory out (no copies to NCHW-contiguous and back).
    const auto internal = LayerImpl::to_internal_layout(x).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto y = dw->forward_internal({internal}, false);
    CHECK(y.is_contiguous(torch::MemoryFormat::ChannelsLast));
    CHECK(torch::allclose(LayerImpl::to_keras_layout(y), got));
  }
  WARN("DepthwiseConv2D: largest relative error " << worst);
}

// ---- SeparableConv2D ----

TEST_CASE("SeparableConv2D: shapes, Keras's weights and config", "[layers][separable]") {
  CHECK(SeparableConv2D(8, 3)(tl::Input({9, 8, 3})).shape() == tl::Shape{None, 7, 6, 8});
  CHECK(SeparableConv2D(6, 3, {.strides = 2, .padding = "same"})(tl::Input({9, 7, 3})).shape() ==
        tl::Shape{None, 5, 4, 6});
  require_value_error([] { SeparableConv2D(0, 3, {.name = "s"}); }, {"\"s\"", "filters"});
  require_value_error([] { SeparableConv2D(4, 3, {.depth_multiplier = -1, .name = "s"}); }, {"\"s\"", "depth_multiplier"});

  tl::backend::clear_session();
  SeparableConv2D sep(6, {3, 5}, {.depth_multiplier = 2});
  sep(tl::Input({8, 8, 4}));
  CHECK(sep.count_params() == 3 * 5 * 4 * 2 + 8 * 6 + 6);
  const auto w = sep.weights();
  REQUIRE(w.size() == 3);
  CHECK(w[0].name == "separable_conv2d/depthwise_kernel:0");
  CHECK(w[0].keras_shape() == std::vector<int64_t>{3, 5, 4, 2});
  CHECK(w[1].name == "separable_conv2d/pointwise_kernel:0");
  CHECK(w[1].keras_shape() == std::vector<int64_t>{1, 1, 8, 6});
  CHECK(w[2].name == "separable_conv2d/bias:0");
  const auto values = std::vector<torch::Tensor>{torch::randn({3, 5, 4, 2}), torch::randn({1, 1, 8, 6}), torch::randn({6})};
  sep.set_weights(values);
  for (size_t i = 0; i < 3; ++i) CHECK(torch::equal(sep.get_weights()[i], values[i]));
  CHECK(config_text(*sep) ==
        R"({"name": "separable_conv2d", "trainable": true, "dtype": "float32", "filters": 6, "kernel_size": [3, 5], )"
        R"("strides": [1, 1], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1], )"
        R"("groups": 1, "activation": "linear", "use_bias": true, "kernel_initializer": {"class_name": )"
        R"("GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, )"
        R"("kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, )"
        R"("kernel_constraint": null, "bias_constraint": null, "depth_multiplier": 2, "depthwise_initializer": )"
        R"({"class_name": "GlorotUniform", "config": {"seed": null}}, "pointwise_initializer": {"class_name": )"
        R"("GlorotUniform", "config": {"seed": null}}, "depthwise_regularizer": null, "pointwise_regularizer": )"
        R"(null, "depthwise_constraint": null, "pointwise_constraint": null})");
}

TEST_CASE("SeparableConv2D computes tf.nn.separable_conv2d", "[layers][separable]") {
  struct Case {
    int64_t h, w, c, filters;
    Size2 kernel;
    SeparableConv2DOptions options;
  };
  const std::vector<Case> cases = {
      {9, 7, 3, 6, 3, {.strides = 2, .padding = "same", .depth_multiplier = 2}},
      {13, 12, 3, 4, 7, {.strides = 2, .use_bias = false}},
      {7, 6, 4, 5, 3, {.padding = "same"}},
      {9, 9, 2, 3, 3, {.padding = "same", .dilation_rate = 2, .activation = "relu"}},
  };
  double worst = 0;
  for (const auto& c : cases) {
    SeparableConv2D sep(c.filters, c.kernel, c.options);
    sep(tl::Input({c.h, c.w, c.c}));
    const int64_t m = c.options.depth_multiplier;
    const auto depthwise = torch::randn({c.kernel.h, c.kernel.w, c.c, m});
    const auto pointwise = torch::randn({1, 1, c.c * m, c.filters});
    const auto bias = c.options.use_bias ? torch::randn({c.filters}) : torch::zeros({c.filters});
    if (c.options.use_bias) sep.set_weights({depthwise, pointwise, bias});
    else sep.set_weights({depthwise, pointwise});
    const auto x = torch::randn({2, c.h, c.w, c.c});
    const auto& o = c.options;
    auto want = tl::test::layers_ref("separable " + o.padding,
                                     {{"x", x}, {"depthwise_kernel", depthwise}, {"pointwise_kernel", pointwise},
                                      {"bias", bias}, {"strides", pair(o.strides.h, o.strides.w)},
                                      {"dilation", pair(o.dilation_rate.h, o.dilation_rate.w)}})["y"];
    if (o.activation == "relu") want = want.clamp_min(0);
    const auto got = sep(x);
    REQUIRE(got.sizes() == want.sizes());
    const double error = relative_error(got, want);
    // float32 against float64: 49-term depthwise sums, then 6-term pointwise sums of those (values up to ~20).
    CHECK(error < 2e-6);
    worst = std::max(worst, error);
  }
  WARN("SeparableConv2D: largest relative error " << worst);
}

// ---- ReLU ----

TEST_CASE("ReLU: Keras 2.11's validation, float32 arguments and config", "[layers][relu]") {
  require_value_error([] { ReLU(-1.0, {.name = "r"}); },
                      {"\"r\"", "max_value of a ReLU layer cannot be a negative value. Received: -1.0"});
  require_value_error([] { ReLU({.negative_slope = -0.1}); }, {"negative_slope of a ReLU layer cannot be a negative"});
  require_value_error([] { ReLU({.threshold = -0.5}); }, {"threshold of a ReLU layer cannot be a negative value"});
  tl::backend::clear_session();
  ReLU relu6(6.0);
  CHECK(relu6.name() == "re_lu");
  CHECK(config_text(*relu6) ==
        R"({"name": "re_lu", "trainable": true, "dtype": "float32", "max_value": 6.0, "negative_slope": 0.0, )"
        R"("threshold": 0.0})");
  // Keras casts the arguments to float32 (backend.cast_to_floatx): 0.1 is written as its float32 value.
  CHECK(config_text(*ReLU({.negative_slope = 0.1, .name = "leaky"})) ==
        R"({"name": "leaky", "trainable": true, "dtype": "float32", "max_value": null, )"
        R"("negative_slope": 0.10000000149011612, "threshold": 0.0})");
}

TEST_CASE("ReLU computes backend.relu exactly, edges included", "[layers][relu]") {
  // Values on the edges: the threshold, the cap, zero, just beside them; and random ones.
  auto x = torch::cat({torch::tensor({-2.0f, -0.5f, -0.25f, 0.0f, 0.25f, 0.2500001f, 0.5f, 1.0f, 1.5f, 1.5000001f,
                                      6.0f, 6.5f}),
                       torch::randn({36}) * 3})
               .reshape({1, 4, 4, 3});
  const std::vector<ReLUOptions> cases = {
      {}, {.max_value = 6.0}, {.max_value = 1.5, .negative_slope = 0.1, .threshold = 0.25},
      {.negative_slope = 0.2}, {.threshold = 0.5}, {.negative_slope = 0.3, .threshold = 0.25},
      {.max_value = 1.0, .negative_slope = 0.3}, {.max_value = 0.0}, {.max_value = 6.0, .threshold = 0.25},
  };
  for (const auto& o : cases) {
    tl::test::NamedTensors args = {{"x", x},
                                   {"negative_slope", torch::tensor(o.negative_slope)},
                                   {"threshold", torch::tensor(o.threshold)}};
    if (o.max_value) args.emplace_back("max_value", torch::tensor(*o.max_value));
    const auto want = tl::test::layers_ref("relu", args)["y"];
    ReLU relu(o);
    const auto got = relu(x);
    INFO("max_value " << o.max_value.value_or(-1) << " slope " << o.negative_slope << " threshold " << o.threshold);
    // Keras computes in float32 with float32 constants; the oracle in float64 from the float32 inputs: the only
    // rounding is slope * (threshold - x), one float32 product and difference.
    CHECK(tl::test::max_abs_diff(got, want) < 1e-6);
    CHECK(torch::equal(got.masked_select(x == 0.25f), want.to(torch::kFloat).masked_select(x == 0.25f)));
    // The in-place path (a value nobody else holds) gives the same numbers.
    std::vector<torch::Tensor> inputs{LayerImpl::to_internal_layout(x).clone()};
    CHECK(torch::equal(LayerImpl::to_keras_layout(relu->forward_reusing(inputs, false)), got));
  }
}

// ---- activations ----

TEST_CASE("Activations relu6, swish, silu, hard_sigmoid (tf.keras 2.x's), hard_swish, exponential",
          "[layers][activations]") {
  const auto x = torch::cat({torch::tensor({-3.0f, -2.5f, 2.5f, 3.0f, 0.0f, 6.0f}), torch::randn({30}) * 4});
  for (const std::string name : {"relu6", "swish", "silu", "hard_sigmoid", "hard_swish", "sigmoid", "exponential"}) {
    INFO(name);
    const auto want = tl::test::layers_ref("activation " + name, {{"x", x}})["y"];
    const auto got = Activation(name)(x);
    CHECK(relative_error(got, want) < 1e-6);  // float32 elementwise against float64: a few ulps
    auto copy = x.clone();
    CHECK(torch::allclose(tl::activations::apply_reusing(name, copy), got));
  }
  CHECK(Activation("hard_sigmoid")(torch::tensor({-2.5f, 2.5f, 0.0f})).equal(torch::tensor({0.0f, 1.0f, 0.5f})));
  require_value_error([] { Activation("relu7"); }, {"relu7", "hard_swish"});
}

// ---- Reshape, Cropping2D ----

TEST_CASE("Reshape: Keras's shapes (-1, None), errors, row-major (H, W, C) order", "[layers][reshape]") {
  CHECK(Reshape({1, 1, 24})(tl::Input({2, 3, 4})).shape() == tl::Shape{None, 1, 1, 24});
  CHECK(Reshape({-1, 4})(tl::Input({2, 3, 4})).shape() == tl::Shape{None, 6, 4});
  CHECK(Reshape({-1, 4})(tl::Input({None, 3, 4})).shape() == tl::Shape{None, None, 4});
  require_value_error([] { Reshape({5, 5}, {.name = "r"})(tl::Input({2, 3, 4})); },
                      {"\"r\"", "total size of new array must be unchanged, input_shape = [2, 3, 4], "
                                "output_shape = [5, 5]"});
  require_value_error([] { Reshape({-1, -1})(tl::Input({2, 3, 4})); },
                      {"at most one unknown dimension in output_shape. Received: output_shape=[-1, -1]."});
  CHECK(config_text(*Reshape({1, 1, -1}, {.name = "se_reshape"})) ==
        R"({"name": "se_reshape", "trainable": true, "dtype": "float32", "target_shape": [1, 1, -1]})");

  const auto x = torch::randn({2, 3, 4, 5});
  CHECK(torch::equal(Reshape({12, 5})(x), x.reshape({2, 12, 5})));
  CHECK(torch::equal(Reshape({6, 2, 5})(x), x.reshape({2, 6, 2, 5})));
  // From channels_last memory, a view: no copy.
  const auto internal = LayerImpl::to_internal_layout(x).contiguous(torch::MemoryFormat::ChannelsLast);
  Reshape flat({-1});
  flat(tl::Input({3, 4, 5}));
  const auto y = flat->forward_internal({internal}, false);
  CHECK(y.data_ptr() == internal.data_ptr());
  CHECK(torch::equal(y, x.reshape({2, -1})));
}

TEST_CASE("Cropping2D: shapes, errors, config, values", "[layers][cropping]") {
  CHECK(Cropping2D({{1, 0}, {1, 0}})(tl::Input({5, 4, 2})).shape() == tl::Shape{None, 4, 3, 2});
  CHECK(Cropping2D(2)(tl::Input({None, 7, 2})).shape() == tl::Shape{None, None, 3, 2});
  CHECK(Cropping2D({1, 2})(tl::Input({5, 6, 2})).shape() == tl::Shape{None, 3, 2, 2});
  require_value_error([] { Cropping2D(3, {.name = "c"})(tl::Input({5, 8, 2})); }, {"\"c\"", "cropping", "(None, 5, 8, 2)"});
  require_value_error([] { Cropping2D({{-1, 0}, {0, 0}}); }, {"negative"});
  CHECK(config_text(*Cropping2D({{1, 0}, {2, 3}}, {.name = "crop"})) ==
        R"({"name": "crop", "trainable": true, "dtype": "float32", "cropping": [[1, 0], [2, 3]], )"
        R"("data_format": "channels_last"})");
  const auto x = torch::randn({2, 5, 7, 3});
  CHECK(torch::equal(Cropping2D({{1, 2}, {0, 3}})(x), x.slice(1, 1, 3).slice(2, 0, 4)));
}

// ---- Multiply, Concatenate, Add ----

TEST_CASE("Multiply and Add broadcast as Keras's merge layers", "[layers][merge]") {
  const auto a = tl::Input({4, 5, 3});
  CHECK(Multiply()({a, tl::Input({1, 1, 3})}).shape() == tl::Shape{None, 4, 5, 3});
  CHECK(Multiply()({a, tl::Input({3})}).shape() == tl::Shape{None, 4, 5, 3});  // a lower rank lines up at the end
  CHECK(Add()({a}).shape() == a.shape());                                         // Keras 2.11: at least 1 input
  require_value_error([&] { Multiply({.name = "m"})({a, tl::Input({4, 4, 3})}); },
                      {"\"m\"", "Inputs have incompatible shapes. Received shapes (4, 5, 3) and (4, 4, 3)"});
  require_value_error([&] { Multiply({.name = "m"})(std::vector<tl::KerasTensor>{}); }, {"\"m\"", "at least 1 input"});
  CHECK(config_text(*Multiply({.name = "se_excite"})) ==
        R"({"name": "se_excite", "trainable": true, "dtype": "float32"})");

  const auto x = torch::randn({2, 4, 5, 3}), se = torch::randn({2, 1, 1, 3}), v = torch::randn({2, 3});
  CHECK(torch::equal(Multiply()({x, se}), x * se));
  CHECK(torch::equal(Multiply()({se, x}), se * x));
  CHECK(torch::equal(Multiply()({x, v}), x * v.view({2, 1, 1, 3})));  // Keras's expand_dims at axis 1
  CHECK(torch::equal(Add()({x, se, x}), x + se + x));
  // In place on a value nobody else holds, the result bit for bit.
  Multiply mul;
  std::vector<torch::Tensor> inputs{LayerImpl::to_internal_layout(x).clone(), LayerImpl::to_internal_layout(se)};
  const auto* memory = inputs[0].data_ptr();
  const auto y = mul->forward_reusing(inputs, false);
  CHECK(y.data_ptr() == memory);
  CHECK(torch::equal(LayerImpl::to_keras_layout(y), x * se));
}

TEST_CASE("Concatenate: Keras's shape checks, axis, channels_last output", "[layers][merge]") {
  const auto a = tl::Input({4, 4, 3}), b = tl::Input({4, 4, 5}), n = tl::Input({None, 4, 2});
  CHECK(Concatenate()({a, b}).shape() == tl::Shape{None, 4, 4, 8});
  CHECK(Concatenate()({a, n}).shape() == tl::Shape{None, 4, 4, 5});
  CHECK(Concatenate({.axis = 3})({a, b, a}).shape() == tl::Shape{None, 4, 4, 11});
  CHECK(Concatenate({.axis = 1})({a, tl::Input({2, 4, 3})}).shape() == tl::Shape{None, 6, 4, 3});
  CHECK(Concatenate({.axis = 2})({a, tl::Input({4, None, 3})}).shape() == tl::Shape{None, 4, None, 3});
  require_value_error([&] { Concatenate({.name = "mixed0"})({a, tl::Input({4, 5, 3})}); },
                      {"\"mixed0\"", "A `Concatenate` layer requires inputs with matching shapes except for the "
                                     "concatenation axis. Received: input_shape=[(None, 4, 4, 3), (None, 4, 5, 3)]"});
  require_value_error([&] { Concatenate({.axis = 4})({a, a}); }, {"axis 4"});
  CHECK(config_text(*Concatenate({.axis = 3, .name = "mixed0"})) ==
        R"({"name": "mixed0", "trainable": true, "dtype": "float32", "axis": 3})");
  tl::backend::clear_session();
  CHECK(concatenate({a, a}).node()->layer->name() == "concatenate");
  CHECK(multiply({a, a}).node()->layer->name() == "multiply");
  CHECK(add({a, a}).node()->layer->name() == "add");

  const auto x = torch::randn({2, 4, 4, 3}), y = torch::randn({2, 4, 4, 5});
  CHECK(torch::equal(Concatenate()({x, y}), torch::cat({x, y}, 3)));
  CHECK(torch::equal(Concatenate({.axis = 1})({x, x}), torch::cat({x, x}, 1)));
  CHECK(torch::equal(Concatenate({.axis = -2})({x, x}), torch::cat({x, x}, 2)));
  const auto v = torch::randn({2, 7});
  CHECK(torch::equal(Concatenate()({v, v}), torch::cat({v, v}, 1)));
  Concatenate cat;
  const auto cl = [](const torch::Tensor& t) {
    return LayerImpl::to_internal_layout(t).contiguous(torch::MemoryFormat::ChannelsLast);
  };
  CHECK(cat->forward_internal({cl(x), cl(y)}, false).is_contiguous(torch::MemoryFormat::ChannelsLast));
}

// ---- Normalization ----

TEST_CASE("Normalization: weights as tf.keras stores them, Keras's formula and config", "[layers][normalization]") {
  tl::backend::clear_session();
  Normalization norm({.axis = {3}});
  norm(tl::Input({4, 5, 3}));
  CHECK(norm.name() == "normalization");
  const auto w = norm.weights();
  REQUIRE(w.size() == 3);
  CHECK(w[0].name == "normalization/mean:0");
  CHECK(w[1].name == "normalization/variance:0");
  CHECK(w[2].name == "normalization/count:0");
  CHECK(w[2].keras_shape().empty());
  CHECK(w[2].get().scalar_type() == torch::kLong);
  CHECK(norm.count_params() == 7);
  CHECK(norm->trainable_weights().empty());
  CHECK(config_text(*norm) ==
        R"({"name": "normalization", "trainable": true, "dtype": "float32", "axis": [3], "mean": null, )"
        R"("variance": null})");

  const auto mean = torch::tensor({0.485f, 0.456f, 0.406f}), variance = torch::tensor({0.229f, 0.224f, 0.225f});
  norm.set_weights({mean, variance, torch::tensor(int64_t(12))});
  CHECK(norm.get_weights()[2].item<int64_t>() == 12);
  const auto x = torch::rand({2, 4, 5, 3});
  auto want = tl::test::layers_ref("normalization", {{"x", x}, {"mean", mean}, {"variance", variance},
                                                     {"invert", torch::tensor(0)}})["y"];
  CHECK(relative_error(norm(x), want) < 1e-6);  // float32 subtraction, square root and division: a few ulps
  // An integer image becomes float32 first.
  const auto pixels = torch::randint(0, 255, {1, 4, 5, 3}, torch::kUInt8);
  want = tl::test::layers_ref("normalization", {{"x", pixels}, {"mean", mean}, {"variance", variance},
                                                {"invert", torch::tensor(0)}})["y"];
  CHECK(relative_error(norm(pixels), want) < 1e-6);

  // Given mean and variance: constants, no weights; a tiny variance divides by 1e-7 (backend.epsilon()).
  Normalization given({.mean = {1.0, 2.0}, .variance = 0.0, .name = "given"});
  CHECK(given(torch::tensor({{3.0f, 2.0f}})).equal(torch::tensor({{2e7f, 0.0f}})));
  CHECK(given.weights().empty());
  CHECK(config_text(*given) ==
        R"({"name": "given", "trainable": true, "dtype": "float32", "axis": [-1], "mean": [1.0, 2.0], )"
        R"("variance": 0.0})");
  Normalization inverse({.mean = 1.0, .variance = 4.0, .invert = true});
  CHECK(inverse(torch::tensor({{1.0f, -1.0f}})).equal(torch::tensor({{3.0f, -1.0f}})));
  // axis None: one mean for everything; two axes kept.
  Normalization all({.axis = {}});
  all(tl::Input({3, 2}));
  CHECK(all.weights()[0].keras_shape().empty());
  Normalization hw({.axis = {1, 2}});
  hw(tl::Input({4, 5, 3}));
  CHECK(hw.weights()[0].keras_shape() == std::vector<int64_t>{4, 5});
  const auto hw_mean = torch::randn({4, 5});
  hw.set_weights({hw_mean, torch::ones({4, 5}), torch::tensor(int64_t(0))});
  CHECK(torch::allclose(hw(x), x - hw_mean.view({1, 4, 5, 1})));

  require_value_error([] { Normalization({.mean = 1.0, .name = "n"}); },
                      {"\"n\"", "both `mean` and `variance` must be set. Got mean: 1.0 and variance: None"});
  require_value_error([] { Normalization({.axis = {4}, .name = "n"})(tl::Input({4, 5, 3})); },
                      {"\"n\"", "All `axis` values must be in the range [-ndim, ndim). Found ndim: `4`, axis: (4,)"});
  require_value_error([] { Normalization({.name = "n"})(tl::Input({4, 5, None})); },
                      {"All `axis` values to be kept must have known shape. Got axis: (-1,), input shape: "
                       "[None, 4, 5, None], with unknown axis at index: 3"});
}

// ---- Dropout(noise_shape) ----

TEST_CASE("Dropout's noise_shape drops whole samples ({None, 1, 1, 1}, EfficientNet's drop-connect)",
          "[layers][dropout]") {
  Dropout drop(0.5, {.noise_shape = tl::Shape{None, 1, 1, 1}, .seed = 3, .name = "block2b_drop"});
  CHECK(drop(tl::Input({4, 5, 3})).shape() == tl::Shape{None, 4, 5, 3});
  CHECK(config_text(*drop) == R"({"name": "block2b_drop", "trainable": true, "dtype": "float32", "rate": 0.5, )"
                              R"("noise_shape": [null, 1, 1, 1], "seed": 3})");
  const auto x = torch::ones({64, 4, 5, 3});
  CHECK(torch::equal(drop(x, false), x));
  const auto y = drop(x, true);
  int dropped = 0;
  for (int64_t n = 0; n < 64; ++n) {
    const auto sample = y[n];
    const bool zero = sample.eq(0).all().item<bool>(), kept = sample.eq(2).all().item<bool>();
    CHECK((zero || kept));
    dropped += zero;
  }
  CHECK(dropped > 16);
  CHECK(dropped < 48);
  // Per channel: {None, 1, 1, None} keeps or drops a channel of a sample everywhere.
  Dropout channels(0.5, {.noise_shape = tl::Shape{None, 1, 1, None}});
  channels(tl::Input({4, 5, 3}));
  const auto c = channels(x, true);
  CHECK(torch::equal(c, c.select(1, 0).select(1, 0).view({64, 1, 1, 3}).expand_as(c)));
  require_value_error([] { Dropout(0.5, {.noise_shape = tl::Shape{None, 2, 1, 1}, .name = "d"})(tl::Input({4, 5, 3})); },
                      {"\"d\"", "noise_shape"});
}

// ---- the scaled-residual Lambda ----

TEST_CASE("ScaledResidual is Keras's Lambda inputs[0] + inputs[1] * scale", "[layers][lambda]") {
  ScaledResidual block(0.17, {.output_shape = tl::Shape{None, None, 3}, .name = "block35_1"});
  const auto a = tl::Input({4, 4, 3});
  CHECK(block({a, a}).shape() == tl::Shape{None, 4, 4, 3});
  CHECK(block->class_name() == "Lambda");
  CHECK(config_text(*block) ==
        R"({"name": "block35_1", "trainable": true, "dtype": "float32", "function": "tl_scaled_residual", )"
        R"("function_type": "function", "module": "tl.layers", "output_shape": [null, null, 3], )"
        R"("output_shape_type": "raw", "output_shape_module": null, "arguments": {"scale": 0.17}})");
  require_value_error([&] { ScaledResidual(0.1, {.name = "b"})({a}); }, {"\"b\"", "2 inputs"});
  require_value_error([&] { ScaledResidual(0.1, {.output_shape = tl::Shape{5, 5, 3}, .name = "b"})({a, a}); },
                      {"\"b\"", "output_shape"});

  const auto x = torch::randn({2, 4, 4, 3}), up = torch::randn({2, 4, 4, 3});
  const auto want = x + up * 0.17;  // float32: TF's multiply then add
  CHECK(torch::equal(block({x, up}), want));
  for (int reuse = 0; reuse < 2; ++reuse) {  // in place on the branch, then on the shortcut: the same bits
    std::vector<torch::Tensor> inputs{LayerImpl::to_internal_layout(x), LayerImpl::to_internal_layout(up)};
    inputs[reuse] = inputs[reuse].clone();
    const auto* memory = inputs[reuse].data_ptr();
    const auto y = block->forward_reusing(inputs, false);
    CHECK(y.data_ptr() == memory);
    CHECK(torch::equal(LayerImpl::to_keras_layout(y), want));
  }
}

// ---- TFOpLambda ----

TEST_CASE("TFOpLambda: Keras's names, float32 constants, config and call arguments", "[layers][tfoplambda]") {
  tl::backend::clear_session();
  const auto in = tl::Input({4, 4, 3});
  CHECK(TFOpLambda("__operators__.add", 3.0).name() == "tf.__operators__.add");
  CHECK(TFOpLambda("__operators__.add", 3.0).name() == "tf.__operators__.add_1");
  // A name given explicitly is skipped by the generated ones (Keras's avoid_observed_names), zero-based.
  ReLU({.name = "tf.math.multiply"});
  TFOpLambda mul("math.multiply", 1.0 / 6.0);
  CHECK(mul.name() == "tf.math.multiply_1");
  CHECK(mul->class_name() == "TFOpLambda");
  CHECK(config_text(*mul) ==
        R"({"name": "tf.math.multiply_1", "trainable": true, "dtype": "float32", "function": "math.multiply"})");
  CHECK(tl::json_dumps(mul->call_kwargs()) == R"({"y": 0.16666666666666666, "name": null})");
  CHECK(mul->preserve_input_structure_in_config());
  CHECK(mul(in).shape() == in.shape());
  tl::backend::clear_session();  // a new session forgets both the counters and the observed names
  CHECK(TFOpLambda("math.multiply", 2.0).name() == "tf.math.multiply");
  require_value_error([] { TFOpLambda("math.sqrt", 2.0); }, {"math.sqrt", "__operators__.add"});

  const auto x = torch::randn({2, 4, 4, 3});
  CHECK(torch::equal(TFOpLambda("math.multiply", 1.0 / 6.0)(x), x * (1.0f / 6.0f)));
  CHECK(torch::equal(TFOpLambda("__operators__.add", 3.0)(x), x + 3.0f));
  CHECK(torch::equal(TFOpLambda("math.truediv", 3.0)(x), x / 3.0f));
  CHECK(torch::equal(TFOpLambda("math.subtract", 0.5)(x), x - 0.5f));
  // In place on a value nobody else holds.
  std::vector<torch::Tensor> inputs{LayerImpl::to_internal_layout(x).clone()};
  const auto* memory = inputs[0].data_ptr();
  const auto y = TFOpLambda("__operators__.add", 3.0)->forward_reusing(inputs, false);
  CHECK(y.data_ptr() == memory);
  CHECK(torch::equal(LayerImpl::to_keras_layout(y), x + 3.0f));
}

// Needs tl::models to register layers whose names have dots (torch::nn::Module::register_module refuses
// "tf.__operators__.add"): the models engineer's change.
TEST_CASE("TFOpLambda in a model: MobileNetV3's hard_sigmoid", "[layers][tfoplambda]") {
  tl::backend::clear_session();
  const auto in = tl::Input({4, 4, 3});
  auto h = TFOpLambda("math.multiply", 1.0 / 6.0)(ReLU(6.0)(TFOpLambda("__operators__.add", 3.0)(in)));
  tl::Model model(in, h);
  const auto x = torch::randn({2, 4, 4, 3}) * 4;
  CHECK(torch::equal(model.predict(x), (x + 3.0f).clamp(0, 6) * (1.0f / 6.0f)));
}
