#pragma once
// A small RAII layer over libhdf5's C API for *writing* Keras files: groups, float32 datasets and the string
// attributes Keras writes. (tl reads files with its own parser, io/detail/h5/, which a damaged file cannot crash.)
// HDF5 errors become tl::IOError naming the file and object; HDF5 never prints its error stack.
#include <tl/core/errors.hpp>
#include <tl/io/detail/object_path.hpp>

#include <hdf5.h>
#include <torch/torch.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace tl::io::detail {

/// Keeps HDF5 from printing its error stack to stderr: tl reports errors as exceptions instead.
inline void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

/// The innermost (most specific) message on HDF5's error stack, e.g. "truncated file: eof = 96, ...".
inline std::string hdf5_error_message() {
  std::string message;
  auto innermost = [](unsigned n, const H5E_error2_t* error, void* out) -> herr_t {
    if (n == 0 && error->desc) *static_cast<std::string*>(out) = error->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &message);
  H5Eclear2(H5E_DEFAULT);
  return message.empty() ? "HDF5 error" : message;
}

/// An HDF5 identifier, closed with its matching H5?close when it goes out of scope.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Closer close) : id_(id), close_(close) {}
  Id(Id&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
  Id& operator=(Id&& other) noexcept {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    close_ = other.close_;
    return *this;
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() { reset(); }

  hid_t get() const { return id_; }
  /// Closes now and reports whether HDF5 managed to (closing a file flushes it).
  bool close() {
    const bool ok = id_ < 0 || close_(id_) >= 0;
    id_ = H5I_INVALID_HID;
    return ok;
  }

 private:
  void reset() { close(); }
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

/// A group (or a file's root group) in an HDF5 file; `file` and `path` name it in error messages.
class Group {
 public:
  Group(Id id, std::string file, std::string path) : id_(std::move(id)), file_(std::move(file)), path_(std::move(path)) {}

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  /// "`/dense/kernel:0` in file weights.h5", for messages.
  std::string where(const std::string& child = "") const { return object_in_file(object_path(path_, child), file_); }

  Group create_group(const std::string& name) const {
    const Id lcpl = link_creation_properties();
    return {checked(H5Gcreate2(id_.get(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                    "cannot create group", name),
            file_, object_path(path_, name)};
  }

  bool has_attr(const std::string& name) const { return H5Aexists(id_.get(), name.c_str()) > 0; }

  /// Writes `values` as h5py 3 writes a list of bytes: a 1-D array of variable-length ASCII strings.
  void write_strings(const std::string& name, const std::vector<std::string>& values) const {
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    const hsize_t dims[1] = {values.size()};
    const Id space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    write_attr(name, variable_string_type(), space, pointers.data());
  }
  /// Writes one string as h5py 3 writes bytes (ASCII) or str (UTF-8): a scalar variable-length string.
  void write_string(const std::string& name, const std::string& value, H5T_cset_t cset = H5T_CSET_ASCII) const {
    const char* pointer = value.c_str();
    const Id space(H5Screate(H5S_SCALAR), H5Sclose);
    const Id type = variable_string_type();
    H5Tset_cset(type.get(), cset);
    write_attr(name, type, space, &pointer);
  }
  /// Writes `values` as h5py writes a numpy `S` array: fixed-length, null-padded ASCII of `width` bytes each.
  void write_fixed_strings(const std::string& name, const std::vector<std::string>& values, size_t width) const {
    std::string buffer;
    for (const auto& v : values) buffer += v + std::string(width - v.size(), '\0');
    const hsize_t dims[1] = {values.size()};
    const Id space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    const Id type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), width);
    H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
    write_attr(name, type, space, buffer.data());
  }
  /// Writes an empty float64 array, as h5py does for `attrs[name] = []`.
  void write_empty_array(const std::string& name) const {
    const hsize_t dims[1] = {0};
    const Id space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    const Id type(H5Tcopy(H5T_IEEE_F64LE), H5Tclose);
    write_attr(name, type, space, nullptr);
  }

  /// Creates a little-endian float32 dataset at `name` (intermediate groups included) holding `value`.
  void write_float32(const std::string& name, const torch::Tensor& value) const {
    const auto data = value.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    const std::vector<hsize_t> dims(data.sizes().begin(), data.sizes().end());
    const Id space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                   H5Sclose);
    const Id lcpl = link_creation_properties();
    const Id dset = checked(H5Dcreate2(id_.get(), name.c_str(), H5T_IEEE_F32LE, space.get(), lcpl.get(), H5P_DEFAULT,
                                       H5P_DEFAULT),
                            H5Dclose, "cannot create dataset", name);
    if (H5Dwrite(dset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data_ptr()) < 0)
      fail("cannot write dataset", name);
  }

 protected:
  [[noreturn]] void fail(const std::string& what, const std::string& name) const {
    throw IOError("HDF5: " + what + " " + where(name) + ": " + hdf5_error_message());
  }
  Id checked(hid_t id, Id::Closer close, const std::string& what, const std::string& name) const {
    if (id < 0) fail(what, name);
    return Id(id, close);
  }
  Id id_;

 private:
  // As h5py: intermediate groups are created.
  static Id link_creation_properties() {
    Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(lcpl.get(), 1);
    return lcpl;
  }
  static Id variable_string_type() {
    Id type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    return type;
  }
  void write_attr(const std::string& name, const Id& type, const Id& space, const void* data) const {
    if (has_attr(name) && H5Adelete(id_.get(), name.c_str()) < 0) fail("cannot replace attribute", name);
    const Id attr = checked(H5Acreate2(id_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                            H5Aclose, "cannot create attribute", name);
    if (data && H5Awrite(attr.get(), type.get(), data) < 0) fail("cannot write attribute", name);
  }
  std::string file_;
  std::string path_;
};

/// An open HDF5 file; it is its own root group. Closed when it goes out of scope, or by close().
class File : public Group {
 public:
  /// Creates a file for writing. It is built in memory and only written to `path` by close(): HDF5 then never
  /// meets a disk error (after one, libhdf5 1.10 keeps a half-closed file that crashes it at exit).
  static File create(const std::filesystem::path& path) {
    silence_hdf5_errors();
    const std::string name = path.string();
    const Id in_memory(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_fapl_core(in_memory.get(), 1 << 20, /*backing_store=*/0);
    const hid_t id = H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, in_memory.get());
    if (id < 0) throw IOError("Unable to create file " + name + ": " + hdf5_error_message());
    return File(Id(id, H5Fclose), name);
  }
  /// Writes a file made by create() to its path and closes it; a failure (disk full) throws IOError naming it.
  void close() {
    const auto image = file_image();
    id_.close();
    write_file(image);
  }

 private:
  File(Id id, const std::string& name) : Group(std::move(id), name, "/") {}

  std::vector<char> file_image() const {
    if (H5Fflush(id_.get(), H5F_SCOPE_GLOBAL) < 0)
      throw IOError("Unable to write file " + file() + ": " + hdf5_error_message());
    const ssize_t size = H5Fget_file_image(id_.get(), nullptr, 0);
    std::vector<char> image(size > 0 ? size_t(size) : 0);
    if (size < 0 || H5Fget_file_image(id_.get(), image.data(), image.size()) != size)
      throw IOError("Unable to write file " + file() + ": " + hdf5_error_message());
    return image;
  }
  void write_file(const std::vector<char>& image) const {
    std::FILE* out = std::fopen(file().c_str(), "wb");
    const bool written = out && std::fwrite(image.data(), 1, image.size(), out) == image.size();
    const int error = errno;
    const bool closed = out && std::fclose(out) == 0;
    if (!written || !closed)
      throw IOError("Unable to write file " + file() + ": " + std::strerror(written ? errno : error));
  }
};

}  // namespace tl::io::detail
