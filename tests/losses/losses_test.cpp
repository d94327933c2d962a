// Losses against keras.backend's formulas (tests/python/keras_math_ref.py): clipping, logits, smoothing, weights.
#include "../keras_math.hpp"

#include <tl/losses/losses.hpp>

namespace {

using tl::test::NamedTensors;

torch::Tensor f64(std::vector<double> values, std::vector<int64_t> shape) {
  return torch::tensor(values, torch::kDouble).reshape(shape);
}

/// Compares per-sample and reduced values of `loss` with the oracle's `name`, in float64 and float32.
void check_against_keras(const tl::losses::Loss& loss, const std::string& name, const torch::Tensor& y_true,
                         const torch::Tensor& y_pred, const torch::Tensor& sample_weight = {},
                         const NamedTensors& options = {}) {
  NamedTensors in = options;
  in.emplace_back("y_true", y_true);
  in.emplace_back("y_pred", y_pred);
  if (sample_weight.defined()) in.emplace_back("sample_weight", sample_weight);
  const auto expected = tl::test::keras_math("loss " + name, in);
  INFO(name << " y_true " << y_true << " y_pred " << y_pred);
  CHECK(tl::test::max_abs_diff(loss.per_sample(y_true, y_pred), expected.at("per_sample")) < 1e-10);
  CHECK(tl::test::max_abs_diff(loss(y_true, y_pred, sample_weight), expected.at("loss")) < 1e-10);
  // float32 predictions too, except at the clipping edges, where float32's 1 - 1e-7 rounds differently.
  if (((y_pred < 1e-6) | (y_pred > 1 - 1e-6)).any().item<bool>()) return;
  CHECK(tl::test::max_abs_diff(loss(y_true, y_pred.to(torch::kFloat), sample_weight), expected.at("loss")) < 1e-5);
}

torch::Tensor loss_scalar(double v) { return torch::tensor(v, torch::kDouble); }

}  // namespace

TEST_CASE("binary_crossentropy matches Keras, with clipping at 0 and 1", "[losses]") {
  using tl::losses::BinaryCrossentropy;
  // The seed's setup: Dense(2, softmax) and one-hot labels; rows hit exactly 0 and 1.
  const auto one_hot = f64({1, 0, 0, 1, 1, 0, 0, 1}, {4, 2});
  const auto probabilities = f64({1.0, 0.0, 0.0, 1.0, 0.3, 0.7, 1e-9, 1 - 1e-9}, {4, 2});
  check_against_keras(BinaryCrossentropy(), "binary_crossentropy", one_hot, probabilities);
  check_against_keras(BinaryCrossentropy(), "binary_crossentropy", one_hot, probabilities, f64({1, 0.5, 2, 0}, {4}));
  check_against_keras(BinaryCrossentropy({.label_smoothing = 0.2}), "binary_crossentropy", one_hot, probabilities,
                      {}, {{"label_smoothing", loss_scalar(0.2)}});
  // One sigmoid unit and labels of shape (N,).
  check_against_keras(BinaryCrossentropy(), "binary_crossentropy", f64({1, 0, 1}, {3}), f64({0.9, 0.2, 0.0}, {3, 1}));
}

TEST_CASE("binary_crossentropy from logits is stable for large logits", "[losses]") {
  const tl::losses::BinaryCrossentropy loss({.from_logits = true, .label_smoothing = 0.1});
  const auto y_true = f64({1, 0, 0, 1, 1, 0}, {3, 2});
  const auto logits = f64({80, -80, 80, -80, 0.5, -2}, {3, 2});
  check_against_keras(loss, "binary_crossentropy", y_true, logits, {},
                      {{"from_logits", loss_scalar(1)}, {"label_smoothing", loss_scalar(0.1)}});
  auto x = logits.clone().requires_grad_();
  loss(y_true, x).backward();
  CHECK(torch::isfinite(x.grad()).all().item<bool>());
}

TEST_CASE("categorical_crossentropy matches Keras: normalized, clipped, smoothed, from logits", "[losses]") {
  using tl::losses::CategoricalCrossentropy;
  const auto y_true = f64({1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0}, {4, 3});
  const auto unnormalized = f64({2, 1, 1, 0, 0, 3, 0.2, 0.3, 0.5, 1, 0, 0}, {4, 3});
  check_against_keras(CategoricalCrossentropy(), "categorical_crossentropy", y_true, unnormalized);
  check_against_keras(CategoricalCrossentropy({.label_smoothing = 0.2}), "categorical_crossentropy", y_true,
                      unnormalized, f64({1, 2, 3, 4}, {4, 1}), {{"label_smoothing", loss_scalar(0.2)}});
  const auto logits = f64({100, -100, 3, 0, 0, 0, -5, 2, 1, 50, 49, -50}, {4, 3});
  check_against_keras(CategoricalCrossentropy({.from_logits = true}), "categorical_crossentropy", y_true, logits, {},
                      {{"from_logits", loss_scalar(1)}});
}

