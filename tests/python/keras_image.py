"""Reference oracle for tl::preprocessing::image: runs keras_preprocessing 1.1 (and PIL/scipy under it) and
prints results as tab-separated lines `key<TAB>value<TAB>value...` that the C++ tests parse.

Commands:
  make DIR                         build a test tree (PNG/JPEG/BMP/PPM, L/RGB/RGBA/LA, mixed sizes, nested,
                                   upper-case extensions, stray files) under DIR
  listing DIR SPLIT SUBSET         class_indices, filenames, classes of flow_from_directory
  batches DIR MODE BS SHUFFLE SEED EPOCHS SUBSET SPLIT AUG
                                   for each batch: sample ids, labels and per-sample pixel sums
  load FILE H W INTERP COLOR       load_img pixels (H=0: original size)
  affine H W C THETA TX TY SHEAR ZX ZY FILL CVAL ORDER   apply_affine_transform of a numpy-RNG image
  params SEED H W C                get_random_transform draws for a fixed augmentation config
  bad_corpus DIR                   write tl's corpus of awkward and damaged files (bad_images.py) into DIR
  odd_corpus DIR                   write the odd-image corpus (make_odd_images.py make: JPEG/BMP/PNM/GIF/PNG kinds
                                   and damage) into DIR
  odd_refs DIR OUT                 Keras's pixels or error for every file under DIR in 9 load_img variants
                                   (make_odd_images.py compare --short): OUT/manifest.tsv, OUT/refs.bin
  jpeg_tree DIR                    every JPEG kind PIL reads (make_odd_images.py's JPEG corpus) in DIR/{a,b}/ (a:
                                   names before "m"), plus photo-like 512x384 and 160x120 JPEGs
  batches_bin DIR OUT H W INTERP COLOR
                                   flow_from_directory(DIR, shuffle=False, batch_size=8, class_mode=None): every batch
                                   as uint8 into OUT; prints the filenames in order
  load_draft FILE H W INTERP COLOR load_img after PIL's Image.draft(None, (W, H)) (tl's fast_jpeg)
  requests FILE                    run every line of FILE as one of the commands above, in order, each answer
                                   followed by a line `--- end of request ---` (one process for a whole test case)
"""
import os
import sys
import warnings

import numpy as np
from PIL import Image

warnings.simplefilter("ignore")
from keras_preprocessing.image import ImageDataGenerator, load_img, img_to_array  # noqa: E402
from keras_preprocessing.image.affine_transformations import apply_affine_transform  # noqa: E402


def out(key, *values):
    print("\t".join([key] + [str(v) for v in values]))


def make(root):
    rng = np.random.RandomState(7)

    def img(mode, w, h):
        bands = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4}[mode]
        a = rng.randint(0, 256, size=(h, w, bands)).astype("uint8")
        return Image.fromarray(a[:, :, 0] if bands == 1 else a, mode)

    files = {
        "cats/c01.png": ("RGB", 37, 23), "cats/c02.JPG": ("RGB", 50, 41), "cats/c03.jpeg": ("L", 19, 30),
        "cats/c10.png": ("RGBA", 33, 33), "cats/sub/c04.png": ("LA", 20, 12), "cats/sub/deeper/c05.bmp": ("RGB", 16, 9),
        "cats/sub_b/c06.PNG": ("RGB", 8, 8), "cats/Z07.ppm": ("RGB", 31, 17), "cats/a08.png": ("L", 64, 48),
        "dogs/d1.png": ("RGB", 40, 40), "dogs/d2.jpg": ("L", 45, 29), "dogs/d3.png": ("RGBA", 13, 27),
        "dogs/d4.bmp": ("RGB", 22, 35), "dogs/d5.png": ("RGB", 16, 16),
        "zebra/z1.png": ("RGB", 16, 16), "zebra/z2.png": ("RGB", 30, 20), "zebra/z3.png": ("L", 7, 5),
    }
    for rel, (mode, w, h) in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        im = img(mode, w, h)
        fmt = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP", ".ppm": "PPM"}[os.path.splitext(rel)[1].lower()]
        if fmt in ("JPEG", "BMP", "PPM") and mode in ("LA", "RGBA"):
            im = im.convert("RGB")
        im.save(path, fmt)
    for stray in ["cats/notes.txt", "dogs/.DS_Store", "zebra/readme"]:
        with open(os.path.join(root, stray), "w") as f:
            f.write("not an image")
    os.makedirs(os.path.join(root, "empty_class"), exist_ok=True)
    with open(os.path.join(root, "file_at_top.png"), "wb") as f:
        img("RGB", 4, 4).save(f, "PNG")


def iterator(directory, split, subset, mode="categorical", bs=32, shuffle=False, seed=None, aug=False):
    kwargs = dict(validation_split=float(split))
    if aug:
        kwargs.update(horizontal_flip=True, rotation_range=20, width_shift_range=0.1, fill_mode="reflect")
    gen = ImageDataGenerator(**kwargs)
    return gen.flow_from_directory(directory, target_size=(24, 20), class_mode=None if mode == "none" else mode,
                                   batch_size=bs, shuffle=shuffle, seed=seed,
                                   subset=None if subset == "none" else subset)


