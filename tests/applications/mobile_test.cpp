// keras.applications' mobile families — MobileNet, MobileNetV2, MobileNetV3Small/Large, EfficientNetB0-B7 — against
// Keras's own architecture code (tests/python/applications_reference.py: keras_applications 1.0.8 and the port of
// tf.keras 2.11's efficientnet.py / mobilenet_v3.py on numpy layers).
//
// What runs where (the README's test command runs the default set; `tl_tests_applications "[full]"` the rest):
// - default: one `spec` call for every model and variant with and without the top (73 cases: layer names and
//   order, classes, wiring, output shapes, weights in HDF5 order with names, shapes and dtypes, configs, model
//   names, parameter totals), one `parity` call at the smallest input each model accepts (10 cases: every
//   family, tf.keras's and keras_applications 1.0.8's files, odd sizes, EfficientNetB0 and B2) with
//   save_weights as h5py sees it, the ImageNet files, argument checks, summary totals, save -> load_model ->
//   predict, the fast paths (folding, in-place layers, feature cache), mixed precision.
// - [full] (hidden): parity and save_weights of the largest and remaining variants (EfficientNetB1, B3-B7,
//   MobileNetV3Large's top, every MobileNet/V2 alpha, MobileNet/V2 at ImageNet's sizes): ~600 MB of oracle
//   files, ~2 min.
#include "mobile_support.hpp"

#include <tl/layers/layers.hpp>
#include <tl/mixed_precision/policy.hpp>

#include <set>

using Catch::Matchers::Contains;
using tl::json;
using tl::Model;
using namespace tl::test::mobile;
namespace fs = std::filesystem;

