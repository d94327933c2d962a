#pragma once
// keras.utils.get_file: a file downloaded once into Keras's cache (`~/.keras/models`), checked by md5 or sha256,
// shared with Python Keras on the same machine.
#include <tl/core/config.hpp>

#include <filesystem>
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
std::filesystem::path cache_base(const std::string& cache_dir);

/// The file name Keras takes when none is given: the last part of the URL's path.
std::string file_name_of(const std::string& origin);

/// Where get_file remembers that a cached file had the expected hash: `.<name>.tl-hash` beside it, one line
/// holding the algorithm, the hash and the file's size, modification and change times (ns), device and inode.
/// Keras ignores the extra file; any change to the file (a write, a replacement, a touch) voids the stamp.
std::filesystem::path hash_stamp_path(const std::filesystem::path& file);

/// Records that `file`, as it is now, has `hash` under `algorithm` (written atomically; failures are ignored:
/// the stamp only saves time).
void write_hash_stamp(const std::filesystem::path& file, const std::string& algorithm, const std::string& hash);

/// Whether `file` has `hash`: from its stamp when that matches the file as it is now, else by hashing it (and
/// stamping it when it matches). A 100 MB weights file is then hashed once, not on every load.
bool has_file_hash(const std::filesystem::path& file, const std::string& algorithm, const std::string& hash);

}  // namespace detail

/// Keras's `get_file`: returns the path of `fname` in the cache (`$KERAS_HOME` or `~/.keras`, then
/// `cache_subdir`), downloading it from `origin` unless a copy with the right hash is already there. A download
/// goes to a temporary file first, so a failed or corrupt download never leaves a file in the cache.
/// Example:
///   auto path = tl::utils::get_file("resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", url,
///                                   {.file_hash = "4d473c1dd8becc155b73f8504c6f6626"});
std::string get_file(std::string fname, const std::string& origin, const GetFileOptions& options = {});

}  // namespace tl::utils

#ifdef TL_HEADER_ONLY
#include <tl/utils/impl/get_file-inl.hpp>
#endif
