// Pooling, global pooling and zero padding: Keras's shapes and errors, numerics against Keras's definitions.
#include "layers_ref.hpp"

using namespace tl::layers;
using tl::None;
using tl::test::pair;
using tl::test::require_value_error;

TEST_CASE("MaxPooling2D and AveragePooling2D infer Keras's output shapes", "[layers]") {
  CHECK(MaxPooling2D()(tl::Input({7, 8, 3})).shape() == tl::Shape{None, 3, 4, 3});
  CHECK(MaxPooling2D({.padding = "same"})(tl::Input({7, 8, 3})).shape() == tl::Shape{None, 4, 4, 3});
  CHECK(AveragePooling2D({.pool_size = 3, .strides = 1})(tl::Input({7, 8, 3})).shape() == tl::Shape{None, 5, 6, 3});
  CHECK(MaxPooling2D({.pool_size = 3, .strides = 2, .padding = "same"})(tl::Input({112, 112, 64})).shape() ==
        tl::Shape{None, 56, 56, 64});
  CHECK(AveragePooling2D({.pool_size = {2, 1}})(tl::Input({None, 5, 2})).shape() == tl::Shape{None, None, 5, 2});
}

TEST_CASE("Pooling errors name the layer, the argument and the shapes", "[layers]") {
  require_value_error([] { MaxPooling2D({.pool_size = 3, .name = "p"})(tl::Input({2, 8, 3})); },
                      {"\"p\"", "(None, 2, 8, 3)"});
  require_value_error([] { AveragePooling2D({.name = "p"})(tl::Input({8, 3})); }, {"\"p\"", "ndim=4", "(None, 8, 3)"});
  require_value_error([] { MaxPooling2D({.padding = "causal", .name = "p"}); }, {"\"p\"", "padding", "causal"});
  require_value_error([] { MaxPooling2D({.pool_size = 0, .name = "p"}); }, {"\"p\"", "pool_size"});
  require_value_error([] { AveragePooling2D({.strides = {1, -2}, .name = "p"}); }, {"\"p\"", "strides"});
}

namespace {
/// Runs a pooling layer eagerly on random negative NHWC data (so zero padding would show) against Keras's.
void check_pool_against_keras(const std::string& kind, int64_t height, int64_t width, Pooling2DOptions options) {
  const auto x = torch::rand({2, height, width, 3}) - 2;
  const std::shared_ptr<Pooling2DImpl> layer =
      kind == "max" ? std::shared_ptr<Pooling2DImpl>(MaxPooling2D(options).ptr()) : AveragePooling2D(options).ptr();
  const auto& o = layer->options();  // strides resolved to pool_size when not given
  const auto expected = tl::test::layers_ref("pool " + kind + " " + options.padding,
                                             {{"x", x}, {"pool_size", pair(o.pool_size.h, o.pool_size.w)},
                                              {"strides", pair(o.strides.h, o.strides.w)}})["y"];
  const auto y = layer->call(x);
  REQUIRE(y.sizes() == expected.sizes());
  CHECK(tl::test::max_abs_diff(y, expected) < 1e-5);
}
}  // namespace

TEST_CASE("Pooling computes what Keras computes, including TensorFlow's 'same' padding", "[layers]") {
  torch::manual_seed(5);
  for (const std::string kind : {"max", "avg"}) {
    DYNAMIC_SECTION(kind) {
      check_pool_against_keras(kind, 7, 6, {});
      check_pool_against_keras(kind, 7, 8, {.pool_size = 3, .strides = {2, 1}});
      check_pool_against_keras(kind, 7, 6, {.padding = "same"});                              // odd pixel after
      check_pool_against_keras(kind, 8, 9, {.pool_size = 3, .strides = 2, .padding = "same"});  // both kinds
      check_pool_against_keras(kind, 6, 5, {.pool_size = 3, .strides = 1, .padding = "same"});  // symmetric
    }
  }
}

