// Activation, Add, Flatten, Dropout, Rescaling: Keras's shapes, errors, semantics and default names.
#include "layers_ref.hpp"

using namespace tl::layers;
using tl::None;
using tl::test::require_value_error;

TEST_CASE("Activation applies the named function on Keras's last axis", "[layers]") {
  const auto x = torch::randn({2, 3, 4, 5});
  CHECK(torch::equal(Activation("relu")(x), x.clamp_min(0)));
  const auto soft = Activation("softmax")(x);
  CHECK(tl::test::max_abs_diff(soft.sum(-1), torch::ones({2, 3, 4})) < 1e-6);
  CHECK(tl::test::max_abs_diff(soft, x.exp() / x.exp().sum(-1, true)) < 1e-6);
  CHECK(Activation("sigmoid")(tl::Input({None, 7})).shape() == tl::Shape{None, None, 7});
  require_value_error([] { Activation("relu7", {.name = "act"}); }, {"\"act\"", "relu7"});
}

TEST_CASE("Add checks shapes as Keras does and sums", "[layers]") {
  const auto a = tl::Input({4, 4, 3}), b = tl::Input({None, 4, 3});
  CHECK(Add()({a, a}).shape() == tl::Shape{None, 4, 4, 3});
  CHECK(Add()({a, b, a}).shape() == tl::Shape{None, None, 4, 3});
  CHECK(Add()({tl::Input({4, 1, 3}), a}).shape() == tl::Shape{None, 4, 4, 3});
  // Keras 2.11's messages print the shapes without the batch dimension; a lower rank lines up at the end.
  require_value_error([&] { Add({.name = "plus"})({a, tl::Input({4, 4, 5})}); },
                      {"\"plus\"", "incompatible shapes", "(4, 4, 3)", "(4, 4, 5)"});
  require_value_error([&] { Add({.name = "plus"})({a, tl::Input({16, 3})}); }, {"\"plus\"", "(16, 3)"});
  CHECK(Add()({a, tl::Input({4, 3})}).shape() == tl::Shape{None, 4, 4, 3});
  CHECK(Add()({a}).shape() == a.shape());  // Keras 2.11 merges a list of at least 1 input
  require_value_error([&] { Add({.name = "plus"})(std::vector<tl::KerasTensor>{}); }, {"\"plus\"", "at least 1"});

  const auto x = torch::randn({2, 4, 4, 3}), y = torch::randn({2, 4, 4, 3});
  CHECK(torch::equal(Add()({x, y}), x + y));
}

TEST_CASE("Flatten flattens in Keras's H, W, C order so a following Dense matches Keras", "[layers]") {
  CHECK(Flatten()(tl::Input({2, 3, 4})).shape() == tl::Shape{None, 24});
  CHECK(Flatten()(tl::Input({None, 3, 4})).shape() == tl::Shape{None, None});
  CHECK(Flatten()(tl::Input({5})).shape() == tl::Shape{None, 5});

  torch::manual_seed(6);
  const auto inputs = tl::Input({3, 4, 2});
  Flatten flatten;
  Dense dense(5);
  dense(flatten(inputs));
  const auto x = torch::randn({2, 3, 4, 2});
  const auto w = dense.get_weights();
  const auto expected = tl::test::layers_ref("flatten_dense", {{"x", x}, {"kernel", w[0]}, {"bias", w[1]}})["y"];
  CHECK(tl::test::max_abs_diff(dense(flatten(x)), expected) < 1e-5);
  // Internally images are NCHW: flattening them must still give the NHWC order.
  const auto internal = LayerImpl::to_internal_layout(x).contiguous(torch::MemoryFormat::ChannelsLast);
  CHECK(torch::equal(flatten->forward_internal({internal}, false), x.reshape({2, -1})));
  CHECK(torch::equal(flatten->forward_internal({internal.contiguous()}, false), x.reshape({2, -1})));
}

TEST_CASE("Dropout drops only while training, scaling survivors by 1 / (1 - rate)", "[layers]") {
  const auto x = torch::ones({4, 50, 50});
  Dropout dropout(0.3);
  CHECK(dropout(tl::Input({7, 3})).shape() == tl::Shape{None, 7, 3});
  CHECK(torch::equal(dropout(x, false), x));
  const auto y = dropout(x, true);
  const double dropped = (y == 0).to(torch::kDouble).mean().item<double>();
  CHECK(dropped == Approx(0.3).margin(0.03));
  CHECK(tl::test::max_abs_diff(y.masked_select(y != 0), torch::full({1}, 1 / 0.7)) < 1e-6);

  CHECK(torch::equal(Dropout(0.5, {.seed = 7})(x, true), Dropout(0.5, {.seed = 7})(x, true)));
  CHECK(torch::equal(Dropout(0)(x, true), x));
  require_value_error([] { Dropout(1.0, {.name = "d"}); }, {"\"d\"", "rate", "[0, 1)"});
  require_value_error([] { Dropout(-0.1, {.name = "d"}); }, {"\"d\"", "rate"});
}

TEST_CASE("Rescaling computes x * scale + offset", "[layers]") {
  const auto x = torch::arange(12, torch::kFloat).reshape({1, 2, 2, 3});
  CHECK(torch::allclose(Rescaling(1.0 / 127.5, {.offset = -1})(x), x / 127.5 - 1));
  CHECK(torch::allclose(Rescaling(0.5)(x), x * 0.5));
  CHECK(Rescaling(2)(tl::Input({None, 3})).shape() == tl::Shape{None, None, 3});
}

TEST_CASE("Core layers get Keras's default names", "[layers]") {
  tl::backend::clear_session();
  CHECK(Activation("relu").name() == "activation");
  CHECK(Add().name() == "add");
  CHECK(Add().name() == "add_1");
  CHECK(Flatten().name() == "flatten");
  CHECK(Dropout(0.1).name() == "dropout");
  CHECK(Rescaling(1).name() == "rescaling");
  CHECK(Rescaling(1)->class_name() == "Rescaling");
}
