#pragma once
#include <tl/preprocessing/image/detail/jpeg_decoder.hpp>

#include <algorithm>
#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE and size_t first
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <jpeglib.h>

namespace tl::preprocessing::image::detail {

TL_INLINE JpegHeader jpeg_open(const uint8_t* b, size_t n) {
  constexpr auto unidentified = DecodeFailure::unidentified;
  if (n < 3 || b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF) refuse(unidentified, "not a JPEG file");
  JpegHeader h;
  bool have_sof = false;
  size_t at = 3;
  int s = 0xFF;  // the pending byte PIL holds in `s`; -1 when a read hit the end (s == b"")
  const auto read1 = [&]() { return at < n ? int(b[at++]) : -1; };
  for (;;) {
    if (s < 0) refuse(unidentified, "the JPEG header ends before the first scan");
    if (s != 0xFF) {  // junk between markers is skipped
      s = read1();
      continue;
    }
    const int next = read1();
    if (next < 0) refuse(unidentified, "the JPEG header ends after FF");
    const int marker = 0xFF00 | next;
    if (marker >= 0xFFC0 && marker <= 0xFFFE) {
      size_t start = at, length = 0;
      const bool has_segment = !((marker >= 0xFFD0 && marker <= 0xFFD9) || marker == 0xFFC8 || (marker >= 0xFFF0 && marker <= 0xFFFD));
      if (has_segment) {  // i16(fp.read(2)) - 2 bytes through ImageFile._safe_read
        if (at + 2 > n) refuse(unidentified, "a JPEG segment length is cut");
        const int body = (b[at] << 8 | b[at + 1]) - 2;
        at += 2;
        start = at;
        length = body > 0 ? size_t(body) : 0;
        if (length > n - at) refuse(DecodeFailure::truncated, "Truncated File Read in the JPEG header");
        at += length;
      }
      const uint8_t* body = b + start;
      const bool sof = (marker >= 0xFFC0 && marker <= 0xFFCF && marker != 0xFFC4 && marker != 0xFFC8 && marker != 0xFFCC) ||
                       marker == 0xFFDE;
      if (sof) {  // SOF (JpegImagePlugin.py:193-240)
        if (length < 5) refuse(unidentified, "a JPEG SOF segment is too short");
        h.width = body[3] << 8 | body[4];
        h.height = body[1] << 8 | body[2];
        if (body[0] != 8) refuse(unidentified, "cannot handle " + std::to_string(body[0]) + "-bit layers");
        if (length < 6) refuse(unidentified, "a JPEG SOF segment is too short");
        h.layers = body[5];
        if (h.layers != 1 && h.layers != 3 && h.layers != 4)
          refuse(unidentified, "cannot handle " + std::to_string(h.layers) + "-layer images");
        h.progressive = marker == 0xFFC2 || marker == 0xFFC6 || marker == 0xFFCA || marker == 0xFFCE;
        have_sof = true;
      } else if (marker == 0xFFDB) {  // DQT: every table must be whole
        for (size_t k = 0; k < length;) {
          const size_t table = 1 + (body[k] >> 4 == 0 ? 64 : 128);
          if (length - k < table) refuse(unidentified, "bad quantization table marker");
          k += table;
        }
      } else if (marker == 0xFFE0 && length >= 4 && std::memcmp(body, "JFIF", 4) == 0) {
        if (length < 7) refuse(unidentified, "a JFIF segment is too short");
      } else if (marker == 0xFFEE && length >= 5 && std::memcmp(body, "Adobe", 5) == 0) {
        if (length < 7) refuse(unidentified, "an Adobe segment is too short");
      }
      if (marker == 0xFFDA) break;
      s = read1();
    } else if (marker == 0xFFFF) {  // fill byte
      s = 0xFF;
    } else if (marker == 0xFF00) {  // skip extraneous data
      s = read1();
    } else {
      refuse(unidentified, "no JPEG marker found");
    }
  }
  // ImageFile.__init__: "not identified by this driver" without a mode or with an empty size.
  if (!have_sof || h.width <= 0 || h.height <= 0) refuse(unidentified, "no JPEG frame before the first scan");
  return h;
}

TL_INLINE ImageInfo jpeg_info(const uint8_t* data, size_t size) {
  const JpegHeader h = jpeg_open(data, size);
  bomb_check(h.width, h.height);
  return {h.width, h.height, h.layers == 1 ? "L" : h.layers == 3 ? "RGB" : "CMYK"};
}

TL_INLINE int jpeg_draft_scale(int width, int height, int target_width, int target_height) {
  if (target_width <= 0 || target_height <= 0) return 1;
  const int scale = std::min(width / target_width, height / target_height);
  for (int s : {8, 4, 2}) {
    if (scale >= s) return s;
  }
  return 1;
}

/// Everything run_libjpeg needs and returns: plain data only, so that a longjmp skips nothing.
struct JpegJob {
  const uint8_t* data = nullptr;
  size_t size = 0;
  J_COLOR_SPACE out_space = JCS_RGB;
  unsigned scale_denom = 1;  // 1, 2, 4, 8: libjpeg's DCT scaling (the opt-in fast decode)
  long max_scans = 0;        // > 0: refuse progressive files with more scans
  // The output buffer comes from the caller; allocate() must not throw (nullptr on failure).
  void* alloc_context = nullptr;
  uint8_t* (*allocate)(void* context, size_t bytes) noexcept = nullptr;
  // Results.
  int width = 0, height = 0;
  enum Status { ok, truncated, error, no_memory, too_many_scans } status = ok;
  char message[JMSG_LENGTH_MAX] = {};
  // libjpeg's state, here rather than in run_libjpeg's frame (nothing in that frame changes after setjmp).
  jpeg_decompress_struct cinfo;
  struct ErrorManager {
    jpeg_error_mgr pub;
    std::jmp_buf jump;
  } err;
  jpeg_source_mgr source;
  struct Progress {
    jpeg_progress_mgr pub;
    JpegJob* job;
  } progress;
};

extern "C" {
TL_INLINE void tl_jpeg_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegJob::ErrorManager*>(cinfo->err);
  std::longjmp(err->jump, 1);
}
TL_INLINE void tl_jpeg_silent(j_common_ptr) {}  // PIL's output(): warnings are dropped
TL_INLINE void tl_jpeg_init_source(j_decompress_ptr) {}
TL_INLINE boolean tl_jpeg_fill_input_buffer(j_decompress_ptr) { return FALSE; }  // suspend, as PIL's source does
TL_INLINE void tl_jpeg_skip_input_data(j_decompress_ptr cinfo, long count) {
  jpeg_source_mgr* src = cinfo->src;
  if (count <= 0) return;
  if (static_cast<size_t>(count) > src->bytes_in_buffer) {  // skipping past the end: the next read suspends
    src->next_input_byte += src->bytes_in_buffer;
    src->bytes_in_buffer = 0;
  } else {
    src->next_input_byte += count;
    src->bytes_in_buffer -= static_cast<size_t>(count);
  }
}
TL_INLINE void tl_jpeg_term_source(j_decompress_ptr) {}
TL_INLINE void tl_jpeg_progress(j_common_ptr cinfo) {
  const auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  JpegJob* job = reinterpret_cast<JpegJob::Progress*>(d->progress)->job;
  if (job->max_scans > 0 && d->input_scan_number > job->max_scans) {
    job->status = JpegJob::too_many_scans;
    std::longjmp(job->err.jump, 1);
  }
}
}

