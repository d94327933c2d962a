"""Keras 2.11's callbacks without TensorFlow: the on_epoch_end logic and messages of EarlyStopping,
ModelCheckpoint, ReduceLROnPlateau and CSVLogger, ported line for line from keras/callbacks.py, fed a sequence
of per-epoch logs. Prints what Keras prints (print_msg) and, for CSVLogger, the file Keras writes.

usage: keras_callbacks.py NAME 'OPTIONS_JSON' 'LOGS_JSON'   (LOGS_JSON: a list of {name: value} per epoch)
"""
import csv, io, json, sys
import numpy as np


def print_msg(message):
    sys.stdout.write(message + "\n")


def logs_as_keras(logs):
    # Keras's logs hold float32 results converted to Python floats.
    return {k: float(np.float32(v)) for k, v in logs.items()}


def early_stopping(o, epochs):
    monitor, patience = o.get("monitor", "val_loss"), o.get("patience", 0)
    min_delta, baseline, mode = abs(o.get("min_delta", 0)), o.get("baseline"), o.get("mode", "auto")
    restore, start_from_epoch, verbose = o.get("restore_best_weights", False), o.get("start_from_epoch", 0), o.get("verbose", 0)
    if mode == "min": op = np.less
    elif mode == "max": op = np.greater
    else: op = np.greater if monitor.endswith(("acc", "accuracy", "auc")) else np.less
    min_delta = min_delta if op == np.greater else -min_delta
    improves = lambda a, b: op(a - min_delta, b)
    wait, stopped_epoch, best, best_epoch, best_weights = 0, 0, np.Inf if op == np.less else -np.Inf, 0, None
    for epoch, logs in enumerate(epochs):
        current = logs_as_keras(logs).get(monitor)
        if current is None or epoch < start_from_epoch: continue
        if restore and best_weights is None: best_weights = "w"
        wait += 1
        if improves(current, best):
            best, best_epoch = current, epoch
            if baseline is None or improves(current, baseline): wait = 0
        if wait >= patience and epoch > 0:
            stopped_epoch = epoch
            if restore and best_weights is not None and verbose > 0:
                print_msg(f"Restoring model weights from the end of the best epoch: {best_epoch + 1}.")
            break
    if stopped_epoch > 0 and verbose > 0:
        print_msg(f"Epoch {stopped_epoch + 1}: early stopping")


def model_checkpoint(o, epochs):
    monitor, verbose, mode, filepath = o.get("monitor", "val_loss"), o.get("verbose", 0), o.get("mode", "auto"), o["filepath"]
    if mode == "min": op, best = np.less, np.Inf
    elif mode == "max": op, best = np.greater, -np.Inf
    elif "acc" in monitor or monitor.startswith("fmeasure"): op, best = np.greater, -np.Inf
    else: op, best = np.less, np.Inf
    for epoch, logs in enumerate(epochs):
        logs = logs_as_keras(logs)
        path = filepath.format(epoch=epoch + 1, **logs)
        if not o.get("save_best_only", False):
            if verbose > 0: print_msg(f"\nEpoch {epoch + 1}: saving model to {path}")
            continue
        current = logs.get(monitor)
        if op(current, best):
            if verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: {monitor} improved from {best:.5f} to {current:.5f}, saving model to {path}")
            best = current
        elif verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {monitor} did not improve from {best:.5f}")


def reduce_lr_on_plateau(o, epochs):
    monitor, factor, patience = o.get("monitor", "val_loss"), o.get("factor", 0.1), o.get("patience", 10)
    verbose, mode, min_delta = o.get("verbose", 0), o.get("mode", "auto"), o.get("min_delta", 1e-4)
    cooldown, min_lr, lr = o.get("cooldown", 0), o.get("min_lr", 0), np.float32(o["learning_rate"])
    if mode == "min" or (mode == "auto" and "acc" not in monitor):
        op, best = (lambda a, b: np.less(a, b - min_delta)), np.Inf
    else:
        op, best = (lambda a, b: np.greater(a, b + min_delta)), -np.Inf
    cooldown_counter = wait = 0
    for epoch, logs in enumerate(epochs):
        current = logs_as_keras(logs).get(monitor)
        if cooldown_counter > 0:
            cooldown_counter -= 1
            wait = 0
        if op(current, best):
            best, wait = current, 0
        elif not cooldown_counter > 0:
            wait += 1
            if wait >= patience:
                old_lr = lr
                if old_lr > np.float32(min_lr):
                    new_lr = max(old_lr * factor, min_lr)
                    lr = np.float32(new_lr)
                    if verbose > 0: print_msg(f"\nEpoch {epoch +1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
                    cooldown_counter, wait = cooldown, 0
    print_msg(f"final lr {float(lr)!r}")


def csv_logger(o, epochs):
    out = io.StringIO(newline="")
    keys, writer = None, None
    for epoch, logs in enumerate(epochs):
        logs = logs_as_keras(logs)
        if keys is None: keys = sorted(logs.keys())
        if not writer:
            class CustomDialect(csv.excel): delimiter = o.get("separator", ",")
            writer = csv.DictWriter(out, fieldnames=["epoch"] + keys, dialect=CustomDialect)
            writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, logs[key]) for key in keys)
        writer.writerow(row)
    sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    name, options, epochs = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    {"EarlyStopping": early_stopping, "ModelCheckpoint": model_checkpoint,
     "ReduceLROnPlateau": reduce_lr_on_plateau, "CSVLogger": csv_logger}[name](options, epochs)
