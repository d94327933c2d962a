#pragma once
// tl's own HDF5 reader, part 1: the file's bytes and a bounds-checked cursor over them. tl reads Keras files
// without libhdf5 because libhdf5 1.10, given a damaged file, can allocate gigabytes, spin for seconds or crash
// (found by fuzzing); every read here is checked against the file's size and every count against what the file
// can hold, so a damaged file is an error, never a crash, a hang or a huge allocation.
// Parts 1-3 are the reader's internals: only impl/reader-inl.hpp (and tests) include them.
#include <tl/core/config.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tl::io::detail::h5 {

/// A structure in the file is damaged or of a kind tl does not read; converted to IOError naming the file.
struct Damaged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// HDF5's "undefined address" (all bits set).
inline constexpr uint64_t undefined_address = ~uint64_t{0};

/// The file's bytes, and the sizes of addresses and lengths its superblock chose (8 and 8 in practice).
struct Image {
  std::vector<uint8_t> bytes;
  uint64_t base = 0;  // addresses are relative to the superblock
  uint64_t root = 0;  // the root group's object header
  int offset_size = 8;
  int length_size = 8;

  uint64_t size() const { return bytes.size(); }
};

/// Reads little-endian fields in [pos, end) of a file image; reading past `end` throws Damaged.
class Cursor {
 public:
  Cursor(const Image& image, uint64_t pos, uint64_t end);
  /// A cursor at file address `address` (relative to the base) running to the end of the file.
  static Cursor at(const Image& image, uint64_t address);

  uint64_t pos() const { return pos_; }
  uint64_t left() const { return end_ - pos_; }
  const Image& image() const { return *image_; }

  /// An unsigned little-endian integer of `bytes` bytes.
  uint64_t uint(int bytes);
  uint8_t u8() { return uint8_t(uint(1)); }
  uint16_t u16() { return uint16_t(uint(2)); }
  uint32_t u32() { return uint32_t(uint(4)); }
  /// An address (undefined_address when all ones) and a length, in the superblock's sizes.
  uint64_t offset();
  uint64_t length() { return uint(image_->length_size); }

  void skip(uint64_t n);
  /// The next `n` bytes as a cursor of their own; this one moves past them.
  Cursor take(uint64_t n);
  const uint8_t* data(uint64_t n);
  std::string string(uint64_t n);
  void expect_signature(const char (&signature)[5], const std::string& what);

 private:
  void need(uint64_t n) const;

  const Image* image_;
  uint64_t pos_, end_;
};

/// a * b, or Damaged when it overflows (sizes read from a damaged file can be anything).
uint64_t checked_product(uint64_t a, uint64_t b, const std::string& what);

}  // namespace tl::io::detail::h5

#ifdef TL_HEADER_ONLY
#include <tl/io/detail/h5/impl/cursor-inl.hpp>
#endif
