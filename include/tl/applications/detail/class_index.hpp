#pragma once
// Reads imagenet_class_index.json ({"0": ["n01440764", "tench"], ...}) with nlohmann-json.
#include <tl/core/config.hpp>
#include <tl/core/json_fwd.hpp>

#include <cstddef>
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
/// Example: `auto index = ClassIndexReader(text, "index.json").read();`
class ClassIndexReader {
 public:
  ClassIndexReader(std::string text, std::string source) : text_(std::move(text)), source_(std::move(source)) {}

  /// The classes by number; IOError naming the source and what is wrong otherwise.
  ClassIndex read() const;

 private:
  std::pair<size_t, ImageNetClass> read_entry(const std::string& key, const json& value) const;
  ClassIndex by_index(std::vector<std::pair<size_t, ImageNetClass>> entries) const;
  [[noreturn]] void fail(const std::string& what) const;

  std::string text_;
  std::string source_;
};

/// Reads a class index file such as Keras's imagenet_class_index.json.
ClassIndex load_class_index(const std::string& path);

}  // namespace tl::applications::detail

#ifdef TL_HEADER_ONLY
#include <tl/applications/detail/impl/class_index-inl.hpp>
#endif
