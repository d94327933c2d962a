// BatchNormalization: Keras's weights and counts, numerics and moving averages, and TF2's frozen-layer rule.
#include "layers_ref.hpp"

using namespace tl::layers;
using tl::None;
using tl::test::require_value_error;

namespace {
/// A built BN over `channels` features with random statistics and affine weights.
BatchNormalization random_bn(int64_t channels, BatchNormalizationOptions options = {}) {
  BatchNormalization bn(options);
  bn(tl::Input({None, None, channels}));
  bn.set_weights({torch::rand({channels}) + 0.5, torch::randn({channels}), torch::randn({channels}),
                  torch::rand({channels}) + 0.5});
  return bn;
}

/// Keras's reference for the given layer state and input.
std::map<std::string, torch::Tensor> keras_bn(const BatchNormalization& bn, const torch::Tensor& x, bool training) {
  const auto w = bn.get_weights();
  const auto& o = bn->options();
  return tl::test::layers_ref("batch_norm", {{"x", x}, {"gamma", w[0]}, {"beta", w[1]}, {"moving_mean", w[2]},
                                             {"moving_variance", w[3]}, {"epsilon", torch::tensor(o.epsilon)},
                                             {"momentum", torch::tensor(o.momentum)},
                                             {"training", torch::tensor(training ? 1.0 : 0.0)}});
}
}  // namespace

TEST_CASE("BatchNormalization keeps the shape and counts 4*C params, 2*C non-trainable", "[layers]") {
  BatchNormalization bn({.name = "bn"});
  CHECK(bn(tl::Input({None, 7, 5})).shape() == tl::Shape{None, None, 7, 5});
  CHECK(bn.count_params() == 4 * 5);
  CHECK(bn->trainable_weights().size() == 2);
  CHECK(tl::count_params(bn->non_trainable_weights()) == 2 * 5);
  std::vector<std::string> names;
  for (const auto& w : bn.weights()) names.push_back(w.name);
  CHECK(names == std::vector<std::string>{"bn/gamma:0", "bn/beta:0", "bn/moving_mean:0", "bn/moving_variance:0"});

  BatchNormalization plain({.center = false, .scale = false});
  plain(tl::Input({4}));
  CHECK(plain.count_params() == 2 * 4);
  CHECK(plain->trainable_weights().empty());
}

TEST_CASE("BatchNormalization errors name the layer and the shape", "[layers]") {
  require_value_error([] { BatchNormalization({.name = "b"})(tl::Input({4, 4, None})); }, {"\"b\"", "(None, 4, 4, None)"});
  BatchNormalization bn({.name = "b3"});
  bn(tl::Input({4, 4, 3}));
  require_value_error([&] { bn(tl::Input({4, 4, 2})); }, {"b3", "value 3", "(None, 4, 4, 2)"});
  require_value_error([] { BatchNormalization({.axis = 5, .name = "b"})(tl::Input({4, 4, 2})); }, {"\"b\"", "axis 5"});
  require_value_error([] { BatchNormalization({.axis = 0, .name = "b"}); }, {"\"b\"", "axis 0"});
  require_value_error([] { BatchNormalization({.momentum = 1.5, .name = "b"}); }, {"\"b\"", "momentum"});
  require_value_error([] { BatchNormalization({.epsilon = 0, .name = "b"}); }, {"\"b\"", "epsilon"});
}

TEST_CASE("BatchNormalization in inference normalizes with the moving statistics as Keras does", "[layers]") {
  torch::manual_seed(2);
  auto bn = random_bn(3, {.epsilon = 1.001e-5});
  const auto x = torch::randn({2, 4, 5, 3});
  const auto expected = keras_bn(bn, x, false)["y"];
  CHECK(tl::test::max_abs_diff(bn(x, false), expected) < 1e-5);
  // Rank 2 (after a Dense): the feature axis is the last one as well.
  auto dense_bn = random_bn(6);
  const auto v = torch::randn({5, 6});
  CHECK(tl::test::max_abs_diff(dense_bn(v, false), keras_bn(dense_bn, v, false)["y"]) < 1e-5);
}

TEST_CASE("Trainable BatchNormalization in training uses batch statistics and Keras's momentum rule", "[layers]") {
  torch::manual_seed(3);
  auto bn = random_bn(3, {.momentum = 0.9});
  const auto x = torch::randn({4, 3, 5, 3}) * 2 + 1;
  const auto expected = keras_bn(bn, x, true);
  const auto y = bn(x, true);
  CHECK(tl::test::max_abs_diff(y, expected.at("y")) < 1e-5);
  // moving_mean = moving_mean * momentum + batch_mean * (1 - momentum), exactly as Keras updates it.
  CHECK(tl::test::max_abs_diff(bn.get_weights()[2], expected.at("moving_mean")) < 1e-6);
  CHECK(tl::test::max_abs_diff(bn.get_weights()[3], expected.at("moving_variance")) < 1e-5);
}

TEST_CASE("A frozen BatchNormalization runs in inference mode even when training (TF2 rule)", "[layers]") {
  torch::manual_seed(4);
  auto bn = random_bn(3);
  bn.trainable(false);
  CHECK(bn->trainable_weights().empty());
  CHECK(tl::count_params(bn->non_trainable_weights()) == 4 * 3);
  const auto before = bn.get_weights();
  const auto x = torch::randn({4, 3, 5, 3}) * 3 - 2;
  const auto y = bn(x, true);
  const auto after = bn.get_weights();
  for (size_t i = 0; i < before.size(); ++i) CHECK(torch::equal(before[i], after[i]));
  CHECK(tl::test::max_abs_diff(y, keras_bn(bn, x, false)["y"]) < 1e-5);
  bn.trainable(true);
  bn(x, true);
  CHECK_FALSE(torch::equal(bn.get_weights()[2], before[2]));
}

TEST_CASE("BatchNormalization keeps channels_last memory", "[layers]") {
  auto bn = random_bn(4);
  const auto x = torch::randn({2, 4, 6, 6}).contiguous(torch::MemoryFormat::ChannelsLast);
  CHECK(bn->forward_internal({x}, true).is_contiguous(torch::MemoryFormat::ChannelsLast));
  CHECK(bn->forward_internal({x}, false).is_contiguous(torch::MemoryFormat::ChannelsLast));
}

TEST_CASE("BatchNormalization gets Keras's default names", "[layers]") {
  tl::backend::clear_session();
  CHECK(BatchNormalization().name() == "batch_normalization");
  CHECK(BatchNormalization().name() == "batch_normalization_1");
}
