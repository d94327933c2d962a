#pragma once
#include <tl/io/detail/h5/messages.hpp>

namespace tl::io::detail::h5 {

TL_INLINE uint64_t Dataspace::count() const {
  uint64_t n = dims ? 1 : 0;
  for (auto d : dims ? *dims : std::vector<uint64_t>{}) n = checked_product(n, d, "the number of elements");
  return n;
}

TL_INLINE Dataspace Dataspace::parse(Cursor c) {
  const int version = c.u8();
  if (version != 1 && version != 2) throw Damaged("dataspace version " + std::to_string(version) + " is unknown");
  const int rank = c.u8();
  const int flags = c.u8();
  if (rank > 32) throw Damaged("a dataspace of rank " + std::to_string(rank) + " (HDF5 allows 32)");
  Dataspace out;
  if (version == 1) c.skip(5);
  else if (c.u8() == 2) return out;  // null
  out.dims.emplace();
  for (int i = 0; i < rank; ++i) out.dims->push_back(c.length());
  if (flags & 1)
    for (int i = 0; i < rank; ++i) c.length();  // maximum sizes
  return out;
}

TL_INLINE Datatype Datatype::parse(Cursor c) {
  const int class_version = c.u8();
  Datatype t;
  t.type_class = class_version & 0x0F;
  const uint32_t bits = uint32_t(c.uint(3));  // class bit fields, 24 bits
  t.size = c.u32();
  if (t.type_class == kFloat) {
    t.big_endian = bits & 1;
    c.skip(4);  // bit offset, precision
    c.skip(1);
    t.exponent_bits = c.u8();
    c.skip(1);
    t.mantissa_bits = c.u8();
  } else if (t.type_class == kInteger) {
    t.big_endian = bits & 1;
    t.is_signed = bits & 8;
  } else if (t.type_class == kString) {
    t.space_padded = (bits & 0x0F) == 2;
  } else if (t.type_class == kVariableLength) {
    t.variable_string = (bits & 0x0F) == 1;
  }
  return t;
}

TL_INLINE bool Datatype::is_ieee_float() const {
  return type_class == kFloat && ((size == 2 && exponent_bits == 5 && mantissa_bits == 10) ||
                                  (size == 4 && exponent_bits == 8 && mantissa_bits == 23) ||
                                  (size == 8 && exponent_bits == 11 && mantissa_bits == 52));
}

TL_INLINE bool Datatype::is_plain_integer() const {
  return type_class == kInteger && (size == 1 || size == 2 || size == 4 || size == 8);
}

/// The storage a data layout message names that tl does not read (class 2: chunked; 3: virtual).
TL_INLINE Damaged unsupported_layout(int kind) {
  return Damaged(std::string(kind == 2 ? "chunked (compressed or resizable)" : "virtual or unknown") +
                 " dataset storage, which tl does not read; Keras writes contiguous datasets");
}

TL_INLINE Layout Layout::parse(Cursor c) {
  const int version = c.u8();
  Layout out;
  if (version == 1 || version == 2) {
    const int rank = c.u8();
    const int kind = c.u8();
    c.skip(5);
    if (kind != 1 && kind != 0) throw unsupported_layout(kind);
    if (kind == 1) out.address = c.offset();
    c.skip(uint64_t(rank) * 4);  // dimensions, repeated from the dataspace
    if (kind == 0) out.compact = c.take(c.u32());
    return out;
  }
  if (version != 3 && version != 4) throw Damaged("data layout version " + std::to_string(version) + " is unknown");
  const int kind = c.u8();
  if (kind == 0) {
    out.compact = c.take(c.u16());
  } else if (kind == 1) {
    out.address = c.offset();
    out.size = c.length();
  } else {
    throw unsupported_layout(kind);
  }
  return out;
}

TL_INLINE Attribute Attribute::parse(Cursor c) {
  const int version = c.u8();
  if (version < 1 || version > 3) throw Damaged("attribute message version " + std::to_string(version) + " is unknown");
  const int flags = c.u8();
  if (flags & 3) throw Damaged("an attribute with a shared datatype or dataspace, which tl does not read");
  const uint64_t name_size = c.u16(), type_size = c.u16(), space_size = c.u16();
  if (version == 3) c.u8();  // name encoding
  const auto padded = [&](uint64_t n) { return version == 1 ? (n + 7) / 8 * 8 : n; };
  Attribute a;
  auto name = c.take(padded(name_size)).string(name_size);
  a.name = name.substr(0, name.find('\0'));
  a.type = Datatype::parse(c.take(padded(type_size)));
  a.space = Dataspace::parse(c.take(padded(space_size)));
  a.data = c;
  return a;
}

}  // namespace tl::io::detail::h5
