// libFuzzer targets, one per decoder (built as jpeg_decoder_fuzzer, png_decoder_fuzzer, bmp_decoder_fuzzer,
// gif_decoder_fuzzer, pnm_decoder_fuzzer with TL_FUZZ_FORMAT set): the format's decoder straight on the input
// bytes, then PIL's conversion to L, RGB or RGBA (the input's length chooses). Every input must give a consistent
// image or a DecodeFailure (PIL's refusal); a crash, a sanitizer report, another exception, a leak, a multi-GB
// allocation or a hang is a finding. load_img_fuzzer reaches the same decoders through format sniffing and adds
// resizing.
#include <tl/preprocessing/image/decode.hpp>
#include <tl/preprocessing/image/detail/decoders.hpp>
#include <tl/preprocessing/image/detail/pil_convert.hpp>

#include <cstdint>
#include <new>

#ifndef TL_FUZZ_FORMAT
#error "TL_FUZZ_FORMAT names the decoder: jpeg, png, bmp, gif or pnm"
#endif

namespace {

namespace image = tl::preprocessing::image;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  image::set_max_image_pixels(1 << 22);  // as load_img_fuzzer: PIL's 179 Mpixels would make single inputs slow
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using Format = image::detail::ImageFormat;
  const auto decoder = *image::detail::decoder_for(Format::TL_FUZZ_FORMAT);
  image::detail::DecodeOptions options;
  options.max_jpeg_scans = 500;  // libjpeg-turbo's own fuzzers cap progressive scans too
  if (size % 7 == 3) options.draft_width = options.draft_height = 8;  // the fast JPEG decode now and then
  try {
    const auto info = decoder.open(data, size);
    auto im = decoder.decode(data, size, options);
    if (info.width <= 0 || info.height <= 0) __builtin_trap();
    const size_t pixels = static_cast<size_t>(im.width) * static_cast<size_t>(im.height);
    if (im.mode == image::detail::PilMode::I ? im.ints.size() != pixels
                                              : im.pixels.size() != pixels * static_cast<size_t>(image::detail::mode_bands(im.mode)))
      __builtin_trap();
    if ((im.mode == image::detail::PilMode::P) != (im.palette.size() == 1024)) __builtin_trap();
    static const int channels[] = {1, 3, 4};
    const int c = channels[size % 3];
    const auto out = image::detail::pil_convert(std::move(im), c);
    if (out.pixels.size() != pixels * static_cast<size_t>(c)) __builtin_trap();
  } catch (const image::detail::DecodeFailure&) {
  } catch (const std::bad_alloc&) {
  }
  return 0;
}
