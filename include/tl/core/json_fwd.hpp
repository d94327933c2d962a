#pragma once
// tl::json without the JSON library's definitions: enough to declare functions that take or return one
// (Layer::get_config). Include <tl/core/json.hpp> to build, read or print a value.
#include <nlohmann/json_fwd.hpp>

namespace tl {
/// A JSON value whose objects keep their insertion order, as Keras's configs do.
using json = nlohmann::ordered_json;
}  // namespace tl
