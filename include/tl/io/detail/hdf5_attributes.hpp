#pragma once
// Keras's save_attributes_to_hdf5_group / load_attributes_from_hdf5_group: lists of names stored as attributes,
// split into `name0`, `name1`, ... when they would not fit in an HDF5 object header.
#include <tl/io/detail/h5/reader.hpp>
#include <tl/io/hdf5.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace tl::io::detail {

/// Keras's HDF5_OBJECT_HEADER_LIMIT: the most bytes Keras puts in one attribute.
inline constexpr size_t hdf5_object_header_limit = 64512;

/// Writes `data` as Keras does with h5py 3: one variable-length string array when it fits (an empty float64 array
/// when `data` is empty), else numpy-style fixed-length chunks `name0`, `name1`, ... split as `np.array_split`.
void save_attributes_to_hdf5_group(const Hdf5GroupWriter& group, const std::string& name,
                                   const std::vector<std::string>& data);

/// Reads a list saved by save_attributes_to_hdf5_group, in any form (whole or chunked, fixed or variable length).
/// A missing attribute reads as an empty list, as in Keras.
std::vector<std::string> load_attributes_from_hdf5_group(const h5::GroupReader& group, const std::string& name);

}  // namespace tl::io::detail

#ifdef TL_HEADER_ONLY
#include <tl/io/detail/impl/hdf5_attributes-inl.hpp>
#endif
