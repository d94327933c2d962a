#pragma once
// What the tests of the classic keras.applications families share: the oracle's cases (tests/python/
// applications_reference.py, Keras's own architecture code on numpy stand-ins), and building tl's model of a case
// through tl::applications::by_name.
#include "applications_support.hpp"

#include <tl/applications/applications.hpp>
#include <tl/core/backend.hpp>
#include <tl/core/json.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace tl::test {

/// The models of the classic families, in docs/applications.md's order.
inline const std::vector<std::string>& classic_models() {
  static const std::vector<std::string> names = {
      "VGG16",       "VGG19",       "ResNet50V2",  "ResNet101V2",  "ResNet152V2", "InceptionV3", "InceptionResNetV2",
      "Xception",    "DenseNet121", "DenseNet169", "DenseNet201", "NASNetMobile", "NASNetLarge"};
  return names;
}

/// A case of the oracle, `MODEL[:key=value,...]`, as tl options.
struct OracleCase {
  std::string text, model;
  applications::by_name::Options options;
  std::map<std::string, std::string> keys;
};

inline Shape parse_shape(const std::string& text) {  // "32x32" or "32x32x3" -> {32, 32, 3}
  Shape shape;
  std::stringstream in(text);
  for (std::string d; std::getline(in, d, 'x');) shape.push_back(d == "None" ? None : std::stoll(d));
  if (shape.size() == 2) shape.push_back(3);
  return shape;
}

inline OracleCase parse_case(const std::string& text) {
  OracleCase c{text, text.substr(0, text.find(':')), {.weights = "none"}, {}};
  if (text.find(':') == std::string::npos) return c;
  std::stringstream in(text.substr(text.find(':') + 1));
  for (std::string item; std::getline(in, item, ',');) {
    const auto key = item.substr(0, item.find('=')), value = item.substr(item.find('=') + 1);
    c.keys[key] = value;
    if (key == "include_top") c.options.include_top = value == "1";
    else if (key == "pooling") c.options.pooling = value;
    else if (key == "classes") c.options.classes = std::stoll(value);
    else if (key == "input_shape") c.options.input_shape = parse_shape(value);
  }
  return c;
}

/// The oracle's case directory name: ':' and ',' become '_'.
inline std::string case_dir_name(std::string text) {
  for (auto& ch : text)
    if (ch == ':' || ch == ',') ch = '_';
  return text;
}

/// tl's model of a case, built as in a fresh Keras session (auto names from 0).
inline Model build_case(const OracleCase& c, applications::by_name::Options options) {
  backend::clear_session();
  return applications::by_name::get(c.model).make(options);
}

inline json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return json::parse(in);
}

/// A Keras shape from the oracle's JSON (null: None).
inline Shape json_shape(const json& j) {
  Shape s;
  for (const auto& d : j) s.push_back(d.is_null() ? None : d.get<int64_t>());
  return s;
}

}  // namespace tl::test