/// The C-style heart: only trivially destructible locals; libjpeg's errors longjmp back to the setjmp here.
TL_INLINE void run_libjpeg(JpegJob* job) {
  j_decompress_ptr cinfo = &job->cinfo;
  cinfo->err = jpeg_std_error(&job->err.pub);
  job->err.pub.error_exit = tl_jpeg_error_exit;
  job->err.pub.output_message = tl_jpeg_silent;
  if (setjmp(job->err.jump)) {
    if (job->status == JpegJob::ok) {
      job->status = JpegJob::error;
      (*cinfo->err->format_message)(reinterpret_cast<j_common_ptr>(cinfo), job->message);
    }
    jpeg_destroy_decompress(cinfo);
    return;
  }
  jpeg_create_decompress(cinfo);
  job->source.next_input_byte = job->data;
  job->source.bytes_in_buffer = job->size;
  job->source.init_source = tl_jpeg_init_source;
  job->source.fill_input_buffer = tl_jpeg_fill_input_buffer;
  job->source.skip_input_data = tl_jpeg_skip_input_data;
  job->source.resync_to_restart = jpeg_resync_to_restart;
  job->source.term_source = tl_jpeg_term_source;
  cinfo->src = &job->source;
  if (job->max_scans > 0) {
    job->progress.pub.progress_monitor = tl_jpeg_progress;
    job->progress.job = job;
    cinfo->progress = &job->progress.pub;
  }
  int header;
  do header = jpeg_read_header(cinfo, FALSE);
  while (header == JPEG_HEADER_TABLES_ONLY);
  if (header == JPEG_SUSPENDED) {
    job->status = JpegJob::truncated;
    jpeg_destroy_decompress(cinfo);
    return;
  }
  cinfo->out_color_space = job->out_space;
  if (job->scale_denom > 1) {
    cinfo->scale_num = 1;
    cinfo->scale_denom = job->scale_denom;
  }
  if (!jpeg_start_decompress(cinfo)) {  // a progressive file is read whole here
    job->status = JpegJob::truncated;
    jpeg_destroy_decompress(cinfo);
    return;
  }
  job->width = static_cast<int>(cinfo->output_width);
  job->height = static_cast<int>(cinfo->output_height);
  const size_t stride = static_cast<size_t>(cinfo->output_width) * static_cast<size_t>(cinfo->output_components);
  uint8_t* out = job->allocate(job->alloc_context, stride * cinfo->output_height);
  if (!out) {
    job->status = JpegJob::no_memory;
    jpeg_destroy_decompress(cinfo);
    return;
  }
  JSAMPROW rows[16];
  while (cinfo->output_scanline < cinfo->output_height) {
    const JDIMENSION first = cinfo->output_scanline;
    JDIMENSION count = cinfo->output_height - first;
    if (count > 16) count = 16;
    for (JDIMENSION r = 0; r < count; ++r) rows[r] = out + stride * (first + r);
    if (jpeg_read_scanlines(cinfo, rows, count) == 0) {  // suspended: out of data
      job->status = JpegJob::truncated;
      jpeg_destroy_decompress(cinfo);
      return;
    }
  }
  jpeg_finish_decompress(cinfo);  // suspends when only the EOI marker is missing: PIL accepts that
  jpeg_destroy_decompress(cinfo);
}

