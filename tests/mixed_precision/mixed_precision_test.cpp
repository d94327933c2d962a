// keras.mixed_precision: policies, autocast around a model's forward, and LossScaleOptimizer.
#include "../support.hpp"

#include <tl/callbacks/detail/training_backup.hpp>
#include <tl/mixed_precision/detail/autocast.hpp>

#include <ATen/autocast_mode.h>

using namespace tl;
using Catch::Matchers::Contains;
using mixed_precision::LossScaleOptimizer;
using mixed_precision::Policy;

namespace {

/// Sets the global policy for one test and puts "float32" back, also when the test fails.
struct GlobalPolicyFor {
  explicit GlobalPolicyFor(const Policy& p) { mixed_precision::set_global_policy(p); }
  ~GlobalPolicyFor() { mixed_precision::set_global_policy("float32"); }
};

/// Sets TL_CPU_BFLOAT16 for one test: "1" runs mixed_bfloat16's autocast on a CPU without native bfloat16.
struct CpuBfloat16For {
  explicit CpuBfloat16For(const char* value) { setenv("TL_CPU_BFLOAT16", value, 1); }
  ~CpuBfloat16For() { unsetenv("TL_CPU_BFLOAT16"); }
};

/// Conv + BatchNormalization + pooling + softmax head: every kind of op a transfer-learning model runs.
std::pair<KerasTensor, KerasTensor> conv_graph() {
  auto inputs = Input({8, 8, 3});
  auto x = layers::Conv2D(8, 3, {.activation = "relu"})(inputs);
  x = layers::BatchNormalization()(x);
  x = layers::GlobalAveragePooling2D()(x);
  return {inputs, layers::Dense(2, {.activation = "softmax"})(x)};
}

std::pair<torch::Tensor, torch::Tensor> blobs(int64_t n, int64_t seed) {
  torch::manual_seed(seed);
  auto labels = torch::randint(0, 2, {n}, torch::kLong);
  auto x = torch::randn({n, 2}) * 0.7 + (labels.to(torch::kFloat) * 2 - 1).unsqueeze(1) * torch::tensor({1.5, -1.0});
  return {x, torch::one_hot(labels, 2).to(torch::kFloat)};
}

Model classifier(uint64_t seed) {
  torch::manual_seed(seed);
  auto inputs = Input({2});
  auto x = layers::Dense(16, {.activation = "relu"})(inputs);
  return Model(inputs, layers::Dense(2, {.activation = "softmax"})(x));
}

/// A parameter with gradient `grad`, as after backward.
torch::Tensor param_with_grad(torch::Tensor value, const torch::Tensor& grad) {
  value.set_requires_grad(true);
  value.mutable_grad() = grad.clone();
  return value;
}

}  // namespace

TEST_CASE("Policy has Keras's names and dtypes", "[mixed_precision]") {
  CHECK(mixed_precision::global_policy().name() == "float32");
  const Policy half = "mixed_float16", bf16 = "mixed_bfloat16", f32 = "float32";
  CHECK(half.compute_dtype() == "float16");
  CHECK(bf16.compute_dtype() == "bfloat16");
  CHECK(f32.compute_dtype() == "float32");
  for (const auto& p : {half, bf16, f32}) CHECK(p.variable_dtype() == "float32");
  CHECK(half.compute_scalar_type() == torch::kHalf);
  CHECK(bf16.compute_scalar_type() == torch::kBFloat16);
  CHECK(half.mixed());
  CHECK_FALSE(f32.mixed());
  CHECK_THROWS_WITH(Policy("mixed_float64"), Contains("'mixed_float64'") && Contains("Valid policies"));
  CHECK_THROWS_WITH(mixed_precision::set_global_policy("float16"), Contains("'float16'"));
  CHECK(mixed_precision::global_policy().name() == "float32");
}

TEST_CASE("a model takes the global policy it was built under", "[mixed_precision]") {
  auto [inputs, outputs] = conv_graph();
  Model before(inputs, outputs);
  const GlobalPolicyFor policy("mixed_bfloat16");
  Model after(inputs, outputs);
  CHECK(before->dtype_policy().name() == "float32");
  CHECK(after->dtype_policy().name() == "mixed_bfloat16");
}

