// JPEG against keras_preprocessing (PIL 9.4 on Debian's libjpeg-turbo): flow_from_directory batches of every JPEG
// kind PIL reads (baseline 4:2:0/4:4:4/4:2:2/4:4:0/4:1:1, progressive, greyscale, CMYK with and without an Adobe
// marker, YCCK, restart markers, arithmetic coding, odd sizes, EXIF orientation, damaged entropy data) identical
// to Keras's, every pixel; the opt-in fast decode identical to PIL's Image.draft; libjpeg's errors as IOErrors.
#include <tl/preprocessing/image.hpp>
#include <tl/preprocessing/image/detail/jpeg_decoder.hpp>

#include "image_oracle.hpp"

#include <fstream>

namespace img = tl::preprocessing::image;
using tl::test::KerasImage;
using tl::test::numbers;
using tl::test::values_of;

namespace {

/// Every JPEG kind PIL reads, in two class folders (`keras_image.py jpeg_tree`), filled once per test run.
tl::test::OracleDir& jpeg_tree() {
  static tl::test::OracleDir dir("jpeg_tree");
  return dir;
}

std::vector<uint8_t> bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<double> jpeg_pixels(const img::Image& image) { return {image.pixels.begin(), image.pixels.end()}; }

/// A file of the tree by name (jpeg_tree puts names before "m" in a/, the others in b/).
std::filesystem::path in_tree(const tl::test::OracleDir& tree, const std::string& name) {
  return tree / ((name < "m" ? "a/" : "b/") + name);
}

}  // namespace

TEST_CASE("flow_from_directory batches of every JPEG kind equal Keras's, every pixel", "[preprocessing][image]") {
  struct Case { int h, w; std::string interpolation, color; int workers; };
  const std::vector<Case> cases{{224, 224, "nearest", "rgb", 2}, {32, 40, "bilinear", "grayscale", 0}, {17, 23, "bicubic", "rgba", 1}};
  tl::test::TempDir out;
  KerasImage oracle;
  const auto& tree = oracle.need(jpeg_tree());
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto& c = cases[k];
    oracle.add("batches_bin " + tree.path().string() + " " + (out / std::to_string(k)).string() + " " + std::to_string(c.h) + " " +
               std::to_string(c.w) + " " + c.interpolation + " " + c.color);
  }
  const auto answers = oracle.run();
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto& c = cases[k];
    INFO(c.h << "x" << c.w << " " << c.interpolation << " " << c.color);
    const auto reference = bytes_of(out / std::to_string(k));
    std::optional<img::DirectoryIterator> it;
    tl::test::capture_stdout([&] {
      it.emplace(img::ImageDataGenerator().flow_from_directory(
          tree.path(), {.target_size = {c.h, c.w}, .color_mode = c.color, .class_mode = "", .batch_size = 8, .shuffle = false,
                        .interpolation = c.interpolation, .loader = {.workers = c.workers}}));
    });
    REQUIRE(it->filenames == values_of(answers[k], "filenames"));
    REQUIRE(it->samples > 60);  // every kind made it into the tree
    size_t at = 0;
    for (int64_t i = 0; i < it->size(); ++i) {
      const auto x = it->get_batch(i).x.to(torch::kUInt8).contiguous();
      const auto n = static_cast<size_t>(x.numel());
      REQUIRE(at + n <= reference.size());
      const uint8_t* mine = x.data_ptr<uint8_t>();
      for (int64_t j = 0; j < x.size(0); ++j) {
        const size_t per = n / static_cast<size_t>(x.size(0));
        INFO(it->filenames[static_cast<size_t>(i * 8 + j)]);
        REQUIRE(std::equal(mine + j * per, mine + (j + 1) * per, reference.begin() + static_cast<std::ptrdiff_t>(at + j * per)));
      }
      at += n;
    }
    REQUIRE(at == reference.size());
  }
}

