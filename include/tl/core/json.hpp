#pragma once
// JSON as Keras reads and writes it (model configs, class indices, backups): nlohmann's `ordered_json`, which
// keeps Keras's key order, plus the two things Python's json module does its own way.
#include <tl/core/config.hpp>
#include <tl/core/json_fwd.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace tl {

/// The text of `value` as Python's `json.dumps(value)` writes it: ", " and ": " separators, floats as `repr`
/// ("1e-05", "1e+16", "NaN"), non-ASCII characters as \u escapes. Keras writes `model_config` this way.
std::string json_dumps(const json& value);

/// Parses JSON text; invalid or too deeply nested text throws IOError naming `source` (a file name).
json json_parse(const std::string& text, const std::string& source = "JSON text");

}  // namespace tl

#ifdef TL_HEADER_ONLY
#include <tl/core/impl/json-inl.hpp>
#endif
