"""Prints `md5 sha256` of each file given, as hashlib computes them (the oracle for tl's own MD5 and SHA-256).

Usage: file_hashes.py FILE...
"""
import hashlib
import sys

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = f.read()
    print(hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest())
