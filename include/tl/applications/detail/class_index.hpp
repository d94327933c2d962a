#pragma once
// Reads imagenet_class_index.json ({"0": ["n01440764", "tench"], ...}) with tl's JSON parser.
#include <tl/core/errors.hpp>
#include <tl/io/detail/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tl::applications::detail {

/// One ImageNet class: its WordNet id ("n01440764") and its description ("tench").
struct ImageNetClass {
  std::string class_name;
  std::string class_description;
};

/// Class `i` at position `i`.
using ClassIndex = std::vector<ImageNetClass>;

/// Reads the one shape a class index has: an object from decimal-string keys to arrays of two strings.
class ClassIndexReader {
 public:
  ClassIndexReader(std::string text, std::string source) : text_(std::move(text)), source_(std::move(source)) {}

  ClassIndex read() const {
    const auto json = io::json::parse(text_, source_);
    if (!json.is_object()) fail("the top level is not an object");
    std::vector<std::pair<size_t, ImageNetClass>> entries;
    for (const auto& [key, value] : json.as_object()) entries.push_back(read_entry(key, value));
    return by_index(std::move(entries));
  }

 private:
  std::pair<size_t, ImageNetClass> read_entry(const std::string& key, const io::json::Value& value) const {
    const auto* pair = value.if_holds<io::json::Array>();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string())
      fail("the value of \"" + key + "\" is not a pair of strings");
    if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos || key.size() > 9)
      fail("the key \"" + key + "\" is not a class number");
    return {std::stoul(key), {(*pair)[0].as_string(), (*pair)[1].as_string()}};
  }

  ClassIndex by_index(std::vector<std::pair<size_t, ImageNetClass>> entries) const {
    ClassIndex index(entries.size());
    std::vector<bool> seen(entries.size(), false);
    for (auto& [i, c] : entries) {
      if (i >= index.size() || seen[i])
        throw IOError(source_ + ": the class numbers are not 0.." + std::to_string(index.size() - 1) + " once each");
      seen[i] = true;
      index[i] = std::move(c);
    }
    return index;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw IOError(source_ + " is not an ImageNet class index (JSON {\"0\": [\"n01440764\", \"tench\"], ...}): " + what);
  }

  std::string text_;
  std::string source_;
};

/// Reads a class index file such as Keras's imagenet_class_index.json.
inline ClassIndex load_class_index(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("Unable to open the ImageNet class index " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ClassIndexReader(text.str(), path).read();
}

}  // namespace tl::applications::detail
