// VGG16/19, ResNet50V2/101V2/152V2, InceptionV3, InceptionResNetV2, Xception, DenseNet121/169/201 and
// NASNetMobile/Large against Keras's own architecture code (tests/python/applications_reference.py):
//  - every model with and without the top (and pooling, odd sizes, NASNet's static no-top structure), from one
//    `spec` call: model name, layer names, classes and order, configs, wiring, weights (names with NASNet's
//    name scopes, shapes, trainable, HDF5 order), output shapes, parameter totals and summary() totals;
//  - forward passes on seeded Keras-layout weights files against Keras's float64 forward pass, within
//    max(1e-4, 10 x the oracle's own float32 error) of the output's scale. The fast suite runs one model per
//    family (with its top, at its smallest accepted input); the rest (VGG19, ResNet101V2/152V2, DenseNet169/201,
//    NASNetLarge, every no-top/pooling variant) runs under the hidden tag [applications_full];
//  - Keras 2.2.4-era files (auto names from 1, "fc1000") load by order, tf.keras files by name;
//  - save_weights writes what Keras's save_weights writes (h5py's view of both files, dataset bytes included);
//  - Keras's weights files (name, URL, md5) and argument checks.
#include "classic_support.hpp"

#include <tl/io/keras_weights.hpp>
#include <tl/utils/get_file.hpp>

#include <set>

using Catch::Matchers::Contains;
namespace apps = tl::applications;
using tl::json;
using tl::test::OracleCase;

