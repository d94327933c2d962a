#pragma once
// tl's own HDF5 *reader* (part 4): files and groups as Keras's loaders use them — open a file, walk to a group,
// read string attributes, floating-point and integer datasets (h5::FileReader, h5::GroupReader). Damage becomes
// tl::IOError naming the file and the object. What it reads and what it refuses: docs/reliability.md.
// tl *writes* HDF5 files with libhdf5 instead (Hdf5FileWriter in io/hdf5.hpp).
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tl::io::detail::h5 {

struct Image;        // cursor.hpp: the file's bytes
struct GroupHeader;  // objects.hpp: a group's messages and links

/// A group of an HDF5 file being read (or the file's root group); `file` and `path` name it in messages.
class GroupReader {
 public:
  GroupReader(std::shared_ptr<const Image> image, std::string file, std::string path, uint64_t address);

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  /// "`/dense/kernel:0` in file weights.h5", for messages.
  std::string where(const std::string& child = "") const;

  /// Whether the relative path `name` ("dense/kernel:0") leads to an object.
  bool has(const std::string& name) const;
  GroupReader group(const std::string& name) const;

  bool has_attr(const std::string& name) const;
  /// A string attribute in any form Keras files use: fixed-length (h5py 2.x) or variable-length (h5py 3.x),
  /// scalar or 1-D. An empty array of any type (h5py's `attrs[name] = []`) reads as no strings.
  std::vector<std::string> read_strings(const std::string& name) const;

  /// Reads a floating-point dataset (half, single or double precision) as a float32 tensor of its shape.
  torch::Tensor read_float32(const std::string& name) const;
  /// Reads a floating-point dataset as float32 (as read_float32) or an integer dataset (1, 2, 4 or 8 bytes,
  /// signed or not: Keras's int64 `count` of Normalization) as int64, in its shape.
  torch::Tensor read_numbers(const std::string& name) const;

 private:
  std::optional<uint64_t> find(const std::string& name) const;
  uint64_t require(const std::string& name, const std::string& kind) const;
  /// Runs `f`, turning a Damaged file into IOError naming the file and `name` (defined in the implementation).
  template <class F>
  auto guarded(const std::string& what, const std::string& name, F&& f) const;

  std::shared_ptr<const Image> image_;
  std::string file_, path_;
  std::shared_ptr<const GroupHeader> header_;
};

/// An HDF5 file opened for reading: its root group. The whole file is read into memory first.
/// Example: `auto kernel = h5::FileReader::open("w.h5").group("dense").read_float32("dense/kernel:0");`
class FileReader : public GroupReader {
 public:
  /// Opens an existing file. Throws IOError when it is missing, not HDF5, truncated or damaged.
  static FileReader open(const std::filesystem::path& path);

 private:
  FileReader(std::shared_ptr<const Image> image, const std::string& name, uint64_t root);
};

}  // namespace tl::io::detail::h5

#ifdef TL_HEADER_ONLY
#include <tl/io/detail/h5/impl/reader-inl.hpp>
#endif
