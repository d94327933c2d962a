#pragma once
#include <tl/core/errors.hpp>
#include <tl/io/atomic_write.hpp>
#include <tl/utils/detail/download.hpp>
#include <tl/utils/detail/hash.hpp>
#include <tl/utils/get_file.hpp>
#include <tl/utils/progbar.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace tl::utils {
namespace detail {

TL_INLINE std::filesystem::path cache_base(const std::string& cache_dir) {
  std::filesystem::path base;
  if (!cache_dir.empty()) base = cache_dir;
  else if (const char* keras_home = std::getenv("KERAS_HOME")) base = keras_home;
  else if (const char* home = std::getenv("HOME")) base = std::filesystem::path(home) / ".keras";
  std::error_code ignored;
  if (!base.empty()) std::filesystem::create_directories(base, ignored);
  if (base.empty() || access(base.c_str(), W_OK) != 0) base = "/tmp/.keras";
  return base;
}

TL_INLINE std::string file_name_of(const std::string& origin) {
  auto path = origin.substr(0, origin.find_first_of("?#"));
  const auto scheme = path.find("://");
  if (scheme != std::string::npos && path.find('/', scheme + 3) == std::string::npos) return "";
  return path.substr(path.find_last_of('/') + 1);
}

TL_INLINE std::filesystem::path hash_stamp_path(const std::filesystem::path& file) {
  std::string name = ".";  // not "." + std::string&&: GCC 12's -Wrestrict misfires on that at -O3 (bug 105329)
  name += file.filename().string();
  name += ".tl-hash";
  return file.parent_path() / name;
}

/// The stamp's line for `file` as it is now, or nullopt when it cannot be looked at.
TL_INLINE std::optional<std::string> hash_stamp(const std::filesystem::path& file, const std::string& algorithm,
                                                const std::string& hash) {
  struct stat s {};
  if (::stat(file.c_str(), &s) != 0 || !S_ISREG(s.st_mode)) return std::nullopt;
  const auto ns = [](const timespec& t) { return std::to_string(int64_t(t.tv_sec) * 1'000'000'000 + t.tv_nsec); };
  return "tl-hash-stamp-1 " + algorithm + " " + hash + " size=" + std::to_string(s.st_size) + " mtime=" +
         ns(s.st_mtim) + " ctime=" + ns(s.st_ctim) + " dev=" + std::to_string(s.st_dev) +
         " ino=" + std::to_string(s.st_ino);
}

TL_INLINE void write_hash_stamp(const std::filesystem::path& file, const std::string& algorithm,
                                const std::string& hash) {
  const auto line = hash_stamp(file, algorithm, hash);
  if (!line) return;
  try {
    io::detail::write_atomically(hash_stamp_path(file), [&](const std::filesystem::path& temp) {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << *line << "\n";
      out.close();
      if (!out) throw IOError("cannot write " + temp.string());
    });
  } catch (const std::exception&) {  // a read-only cache: the file is hashed again next time, nothing worse
  }
}

TL_INLINE bool has_file_hash(const std::filesystem::path& file, const std::string& algorithm, const std::string& hash) {
  if (const auto expected = hash_stamp(file, algorithm, hash)) {
    std::ifstream in(hash_stamp_path(file), std::ios::binary);
    std::string line;
    if (in && std::getline(in, line) && line == *expected) return true;
  }
  if (hash_file(file, algorithm) != hash) return false;
  write_hash_stamp(file, algorithm, hash);
  return true;
}

/// Keras's download progress: a byte Progbar made once the total size is known.
TL_INLINE Progress progress_bar() {
  auto bar = std::make_shared<std::optional<Progbar>>();
  return [bar](int64_t received, int64_t total) {
    if (total <= 0) return;
    if (!*bar) bar->emplace(total);
    (*bar)->update(std::min(received, total));
  };
}

/// Downloads `origin` to `fpath` through a temporary file, which is deleted if the hash does not match; a file
/// that matches is stamped as verified.
TL_INLINE void download(const std::string& origin, const std::filesystem::path& fpath, const GetFileOptions& options,
                        const std::string& algorithm) {
  std::cout << "Downloading data from " << origin << std::endl;
  io::detail::write_atomically(fpath, [&](const std::filesystem::path& temp) {
    try {
      fetch(origin, temp, progress_bar());
    } catch (const IOError& e) {
      throw IOError("URL fetch failure on " + origin + ": " + e.what() +
                    ". To use the file without downloading it, place it at " + fpath.string());
    }
    if (options.file_hash.empty()) return;
    const auto actual = hash_file(temp, algorithm);
    if (actual != options.file_hash)
      throw ValueError("Incomplete or corrupted file detected. The " + algorithm + " file hash of the data from " +
                       origin + " is " + actual + ", which does not match the provided value of " +
                       options.file_hash + ".");
  });
  if (!options.file_hash.empty()) write_hash_stamp(fpath, algorithm, options.file_hash);
}

}  // namespace detail

TL_INLINE std::string get_file(std::string fname, const std::string& origin, const GetFileOptions& options) {
  if (fname.empty()) fname = detail::file_name_of(origin);
  if (fname.empty())
    throw ValueError("Can't parse the file name from the origin provided: '" + origin +
                     "'. Please specify the `fname` as the input param.");
  const auto datadir = detail::cache_base(options.cache_dir) / options.cache_subdir;
  std::error_code error;
  std::filesystem::create_directories(datadir, error);
  if (error) throw IOError("Unable to create the cache directory " + datadir.string() + ": " + error.message());
  const auto fpath = datadir / fname;
  const auto algorithm = detail::resolve_hash_algorithm(options.hash_algorithm, options.file_hash);

  bool download = !std::filesystem::exists(fpath);
  if (!download && !options.file_hash.empty() && !detail::has_file_hash(fpath, algorithm, options.file_hash)) {
    std::cout << "A local file was found, but it seems to be incomplete or outdated because the " << algorithm
              << " file hash does not match the original value of " << options.file_hash
              << " so we will re-download the data." << std::endl;
    download = true;
  }
  if (download) detail::download(origin, fpath, options, algorithm);
  return fpath.string();
}

}  // namespace tl::utils
