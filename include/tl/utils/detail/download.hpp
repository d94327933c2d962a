#pragma once
// Fetching a URL into a local file: `file://` natively, http(s) and the rest through libcurl when tl is built with
// it (TL_HAVE_CURL, seen by the implementation only). Failures throw tl::IOError with the reason; get_file adds
// where to place the file by hand.
#include <tl/core/config.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace tl::utils::detail {

/// Reports download progress: bytes received so far and the total size (-1 when the server does not say).
using Progress = std::function<void(int64_t received, int64_t total)>;

/// The local path of a `file://` URL (`file:///data/x.h5`, `file://localhost/data/x.h5`), %XX escapes decoded.
std::filesystem::path file_url_path(const std::string& url);

/// Copies the file a `file://` URL names to `destination`, reporting progress per 64 KiB.
void fetch_file_url(const std::string& url, const std::filesystem::path& destination, const Progress& progress);

/// Fetches `url` into `destination`. Throws IOError with the reason when it cannot.
void fetch(const std::string& url, const std::filesystem::path& destination, const Progress& progress);

}  // namespace tl::utils::detail

#ifdef TL_HEADER_ONLY
#include <tl/utils/detail/impl/download-inl.hpp>
#endif
