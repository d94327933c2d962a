// io::detail::write_atomically: the temporary file it writes through gets a plainly created file's mode (0666 less
// the umask) without ever changing the process's umask, and concurrent writers get distinct temporaries.
#include "../support.hpp"

#include <tl/io/atomic_write.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <thread>

using tl::io::detail::write_atomically;
using tl::test::TempDir;

namespace {

std::filesystem::perms mode_of(const std::filesystem::path& path) {
  return std::filesystem::status(path).permissions() & std::filesystem::perms::all;
}

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("write_atomically: the file has the mode a plain create gives, and the umask is left alone",
          "[io][atomic_write]") {
  TempDir dir;
  for (const mode_t mask : {mode_t(022), mode_t(077), mode_t(002), mode_t(0)}) {
    CAPTURE(mask);
    const mode_t saved = umask(mask);
    write_atomically(dir / "model.h5", [](const std::filesystem::path& temp) { std::ofstream(temp) << "weights"; });
    std::ofstream(dir / "plain") << "x";  // what a plain create gives, for comparison
    const mode_t during = umask(saved);
    CHECK(during == mask);
    CHECK(mode_of(dir / "model.h5") == std::filesystem::perms(0666 & ~mask));
    CHECK(mode_of(dir / "model.h5") == mode_of(dir / "plain"));
    std::filesystem::remove(dir / "plain");
  }
  CHECK(files_in(dir.path()) == std::vector<std::string>{"model.h5"});
}

TEST_CASE("write_atomically: a failed write keeps the previous file and removes its temporary", "[io][atomic_write]") {
  TempDir dir;
  write_atomically(dir / "model.h5", [](const std::filesystem::path& temp) { std::ofstream(temp) << "old"; });
  CHECK_THROWS_WITH(write_atomically(dir / "model.h5",
                                     [](const std::filesystem::path& temp) {
                                       std::ofstream(temp) << "half";
                                       throw tl::IOError("disk full");
                                     }),
                    "disk full");
  std::ifstream in(dir / "model.h5");
  CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "old");
  CHECK(files_in(dir.path()) == std::vector<std::string>{"model.h5"});
  CHECK_THROWS_WITH(write_atomically(dir / "no_such_dir" / "model.h5", [](const std::filesystem::path&) {}),
                    Catch::Contains("cannot create a temporary file in " + (dir / "no_such_dir").string()));
}

TEST_CASE("write_atomically: threads writing next to each other get their own temporaries", "[io][atomic_write]") {
  TempDir dir;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> temps(8);  // Catch's assertions are not thread-safe: checked after join
  for (size_t t = 0; t < temps.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i)
        write_atomically(dir / std::to_string(t), [&](const std::filesystem::path& temp) {
          temps[t].push_back(temp.string());
          std::ofstream(temp) << t << " " << i;
        });
    });
  for (auto& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (const auto& names : temps) distinct.insert(names.begin(), names.end());
  CHECK(distinct.size() == 8 * 20);
  CHECK(files_in(dir.path()).size() == 8);
}
