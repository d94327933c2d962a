"""Writes HDF5 files in the layouts h5py and libhdf5 can produce, for tl's own HDF5 reader tests.

Usage: make_h5_variants.py OUT_DIR

Every numeric dataset holds arange(6) shaped (2, 3) in the named type; every file has a group `g` unless said.
  earliest.h5     default h5py (superblock 0, version-1 object headers, symbol-table groups); attrs: fixed-length
                  strings `names` = [a, bc], variable-length `v` = "hello", scalar fixed `s` = "xyz", empty `e` = []
  latest.h5       libver="latest" (superblock 3, version-2 object headers, link messages), same content
  types.h5        datasets g/be (>f4), g/f64 (<f8), g/f16 (<f2), g/compact (compact layout, <f4)
  userblock.h5    a 512-byte user block before the HDF5 data
  continuation.h5 group `g` given 40 attributes after its dataset: its header continues in other blocks
  many.h5         group `g` with 300 datasets d000..d299 (d_i = arange(6) + i): a two-level B-tree
  compressed.h5   g/x stored chunked with gzip
  dense.h5        libver="latest" group `g` with 20 datasets: links in a fractal heap
  unwritten.h5    g/x created with a shape but never written
  v108.h5         libver v108 (superblock 2), same content as earliest.h5
  continuation_latest.h5  libver="latest", `g` given 4 long attributes: its header continues in an OCHK block
  chunked.h5      g/x stored in uncompressed chunks
  dense_attrs.h5  libver="latest" group `g` with 24 attributes: attributes in a fractal heap
  committed.h5    g/x and attribute g.names of a committed (shared) datatype /t
  soft.h5, soft_latest.h5          g/y a soft link to /g/x (symbol table / link message)
  external.h5, external_latest.h5  g/y an external link to other.h5:/x
  virtual.h5      g/x a virtual dataset mapping source.h5:/x
"""
import os
import sys

import h5py
import numpy as np

A = np.arange(6).reshape(2, 3)


def content(f):
    g = f.create_group("g")
    g.create_dataset("x", data=A.astype("<f4"))
    g.attrs["names"] = [b"a", b"bc"]
    g.attrs["v"] = "hello"
    g.attrs["s"] = np.bytes_(b"xyz")
    g.attrs["e"] = []


def main(out):
    with h5py.File(os.path.join(out, "earliest.h5"), "w") as f:
        content(f)
    with h5py.File(os.path.join(out, "latest.h5"), "w", libver="latest") as f:
        content(f)
    with h5py.File(os.path.join(out, "types.h5"), "w") as f:
        g = f.create_group("g")
        g.create_dataset("be", data=A.astype(">f4"))
        g.create_dataset("f64", data=A.astype("<f8"))
        g.create_dataset("f16", data=A.astype("<f2"))
        space = h5py.h5s.create_simple((2, 3))
        plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        plist.set_layout(h5py.h5d.COMPACT)
        d = h5py.h5d.create(g.id, b"compact", h5py.h5t.IEEE_F32LE, space, plist)
        d.write(h5py.h5s.ALL, h5py.h5s.ALL, A.astype("<f4"))
    with h5py.File(os.path.join(out, "userblock.h5"), "w", userblock_size=512) as f:
        content(f)
    with h5py.File(os.path.join(out, "continuation.h5"), "w") as f:
        content(f)
        for i in range(40):
            f["g"].attrs["a%02d" % i] = np.bytes_(b"%02d" % i * 100)
    with h5py.File(os.path.join(out, "many.h5"), "w") as f:
        g = f.create_group("g")
        for i in range(300):
            g.create_dataset("d%03d" % i, data=(A + i).astype("<f4"))
    with h5py.File(os.path.join(out, "compressed.h5"), "w") as f:
        f.create_group("g").create_dataset("x", data=A.astype("<f4"), compression="gzip")
    with h5py.File(os.path.join(out, "dense.h5"), "w", libver="latest") as f:
        g = f.create_group("g")
        for i in range(20):
            g.create_dataset("d%02d" % i, data=A.astype("<f4"))
    with h5py.File(os.path.join(out, "unwritten.h5"), "w") as f:
        f.create_group("g").create_dataset("x", shape=(2, 3), dtype="<f4")
    with h5py.File(os.path.join(out, "v108.h5"), "w", libver=("v108", "v108")) as f:
        content(f)
    with h5py.File(os.path.join(out, "continuation_latest.h5"), "w", libver="latest") as f:
        content(f)
        for i in range(4):
            f["g"].attrs["a%02d" % i] = np.bytes_(b"%02d" % i * 100)
    with h5py.File(os.path.join(out, "chunked.h5"), "w") as f:
        f.create_group("g").create_dataset("x", data=A.astype("<f4"), chunks=(1, 3))
    with h5py.File(os.path.join(out, "dense_attrs.h5"), "w", libver="latest") as f:
        content(f)
        for i in range(20):
            f["g"].attrs["a%02d" % i] = np.bytes_(b"%02d" % i)
    with h5py.File(os.path.join(out, "committed.h5"), "w") as f:
        f["t"] = np.dtype("<f4")
        g = f.create_group("g")
        g.create_dataset("x", data=A.astype("<f4"), dtype=f["t"])
        g.attrs.create("names", data=np.array([1.0], "<f4"), dtype=f["t"])
    for suffix, libver in (("", "earliest"), ("_latest", "latest")):
        with h5py.File(os.path.join(out, "soft%s.h5" % suffix), "w", libver=libver) as f:
            content(f)
            f["g"]["y"] = h5py.SoftLink("/g/x")
        with h5py.File(os.path.join(out, "external%s.h5" % suffix), "w", libver=libver) as f:
            content(f)
            f["g"]["y"] = h5py.ExternalLink("other.h5", "/x")
    with h5py.File(os.path.join(out, "source.h5"), "w") as f:
        f.create_dataset("x", data=A.astype("<f4"))
    layout = h5py.VirtualLayout(shape=(2, 3), dtype="<f4")
    layout[:] = h5py.VirtualSource("source.h5", "x", shape=(2, 3))
    with h5py.File(os.path.join(out, "virtual.h5"), "w") as f:
        f.create_group("g").create_virtual_dataset("x", layout)


if __name__ == "__main__":
    main(sys.argv[1])
