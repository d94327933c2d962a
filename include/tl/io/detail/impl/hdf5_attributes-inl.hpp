#pragma once
#include <tl/core/errors.hpp>
#include <tl/io/detail/hdf5_attributes.hpp>

#include <algorithm>

namespace tl::io::detail {

TL_INLINE void save_attributes_to_hdf5_group(const Hdf5GroupWriter& group, const std::string& name,
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

TL_INLINE std::vector<std::string> load_attributes_from_hdf5_group(const h5::GroupReader& group, const std::string& name) {
  if (group.has_attr(name)) return group.read_strings(name);
  std::vector<std::string> data;
  for (int chunk = 0; group.has_attr(name + std::to_string(chunk)); ++chunk) {
    auto part = group.read_strings(name + std::to_string(chunk));
    data.insert(data.end(), part.begin(), part.end());
  }
  return data;
}

}  // namespace tl::io::detail
