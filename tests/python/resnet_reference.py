"""Reference ResNets for tl's tests, built by Keras's own keras_applications/resnet_common.py.

Keras itself (TensorFlow) is not packaged in Debian; keras_applications is, and it takes the Keras modules it
builds with as arguments (`backend=, layers=, models=, utils=`). This script hands it minimal numpy stand-ins,
so the architecture (layers, names, wiring, strides) is Keras's code, and the arithmetic is plain numpy in
float64, sharing nothing with tl or LibTorch.

Usage:
  resnet_reference.py parity OUT_DIR    seeded weights as Keras's save_weights writes them (OUT_DIR/top.h5,
                                        notop.h5) and, per case, the input (<case>.x.bin), Keras's output
                                        (<case>.y.bin, float32) and model.layers' names (<case>.layers.txt)
  resnet_reference.py counts            JSON: parameter counts and layer counts of ResNet50/101/152
  resnet_reference.py preprocess OUT_DIR   imagenet_utils.preprocess_input in the three modes
  resnet_reference.py decode OUT_DIR    imagenet_utils.decode_predictions on a made-up class index
"""
import json
import os
import sys
import zlib
from collections import defaultdict

import h5py
import numpy as np
from keras_applications import imagenet_utils, resnet_common

CASES = {  # name: (ResNet50 keyword arguments, input shape with batch)
    "top224": (dict(include_top=True), (1, 224, 224, 3)),
    "top64": (dict(include_top=True, input_shape=(64, 64, 3)), (2, 64, 64, 3)),
    "none64": (dict(include_top=False, input_shape=(64, 64, 3)), (2, 64, 64, 3)),
    "avg64": (dict(include_top=False, input_shape=(64, 64, 3), pooling="avg"), (2, 64, 64, 3)),
    "max64": (dict(include_top=False, input_shape=(64, 64, 3), pooling="max"), (2, 64, 64, 3)),
    "max224": (dict(include_top=False, pooling="max"), (1, 224, 224, 3)),
}


# ---- the symbolic graph: tensors remember the layer call (node) that made them ----

class Node:
    def __init__(self, layer, inputs):
        self.layer, self.inputs = layer, inputs


class Tensor:
    def __init__(self, node, shape):
        self.node, self.shape = node, tuple(shape)


def seeded(name):
    return RNG(zlib.crc32(name.encode()))


class ShapesOnly:
    """Stands in for the seeded generator when only shapes are needed: zero-cost arrays of the right shape."""

    def __init__(self, seed):
        pass

    def normal(self, loc, scale, size):
        return np.broadcast_to(np.float32(0), size)

    uniform = normal


RNG = np.random.RandomState


class Layer:
    def __init__(self, name=None, **kwargs):
        self.name = name or "%s_%d" % (type(self).__name__.lower(), id(self))
        self.weights = []  # (weight name, float32 array), Keras's order: trainable first

    def __call__(self, inputs):
        shapes = [t.shape for t in inputs] if isinstance(inputs, list) else inputs.shape
        if not self.weights:
            self.build(shapes)
        return Tensor(Node(self, inputs if isinstance(inputs, list) else [inputs]), self.output_shape(shapes))

    def build(self, shape):
        pass

    def add_weight(self, name, value):
        self.weights.append((self.name + "/" + name + ":0", np.asarray(value, np.float32)))

    def values(self):
        return [w.astype(np.float64) for _, w in self.weights]


class InputLayer(Layer):
    def output_shape(self, shape):
        return shape


def Input(shape):
    layer = InputLayer(name="input_1")
    return Tensor(Node(layer, []), (None,) + tuple(shape))


