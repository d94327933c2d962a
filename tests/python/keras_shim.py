"""Numpy stand-ins for the Keras modules that Keras's application code builds with.

keras_applications (Debian's 1.0.8) takes the Keras modules it builds with as keyword arguments
(`backend=, layers=, models=, utils=`); this module provides them, so the architecture (layers, names, wiring,
strides, paddings) is Keras's own code while the arithmetic is plain numpy in float64, sharing nothing with tl or
LibTorch. The same stand-ins carry tf.keras 2.x's API (GlobalAveragePooling2D(keepdims), Rescaling, Normalization,
operators on tensors becoming TFOpLambda layers), for the ports of tf.keras-only families.

What it reproduces of Keras:
- automatic layer names: tf.keras 2.x numbers per class from 0 (`conv2d`, `conv2d_1`), Keras 2.2.4 from 1
  (`conv2d_1`, `conv2d_2`); see `clear_session(zero_based=...)`. Inputs are `input_1` in both.
- weight names: `<name scopes>/<layer name>/<weight>:0`, as tf.keras 2.x's Layer._name_scope and Keras 2.2.4's
  K.name_scope(layer.name) both produce (NASNet builds inside name scopes).
- `model.layers` order: functional._map_graph_network.
- `save_weights`: hdf5_format.save_weights_to_hdf5_group (layer groups sorted by name, attributes split in chunks
  past 64512 bytes, dataset paths taken from `weight_names`, so `conv1/conv` becomes nested groups).
- seeded weights, deterministic per weight name (`seed_weights`), and BatchNormalization's moving statistics
  fitted to the batch that runs through the model (`predict(calibrate=True)`), so that activations stay O(1) at
  any depth and the network stays well conditioned: a float32 implementation then agrees with this float64 one to
  ~1e-5 (`predict(dtype=np.float32)` measures it), where random statistics let deep nets drift by 1e-2.
"""
import contextlib
import math
import re
import zlib
from collections import Counter, defaultdict

import numpy as np

# ---------------------------------------------------------------------------------------------------------------
# Session: automatic names and name scopes
# ---------------------------------------------------------------------------------------------------------------


_UIDS = defaultdict(int)  # backend.get_uid's counters (one based in every Keras: `input_1`)


class _Session:
    zero_based = True  # tf.keras 2.x; False: Keras 2.2.4
    dtype = np.float64  # of the forward pass (float32 only to estimate a float32 implementation's error)
    counters = defaultdict(int)
    observed = set()  # explicit names, which TFOpLambda's generated names avoid
    scopes = []


def clear_session(zero_based=True):
    """keras.backend.clear_session(): names restart; zero_based=False numbers as Keras 2.2.4 did."""
    _Session.zero_based = zero_based
    _Session.counters = defaultdict(int)
    _Session.observed = set()
    _Session.scopes = []
    _UIDS.clear()


def to_snake_case(name):
    intermediate = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


def unique_object_name(base, zero_based=None, avoid_observed=False):
    """backend.unique_object_name: `base`, `base_1`, ... (zero based) or `base_1`, `base_2`, ... (one based)."""
    zero_based = _Session.zero_based if zero_based is None else zero_based
    while True:
        number = _Session.counters[base]
        _Session.counters[base] += 1
        if zero_based:
            name = base + "_" + str(number) if number else base
        else:
            name = base + "_" + str(number + 1)
        if not (avoid_observed and name in _Session.observed):
            return name


@contextlib.contextmanager
def name_scope(name):
    _Session.scopes.append(name)
    try:
        yield name
    finally:
        _Session.scopes.pop()


# ---------------------------------------------------------------------------------------------------------------
# The symbolic graph: a tensor remembers the call (node) that made it
# ---------------------------------------------------------------------------------------------------------------


class Node:
    def __init__(self, layer, inputs, as_list):
        self.layer, self.inputs, self.as_list = layer, inputs, as_list
        self.output = None


