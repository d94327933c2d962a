// applications::detail::Application, the machinery a keras.applications family builds on, driven by a toy family
// (one Conv2D and the shared head): defaults, heads, names, input tensors, weights by file and from the cache.
#include "applications_support.hpp"

#include <tl/applications/detail/application.hpp>
#include <tl/layers/layers.hpp>
#include <tl/utils/detail/hash.hpp>

using Catch::Matchers::Contains;
namespace apps = tl::applications;
using apps::detail::Application;
using apps::detail::ApplicationSpec;

namespace {

/// A family's options: the common keyword arguments, plus one of its own.
struct ToyOptions {
  bool include_top = true;
  std::string weights = "imagenet";
  tl::KerasTensor input_tensor = {};
  tl::Shape input_shape = {};
  std::string pooling = "";
  int64_t classes = 1000;
  std::string classifier_activation = "softmax";
  std::string name = "";
  int64_t filters = 4;
};

ApplicationSpec toy_spec() {
  return {.name = "toy",
          .default_size = 48,
          .min_size = 40,
          .imagenet_top = {"toy_top.h5", "https://127.0.0.1:9/toy_top.h5", ""},
          .imagenet_notop = {}};
}

/// The whole family: its layers between app.input() and app.head().
tl::Model Toy(const ToyOptions& options, const ApplicationSpec& spec = toy_spec(),
              const apps::detail::ClassifierOptions& classifier = {}, const apps::detail::PoolingNames& names = {}) {
  const Application app(spec, apps::detail::common_options(options));
  const auto x = tl::layers::Conv2D(options.filters, 3, {.name = "conv"})(app.input());
  return app.model(app.head(x, classifier, names));
}

std::vector<std::string> names_of(const tl::Model& model) {
  std::vector<std::string> names;
  for (const auto& layer : model.layers()) names.push_back(layer->name());
  return names;
}

bool same_weights(const tl::Model& a, const tl::Model& b) {
  const auto x = a->weights(), y = b->weights();
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i)
    if (!torch::equal(x[i].get(), y[i].get())) return false;
  return true;
}

}  // namespace

TEST_CASE("Application: the family's defaults, Keras's checks and the shared heads", "[applications][application]") {
  const auto top = Toy({.weights = "none"});
  CHECK(top.name() == "toy");
  CHECK(top.inputs()[0].shape() == tl::Shape{tl::None, 48, 48, 3});
  CHECK(names_of(top) == std::vector<std::string>{top.layers()[0]->name(), "conv", "avg_pool", "predictions"});
  CHECK(top.outputs()[0].shape() == tl::Shape{tl::None, 1000});
  CHECK(Toy({.weights = "none", .name = "mine"}).name() == "mine");

  const auto with_dropout = Toy({.weights = "none", .classes = 3}, toy_spec(), {.dropout = 0.2});
  CHECK(names_of(with_dropout)[3] == "top_dropout");
  CHECK(with_dropout.outputs()[0].shape() == tl::Shape{tl::None, 3});

  const auto features = Toy({.include_top = false, .weights = "none"});
  CHECK(features.inputs()[0].shape() == tl::Shape{tl::None, tl::None, tl::None, 3});
  CHECK(features.outputs()[0].shape() == tl::Shape{tl::None, tl::None, tl::None, 4});
  CHECK(names_of(Toy({.include_top = false, .weights = "none", .pooling = "max"})).back() == "max_pool");
  const auto auto_named = Toy({.include_top = false, .weights = "none", .pooling = "avg"}, toy_spec(), {}, {"", ""});
  CHECK_THAT(names_of(auto_named).back(), Catch::StartsWith("global_average_pooling2d"));

  const auto fails = [](const ToyOptions& options, const std::string& message) {
    CAPTURE(message);
    CHECK_THROWS_WITH(Toy(options), Contains(message));
  };
  fails({.weights = "/no/such.h5"}, "The `weights` argument should be either `None` (random initialization)");
  fails({.classes = 10}, "If using `weights` as `\"imagenet\"` with `include_top` as true, `classes` should be 1000");
  fails({.include_top = false, .weights = "none", .input_shape = {39, 64, 3}}, "Input size must be at least 40x40");
  fails({.input_shape = {64, 64, 3}}, "`input_shape` should be (48, 48, 3).");
  fails({.include_top = false, .weights = "none", .pooling = "sum"}, "`pooling` should be None");
  // A family's own input rule replaces obtain_input_shape (MobileNetV3: no default size even with the top).
  auto spec = toy_spec();
  spec.input_shape_rule = [](const tl::Shape& given, bool) { return given.empty() ? tl::Shape{tl::None, tl::None, 3} : given; };
  CHECK(Toy({.weights = "none", .input_shape = {}}, spec, {}).inputs()[0].shape() == tl::Shape{tl::None, tl::None, tl::None, 3});
}

TEST_CASE("Application: an input tensor keeps the layers before it", "[applications][application]") {
  const auto inputs = tl::Input({48, 48, 3});
  const auto scaled = tl::layers::Rescaling(1.0 / 255)(inputs);
  const auto model = Toy({.include_top = false, .weights = "none", .input_tensor = scaled, .pooling = "avg"});
  REQUIRE(model.inputs().size() == 1);
  CHECK(model.inputs()[0].node() == inputs.node());
  CHECK(model.layers().size() == 4);  // input, rescaling, conv, avg_pool
}

TEST_CASE("Application: weights from a file and from Keras's cache, checked by hash", "[applications][application]") {
  tl::test::OfflineKerasHome home;
  tl::test::TempDir dir;
  const auto source = Toy({.weights = "none"});
  source.save_weights(dir / "toy.h5");

  CHECK(same_weights(Toy({.weights = (dir / "toy.h5").string()}), source));

  // weights="imagenet": the family's file from the cache, as get_file finds it; its md5 is checked (once).
  std::filesystem::create_directories(home.models());
  std::filesystem::copy_file(dir / "toy.h5", home.models() / "toy_top.h5");
  auto spec = toy_spec();
  spec.imagenet_top.file_hash = tl::utils::detail::hash_file(dir / "toy.h5", "md5");
  CHECK(same_weights(Toy({}, spec), source));
  CHECK(std::filesystem::exists(home.models() / ".toy_top.h5.tl-hash"));
  CHECK(same_weights(Toy({}, spec), source));

  // A wrong hash means a download, which fails offline naming the URL and where to put the file.
  spec.imagenet_top.file_hash = std::string(32, '0');
  CHECK_THROWS_WITH(tl::test::capture_stdout([&] { Toy({}, spec); }),
                    Contains("https://127.0.0.1:9/toy_top.h5") && Contains((home.models() / "toy_top.h5").string()));
  // No file for this configuration.
  CHECK_THROWS_WITH(Toy({.include_top = false}), "There are no `imagenet` weights for toy without its top");

  // By name on request (the spec's `load`), as a family may need: the file's layers are matched by name.
  auto by_name = toy_spec();
  by_name.load = {.by_name = true};
  CHECK(same_weights(Toy({.weights = (dir / "toy.h5").string()}, by_name), source));
}