TEST_CASE("AutocastScope turns autocast on for its lifetime and restores the state", "[mixed_precision]") {
  using mixed_precision::detail::AutocastScope;
  const torch::Device cpu(torch::kCPU);
  const CpuBfloat16For forced("1");
  REQUIRE_FALSE(at::autocast::is_cpu_enabled());
  {
    const AutocastScope off("float32", cpu);
    CHECK_FALSE(off.active());
    CHECK_FALSE(at::autocast::is_cpu_enabled());
  }
  {
    const AutocastScope scope("mixed_bfloat16", cpu);
    CHECK(scope.active());
    CHECK(at::autocast::is_cpu_enabled());
    CHECK(at::autocast::get_autocast_cpu_dtype() == torch::kBFloat16);
    CHECK(torch::matmul(torch::rand({2, 3}), torch::rand({3, 2})).scalar_type() == torch::kBFloat16);
    {
      const AutocastScope inner("mixed_bfloat16", cpu);
      CHECK(at::autocast::is_cpu_enabled());
    }
    CHECK(at::autocast::is_cpu_enabled());  // the outer scope is still open
  }
  CHECK_FALSE(at::autocast::is_cpu_enabled());
  CHECK(torch::matmul(torch::rand({2, 3}), torch::rand({3, 2})).scalar_type() == torch::kFloat);
  // LibTorch's CPU autocast has no float16: mixed_float16 computes in float32 there.
  CHECK_FALSE(AutocastScope("mixed_float16", cpu).active());
  // Without native bfloat16 and not forced, the CPU computes mixed_bfloat16 in float32 (TL_CPU_BFLOAT16=0: never).
  setenv("TL_CPU_BFLOAT16", "0", 1);
  CHECK_FALSE(AutocastScope("mixed_bfloat16", cpu).active());
  unsetenv("TL_CPU_BFLOAT16");
  CHECK(AutocastScope("mixed_bfloat16", cpu).active() == mixed_precision::detail::cpu_has_native_bfloat16());
  setenv("TL_CPU_BFLOAT16", "1", 1);
  CHECK_THROWS_AS(([&] {
                    const AutocastScope scope("mixed_bfloat16", cpu);
                    throw std::runtime_error("a failing forward");
                  })(),
                  std::runtime_error);
  CHECK_FALSE(at::autocast::is_cpu_enabled());
}

TEST_CASE("a mixed_bfloat16 model computes in bfloat16 and returns float32", "[mixed_precision]") {
  auto [inputs, outputs] = conv_graph();
  Model f32(inputs, outputs);
  const GlobalPolicyFor policy("mixed_bfloat16");
  const CpuBfloat16For forced("1");
  Model bf16(inputs, outputs);  // the same layers and weights
  torch::manual_seed(5);
  const auto x = torch::rand({6, 8, 8, 3}) * 4;
  const auto expected = f32.predict_on_batch(x);
  const auto got = bf16.predict_on_batch(x);
  CHECK(got.scalar_type() == torch::kFloat);
  CHECK(torch::allclose(got, expected, 0.05, 0.02));
  const double difference = (got - expected).abs().max().item<double>();
  CHECK(difference > 1e-5);  // bfloat16 keeps 8 bits of mantissa: float32 would agree to ~1e-7
  CHECK(bf16.predict(x, {.verbose = 0}).scalar_type() == torch::kFloat);
  for (const auto& w : bf16->weights()) CHECK(w.value.scalar_type() == torch::kFloat);
  CHECK_FALSE(at::autocast::is_cpu_enabled());  // nothing leaks out of predict
}

TEST_CASE("mixed_bfloat16 training on the CPU solves a two-class problem", "[mixed_precision][fit]") {
  const GlobalPolicyFor policy("mixed_bfloat16");
  const CpuBfloat16For forced("1");
  auto [x, y] = blobs(512, 1);
  auto model = classifier(2);
  model.compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  CHECK(model->optimizer()->name() == "Adam");  // only float16 needs loss scaling
  auto history = model.fit(x, y, {.batch_size = 32, .epochs = 15, .verbose = 0});
  CHECK(history.history.at("accuracy").back() >= 0.95);
  CHECK(history.history.at("loss").back() < history.history.at("loss").front());
  for (const auto& w : model->weights()) CHECK(w.value.scalar_type() == torch::kFloat);
}

TEST_CASE("the feature cache gives the uncached results under mixed_bfloat16", "[mixed_precision][cache]") {
  const GlobalPolicyFor policy("mixed_bfloat16");
  const CpuBfloat16For forced("1");
  torch::manual_seed(11);
  const auto x = torch::rand({24, 8, 8, 3});
  const auto y = torch::one_hot(torch::randint(0, 2, {24}, torch::kLong), 2).to(torch::kFloat);
  auto fit = [&](bool cache) {
    torch::manual_seed(7);
    auto [inputs, outputs] = conv_graph();
    Model model(inputs, outputs);
    for (size_t i = 0; i + 1 < model.layers().size(); ++i) model.get_layer(i)->set_trainable(false);
    model.compile({.optimizer = "adam", .loss = "categorical_crossentropy"});
    REQUIRE(model->frozen_prefix_end() >= 0);
    torch::manual_seed(3);
    return model.fit(x, y, {.batch_size = 8, .epochs = 3, .verbose = 0, .cache_features = cache}).history.at("loss");
  };
  const auto cached = fit(true), plain = fit(false);
  for (size_t e = 0; e < 3; ++e) CHECK(cached[e] == Approx(plain[e]).epsilon(1e-6));
}