class Tensor:
    def __init__(self, node, shape):
        self.node, self.shape = node, tuple(shape)

    # Operators on symbolic tensors become TFOpLambda layers in tf.keras 2.x (MobileNetV3's hard_sigmoid).
    def __add__(self, other):
        return TFOpLambda("__operators__.add", lambda x, c: x + c, other)(self)

    def __mul__(self, other):
        return TFOpLambda("math.multiply", lambda x, c: x * c, other)(self)

    def __truediv__(self, other):  # tf.keras 2.9's EfficientNet
        return TFOpLambda("math.truediv", lambda x, c: x / c, other)(self)

    __radd__, __rmul__ = __add__, __mul__

    def __repr__(self):
        return "<Tensor %s from %s>" % (self.shape, self.node.layer.name)


def int_shape(t):
    return t.shape


def is_keras_tensor(t):
    return isinstance(t, Tensor)


def get_source_inputs(t):
    return [t]


# ---------------------------------------------------------------------------------------------------------------
# Weights: shapes when built, values when first needed (seeded by name)
# ---------------------------------------------------------------------------------------------------------------


class Weight:
    def __init__(self, name, shape, trainable, init, dtype=np.float32):
        self.name, self.shape, self.trainable, self.init, self.dtype = name, tuple(shape), trainable, init, dtype
        self.value = None

    @property
    def size(self):
        return math.prod(self.shape)


