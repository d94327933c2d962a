#pragma once
// Helpers of the examples' end-to-end tests: running a built example and reading its output.
#include "../support.hpp"

#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <utility>

namespace tl::test::examples {

/// Where the built examples are (hot_dog, predict, fashion_transfer, distributed_fit).
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

/// A 64x64 image of one colour with a little noise, so no two files are identical.
inline void write_image(const std::filesystem::path& file, std::array<uint8_t, 3> rgb, uint32_t seed) {
  std::mt19937 rng(seed);
  tl::preprocessing::image::Image img{64, 64, 3, std::vector<uint8_t>(64 * 64 * 3)};
  for (size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<uint8_t>(std::clamp<int>(rgb[i % 3] + int(rng() % 21) - 10, 0, 255));
  tl::save_img(file, img);
}

/// DATA/{train,test}/{blue,red}/*.png: 8 training and 4 test images per class.
inline std::filesystem::path make_two_class_dir(const TempDir& tmp) {
  const auto data = tmp / "data";
  uint32_t seed = 0;
  for (const auto& [split, count] : {std::pair{"train", 8}, std::pair{"test", 4}})
    for (const auto& [name, rgb] : {std::pair{"blue", std::array<uint8_t, 3>{30, 40, 220}},
                                    std::pair{"red", std::array<uint8_t, 3>{220, 30, 40}}}) {
      std::filesystem::create_directories(data / split / name);
      for (int i = 0; i < count; ++i) write_image(data / split / name / (std::to_string(i) + ".png"), rgb, ++seed);
    }
  return data;
}

}  // namespace tl::test::examples
