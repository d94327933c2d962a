// The regression corpus of awkward and damaged files (tests/python/bad_images.py): each gives Keras's image or
// an IOError that names the file and the reason — never a crash, a hang, a huge allocation or silent garbage.
#include <tl/preprocessing/image.hpp>
#include <tl/preprocessing/image/detail/decoders.hpp>

#include "image_oracle.hpp"

#include <algorithm>
#include <fstream>

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
      // PIL checks no IDAT CRC: the flipped bit breaks the zlib stream, which PIL reports as a broken data stream.
      {"bad_crc.png", "is corrupt (broken data stream when reading image file)"},
      {"zero_bytes.png", "is empty (0 bytes)"},
      {"text.jpg", "not a decodable image"},
      {"huge_header.png", "is truncated"},  // 10000x10000 in 69 bytes: the zlib stream ends inside the first row
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
  const std::vector<std::string> files{"one_pixel.png", "animated.gif", "palette_transparency.png", "gray_alpha.png",
                                       "plain.bmp", "cmyk.jpg", "progressive.jpg", "sixteen_bit.png"};
  const std::vector<std::string> modes{"rgb", "grayscale", "rgba"};
  KerasImage oracle;
  const auto& corpus = oracle.need(tl::test::bad_image_corpus());
  for (const auto& name : files)
    for (const auto& mode : modes) oracle.add("load " + (corpus / name).string() + " 0 0 nearest " + mode);
  const auto refs = oracle.run();
  for (size_t k = 0; k < files.size(); ++k)
    for (size_t m = 0; m < modes.size(); ++m) {
      INFO(files[k] << " " << modes[m]);  // a 16-bit PNG is PIL's mode I: convert clips its values at 255
      REQUIRE(pixels(tl::load_img(corpus / files[k], {.color_mode = modes[m]})) ==
              numbers(values_of(refs[k * modes.size() + m], "pixels")));
    }
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
  // PIL's JpegImagePlugin wants FF D8 FF (libjpeg and stb_image would find FF D8 behind fill bytes); a headerless
  // DIB starts with its info header's size; PPM is "P" and one of 0-6 or y (P7, PAM, is not PIL's).
  const uint8_t fill_then_jpeg[] = {0xFF, 0xFF, 0xFF, 0xD8, 0xFF}, riff[] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'},
                dib[] = {40, 0, 0, 0, 1, 0, 0, 0}, pam[] = {'P', '7', '\n'}, pil_ppm[] = {'P', 'y', 'P'};
  REQUIRE(img::detail::sniff_format(fill_then_jpeg, sizeof fill_then_jpeg) == Format::unknown);
  REQUIRE(img::detail::sniff_format(riff, sizeof riff) == Format::webp);
  REQUIRE(img::detail::sniff_format(dib, sizeof dib) == Format::dib);
  REQUIRE(img::detail::sniff_format(pam, sizeof pam) == Format::unknown);
  REQUIRE(img::detail::sniff_format(pil_ppm, sizeof pil_ppm) == Format::pnm);
}

TEST_CASE("the pnm fuzzer's findings decode at once, to PIL's pixels", "[preprocessing][image]") {
  // pnm_decoder_fuzzer's inputs, byte for byte (the odd corpus holds small copies that Keras checks pixel by pixel):
  // a plain PPM whose data ends inside its only value, a comment behind it — PIL repeats that value over 75x52555
  // pixels (42 s in PIL; tl timed out at 10 s before a51baf6) — and one whose header comment holds odd bytes, two
  // values given of 2552x174 (slow before 89fc1b7). Pixels: PIL 9.4's, each value rescaled from the maxval to 255.
  tl::test::TempDir dir;
  const auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    return dir / name;
  };
  const auto cut = tl::load_img(write("cut_in_last_token.ppm", "P3\n# ao\n75 \n52555\n178 164#P1"));
  REQUIRE((cut.height == 52555 && cut.width == 75 && cut.channels == 3));
  REQUIRE(std::all_of(cut.pixels.begin(), cut.pixels.end(), [](uint8_t v) { return v == 235; }));  // 164 * 255 / 178
  const auto slow = tl::load_img(write("comment.ppm", std::string("P3\n# a comment in\x01#@9l 5\n2552 174 236 38 87")));
  REQUIRE((slow.height == 174 && slow.width == 2552 && slow.channels == 3));
  REQUIRE(slow.pixels[0] == 41);  // 38 * 255 / 236; then 87 -> 94 to the end
  REQUIRE(std::all_of(slow.pixels.begin() + 1, slow.pixels.end(), [](uint8_t v) { return v == 94; }));
}
