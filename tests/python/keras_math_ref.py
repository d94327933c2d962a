#!/usr/bin/env python3
"""Reference values for tl's optimizers, losses and metrics: tf.keras 2.x formulas ported to numpy.

TensorFlow is not installed, so the update rules are written out from TF's kernels (training_ops.cc:
ApplyAdam, ApplyAdamWithAmsgrad, ApplyKerasMomentum, ApplyRMSProp, ApplyCenteredRMSProp and the Python
RMSprop path), the losses from keras.backend, and metric resolution from keras.engine.compile_utils.

usage: keras_math_ref.py COMMAND [ARG] INPUT_FILE
  Input and output lines: `name shape v0 v1 ...`, shape as `2,3` (`-` for a scalar).
  adam|sgd|rmsprop FILE       -> param/<i> and slots after every step
  loss NAME FILE              -> per_sample, loss
  metric NAME FILE            -> result (batches batch/<b>/y_true, y_pred, [sample_weight])
  accuracy_kind FILE          -> case/<k>: 0 binary, 1 sparse categorical, 2 categorical (shapes only)
"""
import sys

import numpy as np

EPSILON = 1e-7  # keras.backend.epsilon()


def read(path):
    values = {}
    for line in open(path):
        parts = line.split()
        if not parts:
            continue
        shape = () if parts[1] == '-' else tuple(int(d) for d in parts[1].split(','))
        values[parts[0]] = np.array([float(v) for v in parts[2:]], dtype=np.float64).reshape(shape)
    return values


def write(name, array):
    array = np.asarray(array, dtype=np.float64)
    shape = ','.join(str(d) for d in array.shape) if array.ndim else '-'
    print(name, shape, ' '.join(repr(float(v)) for v in array.reshape(-1)))


# ---- optimizers: one function per kernel, called for each variable that has a gradient ----

def adam(o, t, var, g, s):
    alpha = o['learning_rate'] * np.sqrt(1 - o['beta_2'] ** t) / (1 - o['beta_1'] ** t)
    s['m'] += (g - s['m']) * (1 - o['beta_1'])
    s['v'] += (g * g - s['v']) * (1 - o['beta_2'])
    if o['amsgrad']:
        s['vhat'] = np.maximum(s['vhat'], s['v'])
        var -= (s['m'] * alpha) / (np.sqrt(s['vhat']) + o['epsilon'])
    else:
        var -= (s['m'] * alpha) / (np.sqrt(s['v']) + o['epsilon'])


def sgd(o, t, var, g, s):
    lr, momentum = o['learning_rate'], o['momentum']
    if momentum == 0:
        var -= lr * g
        return
    s['momentum'][...] = s['momentum'] * momentum - g * lr
    if o['nesterov']:
        var += s['momentum'] * momentum - g * lr
    else:
        var += s['momentum']


def rmsprop(o, t, var, g, s):
    lr, rho, eps, momentum = o['learning_rate'], o['rho'], o['epsilon'], o['momentum']
    if momentum > 0:  # ResourceApplyRMSProp / ResourceApplyCenteredRMSProp: epsilon inside the sqrt
        s['rms'] += (g * g - s['rms']) * (1 - rho)
        denom = s['rms'] + eps
        if o['centered']:
            s['mg'] += (g - s['mg']) * (1 - rho)
            denom = (s['rms'] - s['mg'] ** 2) + eps
        s['momentum'][...] = s['momentum'] * momentum + (g * lr) / np.sqrt(denom)
        var -= s['momentum']
        return
    s['rms'][...] = rho * s['rms'] + (1 - rho) * g * g  # the Python path of RMSprop._resource_apply_dense
    denom = s['rms']
    if o['centered']:
        s['mg'][...] = rho * s['mg'] + (1 - rho) * g
        denom = s['rms'] - s['mg'] ** 2
    var -= lr * g / (np.sqrt(denom) + eps)


OPTIMIZERS = {'adam': (adam, ['m', 'v', 'vhat']), 'sgd': (sgd, ['momentum']),
              'rmsprop': (rmsprop, ['rms', 'momentum', 'mg'])}


def run_optimizer(kind, v):
    update, slot_names = OPTIMIZERS[kind]
    o = {k: float(x) for k, x in v.items() if x.ndim == 0}
    params = [v[k].copy() for k in sorted((k for k in v if k.startswith('param/')), key=lambda k: int(k[6:]))]
    slots = [{name: np.zeros_like(p) for name in slot_names} for p in params]
    for t in range(1, int(o['steps']) + 1):  # local_step = iterations + 1
        for i, p in enumerate(params):
            g = v.get('grad/%d/%d' % (t, i))
            if g is not None:  # a None gradient: the variable is skipped, iterations still advance
                update(o, t, p, g, slots[i])
    for i, p in enumerate(params):
        write('param/%d' % i, p)
        for name in slot_names:
            write('%s/%d' % (name, i), slots[i][name])


# ---- losses: keras.backend's functions ----

def clip(p):
    return np.clip(p, EPSILON, 1 - EPSILON)


def log_softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def binary_crossentropy(t, p, o):
    if o.get('label_smoothing', 0):
        t = t * (1 - o['label_smoothing']) + 0.5 * o['label_smoothing']
    if o.get('from_logits'):  # tf.nn.sigmoid_cross_entropy_with_logits
        e = np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
    else:
        p = clip(p)
        e = -(t * np.log(p + EPSILON) + (1 - t) * np.log(1 - p + EPSILON))
    return e.mean(axis=-1)


