// Metrics: tf.keras's "accuracy" resolution for every shape case, accumulated values against Keras's formulas.
#include "../keras_math.hpp"

#include <tl/metrics/metrics.hpp>

namespace {

using tl::test::NamedTensors;

/// Which accuracy class `get(name)` built: 0 binary, 1 sparse categorical, 2 categorical (the oracle's codes).
int kind_of(const tl::metrics::Metric& metric) {
  if (dynamic_cast<const tl::metrics::BinaryAccuracy*>(&metric)) return 0;
  if (dynamic_cast<const tl::metrics::SparseCategoricalAccuracy*>(&metric)) return 1;
  if (dynamic_cast<const tl::metrics::CategoricalAccuracy*>(&metric)) return 2;
  return -1;
}

/// Two batches through `metric` and through the oracle's `name`; compares the accumulated result.
void check_against_keras(tl::metrics::Metric& metric, const std::string& name, const torch::Tensor& y_true,
                         const torch::Tensor& y_pred, const torch::Tensor& sample_weight = {}) {
  NamedTensors in;
  const int64_t half = y_pred.size(0) / 2;
  for (int64_t b = 0; b < 2; ++b) {
    const auto rows = torch::indexing::Slice(b * half, (b + 1) * half);
    const auto prefix = "batch/" + std::to_string(b) + "/";
    in.emplace_back(prefix + "y_true", y_true.index({rows}));
    in.emplace_back(prefix + "y_pred", y_pred.index({rows}));
    if (sample_weight.defined()) in.emplace_back(prefix + "sample_weight", sample_weight.index({rows}));
    metric.update_state(y_true.index({rows}), y_pred.index({rows}),
                        sample_weight.defined() ? sample_weight.index({rows}) : torch::Tensor());
  }
  INFO(name);
  CHECK(metric.result() == Approx(tl::test::keras_math("metric " + name, in).at("result").item<double>()).margin(1e-6));
}

}  // namespace

TEST_CASE("metrics::get resolves \"accuracy\" exactly as tf.keras's compile does", "[metrics]") {
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> cases{
      {{4, 1}, {4, 1}}, {{4}, {4, 1}},    {{4}, {4, 3}},          {{4, 1}, {4, 3}},    {{4, 3}, {4, 3}},
      {{4, 2}, {4, 2}}, {{4, 1}, {4, 2}}, {{4, 5, 3}, {4, 5, 3}}, {{4, 5}, {4, 5, 3}}, {{4, 5, 1}, {4, 5, 3}},
      {{4, 2}, {4, 1}}, {{4, 3}, {4, 2}}};
  NamedTensors in;
  for (size_t c = 0; c < cases.size(); ++c) {
    in.emplace_back("case/" + std::to_string(c) + "/y_true", torch::zeros(cases[c].first));
    in.emplace_back("case/" + std::to_string(c) + "/y_pred", torch::zeros(cases[c].second));
  }
  const auto expected = tl::test::keras_math("accuracy_kind", in);
  for (size_t c = 0; c < cases.size(); ++c)
    for (const std::string name : {"accuracy", "acc", "Accuracy", "ACC"}) {
      const auto metric = tl::metrics::get(name, torch::zeros(cases[c].first), torch::zeros(cases[c].second));
      INFO("case " << c << " " << name);
      CHECK(kind_of(*metric) == expected.at("case/" + std::to_string(c)).item<int>());
      CHECK(metric->name() == name);
    }
}

TEST_CASE("metrics::get knows Keras's metric names", "[metrics]") {
  const auto y = torch::zeros({4, 3});
  CHECK(kind_of(*tl::metrics::get("binary_accuracy", y, y)) == 0);
  CHECK(kind_of(*tl::metrics::get("sparse_categorical_accuracy", y, y)) == 1);
  CHECK(kind_of(*tl::metrics::get("categorical_accuracy", y, y)) == 2);
  CHECK(tl::metrics::get("categorical_accuracy", y, y)->name() == "categorical_accuracy");
  CHECK(tl::metrics::get("BinaryAccuracy", y, y)->name() == "binary_accuracy");
  CHECK(tl::metrics::get("mse", y, y)->name() == "mse");
  CHECK(tl::metrics::get("MeanSquaredError", y, y)->name() == "mean_squared_error");
  CHECK(tl::metrics::get("ce", y, y)->name() == "ce");
  CHECK_THROWS_WITH(tl::metrics::get("precision_at_7", y, y),
                    Catch::Contains("'precision_at_7'") && Catch::Contains("binary_accuracy"));
  CHECK(tl::metrics::BinaryAccuracyOptions{}.threshold == 0.5);
}

TEST_CASE("accuracies accumulate as Keras's, with and without sample weights", "[metrics]") {
  torch::manual_seed(3);
  const auto probabilities = torch::softmax(torch::randn({8, 3}), -1);
  const auto classes = torch::randint(0, 3, {8});
  const auto one_hot = torch::one_hot(classes, 3).to(torch::kFloat);
  const auto weights = torch::rand({8});
  for (const auto& w : {torch::Tensor(), weights}) {
    tl::metrics::CategoricalAccuracy categorical;
    check_against_keras(categorical, "categorical_accuracy", one_hot, probabilities, w);
    tl::metrics::SparseCategoricalAccuracy sparse;
    check_against_keras(sparse, "sparse_categorical_accuracy", classes.to(torch::kFloat), probabilities, w);
    tl::metrics::SparseCategoricalAccuracy sparse_column;
    check_against_keras(sparse_column, "sparse_categorical_accuracy", classes.reshape({8, 1}), probabilities, w);
    const auto sigmoid = torch::rand({8, 1});
    tl::metrics::BinaryAccuracy binary;
    check_against_keras(binary, "binary_accuracy", (classes > 0).to(torch::kFloat), sigmoid, w);
    auto binary_two = tl::metrics::get("acc", one_hot.index({torch::indexing::Slice(), torch::indexing::Slice(0, 2)}),
                                       probabilities.index({torch::indexing::Slice(), torch::indexing::Slice(0, 2)}));
    check_against_keras(*binary_two, "categorical_accuracy", one_hot.narrow(1, 0, 2), probabilities.narrow(1, 0, 2), w);
    auto mse = tl::metrics::get("mse", one_hot, probabilities);
    check_against_keras(*mse, "mean_squared_error", one_hot, probabilities, w);
  }
}

TEST_CASE("Mean is a weighted mean; reset starts over", "[metrics]") {
  tl::metrics::Mean loss("loss");
  CHECK(loss.result() == 0.0);
  loss.update(2.0, 3);
  loss.update(4.0, 1);
  CHECK(loss.result() == Approx(2.5));
  loss.update_state(torch::tensor({1.0, 3.0}), torch::tensor({1.0, 0.0}));
  CHECK(loss.result() == Approx((6.0 + 4.0 + 1.0) / 5.0));
  loss.reset_state();
  CHECK(loss.result() == 0.0);
  loss.update_state(torch::tensor({1.0, 2.0, 6.0}));
  CHECK(loss.result() == Approx(3.0));
  CHECK(loss.name() == "loss");
  tl::metrics::Metric& as_metric = loss;
  CHECK_THROWS_AS(as_metric.update_state(torch::ones({2}), torch::ones({2})), tl::ValueError);
  CHECK_THROWS_AS(loss.update_state(torch::ones({2, 3}), torch::ones({4})), tl::ValueError);
}
