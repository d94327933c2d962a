#pragma once
// tl's own HDF5 reader, part 1: the file's bytes and a bounds-checked cursor over them. tl reads Keras files
// without libhdf5 because libhdf5 1.10, given a damaged file, can allocate gigabytes, spin for seconds or crash
// (found by fuzzing); every read here is checked against the file's size and every count against what the file
// can hold, so a damaged file is an error, never a crash, a hang or a huge allocation.
#include <cstdint>
#include <cstring>
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
  Cursor(const Image& image, uint64_t pos, uint64_t end) : image_(&image), pos_(pos), end_(end) {
    if (pos > end || end > image.size()) throw Damaged("a structure at byte " + std::to_string(pos) + " lies beyond the end of the file");
  }
  /// A cursor at file address `address` (relative to the base) running to the end of the file.
  static Cursor at(const Image& image, uint64_t address) {
    if (address == undefined_address || address > image.size() - image.base)
      throw Damaged("an address (" + std::to_string(address) + ") points outside the file");
    return Cursor(image, image.base + address, image.size());
  }

  uint64_t pos() const { return pos_; }
  uint64_t left() const { return end_ - pos_; }
  const Image& image() const { return *image_; }

  uint64_t uint(int bytes) {
    need(uint64_t(bytes));
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | image_->bytes[pos_ + uint64_t(i)];
    pos_ += uint64_t(bytes);
    return v;
  }
  uint8_t u8() { return uint8_t(uint(1)); }
  uint16_t u16() { return uint16_t(uint(2)); }
  uint32_t u32() { return uint32_t(uint(4)); }
  uint64_t offset() { return undefined_if_all_ones(uint(image_->offset_size), image_->offset_size); }
  uint64_t length() { return uint(image_->length_size); }

  void skip(uint64_t n) {
    need(n);
    pos_ += n;
  }
  /// The next `n` bytes as a cursor of their own; this one moves past them.
  Cursor take(uint64_t n) {
    need(n);
    Cursor sub(*image_, pos_, pos_ + n);
    pos_ += n;
    return sub;
  }
  const uint8_t* data(uint64_t n) {
    need(n);
    const uint8_t* p = image_->bytes.data() + pos_;
    pos_ += n;
    return p;
  }
  std::string string(uint64_t n) {
    const auto* p = data(n);
    return std::string(reinterpret_cast<const char*>(p), size_t(n));
  }
  void expect_signature(const char (&signature)[5], const std::string& what) {
    if (left() < 4 || std::memcmp(image_->bytes.data() + pos_, signature, 4) != 0)
      throw Damaged(what + " at byte " + std::to_string(pos_) + " lacks its signature \"" + signature + "\"");
    pos_ += 4;
  }

 private:
  void need(uint64_t n) const {
    if (n > end_ - pos_)
      throw Damaged("a structure at byte " + std::to_string(pos_) + " is cut short (" + std::to_string(n) +
                    " bytes needed, " + std::to_string(end_ - pos_) + " left)");
  }
  static uint64_t undefined_if_all_ones(uint64_t v, int bytes) {
    return bytes < 8 && v == (uint64_t{1} << (8 * bytes)) - 1 ? undefined_address : v;
  }

  const Image* image_;
  uint64_t pos_, end_;
};

/// a * b, or Damaged when it overflows (sizes read from a damaged file can be anything).
inline uint64_t checked_product(uint64_t a, uint64_t b, const std::string& what) {
  uint64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) throw Damaged(what + " overflows");
  return out;
}

}  // namespace tl::io::detail::h5
