"""Writes tl's regression corpus of awkward and damaged image files into DIR (deterministic), for the
bad-image tests and as seeds of the load_img fuzzer (`--fuzz-seeds`: each file behind two option bytes). The tests
have keras_image.py write it (`bad_corpus DIR`), in the process that answers their requests."""
import io
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_header(width, height, idat):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def encoded(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def corpus():
    rng = np.random.RandomState(3)
    rgb = Image.fromarray(rng.randint(0, 256, (23, 31, 3)).astype("uint8"))
    smooth = Image.fromarray(np.kron(rng.randint(0, 256, (6, 8, 3)), np.ones((8, 8, 1))).astype("uint8"))
    png, jpg = encoded(rgb, "PNG"), encoded(smooth, "JPEG", quality=95)
    bad_crc = bytearray(png)
    bad_crc[png.index(b"IDAT") + 20] ^= 0x01
    frames = [Image.fromarray(np.full((9, 11, 3), v, "uint8")) for v in (40, 200)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    sixteen = Image.fromarray(rng.randint(0, 65536, (7, 5)).astype("uint16"))
    palette = rgb.convert("P", palette=Image.ADAPTIVE, colors=16)
    palette.info["transparency"] = 3
    return {
        "truncated.jpg": jpg[: len(jpg) * 2 // 3],
        "bad_crc.png": bytes(bad_crc),
        "zero_bytes.png": b"",
        "text.jpg": b"this is a text file, not a JPEG\n",
        "one_pixel.png": encoded(Image.new("RGB", (1, 1), (12, 34, 56)), "PNG"),
        "huge_header.png": png_with_header(10000, 10000, zlib.compress(b"\0" * 64)),
        "bomb_header.png": png_with_header(20000, 20000, zlib.compress(b"\0" * 64)),
        "sixteen_bit.png": encoded(sixteen, "PNG"),
        "cmyk.jpg": encoded(smooth.convert("CMYK"), "JPEG", quality=95),
        "progressive.jpg": encoded(smooth, "JPEG", quality=95, progressive=True),
        "animated.gif": gif.getvalue(),
        "scan.tiff": encoded(rgb, "TIFF"),
        "palette_transparency.png": encoded(palette, "PNG", transparency=3),
        "gray_alpha.png": encoded(rgb.convert("LA"), "PNG"),
        "plain.bmp": encoded(rgb, "BMP"),
    }


def write(out, fuzz=False):
    os.makedirs(out, exist_ok=True)
    for k, (name, data) in enumerate(sorted(corpus().items())):
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([k % 256, (k * 37) % 256]) + data if fuzz else data)


if __name__ == "__main__":
    fuzz = sys.argv[1] == "--fuzz-seeds"
    write(sys.argv[2] if fuzz else sys.argv[1], fuzz)
