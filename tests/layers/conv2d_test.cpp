// Conv2D: Keras's shapes, errors, parameter count, HWIO weights, and numerics against Keras's definition.
#include "layers_ref.hpp"

using namespace tl::layers;
using tl::None;
using tl::test::pair;
using tl::test::require_value_error;

TEST_CASE("Conv2D infers Keras's output shapes, None dims included", "[layers]") {
  CHECK(Conv2D(8, 3)(tl::Input({32, 32, 3})).shape() == tl::Shape{None, 30, 30, 8});
  CHECK(Conv2D(8, 3, {.strides = 2, .padding = "same"})(tl::Input({33, 32, 3})).shape() ==
        tl::Shape{None, 17, 16, 8});
  CHECK(Conv2D(8, {3, 5}, {.strides = {2, 1}})(tl::Input({9, 9, 3})).shape() == tl::Shape{None, 4, 5, 8});
  CHECK(Conv2D(4, 3, {.dilation_rate = 2})(tl::Input({9, 10, 3})).shape() == tl::Shape{None, 5, 6, 4});
  CHECK(Conv2D(4, 3)(tl::Input({None, 10, 3})).shape() == tl::Shape{None, None, 8, 4});
}

TEST_CASE("Conv2D rejects bad inputs naming the layer and the shapes", "[layers]") {
  require_value_error([] { Conv2D(4, 3, {.name = "tiny"})(tl::Input({2, 5, 3})); },
                      {"tiny", "(None, 2, 5, 3)", "<= 0"});
  require_value_error([] { Conv2D(4, 3, {.name = "flat"})(tl::Input({5})); }, {"flat", "ndim=4", "(None, 5)"});
  require_value_error([] { Conv2D(4, 3, {.name = "nochan"})(tl::Input({5, 5, None})); }, {"nochan", "channel"});
  Conv2D conv(4, 3, {.name = "rgb"});
  conv(tl::Input({8, 8, 3}));
  require_value_error([&] { conv(tl::Input({8, 8, 4})); }, {"rgb", "value 3", "(None, 8, 8, 4)"});
  require_value_error([&] { conv(torch::zeros({1, 8, 8, 4})); }, {"rgb", "value 3"});
}

TEST_CASE("Conv2D validates its arguments in the constructor", "[layers]") {
  require_value_error([] { Conv2D(0, 3, {.name = "c"}); }, {"\"c\"", "filters"});
  require_value_error([] { Conv2D(4, {3, 0}, {.name = "c"}); }, {"\"c\"", "kernel_size", "(3, 0)"});
  require_value_error([] { Conv2D(4, 3, {.strides = -1, .name = "c"}); }, {"\"c\"", "strides"});
  require_value_error([] { Conv2D(4, 3, {.dilation_rate = 0, .name = "c"}); }, {"\"c\"", "dilation_rate"});
  require_value_error([] { Conv2D(4, 3, {.padding = "full", .name = "c"}); }, {"\"c\"", "padding", "full"});
  require_value_error([] { Conv2D(4, 3, {.strides = 2, .dilation_rate = 2, .name = "c"}); }, {"\"c\"", "dilation"});
  require_value_error([] { Conv2D(4, 3, {.activation = "relu7"}); }, {"relu7"});
  require_value_error([] { Conv2D(4, 3, {.kernel_initializer = "lecun"}); }, {"lecun"});
}

TEST_CASE("Conv2D has Keras's parameter count, weight names and HWIO layout", "[layers]") {
  Conv2D conv(8, {3, 5}, {.name = "c35"});
  conv(tl::Input({16, 16, 3}));
  CHECK(conv.count_params() == 3 * 5 * 3 * 8 + 8);
  const auto weights = conv.weights();
  REQUIRE(weights.size() == 2);
  CHECK(weights[0].name == "c35/kernel:0");
  CHECK(weights[0].keras_shape() == std::vector<int64_t>{3, 5, 3, 8});
  CHECK(weights[1].name == "c35/bias:0");

  Conv2D no_bias(8, 3, {.use_bias = false});
  no_bias(tl::Input({16, 16, 3}));
  CHECK(no_bias.count_params() == 3 * 3 * 3 * 8);
  CHECK(no_bias.weights().size() == 1);
}

