// Prototype driver for jpeg_pil_exact.hpp (docs/dev/decoding_research.md): decode like PIL, time it against
// today's tl (stb_image) stage by stage, try libjpeg's DCT-domain scaling, and check flow_from_directory batches.
//
//   g++ -std=c++20 -O2 -Iinclude -I/usr/include/stb tests/prototype/jpeg_pil_exact.cpp -ljpeg -lz -pthread -o /tmp/jpeg_pil_exact
//   /tmp/jpeg_pil_exact decode FILE                 mode, size and a checksum of PIL's pixels (RGB)
//   /tmp/jpeg_pil_exact bench DIR [REPEAT]          per-image stages, today's tl vs the libjpeg path, 1 and 2 threads
//   /tmp/jpeg_pil_exact fast DIR [TARGET]           DCT scaling 1/2, 1/4, 1/8: speed-up and difference from Keras
//   /tmp/jpeg_pil_exact batches DIR REF_DIR         flow_from_directory's batches (make_odd_images.py batches) equal?
// DIR holds the JPEGs directly or in class subdirectories (make_odd_images.py photos DIR: DIR/q90, DIR/q75...).
#include "jpeg_pil_exact.hpp"

#include <tl/preprocessing/image/load_img.hpp>

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace img = tl::preprocessing::image;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> jpegs_under(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && (e.path().extension() == ".jpg" || e.path().extension() == ".jpeg")) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}
double wall_seconds() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

/// Seconds of thread CPU time per stage (CPU time: the machine is shared, wall time swings with its load).
struct Stages {
  double read = 0, decode = 0, convert = 0, resize = 0, to_float = 0;
  double total() const { return read + decode + convert + resize + to_float; }
};

/// img_to_array + the copy into the batch tensor: uint8 HWC -> float32, then into the batch's row.
void to_float_into(const img::Image& im, std::vector<float>& tmp, float* batch_row) {
  tmp.resize(im.pixels.size());
  for (size_t i = 0; i < im.pixels.size(); ++i) tmp[i] = float(im.pixels[i]);
  std::memcpy(batch_row, tmp.data(), tmp.size() * sizeof(float));
}

enum class Path { kStb, kLibjpeg, kLean };

/// The whole file in one read (detail::read_file goes through istreambuf_iterator, a byte at a time).
std::vector<uint8_t> read_whole(const std::string& file) {
  std::vector<uint8_t> out;
  if (FILE* f = std::fopen(file.c_str(), "rb")) {
    std::fseek(f, 0, SEEK_END);
    out.resize(size_t(std::ftell(f)));
    std::fseek(f, 0, SEEK_SET);
    out.resize(std::fread(out.data(), 1, out.size(), f));
    std::fclose(f);
  }
  return out;
}

/// PIL's NEAREST (the same source positions as detail::resize_nearest) with the positions computed once per
/// size and 3-byte pixel copies, rows reused when consecutive output rows read the same source row.
struct NearestPlan {
  int in_w = 0, in_h = 0, out_w = 0, out_h = 0;
  std::vector<int> xs, ys;
};
void nearest_into(const uint8_t* in, int in_w, int in_h, int c, int out_w, int out_h, NearestPlan& plan, uint8_t* out) {
  if (plan.in_w != in_w || plan.in_h != in_h || plan.out_w != out_w || plan.out_h != out_h) {
    plan = {in_w, in_h, out_w, out_h, img::detail::nearest_positions(out_w, 0, double(in_w) / out_w, in_w),
            img::detail::nearest_positions(out_h, 0, double(in_h) / out_h, in_h)};
  }
  const size_t row = size_t(out_w) * c;
  for (int y = 0; y < out_h; ++y) {
    uint8_t* o = out + y * row;
    if (y > 0 && plan.ys[y] == plan.ys[y - 1]) {
      std::memcpy(o, o - row, row);
      continue;
    }
    const uint8_t* src = in + size_t(plan.ys[y]) * in_w * c;
    if (c == 3) {
      for (int x = 0; x < out_w; ++x) {
        const uint8_t* p = src + size_t(plan.xs[x]) * 3;
        o[3 * x] = p[0], o[3 * x + 1] = p[1], o[3 * x + 2] = p[2];
      }
    } else {
      for (int x = 0; x < out_w; ++x) std::memcpy(o + x * c, src + size_t(plan.xs[x]) * c, size_t(c));
    }
  }
}

