"""Reference keras.applications models for tl's tests: Keras's own architecture code on keras_shim's stand-ins.

Keras itself (TensorFlow) is not packaged in Debian; keras_applications 1.0.8 is. Its families (VGG16/19,
ResNet50/101/152(V2), InceptionV3, InceptionResNetV2, Xception, MobileNet, MobileNetV2, DenseNet121/169/201,
NASNetMobile/Large) are built by its own code on keras_shim's numpy layers. Two flavours:

  tf.keras            (default) what tf.keras 2.11 builds: layers numbered from 0, and tf.keras's changes to the
                      1.0.8 code, ported here: the heads (`predictions`, classifier_activation), MobileNet v1/V2
                      stems without ZeroPadding, MobileNet v1's GlobalAveragePooling2D(keepdims=True) head, NASNet's
                      shape rule without the top. EfficientNetB0-B7 and MobileNetV3Small/Large exist only in
                      tf.keras: they are ported here from keras-team/keras v2.11.0 (keras/applications/*.py).
  keras_applications  1.0.8 as is, layers numbered from 1 as Keras 2.2.4 numbered them.

`crosscheck` compares the tf.keras flavour, case by case, with tf.keras's own files run on the same stand-ins.

Usage (CASE: MODEL[:key=value,...], e.g. MobileNet:alpha=0.5,include_top=0 or EfficientNetB0:weights=imagenet):
  applications_reference.py spec OUT.json [CASE...]   architecture of each case (default: every model and
                                                      variant): layers, configs, wiring, weights, shapes, counts,
                                                      input rules, preprocessing, weights files
  applications_reference.py parity OUT_DIR CASE...    per case, OUT_DIR/<case, ':' and ',' as '_'>/: weights.h5
                                                      (seeded, Keras's save_weights layout), x.bin (float32),
                                                      y.bin (float32), y64.bin, layers.txt, meta.json (shapes,
                                                      counts, float32_error: how far a float32 forward pass
                                                      lands); dump=1 adds every layer's output. The input is the
                                                      smallest the model accepts unless input_shape is given
  applications_reference.py layers OUT_DIR            single-layer cases: OUT_DIR/<case>.{h5,x.bin,y.bin},
                                                      OUT_DIR/layers.json
  applications_reference.py totals                    JSON: parameter counts of every model (top, 1000 classes)
  applications_reference.py crosscheck KERAS_DIR      KERAS_DIR holds keras/applications/*.py of tf.keras 2.x

Case keys: any keyword argument of the Keras constructor (include_top, pooling, classes, classifier_activation,
alpha, depth_multiplier, dropout, minimalistic, include_preprocessing, dropout_rate, weights, input_shape as
HxW or HxWxC), and flavour=keras_applications, batch=N, low=, high= (input range), calibrate=0, dump=1.
`weights=imagenet` builds what Keras builds for ImageNet weights (input rules, EfficientNet's third stem layer)
without loading anything.
"""
import json
import math
import os
import sys
import time
import zlib

import keras_applications
import numpy as np
from keras_applications import (densenet, imagenet_utils, inception_resnet_v2, inception_v3, mobilenet,
                                mobilenet_v2, nasnet, resnet, resnet_common, resnet_v2, vgg16, vgg19, xception)

import keras_shim as K

layers, backend = K.layers, K.backend
TF_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"

# ---------------------------------------------------------------------------------------------------------------
# What Keras's code asks for, recorded: obtain_input_shape's rules, get_file's files, preprocess_input's mode
# ---------------------------------------------------------------------------------------------------------------


class Recorder:
    rules = None  # obtain_input_shape's arguments of the last build
    require_flatten = None  # tf.keras passes include_top where 1.0.8's NASNet passes True
    files = []


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None):
    if Recorder.require_flatten is not None:
        require_flatten = Recorder.require_flatten
    Recorder.rules = dict(default_size=default_size, min_size=min_size, require_flatten=bool(require_flatten))
    return imagenet_utils._obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten,
                                              weights)


KA_MODULES = [densenet, inception_resnet_v2, inception_v3, mobilenet, mobilenet_v2, nasnet, resnet_common, vgg16,
              vgg19, xception]
for _module in KA_MODULES:
    _module._obtain_input_shape = obtain_input_shape


def record_file(fname, origin=None, cache_subdir="datasets", file_hash=None, **kwargs):
    Recorder.files.append(dict(fname=fname, origin=origin, cache_subdir=cache_subdir, file_hash=file_hash))
    return fname


MODULES = dict(K.MODULES, utils=K.Namespace(get_source_inputs=K.get_source_inputs, get_file=record_file))


def preprocess_mode(preprocess_input):
    """The `mode` a module's preprocess_input hands to imagenet_utils (1.0.8's vgg16 uses the default, caffe)."""
    seen, real = [], imagenet_utils._preprocess_numpy_input
    imagenet_utils._preprocess_numpy_input = lambda x, data_format, mode, **kw: seen.append(mode) or x
    try:
        preprocess_input(np.zeros((1, 2, 2, 3), np.float32), backend=backend)
    finally:
        imagenet_utils._preprocess_numpy_input = real
    return seen[0]


# ---------------------------------------------------------------------------------------------------------------
# tf.keras 2.11: heads and stems that differ from keras_applications 1.0.8
# ---------------------------------------------------------------------------------------------------------------


def dense_head(pool_name="avg_pool", flatten=False):
    """tf.keras's top: pooling (or VGG's Flatten + fc1 + fc2) and Dense `predictions` with classifier_activation
    (1.0.8 names it `probs` in ResNetV2, `fc1000` in DenseNet, `Logits` in MobileNetV2)."""

    def head(x, classes, classifier_activation):
        if flatten:
            x = layers.Flatten(name="flatten")(x)
            x = layers.Dense(4096, activation="relu", name="fc1")(x)
            x = layers.Dense(4096, activation="relu", name="fc2")(x)
        else:
            x = layers.GlobalAveragePooling2D(name=pool_name)(x)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)

    return head


def with_tf_head(build, head):
    """A 1.0.8 family as tf.keras builds it: Keras's body without its top, on the input shape that
    obtain_input_shape gives with require_flatten=include_top, then tf.keras's head."""

    def tf_build(include_top=True, pooling=None, classes=1000, classifier_activation="softmax", **kwargs):
        Recorder.require_flatten = include_top
        try:
            body = build(include_top=False, pooling=None if include_top else pooling, classes=classes, **kwargs,
                         **MODULES)
        finally:
            Recorder.require_flatten = None
        if not include_top:
            return body
        return K.Model(body.inputs, head(body.output, classes, classifier_activation), name=body.name)

    return tf_build


def mobilenet_rows(input_shape, sizes):
    """MobileNet/V2's default_size: the input's own size when square and one of the ImageNet sizes."""
    if input_shape is None or input_shape[0] != input_shape[1] or input_shape[0] not in sizes:
        return 224
    return input_shape[0]


