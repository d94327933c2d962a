#pragma once
// Helpers of the examples' end-to-end tests: running a built example and reading its output.
#include "../support.hpp"

#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <utility>

namespace tl::test::examples {

/// Where the built examples are (hot_dog, predict, fashion_transfer).
inline const std::string dir = TL_EXAMPLES_DIR;

/// Exit status and combined output of a command.
inline std::pair<int, std::string> run_status(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

/// How many times `what` occurs in `text`.
inline size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace tl::test::examples
