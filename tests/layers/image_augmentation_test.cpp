// The augmentation layers (RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast, RandomCrop):
// shapes, identity at inference, seeded reproducibility, geometry (flips flip, a quarter turn is rot90, zoom 0 is
// the identity, fill modes as TensorFlow's ImageProjectiveTransformV3), get_config and its factories, behaviour in a
// model (fit augments, predict does not) and the feature cache turning itself off below them.
#include <tl/core/json.hpp>
#include <tl/layers/deserialize.hpp>
#include <tl/models/detail/feature_cache.hpp>
#include <tl/tl.hpp>

#include "../support.hpp"

#include <set>

namespace L = tl::layers;

namespace {

/// A batch of n copies of one random (h, w, c) image with values 0..255, Keras layout.
torch::Tensor copies(int64_t n, int64_t h, int64_t w, int64_t c = 3, uint64_t seed = 1) {
  auto gen = at::detail::createCPUGenerator(seed);
  const auto image = torch::randint(0, 256, {1, h, w, c}, gen, torch::kFloat32);
  return image.expand({n, h, w, c}).contiguous();
}

/// One (1, 1, w, 1) row 0, 1, ..., w - 1 (plus 1, so that a constant fill of 0 stands out).
torch::Tensor row(int64_t w) { return (torch::arange(w, torch::kFloat32) + 1).view({1, 1, w, 1}); }

std::vector<float> values(const torch::Tensor& t) {
  const auto c = t.contiguous().to(torch::kFloat32);
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

}  // namespace

TEST_CASE("augmentation layers keep shapes and are the identity at inference", "[layers][augmentation]") {
  const auto x = copies(3, 10, 12);
  std::vector<tl::Layer> layers{L::RandomFlip(),
                                L::RandomRotation(0.2),
                                L::RandomZoom(0.3, {.width_factor = {-0.2, 0.1}}),
                                L::RandomTranslation(0.2, 0.1),
                                L::RandomContrast(0.5)};
  for (auto& layer : layers) {
    INFO(layer->class_name());
    CHECK(layer(x, false).equal(x));  // Keras returns its inputs unchanged outside training
    const auto y = layer(x, true);
    CHECK(y.sizes() == x.sizes());
    CHECK(y.scalar_type() == torch::kFloat32);
    CHECK_FALSE(layer->frozen_in_training());
    CHECK(layer->count_params() == 0);
    // One (H, W, C) image works too.
    CHECK(layer(x[0], true).sizes() == x[0].sizes());
    auto input = tl::Input({10, 12, 3});
    CHECK(layer(input).shape() == tl::Shape{tl::None, 10, 12, 3});
  }
  // RandomCrop changes the size, and smart-resizes at inference (Keras 2.11: not a plain centre crop).
  L::RandomCrop crop(6, 8);
  CHECK(crop(tl::Input({10, 12, 3})).shape() == tl::Shape{tl::None, 6, 8, 3});
  CHECK(crop(x, true).sizes().vec() == std::vector<int64_t>{3, 6, 8, 3});
  CHECK(crop(x, false).equal(tl::preprocessing::image::smart_resize(x, {6, 8})));
  CHECK(crop(x.slice(1, 0, 6).slice(2, 0, 8), false).equal(x.slice(1, 0, 6).slice(2, 0, 8)));  // same size: identity
}

TEST_CASE("RandomFlip flips each image left-right and/or top-bottom with probability 1/2", "[layers][augmentation]") {
  const auto x = copies(64, 5, 7);
  const auto lr = x.flip({2}), ud = x.flip({1}), both = x.flip({1, 2});
  const auto count = [&](const torch::Tensor& y, const std::vector<torch::Tensor>& allowed) {
    std::vector<int> hits(allowed.size());
    for (int64_t i = 0; i < y.size(0); ++i) {
      int matched = 0;
      for (size_t k = 0; k < allowed.size(); ++k)
        if (y[i].equal(allowed[k][i])) ++hits[k], ++matched;
      CHECK(matched == 1);
    }
    return hits;
  };
  for (auto h : count(L::RandomFlip("horizontal", {.seed = 3})(x, true), {x, lr})) CHECK(h > 16);
  for (auto h : count(L::RandomFlip("vertical", {.seed = 4})(x, true), {x, ud})) CHECK(h > 16);
  for (auto h : count(L::RandomFlip("horizontal_and_vertical", {.seed = 5})(x, true), {x, lr, ud, both})) CHECK(h > 4);
  CHECK_THROWS_WITH(L::RandomFlip("diagonal", {.name = "flip"}),
                    "RandomFlip layer flip received an unknown mode argument diagonal");
}

TEST_CASE("a quarter turn of RandomRotation is rot90; zoom 0 and translation 0 are the identity", "[layers][augmentation]") {
  const auto x = copies(2, 9, 9, 2);
  // factor (0.25, 0.25): an angle of pi / 2, counter-clockwise; nearest interpolation lands on pixels exactly.
  // (With fill_mode "constant", TensorFlow's float32 arithmetic puts a corner 1e-7 outside the image: filled.)
  const auto ccw = L::RandomRotation({0.25, 0.25}, {.interpolation = "nearest"})(x, true);
  CHECK(ccw.equal(torch::rot90(x, 1, {1, 2})));
  const auto cw = L::RandomRotation({-0.25, -0.25}, {.interpolation = "nearest"})(x, true);
  CHECK(cw.equal(torch::rot90(x, -1, {1, 2})));
  const auto constant = L::RandomRotation({0.25, 0.25}, {.fill_mode = "constant", .interpolation = "nearest"})(x, true);
  const auto differs = (constant != torch::rot90(x, 1, {1, 2})).any(-1);
  CHECK(differs.sum().item<int64_t>() <= 2 * 3);  // (x 0, y 6..8) of each image
  CHECK(constant.index({differs}).eq(0).all().item<bool>());
  const auto half = L::RandomRotation({0.5, 0.5}, {.interpolation = "nearest"})(x, true);
  CHECK(half.equal(torch::rot90(x, 2, {1, 2})));
  CHECK(L::RandomZoom(0.0)(x, true).equal(x));
  CHECK(L::RandomZoom(0.0, {.width_factor = 0.0, .interpolation = "nearest"})(x, true).equal(x));
  CHECK(L::RandomTranslation(0.0, 0.0)(x, true).equal(x));
  CHECK(L::RandomRotation(0.0)(x, true).equal(x));
}

TEST_CASE("fill modes follow TensorFlow's ImageProjectiveTransformV3", "[layers][augmentation]") {
  // A shift right by 2 pixels of the row 1..8: output x reads input x - 2.
  const auto shift = [](const std::string& mode, double fill_value = 0.0) {
    return values(L::RandomTranslation(0.0, {0.25, 0.25}, {.fill_mode = mode, .interpolation = "nearest", .fill_value = fill_value})(row(8), true));
  };
  CHECK(shift("reflect") == std::vector<float>{2, 1, 1, 2, 3, 4, 5, 6});   // d c b a | a b c d
  CHECK(shift("wrap") == std::vector<float>{7, 8, 1, 2, 3, 4, 5, 6});      // a b c d | a b c d
  CHECK(shift("constant") == std::vector<float>{0, 0, 1, 2, 3, 4, 5, 6});
  CHECK(shift("constant", 9.5) == std::vector<float>{9.5f, 9.5f, 1, 2, 3, 4, 5, 6});
  CHECK(shift("nearest") == std::vector<float>{1, 1, 1, 2, 3, 4, 5, 6});
  // Left by 2 and far beyond the image (-0.9 * 8 = -7.2 -> nearest -7) for reflect/wrap's periodic branches.
  const auto far = [](const std::string& mode, double f) {
    return values(L::RandomTranslation(0.0, {f, f}, {.fill_mode = mode, .interpolation = "nearest"})(row(8), true));
  };
  CHECK(far("reflect", -0.25) == std::vector<float>{3, 4, 5, 6, 7, 8, 8, 7});
  CHECK(far("wrap", -0.25) == std::vector<float>{3, 4, 5, 6, 7, 8, 1, 2});
  CHECK(far("reflect", -0.9) == std::vector<float>{8, 8, 7, 6, 5, 4, 3, 2});
  // Bilinear halfway between pixels: a shift of 1.5 (0.1875 * 8) with constant fill.
  CHECK(values(L::RandomTranslation(0.0, {0.1875, 0.1875}, {.fill_mode = "constant"})(row(8), true)) ==
        std::vector<float>{0, 0, 0.5f * 1 + 0.5f * 2, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f});
  // Keras's argument checks.
  CHECK_THROWS_WITH(L::RandomRotation(0.1, {.fill_mode = "mirror"}),
                    "Unknown `fill_mode` mirror. Only `reflect`, `wrap`, `constant` and `nearest` are supported.");
  CHECK_THROWS_WITH(L::RandomZoom(0.1, {.interpolation = "bicubic"}),
                    "Unknown `interpolation` bicubic. Only `nearest` and `bilinear` are supported.");
  CHECK_THROWS_WITH(L::RandomRotation({0.3, 0.1}), "Factor cannot have negative values, got (0.3, 0.1)");
  CHECK_THROWS_WITH(L::RandomZoom(1.5), "`height_factor` must have values between [-1, 1], got 1.5");
  CHECK_THROWS_WITH(L::RandomZoom(0.5, {.width_factor = {-1.5, 0.2}}), "`width_factor` must have values larger than -1, got (-1.5, 0.2)");
  CHECK_THROWS_WITH(L::RandomTranslation(0.1, {0.3, -0.2}), "`width_factor` cannot have upper bound less than lower bound, got (0.3, -0.2)");
  CHECK_THROWS_WITH(L::RandomTranslation(1.0, 2.0), "`width_factor` must have values between [-1, 1], got 2.0");
  CHECK_THROWS_WITH(L::RandomContrast(-0.1), "Factor cannot have negative values or greater than 1.0, got -0.1");
}

TEST_CASE("the transform's CPU kernel and its tensor operations (the CUDA path) agree", "[layers][augmentation]") {
  namespace tf = tl::preprocessing::image::detail;
  auto gen = at::detail::createCPUGenerator(5);
  const auto images = torch::randint(0, 256, {3, 2, 11, 9}, gen, torch::kFloat32);  // (N, C, H, W)
  const auto angles = torch::tensor({0.3f, -2.0f, 7.5f});
  const auto zooms = torch::tensor({{0.5f, 1.7f}, {1.0f, 1.0f}, {2.5f, 0.3f}});
  const auto shifts = torch::tensor({{-30.0f, 4.5f}, {0.25f, -0.75f}, {13.0f, 40.0f}});
  const std::vector<torch::Tensor> transforms{tf::rotation_matrix(angles, 11, 9), tf::zoom_matrix(zooms, 11, 9),
                                              tf::translation_matrix(shifts),
                                              torch::tensor({{1.0f, 0.2f, -1.0f, 0.1f, 0.9f, 2.0f, 0.01f, -0.02f}})};
  for (const auto& t : transforms)
    for (const std::string mode : {"reflect", "wrap", "constant", "nearest"})
      for (const std::string interpolation : {"bilinear", "nearest"}) {
        INFO(mode << " " << interpolation << " " << t);
        const auto kernel = tf::projective_transform(images, t, interpolation, mode, 3.5, true);
        const auto ops = tf::projective_transform(images, t, interpolation, mode, 3.5, false);
        CHECK((kernel - ops).abs().max().item<float>() <= 1e-3f);
      }
}

TEST_CASE("augmentation layers are reproducible from a seed, on any device", "[layers][augmentation]") {
  const auto x = copies(6, 12, 10);
  const auto make = [](uint64_t seed) {
    return tl::Sequential({L::RandomFlip("horizontal", {.seed = seed}), L::RandomRotation(0.2, {.seed = seed}),
                           L::RandomZoom(0.2, {.seed = seed}), L::RandomTranslation(0.1, 0.1, {.seed = seed}),
                           L::RandomContrast(0.3, {.seed = seed}), L::RandomCrop(8, 8, {.seed = seed})});
  };
  auto a = make(7), b = make(7), c = make(8);
  const auto a1 = a(x, true), b1 = b(x, true), c1 = c(x, true);
  CHECK(a1.equal(b1));
  CHECK_FALSE(a1.equal(c1));
  const auto a2 = a(x, true);
  CHECK_FALSE(a2.equal(a1));  // the generator moves on
  CHECK(a2.equal(b(x, true)));
  // Per image: six copies of one image come out different.
  CHECK_FALSE(a1[0].equal(a1[1]));
  // Without a seed, torch::manual_seed decides.
  L::RandomRotation unseeded(0.2);
  torch::manual_seed(11);
  const auto u1 = unseeded(x, true);
  torch::manual_seed(11);
  CHECK(unseeded(x, true).equal(u1));
  if (torch::cuda::is_available()) {  // the same draws on the GPU: the same images, up to float rounding
    auto d = make(7);
    d->to(torch::kCUDA);
    CHECK((d(x.to(torch::kCUDA), true).cpu() - make(7)(x, true)).abs().max().item<float>() < 1e-3f);
  }
}

TEST_CASE("RandomContrast and RandomCrop do what Keras's do", "[layers][augmentation]") {
  auto gen = at::detail::createCPUGenerator(3);
  const auto x = 100 + 50 * torch::rand({8, 6, 5, 3}, gen);  // mid-range: no clipping
  CHECK(L::RandomContrast(0.0)(x, true).equal(x.clamp(0, 255)));
  const auto y = L::RandomContrast(0.4, {.seed = 1})(x, true);
  CHECK(torch::allclose(y.mean({1, 2}), x.mean({1, 2}), 1e-4, 1e-3));  // per-image, per-channel means kept
  const auto ratio = (y - y.mean({1, 2}, true)).std({1, 2}) / (x - x.mean({1, 2}, true)).std({1, 2});
  CHECK(ratio.min().item<float>() >= 0.6f - 1e-4f);
  CHECK(ratio.max().item<float>() <= 1.4f + 1e-4f);
  CHECK(torch::allclose(ratio, ratio.select(1, 0).unsqueeze(1).expand_as(ratio), 1e-4, 1e-4));  // one factor per image
  const auto clipped = L::RandomContrast({0.0, 1.0}, {.seed = 2})(torch::tensor({0.0f, 255.0f, 255.0f, 255.0f}).view({1, 2, 2, 1}), true);
  CHECK(clipped.min().item<float>() >= 0);
  CHECK(clipped.max().item<float>() <= 255);

  // Training: a window of each image, at a place of its own.
  const auto images = torch::arange(4 * 9 * 7, torch::kFloat32).view({4, 9, 7, 1});
  const auto crops = L::RandomCrop(5, 3, {.seed = 9})(images, true);
  REQUIRE(crops.sizes().vec() == std::vector<int64_t>{4, 5, 3, 1});
  std::set<std::pair<int64_t, int64_t>> places;
  for (int64_t n = 0; n < 4; ++n) {
    const auto first = static_cast<int64_t>(crops[n][0][0][0].item<float>()) - n * 63;
    const int64_t top = first / 7, left = first % 7;
    places.insert({top, left});
    CHECK(crops[n].equal(images[n].slice(0, top, top + 5).slice(1, left, left + 3)));
  }
  CHECK(places.size() > 1);
  // Smaller than the crop: smart_resize, also while training.
  CHECK(L::RandomCrop(12, 12)(images, true).equal(tl::preprocessing::image::smart_resize(images, {12, 12})));
}

TEST_CASE("augmentation layers' get_config rebuilds them (tl::layers::deserialize, as load_model does)", "[layers][augmentation]") {
  std::vector<tl::Layer> layers{L::RandomFlip("horizontal", {.seed = 3, .name = "flip"}),
                                L::RandomRotation({-0.2, 0.3}, {.fill_mode = "constant", .fill_value = 1.5}),
                                L::RandomZoom(0.2),
                                L::RandomZoom({-0.3, -0.1}, {.width_factor = 0.2, .interpolation = "nearest", .seed = 1}),
                                L::RandomTranslation(0.1, {-0.2, 0.2}, {.fill_mode = "wrap"}),
                                L::RandomContrast(0.3, {.seed = 5}),
                                L::RandomCrop(4, 6)};
  for (const auto& layer : layers) {
    const auto config = layer->get_config();
    INFO(config.dump());
    const auto rebuilt = L::deserialize(tl::json{{"class_name", layer->class_name()}, {"config", config}});
    CHECK(rebuilt->get_config() == config);
    CHECK(rebuilt->class_name() == layer->class_name());
  }
  const auto rotation = layers[1]->get_config();
  CHECK(rotation.dump() == R"({"name":")" + layers[1].name() +
                               R"(","trainable":true,"dtype":"float32","factor":[-0.2,0.3],"fill_mode":"constant","fill_value":1.5,"interpolation":"bilinear","seed":null})");
  CHECK(layers[2]->get_config()["width_factor"].is_null());
  CHECK(layers[0]->get_config()["mode"] == "horizontal");
  // A tf.keras 2.11 RandomFlip config has no seed.
  const auto flip = L::deserialize(tl::json{
      {"class_name", "RandomFlip"},
      {"config", {{"name", "random_flip_7"}, {"trainable", true}, {"dtype", "float32"}, {"mode", "vertical"}}}});
  CHECK(flip->name() == "random_flip_7");
}

