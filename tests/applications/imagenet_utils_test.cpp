// keras.applications.imagenet_utils: preprocess_input and decode_predictions against keras_applications' own
// functions (run by tests/python/resnet_reference.py), and the class index reader.
#include "applications_support.hpp"

#include <tl/applications/imagenet_utils.hpp>
#include <tl/applications/resnet.hpp>

#include <set>

using Catch::Matchers::Contains;
namespace apps = tl::applications;

namespace {

const tl::test::TempDir& oracle(const std::string& command) {
  static tl::test::TempDir dir;
  static std::set<std::string> done;
  if (done.insert(command).second) tl::test::python("resnet_reference.py", command + " " + dir.path().string());
  return dir;
}

apps::detail::ClassIndex parse(const std::string& json) {
  return apps::detail::ClassIndexReader(json, "index.json").read();
}

}  // namespace

TEST_CASE("preprocess_input matches keras_applications in caffe, tf and torch modes", "[applications][imagenet_utils]") {
  const auto& dir = oracle("preprocess");
  const auto image = tl::test::read_floats(dir / "image.bin", {2, 5, 4, 3});
  const auto original = image.clone();
  for (const std::string mode : {"caffe", "tf", "torch"}) {
    CAPTURE(mode);
    const auto expected = tl::test::read_floats(dir / (mode + ".bin"), {2, 5, 4, 3});
    CHECK(torch::allclose(apps::preprocess_input(image, {.mode = mode}), expected, 1e-6, 1e-5));
    // Integer pixels become float32, as Keras casts to floatx; one image (no batch) works too.
    const auto from_bytes = apps::preprocess_input(image.to(torch::kUInt8), {.mode = mode});
    CHECK(from_bytes.dtype() == torch::kFloat32);
    CHECK(torch::allclose(from_bytes, expected, 1e-6, 1e-5));
    CHECK(torch::allclose(apps::preprocess_input(image[1], {.mode = mode}), expected[1], 1e-6, 1e-5));
  }
  CHECK(torch::equal(image, original));  // unlike numpy's in-place version, the input is left alone
  CHECK(torch::allclose(apps::resnet50::preprocess_input(image), tl::test::read_floats(dir / "caffe.bin", {2, 5, 4, 3}),
                        1e-6, 1e-5));
  CHECK_THROWS_WITH(apps::preprocess_input(image, {.mode = "keras"}),
                    "Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=keras");
  CHECK_THROWS_WITH(apps::preprocess_input(torch::zeros({1, 4, 4, 1})), Contains("expects RGB images with 3 channels last"));
}

TEST_CASE("decode_predictions ranks classes as keras_applications does", "[applications][imagenet_utils]") {
  const auto& dir = oracle("decode");
  const auto index = apps::detail::load_class_index((dir / "class_index.json").string());
  REQUIRE(index.size() == 1000);
  const auto preds = tl::test::read_floats(dir / "preds.bin", {2, 1000});
  const auto decoded = apps::detail::decode_predictions(preds, 4, index);
  std::ifstream expected(dir / "decoded.txt");
  REQUIRE(decoded.size() == 2);
  for (const auto& row : decoded) {
    REQUIRE(row.size() == 4);
    for (const auto& p : row) {
      std::string wnid, description, score;
      std::getline(expected, wnid, '\t');
      std::getline(expected, description, '\t');
      std::getline(expected, score);
      CHECK(p.class_name == wnid);
      CHECK(p.class_description == description);  // JSON escapes: quotes, backslash, \u00e9, a surrogate pair
      CHECK(p.score == std::stof(score));
    }
  }
  CHECK(apps::detail::decode_predictions(preds, 0, index)[0].empty());
}

TEST_CASE("decode_predictions checks the shape first, then fetches Keras's class index", "[applications][imagenet_utils]") {
  CHECK_THROWS_WITH(apps::decode_predictions(torch::zeros({2, 10})),
                    "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). "
                    "Found array with shape: (2, 10)");
  tl::test::OfflineKerasHome home;
  try {
    tl::test::capture_stdout([] { apps::decode_predictions(torch::zeros({1, 1000})); });
    FAIL("the class index cannot be fetched offline");
  } catch (const std::exception& e) {
    CHECK_THAT(e.what(), Contains("https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"));
    CHECK_THAT(e.what(), Contains((home.models() / "imagenet_class_index.json").string()));
  }
}

TEST_CASE("The class index reader accepts Keras's JSON and names what is wrong", "[applications][imagenet_utils]") {
  const auto index = parse(" {\"1\": [\"n2\", \"b\\u00e9\"],\n\"0\" : [ \"n1\" , \"a\\/\\\"\" ] } ");
  REQUIRE(index.size() == 2);
  CHECK(index[0].class_name == "n1");
  CHECK(index[0].class_description == "a/\"");
  CHECK(index[1].class_description == "b\xc3\xa9");
  CHECK_THROWS_AS(parse("{\"0\": [\"n1\"]}"), tl::IOError);
  CHECK_THROWS_WITH(parse("{\"0\": [\"n1\", \"a\"], \"2\": [\"n2\", \"b\"]}"), Contains("index.json"));
  CHECK_THROWS_WITH(parse("{\"x\": [\"n1\", \"a\"]}"), Contains("the key \"x\" is not a class number"));
  CHECK_THROWS_WITH(parse("{\"0\": [\"n1\", \"a\"]} trailing"), Contains("index.json") && Contains("expected end of input"));
  CHECK_THROWS_WITH(parse("{\"0\": [\"n1\", \"a"), Contains("index.json") && Contains("missing closing quote"));
  CHECK_THROWS_AS(apps::detail::load_class_index("/no/such/index.json"), tl::IOError);
}
