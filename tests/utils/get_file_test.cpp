// keras.utils.get_file: caching, hash checks and transports; MD5 and SHA-256 against Python's hashlib.
#include "../support.hpp"

#include <tl/utils/detail/hash.hpp>
#include <tl/utils/get_file.hpp>

#include <fstream>

using tl::test::capture_stdout;
using tl::test::TempDir;
using tl::utils::get_file;

namespace {

void write_bytes(const std::filesystem::path& path, size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string data(size, '\0');
  for (auto& c : data) c = char(random());
  std::ofstream(path, std::ios::binary) << data;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string file_url(const std::filesystem::path& path) { return "file://" + path.string(); }

/// Points KERAS_HOME at a temporary folder for one test, restoring the previous value after.
class KerasHome {
 public:
  explicit KerasHome(const std::filesystem::path& path) {
    if (const char* old = std::getenv("KERAS_HOME")) old_ = old;
    setenv("KERAS_HOME", path.c_str(), 1);
  }
  ~KerasHome() {
    if (old_.empty()) unsetenv("KERAS_HOME");
    else setenv("KERAS_HOME", old_.c_str(), 1);
  }

 private:
  std::string old_;
};

std::vector<std::string> cache_files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename());
  return names;
}

}  // namespace

TEST_CASE("md5 and sha256 match Python's hashlib", "[utils][get_file]") {
  TempDir dir;
  std::string paths;
  const std::vector<size_t> sizes = {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 65535, 65536, 200001};
  for (size_t i = 0; i < sizes.size(); ++i) {
    write_bytes(dir / std::to_string(i), sizes[i], unsigned(i));
    paths.append(" ").append((dir / std::to_string(i)).string());
  }
  std::istringstream expected(tl::test::python("file_hashes.py", paths));
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::string md5, sha256;
    expected >> md5 >> sha256;
    CAPTURE(sizes[i]);
    CHECK(tl::utils::detail::hash_file(dir / std::to_string(i), "md5") == md5);
    CHECK(tl::utils::detail::hash_file(dir / std::to_string(i), "sha256") == sha256);
  }
}

TEST_CASE("get_file downloads a file:// origin into KERAS_HOME/models and checks its hash", "[utils][get_file]") {
  TempDir dir;
  KerasHome home(dir / "keras_home");
  const auto origin = dir / "weights.h5";
  write_bytes(origin, 300000, 7);
  const auto md5 = tl::utils::detail::hash_file(origin, "md5");
  const auto sha256 = tl::utils::detail::hash_file(origin, "sha256");
  const auto cached = dir / "keras_home" / "models" / "weights.h5";

  SECTION("md5, chosen by its length") {
    std::string path;
    const auto out = capture_stdout([&] { path = get_file("weights.h5", file_url(origin), {.file_hash = md5}); });
    CHECK(path == cached.string());
    CHECK(read_all(cached) == read_all(origin));
    CHECK_THAT(out, Catch::StartsWith("Downloading data from " + file_url(origin) + "\n"));
    CHECK_THAT(out, Catch::Contains("300000/300000 [==============================]"));
  }
  SECTION("sha256, and the file name taken from the URL") {
    capture_stdout([&] { CHECK(get_file("", file_url(origin), {.file_hash = sha256}) == cached.string()); });
    CHECK(read_all(cached) == read_all(origin));
  }
  SECTION("a cached file is reused without fetching") {
    capture_stdout([&] { get_file("weights.h5", file_url(origin), {.file_hash = md5}); });
    std::filesystem::remove(origin);
    std::string path;
    const auto out = capture_stdout([&] { path = get_file("weights.h5", file_url(origin), {.file_hash = md5}); });
    CHECK(path == cached.string());
    CHECK(out.empty());
  }
  SECTION("an incomplete cached file is downloaded again") {
    std::filesystem::create_directories(cached.parent_path());
    write_bytes(cached, 1000, 7);
    const auto out = capture_stdout([&] { get_file("weights.h5", file_url(origin), {.file_hash = md5}); });
    CHECK_THAT(out, Catch::Contains("A local file was found, but it seems to be incomplete or outdated because the "
                                    "md5 file hash does not match the original value of " +
                                    md5 + " so we will re-download the data."));
    CHECK_THAT(out, Catch::Contains("Downloading data from"));
    CHECK(read_all(cached) == read_all(origin));
  }
  SECTION("a cache_dir and cache_subdir of one's own") {
    const auto path = capture_stdout([&] {
      get_file("w.h5", file_url(origin), {.cache_subdir = "datasets", .cache_dir = (dir / "mine").string()});
    });
    CHECK(std::filesystem::exists(dir / "mine" / "datasets" / "w.h5"));
  }
}