def same_padding(size, kernel, stride):
    total = max((-(-size // stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv2D(Layer):
    def __init__(self, filters, kernel_size, strides=1, padding="valid", use_bias=True, name=None):
        super().__init__(name)
        self.filters, self.k, self.s, self.padding, self.use_bias = filters, kernel_size, strides, padding.lower(), use_bias

    def build(self, shape):
        rng, fan_in = seeded(self.name), self.k * self.k * shape[-1]
        self.add_weight("kernel", rng.normal(0, np.sqrt(2.0 / fan_in), (self.k, self.k, shape[-1], self.filters)))
        if self.use_bias:
            self.add_weight("bias", rng.uniform(-0.1, 0.1, self.filters))

    def out_len(self, n):
        if n is None:
            return None
        return -(-n // self.s) if self.padding == "same" else (n - self.k) // self.s + 1

    def output_shape(self, shape):
        return (shape[0], self.out_len(shape[1]), self.out_len(shape[2]), self.filters)

    def forward(self, x):
        kernel = self.values()[0]
        if self.padding == "same":
            x = np.pad(x, ((0, 0), same_padding(x.shape[1], self.k, self.s), same_padding(x.shape[2], self.k, self.s), (0, 0)))
        oh, ow = (x.shape[1] - self.k) // self.s + 1, (x.shape[2] - self.k) // self.s + 1
        y = np.zeros((x.shape[0], oh, ow, self.filters))
        for i in range(self.k):
            for j in range(self.k):
                patch = x[:, i:i + self.s * (oh - 1) + 1:self.s, j:j + self.s * (ow - 1) + 1:self.s, :]
                y += patch @ kernel[i, j]
        return y + self.values()[1] if self.use_bias else y


class BatchNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, name=None):
        super().__init__(name)
        assert axis in (3, -1)
        self.epsilon = epsilon

    def build(self, shape):
        rng, c = seeded(self.name), shape[-1]
        # A small gamma closing each residual branch, as trained ResNets have, keeps activations O(1) through the
        # 16 additions (gamma ~ 1 there grows them ~2x per block) and the softmax away from saturation.
        low, high = (0.1, 0.3) if self.name.endswith("_3_bn") else (0.8, 1.2)
        self.add_weight("gamma", rng.uniform(low, high, c))
        self.add_weight("beta", rng.uniform(-0.1, 0.1, c))
        self.add_weight("moving_mean", rng.uniform(-0.1, 0.1, c))
        self.add_weight("moving_variance", rng.uniform(0.5, 1.5, c))

    def output_shape(self, shape):
        return shape

    def forward(self, x):
        gamma, beta, mean, var = self.values()
        return (x - mean) / np.sqrt(var + np.float32(self.epsilon)) * gamma + beta


class Activation(Layer):
    def __init__(self, activation, name=None):
        super().__init__(name)
        self.activation = activation

    def output_shape(self, shape):
        return shape

    def forward(self, x):
        return apply_activation(self.activation, x)


def apply_activation(name, x):
    if name == "relu":
        return np.maximum(x, 0)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert name in (None, "linear"), name
    return x


class ZeroPadding2D(Layer):
    def __init__(self, padding, name=None):
        super().__init__(name)
        self.padding = padding

    def output_shape(self, shape):
        (t, b), (l, r) = self.padding
        return (shape[0], None if shape[1] is None else shape[1] + t + b, None if shape[2] is None else shape[2] + l + r, shape[3])

    def forward(self, x):
        return np.pad(x, ((0, 0),) + tuple(self.padding) + ((0, 0),))


class MaxPooling2D(Layer):
    def __init__(self, pool_size, strides=None, name=None):
        super().__init__(name)
        self.k, self.s = pool_size, strides or pool_size

    def output_shape(self, shape):
        n = lambda d: None if d is None else (d - self.k) // self.s + 1
        return (shape[0], n(shape[1]), n(shape[2]), shape[3])

    def forward(self, x):
        oh, ow = (x.shape[1] - self.k) // self.s + 1, (x.shape[2] - self.k) // self.s + 1
        windows = [x[:, i:i + self.s * (oh - 1) + 1:self.s, j:j + self.s * (ow - 1) + 1:self.s, :]
                   for i in range(self.k) for j in range(self.k)]
        return np.max(windows, axis=0)


class Add(Layer):
    def output_shape(self, shapes):
        return shapes[0]

    def forward(self, *xs):
        return sum(xs)


class GlobalAveragePooling2D(Layer):
    def output_shape(self, shape):
        return (shape[0], shape[3])

    def forward(self, x):
        return x.mean(axis=(1, 2))


class GlobalMaxPooling2D(GlobalAveragePooling2D):
    def forward(self, x):
        return x.max(axis=(1, 2))


class Dense(Layer):
    def __init__(self, units, activation=None, name=None):
        super().__init__(name)
        self.units, self.activation = units, activation

    def build(self, shape):
        rng = seeded(self.name)
        self.add_weight("kernel", rng.normal(0, np.sqrt(1.0 / shape[-1]), (shape[-1], self.units)))
        self.add_weight("bias", rng.uniform(-0.1, 0.1, self.units))

    def output_shape(self, shape):
        return (shape[0], self.units)

    def forward(self, x):
        kernel, bias = self.values()
        return apply_activation(self.activation, x @ kernel + bias)


class Model:
    """keras.Model(inputs, outputs, name): model.layers ordered as Keras's functional._map_graph_network."""

    def __init__(self, inputs, outputs, name=None):
        self.inputs, self.output, self.name = inputs if isinstance(inputs, list) else [inputs], outputs, name
        self.layers, self.nodes = map_graph_network(self.inputs, outputs)

    def predict(self, x):
        values = {id(self.inputs[0].node): x}
        for node in self.nodes:
            if id(node) not in values:
                values[id(node)] = node.layer.forward(*[values[id(t.node)] for t in node.inputs])
        return values[id(self.output.node)]

    def count_params(self):
        return sum(w.size for layer in self.layers for _, w in layer.weights)


def map_graph_network(inputs, output):
    """Keras's _map_graph_network / _build_map: depth-first from the output, depths pushed down to inputs,
    layers listed by decreasing depth, ties in order of first discovery."""
    finished, decreasing_depth, layer_indices = set(), [], {}

    def build_map(tensor):
        node = tensor.node
        if id(node) in finished:
            return
        layer_indices.setdefault(node.layer, len(layer_indices))
        for t in node.inputs:
            build_map(t)
        finished.add(id(node))
        decreasing_depth.append(node)

    build_map(output)
    node_depths, layer_depths = {}, {}
    for node in reversed(decreasing_depth):
        depth = max(node_depths.setdefault(node, 0), layer_depths.get(node.layer, 0))
        layer_depths[node.layer] = node_depths[node] = depth
        for t in node.inputs:
            node_depths[t.node] = max(depth + 1, node_depths.get(t.node, 0))
    for t in inputs:
        if t.node.layer not in layer_depths:
            layer_depths[t.node.layer], layer_indices[t.node.layer], node_depths[t.node] = 0, -1, 0
    by_depth = defaultdict(list)
    for layer, depth in layer_depths.items():
        by_depth[depth].append(layer)
    layers = [l for d in sorted(by_depth, reverse=True) for l in sorted(by_depth[d], key=lambda l: layer_indices[l])]
    nodes_by_depth = defaultdict(list)
    for node, depth in node_depths.items():
        nodes_by_depth[depth].append(node)
    return layers, [n for d in sorted(nodes_by_depth, reverse=True) for n in nodes_by_depth[d]]


class Namespace:
    def __init__(self, **members):
        self.__dict__.update(members)


backend = Namespace(image_data_format=lambda: "channels_last", is_keras_tensor=lambda t: isinstance(t, Tensor),
                    floatx=lambda: "float32")
layers = Namespace(Input=Input, Conv2D=Conv2D, BatchNormalization=BatchNormalization, Activation=Activation,
                   ZeroPadding2D=ZeroPadding2D, MaxPooling2D=MaxPooling2D, Add=Add, Dense=Dense,
                   GlobalAveragePooling2D=GlobalAveragePooling2D, GlobalMaxPooling2D=GlobalMaxPooling2D)
models = Namespace(Model=Model)
MODULES = dict(backend=backend, layers=layers, models=models, utils=Namespace(get_source_inputs=lambda t: [t]))


def build(constructor=resnet_common.ResNet50, **kwargs):
    return constructor(weights=None, **kwargs, **MODULES)


def save_weights(model, path):
    """Keras's save_weights_to_hdf5_group, strings stored as h5py 2.x did in the published ImageNet files."""
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.asarray([l.name.encode() for l in model.layers])
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.11.0"
        for layer in model.layers:
            g = f.create_group(layer.name)
            g.attrs["weight_names"] = np.asarray([n.encode() for n, _ in layer.weights]) if layer.weights else []
            for name, value in layer.weights:
                g.create_dataset(name, data=value)


def parity(out_dir):
    saved = set()
    for case, (kwargs, shape) in CASES.items():
        model = build(**kwargs)
        weights_file = "top" if kwargs["include_top"] else "notop"
        if weights_file not in saved:
            save_weights(model, os.path.join(out_dir, weights_file + ".h5"))
            saved.add(weights_file)
        x = np.random.RandomState(zlib.crc32(case.encode())).uniform(-1, 1, shape).astype(np.float32)
        y = model.predict(x.astype(np.float64))
        x.tofile(os.path.join(out_dir, case + ".x.bin"))
        y.astype(np.float32).tofile(os.path.join(out_dir, case + ".y.bin"))
        with open(os.path.join(out_dir, case + ".layers.txt"), "w") as f:
            f.write("\n".join(l.name for l in model.layers) + "\n")
        print(case, weights_file, y.shape, "max |y| = %g" % np.abs(y).max())


def counts():
    global RNG
    RNG, out = ShapesOnly, {}
    for name in ("ResNet50", "ResNet101", "ResNet152"):
        for top in (True, False):
            model = build(getattr(resnet_common, name), include_top=top)
            frozen = sum(w.size for l in model.layers for n, w in l.weights if "moving_" in n)
            out["%s_%s" % (name, "top" if top else "notop")] = dict(
                total=int(model.count_params()), non_trainable=int(frozen), layers=len(model.layers))
    print(json.dumps(out))


def preprocess(out_dir):
    x = np.random.RandomState(7).randint(0, 256, (2, 5, 4, 3)).astype(np.float32)
    x.tofile(os.path.join(out_dir, "image.bin"))
    for mode in ("caffe", "tf", "torch"):
        y = imagenet_utils.preprocess_input(x.copy(), data_format="channels_last", mode=mode, backend=backend)
        np.ascontiguousarray(y, dtype=np.float32).tofile(os.path.join(out_dir, mode + ".bin"))


def decode(out_dir):
    """decode_predictions with Keras's code; its get_file hands back a made-up index with JSON escapes."""
    index = {str(i): ["n%08d" % (1000 + 7 * i), 'class_%d "quoted" \\ caf\u00e9 \U0001F418' % i] for i in range(1000)}
    index_path = os.path.join(out_dir, "class_index.json")
    with open(index_path, "w") as f:
        json.dump(index, f)  # ensure_ascii: \u00e9 and a surrogate pair for the elephant
    preds = np.random.RandomState(3).uniform(0, 1, (2, 1000)).astype(np.float32)
    preds.tofile(os.path.join(out_dir, "preds.bin"))
    utils = Namespace(get_file=lambda *args, **kwargs: index_path)
    decoded = imagenet_utils.decode_predictions(preds, top=4, backend=backend, utils=utils)
    with open(os.path.join(out_dir, "decoded.txt"), "w", encoding="utf-8") as f:
        for row in decoded:
            for wnid, description, score in row:
                f.write("%s\t%s\t%.9g\n" % (wnid, description, score))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "counts":
        counts()
    else:
        {"parity": parity, "preprocess": preprocess, "decode": decode}[command](sys.argv[2])
