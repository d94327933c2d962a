#pragma once
#include <tl/io/detail/h5/objects.hpp>

#include <algorithm>
#include <cstring>

namespace tl::io::detail::h5 {

TL_INLINE std::vector<Message> read_object_header(const Image& image, uint64_t address) {
  std::vector<Message> out;
  std::vector<std::pair<uint64_t, uint64_t>> blocks;  // (address, length) of continuation blocks still to read
  std::set<uint64_t> seen;
  auto header = Cursor::at(image, address);
  const bool v2 = header.left() >= 4 && std::memcmp(image.bytes.data() + header.pos(), "OHDR", 4) == 0;
  bool creation_order = false;  // version 2: each message records its creation order
  const auto read_messages = [&](Cursor c, bool version2) {
    const uint64_t prefix = version2 ? (creation_order ? 6 : 4) : 8;
    while (c.left() >= prefix) {
      const uint16_t type = version2 ? c.u8() : c.u16();
      const uint64_t size = c.u16();
      const int flags = c.u8();
      if (creation_order) c.skip(2);
      if (!version2) c.skip(3);
      auto body = c.take(size);
      if (flags & 0x02) throw Damaged("a shared object header message, which tl does not read");
      if (type == kContinuation) {
        const uint64_t at = body.offset();  // read in order: (address, length)
        blocks.emplace_back(at, body.length());
      } else {
        out.push_back({type, body});
      }
      if (out.size() + blocks.size() > 65536) throw Damaged("an object header with more than 65536 messages");
    }
  };
  if (v2) {
    header.skip(4);
    if (header.u8() != 2) throw Damaged("object header version unknown");
    const int flags = header.u8();
    creation_order = flags & 0x04;
    if (flags & 0x20) header.skip(16);  // times
    if (flags & 0x10) header.skip(4);   // attribute storage phase change
    const uint64_t size = header.uint(1 << (flags & 3));
    read_messages(header.take(size), true);
  } else {
    if (header.u8() != 1) throw Damaged("object header at address " + std::to_string(address) + " has an unknown version");
    header.skip(1);
    header.u16();  // message count
    header.u32();  // reference count
    const uint64_t size = header.u32();
    header.skip(4);  // alignment
    read_messages(header.take(size), false);
  }
  while (!blocks.empty()) {
    const auto [at, length] = blocks.back();
    blocks.pop_back();
    if (!seen.insert(at).second) throw Damaged("object header continuation blocks form a loop");
    auto block = Cursor::at(image, at).take(length);
    if (v2) {
      block.expect_signature("OCHK", "an object header continuation block");
      read_messages(block.take(block.left() < 4 ? 0 : block.left() - 4), true);  // the checksum ends it
    } else {
      read_messages(block, false);
    }
  }
  return out;
}

TL_INLINE Cursor local_heap_data(const Image& image, uint64_t heap_address) {
  auto heap = Cursor::at(image, heap_address);
  heap.expect_signature("HEAP", "a local heap");
  heap.skip(4);  // version, reserved
  const uint64_t data_size = heap.length();
  heap.length();  // free list
  return Cursor::at(image, heap.offset()).take(data_size);
}

TL_INLINE std::string local_heap_name(Cursor data, uint64_t offset) {
  if (offset >= data.left()) throw Damaged("a link name lies outside its group's heap");
  data.skip(offset);
  std::string name;
  for (char ch; data.left() > 0 && (ch = char(data.u8())) != '\0';) name += ch;
  return name;
}

TL_INLINE void read_symbol_table(const Image& image, uint64_t btree, const Cursor& heap, Links& links,
                              std::set<uint64_t>& seen, int depth) {
  if (depth > 64 || !seen.insert(btree).second) throw Damaged("a group's B-tree forms a loop");
  auto node = Cursor::at(image, btree);
  node.expect_signature("TREE", "a group B-tree node");
  if (node.u8() != 0) throw Damaged("a group B-tree node of the wrong type");
  const int level = node.u8();
  const int entries = node.u16();
  node.offset();  // siblings
  node.offset();
  for (int i = 0; i < entries; ++i) {
    node.length();  // key
    const uint64_t child = node.offset();
    if (level > 0) {
      read_symbol_table(image, child, heap, links, seen, depth + 1);
      continue;
    }
    if (!seen.insert(child).second) throw Damaged("a group's symbol nodes form a loop");
    auto symbols = Cursor::at(image, child);
    symbols.expect_signature("SNOD", "a group symbol node");
    symbols.skip(2);
    const int count = symbols.u16();
    for (int s = 0; s < count; ++s) {
      const uint64_t name_offset = symbols.offset();
      const uint64_t header = symbols.offset();
      const uint32_t cache_type = symbols.u32();
      symbols.skip(20);  // reserved, scratch pad
      if (cache_type == 2)  // the scratch pad holds the link's target, not an object
        throw Damaged("a soft link (`" + local_heap_name(heap, name_offset) + "`), which tl does not follow");
      links.emplace(local_heap_name(heap, name_offset), header);
    }
  }
}

TL_INLINE std::pair<std::string, uint64_t> parse_link(Cursor c) {
  if (c.u8() != 1) throw Damaged("link message version unknown");
  const int flags = c.u8();
  const int type = (flags & 0x08) ? c.u8() : 0;
  if (flags & 0x04) c.skip(8);
  if (flags & 0x10) c.skip(1);
  const uint64_t name_size = c.uint(1 << (flags & 3));
  auto name = c.string(name_size);
  if (type != 0)
    throw Damaged(std::string(type == 1 ? "a soft link" : type == 64 ? "an external link" : "a user-defined link") +
                  " (`" + name + "`), which tl does not follow");
  return {name, c.offset()};
}

TL_INLINE void refuse_dense_storage(Cursor c, const std::string& what) {
  c.skip(1);
  const int flags = c.u8();
  if (flags & 1) c.skip(what == "links" ? 8 : 2);
  if (c.offset() != undefined_address)
    throw Damaged("dense " + what + " storage (a fractal heap), which tl does not read");
}

TL_INLINE Links read_links(const Image& image, const std::vector<Message>& messages) {
  Links links;
  std::set<uint64_t> seen;
  for (const auto& m : messages) {
    if (m.type == kSymbolTable) {
      auto c = m.body;
      const uint64_t btree = c.offset();
      const uint64_t heap = c.offset();
      read_symbol_table(image, btree, local_heap_data(image, heap), links, seen);
    } else if (m.type == kLink) {
      links.insert(parse_link(m.body));
    } else if (m.type == kLinkInfo) {
      refuse_dense_storage(m.body, "links");
    }
  }
  return links;
}

TL_INLINE GlobalHeap read_global_heap(const Image& image, uint64_t address) {
  auto collection = Cursor::at(image, address);
  collection.expect_signature("GCOL", "a global heap collection");
  collection.skip(4);
  const uint64_t header = 8 + uint64_t(image.length_size);
  const uint64_t size = collection.length();
  if (size < header) throw Damaged("a global heap collection of impossible size");
  auto objects = Cursor::at(image, address).take(size);
  objects.skip(header);
  GlobalHeap out{size, {}};
  while (objects.left() >= header) {
    const uint32_t id = objects.u16();
    objects.skip(6);
    const uint64_t object_size = objects.length();
    if (id == 0) break;  // free space
    out.objects.emplace(id, objects.take(object_size));
    objects.skip(std::min<uint64_t>(objects.left(), (8 - object_size % 8) % 8));
  }
  return out;
}

}  // namespace tl::io::detail::h5