TEST_CASE("fast_jpeg decodes as PIL's Image.draft does, and only when the target is at most half the image", "[preprocessing][image]") {
  struct Case { std::string file; int h, w; std::string interpolation, color; };
  const std::vector<Case> cases{{"photo_512x384_q90.jpg", 224, 224, "nearest", "rgb"},   // 384 / 224 < 2: no scaling
                                {"photo_512x384_q90.jpg", 150, 200, "nearest", "rgb"},   // 1/2
                                {"photo_512x384_q90.jpg", 96, 128, "bilinear", "rgb"},   // 1/4
                                {"photo_512x384_q90.jpg", 40, 60, "lanczos", "grayscale"},  // 1/8
                                {"photo_160x120_q75.jpg", 30, 40, "bicubic", "rgba"},    // 1/4
                                {"progressive_420.jpg", 50, 70, "nearest", "rgb"},
                                {"cmyk_adobe.jpg", 11, 13, "bilinear", "rgb"},
                                {"gray.jpg", 20, 30, "box", "grayscale"},
                                {"sub_422.jpg", 12, 16, "hamming", "rgb"}};
  KerasImage oracle;
  const auto& tree = oracle.need(jpeg_tree());
  for (const auto& c : cases) {
    const auto size = std::to_string(c.h) + " " + std::to_string(c.w) + " " + c.interpolation + " " + c.color;
    oracle.add("load_draft " + in_tree(tree, c.file).string() + " " + size);
    oracle.add("load " + in_tree(tree, c.file).string() + " " + size);
  }
  const auto answers = oracle.run();
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto& c = cases[k];
    INFO(c.file << " " << c.h << "x" << c.w << " " << c.interpolation << " " << c.color);
    img::LoadImgOptions o{.color_mode = c.color, .target_size = {c.h, c.w}, .interpolation = c.interpolation};
    const auto file = in_tree(tree, c.file);
    const auto exact = jpeg_pixels(tl::load_img(file, o));
    o.fast_jpeg = true;
    const auto fast = jpeg_pixels(tl::load_img(file, o));
    REQUIRE(fast == numbers(values_of(answers[2 * k], "pixels")));
    REQUIRE(exact == numbers(values_of(answers[2 * k + 1], "pixels")));
    const auto bytes = bytes_of(file);
    const auto header = img::detail::jpeg_open(bytes.data(), bytes.size());
    const int scale = img::detail::jpeg_draft_scale(header.width, header.height, c.w, c.h);
    REQUIRE((scale == 1) == (fast == exact));  // scaled: other pixels than Keras's; not scaled: Keras's
  }
  REQUIRE(img::detail::jpeg_draft_scale(512, 384, 224, 224) == 1);
  REQUIRE(img::detail::jpeg_draft_scale(4032, 3024, 224, 224) == 8);
  REQUIRE(img::detail::jpeg_draft_scale(1024, 768, 224, 224) == 2);
  REQUIRE(img::detail::jpeg_draft_scale(2048, 1536, 224, 224) == 4);
}

TEST_CASE("libjpeg's fatal errors and truncation become IOErrors naming the file", "[preprocessing][image]") {
  const auto& tree = tl::test::made(jpeg_tree());
  const auto good = bytes_of(in_tree(tree, "photo_512x384_q90.jpg"));
  REQUIRE(good.size() > 10000);
  const auto error_of = [](const std::vector<uint8_t>& bytes) -> std::string {
    try {
      img::detail::load_img_bytes(bytes, "image file 'x.jpg'", {});
    } catch (const tl::IOError& e) {
      return e.what();
    }
    return "(loaded)";
  };
  // Cut in the middle of the entropy-coded data: libjpeg suspends for more, PIL says "image file is truncated".
  REQUIRE(error_of({good.begin(), good.begin() + static_cast<std::ptrdiff_t>(good.size() / 2)}) == "image file 'x.jpg' is truncated");
  // A quantization table index beyond 3 in SOF: libjpeg's error_exit, which longjmps back into tl.
  auto bad = good;
  for (size_t i = 2; i + 12 < bad.size(); ++i)
    if (bad[i] == 0xFF && bad[i + 1] == 0xC0) {
      bad[i + 2 + 2 + 6 + 2] = 9;  // first component's Tq
      break;
    }
  const auto message = error_of(bad);
  INFO(message);
  REQUIRE(message.rfind("image file 'x.jpg' is corrupt (libjpeg: ", 0) == 0);
  // Thousands of decodes that fail inside libjpeg leave nothing behind (ASan/LSan builds check the leaks).
  for (int i = 0; i < 200; ++i) REQUIRE(error_of(bad) == message);
}