namespace {

/// Every model and variant the oracle lists by default (applications_reference.py's MODELS[...].variants), then
/// cases for the options and input rules those leave out.
std::vector<std::string> mobile_spec_cases() {
  std::vector<std::string> cases;
  const auto tops = [&](const std::string& model, const std::vector<std::string>& variants) {
    for (const auto& v : variants)
      for (const std::string top : {"", "include_top=0"}) {
        std::string args = v + (!v.empty() && !top.empty() ? "," : "") + top;
        cases.push_back(model + (args.empty() ? "" : ":" + args));
      }
  };
  tops("MobileNet", {"", "alpha=0.75", "alpha=0.5", "alpha=0.25"});
  cases.push_back("MobileNet:depth_multiplier=2,include_top=0");
  tops("MobileNetV2", {"", "alpha=0.35", "alpha=0.5", "alpha=0.75", "alpha=1.3", "alpha=1.4"});
  for (const std::string v3 : {"MobileNetV3Small", "MobileNetV3Large"})
    tops(v3, {"", "alpha=0.75", "minimalistic=1", "include_preprocessing=0"});
  // EfficientNet's weights change the stem (rescaling_1 with ImageNet weights): B0 and B1 in all four ways, the
  // larger variants (the same code, wider and deeper) once with and once without the top, both stems.
  for (int b = 0; b < 2; ++b) tops("EfficientNetB" + std::to_string(b), {"weights=imagenet", "weights=None"});
  for (int b = 2; b < 8; ++b)
    for (const char* variant : {"weights=None", "weights=imagenet,include_top=0"})
      cases.push_back("EfficientNetB" + std::to_string(b) + ":" + variant);
  for (const char* extra : {
           "MobileNet:input_shape=33x35,include_top=0,pooling=avg", "MobileNet:input_shape=32x32,alpha=0.5,depth_multiplier=2,dropout=0.2",
           "MobileNet:weights=imagenet,input_shape=160x160", "MobileNet:weights=imagenet,include_top=0,input_shape=100x100",
           "MobileNetV2:input_shape=33x35,include_top=0,pooling=max", "MobileNetV2:weights=imagenet,input_shape=96x96",
           "MobileNetV2:classes=10,classifier_activation=None,input_shape=64x64",
           "MobileNetV3Small:input_shape=32x32,alpha=1.5", "MobileNetV3Large:input_shape=33x35,include_top=0,pooling=avg",
           "MobileNetV3Large:alpha=0.75,dropout_rate=0,classes=10", "MobileNetV3Small:include_top=0,pooling=max",
           "MobileNetV3Small:minimalistic=1,include_preprocessing=0,weights=imagenet",
           "EfficientNetB3:input_shape=33x47,include_top=0", "EfficientNetB2:input_shape=32x32,classifier_activation=None",
           "EfficientNetB1:weights=imagenet,include_top=0,pooling=max", "EfficientNetB0:include_top=0,pooling=avg,input_shape=NonexNone"})
    cases.push_back(extra);
  return cases;
}

std::string joined(const std::vector<std::string>& cases) {
  std::string out;
  for (const auto& c : cases) out += " " + c;
  return out;
}

/// The oracle's spec of every case, from one Python process.
const json& keras_spec() {
  static const json spec = [] {
    const auto& dir = tl::test::made_once([](const tl::test::TempDir& d) {
      tl::test::python("applications_reference.py", "spec " + (d / "spec.json").string() + joined(mobile_spec_cases()));
    });
    return read_json(dir / "spec.json");
  }();
  return spec;
}

std::string case_dir(const std::string& text) {
  std::string out = text;
  for (auto& c : out)
    if (c == ':' || c == ',') c = '_';
  return out;
}

/// Parity at the smallest input each model accepts: every family, its variants' extremes, odd sizes (the
/// padding quirks), both files' eras (keras_applications 1.0.8 names conv2d_1 ... and pads MobileNet's conv1).
const std::vector<std::string>& fast_parity_cases() {
  static const std::vector<std::string> cases = {
      "MobileNet:flavour=keras_applications",
      "MobileNet:alpha=0.5,depth_multiplier=2,include_top=0,pooling=max,input_shape=33x35",
      "MobileNetV2",
      "MobileNetV2:alpha=0.35,include_top=0,input_shape=33x35",
      "MobileNetV3Small",
      "MobileNetV3Large:include_top=0,pooling=avg,input_shape=33x35",
      "MobileNetV3Small:minimalistic=1,include_preprocessing=0,alpha=0.75",
      "EfficientNetB0",
      "EfficientNetB0:weights=imagenet,include_top=0",
      "EfficientNetB2:include_top=0,input_shape=33x35,pooling=max",
  };
  return cases;
}

/// The rest, run by `[full]`: the widest and deepest variants.
const std::vector<std::string>& full_parity_cases() {
  static const std::vector<std::string> cases = {
      "MobileNet",
      "MobileNet:alpha=0.25",
      "MobileNet:alpha=0.75,include_top=0,input_shape=64x64",
      "MobileNet:weights=imagenet,input_shape=128x128",
      "MobileNetV2:alpha=0.5",
      "MobileNetV2:alpha=1.4,include_top=0,pooling=avg,flavour=keras_applications",
      "MobileNetV2:alpha=0.75,include_top=0,pooling=max,input_shape=47x39",
      "MobileNetV2:alpha=1.3",
      "MobileNetV2:weights=imagenet",
      "MobileNetV3Large",
      "MobileNetV3Small:alpha=0.75,include_top=0,input_shape=64x48",
      "MobileNetV3Large:minimalistic=1,include_top=0,pooling=max",
      "MobileNetV3Large:alpha=1.25,minimalistic=1,classes=10,classifier_activation=None",
      "EfficientNetB1:weights=imagenet,input_shape=35x33,include_top=0,pooling=avg",
      "EfficientNetB3:include_top=0,input_shape=33x47",
      "EfficientNetB4:weights=imagenet,include_top=0",
      "EfficientNetB5:include_top=0,pooling=avg",
      "EfficientNetB6:weights=imagenet,include_top=0,pooling=max",
      "EfficientNetB7",
      "EfficientNetB7:weights=imagenet,include_top=0",
  };
  return cases;
}

const tl::test::TempDir& mobile_fast_parity() {
  return tl::test::made_once([](const tl::test::TempDir& d) {
    tl::test::python("applications_reference.py", "parity " + d.path().string() + joined(fast_parity_cases()));
  });
}

const tl::test::TempDir& mobile_full_parity() {
  return tl::test::made_once([](const tl::test::TempDir& d) {
    tl::test::python("applications_reference.py", "parity " + d.path().string() + joined(full_parity_cases()));
  });
}

std::string model_of(const std::string& case_text) { return case_text.substr(0, case_text.find(':')); }

/// A file placed in an offline Keras cache as the ImageNet file Keras would fetch, so that weights="imagenet"
/// runs its whole path (get_file from the cache, by-order load) on a local file. MobileNet/V2's files have no
/// hash; EfficientNet's are checked, so its spec gets this file's md5.
Model imagenet_model(const std::string& model, const json& kw, const fs::path& weights) {
  tl::test::OfflineKerasHome home;
  fs::create_directories(home.models());
  if (is_efficientnet(model)) {
    auto spec = tl::applications::detail::efficientnet::variant(efficientnet_index(model));
    const bool top = !kw.contains("include_top") || kw["include_top"].get<bool>();
    fs::copy_file(weights, home.models() / (spec.model_name + (top ? ".h5" : "_notop.h5")));
    const auto md5 = tl::utils::detail::hash_file(weights, "md5");
    spec.top_md5 = spec.notop_md5 = md5;
    tl::backend::clear_session();
    return tl::applications::detail::efficientnet::EfficientNet(spec, efficientnet_options(kw, "imagenet"));
  }
  // MobileNet/V2: the file's name from the error weights="imagenet" gives without it.
  std::string message;
  try {
    build(model, kw, "imagenet");
  } catch (const std::exception& e) {
    message = e.what();
  }
  const auto at = message.find(home.models().string() + "/");
  REQUIRE(at != std::string::npos);
  const auto name_start = at + home.models().string().size() + 1;
  const auto fname = message.substr(name_start, message.find(".h5", name_start) + 3 - name_start);
  fs::copy_file(weights, home.models() / fname);
  return build(model, kw, "imagenet");
}

/// The tl model for a parity case, its weights from the case's file (by order, as Keras's load_weights).
Model parity_model(const fs::path& dir) {
  const auto meta = read_json(dir / "meta.json");
  const auto text = meta["case"].get<std::string>();
  const auto model = model_of(text);
  const auto& kw = meta["kwargs"];
  const bool imagenet = kw.contains("weights") && kw["weights"].is_string() && kw["weights"] == "imagenet";
  if (imagenet) return imagenet_model(model, kw, dir / "weights.h5");
  return build(model, kw, (dir / "weights.h5").string());
}

/// h5py's view of Keras's save_weights file and of tl's, for each pair, from one Python process.
void check_same_files(const std::vector<std::pair<fs::path, fs::path>>& files) {
  // Layer names, groups in name order (nested for names with '/'), weight_names, dataset paths, dtypes
  // (Normalization's count int64), shapes and bytes. One thing is left out: how a string attribute is stored.
  // The oracle writes h5py 2's fixed-length strings (as the published ImageNet files have them), tl writes
  // h5py 3's variable-length ones (as tf.keras 2.11 on h5py 3 does, compared byte for byte in
  // tests/io/keras_weights_test.cpp); Keras reads both.
  tl::test::TempDir dir;
  std::string script = "import sys; sys.path.insert(0, '" TL_TEST_SCRIPTS "'); import h5_dump, h5py\n"
                       "plain = h5_dump.type_text\n"
                       "h5_dump.type_text = lambda t: 'string' if isinstance(t, h5py.h5t.TypeStringID) else plain(t)\n";
  for (const auto& [keras, mine] : files)
    script += "h5_dump.dump('" + keras.string() + "'); print('@@'); h5_dump.dump('" + mine.string() + "'); print('@@')\n";
  std::ofstream(dir / "dump.py") << script;
  const auto dumps = tl::test::run(std::string(TL_TEST_PYTHON) + " " + (dir / "dump.py").string());
  std::vector<std::string> parts;
  for (size_t start = 0, at; (at = dumps.find("@@\n", start)) != std::string::npos; start = at + 3)
    parts.push_back(dumps.substr(start, at - start));
  REQUIRE(parts.size() == 2 * files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    CAPTURE(files[i].first);
    CHECK(parts[2 * i + 1] == parts[2 * i]);
  }
}

/// Each case: tl's model loads the oracle's weights.h5 (Keras's save_weights of the same model) by order,
/// computes the batch within float32 tolerance of Keras's code in float64, and writes with save_weights the file
/// Keras wrote (tf.keras's cases: keras_applications 1.0.8's files carry Keras 2.2.4's layer names).
void check_parity(const tl::test::TempDir& dir, const std::vector<std::string>& cases) {
  tl::test::TempDir saved;
  std::vector<std::pair<fs::path, fs::path>> files;
  for (const auto& text : cases) {
    CAPTURE(text);
    const auto case_path = dir / case_dir(text);
    const auto model = parity_model(case_path);
    const auto p = parity(case_path, model);
    CHECK(p.error <= p.tolerance);
    if (text.find("flavour=keras_applications") != std::string::npos) continue;
    const auto mine = saved / (case_dir(text) + ".h5");
    model.save_weights(mine);
    files.emplace_back(case_path / "weights.h5", mine);
  }
  check_same_files(files);
}

std::string summary_of(const Model& model) {
  return tl::test::capture_stdout([&] { model.summary(); });
}

}  // namespace

