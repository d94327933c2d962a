#pragma once
#include <tl/preprocessing/image/detail/numpy_random.hpp>

#include <cstddef>
#include <initializer_list>
#include <numeric>
#include <utility>

namespace tl::preprocessing::image::detail {

TL_INLINE void NumpyRandom::seed(uint32_t s) {
  for (int i = 0; i < kN; ++i) {
    key_[i] = s;
    s = 1812433253u * (s ^ (s >> 30)) + static_cast<uint32_t>(i) + 1u;
  }
  pos_ = kN;
}

TL_INLINE uint32_t NumpyRandom::next_uint32() {
  if (pos_ >= kN) generate();
  uint32_t y = key_[pos_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}

TL_INLINE double NumpyRandom::random() {
  const int32_t a = static_cast<int32_t>(next_uint32() >> 5), b = static_cast<int32_t>(next_uint32() >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

TL_INLINE double NumpyRandom::uniform(double low, double high) { return low + (high - low) * random(); }

TL_INLINE uint64_t NumpyRandom::interval(uint64_t max) {
  if (max == 0) return 0;
  uint64_t mask = max;
  for (int shift : {1, 2, 4, 8, 16, 32}) mask |= mask >> shift;
  uint64_t value;
  if (max <= 0xffffffffull) {
    while ((value = (next_uint32() & mask)) > max) {
    }
  } else {
    while ((value = (next_uint64() & mask)) > max) {
    }
  }
  return value;
}

TL_INLINE int64_t NumpyRandom::randint(int64_t n) { return static_cast<int64_t>(interval(static_cast<uint64_t>(n - 1))); }

TL_INLINE std::vector<int64_t> NumpyRandom::permutation(int64_t n) {
  std::vector<int64_t> a(static_cast<std::size_t>(n));
  std::iota(a.begin(), a.end(), int64_t{0});
  for (int64_t i = n - 1; i >= 1; --i) std::swap(a[i], a[interval(static_cast<uint64_t>(i))]);
  return a;
}

TL_INLINE uint64_t NumpyRandom::next_uint64() {
  const uint64_t hi = next_uint32();
  return (hi << 32) | next_uint32();
}

TL_INLINE void NumpyRandom::generate() {
  constexpr uint32_t upper = 0x80000000u, lower = 0x7fffffffu;
  for (int i = 0; i < kN; ++i) {
    const uint32_t y = (key_[i] & upper) | (key_[(i + 1) % kN] & lower);
    key_[i] = key_[(i + 397) % kN] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
  }
  pos_ = 0;
}

}  // namespace tl::preprocessing::image::detail
