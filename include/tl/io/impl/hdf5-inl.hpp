#pragma once
#include <tl/core/errors.hpp>
#include <tl/io/detail/object_path.hpp>
#include <tl/io/hdf5.hpp>

#include <hdf5.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace tl::io::detail {

static_assert(std::is_same_v<hid_t, Hdf5Id::Handle> && std::is_same_v<herr_t, int>,
              "tl::io::detail::Hdf5Id assumes libhdf5 >= 1.10 (hid_t = int64_t, herr_t = int)");
static_assert(H5I_INVALID_HID == Hdf5Id::invalid);

/// Keeps HDF5 from printing its error stack to stderr: tl reports errors as exceptions instead.
TL_INLINE void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

/// The innermost (most specific) message on HDF5's error stack, e.g. "truncated file: eof = 96, ...".
TL_INLINE std::string hdf5_error_message() {
  std::string message;
  auto innermost = [](unsigned n, const H5E_error2_t* error, void* out) -> herr_t {
    if (n == 0 && error->desc) *static_cast<std::string*>(out) = error->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &message);
  H5Eclear2(H5E_DEFAULT);
  return message.empty() ? "HDF5 error" : message;
}

TL_INLINE std::string Hdf5GroupWriter::where(const std::string& child) const {
  return object_in_file(object_path(path_, child), file_);
}

TL_INLINE Hdf5GroupWriter Hdf5GroupWriter::create_group(const std::string& name) const {
  const Hdf5Id lcpl = link_creation_properties();
  return {checked(H5Gcreate2(id_.get(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  "cannot create group", name),
          file_, object_path(path_, name)};
}

TL_INLINE bool Hdf5GroupWriter::has_attr(const std::string& name) const { return H5Aexists(id_.get(), name.c_str()) > 0; }

TL_INLINE void Hdf5GroupWriter::write_strings(const std::string& name, const std::vector<std::string>& values) const {
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  const hsize_t dims[1] = {values.size()};
  const Hdf5Id space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  write_attr(name, variable_string_type(), space, pointers.data());
}

TL_INLINE void Hdf5GroupWriter::write_string(const std::string& name, const std::string& value, Hdf5Charset charset) const {
  const char* pointer = value.c_str();
  const Hdf5Id space(H5Screate(H5S_SCALAR), H5Sclose);
  const Hdf5Id type = variable_string_type();
  H5Tset_cset(type.get(), charset == Hdf5Charset::utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
  write_attr(name, type, space, &pointer);
}

TL_INLINE void Hdf5GroupWriter::write_fixed_strings(const std::string& name, const std::vector<std::string>& values,
                                                    size_t width) const {
  std::string buffer;
  for (const auto& v : values) buffer += v + std::string(width - v.size(), '\0');
  const hsize_t dims[1] = {values.size()};
  const Hdf5Id space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  const Hdf5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), width);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  write_attr(name, type, space, buffer.data());
}

TL_INLINE void Hdf5GroupWriter::write_empty_array(const std::string& name) const {
  const hsize_t dims[1] = {0};
  const Hdf5Id space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  const Hdf5Id type(H5Tcopy(H5T_IEEE_F64LE), H5Tclose);
  write_attr(name, type, space, nullptr);
}

TL_INLINE void Hdf5GroupWriter::write_float32(const std::string& name, const torch::Tensor& value) const {
  const auto data = value.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  const std::vector<hsize_t> dims(data.sizes().begin(), data.sizes().end());
  const Hdf5Id space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                     H5Sclose);
  const Hdf5Id lcpl = link_creation_properties();
  const Hdf5Id dset = checked(H5Dcreate2(id_.get(), name.c_str(), H5T_IEEE_F32LE, space.get(), lcpl.get(), H5P_DEFAULT,
                                         H5P_DEFAULT),
                              H5Dclose, "cannot create dataset", name);
  if (H5Dwrite(dset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data_ptr()) < 0)
    fail("cannot write dataset", name);
}

