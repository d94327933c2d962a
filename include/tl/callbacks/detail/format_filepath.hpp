#pragma once
// Python's `filepath.format(epoch=..., batch=..., **logs)` for ModelCheckpoint: `{epoch:02d}`, `{val_loss:.2f}`.
#include <tl/core/config.hpp>
#include <tl/core/logs.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace tl::callbacks::detail {

/// Formats `pattern` with `epoch` (1-based), `batch` (1-based, when given) and the logs' values; `{{`/`}}`
/// are literal braces. An unknown name or a bad spec throws ValueError naming the pattern, as Keras's KeyError.
std::string format_filepath(const std::string& pattern, int epoch, std::optional<int64_t> batch, const Logs& logs);

}  // namespace tl::callbacks::detail

#ifdef TL_HEADER_ONLY
#include <tl/callbacks/detail/impl/format_filepath-inl.hpp>
#endif
