#pragma once
// Keras's `get(identifier)` for strings: a table of names and the objects they build.
#include <tl/core/errors.hpp>

#include <cctype>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tl::detail {

/// One entry of a name table: the identifier and how to build what it names.
template <class T>
struct Named {
  std::string name;
  std::function<std::shared_ptr<T>()> make;
};

/// The entry `name` building a default-constructed `T` as a `Base`.
template <class Base, class T>
Named<Base> named(const std::string& name) {
  return {name, [] { return std::make_shared<T>(); }};
}

/// ASCII lower case, for the identifiers Keras compares case-insensitively.
inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Builds the entry named `identifier` (compared in lower case when `ignore_case`); otherwise throws
/// ValueError naming it and listing every known name.
template <class T>
std::shared_ptr<T> find_named(const std::vector<Named<T>>& table, const std::string& identifier,
                              const std::string& what, bool ignore_case = false) {
  for (const auto& entry : table)
    if (ignore_case ? lower(entry.name) == lower(identifier) : entry.name == identifier) return entry.make();
  std::string known;
  for (const auto& entry : table) known += (known.empty() ? "" : ", ") + entry.name;
  throw ValueError("Could not interpret " + what + " identifier: '" + identifier + "'. Known names: " + known);
}

}  // namespace tl::detail