def tf_mobilenet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3, include_top=True, weights=None,
                 pooling=None, classes=1000, classifier_activation="softmax"):
    """tf.keras's MobileNet: conv1 is 'same' (1.0.8 pads ((0,1),(0,1)) and runs 'valid'); the head pools with
    keepdims=True where 1.0.8 pools then Reshapes (`reshape_1`); the softmax is `predictions` (`act_softmax`)."""
    mobilenet.backend, mobilenet.layers = backend, layers
    sizes = (128, 160, 192, 224)
    shape = obtain_input_shape(input_shape, mobilenet_rows(input_shape, sizes), 32, "channels_last", include_top,
                               weights)
    rows = shape[0] if weights != "imagenet" or (shape[0] == shape[1] and shape[0] in sizes) else 224
    img_input = layers.Input(shape=shape)
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, strides) in enumerate(MOBILENET_BLOCKS, start=1):
        x = mobilenet._depthwise_conv_block(x, filters, alpha, depth_multiplier, strides=(strides, strides),
                                            block_id=block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = pool(x, pooling)
    return K.Model(img_input, x, name="mobilenet_%0.2f_%s" % (alpha, rows))


MOBILENET_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1),
                    (512, 1), (512, 1), (1024, 2), (1024, 1)]


def pool(x, pooling, avg_name=None, max_name=None):
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def tf_mobilenet_v2(input_shape=None, alpha=1.0, include_top=True, weights=None, pooling=None, classes=1000,
                    classifier_activation="softmax"):
    """tf.keras's MobileNetV2: Conv1 is 'same' without `Conv1_pad`; the top Dense is `predictions` (`Logits`)."""
    mobilenet_v2.backend, mobilenet_v2.layers = backend, layers
    sizes = (96, 128, 160, 192, 224)
    shape = obtain_input_shape(input_shape, mobilenet_rows(input_shape, sizes), 32, "channels_last", include_top,
                               weights)
    rows = shape[0] if weights != "imagenet" or (shape[0] == shape[1] and shape[0] in sizes) else 224
    img_input = layers.Input(shape=shape)
    x = layers.Conv2D(mobilenet_v2._make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same",
                      use_bias=False, name="Conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(MOBILENET_V2_BLOCKS):
        x = mobilenet_v2._inverted_res_block(x, filters=filters, alpha=alpha, stride=stride, expansion=expansion,
                                             block_id=block_id)
    last = mobilenet_v2._make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pool(x, pooling)
    return K.Model(img_input, x, name="mobilenetv2_%0.2f_%s" % (alpha, rows))


MOBILENET_V2_BLOCKS = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6),
                       (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6),
                       (160, 1, 6), (160, 1, 6), (320, 1, 6)]


# ---------------------------------------------------------------------------------------------------------------
# EfficientNetB0-B7 (tf.keras 2.11's keras/applications/efficientnet.py)
# ---------------------------------------------------------------------------------------------------------------

# (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides); every block has id_skip and se_ratio 0.25
EFFICIENTNET_BLOCKS = [(3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
                       (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1)]
# width_coefficient, depth_coefficient, default_size, dropout_rate
EFFICIENTNET_SCALING = {"B0": (1.0, 1.0, 224, 0.2), "B1": (1.0, 1.1, 240, 0.2), "B2": (1.1, 1.2, 260, 0.3),
                        "B3": (1.2, 1.4, 300, 0.3), "B4": (1.4, 1.8, 380, 0.4), "B5": (1.6, 2.2, 456, 0.4),
                        "B6": (1.8, 2.6, 528, 0.5), "B7": (2.0, 3.1, 600, 0.5)}
EFFICIENTNET_HASHES = {  # WEIGHTS_HASHES: (top, notop) md5
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}
IMAGENET_MEAN_RGB = [0.485, 0.456, 0.406]
IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]


def round_filters(filters, width_coefficient, divisor=8):
    """Scaled to the nearest multiple of 8, never below 90% of the scaled value."""
    filters *= width_coefficient
    new_filters = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    return int(new_filters + divisor if new_filters < 0.9 * filters else new_filters)


def correct_pad(x, kernel_size):
    return keras_applications.correct_pad(backend, x, kernel_size)


def efficientnet(variant, include_top=True, weights=None, input_shape=None, pooling=None, classes=1000,
                 classifier_activation="softmax", drop_connect_rate=0.2):
    width, depth, default_size, dropout_rate = EFFICIENTNET_SCALING[variant]
    shape = obtain_input_shape(input_shape, default_size, 32, "channels_last", include_top, weights)
    img_input = layers.Input(shape=shape)
    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=3)(x)
    if weights == "imagenet":  # the files' Normalization holds the stddev as its variance (tf.keras >= 2.10)
        x = layers.Rescaling(1.0 / np.sqrt(np.float32(IMAGENET_STDDEV_RGB)))(x)
    x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32, width), 3, strides=2, padding="valid", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = layers.Activation("swish", name="stem_activation")(x)
    x = efficientnet_blocks(x, width, depth, drop_connect_rate)
    x = layers.Conv2D(round_filters(1280, width), 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=3, name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pool(x, pooling, "avg_pool", "max_pool")
    return K.Model(img_input, x, name="efficientnet" + variant.lower())


def efficientnet_blocks(x, width, depth, drop_connect_rate):
    """Blocks `block{stage}{a,b,...}_`; drop-connect rate drop_connect_rate * b / blocks for the b-th block."""
    repeats = [int(math.ceil(depth * r)) for _, r, *_ in EFFICIENTNET_BLOCKS]
    b, blocks = 0, float(sum(repeats))
    for i, (kernel, _, filters_in, filters_out, expand_ratio, strides) in enumerate(EFFICIENTNET_BLOCKS):
        filters_in, filters_out = round_filters(filters_in, width), round_filters(filters_out, width)
        for j in range(repeats[i]):
            if j > 0:
                strides, filters_in = 1, filters_out
            x = efficientnet_block(x, drop_connect_rate * b / blocks, "block%d%s_" % (i + 1, chr(j + 97)),
                                   filters_in, filters_out, kernel, strides, expand_ratio)
            b += 1
    return x


def efficientnet_block(inputs, drop_rate, name, filters_in, filters_out, kernel_size, strides, expand_ratio,
                       se_ratio=0.25):
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=name + "expand_conv")(x)
        x = layers.BatchNormalization(axis=3, name=name + "expand_bn")(x)
        x = layers.Activation("swish", name=name + "expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=name + "dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="valid" if strides == 2 else "same",
                               use_bias=False, name=name + "dwconv")(x)
    x = layers.BatchNormalization(axis=3, name=name + "bn")(x)
    x = layers.Activation("swish", name=name + "activation")(x)
    filters_se = max(1, int(filters_in * se_ratio))  # squeeze and excitation
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation="swish", name=name + "se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
    x = layers.multiply([x, se], name=name + "se_excite")
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, name=name + "project_conv")(x)
    x = layers.BatchNormalization(axis=3, name=name + "project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        if drop_rate > 0:  # drop-connect: one draw per sample
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


# ---------------------------------------------------------------------------------------------------------------
# MobileNetV3Small/Large (tf.keras 2.11's keras/applications/mobilenet_v3.py)
# ---------------------------------------------------------------------------------------------------------------

MOBILENET_V3_HASHES = {  # WEIGHTS_HASHES: (top, notop) md5
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c", "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"),
}
# (expansion, filters, kernel, stride, squeeze-excite, activation) per block; kernel "k" and activation "a" are the
# model's: 5 and hard_swish, or 3 and relu when minimalistic (which also drops every squeeze-excite)
MOBILENET_V3_SMALL = [(1, 16, 3, 2, True, "relu"), (72.0 / 16, 24, 3, 2, False, "relu"),
                      (88.0 / 24, 24, 3, 1, False, "relu"), (4, 40, "k", 2, True, "a"), (6, 40, "k", 1, True, "a"),
                      (6, 40, "k", 1, True, "a"), (3, 48, "k", 1, True, "a"), (3, 48, "k", 1, True, "a"),
                      (6, 96, "k", 2, True, "a"), (6, 96, "k", 1, True, "a"), (6, 96, "k", 1, True, "a")]
MOBILENET_V3_LARGE = [(1, 16, 3, 1, False, "relu"), (4, 24, 3, 2, False, "relu"), (3, 24, 3, 1, False, "relu"),
                      (3, 40, "k", 2, True, "relu"), (3, 40, "k", 1, True, "relu"), (3, 40, "k", 1, True, "relu"),
                      (6, 80, 3, 2, False, "a"), (2.5, 80, 3, 1, False, "a"), (2.3, 80, 3, 1, False, "a"),
                      (2.3, 80, 3, 1, False, "a"), (6, 112, 3, 1, True, "a"), (6, 112, 3, 1, True, "a"),
                      (6, 160, "k", 2, True, "a"), (6, 160, "k", 1, True, "a"), (6, 160, "k", 1, True, "a")]


def relu(x):
    return layers.ReLU()(x)


def hard_sigmoid(x):
    """ReLU(6)(x + 3) * (1/6): the two operators are TFOpLambda layers `tf.__operators__.add`, `tf.math.multiply`."""
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x):
    return layers.Multiply()([x, hard_sigmoid(x)])


