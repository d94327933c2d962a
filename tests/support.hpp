#pragma once
// Helpers shared by tl's tests: temporary folders and running the Python reference oracles.
#include <tl/tl.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>
#include <string>

namespace tl::test {

/// A fresh temporary directory, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("tl_test_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// A temporary directory that `fill(dir)` fills on first use and that lives until the test program ends: for
/// reference files an oracle writes once per run. Each call site (each lambda type) has its own directory.
///   const TempDir& corpus() { return made_once([](const TempDir& d) { python("bad_images.py", d.path()); }); }
template <class Fill>
const TempDir& made_once(Fill fill) {
  static TempDir dir;
  static const bool filled = (fill(dir), true);
  (void)filled;
  return dir;
}

/// Runs `command` through the shell and returns its standard output; throws if it exits non-zero.
inline std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  if (status != 0) throw std::runtime_error("command failed (" + std::to_string(status) + "): " + command + "\n" + out);
  return out;
}

/// Runs one of tests/python/<script> with Debian's Python (which has the Keras/torchvision oracles).
inline std::string python(const std::string& script, const std::string& args = "") {
  return run(std::string(TL_TEST_PYTHON) + " " + TL_TEST_SCRIPTS + "/" + script + " " + args + " 2>&1");
}

/// What a batched oracle run printed for each of its requests (tests/python/*_ref.py "requests FILE"): one answer
/// per request, each the lines it printed split at tabs; requests end with "--- end of request ---".
inline std::vector<std::vector<std::vector<std::string>>> split_oracle_answers(const std::string& output) {
  std::vector<std::vector<std::vector<std::string>>> answers(1);
  std::istringstream in(output);
  for (std::string text; std::getline(in, text);) {
    if (text == "--- end of request ---") {
      answers.emplace_back();
      continue;
    }
    std::vector<std::string> line;
    std::istringstream fields(text);
    for (std::string f; std::getline(fields, f, '\t');) line.push_back(f);
    answers.back().push_back(line);
  }
  answers.pop_back();  // after the last end marker
  return answers;
}

/// The message of the exception `f` throws, or "(no exception)".
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

/// Captures what a function prints to `stream` (std::cout, std::cerr), restored even when `f` throws.
template <class F>
std::string capture(std::ostream& stream, F&& f) {
  std::ostringstream captured;
  auto* old = stream.rdbuf(captured.rdbuf());
  try {
    f();
  } catch (...) {
    stream.rdbuf(old);
    throw;
  }
  stream.rdbuf(old);
  return captured.str();
}

/// Captures what a function prints to std::cout.
template <class F>
std::string capture_stdout(F&& f) {
  return capture(std::cout, std::forward<F>(f));
}

}  // namespace tl::test