TEST_CASE("get_file refuses a download whose hash does not match and leaves nothing in the cache",
          "[utils][get_file]") {
  TempDir dir;
  KerasHome home(dir / "keras_home");
  const auto origin = dir / "weights.h5";
  write_bytes(origin, 5000, 3);
  const std::string wrong = "0123456789abcdef0123456789abcdef";
  std::string message;
  capture_stdout([&] {
    try {
      get_file("weights.h5", file_url(origin), {.file_hash = wrong});
    } catch (const tl::ValueError& e) {
      message = e.what();
    }
  });
  CHECK_THAT(message, Catch::Contains(file_url(origin)) && Catch::Contains(wrong) &&
                          Catch::Contains(tl::utils::detail::hash_file(origin, "md5")));
  CHECK(cache_files_in(dir / "keras_home" / "models").empty());
}

TEST_CASE("get_file names the URL and where to place the file when it cannot download", "[utils][get_file]") {
  TempDir dir;
  KerasHome home(dir / "keras_home");
  const auto cached = (dir / "keras_home" / "models" / "weights.h5").string();
  const std::string origin = GENERATE(std::string("http://127.0.0.1:9/weights.h5"), std::string("file:///no/such/file.h5"));
  std::string message;
  capture_stdout([&] {
    try {
      get_file("weights.h5", origin);
    } catch (const tl::IOError& e) {
      message = e.what();
    }
  });
  CHECK_THAT(message, Catch::Contains("URL fetch failure on " + origin) && Catch::Contains(cached));
  CHECK(cache_files_in(dir / "keras_home" / "models").empty());
}

TEST_CASE("get_file stamps a verified file and trusts the stamp until the file changes", "[utils][get_file]") {
  TempDir dir;
  KerasHome home(dir / "keras_home");
  const auto origin = dir / "weights.h5";
  write_bytes(origin, 300000, 7);
  const auto md5 = tl::utils::detail::hash_file(origin, "md5");
  const auto cached = dir / "keras_home" / "models" / "weights.h5";
  const auto stamp = tl::utils::detail::hash_stamp_path(cached);
  CHECK(stamp == dir / "keras_home" / "models" / ".weights.h5.tl-hash");
  const auto fetch = [&](const std::string& hash) {  // what get_file prints; it throws what get_file throws
    std::string path;
    const auto out = capture_stdout([&] { path = get_file("weights.h5", file_url(origin), {.file_hash = hash}); });
    CHECK(path == cached.string());
    return out;
  };

  SECTION("a download with a hash is stamped; nothing else is left beside it") {
    fetch(md5);
    auto names = cache_files_in(cached.parent_path());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{".weights.h5.tl-hash", "weights.h5"});
    CHECK_THAT(read_all(stamp), Catch::StartsWith("tl-hash-stamp-1 md5 " + md5 + " size=300000 "));
  }
  SECTION("no hash, no stamp") {
    capture_stdout([&] { get_file("weights.h5", file_url(origin)); });
    CHECK_FALSE(std::filesystem::exists(stamp));
  }
  SECTION("a file placed by hand is hashed once, then its stamp answers") {
    std::filesystem::create_directories(cached.parent_path());
    std::filesystem::copy_file(origin, cached);
    std::filesystem::remove(origin);  // nothing can be downloaded from here on
    CHECK(fetch(md5).empty());
    CHECK_THAT(read_all(stamp), Catch::StartsWith("tl-hash-stamp-1 md5 " + md5));
    // The stamp, not the bytes, answers now: a stamp claiming another hash for this very file is believed...
    const std::string claimed(32, 'a');
    tl::utils::detail::write_hash_stamp(cached, "md5", claimed);
    CHECK(fetch(claimed).empty());
    // ...for that algorithm and hash only: asked for sha256, get_file hashes the file again (and finds it right).
    const auto sha256 = tl::utils::detail::hash_file(cached, "sha256");
    CHECK(fetch(sha256).empty());
    CHECK_THAT(read_all(stamp), Catch::StartsWith("tl-hash-stamp-1 sha256 " + sha256));
    // The md5 claim is gone with that stamp: the bytes are hashed, do not match it, and the download fails.
    CHECK_THROWS_WITH(fetch(claimed), Catch::Contains("URL fetch failure on " + file_url(origin)));
  }
  SECTION("a file rewritten in place (same size, same modification time) loses its stamp") {
    fetch(md5);
    const auto mtime = std::filesystem::last_write_time(cached);
    write_bytes(cached, 300000, 8);
    std::filesystem::last_write_time(cached, mtime);
    const auto out = fetch(md5);
    CHECK_THAT(out, Catch::Contains("A local file was found, but it seems to be incomplete or outdated because the "
                                    "md5 file hash does not match the original value of " + md5));
    CHECK(read_all(cached) == read_all(origin));
    CHECK(fetch(md5).empty());  // downloaded again, and stamped again
  }
  SECTION("a damaged or foreign stamp is ignored") {
    fetch(md5);
    std::ofstream(stamp, std::ios::trunc) << "garbage\n";
    CHECK(fetch(md5).empty());
    CHECK_THAT(read_all(stamp), Catch::StartsWith("tl-hash-stamp-1 md5 " + md5));
  }
}

TEST_CASE("get_file without a file name or a usable origin is a ValueError", "[utils][get_file]") {
  CHECK_THROWS_AS(get_file("", "https://example.com"), tl::ValueError);
}