TEST_CASE("mobile families: every model and variant has Keras's layers, names, order, wiring, weights and totals",
          "[applications][mobile]") {
  const auto& spec = keras_spec();
  size_t layers_checked = 0;
  for (const auto& keras : spec["cases"]) {
    const auto text = keras["case"].get<std::string>();
    CAPTURE(text);
    const auto model = model_of(text);
    const auto& kw = keras["kwargs"];
    const bool imagenet = kw.contains("weights") && kw["weights"] == "imagenet";
    Model built = [&] {
      if (!imagenet || is_v3(model)) return build(model, kw, "none");  // V3: the same model either way
      if (is_efficientnet(model)) return efficientnet_imagenet_structure(model, kw);
      // MobileNet/V2 (names depend on the ImageNet file's size): the real path, on a file of this structure.
      tl::test::TempDir dir;
      build(model, kw, "none").save_weights(dir / "w.h5");
      return imagenet_model(model, kw, dir / "w.h5");
    }();
    const auto problems = differences(built, keras);
    for (size_t i = 0; i < std::min<size_t>(problems.size(), 5); ++i) UNSCOPED_INFO(problems[i]);
    CHECK(problems.empty());
    layers_checked += built.layers().size();
  }
  std::cout << "mobile spec: " << spec["cases"].size() << " cases, " << layers_checked << " layers as Keras's"
            << std::endl;
  CHECK(spec["cases"].size() == mobile_spec_cases().size());
}

