#pragma once
// numpy's legacy global RNG (np.random.seed / uniform / random / choice / randint / permutation), bit for bit:
// Keras draws shuffles and augmentation parameters from it, so a given seed yields Keras's exact batches.
#include <tl/core/config.hpp>

#include <array>
#include <cstdint>
#include <vector>

namespace tl::preprocessing::image::detail {

/// MT19937 with numpy RandomState's legacy seeding and sampling algorithms.
class NumpyRandom {
 public:
  explicit NumpyRandom(uint32_t seed = 5489u) { this->seed(seed); }

  /// np.random.seed(int).
  void seed(uint32_t s);

  uint32_t next_uint32();

  /// np.random.random(): 53-bit double in [0, 1).
  double random();

  /// np.random.uniform(low, high).
  double uniform(double low, double high);

  /// A uniform integer in [0, max] by numpy's masked rejection (legacy shuffle, randint and choice).
  uint64_t interval(uint64_t max);

  /// np.random.randint(0, n).
  int64_t randint(int64_t n);

  /// np.random.permutation(n).
  std::vector<int64_t> permutation(int64_t n);

  bool operator==(const NumpyRandom&) const = default;

 private:
  static constexpr int kN = 624;

  uint64_t next_uint64();
  void generate();

  std::array<uint32_t, kN> key_{};
  int pos_ = kN;
};

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/numpy_random-inl.hpp>
#endif