def categorical_crossentropy(t, p, o):
    if o.get('label_smoothing', 0):
        t = t * (1 - o['label_smoothing']) + o['label_smoothing'] / t.shape[-1]
    if o.get('from_logits'):
        return -(t * log_softmax(p)).sum(axis=-1)
    p = clip(p / p.sum(axis=-1, keepdims=True))
    return -(t * np.log(p)).sum(axis=-1)


def sparse_categorical_crossentropy(t, p, o):
    logits = p if o.get('from_logits') else np.log(clip(p))
    labels = t.reshape(-1).astype(np.int64)
    flat = log_softmax(logits.reshape(-1, logits.shape[-1]))
    return -flat[np.arange(len(labels)), labels].reshape(p.shape[:-1])


def mean_squared_error(t, p, o):
    return ((p - t) ** 2).mean(axis=-1)


def mean_absolute_error(t, p, o):
    return np.abs(p - t).mean(axis=-1)


LOSSES = {f.__name__: f for f in [binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
                                  mean_squared_error, mean_absolute_error]}


def match_rank(y_t, y_p, sw):
    """compile_utils.match_dtype_and_rank, then losses_utils.squeeze_or_expand_dimensions(y_pred, y_true)."""
    if y_t.ndim == 1 and y_p.ndim == 2:
        y_t = y_t[:, None]
    if sw is not None and sw.ndim == 1 and y_p.ndim == 2:
        sw = sw[:, None]
    if y_p.ndim - y_t.ndim == 1 and y_p.shape[-1] == 1:
        y_p = y_p[..., 0]
    elif y_t.ndim - y_p.ndim == 1 and y_t.shape[-1] == 1:
        y_t = y_t[..., 0]
    return y_t, y_p, sw


def squeeze_or_expand_weights(values, sw):
    if sw.ndim == 0:
        return sw
    if sw.ndim - values.ndim == 1:
        return sw[..., 0]
    if values.ndim - sw.ndim == 1:
        return sw[..., None]
    return sw


def run_loss(name, v):
    o = {k: float(x) for k, x in v.items() if x.ndim == 0}
    y_t, y_p, sw = match_rank(v['y_true'], v['y_pred'], v.get('sample_weight'))
    if name == 'sparse_categorical_crossentropy':  # sparse labels keep their own shape (N,) or (N, 1)
        y_t, y_p, sw = v['y_true'], v['y_pred'], v.get('sample_weight')
    losses = LOSSES[name](y_t, y_p, o)
    weighted = losses if sw is None else losses * np.broadcast_to(squeeze_or_expand_weights(losses, sw), losses.shape)
    write('per_sample', losses)
    write('loss', weighted.sum() / weighted.size if weighted.size else 0.0)  # SUM_OVER_BATCH_SIZE


# ---- metrics: keras.metrics functions inside MeanMetricWrapper and Reduce(WEIGHTED_MEAN) ----

def binary_accuracy(t, p, threshold=0.5):
    return (t == (p > threshold).astype(p.dtype)).astype(np.float64).mean(axis=-1)


def sparse_categorical_accuracy(t, p):
    if t.ndim == p.ndim:
        t = t[..., 0]
    return (t == p.argmax(axis=-1)).astype(np.float64)


def categorical_accuracy(t, p):
    return (t.argmax(axis=-1) == p.argmax(axis=-1)).astype(np.float64)


METRICS = {'binary_accuracy': binary_accuracy, 'sparse_categorical_accuracy': sparse_categorical_accuracy,
           'categorical_accuracy': categorical_accuracy}


def accuracy_kind(y_t_shape, y_p_shape):
    """compile_utils.MetricsContainer._get_metric_object for 'accuracy'/'acc'."""
    is_binary = y_p_shape[-1] == 1
    is_sparse_categorical = len(y_t_shape) < len(y_p_shape) or (y_t_shape[-1] == 1 and y_p_shape[-1] > 1)
    return 0 if is_binary else 1 if is_sparse_categorical else 2


def run_metric(name, v):
    total = count = 0.0
    batches = sorted({k.split('/')[1] for k in v if k.startswith('batch/')}, key=int)
    for b in batches:
        y_t, y_p, sw = match_rank(v['batch/%s/y_true' % b], v['batch/%s/y_pred' % b], v.get('batch/%s/sample_weight' % b))
        fn = METRICS.get(name)
        values = fn(y_t, y_p) if fn else LOSSES[name](y_t, y_p, {})
        if sw is None:
            total, count = total + values.sum(), count + values.size
        else:
            sw = np.broadcast_to(squeeze_or_expand_weights(values, sw), values.shape)
            total, count = total + (values * sw).sum(), count + sw.sum()
    write('result', total / count if count else 0.0)


def run_accuracy_kind(v):
    cases = sorted({k.split('/')[1] for k in v if k.startswith('case/')}, key=int)
    for c in cases:
        write('case/%s' % c, accuracy_kind(v['case/%s/y_true' % c].shape, v['case/%s/y_pred' % c].shape))


def main(argv):
    command = argv[1]
    if command in OPTIMIZERS:
        run_optimizer(command, read(argv[2]))
    elif command == 'loss':
        run_loss(argv[2], read(argv[3]))
    elif command == 'metric':
        run_metric(argv[2], read(argv[3]))
    elif command == 'accuracy_kind':
        run_accuracy_kind(read(argv[2]))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    main(sys.argv)
