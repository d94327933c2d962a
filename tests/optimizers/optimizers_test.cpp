// Optimizers against Keras's update rules (tests/python/keras_math_ref.py), defaults, `get`, state and Spec.
#include "../keras_math.hpp"

#include <tl/core/spec.hpp>
#include <tl/optimizers/optimizers.hpp>

namespace {

using tl::test::NamedTensors;

/// Three parameters and five steps of gradients; parameter 1 has no gradient at step 3 (Keras skips it).
struct Problem {
  std::vector<torch::Tensor> params;
  std::vector<std::vector<torch::Tensor>> grads;  // [step][param], undefined = no gradient
  static constexpr int steps = 5;

  Problem() {
    torch::manual_seed(7);
    for (auto shape : {std::vector<int64_t>{3, 4}, {5}, {2, 2, 3}}) params.push_back(torch::randn(shape).requires_grad_());
    for (int t = 1; t <= steps; ++t) {
      grads.emplace_back();
      for (size_t i = 0; i < params.size(); ++i)
        grads.back().push_back(t == 3 && i == 1 ? torch::Tensor() : torch::randn(params[i].sizes()) * (0.5 * t));
    }
  }
  NamedTensors oracle_inputs(const NamedTensors& hyper) const {
    NamedTensors in = hyper;
    in.emplace_back("steps", torch::tensor(double(steps)));
    for (size_t i = 0; i < params.size(); ++i) in.emplace_back("param/" + std::to_string(i), params[i]);
    for (int t = 1; t <= steps; ++t)
      for (size_t i = 0; i < params.size(); ++i)
        if (grads[t - 1][i].defined())
          in.emplace_back("grad/" + std::to_string(t) + "/" + std::to_string(i), grads[t - 1][i]);
    return in;
  }
  void step(tl::optimizers::Optimizer& optimizer, int t) {
    for (size_t i = 0; i < params.size(); ++i) params[i].mutable_grad() = grads[t - 1][i];
    optimizer.apply_gradients(params);
  }
};

torch::Tensor scalar(double v) { return torch::tensor(v, torch::kDouble); }

/// Runs `optimizer` and the oracle for `kind` on the same problem and compares parameters and slots.
void check_against_keras(tl::optimizers::Optimizer& optimizer, const std::string& kind, const NamedTensors& hyper) {
  Problem problem;
  const auto expected = tl::test::keras_math(kind, problem.oracle_inputs(hyper));
  for (int t = 1; t <= Problem::steps; ++t) problem.step(optimizer, t);
  CHECK(optimizer.iterations() == Problem::steps);
  for (size_t i = 0; i < problem.params.size(); ++i) {
    INFO(kind << " parameter " << i);
    CHECK(tl::test::max_abs_diff(problem.params[i], expected.at("param/" + std::to_string(i))) < 1e-6);
  }
  for (const auto& [name, value] : optimizer.get_state()) {
    if (name == "iter") continue;
    INFO(kind << " slot " << name);
    CHECK(tl::test::max_abs_diff(value, expected.at(name)) < 1e-6);
  }
}

}  // namespace

TEST_CASE("Adam follows Keras's update rule", "[optimizers]") {
  using tl::optimizers::Adam;
  auto hyper = [](const tl::optimizers::AdamOptions& o) {
    return NamedTensors{{"learning_rate", scalar(o.learning_rate)}, {"beta_1", scalar(o.beta_1)},
                        {"beta_2", scalar(o.beta_2)},               {"epsilon", scalar(o.epsilon)},
                        {"amsgrad", scalar(o.amsgrad)}};
  };
  for (const auto& options : {tl::optimizers::AdamOptions{},
                              {.learning_rate = 0.1, .epsilon = 0.5},  // epsilon large enough to tell TF from torch
                              {.learning_rate = 0.05, .beta_1 = 0.5, .beta_2 = 0.8, .amsgrad = true}}) {
    Adam adam(options);
    check_against_keras(adam, "adam", hyper(options));
  }
}

TEST_CASE("SGD follows Keras's update rule", "[optimizers]") {
  using tl::optimizers::SGD;
  for (const auto& options : {tl::optimizers::SGDOptions{}, {.learning_rate = 0.1, .momentum = 0.9},
                              {.learning_rate = 0.05, .momentum = 0.5, .nesterov = true}}) {
    SGD sgd(options);
    check_against_keras(sgd, "sgd",
                        {{"learning_rate", scalar(options.learning_rate)},
                         {"momentum", scalar(options.momentum)},
                         {"nesterov", scalar(options.nesterov)}});
  }
}

TEST_CASE("RMSprop follows Keras's update rules", "[optimizers]") {
  using tl::optimizers::RMSprop;
  for (const auto& options : {tl::optimizers::RMSpropOptions{},
                              {.learning_rate = 0.01, .rho = 0.8, .epsilon = 0.1, .centered = true},
                              {.learning_rate = 0.01, .momentum = 0.5, .epsilon = 0.1},
                              {.learning_rate = 0.01, .rho = 0.7, .momentum = 0.9, .epsilon = 0.1, .centered = true}}) {
    RMSprop rmsprop(options);
    check_against_keras(rmsprop, "rmsprop",
                        {{"learning_rate", scalar(options.learning_rate)},
                         {"rho", scalar(options.rho)},
                         {"momentum", scalar(options.momentum)},
                         {"epsilon", scalar(options.epsilon)},
                         {"centered", scalar(options.centered)}});
  }
}

