#pragma once
// keras.utils.get_file: a file downloaded once into Keras's cache (`~/.keras/models`), checked by md5 or sha256,
// shared with Python Keras on the same machine.
#include <tl/core/errors.hpp>
#include <tl/io/atomic_write.hpp>
#include <tl/utils/detail/download.hpp>
#include <tl/utils/detail/hash.hpp>
#include <tl/utils/progbar.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace tl::utils {

/// Keras's keyword arguments of `get_file` (tl caches under "models" unless told otherwise).
struct GetFileOptions {
  std::string cache_subdir = "models";  ///< folder under the cache directory
  std::string file_hash = "";           ///< expected md5 or sha256 hex digest; empty: no check
  std::string hash_algorithm = "auto";  ///< "md5", "sha256", or "auto" (sha256 for a 64-character hash)
  std::string cache_dir = "";           ///< default: $KERAS_HOME, else ~/.keras
};

namespace detail {

/// Keras's cache base: the given folder, $KERAS_HOME, or ~/.keras; /tmp/.keras when that cannot be written.
inline std::filesystem::path cache_base(const std::string& cache_dir) {
  std::filesystem::path base;
  if (!cache_dir.empty()) base = cache_dir;
  else if (const char* keras_home = std::getenv("KERAS_HOME")) base = keras_home;
  else if (const char* home = std::getenv("HOME")) base = std::filesystem::path(home) / ".keras";
  std::error_code ignored;
  if (!base.empty()) std::filesystem::create_directories(base, ignored);
  if (base.empty() || access(base.c_str(), W_OK) != 0) base = "/tmp/.keras";
  return base;
}

/// The file name Keras takes when none is given: the last part of the URL's path.
inline std::string file_name_of(const std::string& origin) {
  auto path = origin.substr(0, origin.find_first_of("?#"));
  const auto scheme = path.find("://");
  if (scheme != std::string::npos && path.find('/', scheme + 3) == std::string::npos) return "";
  return path.substr(path.find_last_of('/') + 1);
}

/// Keras's download progress: a byte Progbar made once the total size is known.
inline Progress progress_bar() {
  auto bar = std::make_shared<std::optional<Progbar>>();
  return [bar](int64_t received, int64_t total) {
    if (total <= 0) return;
    if (!*bar) bar->emplace(total);
    (*bar)->update(std::min(received, total));
  };
}

/// Downloads `origin` to `fpath` through a temporary file, which is deleted if the hash does not match.
inline void download(const std::string& origin, const std::filesystem::path& fpath, const GetFileOptions& options,
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
}

}  // namespace detail

/// Keras's `get_file`: returns the path of `fname` in the cache (`$KERAS_HOME` or `~/.keras`, then
/// `cache_subdir`), downloading it from `origin` unless a copy with the right hash is already there. A download
/// goes to a temporary file first, so a failed or corrupt download never leaves a file in the cache.
/// Example:
///   auto path = tl::utils::get_file("resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", url,
///                                   {.file_hash = "4d473c1dd8becc155b73f8504c6f6626"});
inline std::string get_file(std::string fname, const std::string& origin, const GetFileOptions& options = {}) {
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
  if (!download && !options.file_hash.empty() && detail::hash_file(fpath, algorithm) != options.file_hash) {
    std::cout << "A local file was found, but it seems to be incomplete or outdated because the " << algorithm
              << " file hash does not match the original value of " << options.file_hash
              << " so we will re-download the data." << std::endl;
    download = true;
  }
  if (download) detail::download(origin, fpath, options, algorithm);
  return fpath.string();
}

}  // namespace tl::utils
