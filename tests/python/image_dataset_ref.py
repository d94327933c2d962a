"""Reference oracle for tl::utils::image_dataset_from_directory (tf.keras 2.11 without TensorFlow).

File order, labels and splits: a transcription of keras/utils/dataset_utils.py at v2.11.0 (index_directory,
iter_valid_files, index_subdirectory, get_training_or_validation_split) with os.listdir/os.walk for tf.io.gfile and
numpy's RandomState for the shuffles. Pixels: PIL's decoding and conversion, then torch.nn.functional.interpolate
in float64 (align_corners=False, no antialias: tf.image.resize's half-pixel centres); smart_resize's crop window in
float32 as keras/utils/image_utils.py computes it. Output: tab-separated `key<TAB>values...` lines.

Commands:
  make DIR                                  a test tree (PNG L/LA/RGB/RGBA, GIF, BMP, JPEG, upper-case extensions,
                                            nested folders, a linked folder, stray and not-allowed files)
  index DIR LABELS SHUFFLE SEED SPLIT SUBSET FOLLOW CLASSES
                                            printed lines, file_paths and labels (LABELS: inferred|none;
                                            CLASSES: comma-separated or '-')
  pixels FILE H W METHOD CROP COLOR         the float32 image image_dataset_from_directory yields for FILE
  buffer N B SEED EPOCH                     tl's per-epoch shuffle-buffer order (docs/data.md)
  requests FILE                             every line of FILE as a command, each answer followed by a line
                                            `--- end of request ---` (one process per test case)
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def out(key, *values):
    print("\t".join([key] + [str(v) for v in values]))


def make(root):
    rng = np.random.RandomState(11)

    def img(mode, w, h):
        bands = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4}[mode]
        a = rng.randint(0, 256, size=(h, w, bands)).astype("uint8")
        return Image.fromarray(a[:, :, 0] if bands == 1 else a, mode)

    files = {
        "cats/c01.png": ("RGB", 37, 23), "cats/c02.JPG": ("RGB", 50, 41), "cats/c10.png": ("RGBA", 33, 33),
        "cats/sub/c04.png": ("LA", 20, 12), "cats/sub/deeper/c05.bmp": ("RGB", 16, 9), "cats/sub_b/c06.PNG": ("RGB", 8, 8),
        "cats/a08.png": ("L", 64, 48), "cats/g09.gif": ("RGB", 21, 14), "cats/real_sub/r1.png": ("RGB", 12, 10),
        "dogs/d1.png": ("RGB", 40, 40), "dogs/d2.jpeg": ("L", 45, 29), "dogs/d3.png": ("RGBA", 13, 27),
        "dogs/D4.Bmp": ("RGB", 22, 35), "dogs/d5.png": ("RGB", 16, 16), "dogs/d6.png": ("RGB", 96, 64),
        "zebra/z1.png": ("RGB", 16, 16), "zebra/z2.png": ("RGB", 30, 20), "zebra/z3.png": ("L", 7, 5),
        "zebra/z 4.png": ("RGB", 9, 9), "zebra/z-5.png": ("RGB", 10, 6),
    }
    for rel, (mode, w, h) in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        im = img(mode, w, h)
        fmt = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP", ".gif": "GIF"}[os.path.splitext(rel)[1].lower()]
        if fmt in ("JPEG", "BMP", "GIF") and mode in ("LA", "RGBA"):
            im = im.convert("RGB")
        im.save(path, fmt)
    for stray in ["cats/notes.txt", "dogs/.DS_Store", "zebra/readme", "zebra/z6.ppm", "zebra/z7.tif"]:
        with open(os.path.join(root, stray), "w") as f:
            f.write("not an image")
    os.makedirs(os.path.join(root, "empty_class"), exist_ok=True)
    img("RGB", 4, 4).save(os.path.join(root, "file_at_top.png"), "PNG")
    os.symlink(os.path.join("..", "cats", "real_sub"), os.path.join(root, "dogs", "linked"))


# --- keras/utils/dataset_utils.py (v2.11.0), tf.io.gfile replaced by os -------------------------------------------


def iter_valid_files(directory, follow_links, formats):
    walk = os.walk(directory, followlinks=follow_links)
    for root, _, files in sorted(walk, key=lambda x: x[0]):
        for fname in sorted(files):
            if fname.lower().endswith(formats):
                yield root, fname


def index_subdirectory(directory, class_indices, follow_links, formats):
    dirname = os.path.basename(directory)
    labels, filenames = [], []
    for root, fname in iter_valid_files(directory, follow_links, formats):
        labels.append(class_indices[dirname])
        absolute_path = os.path.join(root, fname)
        relative_path = os.path.join(dirname, os.path.relpath(absolute_path, directory))
        filenames.append(relative_path)
    return filenames, labels


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None, follow_links=False):
    if labels is None:
        subdirs = [""]
        class_names = subdirs
    else:
        subdirs = []
        for subdir in sorted(os.listdir(directory)):
            if os.path.isdir(os.path.join(directory, subdir)):
                subdirs.append(subdir)
        if not class_names:
            class_names = subdirs
        elif set(class_names) != set(subdirs):
            raise ValueError("class_names mismatch")
    class_indices = dict(zip(class_names, range(len(class_names))))
    filenames, labels_list = [], []
    for dirpath in (os.path.join(directory, subdir) for subdir in subdirs):
        partial_filenames, partial_labels = index_subdirectory(dirpath, class_indices, follow_links, formats)
        labels_list.append(partial_labels)
        filenames += partial_filenames
    i = 0
    labels_out = np.zeros((len(filenames),), dtype="int32")
    for partial_labels in labels_list:
        labels_out[i: i + len(partial_labels)] = partial_labels
        i += len(partial_labels)
    if labels is None:
        out("printed", "Found %d files." % len(filenames))
    else:
        out("printed", "Found %d files belonging to %d classes." % (len(filenames), len(class_names)))
    file_paths = [os.path.join(directory, fname) for fname in filenames]
    if shuffle:
        rng = np.random.RandomState(seed)
        rng.shuffle(file_paths)
        rng = np.random.RandomState(seed)
        rng.shuffle(labels_out)
    return file_paths, labels_out, class_names


def get_training_or_validation_split(samples, labels, validation_split, subset):
    if not validation_split:
        return samples, labels
    num_val_samples = int(validation_split * len(samples))
    if subset == "training":
        out("printed", "Using %d files for training." % (len(samples) - num_val_samples))
        samples = samples[:-num_val_samples]
        labels = labels[:-num_val_samples]
    elif subset == "validation":
        out("printed", "Using %d files for validation." % num_val_samples)
        samples = samples[-num_val_samples:]
        labels = labels[-num_val_samples:]
    return samples, labels


def index(directory, labels, shuffle, seed, split, subset, follow, classes):
    labels = None if labels == "none" else "inferred"
    class_names = None if classes == "-" else classes.split(",")
    paths, labs, names = index_directory(directory, labels, ALLOWLIST_FORMATS, class_names=class_names,
                                         shuffle=shuffle == "1", seed=int(seed), follow_links=follow == "1")
    out("class_names", *names)
    split = float(split)
    subsets = ["training", "validation"] if subset == "both" else [None if subset == "none" else subset]
    for s in subsets:
        p, l = get_training_or_validation_split(paths, labs, split, s)
        out("file_paths", *p)
        out("labels", *[int(v) for v in l] if labels is not None else [])


# --- load_image: decode (PIL), convert, crop (smart_resize), tf.image.resize (torch, float64) ----------------------


def smart_window(height, width, th, tw):
    f32 = np.float32
    crop_height = int(f32(f32(width * th) / f32(tw)))
    crop_width = int(f32(f32(height * tw) / f32(th)))
    crop_height = min(height, crop_height)
    crop_width = min(width, crop_width)
    top = int(f32(f32(height - crop_height) / f32(2)))
    left = int(f32(f32(width - crop_width) / f32(2)))
    return top, left, crop_height, crop_width


def pixels(path, h, w, method, crop, color):
    im = Image.open(path)
    im = im.convert({"rgb": "RGB", "rgba": "RGBA", "grayscale": "L"}[color])
    a = np.asarray(im, dtype=np.float64)
    if a.ndim == 2:
        a = a[:, :, None]
    h, w = int(h), int(w)
    if crop == "1":
        top, left, ch, cw = smart_window(a.shape[0], a.shape[1], h, w)
        a = a[top:top + ch, left:left + cw]
    x = torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1)))[None]
    if method == "bilinear":
        y = F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)
    elif method == "nearest":
        y = F.interpolate(x, size=(h, w), mode="nearest-exact")
    elif method == "area":
        y = F.interpolate(x, size=(h, w), mode="area")
    else:
        raise ValueError(method)
    v = y[0].permute(1, 2, 0).numpy().astype(np.float32)
    out("shape", *v.shape)
    out("values", *[repr(float(t)) for t in v.reshape(-1)])


# --- tl's per-epoch order (docs/data.md): TensorFlow's shuffle buffer with RandomState(seed + epoch).randint --------


def buffer(n, b, seed, epoch):
    n, b = int(n), int(b)
    rng = np.random.RandomState((int(seed) + int(epoch)) % 2**32)
    buf, order, nxt = [], [], 0
    while nxt < n and len(buf) < b:
        buf.append(nxt)
        nxt += 1
    while buf:
        pick = rng.randint(len(buf))
        order.append(buf[pick])
        if nxt < n:
            buf[pick] = nxt
            nxt += 1
        else:
            buf[pick] = buf[-1]
            buf.pop()
    out("order", *order)


COMMANDS = {"make": make, "index": index, "pixels": pixels, "buffer": buffer}


def main(argv):
    if argv[0] == "requests":
        with open(argv[1]) as f:
            for line in f:
                if line.strip():
                    args = line.split()
                    COMMANDS[args[0]](*args[1:])
                    print("--- end of request ---")
        return
    COMMANDS[argv[0]](*argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
