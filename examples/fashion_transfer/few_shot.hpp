#pragma once
// The few-shot training sets: N images per target class drawn with a seed from the exported train folders and
// copied into their own class folders (cached), so that training reads them through flow_from_directory.
#include "fashion_mnist.hpp"

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace fashion_transfer {

namespace detail {

inline std::vector<std::filesystem::path> sorted_files(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// `n` of `files` drawn without replacement (a partial Fisher-Yates on mt19937, the same on every platform).
inline std::vector<std::filesystem::path> draw(std::vector<std::filesystem::path> files, int n, std::mt19937& rng) {
  if (n > static_cast<int>(files.size())) throw tl::ValueError("cannot draw " + std::to_string(n) + " images from " +
                                                                std::to_string(files.size()));
  for (int i = 0; i < n; ++i) std::swap(files[i], files[i + rng() % (files.size() - i)]);
  files.resize(n);
  return files;
}

}  // namespace detail

/// `cache/few_shot/n<N>_seed<S>/<class folder>/`: `n` training images of each of `labels`, drawn with `seed`.
inline std::filesystem::path few_shot_folder(const std::filesystem::path& cache, const std::vector<int>& labels, int n,
                                             int seed) {
  const auto dir = cache / "few_shot" / ("n" + std::to_string(n) + "_seed" + std::to_string(seed));
  if (std::filesystem::exists(dir / ".complete")) return dir;
  std::mt19937 rng(static_cast<uint32_t>(seed));
  for (const auto& folder : fashion_mnist::folders_of(labels)) {
    std::filesystem::create_directories(dir / folder);
    for (const auto& file : detail::draw(detail::sorted_files(cache / "train" / folder), n, rng))
      std::filesystem::copy_file(file, dir / folder / file.filename(), std::filesystem::copy_options::overwrite_existing);
  }
  std::ofstream(dir / ".complete") << "complete\n";
  return dir;
}

}  // namespace fashion_transfer