TEST_CASE("mobile families: the published parameter totals, in summary()", "[applications][mobile]") {
  struct Published {
    std::function<Model()> make;
    std::string total, trainable, non_trainable;
  };
  const std::vector<Published> published = {
      {[] { return tl::applications::MobileNet({.weights = "none"}); }, "4,253,864", "4,231,976", "21,888"},
      {[] { return tl::applications::MobileNetV2({.weights = "none"}); }, "3,538,984", "3,504,872", "34,112"},
      {[] { return tl::applications::MobileNetV3Small({.weights = "none"}); }, "2,554,968", "2,542,856", "12,112"},
      {[] { return tl::applications::MobileNetV3Large({.weights = "none"}); }, "5,507,432", "5,483,032", "24,400"},
      {[] { return tl::applications::EfficientNetB0({.weights = "none"}); }, "5,330,571", "5,288,548", "42,023"},
      {[] { return tl::applications::EfficientNetB7({.weights = "none"}); }, "66,658,687", "66,347,960", "310,727"},
  };
  for (const auto& p : published) {
    tl::backend::clear_session();
    const auto text = summary_of(p.make());
    CAPTURE(text.substr(0, 200));
    CHECK_THAT(text, Contains("Total params: " + p.total));
    CHECK_THAT(text, Contains("Trainable params: " + p.trainable));
    CHECK_THAT(text, Contains("Non-trainable params: " + p.non_trainable));
  }
}

TEST_CASE("mobile families compute what Keras's code computes, on Keras-layout weights files of both eras, and "
          "save_weights writes Keras's file",
          "[applications][mobile]") {
  check_parity(mobile_fast_parity(), fast_parity_cases());
}

TEST_CASE("mobile families' largest variants compute what Keras's code computes, and save_weights as Keras", "[applications][mobile][.full]") {
  check_parity(mobile_full_parity(), full_parity_cases());
}