TL_INLINE void Hdf5GroupWriter::write_int64(const std::string& name, const torch::Tensor& value) const {
  const auto data = value.detach().to(torch::kCPU, torch::kInt64).contiguous();
  const std::vector<hsize_t> dims(data.sizes().begin(), data.sizes().end());
  const Hdf5Id space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                     H5Sclose);
  const Hdf5Id lcpl = link_creation_properties();
  const Hdf5Id dset = checked(H5Dcreate2(id_.get(), name.c_str(), H5T_STD_I64LE, space.get(), lcpl.get(), H5P_DEFAULT,
                                         H5P_DEFAULT),
                              H5Dclose, "cannot create dataset", name);
  if (H5Dwrite(dset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data_ptr()) < 0)
    fail("cannot write dataset", name);
}

TL_INLINE void Hdf5GroupWriter::fail(const std::string& what, const std::string& name) const {
  throw IOError("HDF5: " + what + " " + where(name) + ": " + hdf5_error_message());
}

TL_INLINE Hdf5Id Hdf5GroupWriter::checked(Hdf5Id::Handle id, Hdf5Id::Closer close, const std::string& what,
                                          const std::string& name) const {
  if (id < 0) fail(what, name);
  return Hdf5Id(id, close);
}

// As h5py: intermediate groups are created.
TL_INLINE Hdf5Id Hdf5GroupWriter::link_creation_properties() {
  Hdf5Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  return lcpl;
}

TL_INLINE Hdf5Id Hdf5GroupWriter::variable_string_type() {
  Hdf5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  return type;
}

TL_INLINE void Hdf5GroupWriter::write_attr(const std::string& name, const Hdf5Id& type, const Hdf5Id& space,
                                           const void* data) const {
  if (has_attr(name) && H5Adelete(id_.get(), name.c_str()) < 0) fail("cannot replace attribute", name);
  const Hdf5Id attr = checked(H5Acreate2(id_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                              H5Aclose, "cannot create attribute", name);
  if (data && H5Awrite(attr.get(), type.get(), data) < 0) fail("cannot write attribute", name);
}

TL_INLINE Hdf5FileWriter Hdf5FileWriter::create(const std::filesystem::path& path) {
  silence_hdf5_errors();
  const std::string name = path.string();
  const Hdf5Id in_memory(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_fapl_core(in_memory.get(), 1 << 20, /*backing_store=*/0);
  const hid_t id = H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, in_memory.get());
  if (id < 0) throw IOError("Unable to create file " + name + ": " + hdf5_error_message());
  return Hdf5FileWriter(Hdf5Id(id, H5Fclose), name);
}

TL_INLINE void Hdf5FileWriter::close() {
  const auto image = file_image();
  id_.close();
  write_file(image);
}

TL_INLINE std::vector<char> Hdf5FileWriter::file_image() const {
  if (H5Fflush(id_.get(), H5F_SCOPE_GLOBAL) < 0)
    throw IOError("Unable to write file " + file() + ": " + hdf5_error_message());
  const ssize_t size = H5Fget_file_image(id_.get(), nullptr, 0);
  std::vector<char> image(size > 0 ? size_t(size) : 0);
  if (size < 0 || H5Fget_file_image(id_.get(), image.data(), image.size()) != size)
    throw IOError("Unable to write file " + file() + ": " + hdf5_error_message());
  return image;
}

TL_INLINE void Hdf5FileWriter::write_file(const std::vector<char>& image) const {
  std::FILE* out = std::fopen(file().c_str(), "wb");
  const bool written = out && std::fwrite(image.data(), 1, image.size(), out) == image.size();
  const int error = errno;
  const bool closed = out && std::fclose(out) == 0;
  if (!written || !closed)
    throw IOError("Unable to write file " + file() + ": " + std::strerror(written ? errno : error));
}

}  // namespace tl::io::detail
