#pragma once
// A small RAII layer over libhdf5's C API: files, groups, float32 datasets and the string attributes Keras writes.
// HDF5 errors become tl::IOError/ValueError naming the file and object; HDF5 never prints its error stack.
#include <tl/core/errors.hpp>

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
  std::string where(const std::string& child = "") const {
    return "`" + child_path(child) + "` in file " + file_;
  }

  /// Whether the relative path `name` ("dense/kernel:0") leads to an object.
  bool has(const std::string& name) const {
    if (name == "/") return true;
    // H5Lexists fails on "a/b" when "a" is missing, so each prefix is checked in turn.
    for (size_t slash = name.find('/');; slash = name.find('/', slash + 1)) {
      if (H5Lexists(id_.get(), name.substr(0, slash).c_str(), H5P_DEFAULT) <= 0) return false;
      if (slash == std::string::npos) break;
    }
    return H5Oexists_by_name(id_.get(), name.c_str(), H5P_DEFAULT) > 0;
  }
  Group group(const std::string& name) const {
    require(name, "group");
    return {checked(H5Gopen2(id_.get(), name.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group", name), file_,
            child_path(name)};
  }
  Group create_group(const std::string& name) const {
    const Id lcpl = link_creation_properties();
    return {checked(H5Gcreate2(id_.get(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                    "cannot create group", name),
            file_, child_path(name)};
  }

  bool has_attr(const std::string& name) const { return H5Aexists(id_.get(), name.c_str()) > 0; }

  /// A string attribute in any form Keras files use: fixed-length (h5py 2.x) or variable-length (h5py 3.x),
  /// scalar or 1-D. An empty array of any type (h5py's `attrs[name] = []`) reads as no strings.
  std::vector<std::string> read_strings(const std::string& name) const {
    const Id attr = checked(H5Aopen(id_.get(), name.c_str(), H5P_DEFAULT), H5Aclose, "cannot open attribute", name);
    const Id type = checked(H5Aget_type(attr.get()), H5Tclose, "cannot read the type of attribute", name);
    const Id space = checked(H5Aget_space(attr.get()), H5Sclose, "cannot read the shape of attribute", name);
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count == 0) return {};
    if (H5Tget_class(type.get()) != H5T_STRING || count < 0 || H5Sget_simple_extent_ndims(space.get()) > 1)
      throw ValueError("Attribute " + name + " of " + where() + " is not a string or a 1-D array of strings");
    const bool variable = H5Tis_variable_str(type.get()) > 0;
    // Keras keeps every attribute under 64 KB; a damaged header can claim billions of strings.
    const auto bytes = uint64_t(count) * (variable ? 16 : std::max<uint64_t>(1, H5Tget_size(type.get())));
    if (bytes > (uint64_t{64} << 20))
      throw ValueError("Attribute " + name + " of " + where() + " claims " + std::to_string(count) + " strings (" +
                       std::to_string(bytes >> 20) + " MB): no Keras file holds that, the file is damaged");
    if (variable) return read_variable_strings(attr, name, size_t(count));
    return read_fixed_strings(attr, type, name, size_t(count));
  }
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

  /// Reads a floating-point dataset (any precision) as a float32 tensor of the dataset's shape.
  torch::Tensor read_float32(const std::string& name) const {
    require(name, "dataset");
    const Id dset = checked(H5Dopen2(id_.get(), name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset", name);
    const Id type = checked(H5Dget_type(dset.get()), H5Tclose, "cannot read the type of dataset", name);
    if (H5Tget_class(type.get()) != H5T_FLOAT)
      throw ValueError("Dataset " + where(name) + " does not hold floating-point numbers");
    auto value = torch::empty(dataset_shape(dset, name), torch::kFloat32);
    if (value.numel() > 0 && H5Dread(dset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, value.data_ptr()) < 0)
      fail("cannot read dataset", name);
    return value;
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
  std::string child_path(const std::string& child) const {
    if (child.empty()) return path_;
    if (child.front() == '/') return child;
    return path_ == "/" ? "/" + child : path_ + "/" + child;
  }
  void require(const std::string& name, const std::string& kind) const {
    if (!has(name)) throw ValueError("The " + kind + " " + where(name) + " does not exist");
  }
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
  std::vector<std::string> read_variable_strings(const Id& attr, const std::string& name, size_t count) const {
    std::vector<char*> pointers(count, nullptr);
    const herr_t status = H5Aread(attr.get(), variable_string_type().get(), pointers.data());
    std::vector<std::string> out;
    for (char* p : pointers) {
      if (status >= 0) out.emplace_back(p ? p : "");
      H5free_memory(p);  // also the strings a read that failed half way did allocate
    }
    if (status < 0) fail("cannot read attribute", name);
    return out;
  }
  std::vector<std::string> read_fixed_strings(const Id& attr, const Id& type, const std::string& name,
                                              size_t count) const {
    const size_t width = H5Tget_size(type.get());
    std::string buffer(width * count, '\0');
    if (width == 0 || H5Aread(attr.get(), type.get(), buffer.data()) < 0) fail("cannot read attribute", name);
    const char pad = H5Tget_strpad(type.get()) == H5T_STR_SPACEPAD ? ' ' : '\0';
    std::vector<std::string> out;
    for (size_t i = 0; i < count; ++i) {
      std::string s = buffer.substr(i * width, width);
      const size_t end = pad == ' ' ? s.find_last_not_of(' ') + 1 : s.find('\0');
      out.push_back(s.substr(0, end));
    }
    return out;
  }
  std::vector<int64_t> dataset_shape(const Id& dset, const std::string& name) const {
    const Id space = checked(H5Dget_space(dset.get()), H5Sclose, "cannot read the shape of dataset", name);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || H5Sget_simple_extent_type(space.get()) == H5S_NULL)
      throw ValueError("Dataset " + where(name) + " has no shape (an empty HDF5 dataspace)");
    std::vector<hsize_t> dims(size_t(rank), 0);
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return {dims.begin(), dims.end()};
  }

  std::string file_;
  std::string path_;
};

/// An open HDF5 file; it is its own root group. Closed when it goes out of scope, or by close().
class File : public Group {
 public:
  /// Opens an existing file read-only. Throws IOError when it is missing, not HDF5, or damaged.
  static File open(const std::filesystem::path& path) {
    silence_hdf5_errors();
    const std::string name = path.string();
    if (!std::filesystem::is_regular_file(path)) throw IOError("Unable to open file " + name + ": no such file");
    if (H5Fis_hdf5(name.c_str()) <= 0)
      throw IOError("Unable to open file " + name + ": not an HDF5 file (" + hdf5_error_message() + ")");
    const hid_t id = H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) throw IOError("Unable to open file " + name + ": " + hdf5_error_message());
    return File(Id(id, H5Fclose), name);
  }
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