TEST_CASE("mobile families fetch Keras's ImageNet files: every variant's name, URL and md5", "[applications][mobile]") {
  namespace d = tl::applications::detail;
  const auto& models = keras_spec()["models"];
  // Every file of every family (tf.keras 2.11's get_file calls for each argument set selecting a file).
  std::set<std::string> mine, keras;
  const auto add = [&](const d::WeightsFile& f) { mine.insert(f.fname + " " + f.origin + " " + f.file_hash); };
  for (double alpha : {1.0, 0.75, 0.5, 0.25})
    for (int64_t rows : {128, 160, 192, 224})
      for (bool top : {true, false}) add(d::mobilenet::weights_file(alpha, rows, top));
  for (double alpha : {0.35, 0.5, 0.75, 1.0, 1.3, 1.4})
    for (int64_t rows : {96, 128, 160, 192, 224})
      for (bool top : {true, false}) add(d::mobilenet_v2::weights_file(alpha, rows, top));
  for (int b = 0; b < 8; ++b) {
    const auto spec = d::efficientnet::application_spec(d::efficientnet::variant(b));
    add(spec.imagenet_top);
    add(spec.imagenet_notop);
  }
  for (const auto& [key, hashes] : d::mobilenet_v3::weights_hashes()) {
    const std::string base = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/";
    add({"weights_mobilenet_v3_" + key + ".h5", base + "weights_mobilenet_v3_" + key + ".h5", hashes.first});
    add({"weights_mobilenet_v3_" + key + "_no_top_v2.h5", base + "weights_mobilenet_v3_" + key + "_no_top_v2.h5", hashes.second});
  }
  for (const auto& [model, facts] : models.items())
    for (const auto& f : facts["weights_files"]["tf.keras"]) {
      CHECK(f["cache_subdir"] == "models");
      keras.insert(f["fname"].get<std::string>() + " " + f["origin"].get<std::string>() + " " +
                   (f["file_hash"].is_null() ? "" : f["file_hash"].get<std::string>()));
    }
  CHECK(mine == keras);
  CHECK(mine.size() == 32 + 60 + 16 + 12);

  // What weights="imagenet" fetches for each case's arguments (offline: the error names the URL and the cache
  // path), or Keras's ValueError where Keras refuses ImageNet weights for them.
  tl::test::OfflineKerasHome home;
  int fetched = 0, refused = 0;
  for (const auto& keras_case : keras_spec()["cases"]) {
    const auto text = keras_case["case"].get<std::string>();
    const auto model = model_of(text);
    if (is_efficientnet(model) && efficientnet_index(model) > 0) continue;  // B1-B7: the same rule, bigger models
    CAPTURE(text);
    auto kw = keras_case["kwargs"];
    kw.erase("weights");
    const auto& file = keras_case["weights_file"];
    std::string message;
    bool value_error = false;
    try {
      tl::test::capture_stdout([&] { build(model, kw, "imagenet"); });
    } catch (const tl::ValueError& e) {
      value_error = true;
      message = e.what();
    } catch (const std::exception& e) {
      message = e.what();
    }
    if (file.is_null()) {
      CHECK(value_error);
      refused += value_error;
    } else {
      CAPTURE(message);
      CHECK_FALSE(value_error);
      CHECK_THAT(message, Contains(file["origin"].get<std::string>()) &&
                              Contains((home.models() / file["fname"].get<std::string>()).string()));
      ++fetched;
    }
  }
  std::cout << "mobile ImageNet files: " << mine.size() << " files; " << fetched << " cases fetch theirs, " << refused
            << " refused as Keras refuses them" << std::endl;
}

