#pragma once
#include <tl/preprocessing/image/detail/list_files.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <filesystem>
#include <system_error>

namespace tl::preprocessing::image::detail {

TL_INLINE const std::vector<std::string>& white_list_formats() {
  static const std::vector<std::string> formats{"png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff"};
  return formats;
}

TL_INLINE bool has_image_extension(std::string name, const std::vector<std::string>& formats) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(formats.begin(), formats.end(), [&](const std::string& ext) {
    return name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0;
  });
}

TL_INLINE std::string path_join(const std::string& a, const std::string& b) {
  if (a.empty() || a.back() == '/') return a + b;
  return a + "/" + b;
}

/// A folder's (device, inode): how the walk recognises a folder it is already inside, reached again by a link.
using FolderId = std::pair<dev_t, ino_t>;

TL_INLINE std::optional<FolderId> folder_id(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return FolderId{info.st_dev, info.st_ino};
}

TL_INLINE void walk_into(const std::string& top, bool follow_links,
                         std::vector<std::pair<std::string, std::vector<std::string>>>& out, std::vector<FolderId>& inside) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(top, ec), end;
  const auto id = folder_id(top);
  if (ec || !id || std::find(inside.begin(), inside.end(), *id) != inside.end()) return;
  std::vector<std::string> dirs, files;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    std::error_code e;
    if (it->is_directory(e)) {
      if (follow_links || !it->is_symlink(e)) dirs.push_back(name);
    } else {
      files.push_back(name);
    }
  }
  out.emplace_back(top, std::move(files));
  inside.push_back(*id);
  for (const auto& d : dirs) walk_into(path_join(top, d), follow_links, out, inside);
  inside.pop_back();
}

TL_INLINE std::vector<std::pair<std::string, std::vector<std::string>>> walk(const std::string& top, bool follow_links) {
  std::vector<std::pair<std::string, std::vector<std::string>>> tree;
  std::vector<FolderId> inside;
  walk_into(top, follow_links, tree, inside);
  return tree;
}

TL_INLINE std::vector<std::string> list_class_files(const std::string& class_dir, const std::string& class_name,
                                                    bool follow_links, std::optional<std::pair<double, double>> split,
                                                    const std::vector<std::string>& formats) {
  auto tree = walk(class_dir, follow_links);
  std::stable_sort(tree.begin(), tree.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> found;
  for (auto& [root, files] : tree) {
    std::sort(files.begin(), files.end());
    const std::string rel = root.size() > class_dir.size() ? root.substr(class_dir.size() + 1) : "";
    for (const auto& f : files)
      if (has_image_extension(f, formats)) found.push_back(class_name + "/" + (rel.empty() ? f : rel + "/" + f));
  }
  if (!split) return found;
  const auto n = static_cast<double>(found.size());
  const auto start = static_cast<size_t>(split->first * n), stop = static_cast<size_t>(split->second * n);
  return {found.begin() + static_cast<std::ptrdiff_t>(start), found.begin() + static_cast<std::ptrdiff_t>(std::max(start, stop))};
}

TL_INLINE std::vector<std::string> list_class_names(const std::string& directory) {
  namespace fs = std::filesystem;
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e;
    if (it->is_directory(e)) names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace tl::preprocessing::image::detail
