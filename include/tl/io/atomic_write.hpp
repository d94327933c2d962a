#pragma once
// Writes a file through a temporary file in the same directory and a rename: readers (and a crash) see the old
// file or the complete new one, never a half-written one.
#include <tl/core/errors.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

namespace tl::io::detail {

/// Creates an empty, uniquely named temporary file next to `path` (`.name.tmp-XXXXXX`) and returns its path.
inline std::filesystem::path make_temp_file_next_to(const std::filesystem::path& path) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string pattern = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = mkstemp(pattern.data());
  if (fd < 0)
    throw IOError("Unable to write " + path.string() + ": cannot create a temporary file in " + dir.string() + " (" +
                  std::strerror(errno) + ")");
  // mkstemp makes the file private (0600); give it the permissions a plainly created file would have.
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  close(fd);
  return pattern;
}

/// Forces a file's content to disk, so the rename that follows cannot expose an empty file after a power cut.
inline void sync_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  const bool ok = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  if (!ok) throw IOError("Unable to write " + path.string() + ": " + std::strerror(errno));
}

/// Calls `write(temp_path)` to produce the file, then atomically renames it to `path`. If `write` throws (or the
/// disk fills), the temporary file is removed, the previous file at `path` stays intact, and the error propagates.
/// Example: `write_atomically("model.h5", [&](const auto& tmp) { save_to(tmp); });`
inline void write_atomically(const std::filesystem::path& path,
                             const std::function<void(const std::filesystem::path&)>& write) {
  const auto temp = make_temp_file_next_to(path);
  try {
    write(temp);
    sync_file(temp);
    std::error_code error;
    std::filesystem::rename(temp, path, error);
    if (error) throw IOError("Unable to write " + path.string() + ": " + error.message());
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
}

}  // namespace tl::io::detail
