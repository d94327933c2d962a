#pragma once
// Prototype (docs/dev/decoding_research.md): a JPEG decoded exactly as Pillow 9.4 (Debian 12's python3-pil)
// decodes it for keras_preprocessing's load_img, through the same libjpeg-turbo (Debian's libjpeg62-turbo).
//
// What PIL does (Pillow 9.4.0 sources):
//  * Image.open: JpegImagePlugin._accept wants FF D8 FF (JpegImagePlugin.py:337); JpegImageFile._open walks the
//    markers itself up to the first SOS (JpegImagePlugin.py:351-402): SOF gives size, 8-bit precision only
//    ("cannot handle 12-bit layers") and 1/3/4 components -> mode L/RGB/CMYK (:193-219); anything but a marker
//    after FF is "no marker found". These SyntaxErrors make Image.open raise UnidentifiedImageError.
//  * Image.open then refuses more than 2 * MAX_IMAGE_PIXELS (DecompressionBombError).
//  * load(): the "jpeg" decoder (libImaging/JpegDecode.c) runs libjpeg with a *suspending* source fed by
//    ImageFile.load (ImageFile.py:246-272): jpeg_read_header; out_color_space from the rawmode: "L" ->
//    JCS_GRAYSCALE, "RGB" -> JCS_EXT_RGBX (decode.c swaps RGB for RGBX with libjpeg-turbo), "CMYK;I" -> JCS_CMYK
//    (JpegDecode.c:199-221); jpeg_color_space is left as libjpeg guessed it from JFIF/Adobe markers; every other
//    setting is libjpeg's default (JDCT_ISLOW, fancy upsampling, block smoothing): load_img never calls draft().
//    Warnings are silent (output_message is a no-op, :124) and never fail the decode: corrupt entropy data decodes
//    to whatever libjpeg makes of it. A fatal libjpeg error -> "broken data stream when reading image file".
//    Running out of data suspends libjpeg; ImageFile.load then finds no more bytes and raises "image file is
//    truncated" (LOAD_TRUNCATED_IMAGES is False) — unless every scanline was read and only
//    jpeg_finish_decompress wanted more (JpegDecode.c:268-281).
//  * "CMYK;I" unpacks inverted (Unpack.c:1095, Adobe's convention); convert("RGB") is cmyk2rgb (Convert.c:568).
//  * EXIF orientation is not applied (keras_preprocessing never calls ImageOps.exif_transpose).
//
// libjpeg's error_exit longjmps: here only run_libjpeg(), a C-style function whose frame holds no object with
// a destructor, calls setjmp, and every C++ object (the output vector) lives in its caller. The message
// (format_message) travels back in the job and becomes a C++ exception after run_libjpeg has returned.
#include "pil_image_model.hpp"

#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <memory>

#include <jpeglib.h>

