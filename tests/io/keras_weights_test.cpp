// Keras-HDF5 weights: tl's files against files written by Keras's saving code with h5py, both directions.
#include "weights_fixtures.hpp"

#include <fstream>
#include <regex>

using tl::io::LayerList;
using tl::io::load_weights_hdf5;
using tl::io::save_weights_hdf5;
using tl::test::message_of;
using tl::test::python;
using tl::test::same_weights;
using tl::test::sample_layers;
using tl::test::TempDir;
using tl::test::write_keras_file;

namespace {

std::string dump(const std::filesystem::path& h5) { return python("h5_dump.py", h5.string()); }

/// Many weightless layers with long names, so that `layer_names` exceeds 64 KB and Keras chunks it.
LayerList with_many_layers(LayerList layers) {
  for (int i = 0; i < 1500; ++i)
    layers.push_back(tl::test::stub("activation_with_a_deliberately_long_name_for_chunking_" + std::to_string(i), {}));
  return layers;
}

}  // namespace

TEST_CASE("save_weights_hdf5 writes exactly the layout Keras's save_weights writes", "[io][hdf5]") {
  TempDir dir;
  auto layers = sample_layers();
  SECTION("all layers trainable") {}
  SECTION("a frozen layer inside a nested model moves its weights after the trainable ones") {
    std::dynamic_pointer_cast<tl::test::StubModelImpl>(layers[1])->inner()[0]->set_trainable(false);
  }
  save_weights_hdf5(dir / "tl.h5", layers);
  write_keras_file(layers, dir / "keras.h5");
  const auto tl_dump = dump(dir / "tl.h5");
  CHECK(tl_dump == dump(dir / "keras.h5"));
  CHECK(tl_dump.find("dataset /resnet_stub/conv1_conv/kernel:0 link_cset=0 dtype=<f4 shape=(3, 3, 3, 4)") !=
        std::string::npos);
  CHECK(tl_dump.find("dataset /dense/dense/kernel:0 link_cset=0 dtype=<f4 shape=(5, 2)") != std::string::npos);
}

TEST_CASE("save_weights_hdf5 splits a large layer_names into layer_names0, layer_names1 as Keras", "[io][hdf5]") {
  TempDir dir;
  const auto layers = with_many_layers(sample_layers());
  save_weights_hdf5(dir / "tl.h5", layers);
  write_keras_file(layers, dir / "keras.h5");
  const auto tl_dump = dump(dir / "tl.h5");
  CHECK(tl_dump.find("attr /:layer_names1 string(fixed") != std::string::npos);
  CHECK(tl_dump == dump(dir / "keras.h5"));
}

TEST_CASE("load_weights_hdf5 reads files written by h5py in Keras's layout", "[io][hdf5]") {
  TempDir dir;
  const auto source = sample_layers();
  const std::string flags = GENERATE(std::string(""), std::string("--h5py2"), std::string("--model-file"),
                                     std::string("--h5py2 --model-file"));
  CAPTURE(flags);
  write_keras_file(source, dir / "keras.h5", flags);

  SECTION("by order") {
    const auto target = sample_layers();
    REQUIRE_FALSE(same_weights(source, target));
    load_weights_hdf5(dir / "keras.h5", target);
    CHECK(same_weights(source, target));
  }
  SECTION("by name, into layers in another order with an extra layer") {
    auto target = sample_layers();
    std::reverse(target.begin(), target.end());
    target.push_back(tl::test::stub("new_head", {{"kernel", {2, 2}}}));
    const auto untouched = target.back()->get_weights();
    load_weights_hdf5(dir / "keras.h5", target, {.by_name = true});
    std::reverse(target.begin(), target.end() - 1);
    CHECK(same_weights(source, {target.begin(), target.end() - 1}));
    CHECK(torch::equal(untouched[0], target.back()->get_weights()[0]));
  }
}

