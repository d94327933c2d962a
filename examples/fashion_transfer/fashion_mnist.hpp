#pragma once
// Fashion-MNIST from Debian's dataset-fashion-mnist (gzip'd IDX files) exported once to PNG class folders,
// so that the demo reads everything through flow_from_directory as a Keras user would.
#include <tl/tl.hpp>

#include <zlib.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace fashion_mnist {

/// Folder names of the ten classes, numbered so that sorted order is label order.
inline const std::array<std::string, 10> class_folders = {
    "0_tshirt_top", "1_trouser", "2_pullover", "3_dress", "4_coat",
    "5_sandal",     "6_shirt",   "7_sneaker",  "8_bag",   "9_ankle_boot"};

/// The folder names of the given labels, in the given order.
inline std::vector<std::string> folders_of(const std::vector<int>& labels) {
  std::vector<std::string> folders;
  for (int label : labels) folders.push_back(class_folders.at(label));
  return folders;
}

namespace detail {

/// The whole decompressed content of a .gz file.
inline std::vector<uint8_t> read_gzip(const std::filesystem::path& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw tl::IOError("cannot open " + path.string() + " (install Debian's dataset-fashion-mnist)");
  std::vector<uint8_t> bytes;
  std::array<uint8_t, 1 << 16> chunk;
  int n = 0;
  while ((n = gzread(file, chunk.data(), chunk.size())) > 0) bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
  gzclose(file);
  if (n < 0) throw tl::IOError(path.string() + ": corrupt gzip data");
  return bytes;
}

inline uint32_t big_endian(const std::vector<uint8_t>& bytes, size_t at) {
  return uint32_t(bytes[at]) << 24 | uint32_t(bytes[at + 1]) << 16 | uint32_t(bytes[at + 2]) << 8 | bytes[at + 3];
}

/// An IDX file's payload after checking its magic number and size (LeCun's format: big-endian header).
inline std::vector<uint8_t> read_idx(const std::filesystem::path& path, uint32_t magic, size_t item_size,
                                     uint32_t& count) {
  auto bytes = read_gzip(path);
  const size_t header = magic == 0x803 ? 16 : 8;
  if (bytes.size() < header || big_endian(bytes, 0) != magic)
    throw tl::IOError(path.string() + ": not an IDX file of magic " + std::to_string(magic));
  count = big_endian(bytes, 4);
  if (bytes.size() != header + count * item_size)
    throw tl::IOError(path.string() + ": size does not match its IDX header");
  return {bytes.begin() + header, bytes.end()};
}

/// Writes one split (IDX prefix "train" or "t10k") as `out/<class folder>/<index>.png`.
inline void export_split(const std::filesystem::path& data_dir, const std::string& prefix,
                         const std::filesystem::path& out) {
  uint32_t images = 0, labels = 0;
  const auto pixels = read_idx(data_dir / (prefix + "-images-idx3-ubyte.gz"), 0x803, 28 * 28, images);
  const auto label = read_idx(data_dir / (prefix + "-labels-idx1-ubyte.gz"), 0x801, 1, labels);
  if (images != labels) throw tl::IOError(data_dir.string() + ": " + prefix + " images and labels differ in count");
  for (const auto& folder : class_folders) std::filesystem::create_directories(out / folder);
  for (uint32_t i = 0; i < images; ++i) {
    std::ostringstream name;
    name << std::setw(5) << std::setfill('0') << i << ".png";
    const auto first = pixels.begin() + i * 28 * 28;
    tl::save_img(out / class_folders.at(label[i]) / name.str(), tl::preprocessing::image::Image{28, 28, 1, {first, first + 28 * 28}});
  }
  std::cout << "  " << out.string() << ": " << images << " images" << std::endl;
}

}  // namespace detail

/// `cache/train` and `cache/test`, one folder per class, exported from `data_dir` unless already there.
inline void export_png_folders(const std::filesystem::path& data_dir, const std::filesystem::path& cache) {
  const auto done = cache / ".exported";
  if (std::filesystem::exists(done)) return;
  const auto start = std::chrono::steady_clock::now();
  std::cout << "Exporting Fashion-MNIST (" << data_dir.string() << ") to PNG class folders, once:" << std::endl;
  detail::export_split(data_dir, "train", cache / "train");
  detail::export_split(data_dir, "t10k", cache / "test");
  std::ofstream(done) << "complete\n";
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::cout << "  done in " << std::fixed << std::setprecision(1) << took.count() << " s" << std::endl;
}

}  // namespace fashion_mnist
