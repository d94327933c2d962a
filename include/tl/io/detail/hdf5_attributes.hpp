#pragma once
// Keras's save_attributes_to_hdf5_group / load_attributes_from_hdf5_group: lists of names stored as attributes,
// split into `name0`, `name1`, ... when they would not fit in an HDF5 object header.
#include <tl/io/detail/h5/reader.hpp>
#include <tl/io/hdf5.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace tl::io::detail {

/// Keras's HDF5_OBJECT_HEADER_LIMIT: the most bytes Keras puts in one attribute.
inline constexpr size_t hdf5_object_header_limit = 64512;

/// Writes `data` as Keras does with h5py 3: one variable-length string array when it fits (an empty float64 array
/// when `data` is empty), else numpy-style fixed-length chunks `name0`, `name1`, ... split as `np.array_split`.
inline void save_attributes_to_hdf5_group(const Group& group, const std::string& name,
                                          const std::vector<std::string>& data) {
  size_t width = 1;  // numpy's itemsize for the longest string (at least 1)
  for (const auto& item : data) {
    if (item.size() > hdf5_object_header_limit)
      throw ValueError("The following attributes cannot be saved to HDF5 file because they are larger than " +
                       std::to_string(hdf5_object_header_limit) + " bytes: " + item);
    width = std::max(width, item.size());
  }
  if (data.empty()) return group.write_empty_array(name);
  size_t chunks = 1;
  while ((data.size() + chunks - 1) / chunks * width > hdf5_object_header_limit) ++chunks;
  if (chunks == 1) return group.write_strings(name, data);
  // np.array_split: the first (size % chunks) chunks hold one item more.
  size_t begin = 0;
  for (size_t c = 0; c < chunks; ++c) {
    const size_t count = data.size() / chunks + (c < data.size() % chunks ? 1 : 0);
    group.write_fixed_strings(name + std::to_string(c), {data.begin() + long(begin), data.begin() + long(begin + count)},
                              width);
    begin += count;
  }
}

/// Reads a list saved by save_attributes_to_hdf5_group, in any form (whole or chunked, fixed or variable length).
/// A missing attribute reads as an empty list, as in Keras.
inline std::vector<std::string> load_attributes_from_hdf5_group(const h5::Group& group, const std::string& name) {
  if (group.has_attr(name)) return group.read_strings(name);
  std::vector<std::string> data;
  for (int chunk = 0; group.has_attr(name + std::to_string(chunk)); ++chunk) {
    auto part = group.read_strings(name + std::to_string(chunk));
    data.insert(data.end(), part.begin(), part.end());
  }
  return data;
}

}  // namespace tl::io::detail
