#pragma once
// tl's HDF5 *writer*: a small RAII layer over libhdf5's C API for writing Keras files — groups, float32 datasets
// and the string attributes Keras writes (Hdf5FileWriter, Hdf5GroupWriter). tl *reads* files with its own
// bounds-checked parser instead (h5::FileReader in io/detail/h5/reader.hpp), which a damaged file cannot crash.
// HDF5 errors become tl::IOError naming the file and object; HDF5 never prints its error stack.
// <hdf5.h> is included by the implementation only.
#include <tl/core/config.hpp>

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace tl::io::detail {

/// An HDF5 identifier (libhdf5's hid_t), closed with its matching H5?close when it goes out of scope.
class Hdf5Id {
 public:
  using Handle = int64_t;              ///< hid_t (the implementation checks that they are the same type)
  using Closer = int (*)(Handle);      ///< herr_t H5?close(hid_t)
  static constexpr Handle invalid = -1;  ///< H5I_INVALID_HID

  Hdf5Id() = default;
  Hdf5Id(Handle id, Closer close) : id_(id), close_(close) {}
  Hdf5Id(Hdf5Id&& other) noexcept : id_(std::exchange(other.id_, invalid)), close_(other.close_) {}
  Hdf5Id& operator=(Hdf5Id&& other) noexcept {
    close();
    id_ = std::exchange(other.id_, invalid);
    close_ = other.close_;
    return *this;
  }
  Hdf5Id(const Hdf5Id&) = delete;
  Hdf5Id& operator=(const Hdf5Id&) = delete;
  ~Hdf5Id() { close(); }

  Handle get() const { return id_; }
  /// Closes now and reports whether HDF5 managed to (closing a file flushes it).
  bool close() {
    const bool ok = id_ < 0 || close_(id_) >= 0;
    id_ = invalid;
    return ok;
  }

 private:
  Handle id_ = invalid;
  Closer close_ = nullptr;
};

/// The character set an HDF5 string is tagged with: h5py writes bytes as ASCII and str as UTF-8.
enum class Hdf5Charset { ascii, utf8 };

/// A group (or a file's root group) of an HDF5 file being written; `file` and `path` name it in error messages.
class Hdf5GroupWriter {
 public:
  Hdf5GroupWriter(Hdf5Id id, std::string file, std::string path)
      : id_(std::move(id)), file_(std::move(file)), path_(std::move(path)) {}

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  /// "`/dense/kernel:0` in file weights.h5", for messages.
  std::string where(const std::string& child = "") const;

  Hdf5GroupWriter create_group(const std::string& name) const;
  bool has_attr(const std::string& name) const;

  /// Writes `values` as h5py 3 writes a list of bytes: a 1-D array of variable-length ASCII strings.
  void write_strings(const std::string& name, const std::vector<std::string>& values) const;
  /// Writes one string as h5py 3 writes bytes (ASCII) or str (UTF-8): a scalar variable-length string.
  void write_string(const std::string& name, const std::string& value, Hdf5Charset charset = Hdf5Charset::ascii) const;
  /// Writes `values` as h5py writes a numpy `S` array: fixed-length, null-padded ASCII of `width` bytes each.
  void write_fixed_strings(const std::string& name, const std::vector<std::string>& values, size_t width) const;
  /// Writes an empty float64 array, as h5py does for `attrs[name] = []`.
  void write_empty_array(const std::string& name) const;
  /// Creates a little-endian float32 dataset at `name` (intermediate groups included) holding `value`.
  void write_float32(const std::string& name, const torch::Tensor& value) const;
  /// Creates a little-endian int64 dataset at `name` holding `value` (Keras's dtype for integer weights).
  void write_int64(const std::string& name, const torch::Tensor& value) const;

 protected:
  [[noreturn]] void fail(const std::string& what, const std::string& name) const;
  Hdf5Id checked(Hdf5Id::Handle id, Hdf5Id::Closer close, const std::string& what, const std::string& name) const;
  Hdf5Id id_;

 private:
  static Hdf5Id link_creation_properties();
  static Hdf5Id variable_string_type();
  void write_attr(const std::string& name, const Hdf5Id& type, const Hdf5Id& space, const void* data) const;
  std::string file_;
  std::string path_;
};

/// An HDF5 file being written; it is its own root group. Closed when it goes out of scope, or by close().
/// Example: `auto f = Hdf5FileWriter::create(temp); f.create_group("dense").write_float32("kernel:0", k); f.close();`
class Hdf5FileWriter : public Hdf5GroupWriter {
 public:
  /// Creates a file for writing. It is built in memory and only written to `path` by close(): HDF5 then never
  /// meets a disk error (after one, libhdf5 1.10 keeps a half-closed file that crashes it at exit).
  static Hdf5FileWriter create(const std::filesystem::path& path);
  /// Writes a file made by create() to its path and closes it; a failure (disk full) throws IOError naming it.
  void close();

 private:
  Hdf5FileWriter(Hdf5Id id, const std::string& name) : Hdf5GroupWriter(std::move(id), name, "/") {}
  std::vector<char> file_image() const;
  void write_file(const std::vector<char>& image) const;
};

}  // namespace tl::io::detail

#ifdef TL_HEADER_ONLY
#include <tl/io/impl/hdf5-inl.hpp>
#endif
