#pragma once
#include <tl/core/errors.hpp>
#include <tl/utils/detail/download.hpp>

#include <fstream>
#include <memory>
#include <vector>

#ifdef TL_HAVE_CURL
#include <curl/curl.h>
#endif

namespace tl::utils::detail {

TL_INLINE std::filesystem::path file_url_path(const std::string& url) {
  std::string path = url.substr(std::string("file://").size());
  if (path.rfind("localhost/", 0) == 0) path = path.substr(std::string("localhost").size());
  std::string decoded;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size()) {
      decoded += char(std::stoi(path.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += path[i];
    }
  }
  return decoded;
}

TL_INLINE void fetch_file_url(const std::string& url, const std::filesystem::path& destination, const Progress& progress) {
  const auto source = file_url_path(url);
  std::ifstream in(source, std::ios::binary);
  if (!in || !std::filesystem::is_regular_file(source)) throw IOError("cannot read " + source.string());
  const auto total = int64_t(std::filesystem::file_size(source));
  std::ofstream out(destination, std::ios::binary);
  std::vector<char> chunk(1 << 16);
  int64_t received = 0;
  progress(0, total);
  while (in.read(chunk.data(), std::streamsize(chunk.size())) || in.gcount() > 0) {
    out.write(chunk.data(), in.gcount());
    received += in.gcount();
    progress(received, total);
  }
  out.close();
  if (!out) throw IOError("cannot write " + destination.string());
}

#ifdef TL_HAVE_CURL
/// Downloads with libcurl, following redirects; HTTP errors (404...) are failures, not saved pages.
TL_INLINE void fetch_with_curl(const std::string& url, const std::filesystem::path& destination, const Progress& progress) {
  std::ofstream out(destination, std::ios::binary);
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw IOError("cannot start libcurl");
  char error[CURL_ERROR_SIZE] = "";
  auto write = +[](char* data, size_t size, size_t count, void* stream) -> size_t {
    auto& file = *static_cast<std::ofstream*>(stream);
    file.write(data, std::streamsize(size * count));
    return file ? size * count : 0;
  };
  auto report = +[](void* callback, curl_off_t total, curl_off_t received, curl_off_t, curl_off_t) -> int {
    (*static_cast<const Progress*>(callback))(int64_t(received), total > 0 ? int64_t(total) : -1);
    return 0;
  };
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, report);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &progress);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) throw IOError(error[0] ? error : curl_easy_strerror(code));
  out.close();
  if (!out) throw IOError("cannot write " + destination.string());
}
#endif

TL_INLINE void fetch(const std::string& url, const std::filesystem::path& destination, const Progress& progress) {
  if (url.rfind("file://", 0) == 0) return fetch_file_url(url, destination, progress);
#ifdef TL_HAVE_CURL
  fetch_with_curl(url, destination, progress);
#else
  throw IOError("tl was built without libcurl, so it cannot download");
#endif
}

}  // namespace tl::utils::detail
