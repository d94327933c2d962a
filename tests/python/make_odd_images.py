"""A corpus of odd image files and keras_preprocessing's pixels for each, to check a decoder against Keras.

Commands (run with Debian's /usr/bin/python3: PIL 9.4.0, keras_preprocessing 1.1.0):
  make DIR                 writes the generated corpus under DIR/{jpeg,bmp,pnm,gif,png,bad} (deterministic: same
                           bytes on every run with the same PIL/libjpeg-turbo/zlib)
  gather DIR [ROOT...]     copies the image files Debian packages ship (under /usr/share and /usr/lib by
                           default: tk's GIFs, documentation images, Python's imghdr test data...) to DIR/found
  compare DIR OUT [--short] loads every file under DIR with keras_preprocessing's load_img, for color_mode
                           grayscale/rgb/rgba, without and with target_size=(11, 13) under each of PIL's six filters
                           (--short: nearest and bilinear only), and writes OUT/manifest.tsv and OUT/refs.bin (the
                           uint8 pixels) for the C++ side (tests/preprocessing/odd_images_test.cpp)
  describe DIR             what PIL makes of each file: format, mode, size, transparency, or the error it raises
  photos DIR [N]           bench/peer.py's photo-like JPEGs for speed checks: DIR/q90/c/*.jpg and DIR/q75/c/*.jpg
                           (N of 512x384 each), DIR/large/c/*.jpg (1024x768, 2048x1536, 4032x3024; q90)
  time_keras DIR [REPEAT]  per-image thread CPU time of keras_preprocessing's load_img stages (PIL's read+decode,
                           convert, resize to 224x224 NEAREST, img_to_array) and of one flow_from_directory epoch
  mutate DIR OUT [N]       N damaged copies (default 4) of every generated file under DIR (bytes flipped,
                           overwritten, duplicated, cut), deterministic: a differential fuzz corpus for `compare`
  fuzz_seeds DIR           seed corpora for tests/fuzz/corpus: DIR/<format>_decoder/ and DIR/load_img/odd_*
  batches DIR OUT          flow_from_directory(DIR, target_size=(224, 224), batch_size=32, shuffle=False) as Keras
                           yields it: OUT/batches.bin (uint8 after img_to_array) and OUT/filenames.txt

manifest.tsv has one line per (file, variant):
  file  color  height  width  interpolation  ok     rows cols channels offset   (offset into refs.bin)
  file  color  height  width  interpolation  error  ExceptionClass: message
and one line per file starting with '#': file, PIL format, mode, size, info keys, warnings (or the open error).
"""
import ctypes
import io
import os
import shutil
import struct
import sys
import warnings
import zlib

import numpy as np
from PIL import Image

FILTERS = ["nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"]
COLORS = ["grayscale", "rgb", "rgba"]
TARGET = (11, 13)  # (height, width): smaller than most files, larger than the tiny ones


# ---------------------------------------------------------------------------------------------------- pixels


def photo(w, h, seed, gray=False):
    """Photo-like content (bench/peer.py's recipe): smooth colour fields, one flat box, sensor noise."""
    rng = np.random.RandomState(seed)
    low = rng.randint(0, 256, (6, 8, 3)).astype(np.uint8)
    img = np.asarray(Image.fromarray(low).resize((w, h), Image.BICUBIC), dtype=np.float32)
    bw, bh = max(1, w // 5), max(1, h // 5)
    x0, y0 = rng.randint(0, max(1, w - bw)), rng.randint(0, max(1, h - bh))
    img[y0:y0 + bh, x0:x0 + bw] = rng.uniform(0, 255, 3)
    img += rng.normal(0, 6, img.shape)
    img = img.clip(0, 255).astype(np.uint8)
    return Image.fromarray(img).convert("L") if gray else Image.fromarray(img)


def noise(shape, seed, high=256, dtype=np.uint8):
    return np.random.RandomState(seed).randint(0, high, shape).astype(dtype)


def encoded(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------------- JPEG

_tj = None


def turbojpeg():
    """libturbojpeg through ctypes (for what PIL 9.4 cannot write: 4:4:0, 4:1:1, YCCK, restart markers,
    arithmetic coding); None where the library is missing."""
    global _tj
    if _tj is None:
        try:
            lib = ctypes.CDLL("libturbojpeg.so.0")
        except OSError:
            _tj = False
            return None
        lib.tjInitCompress.restype = ctypes.c_void_p
        lib.tjCompress2.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                    ctypes.c_int, ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)),
                                    ctypes.POINTER(ctypes.c_ulong), ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.tjFree.argtypes = [ctypes.POINTER(ctypes.c_ubyte)]
        lib.tjDestroy.argtypes = [ctypes.c_void_p]
        _tj = lib
    return _tj or None


TJPF = {"RGB": 0, "L": 6, "CMYK": 11}
TJSAMP = {"444": 0, "422": 1, "420": 2, "gray": 3, "440": 4, "411": 5}


def tj_encode(arr, pixel_format, samp, quality=85, progressive=False, env=None):
    """TurboJPEG's tjCompress2; `env` sets TJ_RESTART / TJ_ARITHMETIC / TJ_OPTIMIZE, which it reads per call."""
    lib = turbojpeg()
    if lib is None:
        return None
    arr = np.ascontiguousarray(arr)
    h, w = arr.shape[:2]
    env = env or {}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        handle = lib.tjInitCompress()
        buf, size = ctypes.POINTER(ctypes.c_ubyte)(), ctypes.c_ulong(0)
        flags = 4096 | (16384 if progressive else 0)  # ACCURATEDCT, PROGRESSIVE
        if lib.tjCompress2(handle, arr.tobytes(), w, 0, h, TJPF[pixel_format], ctypes.byref(buf), ctypes.byref(size),
                           TJSAMP[samp], quality, flags) != 0:
            raise RuntimeError("tjCompress2 failed")
        data = ctypes.string_at(buf, size.value)
        lib.tjFree(buf)
        lib.tjDestroy(handle)
        return data
    finally:
        for k, v in saved.items():
            if v is None:
                del os.environ[k]
            else:
                os.environ[k] = v


def jpeg_segments(data):
    """(marker, start, end) of each segment before the first SOS (start at the FF), and the SOS's start."""
    out, at = [], 2
    while at + 4 <= len(data):
        marker = data[at + 1]
        end = at + 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
        out.append((marker, at, end))
        if marker == 0xDA:
            break
        at = end
    return out


def jpeg_without(data, marker):
    for m, s, e in reversed(jpeg_segments(data)):
        if m == marker:
            data = data[:s] + data[e:]
    return data


def jpeg_with_segment(data, marker, body):
    """Inserts a segment right after SOI."""
    seg = bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    return data[:2] + seg + data[2:]


def jpeg_patch_sof(data, offset, value):
    """Sets byte `offset` of the first SOF segment's body (0: precision, 5: component count)."""
    for m, s, e in jpeg_segments(data):
        if m in (0xC0, 0xC1, 0xC2):
            b = bytearray(data)
            b[s + 4 + offset] = value
            return bytes(b)
    raise ValueError("no SOF")


def sos_offsets(data):
    """Where each scan's SOS marker starts (for progressive files: the scan boundaries)."""
    out, at = [], 0
    while True:
        at = data.find(b"\xff\xda", at)
        if at < 0:
            return out
        out.append(at)
        at += 2


