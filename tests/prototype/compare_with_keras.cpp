// Prototype check (docs/dev/decoding_research.md): every file of the odd-image corpus through the prototype
// decoders (jpeg_pil_exact.hpp, pil_formats.hpp) and through today's tl (stb_image), against keras_preprocessing.
//
//   /usr/bin/python3 tests/python/make_odd_images.py make /tmp/odd
//   /usr/bin/python3 tests/python/make_odd_images.py gather /tmp/odd            # optional: Debian's shipped images
//   /usr/bin/python3 tests/python/make_odd_images.py compare /tmp/odd /tmp/odd_ref
//   g++ -std=c++20 -O2 -Iinclude -I/usr/include/stb tests/prototype/compare_with_keras.cpp -ljpeg -lz -o /tmp/compare
//   /tmp/compare /tmp/odd /tmp/odd_ref [--files] [--only PREFIX]
//   /tmp/compare bench DIR          decode time per file: prototype vs today's stb path
//
// For each file and each of the 21 load_img variants (grayscale/rgb/rgba x no resize or 11x13 with PIL's six
// filters) it reports: identical, different (max |diff|), both refuse, or a disagreement on refusing.
#include "pil_formats.hpp"

#include <tl/preprocessing/image/load_img.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ctime>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace img = tl::preprocessing::image;

