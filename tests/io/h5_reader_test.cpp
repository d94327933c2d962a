// tl's own HDF5 reader (io/detail/h5/) on files in every layout h5py and libhdf5 write, against the values the
// files were written with; what it does not read is refused with an error naming the file and the object.
#include "../support.hpp"

#include <tl/io/detail/h5/reader.hpp>

#include <fstream>

using namespace tl;
using File = tl::io::detail::h5::FileReader;
using tl::test::TempDir;

namespace {

const TempDir& variants() {
  return tl::test::made_once([](const TempDir& d) { tl::test::python("make_h5_variants.py", d.path().string()); });
}
std::string variant(const std::string& name) { return (variants() / name).string(); }

const torch::Tensor& arange() {
  static const auto a = torch::arange(6, torch::kFloat32).reshape({2, 3});
  return a;
}

}  // namespace

TEST_CASE("h5 reader: h5py's earliest, v108 and latest formats, a user block, continued headers", "[io][h5]") {
  const auto name = GENERATE(std::string("earliest.h5"), std::string("v108.h5"), std::string("latest.h5"),
                             std::string("userblock.h5"), std::string("continuation.h5"),
                             std::string("continuation_latest.h5"));
  CAPTURE(name);
  const auto file = File::open(variant(name));
  CHECK(file.has("g"));
  CHECK(file.has("/g/x"));
  CHECK_FALSE(file.has("g/y"));
  CHECK_FALSE(file.has("h/x"));
  const auto g = file.group("g");
  CHECK(torch::equal(g.read_float32("x"), arange()));
  CHECK(torch::equal(g.read_float32("/g/x"), arange()));  // absolute: from the root
  CHECK(g.group("/").has("g"));
  CHECK(torch::equal(file.read_float32("g/x"), arange()));
  CHECK(g.read_strings("names") == std::vector<std::string>{"a", "bc"});
  CHECK(g.read_strings("v") == std::vector<std::string>{"hello"});
  CHECK(g.read_strings("s") == std::vector<std::string>{"xyz"});
  CHECK(g.read_strings("e").empty());
  CHECK_FALSE(g.has_attr("missing"));
  if (name == "continuation.h5" || name == "continuation_latest.h5") {
    for (int i : name == "continuation.h5" ? std::vector<int>{0, 17, 39} : std::vector<int>{0, 3}) {
      const auto text = std::string(i < 10 ? "0" : "") + std::to_string(i);
      std::string expected;
      for (int k = 0; k < 100; ++k) expected += text;
      CHECK(g.read_strings("a" + text) == std::vector<std::string>{expected});
    }
  }
}

TEST_CASE("h5 reader: big-endian, double, half precision and compact datasets read as float32", "[io][h5]") {
  const auto g = File::open(variant("types.h5")).group("g");
  for (const auto* name : {"be", "f64", "f16", "compact"}) {
    CAPTURE(name);
    const auto x = g.read_float32(name);
    CHECK(x.scalar_type() == torch::kFloat32);
    CHECK(torch::equal(x, arange()));
  }
}

TEST_CASE("h5 reader: a group of 300 members (a two-level B-tree)", "[io][h5]") {
  const auto g = File::open(variant("many.h5")).group("g");
  for (int i = 0; i < 300; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "d%03d", i);
    REQUIRE(torch::equal(g.read_float32(name), arange() + i));
  }
  CHECK_FALSE(g.has("d300"));
}

TEST_CASE("h5 reader: what it does not read is refused, naming the file and the object", "[io][h5]") {
  const auto compressed = variant("compressed.h5");
  CHECK_THAT(tl::test::message_of([&] { File::open(compressed).read_float32("g/x"); }),
             Catch::Contains(compressed) && Catch::Contains("`/g/x`") && Catch::Contains("compressed"));
  const auto dense = variant("dense.h5");
  CHECK_THAT(tl::test::message_of([&] { File::open(dense).group("g"); }),
             Catch::Contains(dense) && Catch::Contains("`/g`") && Catch::Contains("dense links storage"));
  const auto unwritten = variant("unwritten.h5");
  CHECK_THAT(tl::test::message_of([&] { File::open(unwritten).read_float32("g/x"); }),
             Catch::Contains(unwritten) && Catch::Contains("never written"));
}

TEST_CASE("h5 reader: every layout it refuses is named in the error", "[io][h5]") {
  // docs/reliability.md lists these; none is in a Keras weights file.
  struct Case {
    std::string file, object, feature;
    std::function<void(const File&)> read;
  };
  const auto dataset = [](const File& f) { f.read_float32("g/x"); };
  const std::vector<Case> cases = {
      {"chunked.h5", "`/g/x`", "chunked (compressed or resizable) dataset storage", dataset},
      {"compressed.h5", "`/g/x`", "compressed", dataset},
      {"virtual.h5", "`/g/x`", "virtual or unknown dataset storage", dataset},
      {"dense.h5", "`/g`", "dense links storage (a fractal heap)", [](const File& f) { f.group("g"); }},
      {"dense_attrs.h5", "`/g/names`", "dense attribute storage (a fractal heap)",
       [](const File& f) { f.group("g").has_attr("names"); }},
      {"committed.h5", "`/g/x`", "a shared object header message", dataset},
      {"committed.h5", "`/g/names`", "an attribute with a shared datatype or dataspace",
       [](const File& f) { f.group("g").read_strings("names"); }},
      {"soft.h5", "`/g`", "a soft link (`y`)", [](const File& f) { f.group("g"); }},
      {"soft_latest.h5", "`/g`", "a soft link (`y`)", [](const File& f) { f.group("g"); }},
      {"external.h5", "`/g`", "an external link (`y`)", [](const File& f) { f.group("g"); }},
      {"external_latest.h5", "`/g`", "an external link (`y`)", [](const File& f) { f.group("g"); }},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file, c.feature);
    const auto path = variant(c.file);
    const auto message = tl::test::message_of([&] { c.read(File::open(path)); });
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains(c.object) && Catch::Contains(c.feature) &&
                            Catch::Contains("which tl does not"));
  }
  // What a refusal does not touch still reads.
  CHECK(torch::equal(File::open(variant("dense_attrs.h5")).read_float32("g/x"), arange()));
}

TEST_CASE("h5 reader: damaged files are IOErrors naming the file, never a crash", "[io][h5]") {
  TempDir dir;
  std::ifstream in(variant("earliest.h5"), std::ios::binary);
  const std::string good((std::istreambuf_iterator<char>(in)), {});
  const auto path = dir / "damaged.h5";
  // Every single-byte change and every truncation of a real file: loads or fails cleanly.
  auto attempt = [&](const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    try {
      const auto f = File::open(path);
      const auto g = f.group("g");
      g.read_float32("x");
      g.read_strings("names");
      g.read_strings("v");
    } catch (const IOError& e) {
      REQUIRE_THAT(e.what(), Catch::Contains(path.string()));
    } catch (const ValueError& e) {
      REQUIRE_THAT(e.what(), Catch::Contains(path.string()));
    }
  };
  for (size_t at = 0; at < good.size(); at += 7) {
    auto bytes = good;
    bytes[at] = char(~bytes[at]);
    attempt(bytes);
    attempt(good.substr(0, at));
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << good.substr(0, good.size() / 2);
  CHECK_THAT(tl::test::message_of([&] { File::open(path); }), Catch::Contains(path.string()) && Catch::Contains("truncated"));
}