TEST_CASE("Pooling keeps channels_last memory, also with asymmetric padding", "[layers]") {
  const auto x = torch::randn({2, 4, 7, 7}).contiguous(torch::MemoryFormat::ChannelsLast);
  const auto cl = torch::MemoryFormat::ChannelsLast;
  CHECK(MaxPooling2D({.padding = "same"})->forward_internal({x}, false).is_contiguous(cl));
  CHECK(AveragePooling2D({.padding = "same"})->forward_internal({x}, false).is_contiguous(cl));
  CHECK(AveragePooling2D({.pool_size = 3, .strides = 1, .padding = "same"})->forward_internal({x}, false).is_contiguous(cl));
}

TEST_CASE("Global pooling reduces H and W per channel, as Keras's mean/max over axes 1 and 2", "[layers]") {
  CHECK(GlobalAveragePooling2D()(tl::Input({None, None, 5})).shape() == tl::Shape{None, 5});
  CHECK(GlobalMaxPooling2D({.keepdims = true})(tl::Input({7, 7, 5})).shape() == tl::Shape{None, 1, 1, 5});
  require_value_error([] { GlobalAveragePooling2D({.name = "g"})(tl::Input({5})); }, {"\"g\"", "ndim=4", "(None, 5)"});

  const auto x = torch::randn({2, 4, 3, 5});
  CHECK(tl::test::max_abs_diff(GlobalAveragePooling2D()(x), x.mean({1, 2})) < 1e-6);
  CHECK(torch::equal(GlobalMaxPooling2D()(x), std::get<0>(x.reshape({2, 12, 5}).max(1))));
  const auto kept = GlobalAveragePooling2D({.keepdims = true})(x);
  CHECK(kept.sizes() == torch::IntArrayRef({2, 1, 1, 5}));
  CHECK(tl::test::max_abs_diff(kept.flatten(1), x.mean({1, 2})) < 1e-6);
}

TEST_CASE("ZeroPadding2D takes Keras's three padding forms", "[layers]") {
  CHECK(ZeroPadding2D()(tl::Input({4, 5, 2})).shape() == tl::Shape{None, 6, 7, 2});
  CHECK(ZeroPadding2D(3)(tl::Input({4, None, 2})).shape() == tl::Shape{None, 10, None, 2});
  CHECK(ZeroPadding2D({1, 2})(tl::Input({4, 5, 2})).shape() == tl::Shape{None, 6, 9, 2});
  CHECK(ZeroPadding2D({{1, 2}, {3, 0}})(tl::Input({4, 5, 2})).shape() == tl::Shape{None, 7, 8, 2});
  require_value_error([] { ZeroPadding2D({{1, -2}, {3, 0}}, {.name = "z"}); }, {"\"z\"", "((1, -2), (3, 0))"});
  require_value_error([] { ZeroPadding2D(1, {.name = "z"})(tl::Input({4, 2})); }, {"\"z\"", "ndim=4"});

  const auto x = torch::randn({2, 3, 4, 2});
  const auto expected = tl::test::layers_ref("zero_padding", {{"x", x}, {"padding", torch::tensor({1, 2, 3, 0})}});
  CHECK(torch::allclose(ZeroPadding2D({{1, 2}, {3, 0}})(x), expected.at("y").to(torch::kFloat)));
}

TEST_CASE("Pooling and padding layers get Keras's default names", "[layers]") {
  tl::backend::clear_session();
  CHECK(MaxPooling2D().name() == "max_pooling2d");
  CHECK(AveragePooling2D().name() == "average_pooling2d");
  CHECK(GlobalAveragePooling2D().name() == "global_average_pooling2d");
  CHECK(GlobalMaxPooling2D().name() == "global_max_pooling2d");
  CHECK(ZeroPadding2D().name() == "zero_padding2d");
  CHECK(ZeroPadding2D().name() == "zero_padding2d_1");
}