def seeded(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def uniform(rng, low, high, shape):
    value = rng.random(shape, dtype=np.float32)
    value *= np.float32(high - low)
    value += np.float32(low)
    return value


def initial_value(weight, role):
    """Seeded values by kind. role "residual": the layer closes a residual branch (feeds an Add), which starts
    small as in trained nets; "logits": the layer makes the model's logits, spread over a few units so that the
    softmax is far from uniform."""
    rng, kind, shape = seeded(weight.name), weight.init[0], weight.shape
    damped = role == "residual"
    if kind in ("kernel", "dense"):  # He uniform keeps the second moment through ReLUs (and is fast to draw)
        std = np.sqrt(weight.init[1] / weight.init[2]) * {"residual": 0.3, "logits": 10.0}.get(role, 1.0)
        value = uniform(rng, -std * np.sqrt(3), std * np.sqrt(3), shape)
    elif kind == "gamma":  # small on the BN closing a residual branch, as trained nets have
        value = uniform(rng, 0.2, 0.4, shape) if damped else uniform(rng, 0.8, 1.2, shape)
    elif kind in ("bias", "beta", "moving_mean"):
        value = uniform(rng, -0.1, 0.1, shape)
    elif kind == "moving_variance":
        value = uniform(rng, 0.5, 1.5, shape)
    elif kind == "zeros":
        value = np.zeros(shape)
    elif kind == "ones":
        value = np.ones(shape)
    else:
        raise ValueError(kind)
    return np.asarray(value, weight.dtype)


# ---------------------------------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------------------------------


def pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def same_padding(size, kernel, stride):
    """TF 'SAME': the odd extra pixel goes at the bottom/right."""
    total = max((-(-size // stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def out_len(n, k, s, padding):
    if n is None:
        return None
    return -(-n // s) if padding == "same" else (n - k) // s + 1


ACTIVATIONS = {
    None: lambda x: x,
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "swish": lambda x: x / (1 + np.exp(-x)),
    "tanh": np.tanh,
    # tf.keras 2.x's hard_sigmoid; Keras 3 and MobileNetV3's own helper use relu6(x + 3) / 6
    "hard_sigmoid": lambda x: np.clip(0.2 * x + 0.5, 0, 1),
    "hard_swish": lambda x: x * np.clip(x + 3, 0, 6) / 6,
    "softmax": lambda x: softmax(x),
}


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def activation_name(a):
    return "linear" if a is None else a


class Layer:
    def __init__(self, name=None, trainable=True, dtype=None, **kwargs):
        if name:
            _Session.observed.add(name)
        self.name = name or unique_object_name(to_snake_case(type(self).__name__))
        self.trainable, self.weights, self.built, self.scope = trainable, [], False, ""

    def __call__(self, inputs, **kwargs):
        as_list = isinstance(inputs, (list, tuple))
        tensors = list(inputs) if as_list else [inputs]
        shapes = [t.shape for t in tensors] if as_list else tensors[0].shape
        if not self.built:
            self.scope = "".join(s + "/" for s in _Session.scopes)
            self.build(shapes)
            self.built = True
        node = Node(self, tensors, as_list)
        node.output = Tensor(node, self.compute_output_shape(shapes))
        return node.output

    def build(self, shape):
        pass

    def add_weight(self, name, shape, trainable=True, init=("zeros",), dtype=np.float32):
        weight = Weight(self.scope + self.name + "/" + name + ":0", shape, trainable, init, dtype)
        self.weights.append(weight)
        return weight

    def ordered_weights(self):
        """Keras's `_legacy_weights` (the HDF5 order): trainable first, then the others."""
        return [w for w in self.weights if w.trainable] + [w for w in self.weights if not w.trainable]

    def values(self):
        return [w.value.astype(_Session.dtype) for w in self.weights]

    def compute_output_shape(self, shape):
        return shape[0] if isinstance(shape, list) else shape

    def forward(self, inputs):
        return self.call(inputs)

    def get_config(self):
        return {}


class InputLayer(Layer):
    def __init__(self, shape, name=None):
        super().__init__(name=name or "input_" + str(_uid("input")))
        self.batch_input_shape = (None,) + tuple(shape)

    def get_config(self):
        return {"batch_input_shape": list(self.batch_input_shape)}


def _uid(prefix):
    """backend.get_uid: one-based in every Keras version (inputs are `input_1`, `input_2`, ...)."""
    _UIDS[prefix] += 1
    return _UIDS[prefix]


def Input(shape=None, tensor=None, name=None, batch_size=None, dtype=None, **kwargs):
    if tensor is not None:
        return tensor
    layer = InputLayer(shape, name)
    node = Node(layer, [], False)
    node.output = Tensor(node, layer.batch_input_shape)
    return node.output


class _Conv(Layer):
    def __init__(self, kernel_size, strides=1, padding="valid", activation=None, use_bias=True, data_format=None,
                 dilation_rate=1, name=None, **kwargs):
        super().__init__(name, **kwargs)
        assert pair(dilation_rate) == (1, 1) and data_format in (None, "channels_last")
        self.kernel_size, self.strides, self.padding = pair(kernel_size), pair(strides), padding.lower()
        self.activation, self.use_bias = activation_name(activation), use_bias

    def compute_output_shape(self, shape):
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        return (shape[0], out_len(shape[1], kh, sh, self.padding), out_len(shape[2], kw, sw, self.padding),
                self.out_channels(shape[-1]))

    def pad(self, x, value=0.0):
        """Explicit TF 'SAME' padding, so every convolution and pooling then runs 'valid'."""
        if self.padding != "same":
            return x
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        pads = ((0, 0), same_padding(x.shape[1], kh, sh), same_padding(x.shape[2], kw, sw), (0, 0))
        return np.pad(x, pads, constant_values=value)

    def taps(self, x):
        """(i, j, strided view of x under tap (i, j)) for every kernel tap, on an already padded x."""
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        oh, ow = (x.shape[1] - kh) // sh + 1, (x.shape[2] - kw) // sw + 1
        for i in range(kh):
            for j in range(kw):
                yield i, j, x[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :]

    def conv_config(self):
        return {"kernel_size": list(self.kernel_size), "strides": list(self.strides), "padding": self.padding,
                "data_format": "channels_last", "dilation_rate": [1, 1], "activation": self.activation,
                "use_bias": self.use_bias}


def conv2d(conv, x, kernel):
    y = 0
    for i, j, patch in conv.taps(conv.pad(x)):
        y = y + patch @ kernel[i, j]
    return y


def depthwise(conv, x, kernel):
    """TF's depthwise: output channel c * depth_multiplier + m comes from input channel c."""
    y = 0
    for i, j, patch in conv.taps(conv.pad(x)):
        y = y + patch[..., :, None] * kernel[i, j]
    return y.reshape(y.shape[:3] + (-1,))


class Conv2D(_Conv):
    def __init__(self, filters, kernel_size, strides=1, padding="valid", groups=1, **kwargs):
        super().__init__(kernel_size, strides, padding, **kwargs)
        assert groups == 1
        self.filters = filters

    def out_channels(self, c):
        return self.filters

    def build(self, shape):
        kh, kw = self.kernel_size
        self.add_weight("kernel", (kh, kw, shape[-1], self.filters), init=("kernel", 2.0, kh * kw * shape[-1]))
        if self.use_bias:
            self.add_weight("bias", (self.filters,), init=("bias",))

    def call(self, x):
        w = self.values()
        y = conv2d(self, x, w[0])
        return ACTIVATIONS[self.activation](y + w[1] if self.use_bias else y)

    def get_config(self):
        return dict(filters=self.filters, groups=1, **self.conv_config())


class DepthwiseConv2D(_Conv):
    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, **kwargs):
        super().__init__(kernel_size, strides, padding, **kwargs)
        self.depth_multiplier = depth_multiplier

    def out_channels(self, c):
        return c * self.depth_multiplier

    def build(self, shape):
        kh, kw = self.kernel_size
        self.add_weight("depthwise_kernel", (kh, kw, shape[-1], self.depth_multiplier), init=("kernel", 2.0, kh * kw))
        if self.use_bias:
            self.add_weight("bias", (shape[-1] * self.depth_multiplier,), init=("bias",))

    def call(self, x):
        w = self.values()
        y = depthwise(self, x, w[0])
        return ACTIVATIONS[self.activation](y + w[1] if self.use_bias else y)

    def get_config(self):
        return dict(depth_multiplier=self.depth_multiplier, **self.conv_config())


class SeparableConv2D(_Conv):
    def __init__(self, filters, kernel_size, strides=1, padding="valid", depth_multiplier=1, **kwargs):
        super().__init__(kernel_size, strides, padding, **kwargs)
        self.filters, self.depth_multiplier = filters, depth_multiplier

    def out_channels(self, c):
        return self.filters

    def build(self, shape):
        (kh, kw), c, m = self.kernel_size, shape[-1], self.depth_multiplier
        self.add_weight("depthwise_kernel", (kh, kw, c, m), init=("kernel", 1.0, kh * kw))
        self.add_weight("pointwise_kernel", (1, 1, c * m, self.filters), init=("kernel", 2.0, c * m))
        if self.use_bias:
            self.add_weight("bias", (self.filters,), init=("bias",))

    def call(self, x):
        w = self.values()
        y = depthwise(self, x, w[0]) @ w[1][0, 0]
        return ACTIVATIONS[self.activation](y + w[2] if self.use_bias else y)

    def get_config(self):
        return dict(filters=self.filters, depth_multiplier=self.depth_multiplier, **self.conv_config())


class BatchNormalization(Layer):
    """Inference: (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, name=None, **kwargs):
        super().__init__(name, **kwargs)
        assert axis in (3, -1)
        self.momentum, self.epsilon, self.center, self.scale = momentum, epsilon, center, scale
        self.calibrate = False

    def build(self, shape):
        c = (shape[-1],)
        if self.scale:
            self.add_weight("gamma", c, init=("gamma",))
        if self.center:
            self.add_weight("beta", c, init=("beta",))
        self.add_weight("moving_mean", c, trainable=False, init=("moving_mean",))
        self.add_weight("moving_variance", c, trainable=False, init=("moving_variance",))

    def call(self, x):
        if self.calibrate:
            self.calibrate_on(x)
        w = dict(zip([v.name.rsplit("/", 1)[1][:-2] for v in self.weights], self.values()))
        y = (x - w["moving_mean"]) / np.sqrt(w["moving_variance"] + np.float32(self.epsilon))
        return y * w.get("gamma", 1.0) + w.get("beta", 0.0)

    def calibrate_on(self, x):
        """Moving statistics fitted to the batch that runs through the model, so that BN outputs stay O(1) at any
        depth, chosen to keep the layer well conditioned: the variance is the channel's mean square plus the
        layer's (never a tiny variance, which would amplify rounding errors), the mean a small offset (never the
        batch mean, whose subtraction cancels most of a channel whose pixels and samples agree, as in deep layers
        at small inputs). With batch statistics instead, float32 and float64 results of deep nets part by 1e-2."""
        rng = seeded(self.weights[-1].name + "/calibration")
        square = (x * x).mean(axis=(0, 1, 2))
        floor = 3 * square.mean() if square.mean() > 0 else 1.0
        var = (square + floor) * rng.uniform(1.0, 1.25, square.shape)
        mean = 0.1 * np.sqrt(var) * rng.uniform(-1, 1, square.shape)
        self.weights[-2].value, self.weights[-1].value = mean.astype(np.float32), var.astype(np.float32)

    def get_config(self):
        return {"axis": [3], "momentum": self.momentum, "epsilon": self.epsilon, "center": self.center,
                "scale": self.scale}


class Activation(Layer):
    def __init__(self, activation, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.activation = activation_name(activation)
        assert self.activation in ACTIVATIONS, activation

    def call(self, x):
        return ACTIVATIONS[self.activation](x)

    def get_config(self):
        return {"activation": self.activation}


class ReLU(Layer):
    """keras.backend.relu as tf.keras 2.x computes it (its docstring's formula differs at the edges): x where
    x > threshold (0 at x == threshold), clipped to [0, max_value] when max_value is set (so a negative threshold
    still clips (threshold, 0) to 0), minus negative_slope * relu(threshold - x)."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.max_value = None if max_value is None else float(max_value)
        self.negative_slope, self.threshold = float(negative_slope), float(threshold)

    def call(self, x):
        slope, threshold, max_value = self.negative_slope, self.threshold, self.max_value
        if slope != 0 and max_value is None and threshold == 0:
            return np.where(x >= 0, x, slope * x)  # tf.nn.leaky_relu
        y = np.where(x > threshold, x, 0) if threshold != 0 else np.maximum(x, 0)
        if max_value is not None:
            y = np.clip(y, 0, max_value)
        return y - slope * np.maximum(threshold - x, 0) if slope != 0 else y

    def get_config(self):
        return {"max_value": self.max_value, "negative_slope": self.negative_slope, "threshold": self.threshold}


def padding_pairs(padding):
    if isinstance(padding, int):
        return (padding, padding), (padding, padding)
    return tuple(pair(p) for p in padding)


class ZeroPadding2D(Layer):
    def __init__(self, padding=(1, 1), data_format=None, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.padding = padding_pairs(padding)

    def compute_output_shape(self, shape):
        (t, b), (l, r) = self.padding
        grow = lambda n, a, z: None if n is None else n + a + z
        return (shape[0], grow(shape[1], t, b), grow(shape[2], l, r), shape[3])

    def call(self, x):
        return np.pad(x, ((0, 0),) + self.padding + ((0, 0),))

    def get_config(self):
        return {"padding": [list(p) for p in self.padding], "data_format": "channels_last"}


class Cropping2D(Layer):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.cropping = padding_pairs(cropping)

    def compute_output_shape(self, shape):
        (t, b), (l, r) = self.cropping
        shrink = lambda n, a, z: None if n is None else n - a - z
        return (shape[0], shrink(shape[1], t, b), shrink(shape[2], l, r), shape[3])

    def call(self, x):
        (t, b), (l, r) = self.cropping
        return x[:, t:x.shape[1] - b, l:x.shape[2] - r, :]

    def get_config(self):
        return {"cropping": [list(p) for p in self.cropping], "data_format": "channels_last"}


class _Pooling2D(_Conv):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides or pool_size, padding, name=name, **kwargs)

    def out_channels(self, c):
        return c

    def get_config(self):
        return {"pool_size": list(self.kernel_size), "padding": self.padding, "strides": list(self.strides),
                "data_format": "channels_last"}


class MaxPooling2D(_Pooling2D):
    def call(self, x):
        return np.max([patch for _, _, patch in self.taps(self.pad(x, -np.inf))], axis=0)


class AveragePooling2D(_Pooling2D):
    """TF 'SAME' average pooling leaves the padded cells out of the divisor."""

    def call(self, x):
        total = sum(patch for _, _, patch in self.taps(self.pad(x)))
        count = sum(patch for _, _, patch in self.taps(self.pad(np.ones((1,) + x.shape[1:3] + (1,)))))
        return total / count


class GlobalAveragePooling2D(Layer):
    def __init__(self, data_format=None, keepdims=False, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.keepdims = keepdims

    def compute_output_shape(self, shape):
        return (shape[0], 1, 1, shape[3]) if self.keepdims else (shape[0], shape[3])

    def call(self, x):
        return x.mean(axis=(1, 2), keepdims=self.keepdims)

    def get_config(self):
        return {"data_format": "channels_last", "keepdims": self.keepdims}


class GlobalMaxPooling2D(GlobalAveragePooling2D):
    def call(self, x):
        return x.max(axis=(1, 2), keepdims=self.keepdims)


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.units, self.activation, self.use_bias = units, activation_name(activation), use_bias

    def build(self, shape):
        gain = 2.0 if self.activation == "relu" else 1.0  # relu keeps half the signal
        self.add_weight("kernel", (shape[-1], self.units), init=("dense", gain, shape[-1]))
        if self.use_bias:
            self.add_weight("bias", (self.units,), init=("bias",))

    def compute_output_shape(self, shape):
        return shape[:-1] + (self.units,)

    def call(self, x):
        w = self.values()
        y = x @ w[0]
        return ACTIVATIONS[self.activation](y + w[1] if self.use_bias else y)

    def get_config(self):
        return {"units": self.units, "activation": self.activation, "use_bias": self.use_bias}


class Flatten(Layer):
    """Row-major over (H, W, C): VGG's fc1 rows are ordered (h, w, c)."""

    def __init__(self, data_format=None, name=None, **kwargs):
        super().__init__(name, **kwargs)

    def compute_output_shape(self, shape):
        rest = shape[1:]
        return (shape[0], None if None in rest else int(np.prod(rest)))

    def call(self, x):
        return x.reshape(x.shape[0], -1)

    def get_config(self):
        return {"data_format": "channels_last"}


class Reshape(Layer):
    def __init__(self, target_shape, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.target_shape = tuple(target_shape)

    def compute_output_shape(self, shape):
        return (shape[0],) + self.target_shape

    def call(self, x):
        return x.reshape((x.shape[0],) + self.target_shape)

    def get_config(self):
        return {"target_shape": list(self.target_shape)}


class Dropout(Layer):
    """Identity at inference; `noise_shape` (None, 1, 1, 1) is EfficientNet's drop-connect."""

    def __init__(self, rate, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, x):
        return x

    def get_config(self):
        shape = None if self.noise_shape is None else list(self.noise_shape)
        return {"rate": self.rate, "noise_shape": shape, "seed": self.seed}


def broadcast_shape(shapes):
    """Merge layers broadcast (EfficientNet's se_excite multiplies (N, H, W, C) by (N, 1, 1, C))."""
    out = list(shapes[0])
    for s in shapes[1:]:
        for i, (a, b) in enumerate(zip(out, s)):
            out[i] = b if a == 1 else a if b == 1 else a if a is not None else b
    return tuple(out)


class Add(Layer):
    def compute_output_shape(self, shapes):
        return broadcast_shape(shapes)

    def call(self, xs):
        return sum(xs[1:], xs[0])


class Multiply(Add):
    def call(self, xs):
        y = xs[0]
        for x in xs[1:]:
            y = y * x
        return y


class Concatenate(Layer):
    def __init__(self, axis=-1, name=None, **kwargs):
        super().__init__(name, **kwargs)
        assert axis in (3, -1)
        self.axis = axis

    def compute_output_shape(self, shapes):
        channels = [s[-1] for s in shapes]
        return shapes[0][:-1] + (None if None in channels else sum(channels),)

    def call(self, xs):
        return np.concatenate(xs, axis=-1)

    def get_config(self):
        return {"axis": self.axis}


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


class Lambda(Layer):
    """InceptionResNetV2's scaled residual: its function gets the numpy arrays in place of tensors."""

    def __init__(self, function, output_shape=None, arguments=None, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.function, self.output_shape, self.arguments = function, output_shape, arguments or {}

    def compute_output_shape(self, shape):
        first = shape[0] if isinstance(shape, list) else shape
        return (first[0],) + tuple(self.output_shape) if self.output_shape else first

    def call(self, x):
        return self.function(x, **self.arguments)

    def get_config(self):
        return {"arguments": dict(self.arguments),
                "output_shape": None if self.output_shape is None else list(self.output_shape)}


class TFOpLambda(Layer):
    """tf.keras 2.x's layer for a TF function applied to a symbolic tensor: named `tf.<api name>`, numbered
    from 0 among such layers, skipping names already given explicitly."""

    def __init__(self, symbol, function, constant):
        super().__init__(name=unique_object_name("tf." + symbol, zero_based=True, avoid_observed=True))
        self.symbol, self.function, self.constant = symbol, function, np.float32(constant)

    def call(self, x):
        return self.function(x, self.constant.astype(_Session.dtype))

    def get_config(self):
        """Keras's config holds the function only; the constant is the call's argument `y` (inbound node kwargs)."""
        return {"function": self.symbol, "y": self.constant.tolist()}


class Rescaling(Layer):
    """x * scale + offset, computed with scale and offset cast to float32 (a scale may be per channel)."""

    def __init__(self, scale, offset=0.0, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.scale, self.offset = scale, offset

    def call(self, x):
        return x * np.float32(self.scale).astype(_Session.dtype) + _Session.dtype(np.float32(self.offset))

    def get_config(self):
        scale = np.asarray(self.scale).tolist() if np.ndim(self.scale) else float(self.scale)
        return {"scale": scale, "offset": float(self.offset)}


class Normalization(Layer):
    """tf.keras 2.x's preprocessing Normalization without given mean/variance: non-trainable weights `mean`,
    `variance` (float32, the kept axes' shape) and `count` (int64 scalar); (x - mean) / max(sqrt(variance), 1e-7)."""

    def __init__(self, axis=-1, mean=None, variance=None, name=None, **kwargs):
        super().__init__(name, **kwargs)
        assert mean is None and variance is None and axis in (3, -1)
        self.axis = axis

    def build(self, shape):
        self.add_weight("mean", (shape[-1],), trainable=False, init=("zeros",))
        self.add_weight("variance", (shape[-1],), trainable=False, init=("ones",))
        self.add_weight("count", (), trainable=False, init=("zeros",), dtype=np.int64)

    def call(self, x):
        mean, variance, _ = self.values()
        return (x - mean) / np.maximum(np.sqrt(variance), np.float32(1e-7))

    def get_config(self):
        return {"axis": [3], "mean": None, "variance": None}


# ---------------------------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------------------------


class Model:
    """keras.Model(inputs, outputs, name): model.layers ordered as Keras's functional._map_graph_network."""

    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        self.inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self.output, self.name = outputs, name
        self.layers, self.nodes = map_graph_network(self.inputs, outputs)
        self.node_of = {id(node.layer): node for node in self.nodes}

    def load_weights(self, filepath, **kwargs):
        """Structure only: the stand-ins build what Keras builds for `weights="imagenet"`, they never load files."""

    def count_params(self):
        return sum(w.size for layer in self.layers for w in layer.weights)

    def count_trainable(self):
        return sum(w.size for layer in self.layers for w in layer.weights if w.trainable)

    def get_layer(self, name):
        return next(layer for layer in self.layers if layer.name == name)


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
    duplicated = {n for n, count in Counter(l.name for l in layers).items() if count > 1}
    assert not duplicated, "layer names used twice: %s" % sorted(duplicated)
    return layers, [n for d in sorted(nodes_by_depth, reverse=True) for n in nodes_by_depth[d]]


def inbound_layers(layer, model):
    return [t.node.layer.name for t in model.node_of[id(layer)].inputs]


def output_of(layer, model):
    return model.node_of[id(layer)].output


def seed_weights(model):
    """Seeded values for every weight still without one (see initial_value for the roles)."""
    roles = {id(layer): "residual" for layer in residual_closers(model)}
    roles[id(logits_layer(model))] = "logits"
    for layer in model.layers:
        for w in layer.weights:
            if w.value is None:
                w.value = initial_value(w, roles.get(id(layer)))


def logits_layer(model):
    """The last layer with weights on the way to the output."""
    node = model.output.node
    while not node.layer.weights and node.inputs:
        node = node.inputs[0].node
    return node.layer


def residual_closers(model):
    """Layers with weights whose output reaches an Add or a Lambda (through Dropout only)."""
    closers = []
    for node in model.nodes:
        if isinstance(node.layer, (Add, Lambda)) and not isinstance(node.layer, Multiply):
            for t in node.inputs:
                producer = t.node
                while isinstance(producer.layer, Dropout):
                    producer = producer.inputs[0].node
                if producer.layer.weights:
                    closers.append(producer.layer)
    return closers


def predict(model, x, calibrate=True, keep=False, dtype=np.float64):
    """The forward pass, in float64. calibrate: BatchNormalization's moving statistics are first set near this
    batch's (see BatchNormalization.calibrate_on). keep: also return every layer's output, by name. dtype float32
    runs every layer in float32 instead (after a float64 pass has set the weights): how far a float32
    implementation may fairly be from the float64 result."""
    seed_weights(model)
    for layer in model.layers:
        if isinstance(layer, BatchNormalization):
            layer.calibrate = calibrate and dtype == np.float64
    _Session.dtype, values = dtype, {id(model.inputs[0].node): np.asarray(x, dtype)}
    try:
        for node in model.nodes:
            if id(node) not in values:
                args = [values[id(t.node)] for t in node.inputs]
                values[id(node)] = np.asarray(node.layer.forward(args if node.as_list else args[0]), dtype)
    finally:
        _Session.dtype = np.float64
        for layer in model.layers:
            if isinstance(layer, BatchNormalization):
                layer.calibrate = False
    y = values[id(model.output.node)]
    if keep:
        return y, {n.layer.name: values[id(n)] for n in model.nodes}
    return y


# ---------------------------------------------------------------------------------------------------------------
# save_weights: keras/saving/legacy/hdf5_format.py's save_weights_to_hdf5_group
# ---------------------------------------------------------------------------------------------------------------

HDF5_OBJECT_HEADER_LIMIT = 64512


def save_attributes_to_hdf5_group(group, name, data):
    """Attributes past HDF5's object header limit are split as `name0`, `name1`, ... (NASNetLarge's layer_names)."""
    data_npy = np.asarray(data)
    num_chunks = 1
    chunks = np.array_split(data_npy, num_chunks)
    while any(c.nbytes > HDF5_OBJECT_HEADER_LIMIT for c in chunks):
        num_chunks += 1
        chunks = np.array_split(data_npy, num_chunks)
    if num_chunks > 1:
        for chunk_id, chunk in enumerate(chunks):
            group.attrs["%s%d" % (name, chunk_id)] = chunk
    else:
        group.attrs[name] = data_npy if len(data) else data


def save_weights(model, path, keras_version="2.11.0"):
    """Strings as h5py 2.x stored them (fixed-length bytes), as in the published ImageNet files."""
    import h5py

    seed_weights(model)
    with h5py.File(path, "w") as f:
        save_attributes_to_hdf5_group(f, "layer_names", [l.name.encode("utf8") for l in model.layers])
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = keras_version.encode("utf8")
        for layer in sorted(model.layers, key=lambda l: l.name):
            g = f.create_group(layer.name)
            weights = layer.ordered_weights()
            save_attributes_to_hdf5_group(g, "weight_names", [w.name.encode("utf8") for w in weights])
            for w in weights:
                dataset = g.create_dataset(w.name, w.shape, dtype=w.dtype)
                dataset[()] = w.value


# ---------------------------------------------------------------------------------------------------------------
# The modules handed to Keras's application code
# ---------------------------------------------------------------------------------------------------------------


class Namespace:
    def __init__(self, **members):
        self.__dict__.update(members)


_LAYER_CLASSES = [Conv2D, DepthwiseConv2D, SeparableConv2D, BatchNormalization, Activation, ReLU, ZeroPadding2D,
                  Cropping2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Dense,
                  Flatten, Reshape, Dropout, Add, Multiply, Concatenate, Lambda, Rescaling, Normalization]

backend = Namespace(image_data_format=lambda: "channels_last", set_image_data_format=lambda f: None,
                    is_keras_tensor=is_keras_tensor, int_shape=int_shape, floatx=lambda: "float32",
                    backend=lambda: "tensorflow", name_scope=name_scope, epsilon=lambda: 1e-7)
layers = Namespace(Input=Input, InputLayer=InputLayer, add=add, multiply=multiply, concatenate=concatenate,
                   **{c.__name__: c for c in _LAYER_CLASSES})
models = Namespace(Model=Model)
utils = Namespace(get_source_inputs=get_source_inputs)
MODULES = dict(backend=backend, layers=layers, models=models, utils=utils)