TEST_CASE("load_weights_hdf5 reads a chunked layer_names written by Keras's code", "[io][hdf5]") {
  TempDir dir;
  const auto source = with_many_layers(sample_layers());
  write_keras_file(source, dir / "keras.h5");
  const auto target = with_many_layers(sample_layers());
  load_weights_hdf5(dir / "keras.h5", target);
  CHECK(same_weights(source, target));
}

TEST_CASE("weights saved by tl load back by order and by name", "[io][hdf5]") {
  TempDir dir;
  const auto source = sample_layers();
  save_weights_hdf5(dir / "w.h5", source);
  const auto by_order = sample_layers(), by_name = sample_layers();
  load_weights_hdf5(dir / "w.h5", by_order);
  load_weights_hdf5(dir / "w.h5", by_name, {.by_name = true});
  CHECK(same_weights(source, by_order));
  CHECK(same_weights(source, by_name));
}

TEST_CASE("mismatched weights are refused with Keras's messages naming the layer and both shapes", "[io][hdf5]") {
  TempDir dir;
  const auto file = dir / "w.h5";
  save_weights_hdf5(file, sample_layers());
  auto target = sample_layers();
  target.back() = tl::test::stub("dense", {{"kernel", {5, 3}}, {"bias", {3}}});
  const auto before = target[2]->get_weights();

  SECTION("by order") {
    const auto message = message_of([&] { load_weights_hdf5(file, target); });
    CHECK_THAT(message, Catch::Contains("Shape mismatch in layer #3 (named dense) for weight dense/kernel:0. "
                                       "Weight expects shape (5, 3). Received saved weight with shape (5, 2)"));
    CHECK_THAT(message, Catch::Contains(file.string()));
    CHECK(torch::equal(before[0], target[2]->get_weights()[0]));  // nothing assigned
  }
  SECTION("by name") {
    CHECK_THROWS_WITH(load_weights_hdf5(file, target, {.by_name = true}),
                      Catch::Contains("Shape mismatch in layer #5 (named dense) for weight dense/kernel:0. Weight "
                                      "expects shape (5, 3). Received saved weight with shape (5, 2)"));
  }
  SECTION("by name with skip_mismatch: a warning, the other layers load") {
    const auto warnings = tl::test::capture(std::cerr, [&] {
      load_weights_hdf5(file, target, {.by_name = true, .skip_mismatch = true});
    });
    CHECK_THAT(warnings, Catch::Contains("WARNING: Skipping loading weights for layer #5 (named dense) due to "
                                               "mismatch in shape for weight dense/kernel:0. Weight expects shape "
                                               "(5, 3). Received saved weight with shape (5, 2)"));
    CHECK_FALSE(torch::equal(before[0], target[2]->get_weights()[0]));
  }
  SECTION("a different number of layers with weights") {
    target.pop_back();
    CHECK_THROWS_WITH(load_weights_hdf5(file, target),
                      Catch::Contains("Layer count mismatch when loading weights from file. Model expected 3 "
                                      "layers, found 4 saved layers."));
  }
  SECTION("a different number of weights in a layer") {
    target.back() = tl::test::stub("dense", {{"kernel", {5, 2}}});
    CHECK_THROWS_WITH(load_weights_hdf5(file, target),
                      Catch::Contains("Weight count mismatch for layer #3 (named dense in the current model, dense "
                                      "in the save file). Layer expects 1 weight(s). Received 2 saved weight(s)"));
  }
  SECTION("skip_mismatch needs by_name") {
    CHECK_THROWS_AS(load_weights_hdf5(file, target, {.skip_mismatch = true}), tl::ValueError);
  }
}

TEST_CASE("malformed weight files give errors naming the file and the problem", "[io][hdf5]") {
  TempDir dir;
  const auto layers = sample_layers();
  const auto file = dir / "bad.h5";
  const auto error_of = [&] { return message_of([&] { load_weights_hdf5(file, layers, {.by_name = true}); }); };

  SECTION("missing") { CHECK_THAT(error_of(), Catch::Contains(file.string()) && Catch::Contains("no such file")); }
  SECTION("not HDF5") {
    std::ofstream(file) << "this is not an HDF5 file\n";
    CHECK_THROWS_AS(load_weights_hdf5(file, layers), tl::IOError);
    CHECK_THAT(error_of(), Catch::Contains(file.string()) && Catch::Contains("not an HDF5 file"));
  }
  SECTION("truncated") {
    save_weights_hdf5(dir / "good.h5", layers);
    std::filesystem::copy_file(dir / "good.h5", file);
    std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
    CHECK_THROWS_AS(load_weights_hdf5(file, layers), tl::IOError);
    CHECK_THAT(error_of(), Catch::Contains(file.string()) && Catch::Contains("truncated"));
  }
}