def depth(v, divisor=8):
    """_depth (= MobileNetV2's _make_divisible)."""
    return mobilenet_v2._make_divisible(v, divisor)


def mobilenet_v3(model_type, input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights=None,
                 classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax",
                 include_preprocessing=True):
    """No obtain_input_shape: the input defaults to (None, None, 3) even with the top; sizes below 32 are refused."""
    shape = tuple(input_shape) if input_shape is not None else (None, None, 3)
    Recorder.rules = dict(default_size=None, min_size=32, require_flatten=False)
    if shape[0] and shape[1] and (shape[0] < 32 or shape[1] < 32):
        raise ValueError("Input size must be at least 32x32; Received `input_shape=%s`" % (shape,))
    kernel, activation, se_ratio = (3, relu, None) if minimalistic else (5, hard_swish, 0.25)
    img_input = layers.Input(shape=shape)
    x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(img_input) if include_preprocessing else img_input
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="Conv/BatchNorm")(x)
    x = activation(x)
    stack = MOBILENET_V3_SMALL if model_type == "small" else MOBILENET_V3_LARGE
    for block_id, (expansion, filters, k, stride, se, act) in enumerate(stack):
        x = inverted_res_block(x, expansion, depth(filters * alpha), kernel if k == "k" else k, stride,
                               se_ratio if se else None, activation if act == "a" else relu, block_id)
    last_point_ch = 1024 if model_type == "small" else 1280
    last_conv_ch = depth(x.shape[-1] * 6)
    if alpha > 1.0:
        last_point_ch = depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="Conv_1")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="Conv_1/BatchNorm")(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True, name="Conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="Logits")(x)
        x = layers.Flatten()(x)
        x = layers.Activation(activation=classifier_activation, name="Predictions")(x)
    else:
        x = pool(x, pooling, "avg_pool", "max_pool")
    return K.Model(img_input, x, name="MobilenetV3" + model_type)


def se_block(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=prefix + "squeeze_excite/AvgPool")(inputs)
    x = layers.Conv2D(depth(filters * se_ratio), kernel_size=1, padding="same", name=prefix + "squeeze_excite/Conv")(x)
    x = layers.ReLU(name=prefix + "squeeze_excite/Relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", name=prefix + "squeeze_excite/Conv_1")(x)
    x = hard_sigmoid(x)
    return layers.Multiply(name=prefix + "squeeze_excite/Mul")([inputs, x])


def inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    shortcut, infilters = x, x.shape[-1]
    prefix = "expanded_conv_%d/" % block_id if block_id else "expanded_conv/"
    if block_id:
        x = layers.Conv2D(depth(infilters * expansion), kernel_size=1, padding="same", use_bias=False,
                          name=prefix + "expand")(x)
        x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "expand/BatchNorm")(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=prefix + "depthwise/pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
                               use_bias=False, name=prefix + "depthwise")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "depthwise/BatchNorm")(x)
    x = activation(x)
    if se_ratio:
        x = se_block(x, depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=prefix + "project")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=prefix + "project/BatchNorm")(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=prefix + "Add")([shortcut, x])
    return x


# ---------------------------------------------------------------------------------------------------------------
# tf.keras 2.11's weights files (keras_applications 1.0.8's are recorded from its own get_file calls)
# ---------------------------------------------------------------------------------------------------------------


def tf_weights_file(model, kwargs):
    """The get_file call tf.keras 2.11 makes for weights='imagenet' (None where ImageNet weights don't exist)."""
    top = kwargs.get("include_top", True)
    if model in TF_HASHES:
        directory, stem = TF_HASHES[model][0]
        fname = stem + "_weights_tf_dim_ordering_tf_kernels" + ("" if top else "_notop") + ".h5"
        return dict(fname=fname, origin=TF_BASE + directory + "/" + fname, cache_subdir="models",
                    file_hash=TF_HASHES[model][1][0 if top else 1])
    if model.startswith("NASNet"):
        kind = "mobile" if model == "NASNetMobile" else "large"
        hashes = {"mobile": ("020fb642bf7360b370c678b08e0adf61", "1ed92395b5b598bdda52abe5c0dbfd63"),
                  "large": ("11577c9a518f0070763c2b964a382f17", "d81d89dc07e6e56530c4e77faddd61b5")}[kind]
        origin = TF_BASE + "nasnet/NASNet-%s%s.h5" % (kind, "" if top else "-no-top")
        return dict(fname="nasnet_%s%s.h5" % (kind, "" if top else "_no_top"), origin=origin, cache_subdir="models",
                    file_hash=hashes[0 if top else 1])
    if model == "MobileNet":
        return mobilenet_file(kwargs, top)
    if model == "MobileNetV2":
        return mobilenet_v2_file(kwargs, top)
    if model.startswith("EfficientNet"):
        fname = model.lower() + ("" if top else "_notop") + ".h5"
        return dict(fname=fname, origin="https://storage.googleapis.com/keras-applications/" + fname,
                    cache_subdir="models", file_hash=EFFICIENTNET_HASHES[model[-2:].lower()][0 if top else 1])
    return mobilenet_v3_file(model, kwargs, top)


