// The regression corpus of awkward and damaged files (tests/python/bad_images.py): each gives Keras's image or
// an IOError that names the file and the reason — never a crash, a hang, a huge allocation or silent garbage.
#include <tl/preprocessing/image.hpp>
#include <tl/preprocessing/image/detail/decoders.hpp>

#include "image_oracle.hpp"

namespace img = tl::preprocessing::image;
using tl::test::KerasImage;
using tl::test::numbers;
using tl::test::values_of;

namespace {

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
  const auto& corpus = tl::test::made(tl::test::bad_image_corpus());
  for (const auto& [name, reason] : cases) {
    const auto message = error_of(corpus / name);
    INFO(message);
    REQUIRE(message.find("image file '" + (corpus / name).string() + "'") == 0);
    REQUIRE(message.find(reason) != std::string::npos);
  }
}

TEST_CASE("awkward but valid files decode to Keras's pixels", "[preprocessing][image]") {
  const std::vector<std::string> exact{"one_pixel.png", "animated.gif", "palette_transparency.png", "gray_alpha.png", "plain.bmp"};
  const std::vector<std::string> jpegs{"cmyk.jpg", "progressive.jpg"};
  KerasImage oracle;
  const auto& corpus = oracle.need(tl::test::bad_image_corpus());
  for (const auto& name : exact) oracle.add("load " + (corpus / name).string() + " 0 0 nearest rgb");
  for (const auto& name : jpegs) oracle.add("load " + (corpus / name).string() + " 0 0 nearest rgb");
  const auto refs = oracle.run();
  for (size_t k = 0; k < exact.size(); ++k) {
    const auto& name = exact[k];
    INFO(name);
    REQUIRE(pixels(tl::load_img(corpus / name)) == numbers(values_of(refs[k], "pixels")));
  }
  for (size_t k = 0; k < jpegs.size(); ++k) {
    const auto& name = jpegs[k];
    const auto ref = numbers(values_of(refs[exact.size() + k], "pixels"));
    const auto x = pixels(tl::load_img(corpus / name));
    REQUIRE(x.size() == ref.size());
    double diff = 0;
    for (size_t i = 0; i < x.size(); ++i) diff += std::abs(x[i] - ref[i]);
    INFO(name);
    REQUIRE(diff / x.size() < 3.0);  // stb's IDCT and chroma upsampling differ from libjpeg's by a few levels
  }
}

TEST_CASE("a 16-bit PNG keeps its high bytes (PIL clips it to 255 instead)", "[preprocessing][image]") {
  KerasImage oracle;
  const auto file = (oracle.need(tl::test::bad_image_corpus()) / "sixteen_bit.png").string();
  oracle.add("high_bytes " + file);
  const auto refs = oracle.run();
  const auto gray = tl::load_img(file, {.color_mode = "grayscale"});
  REQUIRE(pixels(gray) == numbers(values_of(refs[0], "pixels")));
  REQUIRE(tl::load_img(file).channels == 3);
}

TEST_CASE("each file's format is sniffed from its first bytes, whatever its name", "[preprocessing][image]") {
  using Format = img::detail::ImageFormat;
  KerasImage oracle;
  const auto& corpus = oracle.need(tl::test::bad_image_corpus());
  const auto& tree = oracle.need(tl::test::keras_image_tree());
  oracle.run();
  const std::vector<std::pair<std::filesystem::path, Format>> files{
      {corpus / "truncated.jpg", Format::jpeg},   {corpus / "progressive.jpg", Format::jpeg},
      {corpus / "cmyk.jpg", Format::jpeg},        {corpus / "bad_crc.png", Format::png},
      {corpus / "bomb_header.png", Format::png},  {corpus / "animated.gif", Format::gif},
      {corpus / "plain.bmp", Format::bmp},        {corpus / "scan.tiff", Format::tiff},
      {corpus / "zero_bytes.png", Format::unknown}, {corpus / "text.jpg", Format::unknown},
      {tree / "cats/Z07.ppm", Format::pnm},       {tree / "cats/c02.JPG", Format::jpeg}};
  for (const auto& [file, format] : files) {
    const auto bytes = img::detail::read_file(file);
    INFO(file);
    REQUIRE(img::detail::sniff_format(bytes.data(), bytes.size()) == format);
    REQUIRE(img::detail::sniff_format(bytes.data(), std::min<size_t>(bytes.size(), 16)) == format);  // a prefix will do
  }
  const uint8_t fill_then_jpeg[] = {0xFF, 0xFF, 0xFF, 0xD8, 0xFF}, riff[] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
  REQUIRE(img::detail::sniff_format(fill_then_jpeg, sizeof fill_then_jpeg) == Format::jpeg);
  REQUIRE(img::detail::sniff_format(riff, sizeof riff) == Format::webp);
}