def listing(directory, split, subset):
    it = iterator(directory, split, subset)
    out("class_indices", *["%s=%d" % kv for kv in sorted(it.class_indices.items(), key=lambda kv: kv[1])])
    out("filenames", *it.filenames)
    out("classes", *it.classes.tolist())


def batches(directory, mode, bs, shuffle, seed, epochs, subset, split, aug):
    it = iterator(directory, split, subset, mode, int(bs), shuffle == "1", None if seed == "none" else int(seed), aug == "1")
    for epoch in range(int(epochs)):
        for i in range(len(it)):
            b = it[i]
            x, y = (b, None) if mode == "none" else b
            ids = it.index_array[i * it.batch_size:(i + 1) * it.batch_size]
            out("batch", epoch, i)
            out("ids", *ids.tolist())
            out("xsum", *["%.6f" % s for s in x.reshape(len(x), -1).astype("float64").sum(axis=1)])
            if y is not None:
                out("y", *["%.6f" % v for v in np.asarray(y, dtype="float64").ravel()])
        it.on_epoch_end()


def load(path, h, w, interp, color):
    size = None if int(h) == 0 else (int(h), int(w))
    x = img_to_array(load_img(path, color_mode=color, target_size=size, interpolation=interp)).astype("uint8")
    out("shape", *x.shape)
    out("pixels", *x.ravel().tolist())


def numpy_image(h, w, c):
    rng = np.random.RandomState(0)
    return (rng.random_sample((h, w, c)) * 255).astype("float32")


def affine(h, w, c, theta, tx, ty, shear, zx, zy, fill, cval, order):
    x = numpy_image(int(h), int(w), int(c))
    y = apply_affine_transform(x, float(theta), float(tx), float(ty), float(shear), float(zx), float(zy),
                               row_axis=0, col_axis=1, channel_axis=2, fill_mode=fill, cval=float(cval), order=int(order))
    out("pixels", *["%.6f" % v for v in y.ravel()])


def params(seed, h, w, c):
    configs = [dict(rotation_range=30, width_shift_range=0.2, height_shift_range=5, shear_range=10, zoom_range=0.3,
                    channel_shift_range=20, horizontal_flip=True, vertical_flip=True, brightness_range=(0.5, 1.5)),
               dict(width_shift_range=[-3, 0, 0.5], height_shift_range=2.0, zoom_range=[0.8, 1.0]),
               dict()]
    for k, cfg in enumerate(configs):
        p = ImageDataGenerator(**cfg).get_random_transform((int(h), int(w), int(c)), seed=int(seed))
        out("params", k, *["%.17g" % float(p[n] if p[n] is not None else float("nan")) for n in
                           ["theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical",
                            "channel_shift_intensity", "brightness"]])


def bad_corpus(directory):
    import bad_images  # beside this script
    bad_images.write(directory)


def odd_corpus(directory):
    import make_odd_images  # beside this script
    make_odd_images.make(directory, quiet=True)


def odd_refs(directory, out_dir):
    import make_odd_images
    make_odd_images.compare(directory, out_dir, short=True, quiet=True)


def jpeg_tree(directory):
    import io
    import make_odd_images
    files = dict(make_odd_images.jpeg_corpus())
    files["photo_512x384_q90.jpg"] = make_odd_images.encoded(make_odd_images.photo(512, 384, 30), "JPEG", quality=90)
    files["photo_160x120_q75.jpg"] = make_odd_images.encoded(make_odd_images.photo(160, 120, 31), "JPEG", quality=75)
    for name, data in sorted(files.items()):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                Image.open(io.BytesIO(data)).load()
        except Exception:  # noqa: BLE001 - only the files PIL reads
            continue
        sub = os.path.join(directory, "a" if name < "m" else "b")  # the tests find a file by its name
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, name), "wb") as f:
            f.write(data)


def batches_bin(directory, out_path, h, w, interp, color):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        it = ImageDataGenerator().flow_from_directory(directory, target_size=(int(h), int(w)), color_mode=color,
                                                      interpolation=interp, class_mode=None, batch_size=8,
                                                      shuffle=False)
        with open(out_path, "wb") as f:
            for i in range(len(it)):
                x = it[i]
                assert (x == np.round(x)).all()
                f.write(x.astype("uint8").tobytes())
    out("filenames", *it.filenames)


def load_draft(path, h, w, interp, color):
    from keras_preprocessing.image.utils import _PIL_INTERPOLATION_METHODS
    img = Image.open(path)
    img.draft(None, (int(w), int(h)))
    mode = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}[color]
    if img.mode != mode:
        img = img.convert(mode)
    if img.size != (int(w), int(h)):
        img = img.resize((int(w), int(h)), _PIL_INTERPOLATION_METHODS[interp])
    x = img_to_array(img).astype("uint8")
    out("shape", *x.shape)
    out("pixels", *x.ravel().tolist())


END_OF_REQUEST = "--- end of request ---"


def requests(path):
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines:
        cmd, *args = line.split()
        COMMANDS[cmd](*args)
        print(END_OF_REQUEST)


COMMANDS = {"make": make, "listing": listing, "batches": batches, "load": load, "affine": affine, "params": params,
            "bad_corpus": bad_corpus, "odd_corpus": odd_corpus, "odd_refs": odd_refs,
            "jpeg_tree": jpeg_tree, "batches_bin": batches_bin, "load_draft": load_draft, "requests": requests}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
