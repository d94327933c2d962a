#pragma once
#include <tl/applications/detail/class_index.hpp>
#include <tl/core/errors.hpp>
#include <tl/core/json.hpp>

#include <fstream>
#include <sstream>

namespace tl::applications::detail {

TL_INLINE ClassIndex ClassIndexReader::read() const {
  const auto index = json_parse(text_, source_);
  if (!index.is_object()) fail("the top level is not an object");
  std::vector<std::pair<size_t, ImageNetClass>> entries;
  for (auto it = index.begin(); it != index.end(); ++it) entries.push_back(read_entry(it.key(), it.value()));
  return by_index(std::move(entries));
}

TL_INLINE std::pair<size_t, ImageNetClass> ClassIndexReader::read_entry(const std::string& key, const json& value) const {
  if (!value.is_array() || value.size() != 2 || !value[0].is_string() || !value[1].is_string())
    fail("the value of \"" + key + "\" is not a pair of strings");
  if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos || key.size() > 9)
    fail("the key \"" + key + "\" is not a class number");
  return {std::stoul(key), {value[0].get<std::string>(), value[1].get<std::string>()}};
}

TL_INLINE ClassIndex ClassIndexReader::by_index(std::vector<std::pair<size_t, ImageNetClass>> entries) const {
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

TL_INLINE void ClassIndexReader::fail(const std::string& what) const {
  throw IOError(source_ + " is not an ImageNet class index (JSON {\"0\": [\"n01440764\", \"tench\"], ...}): " + what);
}

TL_INLINE ClassIndex load_class_index(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("Unable to open the ImageNet class index " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ClassIndexReader(text.str(), path).read();
}

}  // namespace tl::applications::detail