/// One image through the loader's per-sample work (rgb, 224x224, nearest as flow_from_directory's default).
void load_one(const std::string& file, Path path, Stages& st, std::vector<float>& tmp, std::vector<float>& batch,
              const std::string& interp = "nearest") {
  if (path == Path::kLean) {  // read once, decode, resize nearest into a reused buffer, floats straight into the batch
    static thread_local NearestPlan plan;
    static thread_local std::vector<uint8_t> small;
    double t0 = thread_cpu_seconds();
    const auto bytes = read_whole(file);
    double t1 = thread_cpu_seconds();
    const auto pil = proto::jpeg::decode(bytes.data(), bytes.size());
    double t2 = thread_cpu_seconds();
    small.resize(224 * 224 * 3);
    nearest_into(pil.px.data(), pil.width, pil.height, 3, 224, 224, plan, small.data());
    double t3 = thread_cpu_seconds();
    batch.resize(small.size());
    for (size_t i = 0; i < small.size(); ++i) batch[i] = float(small[i]);
    double t4 = thread_cpu_seconds();
    st.read += t1 - t0, st.decode += t2 - t1, st.resize += t3 - t2, st.to_float += t4 - t3;
    return;
  }
  double t0 = thread_cpu_seconds();
  const auto bytes = img::detail::read_file(file);
  double t1 = thread_cpu_seconds();
  img::Image decoded;
  if (path == Path::kStb) {
    decoded = img::detail::decode_bytes(bytes, file);
  } else {
    const auto pil = proto::jpeg::decode(bytes.data(), bytes.size());
    decoded = {pil.width, pil.height, pil.mode == "L" ? 1 : 3, pil.px};
    if (pil.mode == "CMYK") decoded = proto::pil_convert(pil, 3);
  }
  double t2 = thread_cpu_seconds();
  const img::Image rgb = img::detail::convert(decoded, 3);
  double t3 = thread_cpu_seconds();
  const img::Image small = img::detail::resize_for_keras(rgb, {.target_size = {224, 224}, .interpolation = interp});
  double t4 = thread_cpu_seconds();
  batch.resize(small.pixels.size());
  to_float_into(small, tmp, batch.data());
  double t5 = thread_cpu_seconds();
  st.read += t1 - t0, st.decode += t2 - t1, st.convert += t3 - t2, st.resize += t4 - t3, st.to_float += t5 - t4;
}

void print_stages(const std::string& label, const Stages& s, size_t n) {
  auto ms = [&](double v) { return v / double(n) * 1e3; };
  std::printf("%-18s read %.3f  decode %.3f  convert %.3f  resize %.3f  to_float+copy %.3f  = %.3f ms/img (%.0f img/s per thread)\n",
              label.c_str(), ms(s.read), ms(s.decode), ms(s.convert), ms(s.resize), ms(s.to_float), ms(s.total()),
              double(n) / s.total());
}

/// Wall-clock images/s of `threads` threads sharing the files (each file once), best of `repeat`; `cpu_ms`
/// gets the threads' CPU time per image (equal for 1 and 2 threads: nothing shared slows a thread down).
double throughput(const std::vector<std::string>& files, Path path, int threads, int repeat, double* cpu_ms = nullptr) {
  double best = 0, best_cpu = 1e9;
  for (int r = 0; r < repeat; ++r) {
    std::atomic<size_t> next{0};
    std::atomic<long> cpu_ns{0};
    const double start = wall_seconds();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        Stages st;
        std::vector<float> tmp, batch;
        const double c0 = thread_cpu_seconds();
        for (size_t i; (i = next++) < files.size();) load_one(files[i], path, st, tmp, batch);
        cpu_ns += long((thread_cpu_seconds() - c0) * 1e9);
      });
    for (auto& t : pool) t.join();
    best = std::max(best, double(files.size()) / (wall_seconds() - start));
    best_cpu = std::min(best_cpu, double(cpu_ns) / 1e6 / double(files.size()));
  }
  if (cpu_ms) *cpu_ms = best_cpu;
  return best;
}

