// libFuzzer target: load_img (format sniffing, every decoder, PIL's colour conversion, resize, the fast JPEG decode)
// on arbitrary file bytes. Every input must give an image of the asked size or a tl::IOError naming the file;
// anything else (a crash, another exception, a leak, a multi-GB allocation, a hang) is a finding. The per-format
// targets (image_decoder_fuzzer.cpp) fuzz each decoder on its own.
#include <tl/preprocessing/image/load_img.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace {

namespace image = tl::preprocessing::image;

/// The load_img options an input's first two bytes choose.
image::LoadImgOptions options_from(uint8_t a, uint8_t b) {
  static const std::array<std::string, 3> modes{"grayscale", "rgb", "rgba"};
  static const std::array<std::string, 6> filters{"nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"};
  const int height = b & 63;  // 0: keep the file's size
  return {.color_mode = modes[a % 3],
          .target_size = {height, height == 0 ? 0 : (b >> 6) * 16 + 1},
          .interpolation = filters[(a / 3) % 6],
          .keep_aspect_ratio = (a & 128) != 0,
          .fast_jpeg = (a & 64) != 0};
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // 4 Mpixels: decoding a header that claims PIL's 179 Mpixels takes seconds, which would slow fuzzing to a crawl;
  // the limit's own check is exercised either way (tests/preprocessing/bad_images_test.cpp checks the default).
  image::set_max_image_pixels(1 << 22);
  image::detail::set_max_jpeg_scans(500);  // a fuzzer's favourite CPU bomb; libjpeg-turbo's own fuzzers cap it too
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const auto options = options_from(data[0], data[1]);
  try {
    const auto img = image::detail::load_img_bytes({data + 2, data + size}, "image file 'fuzz'", options);
    const auto [height, width] = options.target_size;
    if (height && (img.height != height || img.width != width)) __builtin_trap();
    if (img.pixels.size() != size_t(img.width) * img.height * img.channels) __builtin_trap();
  } catch (const tl::IOError& e) {
    if (std::string(e.what()).find("'fuzz'") == std::string::npos) __builtin_trap();  // the error names the file
  }
  return 0;
}
