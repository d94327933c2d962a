#!/usr/bin/env python3
"""Reference outputs of Keras layers, written out in numpy on channels-last (NHWC) arrays.

TensorFlow is not installed, so each layer is computed from its definition as tf.keras 2.x applies it:
'same' padding as TensorFlow pads (pad_total = max((ceil(in/s)-1)*s + (k-1)*d+1 - in, 0), the odd pixel
after), max pooling never choosing padding, average pooling dividing by the pixels inside the image only.

usage: layers_ref.py COMMAND [ARG...] INPUT_FILE
  Input and output lines: `name shape v0 v1 ...` (the format of keras_math_ref.py).
  conv2d PADDING FILE         x, kernel (HWIO), bias, strides, dilation            -> y
  pool max|avg PADDING FILE   x, pool_size, strides                                -> y
  batch_norm FILE             x, gamma, beta, moving_mean, moving_variance,
                              epsilon, momentum, training                          -> y, moving_mean, moving_variance
  zero_padding FILE           x, padding (top, bottom, left, right)                -> y
  flatten_dense FILE          x, kernel, bias                                      -> y
  depthwise PADDING FILE      x, kernel (kh, kw, C, M), bias, strides, dilation    -> y   (torch, float64)
  separable PADDING FILE      x, depthwise_kernel, pointwise_kernel (1, 1, C*M, F),
                              bias, strides, dilation                              -> y   (torch, float64)
  relu FILE                   x, [max_value], negative_slope, threshold            -> y   (backend.relu)
  normalization FILE          x, mean, variance (broadcast to x), invert           -> y
  activation NAME FILE        x                                                    -> y
"""
import sys

import numpy as np

from keras_math_ref import read, write


def same_padding(size, kernel, stride, dilation=1):
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def pad_hw(x, padding, kernel, strides, dilation=(1, 1), value=0.0):
    if padding == 'valid':
        return x
    ph = same_padding(x.shape[1], kernel[0], strides[0], dilation[0])
    pw = same_padding(x.shape[2], kernel[1], strides[1], dilation[1])
    return np.pad(x, ((0, 0), ph, pw, (0, 0)), constant_values=value)


def grid(x, kernel, strides, dilation):
    """The output rows and columns of a valid window sweep, and each window's span in pixels."""
    span = [(kernel[a] - 1) * dilation[a] + 1 for a in range(2)]
    return (x.shape[1] - span[0]) // strides[0] + 1, (x.shape[2] - span[1]) // strides[1] + 1, span


def windows(x, kernel, strides, dilation=(1, 1)):
    """Yields (i, j, patch) with patch[n, a, b, c] = x[n, i*s + a*d, j*s + b*d, c]."""
    rows, cols, span = grid(x, kernel, strides, dilation)
    for i in range(rows):
        for j in range(cols):
            top, left = i * strides[0], j * strides[1]
            yield i, j, x[:, top:top + span[0]:dilation[0], left:left + span[1]:dilation[1], :]


def output_grid(x, kernel, strides, dilation, channels):
    rows, cols, _ = grid(x, kernel, strides, dilation)
    return np.zeros((x.shape[0], rows, cols, channels))


def conv2d(padding, v):
    kernel, strides, dilation = v['kernel'], v['strides'].astype(int), v['dilation'].astype(int)
    x = pad_hw(v['x'], padding, kernel.shape[:2], strides, dilation)
    y = output_grid(x, kernel.shape[:2], strides, dilation, kernel.shape[3])
    for i, j, patch in windows(x, kernel.shape[:2], strides, dilation):
        y[:, i, j, :] = np.einsum('nabc,abco->no', patch, kernel)
    write('y', y + v['bias'])


def pool(kind, padding, v):
    size, strides = v['pool_size'].astype(int), v['strides'].astype(int)
    # NaN marks padding: nanmax/nanmean skip it, which is what TensorFlow's kernels do.
    x = pad_hw(v['x'], padding, size, strides, value=np.nan)
    y = output_grid(x, size, strides, (1, 1), x.shape[3])
    reduce = np.nanmax if kind == 'max' else np.nanmean
    for i, j, patch in windows(x, size, strides):
        y[:, i, j, :] = reduce(patch, axis=(1, 2))
    write('y', y)


def batch_norm(v):
    x, momentum = v['x'], float(v['momentum'])
    mean, variance = v['moving_mean'], v['moving_variance']
    if float(v['training']):
        axes = tuple(range(x.ndim - 1))
        count = x.size // x.shape[-1]
        mean_b, var_b = x.mean(axis=axes), x.var(axis=axes)
        # Keras's assign_moving_average; TensorFlow's fused kernel averages the unbiased batch variance.
        write('moving_mean', mean * momentum + mean_b * (1 - momentum))
        write('moving_variance', variance * momentum + var_b * count / (count - 1) * (1 - momentum))
        mean, variance = mean_b, var_b
    write('y', (x - mean) / np.sqrt(variance + float(v['epsilon'])) * v['gamma'] + v['beta'])


