#pragma once
#include <tl/core/errors.hpp>
#include <tl/io/detail/h5/objects.hpp>
#include <tl/io/detail/h5/reader.hpp>
#include <tl/io/detail/object_path.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>

namespace tl::io::detail::h5 {

template <class F>
auto GroupReader::guarded(const std::string& what, const std::string& name, F&& f) const {
  try {
    return f();
  } catch (const Damaged& e) {
    throw IOError("HDF5: " + what + " " + where(name) + ": " + e.what() + " (the file is damaged, or not written by Keras)");
  }
}

TL_INLINE GroupReader::GroupReader(std::shared_ptr<const Image> image, std::string file, std::string path,
                                   uint64_t address)
    : image_(std::move(image)), file_(std::move(file)), path_(std::move(path)) {
  header_ = guarded("cannot read group", "", [&] {
    auto header = std::make_shared<GroupHeader>();
    header->messages = read_object_header(*image_, address);
    header->links = read_links(*image_, header->messages);
    return std::shared_ptr<const GroupHeader>(std::move(header));
  });
}

TL_INLINE std::string GroupReader::where(const std::string& child) const {
  return object_in_file(object_path(path_, child), file_);
}

TL_INLINE bool GroupReader::has(const std::string& name) const { return find(name).has_value(); }

TL_INLINE GroupReader GroupReader::group(const std::string& name) const {
  const auto address = require(name, "group");
  return GroupReader(image_, file_, object_path(path_, name), address);
}

/// The attribute `name` among a group's header messages; dense attribute storage is refused.
TL_INLINE std::optional<Attribute> find_attribute(const GroupHeader& header, const std::string& name) {
  for (const auto& m : header.messages) {
    if (m.type == kAttributeInfo) refuse_dense_storage(m.body, "attribute");
    if (m.type != kAttribute) continue;
    auto a = Attribute::parse(m.body);
    if (a.name == name) return a;
  }
  return std::nullopt;
}

TL_INLINE bool GroupReader::has_attr(const std::string& name) const {
  return guarded("cannot read attribute", name, [&] { return find_attribute(*header_, name); }).has_value();
}

/// `count` fixed-length strings of `type.size` bytes each, NUL- or space-padded.
TL_INLINE std::vector<std::string> fixed_strings(Cursor data, const Datatype& type, uint64_t count) {
  if (type.size == 0) throw Damaged("fixed-length strings of length 0");
  const uint64_t width = type.size;
  const auto* p = data.data(checked_product(count, width, "the attribute's size"));  // within the file: bounded
  std::vector<std::string> out;
  for (uint64_t i = 0; i < count; ++i) {
    std::string s(reinterpret_cast<const char*>(p + i * width), size_t(width));
    out.push_back(s.substr(0, type.space_padded ? s.find_last_not_of(' ') + 1 : s.find('\0')));
  }
  return out;
}

// Each element: length, then the global heap collection's address and the object's index in it. Each
// collection is read once, and all of them together at most a few times the file: no quadratic walk.
TL_INLINE std::vector<std::string> variable_strings(const Image& image, Cursor data, uint64_t count) {
  const uint64_t element = 8 + uint64_t(image.offset_size);
  if (checked_product(count, element, "the attribute's size") > data.left())
    throw Damaged("the attribute holds fewer strings than its shape says");
  std::vector<std::string> out;
  std::map<uint64_t, GlobalHeap> collections;
  uint64_t budget = 4 * image.size();
  for (uint64_t i = 0; i < count; ++i) {
    const uint32_t length = data.u32();
    const uint64_t address = data.offset();
    const uint32_t index = data.u32();
    if (length == 0) {
      out.emplace_back();
      continue;
    }
    auto it = collections.find(address);
    if (it == collections.end()) {
      it = collections.emplace(address, read_global_heap(image, address)).first;
      if (it->second.size >= budget) throw Damaged("variable-length strings refer to more heap than the file holds");
      budget -= it->second.size;
    }
    const auto object = it->second.objects.find(index);
    if (object == it->second.objects.end()) throw Damaged("a variable-length string refers to a missing heap object");
    auto bytes = object->second;
    if (bytes.left() < length) throw Damaged("a variable-length string is longer than its heap object");
    out.push_back(bytes.string(length));
  }
  return out;
}

TL_INLINE std::vector<std::string> GroupReader::read_strings(const std::string& name) const {
  const auto a = guarded("cannot read attribute", name, [&] { return find_attribute(*header_, name); });
  if (!a) throw ValueError("Attribute " + name + " of " + where() + " does not exist");
  const uint64_t count = guarded("cannot read attribute", name, [&] { return a->space.count(); });
  if (count == 0) return {};
  const bool variable = a->type.type_class == Datatype::kVariableLength && a->type.variable_string;
  if ((a->type.type_class != Datatype::kString && !variable) || a->space.dims->size() > 1)
    throw ValueError("Attribute " + name + " of " + where() + " is not a string or a 1-D array of strings");
  return guarded("cannot read attribute", name, [&] {
    return variable ? variable_strings(*image_, *a->data, count) : fixed_strings(*a->data, a->type, count);
  });
}

/// A dataset's type, shape and storage, from its object header.
struct Dataset {
  Datatype type;
  Dataspace space;
  Layout layout;
  const Image* image;

