#pragma once
// tl's own HDF5 reader, part 3: object headers (versions 1 and 2, with continuation blocks), a group's links
// (old-style symbol tables: B-tree, symbol nodes, local heap; new-style compact link messages) and the global
// heap that holds variable-length strings. Loops and absurd counts in a damaged file are refused.
#include <tl/io/detail/h5/messages.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tl::io::detail::h5 {

/// One message of an object header: its type and its bytes.
struct Message {
  uint16_t type;
  Cursor body;
};

/// A group's members by name: object header addresses.
using Links = std::map<std::string, uint64_t>;

/// A group's object header as the reader keeps it: its messages (attributes among them) and its members.
struct GroupHeader {
  std::vector<Message> messages;
  Links links;
};

/// The messages of the object header at `address`, continuation blocks included. Shared messages are refused.
std::vector<Message> read_object_header(const Image& image, uint64_t address);

/// An old-style group's local heap: the data segment its link names live in (read once per group).
Cursor local_heap_data(const Image& image, uint64_t heap_address);

/// The name at `offset` in a local heap's data segment.
std::string local_heap_name(Cursor data, uint64_t offset);

/// Walks an old-style group's B-tree (version 1, type 0) down to its symbol nodes.
void read_symbol_table(const Image& image, uint64_t btree, const Cursor& heap, Links& links, std::set<uint64_t>& seen,
                       int depth = 0);

/// A new-style link message: (name, address) for a hard link; soft and external links are refused.
std::pair<std::string, uint64_t> parse_link(Cursor c);

/// Refuses dense (fractal-heap) link or attribute storage: h5py only writes it for groups with many members
/// or attributes, and Keras files keep theirs in the object header.
void refuse_dense_storage(Cursor c, const std::string& what);

/// The members of the group whose object header holds `messages`.
Links read_links(const Image& image, const std::vector<Message>& messages);

/// A global heap collection: its size in bytes and its objects (variable-length strings' bytes) by index.
struct GlobalHeap {
  uint64_t size = 0;
  std::map<uint32_t, Cursor> objects;
};

GlobalHeap read_global_heap(const Image& image, uint64_t address);

}  // namespace tl::io::detail::h5

#ifdef TL_HEADER_ONLY
#include <tl/io/detail/h5/impl/objects-inl.hpp>
#endif