TEST_CASE("mobile families check their arguments with Keras's messages", "[applications][mobile]") {
  namespace apps = tl::applications;
  const auto fails = [](const std::function<void()>& make, const std::string& message) {
    CAPTURE(message);
    try {
      tl::test::capture_stdout(make);
      FAIL("no ValueError");
    } catch (const tl::ValueError& e) {
      CHECK_THAT(e.what(), Contains(message));
    }
  };
  fails([] { apps::MobileNet({.depth_multiplier = 2}); },
        "If imagenet weights are being loaded, depth multiplier must be 1.  Received depth_multiplier=2");
  fails([] { apps::MobileNet({.alpha = 0.3}); },
        "If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, `0.75` or `1.0` only.  Received alpha=0.3");
  fails([] { apps::MobileNet({.input_shape = {160, 128, 3}}); }, "`input_shape` should be (224, 224, 3)");
  fails([] { apps::MobileNet({.include_top = false, .weights = "none", .input_shape = {31, 64, 3}}); },
        "Input size must be at least 32x32");
  fails([] { apps::MobileNetV2({.alpha = 0.6}); },
        "If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, `0.75`, `1.0`, `1.3` or `1.4` "
        "only; Received `alpha=0.6`");
  fails([] { apps::MobileNetV2({.classes = 10}); }, "`classes` should be 1000");
  fails([] { apps::MobileNetV2({.weights = "none", .input_shape = {tl::None, tl::None, 3}}); },
        "you should specify a static `input_shape`");
  fails([] { apps::MobileNetV2({.input_tensor = tl::Input({64, 64, 3}), .input_shape = {96, 96, 3}}); },
        "input_tensor.shape[2] must equal input_shape[1]; Received `input_tensor.shape=(None, 64, 64, 3)`, "
        "`input_shape=(96, 96, 3)`");
  fails([] { apps::MobileNetV3Small({.weights = "none", .input_shape = {31, 64, 3}}); },
        "Input size must be at least 32x32; Received `input_shape=(31, 64, 3)`");
  fails([] { apps::MobileNetV3Large({.alpha = 0.5}); },
        "If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for non minimalistic or `1.0` for "
        "minimalistic only.");
  fails([] { apps::MobileNetV3Large({.alpha = 0.75, .minimalistic = true}); }, "`1.0` for minimalistic only.");
  fails([] { apps::MobileNetV3Small({.classifier_activation = "relu"}); },
        "Only `None` and `softmax` activations are allowed for the `classifier_activation` argument");
  fails([] { apps::EfficientNetB0({.input_shape = {240, 240, 3}}); }, "`input_shape` should be (224, 224, 3)");
  fails([] { apps::EfficientNetB3({.include_top = false, .input_shape = {64, 64, 1}}); }, "The input must have 3 channels");
  fails([] { apps::EfficientNetB0({.weights = "/no/such.h5"}); }, "The `weights` argument should be either");

  // What Keras accepts: defaults, sizes down to 32, MobileNetV3 at any size with its top.
  tl::backend::clear_session();
  CHECK(apps::MobileNetV3Small({.weights = "none"}).inputs()[0].shape() == tl::Shape{tl::None, tl::None, tl::None, 3});
  CHECK(apps::MobileNet({.include_top = false, .weights = "none"}).name() == "mobilenet_1.00_None");
  CHECK(apps::MobileNetV2({.weights = "none", .input_shape = {33, 40, 3}}).name() == "mobilenetv2_1.00_33");
  CHECK(apps::EfficientNetB5({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}}).outputs()[0].shape() ==
        tl::Shape{tl::None, 1, 1, 2048});
  // MobileNetV2's default size follows an input tensor (the 96 file, name ..._96); MobileNetV3 takes the
  // tensor's (cols, rows) as Keras does.
  const auto input = tl::Input({96, 96, 3});
  CHECK(apps::MobileNetV2({.weights = "none", .input_tensor = input}).name() == "mobilenetv2_1.00_96");
  CHECK(apps::MobileNetV3Small({.weights = "none", .input_tensor = tl::Input({64, 48, 3})}).outputs()[0].shape() ==
        tl::Shape{tl::None, 1000});
}

TEST_CASE("mobile families: preprocess_input per family, as Keras's modules", "[applications][mobile]") {
  namespace apps = tl::applications;
  const auto x = torch::tensor({0.0f, 127.5f, 255.0f}).reshape({1, 1, 1, 3});
  const auto tf = torch::tensor({-1.0f, 0.0f, 1.0f}).reshape({1, 1, 1, 3});
  CHECK(torch::allclose(apps::mobilenet::preprocess_input(x), tf));
  CHECK(torch::allclose(apps::mobilenet_v2::preprocess_input(x), tf));
  CHECK(apps::mobilenet_v3::preprocess_input(x).is_same(x));  // pass-through: the models rescale themselves
  CHECK(apps::efficientnet::preprocess_input(x).is_same(x));
}