namespace {

struct Variant {
  std::string color, interp, status, error;
  int h = 0, w = 0;
  int rows = 0, cols = 0, channels = 0;
  size_t offset = 0;
};

struct FileEntry {
  std::vector<std::string> pil;  // format, mode, size, info, load result, warnings
  std::vector<Variant> variants;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::string f;
  std::istringstream in(line);
  while (std::getline(in, f, '\t')) out.push_back(f);
  return out;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The outcome of one variant for one decoder, against Keras.
struct Outcome {
  enum Kind { kIdentical, kDifferent, kBothRefuse, kFalseAccept, kFalseRefuse, kShape } kind;
  int max_diff = 0;
  std::string note;
};

Outcome judge(const Variant& v, const uint8_t* refs, const std::optional<img::Image>& mine, const std::string& my_error) {
  const bool keras_ok = v.status == "ok";
  if (!keras_ok && !mine) return {Outcome::kBothRefuse, 0, my_error};
  if (!keras_ok) return {Outcome::kFalseAccept, 0, v.error};
  if (!mine) return {Outcome::kFalseRefuse, 0, my_error};
  if (mine->height != v.rows || mine->width != v.cols || mine->channels != v.channels)
    return {Outcome::kShape, 0, std::to_string(mine->height) + "x" + std::to_string(mine->width) + "x" + std::to_string(mine->channels)};
  const uint8_t* ref = refs + v.offset;
  int worst = 0;
  for (size_t i = 0; i < mine->pixels.size(); ++i) worst = std::max(worst, std::abs(int(mine->pixels[i]) - int(ref[i])));
  return {worst == 0 ? Outcome::kIdentical : Outcome::kDifferent, worst, ""};
}

const char* name_of(Outcome::Kind k) {
  switch (k) {
    case Outcome::kIdentical: return "identical";
    case Outcome::kDifferent: return "DIFFERENT";
    case Outcome::kBothRefuse: return "both refuse";
    case Outcome::kFalseAccept: return "ACCEPTS (Keras refuses)";
    case Outcome::kFalseRefuse: return "REFUSES (Keras reads)";
    case Outcome::kShape: return "WRONG SHAPE";
  }
  return "?";
}

/// The worst outcome over a file's variants, with the largest pixel difference.
struct Summary {
  Outcome::Kind kind = Outcome::kIdentical;
  int max_diff = 0;
  int variants_differing = 0;
  std::string note;
  void add(const Outcome& o) {
    if (o.kind == Outcome::kDifferent) ++variants_differing;
    max_diff = std::max(max_diff, o.max_diff);
    auto rank = [](Outcome::Kind k) {
      switch (k) {
        case Outcome::kIdentical: return 0;
        case Outcome::kBothRefuse: return 1;
        case Outcome::kDifferent: return 2;
        default: return 3;
      }
    };
    if (rank(o.kind) > rank(kind)) kind = o.kind, note = o.note;
    else if (note.empty() && !o.note.empty()) note = o.note;
  }
  std::string text() const {
    std::string s = name_of(kind);
    if (kind == Outcome::kDifferent) s += " (max " + std::to_string(max_diff) + ", " + std::to_string(variants_differing) + "/21 variants)";
    return s;
  }
};

}  // namespace

/// Thread CPU ms per file to decode every file under DIR: the prototype (PIL's semantics) and today's stb path.
int bench_any(const std::string& dir) {
  std::vector<std::vector<uint8_t>> data;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) data.push_back(read_file(e.path().string()));
  auto cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  };
  double best_proto = 1e9, best_stb = 1e9;
  for (int pass = 0; pass < 6; ++pass) {
    const double t0 = cpu();
    for (const auto& b : data) {
      if (pass % 2) (void)img::detail::decode_bytes(b, "f");
      else (void)proto::pil_convert(proto::formats::open_like_pil(b.data(), b.size()), 3);
    }
    const double ms = (cpu() - t0) / double(data.size()) * 1e3;
    (pass % 2 ? best_stb : best_proto) = std::min(pass % 2 ? best_stb : best_proto, ms);
  }
  std::printf("%zu files under %s: prototype (decode + convert to RGB) %.3f ms/file, stb %.3f ms/file\n", data.size(), dir.c_str(),
              best_proto, best_stb);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "bench") return bench_any(argv[2]);
  if (argc < 3) {
    std::cerr << "usage: compare_with_keras CORPUS_DIR REF_DIR [--files] [--only PREFIX]\n";
    return 2;
  }
  const std::string corpus = argv[1], refdir = argv[2];
  bool per_file = false;
  std::string only;
  for (int i = 3; i < argc; ++i) {
    if (std::string(argv[i]) == "--files") per_file = true;
    if (std::string(argv[i]) == "--only" && i + 1 < argc) only = argv[++i];
  }
  std::map<std::string, FileEntry> files;
  {
    std::ifstream in(refdir + "/manifest.tsv");
    for (std::string line; std::getline(in, line);) {
      auto f = split_tabs(line);
      if (f.empty()) continue;
      if (f[0][0] == '#') {
        files[f[0].substr(1)].pil.assign(f.begin() + 1, f.end());
        continue;
      }
      Variant v;
      v.color = f[1], v.h = std::stoi(f[2]), v.w = std::stoi(f[3]), v.interp = f[4], v.status = f[5];
      if (v.status == "ok") v.rows = std::stoi(f[6]), v.cols = std::stoi(f[7]), v.channels = std::stoi(f[8]), v.offset = std::stoull(f[9]);
      else v.error = f.size() > 6 ? f[6] : "";
      files[f[0]].variants.push_back(v);
    }
  }
  const int fd = open((refdir + "/refs.bin").c_str(), O_RDONLY);
  struct stat st {};
  fstat(fd, &st);
  const auto* refs = static_cast<const uint8_t*>(st.st_size ? mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0) : nullptr);

  struct GroupStats {
    int files = 0, proto_identical = 0, proto_refusals_agree = 0, proto_bad = 0, tl_identical = 0, tl_refusals_agree = 0, tl_bad = 0;
    int proto_max = 0, tl_max = 0;
  };
  std::map<std::string, GroupStats> groups;
  int out_of_scope = 0;
  for (const auto& [name, entry] : files) {
    if (!only.empty() && name.rfind(only, 0) != 0) continue;
    const auto bytes = read_file(corpus + "/" + name);
    std::optional<proto::PilImage> decoded;
    std::string proto_error;
    try {
      decoded = proto::formats::open_like_pil(bytes.data(), bytes.size());
    } catch (const proto::PilRefusal& e) {
      proto_error = e.kind + ": " + e.what();
    } catch (const std::exception& e) {
      proto_error = std::string("C++ exception: ") + e.what();
    }
    Summary proto_sum, tl_sum;
    for (const auto& v : entry.variants) {
      img::LoadImgOptions options{.color_mode = v.color, .target_size = {v.h, v.w}, .interpolation = v.interp};
      std::optional<img::Image> mine;
      std::string my_error = proto_error;
      if (decoded) {
        try {
          mine = img::detail::resize_for_keras(proto::pil_convert(*decoded, img::detail::channels_for(v.color)), options);
        } catch (const proto::PilRefusal& e) {
          my_error = e.kind + ": " + e.what();
        }
      }
      proto_sum.add(judge(v, refs, mine, my_error));
      std::optional<img::Image> theirs;
      std::string tl_error;
      try {
        theirs = img::detail::load_img_bytes(bytes, "image file '" + name + "'", options);
      } catch (const std::exception& e) {
        tl_error = e.what();
      }
      tl_sum.add(judge(v, refs, theirs, tl_error));
    }
    const std::string group = name.substr(0, name.find('/'));
    // A format outside the six PIL's preinit opens (TIFF, WebP, ...): refusing it is the documented scope.
    static const std::set<std::string> in_scope{"BMP", "DIB", "GIF", "JPEG", "MPO", "PPM", "PNG", "-"};
    if (proto_sum.kind == Outcome::kFalseRefuse && !entry.pil.empty() && !in_scope.count(entry.pil[0])) {
      ++out_of_scope;
      if (per_file) std::cout << name << "\t" << entry.pil[0] << "\tout of scope (format refused by design)\n";
      continue;
    }
    for (auto* g : {&groups[group]}) {
      ++g->files;
      g->proto_identical += proto_sum.kind == Outcome::kIdentical;
      g->proto_refusals_agree += proto_sum.kind == Outcome::kBothRefuse;
      g->proto_bad += proto_sum.kind > Outcome::kBothRefuse || proto_sum.kind == Outcome::kDifferent;
      g->tl_identical += tl_sum.kind == Outcome::kIdentical;
      g->tl_refusals_agree += tl_sum.kind == Outcome::kBothRefuse;
      g->tl_bad += tl_sum.kind > Outcome::kBothRefuse || tl_sum.kind == Outcome::kDifferent;
      g->proto_max = std::max(g->proto_max, proto_sum.max_diff);
      g->tl_max = std::max(g->tl_max, tl_sum.max_diff);
    }
    if (per_file) {
      const std::string pil = entry.pil.size() >= 5
                                  ? (entry.pil[4] == "loads" ? entry.pil[0] + " " + entry.pil[1] : entry.pil[4].substr(0, 70))
                                  : "?";
      std::cout << name << "\t" << pil << "\tprototype: " << proto_sum.text()
                << (proto_sum.kind >= Outcome::kFalseAccept || proto_sum.kind == Outcome::kDifferent ? " [" + proto_sum.note + "]" : "")
                << "\ttl today: " << tl_sum.text() << "\n";
    }
  }
  std::cout << "\n| corpus | files | prototype: identical | prototype: both refuse | prototype: other | tl today: identical | "
               "tl today: both refuse | tl today: other (max diff) |\n|---|---|---|---|---|---|---|---|\n";
  GroupStats total;
  for (const auto& [g, s] : groups) {
    std::cout << "| " << g << " | " << s.files << " | " << s.proto_identical << " | " << s.proto_refusals_agree << " | "
              << s.proto_bad << " | " << s.tl_identical << " | " << s.tl_refusals_agree << " | " << s.tl_bad << " ("
              << s.tl_max << ") |\n";
    total.files += s.files, total.proto_identical += s.proto_identical, total.proto_refusals_agree += s.proto_refusals_agree;
    total.proto_bad += s.proto_bad, total.tl_identical += s.tl_identical, total.tl_refusals_agree += s.tl_refusals_agree;
    total.tl_bad += s.tl_bad;
  }
  if (out_of_scope) std::cout << "(" << out_of_scope << " files of formats outside the prototype's scope left out)\n";
  std::cout << "| all | " << total.files << " | " << total.proto_identical << " | " << total.proto_refusals_agree << " | "
            << total.proto_bad << " | " << total.tl_identical << " | " << total.tl_refusals_agree << " | " << total.tl_bad << " |\n";
  return total.proto_bad == 0 ? 0 : 1;
}
