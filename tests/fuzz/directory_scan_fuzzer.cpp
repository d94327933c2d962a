// libFuzzer target: flow_from_directory's scan of a folder tree the input describes — odd names, nested folders,
// files with and without image extensions, links to files, to folders, back to an ancestor (a loop) and to
// nowhere — then one batch. The scan must end, list every image file once, and each file must exist; a bad or
// missing image is a tl::IOError naming it.
#include <tl/tl.hpp>

#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace {

namespace fs = std::filesystem;

/// Reads the input a byte at a time; past its end, zeros.
struct Bytes {
  const uint8_t* data;
  size_t size, at = 0;
  bool done() const { return at >= size; }
  uint8_t next() { return at < size ? data[at++] : 0; }
  /// A file or folder name of 1 to 8 bytes, any byte but '/' and NUL (those become '_'); never "." or "..".
  std::string name() {
    std::string s(1 + next() % 8, '_');
    for (auto& c : s) c = static_cast<char>(next());
    for (auto& c : s) c = (c == '/' || c == '\0') ? '_' : c;
    return s == "." || s == ".." ? "dot" : s;
  }
};

const std::array<const char*, 6> extensions{".png", ".JPG", ".jpeg", ".tiff", ".txt", ""};

std::string tiny_png() {
  static const std::string png = [] {
    const auto file = fs::temp_directory_path() / ("tl_fuzz_px_" + std::to_string(getpid()) + ".png");
    tl::save_img(file, tl::preprocessing::image::Image{2, 2, 3, std::vector<uint8_t>(12, 200)});
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(file);
    return bytes;
  }();
  return png;
}

/// Builds the tree: each step either makes a folder and enters it, leaves a folder, writes a file or makes a link.
void build_tree(Bytes& in, const fs::path& root) {
  std::vector<fs::path> stack{root};
  std::error_code ec;
  for (int step = 0; step < 48 && !in.done(); ++step) {
    const fs::path here = stack.back();
    switch (in.next() % 6) {
      case 0:
        if (stack.size() < 6 && fs::create_directory(here / in.name(), ec)) stack.push_back(here / in.name());
        break;
      case 1:
        if (stack.size() > 1) stack.pop_back();
        break;
      case 2:
      case 3: {
        const auto file = here / (in.name() + extensions[in.next() % extensions.size()]);
        std::ofstream(file, std::ios::binary) << (in.next() % 2 ? tiny_png() : std::string("not an image"));
        break;
      }
      case 4:  // a link to an ancestor folder (a loop when links are followed), or to the root's parent
        fs::create_directory_symlink(stack[in.next() % stack.size()], here / in.name(), ec);
        break;
      case 5:  // a link to nowhere
        fs::create_symlink(root / "nowhere", here / (in.name() + ".png"), ec);
        break;
    }
  }
}

/// Every listed file exists and none is listed twice.
void check_listing(const tl::DirectoryIterator& it, const fs::path& root) {
  if (it.samples != static_cast<int64_t>(it.filenames.size()) || it.filenames.size() != it.classes.size())
    __builtin_trap();
  std::set<std::string> seen;
  for (const auto& f : it.filenames) {
    std::error_code ec;
    if (!seen.insert(f).second || !fs::exists(fs::symlink_status(root / f, ec))) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto root = fs::temp_directory_path() / ("tl_scan_fuzz_" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(root, ec);
  fs::create_directories(root);
  Bytes in{data, size};
  const uint8_t flags = in.next();
  build_tree(in, root);
  std::ostringstream quiet;  // "Found N images ..." for every input would drown libFuzzer's own output
  auto* saved = std::cout.rdbuf(quiet.rdbuf());
  try {
    const tl::ImageDataGenerator generator({.validation_split = flags & 4 ? 0.5 : 0.0});
    auto it = generator.flow_from_directory(root, {.target_size = {4, 4},
                                                   .batch_size = 4,
                                                   .follow_links = (flags & 1) != 0,
                                                   .subset = flags & 4 ? "validation" : "",
                                                   .on_bad_image = flags & 2 ? "skip" : "error",
                                                   .loader = {.workers = 0}});
    check_listing(it, root);
    if (it.size() > 0) it.get_batch(0);
  } catch (const tl::IOError&) {  // an unreadable image, named
  } catch (const tl::ValueError&) {  // e.g. a batch of an empty listing
  }
  std::cout.rdbuf(saved);
  fs::remove_all(root, ec);
  return 0;
}