TEST_CASE("mixed_float16 wraps the optimizer; on the CPU it trains exactly as float32", "[mixed_precision][fit]") {
  auto [x, y] = blobs(128, 3);
  auto train = [&](const Policy& p) {
    const GlobalPolicyFor policy(p);
    auto model = classifier(4);
    model.compile({.optimizer = "Adam", .loss = "binary_crossentropy"});
    model.fit(x, y, {.batch_size = 32, .epochs = 3, .verbose = 0, .shuffle = false});
    return model;
  };
  auto half = train("mixed_float16");
  const auto* scaler = dynamic_cast<LossScaleOptimizer*>(half->optimizer().get());
  REQUIRE(scaler != nullptr);
  CHECK(scaler->inner_optimizer()->name() == "Adam");
  CHECK(scaler->loss_scale() == 32768);
  CHECK(scaler->iterations() == 12);
  // Scaling by a power of two and back is exact in float32: the same weights, bit for bit.
  auto plain = train("float32");
  const auto a = half->weights(), b = plain->weights();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) CHECK(torch::equal(a[i].value, b[i].value));
  // An optimizer the user wrapped is kept as given.
  const GlobalPolicyFor policy("mixed_float16");
  auto model = classifier(4);
  auto own = std::make_shared<LossScaleOptimizer>(optimizers::get("sgd"), mixed_precision::LossScaleOptimizerOptions{
                                                                              .initial_scale = 8});
  model.compile({.optimizer = own, .loss = "mse"});
  CHECK(model->optimizer() == own);
}

TEST_CASE("LossScaleOptimizer unscales gradients and updates as its inner optimizer", "[mixed_precision][optimizers]") {
  const auto grad = torch::tensor({0.5f, -2.f, 8.f});
  auto plain = param_with_grad(torch::tensor({1.f, 2.f, 3.f}), grad);
  auto scaled = param_with_grad(torch::tensor({1.f, 2.f, 3.f}), grad * 1024);
  optimizers::Adam adam;
  LossScaleOptimizer lso(std::make_shared<optimizers::Adam>(), {.initial_scale = 1024});
  CHECK(lso.get_scaled_loss(torch::tensor(0.25f)).item<float>() == 256.f);
  adam.apply_gradients({plain});
  lso.apply_gradients({scaled});
  CHECK(torch::equal(plain, scaled));
  CHECK(lso.iterations() == 1);
  CHECK(lso.dynamic_counter() == 1);
  lso.set_learning_rate(0.5);
  CHECK(lso.learning_rate() == 0.5);
  CHECK(lso.inner_optimizer()->learning_rate() == 0.5);
}

TEST_CASE("a dynamic loss scale skips non-finite steps, halves, and grows after a run", "[mixed_precision][optimizers]") {
  LossScaleOptimizer lso(std::make_shared<optimizers::Adam>(), {.initial_scale = 4, .dynamic_growth_steps = 2});
  auto p = param_with_grad(torch::tensor({1.f, 2.f}), torch::tensor({1.f, 1.f}));
  lso.apply_gradients({p});
  const auto weights = p.detach().clone();
  const auto slots = lso.inner_optimizer()->get_state();
  for (const float bad : {INFINITY, NAN, -INFINITY}) {
    p.mutable_grad() = torch::tensor({1.f, bad});
    lso.apply_gradients({p});
    CHECK(torch::equal(p, weights));  // skipped: the weights did not move
  }
  const auto state = lso.inner_optimizer()->get_state();
  for (size_t i = 1; i < state.size(); ++i) CHECK(torch::equal(state[i].second, slots[i].second));  // nor m and v
  CHECK(lso.iterations() == 4);  // skipped steps still count, as Keras's
  CHECK(lso.loss_scale() == 1);  // 4 -> 2 -> 1, never below 1
  CHECK(lso.dynamic_counter() == 0);
  for (int step = 0; step < 2; ++step) {
    p.mutable_grad() = torch::tensor({1.f, 1.f});
    lso.apply_gradients({p});
  }
  CHECK(lso.loss_scale() == 2);
  CHECK(lso.dynamic_counter() == 0);
  CHECK_FALSE(torch::equal(p, weights));
}

TEST_CASE("a fixed loss scale never changes", "[mixed_precision][optimizers]") {
  LossScaleOptimizer lso(std::make_shared<optimizers::SGD>(), {.dynamic = false, .initial_scale = 128});
  auto p = param_with_grad(torch::tensor({1.f}), torch::tensor({INFINITY}));
  lso.apply_gradients({p});
  CHECK(lso.loss_scale() == 128);
  CHECK_FALSE(lso.dynamic());
  CHECK(lso.iterations() == 1);
}

