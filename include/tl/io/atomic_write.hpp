#pragma once
// Writes a file through a temporary file in the same directory and a rename: readers (and a crash) see the old
// file or the complete new one, never a half-written one.
#include <tl/core/config.hpp>

#include <filesystem>
#include <functional>

namespace tl::io::detail {

/// Creates an empty, uniquely named temporary file next to `path` (`.name.tmp-XXXXXX`) and returns its path. It
/// gets the permissions a plainly created file gets (0666 less the process's umask).
std::filesystem::path make_temp_file_next_to(const std::filesystem::path& path);

/// Forces a file's content to disk, so the rename that follows cannot expose an empty file after a power cut.
void sync_file(const std::filesystem::path& path);

/// Calls `write(temp_path)` to produce the file, then atomically renames it to `path`. If `write` throws (or the
/// disk fills), the temporary file is removed, the previous file at `path` stays intact, and the error propagates.
/// Example: `write_atomically("model.h5", [&](const auto& tmp) { save_to(tmp); });`
void write_atomically(const std::filesystem::path& path, const std::function<void(const std::filesystem::path&)>& write);

}  // namespace tl::io::detail

#ifdef TL_HEADER_ONLY
#include <tl/io/impl/atomic_write-inl.hpp>
#endif
