// The odd-image corpus (tests/python/make_odd_images.py, docs/dev/decoding_research.md): every JPEG kind (samplings,
// progressive, greyscale, CMYK/YCCK, restart markers, arithmetic coding, odd sizes, damage and truncation), BMP/DIB
// (OS/2, RLE8/RLE4, bitfields, palettes, top-down), GIF (palette-less, transparency, interlace, LZW quirks), PNG
// (every bit depth, tRNS, Adam7, APNG, stream and CRC damage) and PBM/PGM/PPM (plain, maxvals, comments), plus tl's
// bad-image corpus. Each file in 9 load_img variants (grayscale/rgb/rgba x no resize, nearest and bilinear to 11x13)
// against keras_preprocessing: Keras's pixels exactly, or refused by both.
#include <tl/preprocessing/image.hpp>

#include "image_oracle.hpp"

#include <fstream>
#include <map>

namespace img = tl::preprocessing::image;

namespace {

/// The generated corpus (`keras_image.py odd_corpus`), filled once per test run.
tl::test::OracleDir& odd_corpus() {
  static tl::test::OracleDir dir("odd_corpus");
  return dir;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) out.push_back(field);
  return out;
}

struct Tally {
  int identical = 0, both_refuse = 0;
  std::vector<std::string> wrong;
};

}  // namespace

TEST_CASE("every file of the odd-image corpus gives Keras's pixels, or is refused as Keras refuses it", "[preprocessing][image]") {
  tl::test::TempDir refs_dir;
  tl::test::KerasImage oracle;
  const auto& corpus = oracle.need(odd_corpus());
  oracle.add("odd_refs " + corpus.path().string() + " " + refs_dir.path().string());
  oracle.run();
  std::ifstream refs_file(refs_dir / "refs.bin", std::ios::binary);
  const std::vector<uint8_t> refs((std::istreambuf_iterator<char>(refs_file)), std::istreambuf_iterator<char>());
  std::ifstream manifest(refs_dir / "manifest.tsv");
  std::map<std::string, std::string> pil_format;  // file -> the format PIL identified ("-": none)
  std::map<std::string, Tally> groups;
  size_t variants = 0;
  for (std::string line; std::getline(manifest, line);) {
    const auto f = split_tabs(line);
    if (f.empty()) continue;
    if (f[0][0] == '#') {
      pil_format[f[0].substr(1)] = f.size() > 1 ? f[1] : "-";
      continue;
    }
    // file, color, height, width, interpolation, ok rows cols channels offset | error message
    REQUIRE(f.size() >= 6);
    ++variants;
    const std::string& file = f[0];
    const img::LoadImgOptions options{.color_mode = f[1], .target_size = {std::stoi(f[2]), std::stoi(f[3])}, .interpolation = f[4]};
    std::optional<img::Image> mine;
    std::string error;
    try {
      mine = tl::load_img(corpus / file, options);
    } catch (const tl::IOError& e) {
      error = e.what();
      if (error.find("image file '" + (corpus / file).string() + "'") != 0) error = "NO FILE NAME: " + error;
    }
    auto& tally = groups[file.substr(0, file.find('/'))];
    const std::string variant = file + " " + f[1] + " " + f[2] + "x" + f[3] + " " + f[4] + ": ";
    if (f[5] != "ok") {
      if (mine) tally.wrong.push_back(variant + "tl reads what Keras refuses (" + (f.size() > 6 ? f[6] : "") + ")");
      else if (error.rfind("NO FILE NAME", 0) == 0) tally.wrong.push_back(variant + error);
      else ++tally.both_refuse;
      continue;
    }
    if (pil_format[file] == "TIFF") {  // Keras reads TIFF through PIL; tl refuses the format by design
      if (error.find("TIFF images are not supported") == std::string::npos) tally.wrong.push_back(variant + "TIFF: " + error);
      continue;
    }
    if (!mine) {
      tally.wrong.push_back(variant + "tl refuses what Keras reads: " + error);
      continue;
    }
    const int rows = std::stoi(f[6]), cols = std::stoi(f[7]), channels = std::stoi(f[8]);
    const size_t offset = std::stoull(f[9]);
    if (mine->height != rows || mine->width != cols || mine->channels != channels) {
      tally.wrong.push_back(variant + "shape " + std::to_string(mine->height) + "x" + std::to_string(mine->width) + "x" +
                            std::to_string(mine->channels));
      continue;
    }
    REQUIRE(offset + mine->pixels.size() <= refs.size());
    int worst = 0;
    for (size_t i = 0; i < mine->pixels.size(); ++i) worst = std::max(worst, std::abs(int(mine->pixels[i]) - int(refs[offset + i])));
    if (worst) tally.wrong.push_back(variant + "pixels differ by up to " + std::to_string(worst));
    else ++tally.identical;
  }
  REQUIRE(variants > 2500);  // ~300 files x 9 variants: the oracle answered for the whole corpus
  for (const auto& [group, tally] : groups) {
    INFO(group << ": " << tally.identical << " identical, " << tally.both_refuse << " refused by both, " << tally.wrong.size()
               << " wrong");
    for (size_t k = 0; k < tally.wrong.size() && k < 20; ++k) UNSCOPED_INFO(tally.wrong[k]);
    REQUIRE(tally.wrong.empty());
    REQUIRE(tally.identical > 0);
  }
  for (const std::string group : {"jpeg", "bmp", "gif", "png", "pnm", "bad"}) REQUIRE(groups.count(group));
}