int bench(const std::string& dir, int repeat) {
  const auto files = jpegs_under(dir);
  std::printf("%zu JPEGs under %s, best of %d\n", files.size(), dir.c_str(), repeat);
  auto label = [](Path p) { return p == Path::kStb ? "tl today (stb)" : p == Path::kLibjpeg ? "libjpeg like PIL" : "libjpeg, lean"; };
  for (const Path path : {Path::kStb, Path::kLibjpeg, Path::kLean}) {
    Stages best;
    best.decode = 1e9;
    for (int r = 0; r < repeat; ++r) {
      Stages st;
      std::vector<float> tmp, batch;
      for (const auto& f : files) load_one(f, path, st, tmp, batch);
      if (st.total() < best.total()) best = st;
    }
    print_stages(label(path), best, files.size());
  }
  for (const Path path : {Path::kStb, Path::kLibjpeg, Path::kLean}) {
    double cpu1 = 0, cpu2 = 0;
    const double one = throughput(files, path, 1, repeat, &cpu1), two = throughput(files, path, 2, repeat, &cpu2);
    std::printf("%-18s wall: 1 thread %.0f img/s, 2 threads %.0f img/s (x%.2f); CPU per image: %.3f ms with 1 thread, %.3f ms with 2\n",
                label(path), one, two, two / one, cpu1, cpu2);
  }
  return 0;
}

/// PIL's draft() rule: the largest of 8, 4, 2 not above min(width // target_w, height // target_h).
int draft_scale(int w, int h, int tw, int th) {
  const int scale = std::min(w / tw, h / th);
  for (int s : {8, 4, 2})
    if (scale >= s) return s;
  return 1;
}

struct Diff {
  double sum_abs = 0, sq = 0;
  int max_abs = 0;
  size_t n = 0, differing = 0;
  void add(const img::Image& a, const img::Image& b) {
    for (size_t i = 0; i < a.pixels.size(); ++i) {
      const int d = std::abs(int(a.pixels[i]) - int(b.pixels[i]));
      sum_abs += d, sq += double(d) * d, max_abs = std::max(max_abs, d), differing += d != 0;
    }
    n += a.pixels.size();
  }
  std::string text() const {
    char buf[160];
    const double mse = sq / double(n);
    std::snprintf(buf, sizeof buf, "mean |diff| %.2f, max %d, %.1f%% of values differ, PSNR %.1f dB", sum_abs / double(n), max_abs,
                  100.0 * double(differing) / double(n), mse > 0 ? 10 * std::log10(255.0 * 255.0 / mse) : 99.0);
    return buf;
  }
};

/// The opt-in fast decode: libjpeg scales in the DCT domain (1/2, 1/4, 1/8), then PIL's filter resizes the
/// smaller image to the target with the box of the full image (what PIL's draft + resize does).
img::Image fast_load(const std::vector<uint8_t>& bytes, int scale, int target, const std::string& interp, double* decode_s) {
  const double t0 = thread_cpu_seconds();
  const auto pil = proto::jpeg::decode(bytes.data(), bytes.size(), {.scale_denom = scale});
  if (decode_s) *decode_s += thread_cpu_seconds() - t0;
  const auto header = proto::jpeg::pil_jpeg_open(bytes.data(), bytes.size());
  const img::Image rgb = proto::pil_convert(pil, 3);
  const img::detail::Box box{0, 0, double(header.width) / scale, double(header.height) / scale};
  if (rgb.width == target && rgb.height == target && scale == 1) return rgb;
  return img::detail::pil_resize(rgb, target, target, interp, box);
}