TEST_CASE("mobile families: a saved model loads back and predicts the same (TFOpLambda, Normalization count)",
          "[applications][mobile][save]") {
  namespace apps = tl::applications;
  tl::test::TempDir dir;
  const std::vector<std::pair<std::string, std::function<Model()>>> models = {
      {"MobileNet", [] { return apps::MobileNet({.weights = "none", .input_shape = {32, 32, 3}, .alpha = 0.25}); }},
      {"MobileNetV3Small", [] { return apps::MobileNetV3Small({.weights = "none", .classes = 7}); }},
      {"EfficientNetB0", [] { return apps::EfficientNetB0({.include_top = false, .weights = "none", .pooling = "avg"}); }},
  };
  torch::manual_seed(5);
  for (const auto& [name, make] : models) {
    CAPTURE(name);
    tl::backend::clear_session();
    const auto model = make();
    // Normalization's statistics as the ImageNet files hold them, count included (an int64 weight).
    for (const auto& layer : model.layers())
      if (layer->class_name() == "Normalization")
        layer->set_weights({torch::tensor({0.485f, 0.456f, 0.406f}), torch::tensor({0.229f, 0.224f, 0.225f}),
                            torch::tensor(int64_t(1281167))});
    const auto path = dir / (name + ".h5");
    model.save(path);
    const auto loaded = tl::models::load_model(path);
    CHECK(loaded.name() == model.name());
    REQUIRE(loaded.layers().size() == model.layers().size());
    for (size_t i = 0; i < model.layers().size(); ++i) CHECK(loaded.layers()[i]->name() == model.layers()[i]->name());
    const auto x = torch::rand({2, 32, 32, 3}) * 255;
    CHECK(torch::allclose(loaded.predict(x, {.verbose = 0}), model.predict(x, {.verbose = 0}), 1e-5, 1e-6));
    for (const auto& layer : loaded.layers())
      if (layer->class_name() == "Normalization") CHECK(layer->get_weights()[2].item<int64_t>() == 1281167);
  }
}

TEST_CASE("mobile families: weights load by layer order from files of either Keras era, and by name on request",
          "[applications][mobile]") {
  namespace apps = tl::applications;
  tl::test::TempDir dir;
  const auto keras_1_0_8 = mobile_fast_parity() / case_dir("MobileNet:flavour=keras_applications") / "weights.h5";
  // Keras 2.2.4's names (conv1_pad, reshape_1, act_softmax; auto names from 1) differ; by order they load.
  const auto model = apps::MobileNet({.weights = keras_1_0_8.string(), .input_shape = {32, 32, 3}});
  model.save_weights(dir / "tl.h5");
  // By name: tl's file into a model of the same names.
  tl::backend::clear_session();
  const auto by_name = apps::MobileNet({.weights = "none", .input_shape = {32, 32, 3}});
  by_name.load_weights(dir / "tl.h5", {.by_name = true});
  const auto a = model->weights(), b = by_name->weights();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) CHECK(torch::equal(a[i].get(), b[i].get()));
  // A file of another variant is refused, naming the layer and both shapes.
  CHECK_THROWS_WITH(apps::MobileNet({.weights = keras_1_0_8.string(), .input_shape = {32, 32, 3}, .alpha = 0.5}),
                    Contains("Shape mismatch") && Contains("conv1"));
}

TEST_CASE("DepthwiseConv2D + BatchNormalization fold into one convolution, matching the two layers",
          "[applications][mobile][fold]") {
  torch::manual_seed(3);
  tl::layers::DepthwiseConv2D dw(3, {.strides = 2, .padding = "same", .depth_multiplier = 2});
  tl::layers::BatchNormalization bn({.axis = 3, .epsilon = 1e-3});
  const auto in = tl::Input({9, 8, 3});
  const Model model(in, tl::layers::ReLU(6.0)(bn(dw(in))), "fold");
  std::vector<torch::Tensor> stats;
  for (const auto& w : bn.weights())
    stats.push_back(w.name.find("variance") != std::string::npos ? torch::rand({6}) + 0.5 : torch::randn({6}));
  bn.set_weights(stats);
  dw.set_weights({torch::randn({3, 3, 3, 2}), torch::randn({6})});
  const auto x = torch::randn({2, 9, 8, 3});
  const auto expected = torch::clamp(bn(dw(x)), 0, 6);
  const auto folded = model.predict_on_batch(x);
  CHECK(tl::test::relative_error(folded, expected) < 1e-5);
  CHECK_FALSE(torch::equal(folded, expected));  // one rounding less: it did run folded
  // A changed kernel is re-folded.
  dw.set_weights({torch::randn({3, 3, 3, 2}), torch::randn({6})});
  CHECK(tl::test::relative_error(model.predict_on_batch(x), torch::clamp(bn(dw(x)), 0, 6)) < 1e-5);
  // Training with a frozen BN (moving statistics) and a trainable kernel: the layers' own path, same numbers.
  bn->set_trainable(false);
  CHECK(tl::test::relative_error(model(x, /*training=*/true), torch::clamp(bn(dw(x)), 0, 6)) < 1e-5);
}

