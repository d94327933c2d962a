#pragma once
// tl's own HDF5 reader, part 2: the object-header messages a Keras file uses (HDF5 file format spec, section IV.A):
// dataspace, datatype (floats and strings), data layout, attribute.
#include <tl/io/detail/h5/cursor.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tl::io::detail::h5 {

/// Message types (spec IV.A.2).
enum MessageType : uint16_t {
  kDataspace = 0x1,
  kLinkInfo = 0x2,
  kDatatype = 0x3,
  kLink = 0x6,
  kLayout = 0x8,
  kFilters = 0xB,
  kAttribute = 0xC,
  kContinuation = 0x10,
  kSymbolTable = 0x11,
  kAttributeInfo = 0x15,
};

/// Dataspace: the shape; nullopt for HDF5's null dataspace (no elements, no shape).
struct Dataspace {
  std::optional<std::vector<uint64_t>> dims;

  uint64_t count() const;
  static Dataspace parse(Cursor c);
};

/// Datatype: the classes Keras files hold (floats, integers such as Normalization's int64 `count`, fixed and
/// variable-length strings); others keep their class.
struct Datatype {
  enum Class { kInteger = 0, kFloat = 1, kString = 3, kVariableLength = 9 };
  int type_class = 0;
  uint32_t size = 0;
  bool big_endian = false;
  bool is_signed = false;        ///< integers: two's complement (else unsigned)
  bool variable_string = false;  ///< a variable-length sequence of characters
  bool space_padded = false;     ///< fixed-length strings padded with spaces (else with NULs)
  int exponent_bits = 0, mantissa_bits = 0;

  static Datatype parse(Cursor c);
  /// True for IEEE half, single and double precision, the floats tl converts.
  bool is_ieee_float() const;
  /// True for integers of 1, 2, 4 or 8 bytes, the integers tl reads (as int64).
  bool is_plain_integer() const;
};

/// Data layout: where a dataset's elements are. Keras writes contiguous (or compact) data, never chunks.
struct Layout {
  uint64_t address = undefined_address;  ///< contiguous data; undefined when never written (reads as zeros)
  std::optional<uint64_t> size;  ///< bytes of contiguous data; nullopt: as many as the shape and type need (v1, v2)
  std::optional<Cursor> compact;  ///< compact data, inside the header

  /// Refuses chunked (compressed or resizable) and virtual storage, naming it.
  static Layout parse(Cursor c);
};

/// An attribute: name, type, shape and its raw data.
struct Attribute {
  std::string name;
  Datatype type;
  Dataspace space;
  std::optional<Cursor> data;

  /// Refuses an attribute whose datatype or dataspace is shared (a committed datatype), naming it.
  static Attribute parse(Cursor c);
};

}  // namespace tl::io::detail::h5

#ifdef TL_HEADER_ONLY
#include <tl/io/detail/h5/impl/messages-inl.hpp>
#endif