TEST_CASE("model.save -> load_model round trips a model with augmentation layers", "[layers][augmentation][io]") {
  tl::backend::clear_session();
  auto inputs = tl::Input({8, 8, 3});
  auto x = L::RandomFlip("horizontal", {.seed = 3, .name = "flip"})(inputs);
  x = L::RandomRotation(0.1, {.fill_mode = "nearest", .seed = 4})(x);
  x = L::RandomZoom(0.2, {.seed = 5})(x);
  x = L::RandomTranslation(0.1, 0.1, {.seed = 6})(x);
  x = L::RandomContrast(0.2, {.seed = 7})(x);
  x = L::RandomCrop(6, 6, {.seed = 8})(x);
  tl::Model model(inputs, tl::layers::Dense(2)(tl::layers::Flatten()(x)), "augmented");
  tl::test::TempDir dir;
  model.save(dir / "model.h5");
  const auto loaded = tl::models::load_model(dir / "model.h5");
  CHECK(tl::models::model_to_json(*loaded) == tl::models::model_to_json(*model));
  // Inference: the augmentation layers pass images through (RandomCrop center-crops), so both models agree.
  const auto images = torch::rand({2, 8, 8, 3});
  CHECK(torch::equal(loaded.predict(images), model.predict(images)));
}

namespace {
/// Batches of 4 images whose get_batch calls are counted; deterministic, with sample ids (cacheable).
class CountingSequence : public tl::Sequence {
 public:
  explicit CountingSequence(int64_t batches) : batches_(batches) {}
  int64_t size() const override { return batches_; }
  tl::Batch get_batch(int64_t index) override {
    ++calls;
    auto gen = at::detail::createCPUGenerator(static_cast<uint64_t>(index));
    return {torch::rand({4, 6, 6, 1}, gen), torch::randint(0, 2, {4, 1}, gen).to(torch::kFloat32), {}};
  }
  bool deterministic() const override { return true; }
  std::vector<int64_t> batch_ids(int64_t index) const override { return {4 * index, 4 * index + 1, 4 * index + 2, 4 * index + 3}; }
  int calls = 0;

