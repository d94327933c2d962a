"""Prints everything h5py sees in an HDF5 file, one line per object and attribute, in name order.

Usage: h5_dump.py FILE
Attributes show their HDF5 type as h5py wrote it (string kind, length, padding, character set), their shape and
value; datasets show dtype, shape and an md5 of their bytes. Two files with equal dumps look the same to Keras.
"""
import hashlib
import sys

import h5py
import numpy as np


def type_text(tid):
    if isinstance(tid, h5py.h5t.TypeStringID):
        kind = "vlen" if tid.is_variable_str() else "fixed%d" % tid.get_size()
        return "string(%s, pad=%d, cset=%d)" % (kind, tid.get_strpad(), tid.get_cset())
    return "class%d(size=%d)" % (tid.get_class(), tid.get_size())


def value_text(value):
    if isinstance(value, np.ndarray):
        return repr([v.decode() if isinstance(v, bytes) else v for v in value.tolist()])
    return repr(value.decode() if isinstance(value, bytes) else value)


def dump_attrs(obj, path):
    for name in sorted(obj.attrs):
        attr = obj.attrs.get_id(name)
        space = attr.get_space()
        print("attr %s:%s %s space=%d shape=%s value=%s" % (
            path, name, type_text(attr.get_type()), space.get_simple_extent_type(), attr.shape,
            value_text(obj.attrs[name])))


def dump(path):
    with h5py.File(path, "r") as f:
        dump_attrs(f, "/")

        def visit(name, obj):
            cset = f.id.links.get_info(name.encode()).cset
            if isinstance(obj, h5py.Dataset):
                data = np.asarray(obj)
                print("dataset /%s link_cset=%d dtype=%s shape=%s md5=%s" % (
                    name, cset, obj.dtype.str, obj.shape, hashlib.md5(data.tobytes()).hexdigest()))
            else:
                print("group /%s link_cset=%d" % (name, cset))
            dump_attrs(obj, "/" + name)

        f.visititems(visit)


if __name__ == "__main__":
    dump(sys.argv[1])
