// BatchNormalization folded into the preceding Conv2D inside a model's execution: the same numbers as the two
// layers run one after the other, re-folded when weights change, and never folded where it would be wrong.
#include "../support.hpp"

using namespace tl;

namespace {

/// Random but well-conditioned statistics and affine weights for a BatchNormalization layer.
void randomize(const layers::BatchNormalization& bn) {
  std::vector<torch::Tensor> values;
  for (const auto& w : bn.weights()) {
    const bool variance = w.name.find("moving_variance") != std::string::npos;
    values.push_back(variance ? torch::rand(w.keras_shape()) + 0.5 : torch::randn(w.keras_shape()));
  }
  bn.set_weights(values);
}

/// conv -> bn -> relu -> strided 'same' conv (no bias) -> bn (no beta): the model and its layers.
struct Net {
  layers::Conv2D c1{6, 3, {.padding = "same"}};
  layers::BatchNormalization b1{{.epsilon = 1.001e-5}};
  layers::Conv2D c2{5, 3, {.strides = 2, .padding = "same", .use_bias = false}};
  layers::BatchNormalization b2{{.axis = 3, .center = false}};
  Model model;

  Net() : model(make()) {
    randomize(b1);
    randomize(b2);
  }
  Model make() {
    auto in = Input({9, 9, 3});
    auto x = layers::Activation("relu")(b1(c1(in)));
    return Model(in, b2(c2(x)), "folded");
  }
  /// The unfolded path: each layer on its own.
  torch::Tensor layer_by_layer(const torch::Tensor& x, bool training = false) const {
    auto y = torch::relu(b1(c1(x, training), training));
    return b2(c2(y, training), training);
  }
  torch::Tensor run(const torch::Tensor& x, bool training) const {
    return layers::LayerImpl::to_keras_layout(model->forward_internal({layers::LayerImpl::to_internal_layout(x)}, training));
  }
};

double fold_relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max()).item<double>();
}

}  // namespace

TEST_CASE("Inference folds BatchNormalization into the Conv2D before it, matching the unfolded layers", "[models]") {
  torch::manual_seed(0);
  Net net;
  const auto x = torch::randn({4, 9, 9, 3}) * 3;
  const auto expected = net.layer_by_layer(x);
  const auto folded = net.model.predict_on_batch(x);
  CHECK(fold_relative_error(folded, expected) < 1e-4);
  CHECK_FALSE(torch::equal(folded, expected));  // it did run folded: one rounding less than the two-step path
  CHECK(fold_relative_error(net.model.predict(x, {.batch_size = 2, .verbose = 0}), expected) < 1e-4);
}

TEST_CASE("A changed weight is re-folded", "[models]") {
  torch::manual_seed(1);
  Net net;
  const auto x = torch::randn({2, 9, 9, 3});
  net.model.predict_on_batch(x);  // folds
  randomize(net.b2);              // set_weights copies in place: new versions of the same tensors
  net.c1.set_weights({torch::randn({3, 3, 3, 6}), torch::randn({6})});
  CHECK(fold_relative_error(net.model.predict_on_batch(x), net.layer_by_layer(x)) < 1e-4);
  {
    torch::NoGradGuard no_grad;  // an optimizer's in-place update
    net.b1.weights()[0].value.mul_(2);
  }
  CHECK(fold_relative_error(net.model.predict_on_batch(x), net.layer_by_layer(x)) < 1e-4);
}

TEST_CASE("Frozen in training, the pair runs folded; trainable, it does not", "[models]") {
  torch::manual_seed(2);
  Net net;
  const auto x = torch::randn({4, 9, 9, 3});
  net.model.trainable(false);
  CHECK(fold_relative_error(net.run(x, true), net.layer_by_layer(x, true)) < 1e-4);

  // Trainable again: BatchNormalization normalizes with the batch's statistics and the conv gets gradients.
  net.model.trainable(true);
  const auto moving_mean = net.b1.weights()[2].value.clone();
  auto reference = Net();
  for (size_t i = 0; i < net.model.layers().size(); ++i)
    reference.model.layers()[i]->set_weights(net.model.layers()[i]->get_weights());
  const auto y = net.run(x, true);
  CHECK(fold_relative_error(y, reference.layer_by_layer(x, true)) < 1e-4);
  CHECK_FALSE(torch::allclose(net.b1.weights()[2].value, moving_mean));  // the moving statistics moved
  y.sum().backward();
  const auto kernel = net.c1.weights()[0].value;
  REQUIRE(kernel.grad().defined());
  CHECK(kernel.grad().abs().sum().item<double>() > 0);
}

TEST_CASE("A frozen BatchNormalization after a trainable Conv2D still passes gradients to the kernel", "[models]") {
  torch::manual_seed(3);
  Net net;
  net.b1.trainable(false);
  net.b2.trainable(false);
  const auto x = torch::randn({2, 9, 9, 3});
  const auto y = net.run(x, true);
  CHECK(fold_relative_error(y, net.layer_by_layer(x, true)) < 1e-4);
  y.sum().backward();
  REQUIRE(net.c2.weights()[0].value.grad().defined());
  CHECK(net.c2.weights()[0].value.grad().abs().sum().item<double>() > 0);
}

TEST_CASE("A Conv2D with its own activation, or read by two layers, is not folded", "[models]") {
  torch::manual_seed(4);
  auto in = Input({6, 6, 2});
  layers::Conv2D relu_conv(3, 3, {.activation = "relu"});
  layers::BatchNormalization bn1;
  layers::Conv2D shared_conv(3, 1);
  layers::BatchNormalization bn2;
  auto a = bn1(relu_conv(in));
  auto c = shared_conv(a);
  Model model(in, layers::Add()({bn2(c), c}));
  randomize(bn1);
  randomize(bn2);
  const auto x = torch::randn({2, 6, 6, 2});
  const auto h = shared_conv(bn1(relu_conv(x)));
  CHECK(fold_relative_error(model.predict_on_batch(x), bn2(h) + h) < 1e-5);
}
