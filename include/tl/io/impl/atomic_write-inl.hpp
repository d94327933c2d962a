#pragma once
#include <tl/core/errors.hpp>
#include <tl/io/atomic_write.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <system_error>

namespace tl::io::detail {

TL_INLINE std::filesystem::path make_temp_file_next_to(const std::filesystem::path& path) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const std::string prefix = (dir / ("." + path.filename().string() + ".tmp-")).string();
  // mkstemp's names, but created by open(2) with mode 0666: the kernel applies the umask, as to any new file
  // (mkstemp's 0600 would need the umask read back with umask(2), which briefly sets it process-wide).
  thread_local std::mt19937_64 random(std::random_device{}() ^
                                      uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                                      uint64_t(getpid()) << 32);
  static constexpr char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  int error = EEXIST;
  for (int attempt = 0; attempt < 100 && error == EEXIST; ++attempt) {
    std::string name = prefix;
    for (int i = 0; i < 6; ++i) name += letters[random() % (sizeof letters - 1)];
    const int fd = ::open(name.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return name;
    }
    error = errno;
  }
  throw IOError("Unable to write " + path.string() + ": cannot create a temporary file in " + dir.string() + " (" +
                std::strerror(error) + ")");
}

TL_INLINE void sync_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool ok = fd >= 0 && fsync(fd) == 0;
  const int error = errno;
  if (fd >= 0) ::close(fd);
  if (!ok) throw IOError("Unable to write " + path.string() + ": " + std::strerror(error));
}

TL_INLINE void write_atomically(const std::filesystem::path& path,
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
