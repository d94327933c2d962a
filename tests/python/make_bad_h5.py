"""Writes a malformed Keras weights file of the given kind, for tl's error-handling tests.

Usage: make_bad_h5.py KIND OUT.h5
KIND: no_layer_names | int_dataset | string_dataset | missing_dataset | numeric_weight_names | missing_group
"""
import sys

import h5py
import numpy as np


def keras_header(f, layer_names):
    f.attrs["layer_names"] = [n.encode() for n in layer_names]
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.11.0"


def main(kind, path):
    with h5py.File(path, "w") as f:
        if kind == "no_layer_names":
            f.create_group("dense")
            return
        if kind == "missing_group":
            keras_header(f, ["dense"])
            return
        keras_header(f, ["dense"])
        g = f.create_group("dense")
        if kind == "numeric_weight_names":
            g.attrs["weight_names"] = np.arange(2.0)
            return
        g.attrs["weight_names"] = [b"dense/kernel:0", b"dense/bias:0"]
        if kind == "missing_dataset":
            g.create_dataset("dense/kernel:0", data=np.zeros((5, 2), np.float32))
        elif kind == "int_dataset":
            g.create_dataset("dense/kernel:0", data=np.zeros((5, 2), np.int32))
            g.create_dataset("dense/bias:0", data=np.zeros((2,), np.int32))
        elif kind == "string_dataset":
            g.create_dataset("dense/kernel:0", data=np.array([b"abc", b"def"]))
            g.create_dataset("dense/bias:0", data=np.zeros((2,), np.float32))
        else:
            raise SystemExit("unknown kind " + kind)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