namespace {

/// The spec cases of the fast suite: all 13 models with and without the top, plus variants whose structure
/// differs (pooling heads, VGG's top at a non-224 size, NASNet's shape-dependent cells).
std::vector<std::string> spec_cases() {
  std::vector<std::string> cases;
  for (const auto& m : tl::test::classic_models()) {
    cases.push_back(m);
    cases.push_back(m + ":include_top=0");
  }
  for (const auto& c : {"VGG16:include_top=0,pooling=avg", "VGG16:input_shape=64x64", "ResNet50V2:include_top=0,pooling=max",
                        "InceptionV3:include_top=0,pooling=avg", "InceptionResNetV2:include_top=0,pooling=max",
                        "Xception:include_top=0,pooling=avg", "DenseNet121:include_top=0,pooling=max",
                        "NASNetMobile:include_top=0,pooling=avg", "NASNetMobile:include_top=0,input_shape=224x224",
                        "NASNetMobile:include_top=0,input_shape=33x33", "NASNetLarge:include_top=0,input_shape=331x331"})
    cases.push_back(c);
  return cases;
}

const json& spec() {
  static const json result = [] {
    const auto& dir = tl::test::made_once([](const tl::test::TempDir& d) {
      std::string args = "spec " + (d / "spec.json").string();
      for (const auto& c : spec_cases()) args += " " + c;
      tl::test::python("applications_reference.py", args);
    });
    return tl::test::read_json(dir / "spec.json");
  }();
  return result;
}

/// Forward-parity cases: one model per family with its top at its smallest input (fast suite), and the rest.
const std::vector<std::string> fast_parity = {"VGG16",       "ResNet50V2",   "InceptionV3", "InceptionResNetV2",
                                              "Xception",    "DenseNet121",  "NASNetMobile",
                                              // Keras 2.2.4's names (conv2d_1, fc1000): loads by order
                                              "DenseNet121:flavour=keras_applications"};
const std::vector<std::string> full_parity = {
    "VGG19", "ResNet101V2", "ResNet152V2", "DenseNet169", "DenseNet201", "NASNetLarge",
    "VGG16:include_top=0,pooling=max", "VGG19:include_top=0", "ResNet50V2:include_top=0,pooling=avg",
    "ResNet101V2:include_top=0", "ResNet152V2:include_top=0,pooling=max", "InceptionV3:include_top=0",
    "InceptionResNetV2:include_top=0,pooling=avg", "Xception:include_top=0,pooling=max", "DenseNet121:include_top=0",
    "DenseNet169:include_top=0,pooling=avg", "DenseNet201:include_top=0", "NASNetMobile:include_top=0,pooling=max",
    "NASNetMobile:include_top=0,input_shape=224x224", "NASNetLarge:include_top=0", "InceptionV3:flavour=keras_applications",
    "InceptionResNetV2:flavour=keras_applications", "NASNetMobile:flavour=keras_applications"};

std::filesystem::path parity_dir(const std::vector<std::string>& cases, const tl::test::TempDir& dir) {
  std::string args = "parity " + dir.path().string();
  for (const auto& c : cases) args += " " + c;
  tl::test::python("applications_reference.py", args);
  return dir.path();
}

const std::filesystem::path& fast_reference() {
  static const auto path = tl::test::made_once([](const tl::test::TempDir& d) { parity_dir(fast_parity, d); }).path();
  return path;
}

/// tl's model of a parity case with the case's weights file (loaded by order) at the case's input size.
tl::Model parity_model(const std::filesystem::path& case_dir, const OracleCase& c) {
  const auto meta = tl::test::read_json(case_dir / "meta.json");
  auto options = c.options;
  options.weights = (case_dir / "weights.h5").string();
  options.input_shape = tl::test::json_shape(meta["kwargs"]["input_shape"]);
  return tl::test::build_case(c, options);
}

/// Runs one parity case; returns (error, tolerance).
std::pair<double, double> check_parity(const std::filesystem::path& root, const std::string& text) {
  const auto c = tl::test::parse_case(text);
  const auto dir = root / tl::test::case_dir_name(text);
  const auto meta = tl::test::read_json(dir / "meta.json");
  const auto model = parity_model(dir, c);
  const auto x = tl::test::read_floats(dir / "x.bin", meta["x_shape"].get<std::vector<int64_t>>());
  const auto y_shape = meta["y_shape"].get<std::vector<int64_t>>();
  auto expected = torch::empty(y_shape, torch::kFloat64);
  {
    std::ifstream in(dir / "y64.bin", std::ios::binary);
    in.read(reinterpret_cast<char*>(expected.data_ptr<double>()), std::streamsize(expected.numel() * sizeof(double)));
    REQUIRE(in.gcount() == std::streamsize(expected.numel() * sizeof(double)));
  }
  torch::NoGradGuard no_grad;
  const auto y = model(x);
  REQUIRE(y.sizes().vec() == y_shape);
  const double error = tl::test::relative_error(y, expected);
  const double tolerance = std::max(1e-4, 10 * meta["float32_error"].get<double>());
  std::cout << "parity " << text << ": " << model->layers().size() << " layers, input " << tl::to_string(x.sizes().vec())
            << ", max |tl - keras64| / max |keras64| = " << error << " (keras float32: "
            << meta["float32_error"].get<double>() << ", tolerance " << tolerance << ")" << std::endl;
  return {error, tolerance};
}

/// Each layer's inbound layers (call order) in tl's graph, from the outputs back.
std::map<std::string, std::vector<std::string>> inbound_layers(const tl::Model& model) {
  std::map<std::string, std::vector<std::string>> out;
  std::vector<tl::KerasTensor> pending = model.outputs();
  std::set<const tl::Node*> seen;
  while (!pending.empty()) {
    const auto t = pending.back();
    pending.pop_back();
    if (!seen.insert(t.node().get()).second) continue;
    auto& names = out[t.node()->layer->name()];
    for (const auto& input : t.node()->inputs) {
      names.push_back(input.node()->layer->name());
      pending.push_back(input);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("Classic applications have Keras's layers, order, configs, wiring, weights and totals",
          "[applications][classic]") {
  // keras.io's published totals (include_top, 1000 classes), checked on tl's models beside the oracle's counts.
  const std::map<std::string, int64_t> published = {
      {"VGG16", 138'357'544},       {"VGG19", 143'667'240},       {"ResNet50V2", 25'613'800},  {"ResNet101V2", 44'675'560},
      {"ResNet152V2", 60'380'648},  {"InceptionV3", 23'851'784},  {"InceptionResNetV2", 55'873'736},
      {"Xception", 22'910'480},     {"DenseNet121", 8'062'504},   {"DenseNet169", 14'307'880},
      {"DenseNet201", 20'242'984},  {"NASNetMobile", 5'326'716},  {"NASNetLarge", 88'949'818}};
  const auto& cases = spec()["cases"];
  REQUIRE(cases.size() == spec_cases().size());
  for (const auto& expected : cases) {
    const auto c = tl::test::parse_case(expected["case"].get<std::string>());
    CAPTURE(c.text);
    const auto model = tl::test::build_case(c, c.options);
    CHECK(model.name() == expected["name"].get<std::string>());
    CHECK(model.inputs()[0].shape() == tl::test::json_shape(expected["input_shape"]));
    CHECK(model.outputs()[0].shape() == tl::test::json_shape(expected["output_shape"]));
    const auto& layers = model.layers();
    const auto& keras_layers = expected["layers"];
    REQUIRE(layers.size() == keras_layers.size());
    const auto inbound = inbound_layers(model);
    std::vector<std::string> differences;  // all of a model's, to read them at once
    const auto differ = [&](size_t i, const std::string& what) {
      differences.push_back("layer " + std::to_string(i) + " (" + layers[i]->name() + "): " + what);
    };
    for (size_t i = 0; i < layers.size(); ++i) {
      const auto& layer = *layers[i];
      const auto& k = keras_layers[i];
      if (i > 0 && layer.name() != k["name"].get<std::string>()) differ(i, "name, Keras: " + k["name"].get<std::string>());
      if (layer.class_name() != k["class_name"].get<std::string>()) differ(i, "class " + layer.class_name());
      if (layer.call_output_shapes().at(0) != tl::test::json_shape(k["output_shape"]))
        differ(i, "output shape " + tl::to_string(layer.call_output_shapes().at(0)));
      if (i > 0) {
        auto keras_inbound = k["inbound"].get<std::vector<std::string>>();
        if (keras_inbound.size() == 1 && keras_inbound[0] == keras_layers[0]["name"]) keras_inbound[0] = layers[0]->name();
        if (inbound.at(layer.name()) != keras_inbound) differ(i, "inbound layers");
        // Every key of Keras's config (the architecture's arguments) has Keras's value.
        const auto config = layer.get_config();
        for (const auto& [key, value] : k["config"].items())
          if (!config.contains(key) || config[key] != value)
            differ(i, "config " + key + ": Keras " + value.dump() + ", tl " + (config.contains(key) ? config[key].dump() : "-"));
      }
      const auto weights = tl::io::detail::legacy_weights(layer);
      if (weights.size() != k["weights"].size()) {
        differ(i, "weight count " + std::to_string(weights.size()));
        continue;
      }
      for (size_t w = 0; w < weights.size(); ++w) {
        const auto& kw = k["weights"][w];
        if (weights[w].name != kw["name"].get<std::string>()) differ(i, "weight name " + weights[w].name);
        if (weights[w].keras_shape() != kw["shape"].get<std::vector<int64_t>>())
          differ(i, "weight shape " + tl::Weight::shape_string(weights[w].keras_shape()));
        if (weights[w].trainable != kw["trainable"].get<bool>()) differ(i, "trainable " + weights[w].name);
      }
    }
    for (size_t i = 0; i < std::min<size_t>(differences.size(), 20); ++i) UNSCOPED_INFO(differences[i]);
    CHECK(differences.empty());
    const auto& params = expected["params"];
    CHECK(model.count_params() == params["total"].get<int64_t>());
    if (published.count(c.text)) CHECK(model.count_params() == published.at(c.text));
    CHECK(tl::count_params(model->trainable_weights()) == params["trainable"].get<int64_t>());
    if (c.keys.empty() || c.keys.size() == 1) {  // summary() of the plain variants: Keras's three totals
      const auto text = tl::test::capture_stdout([&] { model.summary(); });
      const auto number = [](int64_t n) {  // 1234567 -> "1,234,567"
        const auto digits = std::to_string(n);
        std::string s;
        for (size_t i = 0; i < digits.size(); ++i) {
          if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
          s += digits[i];
        }
        return s;
      };
      CHECK_THAT(text, Contains("Total params: " + number(params["total"].get<int64_t>())));
      CHECK_THAT(text, Contains("Trainable params: " + number(params["trainable"].get<int64_t>())));
      CHECK_THAT(text, Contains("Non-trainable params: " + number(params["non_trainable"].get<int64_t>())));
    }
  }
}

TEST_CASE("Classic applications compute what Keras computes (one model per family, smallest inputs)",
          "[applications][classic][parity]") {
  for (const auto& text : fast_parity) {
    CAPTURE(text);
    const auto [error, tolerance] = check_parity(fast_reference(), text);
    CHECK(error <= tolerance);
  }
}

TEST_CASE("Classic applications compute what Keras computes (every other model and variant)", "[.][applications_full]") {
  static const tl::test::TempDir dir;
  // In groups, so that the big files (NASNetLarge 340 MB, ResNet152V2 250 MB) do not pile up on disk.
  for (size_t begin = 0; begin < full_parity.size(); begin += 4) {
    const std::vector<std::string> group(full_parity.begin() + long(begin),
                                         full_parity.begin() + long(std::min(begin + 4, full_parity.size())));
    parity_dir(group, dir);
    for (const auto& text : group) {
      CAPTURE(text);
      const auto [error, tolerance] = check_parity(dir.path(), text);
      CHECK(error <= tolerance);
      std::filesystem::remove_all(dir / tl::test::case_dir_name(text));
    }
  }
}

TEST_CASE("Keras's weights files load by name on request", "[applications][classic]") {
  const auto dir = fast_reference() / "DenseNet121";
  const auto c = tl::test::parse_case("DenseNet121");
  const auto by_order = parity_model(dir, c);
  auto options = c.options;
  options.input_shape = by_order.inputs()[0].shape();
  options.input_shape.erase(options.input_shape.begin());
  const auto model = tl::test::build_case(c, options);  // random weights
  model.load_weights(dir / "weights.h5", {.by_name = true});
  const auto x = torch::rand({2, 32, 32, 3}) * 2 - 1;
  torch::NoGradGuard no_grad;
  CHECK(torch::equal(model(x), by_order(x)));

  // A Keras 2.2.4 file (conv2d_1..., fc1000) matches tf.keras's names only where layers are explicitly named: by
  // name, its fc1000 is skipped, as Keras skips it.
  const auto old = fast_reference() / "DenseNet121_flavour=keras_applications";
  const auto partial = tl::test::build_case(c, options);
  partial.load_weights(old / "weights.h5", {.by_name = true});
  const auto old_model = parity_model(old, c);
  CHECK(torch::equal(partial.get_layer("conv5_block16_2_conv")->get_weights()[0],
                     old_model.get_layer("conv5_block16_2_conv")->get_weights()[0]));
  CHECK_FALSE(torch::equal(partial.get_layer("predictions")->get_weights()[0],
                           old_model.get_layer("predictions")->get_weights()[0]));
}

TEST_CASE("save_weights of the classic applications writes what Keras's save_weights writes",
          "[applications][classic]") {
  // h5py's view of Keras's file and of tl's, after loading Keras's: attributes, groups (DenseNet's conv1/conv
  // nested, NASNet's name-scoped paths), dataset paths, dtypes, shapes and bytes.
  tl::test::TempDir out;
  std::string command;
  for (const auto& text : {"DenseNet121", "NASNetMobile"}) {
    const auto dir = fast_reference() / text;
    parity_model(dir, tl::test::parse_case(text)).save_weights(out / (std::string(text) + ".h5"));
    for (const auto& file : {dir / "weights.h5", out / (std::string(text) + ".h5")})
      command += std::string(TL_TEST_PYTHON) + " " + TL_TEST_SCRIPTS + "/h5_dump.py " + file.string() + "; echo '#####'; ";
  }
  const auto dumps = tl::test::run(command);
  std::vector<std::string> parts;
  for (size_t at = 0, next; (next = dumps.find("#####\n", at)) != std::string::npos; at = next + 6)
    parts.push_back(dumps.substr(at, next - at));
  REQUIRE(parts.size() == 4);
  // The oracle writes string attributes as h5py 2 did (fixed-length, as in the published ImageNet files); tf.keras
  // 2.11 under h5py 3 writes them variable-length, as tl does (tests/io/keras_weights_test.cpp checks that type
  // against Keras's saving code under both h5py versions). Here the type of a string attribute is left out, its
  // value is compared.
  const auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (const auto at = line.find(" string("); at != std::string::npos)
        line.erase(at + 7, line.find(')', at) - at - 6);  // " string(fixed20, pad=1, cset=0)" -> " string"
      out.push_back(line);
    }
    return out;
  };
  for (size_t i = 0; i < parts.size(); i += 2) {
    CAPTURE(i / 2);
    const auto keras = lines(parts[i]), ours = lines(parts[i + 1]);
    CHECK(keras.size() > 1000);
    CHECK(keras.size() == ours.size());
    std::vector<std::string> differences;  // the first few differing lines, not two whole dumps
    for (size_t l = 0; l < std::min(keras.size(), ours.size()) && differences.size() < 6; ++l)
      if (keras[l] != ours[l]) differences.push_back("keras: " + keras[l] + "\n   tl: " + ours[l]);
    for (const auto& d : differences) UNSCOPED_INFO(d);
    CHECK(differences.empty());
  }
  CHECK_THAT(parts[0], Contains("/conv1/conv/conv1/conv/kernel:0"));
  CHECK_THAT(parts[2], Contains("/normal_conv_1_0/normal_A_block_0/normal_conv_1_0/kernel:0"));
}

TEST_CASE("Classic applications fetch Keras's ImageNet files (name, URL, md5)", "[applications][classic]") {
  // Each model with weights="imagenet", offline, with a stale file in the cache: get_file names the URL and the
  // cache path in its error and the md5 it expected on stdout; all three are the get_file call Keras makes.
  std::map<std::string, json> keras_files;
  for (const auto& expected : spec()["cases"]) keras_files[expected["case"].get<std::string>()] = expected["weights_file"];
  tl::test::OfflineKerasHome home;
  std::filesystem::create_directories(home.models());
  for (const auto& m : tl::test::classic_models())
    for (bool top : {true, false}) {
      const auto text = m + (top ? "" : ":include_top=0");
      CAPTURE(text);
      const auto& file = keras_files.at(text);
      REQUIRE(file.is_object());
      const auto fname = file["fname"].get<std::string>();
      { std::ofstream(home.models() / fname) << "stale"; }
      std::string error;
      const auto printed = tl::test::capture_stdout([&] {
        try {
          tl::test::build_case(tl::test::parse_case(m), {.include_top = top});
        } catch (const std::exception& e) {
          error = e.what();
        }
      });
      CHECK_THAT(error, Contains(file["origin"].get<std::string>()) && Contains((home.models() / fname).string()));
      CHECK_THAT(printed, Contains("does not match the original value of " + file["file_hash"].get<std::string>()));
      std::filesystem::remove(home.models() / fname);
    }
}

TEST_CASE("Classic applications check their arguments as Keras does", "[applications][classic]") {
  const auto fails = [](const std::function<void()>& make, const std::string& message) {
    CAPTURE(message);
    CHECK_THAT(tl::test::message_of(make), Contains(message));
  };
  fails([] { apps::VGG16({.input_shape = {64, 64, 3}}); },
        "When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be (224, 224, 3).");
  fails([] { apps::InceptionV3({.include_top = false, .weights = "none", .input_shape = {74, 80, 3}}); },
        "Input size must be at least 75x75; got `input_shape=(74, 80, 3)`");
  fails([] { apps::InceptionResNetV2({.include_top = false, .weights = "none", .input_shape = {80, 74, 3}}); },
        "Input size must be at least 75x75");
  fails([] { apps::Xception({.include_top = false, .weights = "none", .input_shape = {70, 70, 3}}); },
        "Input size must be at least 71x71");
  fails([] { apps::NASNetMobile({.include_top = false, .input_shape = {tl::None, tl::None, 3}}); },
        "When specifying the input shape of a NASNet and loading `ImageNet` weights, the input_shape argument must be "
        "static (no None entries). Got: `input_shape=(None, None, 3)`.");
  fails([] { apps::NASNetLarge({.weights = "none", .input_shape = {tl::None, tl::None, 3}}); },
        "If `include_top` is True, you should specify a static `input_shape`.");
  fails([] { apps::DenseNet121({.classes = 10}); }, "`classes` should be 1000");
  fails([] { apps::ResNet50V2({.include_top = false, .weights = "none", .pooling = "sum"}); },
        "`pooling` should be None, \"avg\" or \"max\"");
  fails([] { apps::InceptionV3({.weights = "none", .classifier_activation = "nope"}); }, "nope");
  fails([] { apps::by_name::get("ResNet51"); }, "Unknown application model: ResNet51. Known models: VGG16, VGG19");

  // What Keras accepts: VGG's top at any static size without ImageNet weights (fc1 sized by it), logits, other
  // class counts, NASNet's shape-dependent cells at odd sizes.
  tl::backend::clear_session();
  const auto vgg = apps::VGG16({.weights = "none", .input_shape = {64, 64, 3}, .classes = 7, .classifier_activation = ""});
  CHECK(vgg.get_layer("fc1")->get_weights()[0].sizes().vec() == std::vector<int64_t>{2048, 4096});
  CHECK(vgg.outputs()[0].shape() == tl::Shape{tl::None, 7});
  CHECK(apps::NASNetMobile({.include_top = false, .weights = "none"}).inputs()[0].shape() ==
        tl::Shape{tl::None, tl::None, tl::None, 3});
  CHECK(apps::Xception({.include_top = false, .weights = "none", .input_shape = {71, 71, 3}, .pooling = "max"})
            .outputs()[0]
            .shape() == tl::Shape{tl::None, 2048});
}

TEST_CASE("NASNet without its top loads the no-top ImageNet file (tl's static default, a named divergence)",
          "[applications][classic]") {
  // tf.keras 2.11 builds NASNetMobile(include_top=False) on (None, None, 3), a structure the no-top ImageNet file
  // does not fit (keras-team/keras#18365). tl builds the static 224x224 structure when ImageNet weights are asked
  // for: here a file of that structure, written by Keras's code, stands in for Keras's (its hash stamped as
  // checked), and loads.
  tl::test::TempDir dir;
  tl::test::python("applications_reference.py",
                   "parity " + dir.path().string() + " NASNetMobile:include_top=0,input_shape=224x224,batch=1");
  const auto case_dir = dir / "NASNetMobile_include_top=0_input_shape=224x224_batch=1";
  tl::test::OfflineKerasHome home;
  std::filesystem::create_directories(home.models());
  const auto cached = home.models() / "nasnet_mobile_no_top.h5";
  std::filesystem::copy_file(case_dir / "weights.h5", cached);
  tl::utils::detail::write_hash_stamp(cached, "md5", "1ed92395b5b598bdda52abe5c0dbfd63");
  tl::backend::clear_session();
  const auto model = apps::NASNetMobile({.include_top = false});
  CHECK(model.inputs()[0].shape() == tl::Shape{tl::None, 224, 224, 3});
  CHECK(model.layers().size() == 769);
  const auto meta = tl::test::read_json(case_dir / "meta.json");
  const auto x = tl::test::read_floats(case_dir / "x.bin", meta["x_shape"].get<std::vector<int64_t>>());
  const auto expected = tl::test::read_floats(case_dir / "y.bin", meta["y_shape"].get<std::vector<int64_t>>());
  torch::NoGradGuard no_grad;
  CHECK(tl::test::relative_error(model(x), expected) < std::max(1e-4, 10 * meta["float32_error"].get<double>()));
}