def zero_padding(v):
    top, bottom, left, right = v['padding'].astype(int)
    write('y', np.pad(v['x'], ((0, 0), (top, bottom), (left, right), (0, 0))))


def flatten_dense(v):
    x = v['x']
    write('y', x.reshape(x.shape[0], -1) @ v['kernel'] + v['bias'])


def torch_nchw_same_padded(v, padding, kernel):
    """x as a float64 NCHW torch tensor, padded as TensorFlow pads 'same' (the odd pixel bottom/right)."""
    import torch
    strides, dilation = v['strides'].astype(int), v['dilation'].astype(int)
    x = pad_hw(v['x'], padding, kernel, strides, dilation)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2))), tuple(strides), tuple(dilation)


def depthwise(padding, v):
    """tf.nn.depthwise_conv2d: output channel c * M + m is input channel c convolved with kernel[:, :, c, m]."""
    import torch
    import torch.nn.functional as F
    kernel = v['kernel']
    kh, kw, c, m = kernel.shape
    x, strides, dilation = torch_nchw_same_padded(v, padding, (kh, kw))
    weight = torch.from_numpy(np.ascontiguousarray(kernel.transpose(2, 3, 0, 1).reshape(c * m, 1, kh, kw)))
    y = F.conv2d(x, weight, torch.from_numpy(v['bias']), stride=strides, dilation=dilation, groups=c)
    write('y', y.permute(0, 2, 3, 1).numpy())


def separable(padding, v):
    """tf.nn.separable_conv2d: the depthwise step (stride, padding, dilation), a 1x1 pointwise step, the bias."""
    import torch
    import torch.nn.functional as F
    kernel, pointwise = v['depthwise_kernel'], v['pointwise_kernel']
    kh, kw, c, m = kernel.shape
    x, strides, dilation = torch_nchw_same_padded(v, padding, (kh, kw))
    weight = torch.from_numpy(np.ascontiguousarray(kernel.transpose(2, 3, 0, 1).reshape(c * m, 1, kh, kw)))
    y = F.conv2d(x, weight, None, stride=strides, dilation=dilation, groups=c)
    y = F.conv2d(y, torch.from_numpy(np.ascontiguousarray(pointwise.transpose(3, 2, 0, 1))),
                 torch.from_numpy(v['bias']))
    write('y', y.permute(0, 2, 3, 1).numpy())


def relu(v):
    """keras.backend.relu(x, alpha, max_value, threshold) of tf.keras 2.11, on float32 values."""
    x = v['x'].astype(np.float32).astype(np.float64)
    alpha, threshold = float(v['negative_slope']), float(v['threshold'])
    max_value = float(v['max_value']) if 'max_value' in v else None
    if alpha != 0 and max_value is None and threshold == 0:
        write('y', np.where(x > 0, x, alpha * x))  # tf.nn.leaky_relu
        return
    negative = np.maximum(threshold - x, 0) if alpha != 0 else 0
    y = x * (x > threshold) if threshold != 0 else np.maximum(x, 0)
    if max_value is not None:
        y = np.clip(y, 0, max_value)
    write('y', y - alpha * negative)


def normalization(v):
    """tf.keras 2.11's Normalization: (x - mean) / max(sqrt(variance), 1e-7), or its inverse."""
    x, mean = v['x'], v['mean'].astype(np.float32).astype(np.float64)
    stddev = np.maximum(np.sqrt(v['variance'].astype(np.float32).astype(np.float64)), 1e-7)
    write('y', mean + x * stddev if float(v['invert']) else (x - mean) / stddev)


ACTIVATIONS = {
    'relu6': lambda x: np.clip(x, 0, 6),
    'swish': lambda x: x / (1 + np.exp(-x)),
    'silu': lambda x: x / (1 + np.exp(-x)),
    'hard_sigmoid': lambda x: np.clip(0.2 * x + 0.5, 0, 1),  # tf.keras 2.x's backend.hard_sigmoid
    'hard_swish': lambda x: x * np.clip(x + 3, 0, 6) / 6,
    'sigmoid': lambda x: 1 / (1 + np.exp(-x)),
    'exponential': np.exp,
}


def main(argv):
    command, args, values = argv[1], argv[2:-1], read(argv[-1])
    if command == 'conv2d':
        conv2d(args[0], values)
    elif command == 'pool':
        pool(args[0], args[1], values)
    elif command == 'batch_norm':
        batch_norm(values)
    elif command == 'zero_padding':
        zero_padding(values)
    elif command == 'flatten_dense':
        flatten_dense(values)
    elif command == 'depthwise':
        depthwise(args[0], values)
    elif command == 'separable':
        separable(args[0], values)
    elif command == 'relu':
        relu(values)
    elif command == 'normalization':
        normalization(values)
    elif command == 'activation':
        write('y', ACTIVATIONS[args[0]](values['x']))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    main(sys.argv)