TF_HASHES = {  # model: ((directory, file stem), (top md5, notop md5))
    "VGG16": (("vgg16", "vgg16"), ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc")),
    "VGG19": (("vgg19", "vgg19"), ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6")),
    "ResNet50": (("resnet", "resnet50"), ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626")),
    "ResNet101": (("resnet", "resnet101"), ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21")),
    "ResNet152": (("resnet", "resnet152"), ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c")),
    "ResNet50V2": (("resnet", "resnet50v2"), ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917")),
    "ResNet101V2": (("resnet", "resnet101v2"),
                    ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5")),
    "ResNet152V2": (("resnet", "resnet152v2"),
                    ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33")),
    "InceptionV3": (("inception_v3", "inception_v3"),
                    ("9a0d58056eeedaa3f26cb7ebd46da564", "bcbd6486424b2319ff4ef7d526e38f63")),
    "InceptionResNetV2": (("inception_resnet_v2", "inception_resnet_v2"),
                          ("e693bd0210a403b3192acc6073ad2e96", "d19885ff4a710c122648d3b5c3b684e4")),
    "Xception": (("xception", "xception"), ("0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97")),
    "DenseNet121": (("densenet", "densenet121"),
                    ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738")),
    "DenseNet169": (("densenet", "densenet169"),
                    ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b")),
    "DenseNet201": (("densenet", "densenet201"),
                    ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1")),
}


def imagenet_rows(kwargs, sizes):
    shape = kwargs.get("input_shape")
    return shape[0] if shape and shape[0] == shape[1] and shape[0] in sizes else 224


def mobilenet_file(kwargs, top):
    """mobilenet_<alpha 1_0|7_5|5_0|2_5>_<rows>_tf[_no_top].h5, rows 224 unless the input is square 128/160/192."""
    alpha_text = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}.get(kwargs.get("alpha", 1.0))
    if alpha_text is None or kwargs.get("depth_multiplier", 1) != 1:
        return None
    fname = "mobilenet_%s_%d_tf%s.h5" % (alpha_text, imagenet_rows(kwargs, (128, 160, 192, 224)),
                                         "" if top else "_no_top")
    return dict(fname=fname, origin=TF_BASE + "mobilenet/" + fname, cache_subdir="models", file_hash=None)


def mobilenet_v2_file(kwargs, top):
    """mobilenet_v2_weights_tf_dim_ordering_tf_kernels_<str(alpha)>_<rows>[_no_top].h5: alpha as Python prints it."""
    alpha = kwargs.get("alpha", 1.0)
    if alpha not in (0.35, 0.50, 0.75, 1.0, 1.3, 1.4):
        return None
    fname = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_%s_%d%s.h5" % (
        str(alpha), imagenet_rows(kwargs, (96, 128, 160, 192, 224)), "" if top else "_no_top")
    return dict(fname=fname, origin=TF_BASE + "mobilenet_v2/" + fname, cache_subdir="models", file_hash=None)


def mobilenet_v3_file(model, kwargs, top):
    """weights_mobilenet_v3_<small|large>[_minimalistic]_224_<alpha>_float[_no_top_v2].h5"""
    minimalistic = kwargs.get("minimalistic", False)
    key = "%s%s_224_%s_float" % (model[-5:].lower(), "_minimalistic" if minimalistic else "",
                                 str(kwargs.get("alpha", 1.0)))
    if key not in MOBILENET_V3_HASHES:
        return None
    fname = "weights_mobilenet_v3_" + key + (".h5" if top else "_no_top_v2.h5")
    return dict(fname=fname, origin=TF_BASE + "mobilenet_v3/" + fname, cache_subdir="models",
                file_hash=MOBILENET_V3_HASHES[key][0 if top else 1])


# ---------------------------------------------------------------------------------------------------------------
# The models: constructors of both flavours, preprocessing, the variants `spec` lists by default
# ---------------------------------------------------------------------------------------------------------------


class Entry:
    def __init__(self, ka=None, tf=None, preprocess=None, variants=({},)):
        self.ka, self.tf, self.preprocess_fn, self.variants = ka, tf, preprocess, variants

    def preprocess(self):
        """1.0.8's mode, read from its module; EfficientNet and MobileNetV3 are pass-through in tf.keras."""
        return preprocess_mode(self.preprocess_fn) if self.preprocess_fn else None


def _resnet(name):
    build = getattr(resnet_common, name)
    module = resnet_v2 if name.endswith("V2") else resnet
    return Entry(build, with_tf_head(build, dense_head()), module.preprocess_input)


TOPS = ({}, {"include_top": False})


def alphas(values):
    """Top and no top at the default alpha (1.0, not spelled out) and at each of `values`."""
    return [dict(t, **a) for a in [{}] + [{"alpha": v} for v in values] for t in TOPS]


MODELS = {
    "VGG16": Entry(vgg16.VGG16, with_tf_head(vgg16.VGG16, dense_head(flatten=True)), vgg16.preprocess_input),
    "VGG19": Entry(vgg19.VGG19, with_tf_head(vgg19.VGG19, dense_head(flatten=True)), vgg19.preprocess_input),
    "ResNet50": _resnet("ResNet50"), "ResNet101": _resnet("ResNet101"), "ResNet152": _resnet("ResNet152"),
    "ResNet50V2": _resnet("ResNet50V2"), "ResNet101V2": _resnet("ResNet101V2"), "ResNet152V2": _resnet("ResNet152V2"),
    "InceptionV3": Entry(inception_v3.InceptionV3, with_tf_head(inception_v3.InceptionV3, dense_head()),
                         inception_v3.preprocess_input),
    "InceptionResNetV2": Entry(inception_resnet_v2.InceptionResNetV2,
                               with_tf_head(inception_resnet_v2.InceptionResNetV2, dense_head()),
                               inception_resnet_v2.preprocess_input),
    "Xception": Entry(xception.Xception, with_tf_head(xception.Xception, dense_head()), xception.preprocess_input),
    "MobileNet": Entry(mobilenet.MobileNet, tf_mobilenet, mobilenet.preprocess_input,
                       alphas((0.75, 0.5, 0.25)) + [{"depth_multiplier": 2, "include_top": False}]),
    "MobileNetV2": Entry(mobilenet_v2.MobileNetV2, tf_mobilenet_v2, mobilenet_v2.preprocess_input,
                         alphas((0.35, 0.5, 0.75, 1.3, 1.4))),
    "DenseNet121": Entry(densenet.DenseNet121, with_tf_head(densenet.DenseNet121, dense_head()),
                         densenet.preprocess_input),
    "DenseNet169": Entry(densenet.DenseNet169, with_tf_head(densenet.DenseNet169, dense_head()),
                         densenet.preprocess_input),
    "DenseNet201": Entry(densenet.DenseNet201, with_tf_head(densenet.DenseNet201, dense_head()),
                         densenet.preprocess_input),
    "NASNetMobile": Entry(nasnet.NASNetMobile, with_tf_head(nasnet.NASNetMobile, dense_head(None)),
                          nasnet.preprocess_input, TOPS + ({"include_top": False, "input_shape": (224, 224, 3)},)),
    "NASNetLarge": Entry(nasnet.NASNetLarge, with_tf_head(nasnet.NASNetLarge, dense_head(None)),
                         nasnet.preprocess_input, TOPS + ({"include_top": False, "input_shape": (331, 331, 3)},)),
}
for _b in EFFICIENTNET_SCALING:
    MODELS["EfficientNet" + _b] = Entry(tf=lambda _v=_b, **kw: efficientnet(_v, **kw),
                                        variants=[dict(t, weights=w) for t in TOPS for w in ("imagenet", None)])
for _kind in ("Small", "Large"):
    MODELS["MobileNetV3" + _kind] = Entry(
        tf=lambda _k=_kind.lower(), **kw: mobilenet_v3(_k, **kw),
        variants=[dict(t, **v) for t in TOPS for v in ({}, {"alpha": 0.75}, {"minimalistic": True},
                                                        {"include_preprocessing": False})])
for _name in MODELS:
    if not MODELS[_name].variants[1:]:
        MODELS[_name].variants = TOPS


# ---------------------------------------------------------------------------------------------------------------
# Cases: MODEL[:key=value,...]
# ---------------------------------------------------------------------------------------------------------------

REFERENCE_KEYS = {"flavour", "batch", "low", "high", "calibrate", "dump"}


def parse_value(key, text):
    if key == "input_shape":
        dims = tuple(None if d == "None" else int(d) for d in text.split("x"))
        return dims if len(dims) == 3 else dims + (3,)
    if text in ("None", "none"):
        return None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if key in ("include_top", "minimalistic", "include_preprocessing", "calibrate", "dump"):
        return bool(int(text))
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_case(text):
    model, _, rest = text.partition(":")
    pairs = [item.split("=", 1) for item in rest.split(",") if item]
    options = {k: parse_value(k, v) for k, v in pairs}
    return model, {k: v for k, v in options.items() if k not in REFERENCE_KEYS}, \
        {k: v for k, v in options.items() if k in REFERENCE_KEYS}


def case_text(model, kwargs):
    def show(v):
        return "x".join(str(d) for d in v) if isinstance(v, tuple) else str(int(v) if isinstance(v, bool) else v)

    return model + "".join((":" if i == 0 else ",") + k + "=" + show(v) for i, (k, v) in enumerate(kwargs.items()))


def build(model, kwargs, flavour="tf.keras"):
    """The model as Keras builds it, and what Keras's code asked for on the way (input rules, weights file)."""
    entry = MODELS[model]
    if flavour == "keras_applications" and entry.ka is None:
        raise SystemExit("%s exists only in tf.keras (no keras_applications 1.0.8 code)" % model)
    weights_file = imagenet_file(model, kwargs, flavour)
    Recorder.rules = None
    K.clear_session(zero_based=flavour != "keras_applications")
    if flavour == "keras_applications":
        built = entry.ka(**dict({"weights": None}, **kwargs), **MODULES)
    else:
        built = entry.tf(**dict({"weights": None}, **kwargs))
    return built, dict(rules=Recorder.rules, weights_file=weights_file)


def imagenet_file(model, kwargs, flavour="tf.keras"):
    """The file Keras's code asks get_file for with these arguments and weights="imagenet"; None where Keras
    refuses them (the top with classes != 1000 or another classifier activation, an input shape other than the
    default with the top, an alpha without weights, ...)."""
    if kwargs.get("include_top", True) and (kwargs.get("classes", 1000) != 1000 or kwargs.get(
            "classifier_activation", "softmax") not in ("softmax", None)):
        return None
    K.clear_session()
    Recorder.files = []
    try:
        if flavour == "keras_applications":
            MODELS[model].ka(**dict(kwargs, weights="imagenet"), **MODULES)
            return Recorder.files[0] if Recorder.files else None
        MODELS[model].tf(**dict(kwargs, weights="imagenet"))
    except ValueError:
        return None
    return tf_weights_file(model, kwargs)


# ---------------------------------------------------------------------------------------------------------------
# spec
# ---------------------------------------------------------------------------------------------------------------


def describe(model):
    return [dict(class_name=type(l).__name__, name=l.name, config=l.get_config(), inbound=K.inbound_layers(l, model),
                 weights=[dict(name=w.name, shape=list(w.shape), trainable=w.trainable, dtype=np.dtype(w.dtype).name)
                          for w in l.ordered_weights()],
                 output_shape=list(K.output_of(l, model).shape))
            for l in model.layers]


def spec_of(model_name, kwargs, flavour):
    model, info = build(model_name, kwargs, flavour)
    total, trainable = model.count_params(), model.count_trainable()
    return dict(case=case_text(model_name, kwargs), model=model_name, flavour=flavour, kwargs=jsonable(kwargs),
                name=model.name, input_shape=list(model.inputs[0].shape), output_shape=list(model.output.shape),
                params=dict(total=total, trainable=trainable, non_trainable=total - trainable),
                input_rules=info["rules"], weights_file=info["weights_file"], layers=describe(model))


def jsonable(kwargs):
    return {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()}


def default_cases():
    return [case_text(m, v) for m, entry in MODELS.items() for v in entry.variants]


def spec(out_path, *cases):
    started, result = time.time(), dict(cases=[], models={})
    for text in cases or default_cases():
        name, kwargs, options = parse_case(text)
        flavour = options.get("flavour", "tf.keras")
        result["cases"].append(dict(spec_of(name, kwargs, flavour), case=text))
        if name not in result["models"]:
            result["models"][name] = model_facts(name)
    with open(out_path, "w") as f:
        f.write(json.dumps(result, separators=(",", ":")))
    print("%d cases in %.1f s" % (len(result["cases"]), time.time() - started))


def model_facts(name):
    """preprocess_input's mode and every weights file of the model, tf.keras 2.11's and 1.0.8's."""
    entry = MODELS[name]
    variants = weight_variants(name)
    tf_files = [tf_weights_file(name, v) for v in variants]
    ka_files = []
    if entry.ka:
        for v in variants:
            Recorder.files = []
            K.clear_session(zero_based=False)
            entry.ka(**dict(v, weights="imagenet"), **MODULES)
            ka_files += [f for f in Recorder.files if f not in ka_files]
    return dict(preprocess=entry.preprocess(), weights_files={"tf.keras": tf_files, "keras_applications": ka_files})


def weight_variants(name):
    """Every argument set that selects a different ImageNet file."""
    if name == "MobileNet":
        sizes, widths = (128, 160, 192, 224), (1.0, 0.75, 0.5, 0.25)
    elif name == "MobileNetV2":
        sizes, widths = (96, 128, 160, 192, 224), (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)
    elif name.startswith("MobileNetV3"):
        return [dict(t, **v) for v in ({"alpha": 0.75}, {}, {"minimalistic": True}) for t in TOPS]
    else:
        return list(TOPS)
    return [dict(t, alpha=a, input_shape=(s, s, 3)) for a in widths for s in sizes for t in TOPS]


# ---------------------------------------------------------------------------------------------------------------
# parity
# ---------------------------------------------------------------------------------------------------------------


def parity(out_dir, *cases):
    for text in cases:
        started = time.time()
        name, kwargs, options = parse_case(text)
        kwargs = dict(kwargs, input_shape=smallest_input(name, kwargs, options))
        model, info = build(name, kwargs, options.get("flavour", "tf.keras"))
        x = parity_input(text, model, name, kwargs, options)
        K.seed_weights(model)
        set_imagenet_normalization(model)
        y, outputs = K.predict(model, x, calibrate=options.get("calibrate", True), keep=True)
        y32 = K.predict(model, x, dtype=np.float32)  # what a float32 implementation may fairly differ by
        case_dir = os.path.join(out_dir, case_dir_name(text))
        os.makedirs(case_dir, exist_ok=True)
        K.save_weights(model, os.path.join(case_dir, "weights.h5"))
        write_case(case_dir, model, x, y, dict(case=text, kwargs=jsonable(kwargs), rules=info["rules"],
                                               float32_error=float(np.abs(y32 - y).max() / np.abs(y).max())))
        if options.get("dump"):
            dump_layers(case_dir, model, outputs)
        print("%s: %s -> %s, max |y| %.3g, %.1f s" % (text, x.shape, y.shape, np.abs(y).max(), time.time() - started))


def case_dir_name(text):
    """`MobileNet:alpha=0.5,include_top=0` -> `MobileNet_alpha=0.5_include_top=0`"""
    return text.replace(":", "_").replace(",", "_")


def smallest_input(name, kwargs, options):
    """The case's input_shape, else the smallest the model accepts: obtain_input_shape's min_size (its
    default_size for the top with weights="imagenet", which Keras requires)."""
    if kwargs.get("input_shape"):
        return kwargs["input_shape"]
    build(name, dict(kwargs, include_top=False), options.get("flavour", "tf.keras"))
    rules = Recorder.rules
    imagenet_top = kwargs.get("weights") == "imagenet" and kwargs.get("include_top", True) and rules["default_size"]
    size = rules["default_size"] if imagenet_top else rules["min_size"]
    return (size, size, 3)


def parity_input(text, model, name, kwargs, options):
    """Pixels in [0, 255] for models that rescale their input themselves, [-1, 1] otherwise."""
    rescales = name.startswith("EfficientNet") or (name.startswith("MobileNetV3")
                                                   and kwargs.get("include_preprocessing", True))
    low, high = options.get("low", 0.0 if rescales else -1.0), options.get("high", 255.0 if rescales else 1.0)
    shape = (options.get("batch", 2),) + tuple(model.inputs[0].shape[1:])
    return np.random.RandomState(zlib.crc32(text.encode())).uniform(low, high, shape).astype(np.float32)


def set_imagenet_normalization(model):
    """EfficientNet's Normalization as tf.keras's ImageNet files hold it: the mean, and the stddev as variance."""
    for layer in model.layers:
        if isinstance(layer, K.Normalization):
            mean, variance, count = layer.weights
            mean.value, variance.value = np.float32(IMAGENET_MEAN_RGB), np.float32(IMAGENET_STDDEV_RGB)
            count.value = np.int64(0)


def write_case(case_dir, model, x, y, meta):
    x.tofile(os.path.join(case_dir, "x.bin"))
    y.astype(np.float32).tofile(os.path.join(case_dir, "y.bin"))
    y.astype(np.float64).tofile(os.path.join(case_dir, "y64.bin"))
    with open(os.path.join(case_dir, "layers.txt"), "w") as f:
        f.write("\n".join(l.name for l in model.layers) + "\n")
    total, trainable = model.count_params(), model.count_trainable()
    meta.update(name=model.name, x_shape=list(x.shape), y_shape=list(y.shape),
                params=dict(total=total, trainable=trainable, non_trainable=total - trainable))
    with open(os.path.join(case_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)


def dump_layers(case_dir, model, outputs):
    """Every layer's output as float32 layer_<index in model.layers>.bin, indexed in layer_outputs.txt."""
    with open(os.path.join(case_dir, "layer_outputs.txt"), "w") as f:
        for i, layer in enumerate(model.layers):
            value = outputs[layer.name]
            value.astype(np.float32).tofile(os.path.join(case_dir, "layer_%d.bin" % i))
            f.write("%d\t%s\t%s\n" % (i, layer.name, "x".join(str(d) for d in value.shape)))


# ---------------------------------------------------------------------------------------------------------------
# layers: single-layer cases
# ---------------------------------------------------------------------------------------------------------------


def single(layer_fn, shape):
    return lambda: (lambda i: (i, layer_fn()(i)))(layers.Input(shape=shape))


def two_input(make, shape):
    """Layers taking [x, f(x)]: Multiply's broadcast, the scaled-residual Lambda."""

    def graph():
        i = layers.Input(shape=shape)
        return i, make(i)

    return graph


LAYER_CASES = {
    "depthwise_k3_s1_same": single(lambda: layers.DepthwiseConv2D(3, padding="same", use_bias=False), (7, 6, 4)),
    "depthwise_k3_s2_valid_dm2_bias": single(lambda: layers.DepthwiseConv2D(3, strides=2, depth_multiplier=2),
                                             (9, 8, 3)),
    "depthwise_k5_s2_same_odd": single(lambda: layers.DepthwiseConv2D(5, strides=2, padding="same"), (9, 10, 3)),
    "separable_k3_s1_same": single(lambda: layers.SeparableConv2D(5, 3, padding="same", use_bias=False), (7, 6, 4)),
    "separable_k3_s2_same_dm2_bias": single(
        lambda: layers.SeparableConv2D(6, 3, strides=2, padding="same", depth_multiplier=2), (9, 7, 3)),
    "separable_k7_s2_valid": single(lambda: layers.SeparableConv2D(4, 7, strides=2, use_bias=False), (13, 12, 3)),
    "conv_k3_s2_same_odd": single(lambda: layers.Conv2D(5, 3, strides=2, padding="same"), (9, 7, 3)),
    "conv_k7_s2_same_even": single(lambda: layers.Conv2D(4, 7, strides=2, padding="same", use_bias=False),
                                   (10, 8, 3)),
    "conv_k1x7_same": single(lambda: layers.Conv2D(4, (1, 7), padding="same", use_bias=False), (5, 9, 3)),
    "conv_k3_swish": single(lambda: layers.Conv2D(4, 3, activation="swish"), (6, 6, 3)),
    "maxpool_k3_s2_same_odd": single(lambda: layers.MaxPooling2D(3, strides=2, padding="same"), (7, 9, 3)),
    "maxpool_k3_s2_same_even": single(lambda: layers.MaxPooling2D(3, strides=2, padding="same"), (8, 6, 3)),
    "maxpool_k3_s1_same": single(lambda: layers.MaxPooling2D(3, strides=1, padding="same"), (5, 6, 3)),
    "maxpool_k3_s2_valid": single(lambda: layers.MaxPooling2D(3, strides=2), (9, 8, 3)),
    "avgpool_k3_s2_same_odd": single(lambda: layers.AveragePooling2D(3, strides=2, padding="same"), (7, 9, 3)),
    "avgpool_k3_s1_same": single(lambda: layers.AveragePooling2D(3, strides=1, padding="same"), (5, 6, 3)),
    "avgpool_k2_s2_valid_odd": single(lambda: layers.AveragePooling2D(2, strides=2), (7, 7, 3)),
    "avgpool_k1_s2_valid": single(lambda: layers.AveragePooling2D((1, 1), strides=(2, 2)), (7, 6, 3)),
    "global_avg_keepdims": single(lambda: layers.GlobalAveragePooling2D(keepdims=True), (5, 4, 3)),
    "global_max": single(lambda: layers.GlobalMaxPooling2D(), (5, 4, 3)),
    "batchnorm_center_no_scale": single(lambda: layers.BatchNormalization(scale=False), (4, 4, 5)),
    "batchnorm_eps_1.001e-5": single(lambda: layers.BatchNormalization(epsilon=1.001e-5), (4, 4, 5)),
    "relu6": single(lambda: layers.ReLU(6.0), (4, 4, 3)),
    "relu_slope_threshold_max": single(lambda: layers.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.25),
                                       (4, 4, 3)),
    "relu_negative_slope": single(lambda: layers.ReLU(negative_slope=0.2), (4, 4, 3)),
    "relu_threshold": single(lambda: layers.ReLU(threshold=0.5), (4, 4, 3)),
    "relu_negative_threshold_max": single(lambda: layers.ReLU(max_value=1.0, threshold=-0.5), (4, 4, 3)),
    "relu_leaky": single(lambda: layers.ReLU(negative_slope=0.3, max_value=None), (4, 4, 3)),
    "activation_swish": single(lambda: layers.Activation("swish"), (4, 4, 3)),
    "activation_hard_sigmoid": single(lambda: layers.Activation("hard_sigmoid"), (4, 4, 3)),
    "activation_sigmoid": single(lambda: layers.Activation("sigmoid"), (4, 4, 3)),
    "activation_softmax": single(lambda: layers.Activation("softmax"), (2, 3, 7)),
    "zero_padding_asymmetric": single(lambda: layers.ZeroPadding2D(((0, 1), (2, 3))), (3, 4, 2)),
    "cropping_top_left": single(lambda: layers.Cropping2D(((1, 0), (1, 0))), (5, 4, 2)),
    "flatten_hwc": single(lambda: layers.Flatten(), (3, 4, 2)),
    "reshape": single(lambda: layers.Reshape((1, 1, 24)), (2, 3, 4)),
    "dense_softmax": single(lambda: layers.Dense(7, activation="softmax"), (12,)),
    "rescaling_offset": single(lambda: layers.Rescaling(1.0 / 127.5, offset=-1.0), (4, 4, 3)),
    "rescaling_per_channel": single(lambda: layers.Rescaling(1.0 / np.sqrt(np.float32(IMAGENET_STDDEV_RGB))),
                                    (4, 4, 3)),
    "normalization_imagenet": single(lambda: layers.Normalization(axis=3), (4, 5, 3)),
    "tfop_add_multiply": two_input(lambda i: layers.ReLU(6.0)(i + 3.0) * (1.0 / 6.0), (4, 4, 3)),
    "multiply_broadcast": two_input(lambda i: layers.Multiply()([i, layers.GlobalAveragePooling2D(keepdims=True)(i)]),
                                    (4, 5, 3)),
    "lambda_scaled_residual": two_input(lambda i: layers.Lambda(
        lambda inputs, scale: inputs[0] + inputs[1] * scale, arguments={"scale": 0.17}, name="block35_1")(
        [i, layers.Conv2D(3, 1, name="block35_1_conv")(i)]), (4, 4, 3)),
}


def layer_cases(out_dir):
    """Each case a tiny model Input -> layer(s), seeded; BN statistics stay the seeded ones (no calibration)."""
    described = {}
    for case, graph in LAYER_CASES.items():
        K.clear_session()
        i, o = graph()
        model = K.Model(i, o, name=case)
        x = np.random.RandomState(zlib.crc32(case.encode())).uniform(-2, 2, (2,) + i.shape[1:]).astype(np.float32)
        K.seed_weights(model)
        set_imagenet_normalization(model)
        y = K.predict(model, x, calibrate=False)
        K.save_weights(model, os.path.join(out_dir, case + ".h5"))
        x.tofile(os.path.join(out_dir, case + ".x.bin"))
        y.astype(np.float32).tofile(os.path.join(out_dir, case + ".y.bin"))
        described[case] = dict(x_shape=list(x.shape), y_shape=list(y.shape), layers=describe(model))
    with open(os.path.join(out_dir, "layers.json"), "w") as f:
        json.dump(described, f, indent=1)
    print("%d layer cases" % len(described))


# ---------------------------------------------------------------------------------------------------------------
# totals
# ---------------------------------------------------------------------------------------------------------------


def totals():
    out = {}
    for name in MODELS:
        kwargs = {"weights": "imagenet"} if name.startswith("EfficientNet") else {}
        model, _ = build(name, kwargs)
        out[name] = dict(total=model.count_params(), trainable=model.count_trainable(), layers=len(model.layers))
    print(json.dumps(out, indent=1))


# ---------------------------------------------------------------------------------------------------------------
# crosscheck: the tf.keras flavour against tf.keras's own files, run on the same stand-ins
# ---------------------------------------------------------------------------------------------------------------


def install_tf_keras(keras_dir):
    """Minimal `tensorflow` and `keras` modules over keras_shim, so that keras/applications/*.py import."""
    import types

    def module(name, **members):
        m = types.ModuleType(name)
        m.__dict__.update(members)
        m.__path__ = []
        sys.modules[name] = m
        return m

    files = []
    module("tensorflow")
    module("tensorflow.compat")
    module("tensorflow.compat.v2", io=K.Namespace(gfile=K.Namespace(exists=lambda p: False)),
           math=K.Namespace(sqrt=lambda v: np.sqrt(np.float32(v))))
    for name in ("tensorflow.python", "tensorflow.python.util", "tensorflow.python.platform"):
        module(name)
    module("tensorflow.python.util.tf_export", keras_export=lambda *a, **k: (lambda f: f))
    module("tensorflow.python.platform.tf_logging", warning=lambda *a, **k: None)
    keras = module("keras")
    module("keras.backend", image_data_format=backend.image_data_format, int_shape=K.int_shape,
           is_keras_tensor=K.is_keras_tensor, name_scope=K.name_scope, set_image_data_format=lambda f: None)
    keras.layers = module("keras.layers", VersionAwareLayers=lambda: layers, Layer=K.Layer)
    module("keras.activations", softmax="softmax", get=lambda a: a)
    module("keras.engine")
    module("keras.engine.training", Model=K.Model)
    module("keras.models", Model=K.Model)
    keras.utils = module("keras.utils", register_keras_serializable=lambda *a, **k: (lambda c: c))
    module("keras.utils.data_utils", get_file=lambda fname, origin, **kw: files.append(
        dict(fname=fname, origin=origin, cache_subdir=kw.get("cache_subdir"), file_hash=kw.get("file_hash")))
        or fname)
    module("keras.utils.layer_utils", get_source_inputs=K.get_source_inputs)
    module("keras.applications")
    return files


def load_tf_keras_module(keras_dir, name):
    import importlib.util

    path = os.path.join(keras_dir, "keras", "applications", name + ".py")
    spec_ = importlib.util.spec_from_file_location("keras.applications." + name, path)
    module = importlib.util.module_from_spec(spec_)
    sys.modules["keras.applications." + name] = module
    spec_.loader.exec_module(module)
    return module


TF_KERAS_CONSTRUCTORS = {  # model: (module, function)
    "VGG16": ("vgg16", "VGG16"), "VGG19": ("vgg19", "VGG19"), "InceptionV3": ("inception_v3", "InceptionV3"),
    "InceptionResNetV2": ("inception_resnet_v2", "InceptionResNetV2"), "Xception": ("xception", "Xception"),
    "MobileNet": ("mobilenet", "MobileNet"), "MobileNetV2": ("mobilenet_v2", "MobileNetV2"),
    "NASNetMobile": ("nasnet", "NASNetMobile"), "NASNetLarge": ("nasnet", "NASNetLarge"),
}
TF_KERAS_CONSTRUCTORS.update({m: ("resnet" if "V2" not in m else "resnet_v2", m)
                              for m in MODELS if m.startswith("ResNet")})
TF_KERAS_CONSTRUCTORS.update({m: ("densenet", m) for m in MODELS if m.startswith("DenseNet")})
TF_KERAS_CONSTRUCTORS.update({m: ("efficientnet", m) for m in MODELS if m.startswith("EfficientNet")})
TF_KERAS_CONSTRUCTORS.update({m: ("mobilenet_v3", m) for m in MODELS if m.startswith("MobileNetV3")})


def crosscheck(keras_dir):
    files = install_tf_keras(keras_dir)
    modules = {}
    for name in ["imagenet_utils"] + sorted({m for m, _ in TF_KERAS_CONSTRUCTORS.values()}):
        modules[name] = load_tf_keras_module(keras_dir, name)
    cases = default_cases() + CROSSCHECK_EXTRA
    failures = 0
    for text in cases:
        model_name, kwargs, _ = parse_case(text)
        mine = spec_of(model_name, kwargs, "tf.keras")
        module, function = TF_KERAS_CONSTRUCTORS[model_name]
        K.clear_session()
        theirs = getattr(modules[module], function)(**dict({"weights": None}, **kwargs))
        failures += compare(text, mine, theirs, modules[module], files, kwargs)
    print("%d cases, %d differ" % (len(cases), failures))
    return failures


CROSSCHECK_EXTRA = [
    "VGG16:include_top=0,pooling=avg", "VGG19:input_shape=48x64,include_top=0,pooling=max",
    "ResNet50V2:classifier_activation=None,classes=10", "InceptionV3:input_shape=75x75,include_top=0,pooling=avg",
    "InceptionResNetV2:input_shape=75x80,include_top=1,classes=3", "Xception:include_top=0,pooling=max",
    "MobileNet:input_shape=32x32,alpha=0.5,depth_multiplier=2,dropout=0.2",
    "MobileNet:input_shape=33x35,include_top=0,pooling=avg", "MobileNet:weights=imagenet,input_shape=160x160",
    "MobileNetV2:input_shape=33x35,include_top=0,pooling=max", "MobileNetV2:weights=imagenet,input_shape=96x96",
    "DenseNet121:input_shape=32x32,include_top=0,pooling=max", "DenseNet169:input_shape=32x32,pooling=avg",
    "NASNetMobile:input_shape=32x32", "NASNetMobile:input_shape=33x33,include_top=0",
    "NASNetLarge:input_shape=32x32,include_top=0,pooling=avg", "EfficientNetB3:input_shape=33x47,include_top=0",
    "EfficientNetB7:input_shape=32x32,classifier_activation=None",
    "EfficientNetB1:weights=imagenet,include_top=0,pooling=max",
    "MobileNetV3Small:input_shape=32x32,alpha=1.5", "MobileNetV3Large:input_shape=33x35,include_top=0,pooling=avg",
    "MobileNetV3Large:alpha=0.75,dropout_rate=0,classes=10",
    "MobileNetV3Small:minimalistic=1,include_preprocessing=0,weights=imagenet",
]


def compare(text, mine, theirs, module, files, kwargs):
    """1 when the port and tf.keras's file build different models, weights files or preprocessing."""
    problems = []
    if mine["name"] != theirs.name:
        problems.append("model name %s != %s" % (mine["name"], theirs.name))
    their_layers = describe(theirs)
    for i, (a, b) in enumerate(zip(mine["layers"], their_layers)):
        if a != b:
            problems.append("layer %d:\n   port: %s\n   keras: %s" % (i, json.dumps(a)[:600], json.dumps(b)[:600]))
            break
    if len(mine["layers"]) != len(their_layers):
        problems.append("%d layers != %d" % (len(mine["layers"]), len(their_layers)))
    their_file = tf_keras_weights_file(module, mine["model"], kwargs, files)
    if mine["weights_file"] != their_file:
        problems.append("weights file %s != %s" % (mine["weights_file"], their_file))
    mode = tf_keras_preprocess_mode(module)
    if mode != MODELS[mine["model"]].preprocess():
        problems.append("preprocess %s != %s" % (MODELS[mine["model"]].preprocess(), mode))
    for p in problems:
        print("%s: %s" % (text, p))
    return 1 if problems else 0


def tf_keras_weights_file(module, model, kwargs, files):
    """The file tf.keras's code asks get_file for with weights="imagenet" (None where it refuses the arguments)."""
    files.clear()
    K.clear_session()
    try:
        getattr(module, TF_KERAS_CONSTRUCTORS[model][1])(**dict(kwargs, weights="imagenet"))
    except ValueError:
        return None
    return files[0] if files else None


def tf_keras_preprocess_mode(module):
    """The mode tf.keras's preprocess_input passes on (None: returns its input unchanged)."""
    seen = []
    utils = sys.modules["keras.applications.imagenet_utils"]
    real, utils.preprocess_input = utils.preprocess_input, lambda x, data_format=None, mode="caffe": seen.append(mode)
    try:
        module.preprocess_input(np.zeros((1, 2, 2, 3), np.float32))
    finally:
        utils.preprocess_input = real
    return seen[0] if seen else None


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command in ("totals",):
        totals()
    elif command == "crosscheck":
        sys.exit(1 if crosscheck(*args) else 0)
    else:
        {"spec": spec, "parity": parity, "layers": layer_cases}[command](*args)