  Dataset(const Image& file, uint64_t address);
  torch::Tensor read() const;
};

TL_INLINE Dataset::Dataset(const Image& file, uint64_t address) : image(&file) {
  bool typed = false, shaped = false, laid_out = false;
  for (const auto& m : read_object_header(file, address)) {
    if (m.type == kDatatype) typed = (type = Datatype::parse(m.body), true);
    if (m.type == kDataspace) shaped = (space = Dataspace::parse(m.body), true);
    if (m.type == kLayout) laid_out = (layout = Layout::parse(m.body), true);
    if (m.type == kFilters) throw Damaged("a filtered (compressed) dataset, which tl does not read");
  }
  if (!typed || !shaped || !laid_out) throw Damaged("the object is not a dataset");
}

TL_INLINE torch::Tensor Dataset::read() const {
  const bool integer = type.type_class == Datatype::kInteger;
  if (integer && !type.is_plain_integer()) throw Damaged("an integer of " + std::to_string(type.size) + " bytes");
  if (!integer && !type.is_ieee_float()) throw Damaged("a floating-point format other than IEEE half, single or double");
  std::vector<int64_t> shape;
  for (auto d : *space.dims) {
    if (d >= (uint64_t{1} << 62)) throw Damaged("a dimension of " + std::to_string(d));
    shape.push_back(int64_t(d));
  }
  const uint64_t bytes = checked_product(space.count(), type.size, "the dataset's size");
  const auto dtype = integer ? (type.size == 1   ? (type.is_signed ? torch::kInt8 : torch::kUInt8)
                                : type.size == 2 ? torch::kInt16
                                : type.size == 4 ? torch::kInt32
                                                 : torch::kInt64)
                     : type.size == 2 ? torch::kFloat16
                     : type.size == 4 ? torch::kFloat32
                                      : torch::kFloat64;
  const auto result = integer ? torch::kInt64 : torch::kFloat32;
  if (layout.size && *layout.size < bytes) throw Damaged("the dataset's storage is smaller than its shape");
  if (!layout.compact && layout.address == undefined_address && bytes > 0)
    throw Damaged("the dataset's data was never written");
  if (bytes == 0) return torch::empty(shape, result);
  auto data = layout.compact ? *layout.compact : Cursor::at(*image, layout.address);
  auto raw = torch::empty({int64_t(bytes)}, torch::kUInt8);  // bytes <= the file's size: bounded
  std::memcpy(raw.data_ptr(), data.data(bytes), size_t(bytes));
  if (type.big_endian) raw = raw.view({-1, int64_t(type.size)}).flip(1).reshape({-1});
  auto values = raw.view(dtype).reshape(shape).to(result);
  if (integer && !type.is_signed && type.size > 1 && type.size < 8)  // unsigned 16/32 bits: undo the sign
    values = values.bitwise_and((int64_t{1} << (8 * type.size)) - 1);
  return values;
}

TL_INLINE torch::Tensor GroupReader::read_float32(const std::string& name) const {
  const auto address = require(name, "dataset");
  return guarded("cannot read dataset", name, [&] {
    Dataset d(*image_, address);
    if (d.type.type_class != Datatype::kFloat)
      throw ValueError("Dataset " + where(name) + " does not hold floating-point numbers");
    if (!d.space.dims) throw ValueError("Dataset " + where(name) + " has no shape (an empty HDF5 dataspace)");
    return d.read();
  });
}

TL_INLINE torch::Tensor GroupReader::read_numbers(const std::string& name) const {
  const auto address = require(name, "dataset");
  return guarded("cannot read dataset", name, [&] {
    Dataset d(*image_, address);
    if (d.type.type_class != Datatype::kFloat && d.type.type_class != Datatype::kInteger)
      throw ValueError("Dataset " + where(name) + " does not hold numbers");
    if (!d.space.dims) throw ValueError("Dataset " + where(name) + " has no shape (an empty HDF5 dataspace)");
    return d.read();
  });
}

TL_INLINE std::optional<uint64_t> GroupReader::find(const std::string& name) const {
  if (name.empty()) return std::nullopt;
  return guarded("cannot open", name, [&]() -> std::optional<uint64_t> {
    const bool absolute = name.front() == '/';
    if (name == "/") return image_->root;
    const bool from_root = absolute && path_ != "/";  // the root group has its links already
    Links links = from_root ? read_links(*image_, read_object_header(*image_, image_->root)) : header_->links;
    std::optional<uint64_t> address;
    size_t begin = absolute ? 1 : 0;
    for (int depth = 0; begin <= name.size(); ++depth) {
      if (depth > 64) throw Damaged("a path deeper than 64 groups");
      const size_t slash = std::min(name.find('/', begin), name.size());
      const auto it = links.find(name.substr(begin, slash - begin));
      if (it == links.end()) return std::nullopt;
      address = it->second;
      if (slash == name.size()) break;
      links = read_links(*image_, read_object_header(*image_, *address));
      begin = slash + 1;
    }
    return address;
  });
}

TL_INLINE uint64_t GroupReader::require(const std::string& name, const std::string& kind) const {
  const auto address = name.empty() ? std::nullopt : find(name);
  if (!address) throw ValueError("The " + kind + " " + where(name) + " does not exist");
  return *address;
}

/// Finds the superblock (at 0, 512, 1024, ... after a user block), sets the image's sizes and base, and returns
/// the root group's object header address.
TL_INLINE uint64_t read_superblock(Image& image, const std::string& name) {
  static const uint8_t signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  uint64_t at = 0;
  while (at + 8 <= image.size() && std::memcmp(image.bytes.data() + at, signature, 8) != 0) at = at ? at * 2 : 512;
  if (at + 8 > image.size()) throw IOError("Unable to open file " + name + ": not an HDF5 file (no HDF5 signature)");
  Cursor c(image, at + 8, image.size());
  const int version = c.u8();
  if (version > 3) throw Damaged("superblock version " + std::to_string(version) + " is unknown");
  if (version < 2) c.skip(4);  // free-space, root-group and shared-header versions, reserved
  image.offset_size = c.u8();
  image.length_size = c.u8();
  for (int size : {image.offset_size, image.length_size})
    if (size != 2 && size != 4 && size != 8) throw Damaged("addresses of " + std::to_string(size) + " bytes");
  c.skip(version < 2 ? 1 + 4 + 4 : 1);  // reserved, B-tree K values, consistency flags  |  flags
  if (version == 1) c.skip(4);
  image.base = c.offset();
  if (image.base > at) throw Damaged("the superblock's base address lies beyond it");
  c.offset();  // free space (v0, v1) or superblock extension (v2, v3)
  const uint64_t eof = c.offset();
  if (eof != undefined_address && eof > image.size())  // an absolute address, unlike the others
    throw IOError("Unable to open file " + name + ": truncated file: the superblock says " + std::to_string(eof) +
                  " bytes, the file has " + std::to_string(image.size()));
  if (version >= 2) return c.offset();
  c.offset();  // driver information
  c.offset();  // root symbol table entry: link name offset, then the object header's address
  return c.offset();
}

TL_INLINE FileReader FileReader::open(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw IOError("Unable to open file " + name + ": no such file");
  auto image = std::make_shared<Image>();
  image->bytes.resize(size_t(std::filesystem::file_size(path, ec)));
  std::ifstream in(path, std::ios::binary);
  if (ec || !in.read(reinterpret_cast<char*>(image->bytes.data()), std::streamsize(image->bytes.size())))
    throw IOError("Unable to open file " + name + ": " + (ec ? ec.message() : "a read error"));
  try {
    image->root = read_superblock(*image, name);
    const uint64_t root = image->root;
    return FileReader(std::move(image), name, root);
  } catch (const Damaged& e) {
    throw IOError("Unable to open file " + name + ": " + e.what() + " (the file is damaged)");
  }
}

TL_INLINE FileReader::FileReader(std::shared_ptr<const Image> image, const std::string& name, uint64_t root)
    : GroupReader(std::move(image), name, "/", root) {}

}  // namespace tl::io::detail::h5