TL_INLINE DecodedImage jpeg_decode(const uint8_t* data, size_t size, const DecodeOptions& options) {
  const JpegHeader header = jpeg_open(data, size);
  bomb_check(header.width, header.height);
  auto job = std::make_unique<JpegJob>();  // libjpeg's state and the jmp_buf: a few KiB, off the stack
  job->data = data;
  job->size = size;
  // JCS_RGB gives the values of PIL's JCS_EXT_RGBX without the padding byte.
  job->out_space = header.layers == 1 ? JCS_GRAYSCALE : header.layers == 3 ? JCS_RGB : JCS_CMYK;
  const int scale = jpeg_draft_scale(header.width, header.height, options.draft_width, options.draft_height);
  job->scale_denom = static_cast<unsigned>(scale);
  job->max_scans = options.max_jpeg_scans;
  DecodedImage im;
  im.mode = header.layers == 1 ? PilMode::L : header.layers == 3 ? PilMode::RGB : PilMode::CMYK;
  job->alloc_context = &im.pixels;
  job->allocate = [](void* context, size_t bytes) noexcept -> uint8_t* {
    try {
      auto* v = static_cast<std::vector<uint8_t>*>(context);
      v->resize(bytes);
      return v->data();
    } catch (...) {
      return nullptr;
    }
  };
  run_libjpeg(job.get());
  switch (job->status) {
    case JpegJob::ok: break;
    case JpegJob::truncated: refuse(DecodeFailure::truncated, "image file is truncated");
    case JpegJob::no_memory: throw std::bad_alloc();
    case JpegJob::too_many_scans:
      refuse(DecodeFailure::corrupt, "more than " + std::to_string(options.max_jpeg_scans) + " progressive scans");
    case JpegJob::error: refuse(DecodeFailure::corrupt, std::string("libjpeg: ") + job->message);
  }
  // The drafted size is PIL's too: ceil(size / scale), libjpeg's jdiv_round_up.
  if (job->width != (header.width + scale - 1) / scale || job->height != (header.height + scale - 1) / scale)
    refuse(DecodeFailure::truncated, "image file is truncated");  // PIL keeps the SOF's size; libjpeg agrees on one frame
  im.width = job->width;
  im.height = job->height;
  if (im.mode == PilMode::CMYK)
    for (auto& v : im.pixels) v = static_cast<uint8_t>(~v);  // "CMYK;I"
  return im;
}

}  // namespace tl::preprocessing::image::detail