TEST_CASE("malformed Keras-like files written by h5py give errors naming the file and the object", "[io][hdf5]") {
  TempDir dir;
  const auto layers = sample_layers();
  const auto file = dir / "bad.h5";
  struct Case {
    std::string kind, expected;
  };
  const auto c = GENERATE(Case{"no_layer_names", "not a Keras weights file"},
                          Case{"missing_group", "`/dense` in file"},
                          Case{"int_dataset", "`/dense/dense/kernel:0` in file"},
                          Case{"string_dataset", "does not hold numbers"},
                          Case{"missing_dataset", "`/dense/dense/bias:0` in file"},
                          Case{"numeric_weight_names", "is not a string"});
  CAPTURE(c.kind);
  python("make_bad_h5.py", c.kind + " " + file.string());
  const auto message = message_of([&] { load_weights_hdf5(file, layers, {.by_name = true}); });
  CHECK_THAT(message, Catch::Contains(file.string()) && Catch::Contains(c.expected));
}

TEST_CASE("an interrupted save_weights_hdf5 leaves the previous file intact", "[io][hdf5]") {
  TempDir dir;
  const auto file = dir / "checkpoint.h5";
  const auto saved = sample_layers();
  save_weights_hdf5(file, saved);

  // A layer that fails while the file is being written, after other layers' datasets are in it.
  struct FailingLayer : tl::test::StubLayerImpl {
    FailingLayer() : StubLayerImpl("zz_failing", {{"kernel", {2}}}) {}
    std::vector<tl::Weight> weights() const override {
      if (++calls > 1) throw std::runtime_error("simulated crash while writing");
      return StubLayerImpl::weights();
    }
    mutable int calls = 0;
  };
  auto layers = sample_layers();
  layers.push_back(std::make_shared<FailingLayer>());
  CHECK_THROWS_WITH(save_weights_hdf5(file, layers), "simulated crash while writing");

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) files.push_back(entry.path());
  CHECK(files == std::vector<std::filesystem::path>{file});  // no temporary file left behind
  const auto reloaded = sample_layers();
  load_weights_hdf5(file, reloaded);
  CHECK(same_weights(saved, reloaded));
}

TEST_CASE("save_weights_hdf5 into a missing directory is an IOError naming the path", "[io][hdf5]") {
  TempDir dir;
  const auto file = dir / "no_such_dir" / "w.h5";
  CHECK_THROWS_AS(save_weights_hdf5(file, sample_layers()), tl::IOError);
  CHECK_THAT(message_of([&] { save_weights_hdf5(file, sample_layers()); }), Catch::Contains(file.string()));
}

TEST_CASE("save_model_hdf5 writes a whole-model file whose weights and config load back", "[io][hdf5]") {
  TempDir dir;
  const auto source = sample_layers();
  tl::io::save_model_hdf5(dir / "model.h5", R"({"class_name": "Functional"})", source);
  CHECK(tl::io::load_model_config_hdf5(dir / "model.h5") == R"({"class_name": "Functional"})");
  const auto target = sample_layers();
  load_weights_hdf5(dir / "model.h5", target);
  CHECK(same_weights(source, target));
  // Keras's whole-model layout, as h5py sees it.
  write_keras_file(source, dir / "keras.h5", "--model-file");
  const auto strip_config = [](std::string text) {
    return std::regex_replace(text, std::regex("attr /:model_config .*\n"), "");
  };
  CHECK(strip_config(dump(dir / "model.h5")) == strip_config(dump(dir / "keras.h5")));
}