namespace proto::jpeg {

/// What PIL's JpegImageFile._open learns before decoding: size and component count ("layers").
struct JpegHeader {
  int width = 0, height = 0, layers = 0;
  bool progressive = false;
};

/// JpegImageFile._open's marker walk (JpegImagePlugin.py:351-402, the handlers :56-264); throws the refusal PIL
/// raises. Size and layers come from the last SOF before the first SOS, as in PIL.
inline JpegHeader pil_jpeg_open(const uint8_t* b, size_t n) {
  if (n < 3 || b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF) throw unidentified("not a JPEG file");
  JpegHeader h;
  bool have_sof = false;
  size_t at = 3;
  int s = 0xFF;  // the pending byte PIL holds in `s`; -1 when a read hit the end (s == b"")
  auto read1 = [&]() { return at < n ? int(b[at++]) : -1; };
  auto segment = [&](size_t& start, size_t& length) {
    if (at + 2 > n) throw unidentified("struct.error reading a segment length");
    const int len = b[at] << 8 | b[at + 1];
    at += 2;
    const int body = len - 2;  // ImageFile._safe_read(fp, size <= 0) reads nothing
    start = at;
    length = body > 0 ? size_t(body) : 0;
    if (at + length > n) throw PilRefusal("OSError", "is truncated (Truncated File Read in the JPEG header)");
    at += length;
  };
  for (;;) {
    if (s < 0) throw unidentified("IndexError: the header ends before the first scan");
    if (s != 0xFF) {  // junk between markers is skipped
      s = read1();
      continue;
    }
    const int next = read1();
    if (next < 0) throw unidentified("struct.error: the header ends after FF");
    const int marker = 0xFF00 | next;
    if (marker >= 0xFFC0 && marker <= 0xFFFE) {
      size_t start = 0, length = 0;
      const bool has_segment = !((marker >= 0xFFD0 && marker <= 0xFFD9) || marker == 0xFFC8 ||
                                 (marker >= 0xFFF0 && marker <= 0xFFFD));
      if (has_segment) segment(start, length);
      const uint8_t* body = b + start;
      const bool sof = (marker >= 0xFFC0 && marker <= 0xFFCF && marker != 0xFFC4 && marker != 0xFFC8 && marker != 0xFFCC) ||
                       marker == 0xFFDE;
      if (sof) {
        if (length < 5) throw unidentified("struct.error in SOF");
        h.width = body[3] << 8 | body[4];
        h.height = body[1] << 8 | body[2];
        if (body[0] != 8) throw unidentified("cannot handle " + std::to_string(body[0]) + "-bit layers");
        if (length < 6) throw unidentified("IndexError in SOF");
        h.layers = body[5];
        if (h.layers != 1 && h.layers != 3 && h.layers != 4)
          throw unidentified("cannot handle " + std::to_string(h.layers) + "-layer images");
        h.progressive = marker == 0xFFC2 || marker == 0xFFC6 || marker == 0xFFCA || marker == 0xFFCE;
        have_sof = true;
      } else if (marker == 0xFFDB) {  // DQT: every table must be whole
        for (size_t k = 0; k < length;) {
          const size_t table = 1 + (body[k] >> 4 == 0 ? 64 : 128);
          if (length - k < table) throw unidentified("bad quantization table marker");
          k += table;
        }
      } else if (marker == 0xFFE0 && length >= 4 && std::memcmp(body, "JFIF", 4) == 0) {
        if (length < 7) throw unidentified("struct.error in JFIF");
      } else if (marker == 0xFFEE && length >= 5 && std::memcmp(body, "Adobe", 5) == 0) {
        if (length < 7) throw unidentified("struct.error in APP14");
      }
      if (marker == 0xFFDA) break;
      s = read1();
    } else if (marker == 0xFFFF) {
      s = 0xFF;
    } else if (marker == 0xFF00) {
      s = read1();
    } else {
      throw unidentified("no marker found");
    }
  }
  // ImageFile.__init__: "not identified by this driver" without a mode or with an empty size.
  if (!have_sof || h.width <= 0 || h.height <= 0) throw unidentified("no frame before the scan");
  return h;
}

/// Everything run_libjpeg needs and returns: plain data only, so that a longjmp skips nothing.
struct JpegJob {
  const uint8_t* data = nullptr;
  size_t size = 0;
  J_COLOR_SPACE out_space = JCS_RGB;
  int scale_denom = 1;          // 1, 2, 4, 8: libjpeg's DCT scaling (the opt-in fast path)
  long max_scans = 0;           // > 0: refuse progressive files with more scans (CPU bomb guard)
  // Output buffer from the caller; allocate() must not throw (returns nullptr on failure).
  void* alloc_ctx = nullptr;
  uint8_t* (*allocate)(void* ctx, size_t bytes) = nullptr;
  // Results.
  int width = 0, height = 0, components = 0;
  enum Status { kOk, kTruncated, kError, kNoMemory, kTooManyScans } status = kOk;
  char message[JMSG_LENGTH_MAX] = {};
  // libjpeg's state, here rather than in run_libjpeg's frame (nothing in that frame changes after setjmp).
  jpeg_decompress_struct cinfo;
  struct ErrorManager {
    jpeg_error_mgr pub;
    std::jmp_buf jump;
  } err;
  jpeg_source_mgr src;
  struct Progress {
    jpeg_progress_mgr pub;
    JpegJob* job;
  } progress;
};

extern "C" {
static void tl_jpeg_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegJob::ErrorManager*>(cinfo->err);
  std::longjmp(err->jump, 1);
}
static void tl_jpeg_silent(j_common_ptr) {}  // PIL's output(): warnings are dropped
static void tl_jpeg_init_source(j_decompress_ptr) {}
static boolean tl_jpeg_fill_input_buffer(j_decompress_ptr) { return FALSE; }  // suspend, as PIL's source does
static void tl_jpeg_skip_input_data(j_decompress_ptr cinfo, long count) {
  jpeg_source_mgr* src = cinfo->src;
  if (count <= 0) return;
  if (size_t(count) > src->bytes_in_buffer) {  // skipping past the end: the next read suspends
    src->next_input_byte += src->bytes_in_buffer;
    src->bytes_in_buffer = 0;
  } else {
    src->next_input_byte += count;
    src->bytes_in_buffer -= size_t(count);
  }
}
static void tl_jpeg_term_source(j_decompress_ptr) {}
static void tl_jpeg_progress(j_common_ptr cinfo) {
  const auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  JpegJob* job = reinterpret_cast<JpegJob::Progress*>(d->progress)->job;
  if (job->max_scans > 0 && d->input_scan_number > job->max_scans) {
    job->status = JpegJob::kTooManyScans;
    std::longjmp(job->err.jump, 1);
  }
}
}