TEST_CASE("sparse_categorical_crossentropy takes float or int labels of shape (N,) or (N, 1)", "[losses]") {
  using tl::losses::SparseCategoricalCrossentropy;
  const auto probabilities = f64({0.7, 0.2, 0.1, 0.0, 1.0, 0.0, 0.2, 0.2, 0.3, 0.5, 0.5, 0.0}, {4, 3});
  const auto labels = f64({0, 1, 2, 2}, {4});
  check_against_keras(SparseCategoricalCrossentropy(), "sparse_categorical_crossentropy", labels, probabilities);
  check_against_keras(SparseCategoricalCrossentropy(), "sparse_categorical_crossentropy", labels.reshape({4, 1}),
                      probabilities, f64({1, 0, 2, 1}, {4}));
  const auto from_int = SparseCategoricalCrossentropy()(labels.to(torch::kInt64), probabilities);
  CHECK(from_int.item<double>() == Approx(SparseCategoricalCrossentropy()(labels, probabilities).item<double>()));
  check_against_keras(SparseCategoricalCrossentropy({.from_logits = true}), "sparse_categorical_crossentropy", labels,
                      f64({90, -90, 0, 1, 2, 3, 0, 0, 0, -1, 5, 2}, {4, 3}), {}, {{"from_logits", loss_scalar(1)}});
}

TEST_CASE("mean squared and absolute errors match Keras", "[losses]") {
  const auto y_true = f64({1, 2, 3, 4, 5, 6}, {3, 2});
  const auto y_pred = f64({1.5, 2, 2, 4, 7, 0}, {3, 2});
  check_against_keras(tl::losses::MeanSquaredError(), "mean_squared_error", y_true, y_pred, f64({1, 2, 0.5}, {3}));
  check_against_keras(tl::losses::MeanAbsoluteError(), "mean_absolute_error", y_true, y_pred);
  check_against_keras(tl::losses::MeanSquaredError(), "mean_squared_error", f64({1, 2, 3}, {3}), f64({0, 2, 5}, {3, 1}));
}

TEST_CASE("losses reject mismatched shapes and labels with a clear ValueError", "[losses]") {
  const auto y_pred = torch::full({4, 3}, 1.0 / 3);
  CHECK_THROWS_WITH(tl::losses::CategoricalCrossentropy()(torch::zeros({4, 2}), y_pred),
                    Catch::Contains("(4, 2)") && Catch::Contains("(4, 3)") && Catch::Contains("categorical_crossentropy"));
  CHECK_THROWS_AS(tl::losses::BinaryCrossentropy()(torch::zeros({5, 3}), y_pred), tl::ValueError);
  CHECK_THROWS_AS(tl::losses::MeanSquaredError()(torch::zeros({4}), y_pred), tl::ValueError);
  CHECK_THROWS_WITH(tl::losses::SparseCategoricalCrossentropy()(torch::tensor({0, 1, 3, 2}), y_pred),
                    Catch::Contains("label value of 3") && Catch::Contains("[0, 3)"));
  CHECK_THROWS_AS(tl::losses::SparseCategoricalCrossentropy()(torch::zeros({4, 3}), y_pred), tl::ValueError);
  CHECK_THROWS_AS(tl::losses::BinaryCrossentropy()(torch::zeros({4, 3}), y_pred, torch::ones({5})), tl::ValueError);
}

TEST_CASE("losses::get knows Keras's loss names", "[losses]") {
  const std::vector<std::pair<std::string, std::string>> names{
      {"binary_crossentropy", "binary_crossentropy"},
      {"BinaryCrossentropy", "binary_crossentropy"},
      {"categorical_crossentropy", "categorical_crossentropy"},
      {"sparse_categorical_crossentropy", "sparse_categorical_crossentropy"},
      {"mse", "mean_squared_error"},
      {"MSE", "mean_squared_error"},
      {"mean_squared_error", "mean_squared_error"},
      {"mae", "mean_absolute_error"},
      {"mean_absolute_error", "mean_absolute_error"}};
  for (const auto& [identifier, name] : names) CHECK(tl::losses::get(identifier)->name() == name);
  auto bce = std::dynamic_pointer_cast<tl::losses::BinaryCrossentropy>(tl::losses::get("binary_crossentropy"));
  REQUIRE(bce);
  CHECK_FALSE(bce->options().from_logits);
  CHECK(bce->options().label_smoothing == 0.0);
  CHECK_THROWS_WITH(tl::losses::get("hinge_loss"),
                    Catch::Contains("'hinge_loss'") && Catch::Contains("binary_crossentropy"));
}