def exif_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def jpeg_corpus():
    files = {}
    p = photo(64, 48, 1)
    big = photo(160, 120, 2)
    files["baseline_420_q75.jpg"] = encoded(p, "JPEG", quality=75)
    files["baseline_420_q95.jpg"] = encoded(p, "JPEG", quality=95)
    files["baseline_420_q20.jpg"] = encoded(big, "JPEG", quality=20)
    files["sub_444.jpg"] = encoded(p, "JPEG", quality=90, subsampling=0)
    files["sub_422.jpg"] = encoded(p, "JPEG", quality=90, subsampling=1)
    files["sub_420.jpg"] = encoded(big, "JPEG", quality=90, subsampling=2)
    files["progressive_420.jpg"] = encoded(big, "JPEG", quality=85, progressive=True)
    files["progressive_444.jpg"] = encoded(p, "JPEG", quality=85, progressive=True, subsampling=0)
    files["optimized.jpg"] = encoded(big, "JPEG", quality=80, optimize=True)
    files["gray.jpg"] = encoded(photo(64, 48, 3, gray=True), "JPEG", quality=85)
    files["gray_progressive.jpg"] = encoded(photo(33, 17, 4, gray=True), "JPEG", quality=85, progressive=True)
    cmyk = p.convert("CMYK")
    files["cmyk_adobe.jpg"] = encoded(cmyk, "JPEG", quality=90)  # PIL writes Photoshop's inverted CMYK + APP14
    files["cmyk_progressive.jpg"] = encoded(cmyk, "JPEG", quality=90, progressive=True)
    files["cmyk_no_adobe.jpg"] = jpeg_without(files["cmyk_adobe.jpg"], 0xEE)
    # Real ink in every channel (convert("CMYK") leaves K at 0).
    ink = noise((24, 40, 4), 5)
    ink[..., 3] //= 2
    files["cmyk_with_black.jpg"] = encoded(Image.fromarray(ink, "CMYK"), "JPEG", quality=90)
    # 3 components whose data is YCbCr, announced as RGB (Adobe transform 0, no JFIF): libjpeg skips the colour
    # transform, as it does for a real RGB JPEG.
    files["rgb_adobe_transform0.jpg"] = jpeg_with_segment(jpeg_without(files["sub_444.jpg"], 0xE0), 0xEE,
                                                          b"Adobe" + bytes([0, 100, 0, 0, 0, 0, 0]))
    files["exif_orientation_6.jpg"] = encoded(p, "JPEG", quality=85, exif=exif_orientation(6))
    files["exif_orientation_8.jpg"] = encoded(p, "JPEG", quality=85, exif=exif_orientation(8))
    files["with_comment_and_icc.jpg"] = jpeg_with_segment(encoded(p, "JPEG", quality=85, icc_profile=b"\0" * 300),
                                                          0xFE, b"a comment")
    # Sizes that do not fill an MCU, one pixel wide or high.
    for w, h in [(1, 1), (7, 5), (17, 33), (33, 17), (1, 40), (40, 1), (9, 9)]:
        img = photo(max(w, 8), max(h, 8), 10 + w * 100 + h).resize((w, h))
        files[f"size_{w}x{h}_420.jpg"] = encoded(img, "JPEG", quality=90)
        files[f"size_{w}x{h}_444.jpg"] = encoded(img, "JPEG", quality=90, subsampling=0)
        files[f"size_{w}x{h}_422_progressive.jpg"] = encoded(img, "JPEG", quality=90, subsampling=1, progressive=True)
        files[f"size_{w}x{h}_gray.jpg"] = encoded(img.convert("L"), "JPEG", quality=90)
    # TurboJPEG: samplings PIL 9.4 cannot write, YCCK, restart markers, arithmetic coding.
    arr = np.asarray(photo(37, 29, 6))
    for samp in ["440", "411", "422", "444"]:
        files[f"tj_{samp}.jpg"] = tj_encode(arr, "RGB", samp)
        files[f"tj_{samp}_progressive.jpg"] = tj_encode(arr, "RGB", samp, progressive=True)
    files["tj_440_odd_size.jpg"] = tj_encode(np.asarray(photo(17, 33, 7)), "RGB", "440")
    files["tj_ycck.jpg"] = tj_encode(255 - np.asarray(Image.fromarray(ink, "CMYK")), "CMYK", "420")
    files["tj_ycck_progressive.jpg"] = tj_encode(255 - ink, "CMYK", "444", progressive=True)
    files["tj_restart_rows.jpg"] = tj_encode(arr, "RGB", "420", env={"TJ_RESTART": "1"})
    files["tj_restart_blocks.jpg"] = tj_encode(arr, "RGB", "420", env={"TJ_RESTART": "3B"})
    files["tj_restart_progressive.jpg"] = tj_encode(arr, "RGB", "420", progressive=True, env={"TJ_RESTART": "2B"})
    files["tj_arithmetic.jpg"] = tj_encode(arr, "RGB", "420", env={"TJ_ARITHMETIC": "1"})
    files["tj_arithmetic_progressive.jpg"] = tj_encode(arr, "RGB", "444", progressive=True,
                                                       env={"TJ_ARITHMETIC": "1"})
    files["tj_gray.jpg"] = tj_encode(np.asarray(photo(21, 13, 8, gray=True)), "L", "gray")
    # Structure oddities.
    base = files["baseline_420_q75.jpg"]
    prog = files["progressive_420.jpg"]
    files["no_huffman_tables.jpg"] = jpeg_without(base, 0xC4)  # MJPEG style: libjpeg-turbo uses the standard tables
    files["trailing_garbage.jpg"] = base + b"garbage after the end-of-image marker" * 3
    files["fill_bytes_between_markers.jpg"] = base[:2] + b"\xff\xff\xff" + base[2:]
    files["junk_between_segments.jpg"] = (lambda s: base[:s] + b"\x00\x11junk" + base[s:])(jpeg_segments(base)[1][1])
    files["twelve_bit.jpg"] = jpeg_patch_sof(base, 0, 12)
    files["zero_height.jpg"] = jpeg_patch_sof(jpeg_patch_sof(base, 1, 0), 2, 0)  # DNL-style height 0
    files["two_components.jpg"] = jpeg_patch_sof(base, 5, 2)
    files["undefined_quant_table.jpg"] = jpeg_without(base, 0xDB)
    bad_dht = bytearray(base)
    for m, s, e in jpeg_segments(base):
        if m == 0xC4:
            bad_dht[s + 5] = 0xFF  # the 1-bit code count: the table declares > 256 codes
            break
    files["bad_huffman_table.jpg"] = bytes(bad_dht)
    sos = sos_offsets(base)[0]
    mid = sos + (len(base) - sos) // 2
    flipped = bytearray(base)
    for k in range(mid, mid + 12):
        flipped[k] ^= 0x5A if flipped[k] not in (0xFF, 0xA5) else 0
    files["corrupt_entropy_data.jpg"] = bytes(flipped)  # libjpeg warns ("bad Huffman code"), PIL ignores warnings
    files["marker_inside_entropy_data.jpg"] = base[:mid] + b"\xff\xd3" + base[mid:]  # a stray RST3
    files["eoi_inside_entropy_data.jpg"] = base[:mid] + b"\xff\xd9" + base[mid:]
    # Truncations.
    files["trunc_soi_only.jpg"] = base[:2]
    files["trunc_soi_ff.jpg"] = base[:3]
    files["trunc_in_headers.jpg"] = base[:jpeg_segments(base)[2][1] + 7]
    files["trunc_after_sos_header.jpg"] = base[:jpeg_segments(base)[-1][2]]
    files["trunc_entropy_10pct.jpg"] = base[:sos + (len(base) - sos) // 10]
    files["trunc_entropy_50pct.jpg"] = base[:mid]
    files["trunc_entropy_95pct.jpg"] = base[:sos + (len(base) - sos) * 95 // 100]
    files["trunc_no_eoi.jpg"] = base[:-2]
    files["trunc_half_eoi.jpg"] = base[:-1]
    files["trunc_progressive_50pct.jpg"] = prog[:len(prog) // 2]
    scans = sos_offsets(prog)
    files["trunc_progressive_at_scan.jpg"] = prog[:scans[len(scans) // 2]]
    files["trunc_progressive_no_eoi.jpg"] = prog[:-2]
    files["trunc_cmyk_50pct.jpg"] = files["cmyk_adobe.jpg"][:len(files["cmyk_adobe.jpg"]) * 3 // 4]
    files["not_ff_d8_ff.jpg"] = b"\xff\xff\xd8" + base[2:]  # libjpeg would find SOI behind fill; PIL wants FF D8 FF
    return {k: v for k, v in files.items() if v is not None}


# ---------------------------------------------------------------------------------------------------- BMP


def bmp_file(width, height, bits, pixel_data, palette=b"", compression=0, header="v3", masks=None, colors=None,
             offset=None, top_down=False):
    """A BMP with the given header kind: 'os2' (12 bytes), 'v3' (40), 'v3masks' (40 + 3 mask dwords), 'v4' (108),
    'v5' (124), 'os2v2' (64), or a number (an unsupported size)."""
    if header == "os2":
        info = struct.pack("<IHHHH", 12, width, height, 1, bits)
    else:
        size = {"v3": 40, "v3masks": 40, "v4": 108, "v5": 124, "os2v2": 64}.get(header, header)
        n_colors = colors if colors is not None else (len(palette) // 4 if bits <= 8 else 0)
        info = struct.pack("<IiiHHIIiiII", size, width, -height if top_down else height, 1, bits, compression,
                           len(pixel_data), 2835, 2835, n_colors, 0)
        if header in ("v4", "v5"):
            m = list(masks or (0, 0, 0, 0)) + [0] * 4
            info += struct.pack("<IIII", *m[:4]) + b"BGRs" + b"\0" * 48
            if header == "v5":
                info += b"\0" * 16
        elif header == "v3masks":
            info += struct.pack("<III", *masks[:3])
        info += b"\0" * (size - len(info))
    head_len = 14 + len(info) + len(palette)
    off = head_len if offset is None else offset
    return b"BM" + struct.pack("<IHHI", head_len + len(pixel_data), 0, 0, off) + info + palette + pixel_data


def bmp_rows(rows, bits):
    """Packs rows of samples (bottom-up order is the caller's) at `bits` per pixel, each padded to 4 bytes."""
    out = b""
    for row in rows:
        if bits in (1, 4):
            per = 8 // bits
            row = list(row) + [0] * (-len(row) % per)
            packed = bytes(sum(v << (8 - bits * (i + 1)) for i, v in enumerate(row[k:k + per]))
                           for k in range(0, len(row), per))
        elif bits == 8:
            packed = bytes(row)
        elif bits == 16:
            packed = b"".join(struct.pack("<H", v) for v in row)
        elif bits == 24:
            packed = b"".join(bytes(v) for v in row)
        else:
            packed = b"".join(struct.pack("<I", v) for v in row)
        out += packed + b"\0" * (-len(packed) % 4)
    return out


def bgrx_palette(colors, seed):
    rgb = noise((colors, 3), seed)
    return b"".join(bytes([b, g, r, 0]) for r, g, b in rgb)


def rle8(rows):
    """RLE8 data for rows (bottom-up) using runs, absolute runs (with word padding), EOL and EOB."""
    out = bytearray()
    for row in rows:
        x = 0
        while x < len(row):
            run = 1
            while x + run < len(row) and row[x + run] == row[x] and run < 255:
                run += 1
            if run >= 3 or len(row) - x < 3:
                out += bytes([run, row[x]])
                x += run
            else:
                n = min(len(row) - x, 7)
                out += bytes([0, n]) + bytes(row[x:x + n]) + (b"\0" if n % 2 else b"")
                x += n
        out += b"\0\0"
    return bytes(out + b"\0\1")


def bmp_corpus():
    files = {}
    rgb = Image.fromarray(noise((9, 7, 3), 20))
    files["pil_rgb24.bmp"] = encoded(rgb, "BMP")
    files["pil_l8.bmp"] = encoded(rgb.convert("L"), "BMP")
    files["pil_p8.bmp"] = encoded(rgb.convert("P", palette=Image.ADAPTIVE, colors=12), "BMP")
    files["pil_1bit.bmp"] = encoded(rgb.convert("1"), "BMP")
    files["pil_rgba32.bmp"] = encoded(Image.fromarray(noise((5, 6, 4), 21)), "BMP")  # read back as RGB (BGRX)
    w, h = 7, 5
    idx = noise((h, w), 22, 16)
    for bits, colors in [(1, 2), (4, 16), (8, 256)]:
        pix = noise((h, w), 23 + bits, colors)
        files[f"p{bits}.bmp"] = bmp_file(w, h, bits, bmp_rows(pix[::-1], bits), bgrx_palette(colors, 30 + bits))
        files[f"p{bits}_top_down.bmp"] = bmp_file(w, h, bits, bmp_rows(pix, bits), bgrx_palette(colors, 30 + bits),
                                                  top_down=True)
        files[f"os2_p{bits}.bmp"] = bmp_file(w, h, bits, bmp_rows(pix[::-1], bits),
                                             bytes(noise((colors, 3), 40 + bits)), header="os2")
    for width in (1, 2, 3, 5, 9):
        pix = noise((3, width), 50 + width, 2)
        files[f"p1_width{width}.bmp"] = bmp_file(width, 3, 1, bmp_rows(pix[::-1], 1), bgrx_palette(2, 51))
        files[f"rgb24_width{width}.bmp"] = bmp_file(width, 3, 24, bmp_rows(noise((3, width, 3), 52 + width)[::-1], 24))
    files["p1_black_white.bmp"] = bmp_file(w, h, 1, bmp_rows(noise((h, w), 24, 2)[::-1], 1),
                                           b"\0\0\0\0\xff\xff\xff\0")  # PIL: mode "1"
    files["p1_white_black.bmp"] = bmp_file(w, h, 1, bmp_rows(noise((h, w), 24, 2)[::-1], 1),
                                           b"\xff\xff\xff\0\0\0\0\0")  # PIL: mode "P"
    files["p8_gray_palette.bmp"] = bmp_file(w, h, 8, bmp_rows(noise((h, w), 25)[::-1], 8),
                                            b"".join(bytes([i, i, i, 0]) for i in range(256)))  # PIL: mode "L"
    files["p8_gray_palette_16.bmp"] = bmp_file(w, h, 8, bmp_rows(noise((h, w), 26, 16)[::-1], 8),
                                               b"".join(bytes([i, i, i, 0]) for i in range(16)))
    # Indices beyond the palette: PIL's palette keeps its grey ramp there (entry i is (i, i, i)).
    files["p4_index_out_of_range.bmp"] = bmp_file(w, h, 4, bmp_rows(idx[::-1], 4), bgrx_palette(3, 60))
    files["p8_index_out_of_range.bmp"] = bmp_file(w, h, 8, bmp_rows(noise((h, w), 27)[::-1], 8), bgrx_palette(5, 61))
    files["p8_colors_zero.bmp"] = bmp_file(w, h, 8, bmp_rows(noise((h, w), 28)[::-1], 8), bgrx_palette(256, 62),
                                           colors=0)
    files["p8_offset_at_palette.bmp"] = bmp_file(w, h, 8, bmp_rows(noise((h, w), 29)[::-1], 8), bgrx_palette(256, 63),
                                                 offset=14 + 40)  # bfOffBits points at the palette, not the pixels
    px16 = noise((h, w), 70, 65536, np.uint32)
    files["rgb16_555.bmp"] = bmp_file(w, h, 16, bmp_rows(px16[::-1], 16))
    files["rgb16_565_bitfields.bmp"] = bmp_file(w, h, 16, bmp_rows(px16[::-1], 16), compression=3,
                                                header="v3masks", masks=(0xF800, 0x7E0, 0x1F))
    files["rgb16_555_bitfields.bmp"] = bmp_file(w, h, 16, bmp_rows(px16[::-1], 16), compression=3,
                                                header="v3masks", masks=(0x7C00, 0x3E0, 0x1F))
    files["rgb16_444_bitfields.bmp"] = bmp_file(w, h, 16, bmp_rows(px16[::-1], 16), compression=3,
                                                header="v3masks", masks=(0xF00, 0xF0, 0xF))  # PIL refuses
    px32 = noise((h, w), 71, 2 ** 32, np.uint64).astype(np.uint32)
    files["rgb32_bi_rgb_alpha_bytes.bmp"] = bmp_file(w, h, 32, bmp_rows(px32[::-1], 32))  # PIL ignores the 4th byte
    for name, masks in [("bgra", (0xFF0000, 0xFF00, 0xFF, 0xFF000000)), ("rgba", (0xFF, 0xFF00, 0xFF0000, 0xFF000000)),
                        ("abgr", (0xFF000000, 0xFF0000, 0xFF00, 0xFF)), ("xbgr", (0xFF000000, 0xFF0000, 0xFF00, 0)),
                        ("bgrx", (0xFF0000, 0xFF00, 0xFF, 0)), ("odd_masks", (0x3FF00000, 0xFFC00, 0x3FF, 0))]:
        files[f"rgb32_v5_{name}.bmp"] = bmp_file(w, h, 32, bmp_rows(px32[::-1], 32), compression=3, header="v5",
                                                 masks=masks)
    files["rgb32_v4_bgra.bmp"] = bmp_file(w, h, 32, bmp_rows(px32[::-1], 32), compression=3, header="v4",
                                          masks=(0xFF0000, 0xFF00, 0xFF, 0xFF000000))
    files["rgb24_v5.bmp"] = bmp_file(w, h, 24, bmp_rows(noise((h, w, 3), 72)[::-1], 24), header="v5")
    files["rgb24_top_down.bmp"] = bmp_file(w, h, 24, bmp_rows(noise((h, w, 3), 73), 24), top_down=True)
    files["os2_rgb24.bmp"] = bmp_file(w, h, 24, bmp_rows(noise((h, w, 3), 74)[::-1], 24), header="os2")
    files["os2v2_rgb24.bmp"] = bmp_file(w, h, 24, bmp_rows(noise((h, w, 3), 75)[::-1], 24), header="os2v2")
    files["header56_v3_alpha.bmp"] = bmp_file(w, h, 24, bmp_rows(noise((h, w, 3), 76)[::-1], 24), header=56)
    files["p2_two_bit.bmp"] = bmp_file(w, h, 2, bmp_rows(noise((h, w), 77, 4)[::-1], 8)[:h * 4], bgrx_palette(4, 78))
    # RLE.
    rows = [[int(v) for v in r] for r in np.repeat(noise((h, 4), 80, 6), [3, 1, 2, 1], axis=1)]
    pal = bgrx_palette(256, 81)
    files["rle8.bmp"] = bmp_file(w, h, 8, rle8(rows[::-1]), pal, compression=1)
    files["rle8_top_down.bmp"] = bmp_file(w, h, 8, rle8(rows), pal, compression=1, top_down=True)
    # run, delta (right 2, up 1), run, EOL, absolute run of 3 (+ pad), EOL, full rows, EOB
    delta = bytes([3, 9, 0, 2, 2, 1, 2, 7, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0]) + bytes([7, 4, 0, 0]) * 4 + b"\0\1"
    files["rle8_delta_eol.bmp"] = bmp_file(w, h, 8, delta, pal, compression=1)
    files["rle8_early_eob.bmp"] = bmp_file(w, h, 8, bytes([7, 3, 0, 0, 7, 4, 0, 1]), pal, compression=1)
    files["rle8_overlong_run.bmp"] = bmp_file(w, h, 8, bytes([200, 5, 0, 0]) * h + b"\0\1", pal, compression=1)
    files["rle8_truncated.bmp"] = files["rle8.bmp"][:-9]
    files["rle8_gray_palette.bmp"] = bmp_file(w, h, 8, rle8(rows[::-1]), b"".join(bytes([i, i, i, 0])
                                                                                for i in range(256)), compression=1)
    # RLE4: runs alternate two nibbles; absolute runs with even and odd counts (PIL reads count // 2 bytes).
    rle4_even = bytes([7, 0x12, 0, 0, 0, 6, 0x34, 0x56, 0x78, 0, 1, 0x90, 0, 0]) + bytes([7, 0xF0, 0, 0]) * 3 + b"\0\1"
    rle4_odd = bytes([0, 7, 0x12, 0x34, 0x56, 0x70, 0, 0]) + bytes([0, 3, 0xAB, 0xC0, 0, 0]) + bytes([7, 0x5A, 0, 0]) * 3 + b"\0\1"
    files["rle4.bmp"] = bmp_file(w, h, 4, rle4_even, bgrx_palette(16, 82), compression=2)
    files["rle4_odd_absolute.bmp"] = bmp_file(w, h, 4, rle4_odd, bgrx_palette(16, 83), compression=2)
    files["rle4_index_out_of_range.bmp"] = bmp_file(w, h, 4, rle4_even, bgrx_palette(4, 84), compression=2)
    # Grey palettes make PIL pick mode "1"/"L" with an 8-bit or 1-bit unpacker whatever the file's depth.
    grey16 = b"".join(bytes([i, i, i, 0]) for i in range(16))
    files["p4_gray_palette.bmp"] = bmp_file(w, h, 4, bmp_rows(idx[::-1], 4), grey16)  # "L" reads 8-bit rows: refused
    files["p4_black_white_palette.bmp"] = bmp_file(w, h, 4, bmp_rows(idx[::-1], 4), b"\0\0\0\0\xff\xff\xff\0")
    files["rle8_black_white_palette.bmp"] = bmp_file(w, h, 8, rle8(rows[::-1]), b"\0\0\0\0\xff\xff\xff\0",
                                                     compression=1)
    files["rgb16_555_top_down.bmp"] = bmp_file(w, h, 16, bmp_rows(px16, 16), top_down=True)
    dib = bmp_file(w, h, 24, bmp_rows(noise((h, w, 3), 85)[::-1], 24))
    files["headerless_dib.dib"] = dib[14:]  # a DIB: BITMAPINFOHEADER first, PIL's DibImageFile reads it
    # Damage.
    files["truncated_rgb24.bmp"] = files["rgb24_v5.bmp"][:-20]
    files["truncated_header.bmp"] = files["p8.bmp"][:30]
    files["jpeg_compression.bmp"] = bmp_file(w, h, 24, b"\0" * 64, compression=4)
    files["zero_width.bmp"] = bmp_file(0, h, 24, b"")
    return files


# ---------------------------------------------------------------------------------------------------- PNM


def pnm_corpus():
    files = {}
    w, h = 7, 5
    g, c, bits = noise((h, w), 90), noise((h, w, 3), 91), noise((h, w), 92, 2)

    def plain(magic, maxval, values, per_line=8, comment=True):
        head = f"{magic}\n" + ("# a comment line\n" if comment else "") + f"{w} {h}\n"
        if maxval is not None:
            head += f"{maxval}\n"
        toks = [str(int(v)) for v in np.ravel(values)]
        body = "\n".join(" ".join(toks[i:i + per_line]) for i in range(0, len(toks), per_line))
        return (head + body + "\n").encode()

    files["p1_plain.pbm"] = plain("P1", None, bits)
    files["p1_plain_no_spaces.pbm"] = f"P1\n{w} {h}\n".encode() + "".join(str(int(v)) for v in bits.ravel()).encode()
    files["p2_plain.pgm"] = plain("P2", 255, g)
    files["p2_plain_maxval15.pgm"] = plain("P2", 15, g % 16)
    files["p2_plain_maxval1000.pgm"] = plain("P2", 1000, noise((h, w), 93, 1001))  # mode I, then clipped
    files["p2_plain_value_over_maxval.pgm"] = plain("P2", 100, g)
    files["p3_plain.ppm"] = plain("P3", 255, c)
    files["p3_plain_maxval7.ppm"] = plain("P3", 7, c % 8)
    files["p3_plain_maxval1000.ppm"] = plain("P3", 1000, noise((h, w, 3), 94, 1001))
    files["p3_plain_comment_in_data.ppm"] = plain("P3", 255, c).replace(b"\n", b" # inline comment\n", 3)
    files["p3_plain_short.ppm"] = plain("P3", 255, c)[:-40]
    # Fuzz findings (pnm_decoder_fuzzer), made small: the data ends inside its only token, a comment behind it (PIL
    # repeats that value to the end); a comment after every value (PIL removes them one at a time).
    files["p3_plain_cut_in_last_token.ppm"] = b"P3\n# ao\n25 \n20\n178 164#P1"
    values = " ".join(str(v) for v in np.arange(64 * 48) % 256)
    files["p2_plain_comment_per_value.pgm"] = ("P2\n64 48\n255\n" + values.replace(" ", " #c\n")).encode()
    row_bytes = (w + 7) // 8
    packed = np.packbits(bits, axis=1)
    files["p4.pbm"] = f"P4\n{w} {h}\n".encode() + packed.tobytes()
    assert packed.shape[1] == row_bytes
    files["p5.pgm"] = f"P5\n{w} {h}\n255\n".encode() + g.tobytes()
    files["p5_comment.pgm"] = f"P5\n# made by make_odd_images\n{w}\n{h}\n# another\n255\n".encode() + g.tobytes()
    files["p5_maxval15.pgm"] = f"P5\n{w} {h}\n15\n".encode() + (g % 16).tobytes()
    files["p5_maxval1000.pgm"] = f"P5\n{w} {h}\n1000\n".encode() + noise((h, w), 95, 1001, ">u2").tobytes()
    g16 = noise((h, w), 96, 65536, ">u2")
    g16[0, :4] = [0, 100, 255, 256]
    files["p5_16bit.pgm"] = f"P5\n{w} {h}\n65535\n".encode() + g16.tobytes()
    files["p5_truncated.pgm"] = files["p5.pgm"][:-9]
    files["p6.ppm"] = f"P6\n{w} {h}\n255\n".encode() + c.tobytes()
    files["p6_maxval100.ppm"] = f"P6\n{w} {h}\n100\n".encode() + (c % 101).tobytes()
    files["p6_16bit.ppm"] = f"P6\n{w} {h}\n65535\n".encode() + noise((h, w, 3), 97, 65536, ">u2").tobytes()
    files["p6_maxval1000.ppm"] = f"P6\n{w} {h}\n1000\n".encode() + noise((h, w, 3), 98, 1001, ">u2").tobytes()
    files["p6_truncated.ppm"] = files["p6.ppm"][:-10]
    files["p6_trailing_data.ppm"] = files["p6.ppm"] + b"extra bytes"
    files["p6_maxval0.ppm"] = f"P6\n{w} {h}\n0\n".encode() + c.tobytes()
    files["p7_pam.pam"] = f"P7\nWIDTH {w}\nHEIGHT {h}\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n".encode() + c.tobytes()
    files["pil_saved_rgb.ppm"] = encoded(Image.fromarray(c), "PPM")
    files["pil_saved_i16.pgm"] = encoded(Image.fromarray(noise((h, w), 99, 65536, np.uint16)).convert("I"), "PPM")
    return files


# ---------------------------------------------------------------------------------------------------- GIF


def lzw_encode(indices, min_code_size):
    """GIF's LZW (variable code size up to 12 bits, a clear code when the table is full)."""
    clear, end = 1 << min_code_size, (1 << min_code_size) + 1
    out, acc, nbits = bytearray(), 0, 0

    def emit(code, size):
        nonlocal acc, nbits
        acc |= code << nbits
        nbits += size
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8

    def reset():
        return {bytes([i]): i for i in range(clear)}, end + 1, min_code_size + 1

    table, next_code, size = reset()
    emit(clear, size)
    w = b""
    for k in indices:
        wk = w + bytes([k])
        if wk in table:
            w = wk
            continue
        emit(table[w], size)
        if next_code < 4096:
            table[wk] = next_code
            if next_code == (1 << size) and size < 12:
                size += 1
            next_code += 1
        else:
            emit(clear, size)
            table, next_code, size = reset()
        w = bytes([k])
    if w:
        emit(table[w], size)
    emit(end, size)
    if nbits:
        out.append(acc & 0xFF)
    return bytes(out)


def sub_blocks(data):
    return b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, len(data), 255)) + b"\0"


def gif_file(screen, frames, global_palette=None, background=0, version=b"GIF89a"):
    """frames: dicts with x, y, w, h, indices, palette (local), transparency, disposal, interlace, min_code_size,
    lzw (raw override)."""
    flags = 0
    gp = b""
    if global_palette is not None:
        n = len(global_palette) // 3
        bits = max(1, (n - 1).bit_length())
        gp = global_palette + b"\0" * (3 * (1 << bits) - len(global_palette))
        flags = 0x80 | (bits - 1) | ((bits - 1) << 4)
    out = version + struct.pack("<HHBBB", screen[0], screen[1], flags, background, 0) + gp
    for f in frames:
        if f.get("transparency") is not None or f.get("disposal"):
            t = f.get("transparency")
            out += b"\x21\xf9\x04" + bytes([(f.get("disposal", 0) << 2) | (t is not None)]) + struct.pack(
                "<H", 10) + bytes([t or 0]) + b"\0"
        lp, lflags = b"", 0
        if f.get("palette") is not None:
            n = len(f["palette"]) // 3
            bits = max(1, (n - 1).bit_length())
            lp = f["palette"] + b"\0" * (3 * (1 << bits) - len(f["palette"]))
            lflags = 0x80 | (bits - 1)
        if f.get("interlace"):
            lflags |= 0x40
        out += b"\x2c" + struct.pack("<HHHHB", f.get("x", 0), f.get("y", 0), f["w"], f["h"], lflags) + lp
        mcs = f.get("min_code_size", 8)
        idx = f["indices"]
        if f.get("interlace"):
            rows = [idx[r * f["w"]:(r + 1) * f["w"]] for r in range(f["h"])]
            order = list(range(0, f["h"], 8)) + list(range(4, f["h"], 8)) + list(range(2, f["h"], 4)) + list(
                range(1, f["h"], 2))
            idx = [v for r in order for v in rows[r]]
        out += bytes([mcs]) + sub_blocks(f.get("lzw") or lzw_encode(idx, mcs))
    return out + b";"


def gif_corpus():
    files = {}
    w, h = 9, 7
    pal = bytes(noise((16, 3), 100).ravel())
    idx = [int(v) for v in noise((h * w,), 101, 16)]
    files["global_palette.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=idx, min_code_size=4)], pal)
    files["local_palette_only.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=idx, palette=pal, min_code_size=4)])
    files["no_palette.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=[i * 13 for i in idx], min_code_size=8)])
    gray = b"".join(bytes([i, i, i]) for i in range(16))
    files["gray_identity_palette.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=idx, min_code_size=4)], gray)
    files["gif87a.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=idx, min_code_size=4)], pal, version=b"GIF87a")
    files["interlaced.gif"] = gif_file((w, 13), [dict(w=w, h=13, indices=[int(v) for v in noise((13 * w,), 102, 16)],
                                                      min_code_size=4, interlace=True)], pal)
    files["index_beyond_palette.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=[int(v) for v in noise(
        (h * w,), 103, 64)], min_code_size=6)], pal[:12])
    files["transparency_index.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=idx, min_code_size=4, transparency=3)],
                                               pal)
    small = [int(v) for v in noise((3 * 4,), 104, 16)]
    files["frame_offset_no_transparency.gif"] = gif_file((w, h), [dict(x=2, y=3, w=4, h=3, indices=small,
                                                                       min_code_size=4)], pal, background=5)
    files["frame_offset_transparency.gif"] = gif_file((w, h), [dict(x=2, y=3, w=4, h=3, indices=small,
                                                                    min_code_size=4, transparency=7)], pal)
    files["frame_beyond_screen.gif"] = gif_file((5, 4), [dict(x=3, y=2, w=4, h=3, indices=small, min_code_size=4)], pal)
    files["frame_offset_no_palette.gif"] = gif_file((w, h), [dict(x=1, y=1, w=4, h=3, indices=small, min_code_size=4,
                                                                  transparency=9)])
    second = dict(w=w, h=h, indices=[int(v) for v in noise((h * w,), 105, 16)], min_code_size=4)
    for disposal in (0, 1, 2, 3):
        files[f"animated_disposal{disposal}.gif"] = gif_file((w, h), [
            dict(w=w, h=h, indices=idx, min_code_size=4, transparency=2, disposal=disposal),
            dict(second, transparency=4), dict(x=1, y=1, w=4, h=3, indices=small, min_code_size=4)], pal)
    frames = [Image.fromarray(noise((6, 8, 3), 106 + k) // 64 * 64) for k in range(3)]
    files["pil_animated_rgb.gif"] = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], disposal=2,
                                            duration=50)
    files["pil_l.gif"] = encoded(Image.fromarray(noise((6, 8), 107)), "GIF")
    pimg = Image.fromarray(noise((6, 8, 3), 108)).convert("P", palette=Image.ADAPTIVE, colors=8)
    files["pil_p_transparency.gif"] = encoded(pimg, "GIF", transparency=2)
    # LZW oddities and damage.
    full = gif_file((w, h), [dict(w=w, h=h, indices=idx, min_code_size=4)], pal)
    files["lzw_ends_early.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=idx, min_code_size=4,
                                                         lzw=lzw_encode(idx[:30], 4))], pal)
    files["lzw_too_much_data.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=idx, min_code_size=4,
                                                            lzw=lzw_encode(idx + idx, 4))], pal)
    files["lzw_min_code_size_12.gif"] = gif_file((w, h), [dict(w=w, h=h, indices=idx, min_code_size=12,
                                                               lzw=b"\x00" * 40)], pal)
    files["lzw_big_image.gif"] = gif_file((160, 120), [dict(w=160, h=120, indices=[int(v) for v in noise(
        (160 * 120,), 109, 256)], min_code_size=8)], bytes(noise((256, 3), 110).ravel()))
    files["truncated_in_data.gif"] = full[:len(full) - 15]
    files["truncated_no_trailer.gif"] = full[:-1]
    files["truncated_header.gif"] = full[:20]
    files["no_image.gif"] = full[:13 + 48] + b";"
    return files


# ---------------------------------------------------------------------------------------------------- PNG


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pack_row(samples, depth):
    if depth == 8:
        return bytes(int(v) for v in samples)
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    per = 8 // depth
    s = [int(v) for v in samples] + [0] * (-len(samples) % per)
    return bytes(sum(v << (8 - depth * (i + 1)) for i, v in enumerate(s[k:k + per])) for k in range(0, len(s), per))


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png_raw(arr, depth, interlace, filter_type=0):
    """Filtered scanlines (filter 0 everywhere, or a constant type applied properly) of an (h, w, c) array."""
    h, w, c = arr.shape

    def rows_of(a):
        out = b""
        prev = None
        for r in a:
            raw = pack_row(r.reshape(-1), depth)
            bpp = max(1, c * depth // 8)
            if filter_type == 0 or len(raw) == 0:
                out += b"\0" + raw
            else:
                prior = prev if prev is not None else bytes(len(raw))
                f = bytearray(len(raw))
                for i in range(len(raw)):
                    a_ = raw[i - bpp] if i >= bpp else 0
                    b_ = prior[i]
                    c_ = prior[i - bpp] if i >= bpp else 0
                    if filter_type == 1:
                        pred = a_
                    elif filter_type == 2:
                        pred = b_
                    elif filter_type == 3:
                        pred = (a_ + b_) // 2
                    else:
                        pa, pb, pc = abs(b_ - c_), abs(a_ - c_), abs(a_ + b_ - 2 * c_)
                        pred = a_ if pa <= pb and pa <= pc else (b_ if pb <= pc else c_)
                    f[i] = (raw[i] - pred) & 0xFF
                out += bytes([filter_type]) + bytes(f)
            prev = raw
        return out

    if not interlace:
        return rows_of(arr)
    out = b""
    for x0, y0, dx, dy in ADAM7:
        sub = arr[y0::dy, x0::dx]
        if sub.shape[0] and sub.shape[1]:
            out += rows_of(sub)
    return out


def png_file(arr, depth, color_type, plte=None, trns=None, interlace=0, filter_type=0, idat=None, chunks_before=(),
             idat_split=None, end=True):
    h, w = arr.shape[:2]
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, interlace))
    for kind, data in chunks_before:
        out += png_chunk(kind, data)
    if plte is not None:
        out += png_chunk(b"PLTE", plte)
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    data = idat if idat is not None else zlib.compress(png_raw(arr, depth, interlace, filter_type), 9)
    parts = [data] if not idat_split else [data[i:i + idat_split] for i in range(0, len(data), idat_split)]
    for p in parts:
        out += png_chunk(b"IDAT", p)
    return out + (png_chunk(b"IEND", b"") if end else b"")


def png_corpus():
    files = {}
    w, h = 7, 5
    for depth in (1, 2, 4, 8, 16):
        g = noise((h, w, 1), 120 + depth, 1 << depth, np.uint32)
        files[f"gray{depth}.png"] = png_file(g, depth, 0)
        files[f"gray{depth}_interlaced.png"] = png_file(noise((9, 11, 1), 130 + depth, 1 << depth, np.uint32), depth, 0,
                                                        interlace=1)
        if depth <= 8:
            pal = bytes(noise((1 << depth, 3), 140 + depth).ravel())
            p = noise((h, w, 1), 150 + depth, 1 << depth, np.uint32)
            files[f"palette{depth}.png"] = png_file(p, depth, 3, plte=pal)
            files[f"palette{depth}_interlaced.png"] = png_file(noise((9, 11, 1), 160 + depth, 1 << depth, np.uint32),
                                                               depth, 3, plte=pal, interlace=1)
    g16 = noise((h, w, 1), 170, 65536, np.uint32)
    g16[0, :4, 0] = [0, 200, 255, 256]
    files["gray16_low_values.png"] = png_file(g16 // 200, 16, 0)  # mostly below 256: PIL keeps them, clips the rest
    files["gray8_trns.png"] = png_file(noise((h, w, 1), 171, 4, np.uint32) * 60, 8, 0, trns=struct.pack(">H", 60))
    files["gray2_trns.png"] = png_file(noise((h, w, 1), 172, 4, np.uint32), 2, 0, trns=struct.pack(">H", 1))
    files["gray16_trns.png"] = png_file(noise((h, w, 1), 173, 3, np.uint32) * 100, 16, 0, trns=struct.pack(">H", 100))
    files["gray1_trns.png"] = png_file(noise((h, w, 1), 174, 2, np.uint32), 1, 0, trns=struct.pack(">H", 1))
    for depth in (8, 16):
        files[f"gray_alpha{depth}.png"] = png_file(noise((h, w, 2), 180 + depth, 1 << depth, np.uint32), depth, 4)
        files[f"rgb{depth}.png"] = png_file(noise((h, w, 3), 181 + depth, 1 << depth, np.uint32), depth, 2)
        files[f"rgba{depth}.png"] = png_file(noise((h, w, 4), 182 + depth, 1 << depth, np.uint32), depth, 6)
        files[f"rgba{depth}_interlaced.png"] = png_file(noise((9, 11, 4), 183 + depth, 1 << depth, np.uint32), depth, 6,
                                                        interlace=1)
    rgb = noise((h, w, 3), 190, 3, np.uint32) * 100
    files["rgb8_trns.png"] = png_file(rgb, 8, 2, trns=struct.pack(">HHH", 100, 200, 0))
    rgb16 = noise((h, w, 3), 191, 3, np.uint32) * 0x1234
    files["rgb16_trns.png"] = png_file(rgb16, 16, 2, trns=struct.pack(">HHH", 0x1234, 0x2468, 0))
    pal = bytes(noise((16, 3), 192).ravel())
    p = noise((h, w, 1), 193, 16, np.uint32)
    files["palette_trns_alphas.png"] = png_file(p, 4, 3, plte=pal, trns=bytes(noise((10,), 194)))
    files["palette_trns_single.png"] = png_file(p, 4, 3, plte=pal, trns=b"\xff\xff\x00")
    files["palette_trns_longer_than_plte.png"] = png_file(p, 8, 3, plte=pal[:12], trns=bytes(range(0, 200, 10)))
    files["palette_short_plte.png"] = png_file(p, 8, 3, plte=pal[:15])  # indices 5..15 outside PLTE
    files["palette_no_plte.png"] = png_file(p, 8, 3)
    for ft in (1, 2, 3, 4):
        files[f"rgb8_filter{ft}.png"] = png_file(noise((h, w, 3), 195, 256, np.uint32), 8, 2, filter_type=ft)
        files[f"gray2_filter{ft}.png"] = png_file(noise((h, w, 1), 196, 4, np.uint32), 2, 0, filter_type=ft)
    files["tiny_1x1_interlaced.png"] = png_file(noise((1, 1, 3), 197, 256, np.uint32), 8, 2, interlace=1)
    files["tiny_2x3_interlaced.png"] = png_file(noise((3, 2, 1), 198, 4, np.uint32), 2, 0, interlace=1)
    files["pil_rgb.png"] = encoded(Image.fromarray(noise((h, w, 3), 199)), "PNG")
    files["pil_p.png"] = encoded(Image.fromarray(noise((h, w, 3), 200)).convert("P", palette=Image.ADAPTIVE, colors=6),
                                 "PNG")
    files["pil_i16.png"] = encoded(Image.fromarray(noise((h, w), 201, 65536, np.uint16)), "PNG")
    files["pil_apng.png"] = encoded(Image.fromarray(noise((h, w, 3), 202)), "PNG", save_all=True,
                                    append_images=[Image.fromarray(noise((h, w, 3), 203))])
    # Damage and stream oddities.
    base_arr = noise((h, w, 3), 210, 256, np.uint32)
    raw = png_raw(base_arr, 8, 0)
    z = zlib.compress(raw, 9)
    good = png_file(base_arr, 8, 2)
    files["idat_split_in_many.png"] = png_file(base_arr, 8, 2, idat_split=7)
    files["trunc_in_idat.png"] = good[:good.index(b"IDAT") + 4 + len(z) // 2]
    files["trunc_no_iend.png"] = good[:-12]
    files["trunc_in_iend_crc.png"] = good[:-2]
    files["trunc_after_ihdr.png"] = good[:33]
    files["trunc_in_ihdr.png"] = good[:20]
    files["zlib_stream_ends_early.png"] = png_file(base_arr, 8, 2, idat=zlib.compress(raw[:len(raw) * 3 // 5 // (1 + w * 3) * (1 + w * 3)]))
    files["zlib_stream_ends_mid_row.png"] = png_file(base_arr, 8, 2, idat=zlib.compress(raw[:len(raw) // 2 + 3]))
    files["zlib_extra_rows.png"] = png_file(base_arr, 8, 2, idat=zlib.compress(raw + raw[:2 * (1 + w * 3)]))
    files["zlib_bad_adler.png"] = png_file(base_arr, 8, 2, idat=z[:-4] + b"\0\0\0\0")
    files["zlib_garbage.png"] = png_file(base_arr, 8, 2, idat=b"\x78\x9c" + bytes(noise((40,), 211)))
    bad_idat_crc = bytearray(good)
    at = good.index(b"IDAT") + 4 + len(z)
    bad_idat_crc[at] ^= 0xFF
    files["bad_crc_idat.png"] = bytes(bad_idat_crc)
    files["bad_crc_ancillary_before_idat.png"] = (lambda b: b[:-1] + bytes([b[-1] ^ 1]))(
        png_chunk(b"tEXt", b"k\0v"))
    files["bad_crc_ancillary_before_idat.png"] = good[:33] + files["bad_crc_ancillary_before_idat.png"] + good[33:]
    files["bad_crc_after_idat.png"] = good[:-12] + (lambda b: b[:-1] + bytes([b[-1] ^ 1]))(
        png_chunk(b"tEXt", b"k\0v")) + good[-12:]
    bad_ihdr = bytearray(good)
    bad_ihdr[29] ^= 1
    files["bad_crc_ihdr.png"] = bytes(bad_ihdr)
    files["filter_type_5.png"] = png_file(base_arr, 8, 2, idat=zlib.compress(bytes([5]) + raw[1:]))
    files["bad_bit_depth.png"] = good[:8] + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 3, 2, 0, 0, 0)) + good[33:]
    files["unknown_critical_chunk.png"] = png_file(base_arr, 8, 2, chunks_before=[(b"CrIt", b"data")])
    return files


# ---------------------------------------------------------------------------------------------------- commands


def make(root, quiet=False):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bad_images  # tl's existing regression corpus, compared too
    groups = {"jpeg": jpeg_corpus(), "bmp": bmp_corpus(), "pnm": pnm_corpus(), "gif": gif_corpus(),
              "png": png_corpus(), "bad": bad_images.corpus()}
    for group, files in groups.items():
        os.makedirs(os.path.join(root, group), exist_ok=True)
        for name, data in sorted(files.items()):
            with open(os.path.join(root, group, name), "wb") as f:
                f.write(data)
    if not quiet:
        print("\n".join(f"{g}: {len(f)} files" for g, f in groups.items()))


IMAGE_EXTENSIONS = (".bmp", ".gif", ".png", ".jpg", ".jpeg", ".ppm", ".pgm", ".pbm", ".pnm", ".dib")


def gather(root, roots):
    """Copies shipped image files (not the thousands of theme icons: every 50th of those) into root/found."""
    out = os.path.join(root, "found")
    os.makedirs(out, exist_ok=True)
    found, icons = [], []
    for top in roots or ["/usr/share", "/usr/lib"]:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                if not name.lower().endswith(IMAGE_EXTENSIONS) or not os.path.isfile(path) or os.path.islink(path):
                    continue
                if os.path.getsize(path) > 4 << 20:
                    continue
                (icons if "/icons/" in path else found).append(path)
    chosen = found + icons[::50]
    for path in chosen:
        dest = path.strip("/").replace("/", "__")
        shutil.copyfile(path, os.path.join(out, dest))
    print(f"{len(found)} files, {len(icons[::50])} of {len(icons)} icons -> {out}")


def corpus_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            out.append(os.path.relpath(os.path.join(dirpath, name), root))
    return out


def describe_one(path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            im = Image.open(path)
            desc = [im.format, im.mode, "%dx%d" % im.size,
                    ",".join(sorted(k for k in im.info if k in ("transparency", "progressive", "adobe",
                                                                 "adobe_transform", "exif", "interlace",
                                                                 "compression", "background")))]
            try:
                im.load()
                desc.append("loads")
            except Exception as e:  # noqa: BLE001 - what PIL raises is the point
                desc.append(f"load: {type(e).__name__}: {e}")
        except Exception as e:  # noqa: BLE001
            desc = ["-", "-", "-", "-", f"open: {type(e).__name__}: {e}"]
    desc.append(";".join(sorted({f"{w.category.__name__}: {w.message}" for w in caught})))
    return desc


SHORT_VARIANTS = [(None, "nearest"), (TARGET, "nearest"), (TARGET, "bilinear")]


def compare(root, out_dir, short=False, quiet=False):
    """Every file x color mode x (no resize, or TARGET under each of PIL's six filters; `short`: nearest and bilinear
    only, which the tests use: decoding does not depend on the filter)."""
    from keras_preprocessing.image import load_img
    sizes = SHORT_VARIANTS if short else [(None, "nearest")] + [(TARGET, f) for f in FILTERS]
    os.makedirs(out_dir, exist_ok=True)
    lines = []
    offset = 0
    with open(os.path.join(out_dir, "refs.bin"), "wb") as refs:
        for rel in corpus_files(root):
            path = os.path.join(root, rel)
            lines.append("\t".join(["#" + rel] + [d.replace("\t", " ").replace("\n", " ") for d in describe_one(path)]))
            for color in COLORS:
                for size, interp in sizes:
                    key = [rel, color, str(size[0] if size else 0), str(size[1] if size else 0), interp]
                    try:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            img = load_img(path, color_mode=color, target_size=size, interpolation=interp)
                            x = np.asarray(img, dtype=np.uint8)
                    except Exception as e:  # noqa: BLE001
                        msg = f"{type(e).__name__}: {e}".replace("\t", " ").replace("\n", " ")
                        lines.append("\t".join(key + ["error", msg]))
                        continue
                    if x.ndim == 2:
                        x = x[:, :, None]
                    refs.write(x.tobytes())
                    lines.append("\t".join(key + ["ok", *map(str, x.shape), str(offset)]))
                    offset += x.size
    with open(os.path.join(out_dir, "manifest.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if not quiet:
        print(f"{sum(1 for l in lines if l.startswith('#'))} files, {offset} reference bytes -> {out_dir}")


def make_photos(root, n=200):
    """bench/peer.py's generator (smooth colour fields, a flat box, sensor noise), at two qualities and larger sizes."""
    rng = np.random.default_rng(0)
    for i in range(int(n)):
        low = rng.uniform(0, 255, (6, 8, 3)).astype(np.uint8)
        img = np.asarray(Image.fromarray(low).resize((512, 384), Image.BICUBIC), dtype=np.float32)
        x0, y0 = rng.integers(0, 400), rng.integers(0, 300)
        img[y0:y0 + 80, x0:x0 + 100] = rng.uniform(0, 255, 3)
        img += rng.normal(0, 6, img.shape)
        pil = Image.fromarray(img.clip(0, 255).astype(np.uint8))
        for q in (90, 75):
            os.makedirs(os.path.join(root, f"q{q}", "c"), exist_ok=True)
            pil.save(os.path.join(root, f"q{q}", "c", f"{i:04d}.jpg"), quality=q)
    os.makedirs(os.path.join(root, "large", "c"), exist_ok=True)
    for k, (w, h) in enumerate([(1024, 768)] * 8 + [(2048, 1536)] * 4 + [(4032, 3024)] * 2):
        low = rng.uniform(0, 255, (12, 16, 3)).astype(np.uint8)
        img = np.asarray(Image.fromarray(low).resize((w, h), Image.BICUBIC), dtype=np.float32)
        img += rng.normal(0, 6, img.shape)
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(os.path.join(root, "large", "c", f"{w}x{h}_{k:02d}.jpg"),
                                                                quality=90)


def time_keras(root, repeat=5):
    """Thread CPU time per image (time.thread_time: the machine may be shared, wall time swings with its load),
    best of `repeat` passes; flow_from_directory also in wall time."""
    import time
    from keras_preprocessing.image import ImageDataGenerator, img_to_array, load_img
    clock = time.thread_time
    for sub in sorted(os.listdir(root)):
        files = [os.path.join(root, sub, "c", f) for f in sorted(os.listdir(os.path.join(root, sub, "c")))]
        best = {}
        for _ in range(int(repeat)):
            t = {"read+decode": 0.0, "convert": 0.0, "resize": 0.0, "img_to_array": 0.0, "load_img+img_to_array": 0.0}
            for f in files:
                a = clock()
                im = Image.open(f)
                im.load()
                b = clock()
                im = im.convert("RGB") if im.mode != "RGB" else im
                c = clock()
                im = im.resize((224, 224), Image.NEAREST)
                d = clock()
                img_to_array(im)
                e = clock()
                t["read+decode"] += b - a
                t["convert"] += c - b
                t["resize"] += d - c
                t["img_to_array"] += e - d
                a = clock()
                img_to_array(load_img(f, target_size=(224, 224)))
                t["load_img+img_to_array"] += clock() - a
            for k, v in t.items():
                best[k] = min(best.get(k, 1e9), v / len(files))
        line = f"{sub}: " + ", ".join(f"{k} {v * 1e3:.3f}" for k, v in best.items()) + " ms/img (thread CPU)"
        if sub != "large":
            cpu, wall = 1e9, 1e9
            for _ in range(int(repeat)):
                it = ImageDataGenerator().flow_from_directory(os.path.join(root, sub), target_size=(224, 224),
                                                              batch_size=32, shuffle=False)
                a, w = clock(), time.perf_counter()
                for i in range(len(it)):
                    it[i]
                cpu = min(cpu, (clock() - a) / it.samples)
                wall = min(wall, (time.perf_counter() - w) / it.samples)
            line += f"; flow_from_directory epoch {cpu * 1e3:.3f} ms/img CPU = {1 / cpu:.0f} img/s, wall {1 / wall:.0f} img/s"
        print(line)


def batches(root, out):
    from keras_preprocessing.image import ImageDataGenerator
    os.makedirs(out, exist_ok=True)
    it = ImageDataGenerator().flow_from_directory(root, target_size=(224, 224), batch_size=32, shuffle=False,
                                                  class_mode=None)
    with open(os.path.join(out, "batches.bin"), "wb") as f:
        for i in range(len(it)):
            x = it[i]
            assert (x == np.round(x)).all()
            f.write(x.astype(np.uint8).tobytes())
    with open(os.path.join(out, "filenames.txt"), "w") as f:
        f.write("\n".join(it.filenames) + "\n")
    print(f"{it.samples} images in {len(it)} batches -> {out}")


def mutate(root, out, n=4):
    rng = np.random.RandomState(12345)
    for rel in corpus_files(root):
        if rel.startswith("found"):
            continue
        with open(os.path.join(root, rel), "rb") as f:
            data = f.read()
        if len(data) < 4:
            continue
        for k in range(int(n)):
            b = bytearray(data)
            kind = k % 4
            if kind == 0:
                for _ in range(rng.randint(1, 5)):
                    b[rng.randint(len(b))] ^= 1 << rng.randint(8)
            elif kind == 1:
                at = rng.randint(len(b))
                run = rng.randint(1, 17)
                b[at:at + run] = bytes(rng.randint(0, 256, run).astype(np.uint8))
            elif kind == 2:
                at, run = rng.randint(len(b)), rng.randint(1, 64)
                b[at:at] = b[at:at + run]
            else:
                b = b[:rng.randint(2, len(b))]
            dest = os.path.join(out, os.path.dirname(rel), f"m{k}_" + os.path.basename(rel))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(bytes(b))


def fuzz_seeds(out):
    """Seed corpora for the fuzz targets (tests/fuzz/corpus/): every generated file of at most 2 KiB, as is for the
    per-format decoder targets (<format>_decoder/), and behind two load_img option bytes for load_img/ (odd_*)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    groups = {"jpeg": jpeg_corpus(), "bmp": bmp_corpus(), "pnm": pnm_corpus(), "gif": gif_corpus(), "png": png_corpus()}
    k = 0
    for group, files in groups.items():
        target = os.path.join(out, f"{group}_decoder")
        os.makedirs(target, exist_ok=True)
        os.makedirs(os.path.join(out, "load_img"), exist_ok=True)
        for name, data in sorted(files.items()):
            if len(data) > 2048:
                continue
            with open(os.path.join(target, name), "wb") as f:
                f.write(data)
            with open(os.path.join(out, "load_img", f"odd_{group}_{name}"), "wb") as f:
                f.write(bytes([k % 256, (k * 37 + 11) % 256]) + data)
            k += 1
    print(f"{k} seeds -> {out}")


def describe(root):
    for rel in corpus_files(root):
        print("\t".join([rel] + describe_one(os.path.join(root, rel))))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "make":
        make(args[0])
    elif cmd == "gather":
        gather(args[0], args[1:])
    elif cmd == "compare":
        compare(args[0], args[1], short="--short" in args[2:])
    elif cmd == "describe":
        describe(args[0])
    elif cmd == "mutate":
        mutate(args[0], args[1], *args[2:])
    elif cmd == "photos":
        make_photos(args[0], *args[1:])
    elif cmd == "time_keras":
        time_keras(*args)
    elif cmd == "fuzz_seeds":
        fuzz_seeds(args[0])
    elif cmd == "batches":
        batches(args[0], args[1])
    else:
        sys.exit(__doc__)