int fast(const std::string& dir, int target) {
  const auto files = jpegs_under(dir);
  std::vector<std::vector<uint8_t>> data;
  for (const auto& f : files) data.push_back(read_whole(f));
  std::printf("%zu JPEGs under %s -> %dx%d (thread CPU ms per image, best of 3 passes)\n", files.size(), dir.c_str(), target, target);
  for (const std::string interp : {"nearest", "bilinear", "bicubic", "lanczos"}) {
    // 0: PIL's draft rule (never below the target); 2, 4, 8: forced whatever the size
    for (int forced : {0, 2, 4, 8}) {
      auto scale_of = [&](const std::vector<uint8_t>& b) {
        const auto h = proto::jpeg::pil_jpeg_open(b.data(), b.size());
        return forced ? forced : draft_scale(h.width, h.height, target, target);
      };
      Diff diff;
      for (const auto& b : data) diff.add(fast_load(b, 1, target, interp, nullptr), fast_load(b, scale_of(b), target, interp, nullptr));
      double best[2][2] = {{1e9, 1e9}, {1e9, 1e9}};  // [exact, fast][decode, decode+resize]
      for (int pass = 0; pass < 6; ++pass) {
        const int which = pass % 2;
        double dec = 0;
        const double t0 = thread_cpu_seconds();
        for (const auto& b : data) fast_load(b, which ? scale_of(b) : 1, target, interp, &dec);
        const double all = thread_cpu_seconds() - t0;
        best[which][0] = std::min(best[which][0], dec / double(data.size()) * 1e3);
        best[which][1] = std::min(best[which][1], all / double(data.size()) * 1e3);
      }
      std::string label = forced ? "forced 1/" + std::to_string(forced) : "draft rule 1/" + std::to_string(scale_of(data[0]));
      std::printf("  %-8s %-15s decode %.2f -> %.2f ms (x%.2f), decode+resize %.2f -> %.2f ms (x%.2f); %s\n", interp.c_str(),
                  label.c_str(), best[0][0], best[1][0], best[0][0] / best[1][0], best[0][1], best[1][1], best[0][1] / best[1][1],
                  diff.text().c_str());
    }
  }
  return 0;
}

int batches(const std::string& dir, const std::string& ref_dir) {
  std::ifstream names(ref_dir + "/filenames.txt");
  std::ifstream ref(ref_dir + "/batches.bin", std::ios::binary);
  size_t files = 0, identical = 0;
  std::vector<uint8_t> want(224 * 224 * 3);
  for (std::string name; std::getline(names, name); ++files) {
    ref.read(reinterpret_cast<char*>(want.data()), std::streamsize(want.size()));
    const auto bytes = img::detail::read_file(dir + "/" + name);
    const auto pil = proto::jpeg::decode(bytes.data(), bytes.size());
    const auto got = img::detail::resize_for_keras(proto::pil_convert(pil, 3), {.target_size = {224, 224}});
    identical += got.pixels == want;
  }
  std::printf("flow_from_directory batches: %zu of %zu images identical to keras_preprocessing's\n", identical, files);
  return identical == files ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "decode" && argc > 2) {
      const auto bytes = img::detail::read_file(argv[2]);
      const auto pil = proto::jpeg::decode(bytes.data(), bytes.size());
      const auto rgb = proto::pil_convert(pil, 3);
      uint64_t h = 1469598103934665603ull;
      for (uint8_t v : rgb.pixels) h = (h ^ v) * 1099511628211ull;
      std::printf("%s %dx%d fnv1a(rgb)=%016llx\n", pil.mode.c_str(), pil.width, pil.height, (unsigned long long)h);
      return 0;
    }
    if (cmd == "bench" && argc > 2) return bench(argv[2], argc > 3 ? std::atoi(argv[3]) : 3);
    if (cmd == "fast" && argc > 2) return fast(argv[2], argc > 3 ? std::atoi(argv[3]) : 224);
    if (cmd == "batches" && argc > 3) return batches(argv[2], argv[3]);
  } catch (const proto::PilRefusal& e) {
    std::fprintf(stderr, "%s: %s\n", e.kind.c_str(), e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: jpeg_pil_exact decode FILE | bench DIR [REPEAT] | fast DIR [TARGET] | batches DIR REF_DIR\n");
  return 2;
}
