"""Writes a weights file exactly as Keras 2.11 writes one, for layers described in a JSON spec.

Usage: keras_h5_reference.py SPEC.json OUT.h5 [--h5py2] [--model-file]

The saving functions below follow keras/saving/legacy/hdf5_format.py (save_weights_to_hdf5_group,
save_subset_weights_to_hdf5_group, save_attributes_to_hdf5_group, _legacy_weights) step by step; Keras itself
is not packaged in Debian, h5py is. Layers are stand-ins with `name`, `trainable_weights` and
`non_trainable_weights`, as Keras's code reads them.

--h5py2      store strings as h5py 2.x did (numpy fixed-length bytes), as in the published ImageNet files.
--model-file a whole-model file as save_model_to_hdf5 writes it: weights under `model_weights`.

SPEC: {"layers": [{"name": "dense", "weights": [{"name": "dense/kernel:0", "trainable": true,
                   "shape": [2, 3], "values": [...]}]}]}
"""
import json
import sys

import h5py
import numpy as np

HDF5_OBJECT_HEADER_LIMIT = 64512
KERAS_VERSION = "2.11.0"
H5PY2 = "--h5py2" in sys.argv


class Variable:
    def __init__(self, spec):
        self.name = spec["name"]
        self.value = np.asarray(spec["values"], dtype=np.float32).reshape(spec["shape"])


class Layer:
    def __init__(self, spec):
        self.name = spec["name"]
        weights = [(w["trainable"], Variable(w)) for w in spec["weights"]]
        self.trainable_weights = [v for t, v in weights if t]
        self.non_trainable_weights = [v for t, v in weights if not t]


def set_attr(group, name, value):
    # h5py 2.x turned bytes and lists of bytes into numpy fixed-length strings; h5py 3.x keeps them variable-length.
    group.attrs[name] = np.asarray(value) if H5PY2 and not (isinstance(value, list) and not value) else value


def _legacy_weights(layer):
    return layer.trainable_weights + layer.non_trainable_weights


def save_attributes_to_hdf5_group(group, name, data):
    bad_attributes = [x for x in data if len(x) > HDF5_OBJECT_HEADER_LIMIT]
    if bad_attributes:
        raise RuntimeError("attributes larger than %d bytes: %s" % (HDF5_OBJECT_HEADER_LIMIT, bad_attributes))
    data_npy = np.asarray(data)
    num_chunks = 1
    chunked_data = np.array_split(data_npy, num_chunks)
    while any(x.nbytes > HDF5_OBJECT_HEADER_LIMIT for x in chunked_data):
        num_chunks += 1
        chunked_data = np.array_split(data_npy, num_chunks)
    if num_chunks > 1:
        for chunk_id, chunk_data in enumerate(chunked_data):
            group.attrs["%s%d" % (name, chunk_id)] = chunk_data
    else:
        set_attr(group, name, data)


def save_subset_weights_to_hdf5_group(f, weights):
    weight_values = [w.value for w in weights]
    weight_names = [w.name.encode("utf8") for w in weights]
    save_attributes_to_hdf5_group(f, "weight_names", weight_names)
    for name, val in zip(weight_names, weight_values):
        param_dset = f.create_dataset(name, val.shape, dtype=val.dtype)
        if not val.shape:
            param_dset[()] = val
        else:
            param_dset[:] = val


def save_weights_to_hdf5_group(f, layers):
    save_attributes_to_hdf5_group(f, "layer_names", [layer.name.encode("utf8") for layer in layers])
    set_attr(f, "backend", "tensorflow".encode("utf8"))
    set_attr(f, "keras_version", str(KERAS_VERSION).encode("utf8"))
    for layer in sorted(layers, key=lambda x: x.name):
        g = f.create_group(layer.name)
        save_subset_weights_to_hdf5_group(g, _legacy_weights(layer))


def main(spec_path, out_path):
    with open(spec_path) as spec_file:
        spec = json.load(spec_file)
    layers = [Layer(layer) for layer in spec["layers"]]
    with h5py.File(out_path, "w") as f:
        if "--model-file" in sys.argv:
            # save_model_to_hdf5: metadata values that are str are stored as str, the config as JSON bytes.
            f.attrs["backend"] = "tensorflow"
            f.attrs["keras_version"] = KERAS_VERSION
            f.attrs["model_config"] = json.dumps({"class_name": "Functional"}).encode("utf8")
            f = f.create_group("model_weights")
        save_weights_to_hdf5_group(f, layers)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
