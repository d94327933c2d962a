#pragma once
#include <tl/io/detail/h5/cursor.hpp>

#include <cstring>

namespace tl::io::detail::h5 {

TL_INLINE Cursor::Cursor(const Image& image, uint64_t pos, uint64_t end) : image_(&image), pos_(pos), end_(end) {
  if (pos > end || end > image.size())
    throw Damaged("a structure at byte " + std::to_string(pos) + " lies beyond the end of the file");
}

TL_INLINE Cursor Cursor::at(const Image& image, uint64_t address) {
  if (address == undefined_address || address > image.size() - image.base)
    throw Damaged("an address (" + std::to_string(address) + ") points outside the file");
  return Cursor(image, image.base + address, image.size());
}

TL_INLINE uint64_t Cursor::uint(int bytes) {
  need(uint64_t(bytes));
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | image_->bytes[pos_ + uint64_t(i)];
  pos_ += uint64_t(bytes);
  return v;
}

TL_INLINE uint64_t Cursor::offset() {
  const int bytes = image_->offset_size;
  const uint64_t v = uint(bytes);
  return bytes < 8 && v == (uint64_t{1} << (8 * bytes)) - 1 ? undefined_address : v;
}

TL_INLINE void Cursor::skip(uint64_t n) {
  need(n);
  pos_ += n;
}

TL_INLINE Cursor Cursor::take(uint64_t n) {
  need(n);
  Cursor sub(*image_, pos_, pos_ + n);
  pos_ += n;
  return sub;
}

TL_INLINE const uint8_t* Cursor::data(uint64_t n) {
  need(n);
  const uint8_t* p = image_->bytes.data() + pos_;
  pos_ += n;
  return p;
}

TL_INLINE std::string Cursor::string(uint64_t n) {
  const auto* p = data(n);
  return std::string(reinterpret_cast<const char*>(p), size_t(n));
}

TL_INLINE void Cursor::expect_signature(const char (&signature)[5], const std::string& what) {
  if (left() < 4 || std::memcmp(image_->bytes.data() + pos_, signature, 4) != 0)
    throw Damaged(what + " at byte " + std::to_string(pos_) + " lacks its signature \"" + signature + "\"");
  pos_ += 4;
}

TL_INLINE void Cursor::need(uint64_t n) const {
  if (n > end_ - pos_)
    throw Damaged("a structure at byte " + std::to_string(pos_) + " is cut short (" + std::to_string(n) +
                  " bytes needed, " + std::to_string(end_ - pos_) + " left)");
}

TL_INLINE uint64_t checked_product(uint64_t a, uint64_t b, const std::string& what) {
  uint64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) throw Damaged(what + " overflows");
  return out;
}

}  // namespace tl::io::detail::h5
