#pragma once
// MD5 and SHA-256 of files, enough to check downloads as Keras's `validate_file` does. With OpenSSL
// (TL_HAVE_OPENSSL: libcrypto's EVP interface) or, without it, tl's own block-wise implementation.
#include <tl/core/config.hpp>

#include <filesystem>
#include <string>

namespace tl::utils::detail {

/// Keras's `validate_file` choice of hash: "sha256", or "auto" with a 64-character hash, means SHA-256; else MD5.
std::string resolve_hash_algorithm(const std::string& algorithm, const std::string& file_hash);

/// Keras's `_hash_file`: the lower-case hex digest of a file with "sha256", else MD5 (as `hashlib`'s hexdigest()).
/// Throws IOError when the file cannot be read.
std::string hash_file(const std::filesystem::path& path, const std::string& algorithm);

}  // namespace tl::utils::detail

#ifdef TL_HEADER_ONLY
#include <tl/utils/detail/impl/hash-inl.hpp>
#endif