TEST_CASE("mobile families: the caller's batch is never overwritten by in-place layers", "[applications][mobile][reuse]") {
  namespace apps = tl::applications;
  tl::backend::clear_session();
  const auto v3 = apps::MobileNetV3Small({.weights = "none", .input_shape = {32, 32, 3}, .include_preprocessing = false});
  const auto eff = apps::EfficientNetB0({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}});
  const auto x = torch::randn({2, 32, 32, 3});
  const auto copy = x.clone();
  torch::NoGradGuard no_grad;
  v3(x);
  eff(x);
  CHECK(torch::equal(x, copy));
}

TEST_CASE("mobile families: fit's feature cache on a frozen base gives the uncached results", "[applications][mobile][cache]") {
  namespace apps = tl::applications;
  torch::manual_seed(11);
  const auto x = torch::rand({8, 32, 32, 3}) * 255;
  const auto y = torch::one_hot(torch::randint(0, 2, {8}, torch::kLong), 2).to(torch::kFloat);
  const std::vector<std::pair<std::string, std::function<Model()>>> bases = {
      {"MobileNetV3Small", [] { return apps::MobileNetV3Small({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}}); }},
      // Drop-connect is random in training (as in Keras, the frozen base's Dropout layers still drop): without
      // it (Keras's drop_connect_rate=0) the whole base is frozen and cached.
      {"EfficientNetB0", [] { return apps::EfficientNetB0({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}, .drop_connect_rate = 0}); }},
  };
  for (const auto& [name, make] : bases) {
    CAPTURE(name);
    auto fit = [&](bool cache) {
      torch::manual_seed(7);
      tl::backend::clear_session();
      const auto base = make();
      base.trainable(false);
      const auto inputs = tl::Input({32, 32, 3});
      const auto features = tl::layers::GlobalAveragePooling2D()(base(inputs));
      const Model model(inputs, tl::layers::Dense(2, {.activation = "softmax"})(features));
      model.compile({.optimizer = "adam", .loss = "categorical_crossentropy"});
      CHECK(model->frozen_prefix_end() >= 0);
      torch::manual_seed(3);
      return model.fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 0, .cache_features = cache}).history.at("loss");
    };
    const auto cached = fit(true), plain = fit(false);
    for (size_t e = 0; e < 2; ++e) CHECK(cached[e] == Approx(plain[e]).epsilon(1e-5));
  }
}

TEST_CASE("mobile families under mixed_bfloat16 compute in bfloat16 and return float32", "[applications][mobile][mixed_precision]") {
  namespace apps = tl::applications;
  setenv("TL_CPU_BFLOAT16", "1", 1);
  const auto x = torch::rand({2, 32, 32, 3}) * 255;
  const std::vector<std::pair<std::string, std::function<Model()>>> models = {
      {"MobileNet", [] { return apps::MobileNet({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}, .pooling = "avg", .alpha = 0.25}); }},
      {"MobileNetV2", [] { return apps::MobileNetV2({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}, .pooling = "avg", .alpha = 0.35}); }},
      {"MobileNetV3Small", [] { return apps::MobileNetV3Small({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}, .pooling = "avg"}); }},
      {"EfficientNetB0", [] { return apps::EfficientNetB0({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}, .pooling = "avg"}); }},
  };
  for (const auto& [name, make] : models) {
    CAPTURE(name);
    torch::manual_seed(1);
    tl::backend::clear_session();
    const auto reference = make();
    tl::mixed_precision::set_global_policy("mixed_bfloat16");
    torch::manual_seed(1);
    tl::backend::clear_session();
    const auto mixed = make();
    tl::mixed_precision::set_global_policy("float32");
    {
      torch::NoGradGuard no_grad;  // the same weights
      const auto from = reference->weights(), to = mixed->weights();
      REQUIRE(from.size() == to.size());
      for (size_t i = 0; i < from.size(); ++i) to[i].value.copy_(from[i].value);
    }
    const auto y32 = reference.predict(x, {.verbose = 0});
    const auto y16 = mixed.predict(x, {.verbose = 0});
    CHECK(y16.scalar_type() == torch::kFloat32);
    const double error = tl::test::relative_error(y16, y32);
    std::cout << "mixed_bfloat16 " << name << ": max |bf16 - f32| / max |f32| = " << error << std::endl;
    CHECK(error > 0);     // it did compute in bfloat16
    CHECK(error < 0.1);   // bfloat16 has 8 bits of mantissa; errors accumulate over ~50-200 layers
  }
  unsetenv("TL_CPU_BFLOAT16");
}
