// compile / fit / evaluate / predict with Keras's semantics and output.
#include "../support.hpp"

using namespace tl;
using Catch::Matchers::Contains;

namespace {
// Two Gaussian blobs in 2-D, one-hot labels: a problem a small model must solve.
std::pair<torch::Tensor, torch::Tensor> blobs(int64_t n, int64_t seed) {
  torch::manual_seed(seed);
  auto labels = torch::randint(0, 2, {n}, torch::kLong);
  auto x = torch::randn({n, 2}) * 0.7 + (labels.to(torch::kFloat) * 2 - 1).unsqueeze(1) * torch::tensor({1.5, -1.0});
  return {x, torch::one_hot(labels, 2).to(torch::kFloat)};
}

Model small_classifier() {
  auto inputs = Input({2});
  auto x = layers::Dense(16, {.activation = "relu"})(inputs);
  return Model(inputs, layers::Dense(2, {.activation = "softmax"})(x));
}
}  // namespace

TEST_CASE("fit drives a two-class problem to >= 95% accuracy", "[models][fit]") {
  auto [x, y] = blobs(512, 1);
  auto [xv, yv] = blobs(256, 2);
  auto model = small_classifier();
  model.compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  auto history = model.fit(x, y, {.batch_size = 32, .epochs = 20, .verbose = 0, .validation_data = {xv, yv}});
  REQUIRE(history.history.at("val_accuracy").size() == 20);
  CHECK(history.history.at("accuracy").back() >= 0.95);
  CHECK(history.history.at("val_accuracy").back() >= 0.95);
  CHECK(history.history.at("loss").back() < history.history.at("loss").front());
  auto logs = model.evaluate(xv, yv, {.verbose = 0});
  CHECK(logs["accuracy"] == Approx(history.history.at("val_accuracy").back()));
  auto pred = model.predict(xv, {.verbose = 0});
  auto acc = (pred.argmax(1) == yv.argmax(1)).to(torch::kFloat).mean().item<double>();
  CHECK(acc == Approx(logs["accuracy"]).epsilon(1e-6));
}

TEST_CASE("compile validates its arguments", "[models][fit]") {
  auto model = small_classifier();
  CHECK_THROWS_WITH(model.fit(torch::rand({4, 2}), torch::rand({4, 2})), Contains("compile"));
  CHECK_THROWS_WITH(model.compile({.optimizer = "adamw2", .loss = "mse"}), Contains("adamw2"));
  CHECK_THROWS_WITH(model.compile({.optimizer = "sgd", .loss = "hinge_loss_x"}), Contains("hinge_loss_x"));
  CHECK_THROWS_WITH(model.compile({.optimizer = "sgd"}), Contains("loss"));
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  CHECK_THROWS_WITH(model.fit(torch::rand({0, 2}), torch::rand({0, 2})), Contains("no batches"));
  CHECK_THROWS_WITH(model.fit(torch::rand({4, 2}), torch::rand({3, 2})), Contains("cardinality"));
}

TEST_CASE("frozen BatchNormalization statistics are unchanged by fit", "[models][fit]") {
  auto inputs = Input({4});
  auto bn = layers::BatchNormalization();
  auto outputs = layers::Dense(1)(bn(inputs));
  Model model(inputs, outputs);
  bn.trainable(false);
  const auto before = bn.get_weights();
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.fit(torch::randn({64, 4}) * 3 + 2, torch::randn({64, 1}), {.epochs = 2, .verbose = 0});
  const auto after = bn.get_weights();
  for (size_t i = 0; i < before.size(); ++i) CHECK(torch::equal(before[i], after[i]));

  bn.trainable(true);
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.fit(torch::randn({64, 4}) * 3 + 2, torch::randn({64, 1}), {.epochs = 1, .verbose = 0});
  CHECK_FALSE(torch::equal(before[2], bn.get_weights()[2]));  // moving_mean moved
}