TEST_CASE("LossScaleOptimizer state round-trips with its inner optimizer's", "[mixed_precision][optimizers]") {
  LossScaleOptimizer lso(std::make_shared<optimizers::Adam>(), {.initial_scale = 64});
  auto p = param_with_grad(torch::tensor({1.f, 2.f}), torch::tensor({64.f, -64.f}));
  for (int i = 0; i < 3; ++i) lso.apply_gradients({p});
  p.mutable_grad() = torch::tensor({INFINITY, 1.f});
  lso.apply_gradients({p});
  const auto state = lso.get_state();
  LossScaleOptimizer restored(std::make_shared<optimizers::Adam>());
  restored.set_state(state);
  CHECK(restored.loss_scale() == 32);
  CHECK(restored.dynamic_counter() == 0);
  CHECK(restored.iterations() == 4);
  auto q = p.detach().clone();
  q.set_requires_grad(true);
  p.mutable_grad() = torch::tensor({32.f, 32.f});
  q.mutable_grad() = torch::tensor({32.f, 32.f});
  lso.apply_gradients({p});
  restored.apply_gradients({q});
  CHECK(torch::equal(p, q));  // continues exactly where the original is
  CHECK_THROWS_WITH(restored.set_state(lso.inner_optimizer()->get_state()), Contains("current_loss_scale"));
}

TEST_CASE("BackupAndRestore's file keeps the loss scale", "[mixed_precision][callbacks]") {
  const GlobalPolicyFor policy("mixed_float16");
  const test::TempDir dir;
  auto [x, y] = blobs(64, 5);
  auto trained = classifier(4);
  trained.compile({.optimizer = "Adam", .loss = "binary_crossentropy"});
  trained.fit(x, y, {.batch_size = 32, .epochs = 1, .verbose = 0});
  auto& lso = dynamic_cast<LossScaleOptimizer&>(*trained->optimizer());
  auto state = lso.get_state();
  for (auto& [key, value] : state)
    if (key == "current_loss_scale") value = torch::tensor(512.0);
    else if (key == "good_steps") value = torch::tensor(7);
  lso.set_state(state);
  callbacks::detail::save_training_backup(dir / "backup.h5", *trained, 0);
  auto resumed = classifier(9);
  resumed.compile({.optimizer = "Adam", .loss = "binary_crossentropy"});
  callbacks::detail::load_training_backup(dir / "backup.h5", *resumed);
  const auto& restored = dynamic_cast<const LossScaleOptimizer&>(*resumed->optimizer());
  CHECK(restored.loss_scale() == 512);
  CHECK(restored.dynamic_counter() == 7);
  CHECK(restored.iterations() == 2);
}

TEST_CASE("LossScaleOptimizer validates its arguments", "[mixed_precision][optimizers]") {
  auto adam = std::make_shared<optimizers::Adam>();
  CHECK_THROWS_WITH(LossScaleOptimizer(nullptr), Contains("inner_optimizer"));
  CHECK_THROWS_WITH(LossScaleOptimizer(std::make_shared<LossScaleOptimizer>(adam)), Contains("already"));
  CHECK_THROWS_WITH(LossScaleOptimizer(adam, {.initial_scale = 0.5}), Contains("initial_scale"));
  CHECK_THROWS_WITH(LossScaleOptimizer(adam, {.initial_scale = INFINITY}), Contains("initial_scale"));
  CHECK_THROWS_WITH(LossScaleOptimizer(adam, {.dynamic_growth_steps = 0}), Contains("dynamic_growth_steps"));
}

TEST_CASE("mixed_float16 on a CUDA device trains in float16 with loss scaling", "[mixed_precision][cuda]") {
  if (!torch::cuda::is_available()) {
    WARN("no CUDA device: the float16 path is checked on a GPU machine only");
    return;
  }
  auto [x, y] = blobs(512, 1);
  const GlobalPolicyFor policy("mixed_float16");
  auto model = classifier(2);
  model.to(torch::kCUDA);
  model.compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  auto history = model.fit(x, y, {.batch_size = 32, .epochs = 15, .verbose = 0});
  CHECK(history.history.at("accuracy").back() >= 0.95);
  const auto* scaler = dynamic_cast<LossScaleOptimizer*>(model->optimizer().get());
  REQUIRE(scaler != nullptr);
  CHECK(scaler->loss_scale() >= 1);
  const auto pred = model.predict_on_batch(x);
  CHECK(pred.scalar_type() == torch::kFloat);
  mixed_precision::set_global_policy("float32");
  Model f32(model.inputs()[0], model.outputs()[0]);
  const auto reference = f32.predict_on_batch(x);
  CHECK(torch::allclose(pred, reference, 0.02, 0.01));
  CHECK((pred - reference).abs().max().item<double>() > 1e-6);  // float16 arithmetic did run
}