 private:
  int64_t batches_;
};

tl::Model frozen_base_model(bool augment) {
  auto inputs = tl::Input({6, 6, 1});
  auto x = inputs;
  if (augment) x = tl::Sequential({L::RandomFlip("horizontal", {.seed = 1}), L::RandomRotation(0.1, {.seed = 1})})(x);
  x = tl::layers::Flatten()(x);
  tl::layers::Dense base(8, {.activation = "relu"});
  x = base(x);
  base.trainable(false);
  auto outputs = tl::layers::Dense(1, {.activation = "sigmoid"})(x);
  return tl::Model(inputs, outputs);
}
}  // namespace

TEST_CASE("in a model: fit augments, predict does not, and the feature cache stays off below an augmentation layer", "[layers][augmentation]") {
  for (const bool augment : {false, true}) {
    INFO("augmentation " << augment);
    auto model = frozen_base_model(augment);
    model.compile({.optimizer = "adam", .loss = "binary_crossentropy"});
    CountingSequence data(3);
    tl::test::capture_stdout([&] { model.fit(data, {.epochs = 3, .verbose = 0}); });
    // Without augmentation the frozen part is computed once per sample (epoch 1) and read back later; with it,
    // every epoch needs the images.
    CHECK(data.calls == (augment ? 9 : 3));
  }
  auto with = frozen_base_model(true), without = frozen_base_model(false);
  without.set_weights(with.get_weights());
  const auto x = torch::rand({5, 6, 6, 1});
  CHECK(with.predict(x, {.verbose = 0}).equal(without.predict(x, {.verbose = 0})));
}
