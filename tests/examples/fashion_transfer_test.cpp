// Runs the main job, examples/fashion_transfer, end to end on a miniature Fashion-MNIST (its own file: the longest
// test, which `ctest -j` starts first).
#include "examples_support.hpp"

#include <regex>

using tl::test::TempDir;
using tl::test::examples::count;
using tl::test::examples::run_status;

TEST_CASE("fashion_transfer runs the whole experiment on a miniature Fashion-MNIST and prints its table") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "idx");
  tl::test::python("make_fashion_idx.py", (tmp / "idx").string() + " 12");
  const auto [status, out] = run_status(tl::test::examples::dir + "/fashion_transfer --data " +
                                        (tmp / "idx").string() + " --cache " + (tmp / "cache").string() +
                                        " --pretrain-epochs 1 --shots 2 --seeds 2");
  INFO(out);
  REQUIRE(status == 0);
  CHECK(count(out, "/train: 120 images") == 1);
  CHECK(count(out, "/test: 60 images") == 1);
  CHECK(count(out, "Found 60 images belonging to 5 classes.") == 1);  // the source classes' training images
  CHECK(count(out, "Found 10 images belonging to 5 classes.") == 2);  // two draws of 2 images per target class
  CHECK(count(out, "Saved the pretrained weights to ") == 1);
  CHECK(std::filesystem::exists(tmp / "cache/fashion_source_resnet.h5"));
  const std::regex row(R"(\n       2 \|  [01]\.\d{3} ± 0\.\d{3} \|  [01]\.\d{3} ± 0\.\d{3} \|  [01]\.\d{3} ± 0\.\d{3}\n)");
  CHECK(std::regex_search(out, row));
  CHECK(count(out, "Test accuracy on the 30 target-class test images (mean ± std over 2 seeds):") == 1);
}
