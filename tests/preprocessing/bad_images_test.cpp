// The regression corpus of awkward and damaged files (tests/python/bad_images.py): each gives Keras's image or
// an IOError that names the file and the reason — never a crash, a hang, a huge allocation or silent garbage.
#include <tl/preprocessing/image.hpp>

#include "image_oracle.hpp"

namespace img = tl::preprocessing::image;
using tl::test::keras_image;
using tl::test::numbers;
using tl::test::values_of;

namespace {

const tl::test::TempDir& corpus() {
  return tl::test::made_once([](const auto& dir) { tl::test::python("bad_images.py", dir.path().string()); });
}

std::vector<double> pixels(const img::Image& image) {
  return {image.pixels.begin(), image.pixels.end()};
}

std::string error_of(const std::filesystem::path& file) {
  try {
    tl::load_img(file);
  } catch (const tl::IOError& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST_CASE("damaged, unsupported and oversized files give an error naming the file and the reason", "[preprocessing][image]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"truncated.jpg", "is truncated"},
      {"bad_crc.png", "is corrupt (bad CRC in chunk IDAT)"},
      {"zero_bytes.png", "is empty (0 bytes)"},
      {"text.jpg", "not a decodable image"},
      {"huge_header.png", "is corrupt or truncated (not enough pixels)"},  // 10000x10000 in 69 bytes
      {"bomb_header.png", "exceeds limit of 178956970 pixels, could be decompression bomb"},
      {"scan.tiff", "TIFF images are not supported"}};
  for (const auto& [name, reason] : cases) {
    const auto message = error_of(corpus() / name);
    INFO(message);
    REQUIRE(message.find("image file '" + (corpus() / name).string() + "'") == 0);
    REQUIRE(message.find(reason) != std::string::npos);
  }
}

TEST_CASE("awkward but valid files decode to Keras's pixels", "[preprocessing][image]") {
  for (const std::string name : {"one_pixel.png", "animated.gif", "palette_transparency.png", "gray_alpha.png", "plain.bmp"}) {
    const auto file = (corpus() / name).string();
    INFO(name);
    REQUIRE(pixels(tl::load_img(file)) == numbers(values_of(keras_image("load " + file + " 0 0 nearest rgb"), "pixels")));
  }
  for (const std::string name : {"cmyk.jpg", "progressive.jpg"}) {
    const auto file = (corpus() / name).string();
    const auto ref = numbers(values_of(keras_image("load " + file + " 0 0 nearest rgb"), "pixels"));
    const auto x = pixels(tl::load_img(file));
    REQUIRE(x.size() == ref.size());
    double diff = 0;
    for (size_t i = 0; i < x.size(); ++i) diff += std::abs(x[i] - ref[i]);
    INFO(name);
    REQUIRE(diff / x.size() < 3.0);  // stb's IDCT and chroma upsampling differ from libjpeg's by a few levels
  }
}

TEST_CASE("a 16-bit PNG keeps its high bytes (PIL clips it to 255 instead)", "[preprocessing][image]") {
  const auto file = (corpus() / "sixteen_bit.png").string();
  const auto gray = tl::load_img(file, {.color_mode = "grayscale"});
  REQUIRE(pixels(gray) == numbers(values_of(keras_image("high_bytes " + file), "pixels")));
  REQUIRE(tl::load_img(file).channels == 3);
}
