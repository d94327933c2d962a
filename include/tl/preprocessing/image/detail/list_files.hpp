#pragma once
// Scan unit: Keras's file discovery for flow_from_directory. Classes are the sorted subfolders; each class folder
// is walked like os.walk (roots sorted as strings, files sorted by name), keeping names whose lower-cased end
// matches a list of formats, then cut to the subset's share of that class. Nothing here opens a file: reading
// and the bad-file policy are the decoding and iterator units'. tf.keras's index_directory walks the same way with
// its own formats (with dots: ".bmp", ".gif", ".jpeg", ".jpg", ".png"): pass them as `formats`.
#include <tl/core/config.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl::preprocessing::image::detail {

/// Keras's Iterator.white_list_formats (matched like Python's str.endswith, without a dot).
const std::vector<std::string>& white_list_formats();

/// Whether `name`, lower-cased, ends with one of `formats` (Python's name.lower().endswith(tuple(formats))).
bool has_image_extension(std::string name, const std::vector<std::string>& formats = white_list_formats());

/// os.path.join(a, b) for a relative b.
std::string path_join(const std::string& a, const std::string& b);

/// os.walk(top, followlinks): (root, file names) of every folder, top-down, in directory order; unreadable
/// folders are skipped. Unlike os.walk, a link back to a folder the walk is inside is not followed: os.walk would
/// go round the loop until the path grows too long, listing the same files dozens of times (or never end).
std::vector<std::pair<std::string, std::vector<std::string>>> walk(const std::string& top, bool follow_links);

/// Keras's _list_valid_filenames_in_directory: paths relative to `directory`'s parent ("class/sub/file.jpg"),
/// roots sorted, files sorted, `split` (the subset's [start, stop) share) applied per class.
std::vector<std::string> list_class_files(const std::string& class_dir, const std::string& class_name, bool follow_links,
                                          std::optional<std::pair<double, double>> split,
                                          const std::vector<std::string>& formats = white_list_formats());

/// sorted(subfolders of directory), following symlinks as os.path.isdir does.
std::vector<std::string> list_class_names(const std::string& directory);

}  // namespace tl::preprocessing::image::detail

#ifdef TL_HEADER_ONLY
#include <tl/preprocessing/image/detail/impl/list_files-inl.hpp>
#endif
