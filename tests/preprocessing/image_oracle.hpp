#pragma once
// Runs tests/python/keras_image.py (keras_preprocessing 1.1) and parses its `key<TAB>values` lines.
#include "../support.hpp"

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace tl::test {

using Line = std::vector<std::string>;  // key, values...

inline std::vector<Line> keras_image(const std::string& args) {
  std::vector<Line> lines;
  std::istringstream in(python("keras_image.py", args));
  for (std::string text; std::getline(in, text);) {
    Line line;
    std::istringstream fields(text);
    for (std::string f; std::getline(fields, f, '\t');) line.push_back(f);
    lines.push_back(line);
  }
  return lines;
}

/// The values of the first line with `key`.
inline Line values_of(const std::vector<Line>& lines, const std::string& key) {
  for (const auto& l : lines)
    if (!l.empty() && l[0] == key) return Line(l.begin() + 1, l.end());
  throw std::runtime_error("oracle printed no '" + key + "' line");
}

inline std::vector<double> numbers(const Line& values) {
  std::vector<double> v;
  for (const auto& s : values) v.push_back(std::stod(s));
  return v;
}

/// The oracle's test image tree (`keras_image.py make`), built once per test run.
inline const TempDir& keras_image_tree() {
  return made_once([](const TempDir& dir) { keras_image("make " + dir.path().string()); });
}

}  // namespace tl::test