TEST_CASE("Conv2D get/set_weights round-trips Keras's HWIO kernel onto torch's OIHW", "[layers]") {
  Conv2D conv(4, {3, 2});
  conv(tl::Input({8, 8, 5}));
  const auto hwio = torch::arange(3 * 2 * 5 * 4, torch::kFloat).reshape({3, 2, 5, 4});
  const auto bias = torch::arange(4, torch::kFloat);
  conv.set_weights({hwio, bias});
  CHECK(torch::equal(conv.get_weights()[0], hwio));
  CHECK(torch::equal(conv.get_weights()[1], bias));
  // The stored tensor is OIHW: element [o][i][h][w] is Keras's [h][w][i][o].
  CHECK(torch::equal(conv.weights()[0].value.detach(), hwio.permute({3, 2, 0, 1})));
  require_value_error([&] { conv.set_weights({hwio.reshape({2, 3, 5, 4}), bias}); }, {"(3, 2, 5, 4)", "(2, 3, 5, 4)"});
}

namespace {
/// Runs Conv2D eagerly on random NHWC data and compares with Keras's definition.
void check_conv_against_keras(int64_t height, int64_t width, Size2 kernel, Conv2DOptions options) {
  const int64_t in_channels = 3, filters = 4;
  Conv2D conv(filters, kernel, options);
  const auto x = torch::randn({2, height, width, in_channels});
  conv(tl::Input({height, width, in_channels}));
  conv.set_weights({torch::randn({kernel.h, kernel.w, in_channels, filters}), torch::randn({filters})});
  const auto expected = tl::test::layers_ref(
      "conv2d " + options.padding, {{"x", x}, {"kernel", conv.get_weights()[0]}, {"bias", conv.get_weights()[1]},
                                    {"strides", pair(options.strides.h, options.strides.w)},
                                    {"dilation", pair(options.dilation_rate.h, options.dilation_rate.w)}})["y"];
  const auto y = conv(x);
  REQUIRE(y.sizes() == expected.sizes());
  CHECK(tl::test::max_abs_diff(y, expected) < 1e-4);
}
}  // namespace

TEST_CASE("Conv2D computes what Keras computes, including TensorFlow's asymmetric 'same' padding", "[layers]") {
  torch::manual_seed(1);
  SECTION("valid") { check_conv_against_keras(7, 6, 3, {}); }
  SECTION("valid strided, rectangular kernel") { check_conv_against_keras(9, 8, {3, 2}, {.strides = {2, 3}}); }
  SECTION("same, stride 1, odd kernel (symmetric)") { check_conv_against_keras(6, 5, 3, {.padding = "same"}); }
  SECTION("same, stride 1, even kernel (odd pixel after)") { check_conv_against_keras(6, 5, 4, {.padding = "same"}); }
  SECTION("same, stride 2 (odd pixel after)") { check_conv_against_keras(8, 7, 3, {.strides = 2, .padding = "same"}); }
  SECTION("same, dilated") { check_conv_against_keras(7, 8, 3, {.padding = "same", .dilation_rate = {2, 3}}); }
}

TEST_CASE("Conv2D keeps channels_last memory and applies its activation", "[layers]") {
  Conv2D conv(6, 3, {.strides = 2, .padding = "same", .activation = "relu"});
  conv(tl::Input({9, 9, 4}));
  const auto x = torch::randn({2, 4, 9, 9}).contiguous(torch::MemoryFormat::ChannelsLast);
  const auto y = conv->forward_internal({x}, false);
  CHECK(y.sizes() == torch::IntArrayRef({2, 6, 5, 5}));
  CHECK(y.is_contiguous(torch::MemoryFormat::ChannelsLast));
  CHECK(y.min().item<float>() >= 0);
}

TEST_CASE("Conv2D gets Keras's default names", "[layers]") {
  tl::backend::clear_session();
  CHECK(Conv2D(1, 1).name() == "conv2d");
  CHECK(Conv2D(1, 1).name() == "conv2d_1");
  CHECK(Conv2D(1, 1)->class_name() == "Conv2D");
}