/// The C-style heart: only trivially destructible locals; libjpeg's errors longjmp back to the setjmp here.
inline void run_libjpeg(JpegJob* job) {
  j_decompress_ptr cinfo = &job->cinfo;
  cinfo->err = jpeg_std_error(&job->err.pub);
  job->err.pub.error_exit = tl_jpeg_error_exit;
  job->err.pub.output_message = tl_jpeg_silent;
  if (setjmp(job->err.jump)) {
    if (job->status == JpegJob::kOk) {
      job->status = JpegJob::kError;
      (*cinfo->err->format_message)(reinterpret_cast<j_common_ptr>(cinfo), job->message);
    }
    jpeg_destroy_decompress(cinfo);
    return;
  }
  jpeg_create_decompress(cinfo);
  job->src.next_input_byte = job->data;
  job->src.bytes_in_buffer = job->size;
  job->src.init_source = tl_jpeg_init_source;
  job->src.fill_input_buffer = tl_jpeg_fill_input_buffer;
  job->src.skip_input_data = tl_jpeg_skip_input_data;
  job->src.resync_to_restart = jpeg_resync_to_restart;
  job->src.term_source = tl_jpeg_term_source;
  cinfo->src = &job->src;
  if (job->max_scans > 0) {
    job->progress.pub.progress_monitor = tl_jpeg_progress;
    job->progress.job = job;
    cinfo->progress = &job->progress.pub;
  }
  int header;
  do header = jpeg_read_header(cinfo, FALSE);
  while (header == JPEG_HEADER_TABLES_ONLY);
  if (header == JPEG_SUSPENDED) {
    job->status = JpegJob::kTruncated;
    jpeg_destroy_decompress(cinfo);
    return;
  }
  cinfo->out_color_space = job->out_space;
  if (job->scale_denom > 1) {
    cinfo->scale_num = 1;
    cinfo->scale_denom = unsigned(job->scale_denom);
  }
  if (!jpeg_start_decompress(cinfo)) {  // a progressive file is read whole here
    job->status = JpegJob::kTruncated;
    jpeg_destroy_decompress(cinfo);
    return;
  }
  job->width = int(cinfo->output_width);
  job->height = int(cinfo->output_height);
  job->components = cinfo->output_components;
  const size_t stride = size_t(job->width) * job->components;
  uint8_t* out = job->allocate(job->alloc_ctx, stride * job->height);
  if (!out) {
    job->status = JpegJob::kNoMemory;
    jpeg_destroy_decompress(cinfo);
    return;
  }
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = out + stride * cinfo->output_scanline;
    if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
      job->status = JpegJob::kTruncated;
      jpeg_destroy_decompress(cinfo);
      return;
    }
  }
  jpeg_finish_decompress(cinfo);  // suspends when only the EOI marker is missing: PIL accepts that
  jpeg_destroy_decompress(cinfo);
}

struct DecodeOptions {
  int scale_denom = 1;  // opt-in DCT-domain scaling (1/2, 1/4, 1/8); 1 is Keras's exact decode
  long max_scans = 0;
};

/// Image.open + load of a JPEG as PIL does it; the PilImage has mode L, RGB or CMYK (CMYK as PIL holds it:
/// inverted from libjpeg's Adobe-convention output).
inline PilImage decode(const uint8_t* data, size_t size, const DecodeOptions& options = {}) {
  const JpegHeader header = pil_jpeg_open(data, size);
  bomb_check(header.width, header.height);
  auto job = std::make_unique<JpegJob>();  // ~1.5 KB of libjpeg state; jmp_buf is large too
  job->data = data;
  job->size = size;
  // JCS_RGB: the same values as PIL's JCS_EXT_RGBX (one byte less per pixel; identical on the whole corpus).
  job->out_space = header.layers == 1 ? JCS_GRAYSCALE : header.layers == 3 ? JCS_RGB : JCS_CMYK;
  job->scale_denom = options.scale_denom;
  job->max_scans = options.max_scans;
  std::vector<uint8_t> pixels;
  job->alloc_ctx = &pixels;
  job->allocate = [](void* ctx, size_t bytes) noexcept -> uint8_t* {
    try {
      auto* v = static_cast<std::vector<uint8_t>*>(ctx);
      v->resize(bytes);
      return v->data();
    } catch (...) {
      return nullptr;
    }
  };
  run_libjpeg(job.get());
  switch (job->status) {
    case JpegJob::kOk: break;
    case JpegJob::kTruncated: throw truncated();
    case JpegJob::kNoMemory: throw PilRefusal("MemoryError", "is too large to decode");
    case JpegJob::kTooManyScans: throw broken("more than " + std::to_string(options.max_scans) + " progressive scans");
    case JpegJob::kError: throw broken(job->message);
  }
  PilImage im;
  im.mode = header.layers == 1 ? "L" : header.layers == 3 ? "RGB" : "CMYK";
  if (options.scale_denom == 1 && (job->width != header.width || job->height != header.height))
    throw truncated();  // PIL's image keeps the SOF size; libjpeg never disagrees for one frame
  im.width = job->width;
  im.height = job->height;
  im.px = std::move(pixels);
  if (im.mode == "CMYK")
    for (auto& v : im.px) v = uint8_t(~v);  // "CMYK;I"
  return im;
}

}  // namespace proto::jpeg
