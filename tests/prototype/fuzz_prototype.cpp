// libFuzzer target for the prototype decoders (docs/dev/decoding_research.md), shaped like
// tests/fuzz/load_img_fuzzer.cpp: the first two bytes choose the load_img options, the rest is the file. Every
// input must give an image of the asked size or a PilRefusal; a crash, a sanitizer report, another exception,
// a leak or a hang is a finding.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -I/usr/include/stb
//           tests/prototype/fuzz_prototype.cpp -ljpeg -lz -o /tmp/fuzz_prototype
//   /tmp/fuzz_prototype -max_total_time=300 -rss_limit_mb=2048 -timeout=10 /tmp/fuzz_work tests/fuzz/corpus/load_img
#include "pil_formats.hpp"

#include <tl/preprocessing/image/load_img.hpp>

#include <array>

namespace img = tl::preprocessing::image;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  proto::max_pixels = 1 << 22;  // as the tl fuzz target: PIL's limit would make single inputs take seconds
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const std::array<std::string, 3> modes{"grayscale", "rgb", "rgba"};
  static const std::array<std::string, 6> filters{"nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"};
  const int height = data[1] & 63;
  const img::LoadImgOptions options{.color_mode = modes[data[0] % 3],
                                    .target_size = {height, height == 0 ? 0 : (data[1] >> 6) * 16 + 1},
                                    .interpolation = filters[(data[0] / 3) % 6]};
  try {
    // 500 progressive scans at most: a fuzzer's favourite CPU bomb (libjpeg-turbo's own fuzzers cap them too).
    const auto pil = proto::formats::open_like_pil(data + 2, size - 2, {.max_scans = 500});
    const auto out = img::detail::resize_for_keras(proto::pil_convert(pil, img::detail::channels_for(options.color_mode)), options);
    if (height && (out.height != height || out.width != options.target_size.second)) __builtin_trap();
    if (out.pixels.size() != size_t(out.width) * out.height * out.channels) __builtin_trap();
  } catch (const proto::PilRefusal&) {
  }
  return 0;
}