TEST_CASE("optimizers have Keras's defaults and names", "[optimizers]") {
  const tl::optimizers::AdamOptions adam;
  CHECK(adam.learning_rate == 0.001);
  CHECK(adam.beta_1 == 0.9);
  CHECK(adam.beta_2 == 0.999);
  CHECK(adam.epsilon == 1e-7);
  CHECK_FALSE(adam.amsgrad);
  const tl::optimizers::SGDOptions sgd;
  CHECK(sgd.learning_rate == 0.01);
  CHECK(sgd.momentum == 0.0);
  CHECK_FALSE(sgd.nesterov);
  const tl::optimizers::RMSpropOptions rmsprop;
  CHECK(rmsprop.learning_rate == 0.001);
  CHECK(rmsprop.rho == 0.9);
  CHECK(rmsprop.momentum == 0.0);
  CHECK(rmsprop.epsilon == 1e-7);
  CHECK_FALSE(rmsprop.centered);
  CHECK(tl::optimizers::Adam().name() == "Adam");
  CHECK(tl::optimizers::SGD().name() == "SGD");
  CHECK(tl::optimizers::RMSprop().name() == "RMSprop");
}

TEST_CASE("optimizers::get matches names case-insensitively", "[optimizers]") {
  for (const std::string name : {"Adam", "adam", "ADAM"}) CHECK(tl::optimizers::get(name)->name() == "Adam");
  for (const std::string name : {"sgd", "SGD", "Sgd"}) CHECK(tl::optimizers::get(name)->name() == "SGD");
  for (const std::string name : {"RMSprop", "rmsprop"}) CHECK(tl::optimizers::get(name)->name() == "RMSprop");
  auto adam = std::dynamic_pointer_cast<tl::optimizers::Adam>(tl::optimizers::get("Adam"));
  REQUIRE(adam);
  CHECK(adam->learning_rate() == 0.001);
  CHECK(adam->options().epsilon == 1e-7);
  CHECK_THROWS_WITH(tl::optimizers::get("adamx"),
                    Catch::Contains("'adamx'") && Catch::Contains("adam, rmsprop, sgd"));
  CHECK_THROWS_AS(tl::optimizers::get(""), tl::ValueError);
  CHECK_THROWS_AS(tl::optimizers::SGD({.momentum = 1.5}), tl::ValueError);
  CHECK_THROWS_AS(tl::optimizers::RMSprop({.momentum = -0.1}), tl::ValueError);
}

TEST_CASE("optimizer state round-trips and slots follow the parameter list", "[optimizers]") {
  Problem a, b;
  tl::optimizers::Adam first({.learning_rate = 0.1, .amsgrad = true});
  for (int t = 1; t <= 2; ++t) a.step(first, t);
  for (size_t i = 0; i < a.params.size(); ++i) b.params[i].detach().copy_(a.params[i].detach());
  tl::optimizers::Adam second({.learning_rate = 0.1, .amsgrad = true});
  second.set_state(first.get_state());
  CHECK(second.iterations() == 2);
  for (int t = 3; t <= Problem::steps; ++t) {
    a.step(first, t);
    b.step(second, t);
  }
  for (size_t i = 0; i < a.params.size(); ++i) CHECK(torch::equal(a.params[i], b.params[i]));

  CHECK_THROWS_AS(second.set_state({{"x/0", torch::zeros({1})}}), tl::ValueError);
  CHECK_THROWS_AS(second.set_state({{"m/1", torch::zeros({1})}}), tl::ValueError);
  // A different parameter list starts from zero slots; iterations keep counting, as Keras's do.
  auto p = torch::ones({2}).requires_grad_();
  p.mutable_grad() = torch::ones({2});
  second.apply_gradients({p});
  CHECK(second.iterations() == Problem::steps + 1);
  CHECK(second.get_state().size() == 1 + 3);  // iter, m/0, v/0, vhat/0
}

TEST_CASE("learning rate can be changed between steps", "[optimizers]") {
  tl::optimizers::SGD sgd;
  sgd.set_learning_rate(0.5);
  CHECK(sgd.learning_rate() == 0.5);
  auto p = torch::zeros({3}).requires_grad_();
  p.mutable_grad() = torch::ones({3});
  sgd.apply_gradients({p});
  CHECK(torch::allclose(p, torch::full({3}, -0.5)));
}

TEST_CASE("Spec holds an optimizer name or object", "[optimizers]") {
  using Spec = tl::Spec<tl::optimizers::Optimizer>;
  const Spec by_name = "Adam";
  CHECK(by_name.resolve(tl::optimizers::get)->name() == "Adam");
  const Spec by_string = std::string("sgd");
  CHECK(by_string.name() == "sgd");
  const Spec by_object = tl::optimizers::Adam({.learning_rate = 1e-5});
  const auto adam = by_object.resolve(tl::optimizers::get);
  CHECK(adam->learning_rate() == 1e-5);
  CHECK(by_object.resolve(tl::optimizers::get) == adam);  // one shared object
  const Spec by_pointer = std::make_shared<tl::optimizers::RMSprop>();
  CHECK(by_pointer.resolve(tl::optimizers::get)->name() == "RMSprop");
  CHECK(Spec().empty());
  CHECK_FALSE(by_name.empty());
}
