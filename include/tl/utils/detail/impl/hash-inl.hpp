#pragma once
#include <tl/core/errors.hpp>
#include <tl/utils/detail/hash.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

#ifdef TL_HAVE_OPENSSL
#include <openssl/evp.h>
#else
#include <cmath>
#include <cstring>
#endif

namespace tl::utils::detail {

TL_INLINE std::string resolve_hash_algorithm(const std::string& algorithm, const std::string& file_hash) {
  return algorithm == "sha256" || (algorithm == "auto" && file_hash.size() == 64) ? "sha256" : "md5";
}

/// Lower-case hex of a digest, as `hexdigest()`.
TL_INLINE std::string hex_digest(const uint8_t* digest, size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) out += {digits[digest[i] >> 4], digits[digest[i] & 15]};
  return out;
}

#ifdef TL_HAVE_OPENSSL

/// MD5 or SHA-256 through libcrypto's EVP interface: update() then hexdigest().
class FileHasher {
 public:
  explicit FileHasher(const std::string& algorithm) : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), algorithm == "sha256" ? EVP_sha256() : EVP_md5(), nullptr) != 1)
      throw IOError("OpenSSL cannot compute " + algorithm);
  }
  void update(const void* data, size_t size) {
    if (EVP_DigestUpdate(context_.get(), data, size) != 1) throw IOError("OpenSSL's digest update failed");
  }
  std::string hexdigest() {
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest, &size) != 1) throw IOError("OpenSSL's digest failed");
    return hex_digest(digest, size);
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
};

#else  // tl's own MD5 (RFC 1321) and SHA-256 (FIPS 180-4), whole 64-byte blocks straight from the input

/// The 64-byte block buffering both hashes share; `Derived::compress(block)` processes one block.
template <class Derived, bool BigEndianLength>
class BlockHash {
 public:
  void update(const void* data, size_t size) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    bit_count_ += uint64_t(size) * 8;
    if (used_ > 0) {  // complete the buffered block first
      const size_t n = std::min(size, 64 - used_);
      std::memcpy(block_.data() + used_, bytes, n);
      used_ += n, bytes += n, size -= n;
      if (used_ < 64) return;
      static_cast<Derived*>(this)->compress(block_.data());
      used_ = 0;
    }
    for (; size >= 64; bytes += 64, size -= 64) static_cast<Derived*>(this)->compress(bytes);
    std::memcpy(block_.data(), bytes, size);
    used_ = size;
  }

 protected:
  /// Appends the padding (0x80, zeros, the 64-bit message length) that ends the message.
  void pad() {
    const uint64_t bits = bit_count_;
    block_[used_++] = 0x80;
    if (used_ > 56) {
      std::memset(block_.data() + used_, 0, 64 - used_);
      static_cast<Derived*>(this)->compress(block_.data());
      used_ = 0;
    }
    std::memset(block_.data() + used_, 0, 56 - used_);
    for (int i = 0; i < 8; ++i) block_[56 + i] = uint8_t(bits >> (BigEndianLength ? 56 - 8 * i : 8 * i));
    static_cast<Derived*>(this)->compress(block_.data());
  }
  static uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
  static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

 private:
  std::array<uint8_t, 64> block_{};
  size_t used_ = 0;
  uint64_t bit_count_ = 0;
};

/// MD5, as `hashlib.md5()`: update() then hexdigest().
class Md5 : public BlockHash<Md5, false> {
 public:
  std::string hexdigest() {
    pad();
    uint8_t digest[16];
    for (int w = 0; w < 4; ++w)
      for (int i = 0; i < 4; ++i) digest[4 * w + i] = uint8_t(h_[w] >> (8 * i));
    return hex_digest(digest, sizeof digest);
  }
  void compress(const uint8_t* block) {
    static constexpr int shifts[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
    const auto& k = sine_table();
    uint32_t m[16];
    for (int i = 0; i < 16; ++i)
      m[i] = uint32_t(block[4 * i]) | uint32_t(block[4 * i + 1]) << 8 | uint32_t(block[4 * i + 2]) << 16 |
             uint32_t(block[4 * i + 3]) << 24;
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3];
    const auto step = [&](uint32_t f, int i, int g, int s) {
      f += a + k[i] + m[g];
      a = d, d = c, c = b;
      b += rotl(f, s);
    };
    for (int i = 0; i < 16; ++i) step((b & c) | (~b & d), i, i, shifts[0][i & 3]);
    for (int i = 16; i < 32; ++i) step((d & b) | (~d & c), i, (5 * i + 1) & 15, shifts[1][i & 3]);
    for (int i = 32; i < 48; ++i) step(b ^ c ^ d, i, (3 * i + 5) & 15, shifts[2][i & 3]);
    for (int i = 48; i < 64; ++i) step(c ^ (b | ~d), i, (7 * i) & 15, shifts[3][i & 3]);
    h_[0] += a, h_[1] += b, h_[2] += c, h_[3] += d;
  }

 private:
  // K[i] = floor(2^32 * |sin(i + 1)|), computed as the RFC defines it.
  static const std::array<uint32_t, 64>& sine_table() {
    static const auto table = [] {
      std::array<uint32_t, 64> k{};
      for (int i = 0; i < 64; ++i) k[i] = uint32_t(uint64_t(4294967296.0 * std::abs(std::sin(double(i + 1)))));
      return k;
    }();
    return table;
  }
  std::array<uint32_t, 4> h_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
};

/// SHA-256, as `hashlib.sha256()`: update() then hexdigest().
class Sha256 : public BlockHash<Sha256, true> {
 public:
  std::string hexdigest() {
    pad();
    uint8_t digest[32];
    for (int w = 0; w < 8; ++w)
      for (int i = 0; i < 4; ++i) digest[4 * w + i] = uint8_t(h_[w] >> (24 - 8 * i));
    return hex_digest(digest, sizeof digest);
  }
  void compress(const uint8_t* block) {
    static constexpr uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = uint32_t(block[4 * i]) << 24 | uint32_t(block[4 * i + 1]) << 16 | uint32_t(block[4 * i + 2]) << 8 |
             uint32_t(block[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
    for (int i = 0; i < 64; ++i) {
      const uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h_[0] += a, h_[1] += b, h_[2] += c, h_[3] += d, h_[4] += e, h_[5] += f, h_[6] += g, h_[7] += h;
  }

 private:
  std::array<uint32_t, 8> h_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
};

/// MD5 or SHA-256 with tl's own implementation: update() then hexdigest().
class FileHasher {
 public:
  explicit FileHasher(const std::string& algorithm) : sha256_(algorithm == "sha256") {}
  void update(const void* data, size_t size) { sha256_ ? sha256_hash_.update(data, size) : md5_hash_.update(data, size); }
  std::string hexdigest() { return sha256_ ? sha256_hash_.hexdigest() : md5_hash_.hexdigest(); }

 private:
  bool sha256_;
  Md5 md5_hash_;
  Sha256 sha256_hash_;
};

#endif

TL_INLINE std::string hash_file(const std::filesystem::path& path, const std::string& algorithm) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("Unable to read " + path.string() + " to check its hash");
  FileHasher hasher(algorithm);
  std::vector<char> chunk(1 << 20);
  while (in.read(chunk.data(), std::streamsize(chunk.size())) || in.gcount() > 0)
    hasher.update(chunk.data(), size_t(in.gcount()));
  if (in.bad()) throw IOError("Unable to read " + path.string() + " to check its hash");
  return hasher.hexdigest();
}

}  // namespace tl::utils::detail
