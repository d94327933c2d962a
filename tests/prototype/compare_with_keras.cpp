// Standalone check of tl's decoders against keras_preprocessing over a corpus too large for the test suite (the
// mutants, Debian's shipped images): every file x every load_img variant of make_odd_images.py's reference, with a
// table per corpus group. No LibTorch: compiles in seconds.
//
//   PY=/usr/bin/python3; S=tests/python/make_odd_images.py
//   $PY $S make /tmp/odd && $PY $S gather /tmp/odd && $PY $S compare /tmp/odd /tmp/odd_ref
//   $PY $S mutate /tmp/odd /tmp/mut 16 && $PY $S compare /tmp/mut /tmp/mut_ref
//   g++ -std=c++20 -O2 -Iinclude -I/usr/include/stb tests/prototype/compare_with_keras.cpp -ljpeg -lz -o /tmp/compare
//   /tmp/compare /tmp/odd /tmp/odd_ref [--files]      exit 1 on any disagreement (TIFF, refused by design, aside)
//
// Per file: identical in every variant Keras reads (and refused where Keras refuses), refused by both, or wrong
// (different pixels, a refusal of what Keras reads, a read of what Keras refuses).
#include <tl/preprocessing/image/load_img.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace img = tl::preprocessing::image;

namespace {

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

struct Group {
  int files = 0, identical = 0, both_refuse = 0, wrong = 0, out_of_scope = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: compare_with_keras CORPUS_DIR REF_DIR [--files]\n";
    return 2;
  }
  const std::string corpus = argv[1], refdir = argv[2];
  const bool per_file = argc > 3 && std::string(argv[3]) == "--files";
  const int fd = open((refdir + "/refs.bin").c_str(), O_RDONLY);
  struct stat st {};
  fstat(fd, &st);
  const auto* refs = static_cast<const uint8_t*>(st.st_size ? mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0) : nullptr);
  std::ifstream manifest(refdir + "/manifest.tsv");
  std::map<std::string, Group> groups;
  std::string file, format, verdict;
  bool keras_read_any = false;
  const auto finish = [&] {
    if (file.empty()) return;
    auto& g = groups[file.substr(0, file.find('/'))];
    ++g.files;
    if (format == "TIFF") ++g.out_of_scope;
    else if (!verdict.empty()) ++g.wrong;
    else if (keras_read_any) ++g.identical;
    else ++g.both_refuse;
    if (per_file || (!verdict.empty() && format != "TIFF"))
      std::cout << file << "\t" << format << "\t" << (format == "TIFF" ? "TIFF, refused by design" : verdict.empty() ? "ok" : verdict) << "\n";
  };
  std::vector<uint8_t> bytes;
  for (std::string line; std::getline(manifest, line);) {
    const auto f = split_tabs(line);
    if (f.empty()) continue;
    if (f[0][0] == '#') {
      finish();
      file = f[0].substr(1), format = f.size() > 1 ? f[1] : "-", verdict.clear(), keras_read_any = false;
      bytes = read_file(corpus + "/" + file);
      continue;
    }
    const img::LoadImgOptions options{.color_mode = f[1], .target_size = {std::stoi(f[2]), std::stoi(f[3])}, .interpolation = f[4]};
    std::optional<img::Image> mine;
    std::string error;
    try {
      mine = img::detail::load_img_bytes(bytes, "image file '" + file + "'", options);
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::string wrong;
    const std::string variant = f[1] + " " + f[2] + "x" + f[3] + " " + f[4];
    if (f[5] == "ok") {
      keras_read_any = true;
      if (!mine) {
        wrong = "REFUSES what Keras reads (" + variant + "): " + error;
      } else if (mine->height != std::stoi(f[6]) || mine->width != std::stoi(f[7]) || mine->channels != std::stoi(f[8])) {
        wrong = "WRONG SHAPE (" + variant + ")";
      } else {
        const uint8_t* ref = refs + std::stoull(f[9]);
        int worst = 0;
        for (size_t i = 0; i < mine->pixels.size(); ++i) worst = std::max(worst, std::abs(int(mine->pixels[i]) - int(ref[i])));
        if (worst) wrong = "DIFFERENT (" + variant + "): max " + std::to_string(worst);
      }
    } else if (mine) {
      wrong = "READS what Keras refuses (" + variant + "): " + (f.size() > 6 ? f[6] : "");
    }
    if (verdict.empty()) verdict = wrong;
  }
  finish();
  std::cout << "\n| group | files | identical | refused by both | wrong | TIFF (refused by design) |\n|---|---|---|---|---|---|\n";
  Group all;
  for (const auto& [name, g] : groups) {
    std::cout << "| " << name << " | " << g.files << " | " << g.identical << " | " << g.both_refuse << " | " << g.wrong << " | "
              << g.out_of_scope << " |\n";
    all.files += g.files, all.identical += g.identical, all.both_refuse += g.both_refuse, all.wrong += g.wrong;
    all.out_of_scope += g.out_of_scope;
  }
  std::cout << "| all | " << all.files << " | " << all.identical << " | " << all.both_refuse << " | " << all.wrong << " | "
            << all.out_of_scope << " |\n";
  return all.wrong == 0 ? 0 : 1;
}
