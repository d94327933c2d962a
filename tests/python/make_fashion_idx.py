"""Writes a miniature Fashion-MNIST (gzip'd IDX files as Debian ships them) into DIR: PER_CLASS train images
and PER_CLASS // 2 test images of each of the ten classes, 28x28 noise around a class-dependent pattern."""
import gzip
import struct
import sys

import numpy as np


def write_split(directory, prefix, per_class, rng):
    labels = np.repeat(np.arange(10, dtype=np.uint8), per_class)
    rng.shuffle(labels)
    rows = np.arange(28)[:, None]
    images = np.stack([((rows + 3 * label) % 10 < 5) * 160 + rng.integers(0, 90, (28, 28)) for label in labels])
    with gzip.open(f"{directory}/{prefix}-images-idx3-ubyte.gz", "wb") as f:
        f.write(struct.pack(">IIII", 0x803, len(labels), 28, 28) + images.astype(np.uint8).tobytes())
    with gzip.open(f"{directory}/{prefix}-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">II", 0x801, len(labels)) + labels.tobytes())


directory, per_class = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
write_split(directory, "train", per_class, rng)
write_split(directory, "t10k", per_class // 2, rng)