TEST_CASE("fit prints Keras's epoch lines and progress bar", "[models][fit]") {
  auto [x, y] = blobs(64, 3);
  auto model = small_classifier();
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"acc"}});
  const auto out = test::capture_stdout([&] {
    model.fit(x, y, {.batch_size = 16, .epochs = 2, .validation_data = {x, y}});
  });
  // Not a terminal: one final line per epoch, as Keras writes to a log.
  const std::regex line(R"(Epoch 1/2\n4/4 \[==============================\] - \d+s \d+m?u?s/step - loss: \d\.\d{4} - acc: \d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4}\nEpoch 2/2\n4/4 \[=+\] .*\n)");
  CHECK(std::regex_match(out, line));
}

TEST_CASE("verbose=2 prints one line per epoch, verbose=0 nothing", "[models][fit]") {
  auto [x, y] = blobs(32, 4);
  auto model = small_classifier();
  model.compile({.optimizer = "rmsprop", .loss = "binary_crossentropy"});
  const auto quiet = test::capture_stdout([&] { model.fit(x, y, {.verbose = 0}); });
  CHECK(quiet.empty());
  const auto two = test::capture_stdout([&] { model.fit(x, y, {.epochs = 2, .verbose = 2}); });
  CHECK(std::regex_match(two, std::regex(R"(Epoch 1/2\n1/1 - \d+s - loss: \d\.\d{4} - \d+m?u?s/epoch - \d+m?u?s/step\nEpoch 2/2\n.*\n)")));
}

TEST_CASE("class_weight and sample_weight scale the loss as Keras", "[models][fit]") {
  auto inputs = Input({1});
  Model model(inputs, layers::Dense(2, {.activation = "softmax"})(inputs));
  model.compile({.optimizer = "sgd", .loss = "categorical_crossentropy"});
  auto x = torch::ones({4, 1});
  auto y = torch::tensor({{1.f, 0.f}, {1.f, 0.f}, {0.f, 1.f}, {0.f, 1.f}});
  const double plain = model.test_on_batch(x, y)["loss"];
  const double weighted = model.test_on_batch(x, y, torch::tensor({2.f, 2.f, 2.f, 2.f}))["loss"];
  CHECK(weighted == Approx(2 * plain));
}

TEST_CASE("the feature cache gives the uncached results, from epoch 2 without running the base", "[models][fit][cache]") {
  // A frozen base (conv + BN + pooling) under a trainable head, as the seed model.
  auto build = [] {
    torch::manual_seed(7);
    auto inputs = Input({8, 8, 3});
    auto x = layers::Conv2D(4, 3, {.activation = "relu"})(inputs);
    x = layers::BatchNormalization()(x);
    Model base(inputs, layers::GlobalAveragePooling2D()(x), "base");
    base.trainable(false);
    auto in2 = Input({8, 8, 3});
    Model model(in2, layers::Dense(2, {.activation = "softmax"})(base(in2)));
    model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
    return model;
  };
  torch::manual_seed(11);
  auto x = torch::rand({40, 8, 8, 3});
  auto y = torch::one_hot(torch::randint(0, 2, {40}, torch::kLong), 2).to(torch::kFloat);
  auto fit = [&](bool cache) {
    auto model = build();
    CHECK(model->frozen_prefix_end() >= 0);
    torch::manual_seed(3);
    auto h = model.fit(x, y, {.batch_size = 8, .epochs = 3, .verbose = 0, .validation_data = {x, y},
                              .cache_features = cache});
    return std::make_pair(h, model.get_layer(2)->get_weights());
  };
  auto [cached, w_cached] = fit(true);
  auto [plain, w_plain] = fit(false);
  for (const auto& key : {"loss", "accuracy", "val_loss", "val_accuracy"})
    for (size_t e = 0; e < 3; ++e) CHECK(cached.history.at(key)[e] == Approx(plain.history.at(key)[e]).epsilon(1e-5));
  for (size_t i = 0; i < w_plain.size(); ++i) CHECK(torch::allclose(w_cached[i], w_plain[i], 1e-5, 1e-6));
}

TEST_CASE("no feature cache when the first layer trains", "[models][fit][cache]") {
  auto inputs = Input({3});
  Model model(inputs, layers::Dense(2)(layers::Dense(4)(inputs)));
  CHECK(model->frozen_prefix_end() == -1);
  model.get_layer(1)->set_trainable(false);
  CHECK(model->frozen_prefix_end() == 1);
}
