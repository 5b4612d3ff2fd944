#!/usr/bin/env python3
"""Makes data/npy/: .npy and .npz files written by numpy, and broken ones.

Run: `python3 Tests/BlockwiseTests/Fixtures/make_npy_fixtures.py`
(`make fixtures` runs every fixture script). Writes the files and
data/npy/manifest.json, which says for each file what Blockwise must read
from it (shape, values as float64 and as float32, both from numpy's own
astype) or which error message it must give (a substring).

- every dtype Blockwise reads, in both byte orders: f2 f4 f8, i1-i8, u1-u8, b1
- shapes (), (0,), (0, 5), (1,), (3, 4, 5); Fortran order
- format versions 1.0, 2.0, 3.0; a version 2.0 header padded past 64 KiB
- files np.save wrote, for the byte-for-byte writer test
- .npz files from np.savez and np.savez_compressed
- broken files: each fault of the format, and dtypes Blockwise refuses
"""
import io
import json
import os
import struct
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "npy")
rng = np.random.default_rng(10_2026_11_23)
manifest = {"read": [], "bad": [], "written": [], "npz": [], "badNpz": []}


def enc(a):
    flat = np.asarray(a, dtype=np.float64).ravel()
    out = [repr(float(v)) for v in flat]
    # What the Swift tests parse must be the very value numpy produced.
    back = np.array([float(t) for t in out], dtype=np.float64)
    assert np.array_equal(back.view(np.uint64), flat.view(np.uint64)) or np.array_equal(back, flat, equal_nan=True), \
        "repr round trip"
    return out


def save(name, arr, **kw):
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, arr, **kw)
    return path


def expect_read(name, arr):
    # numpy itself must read the file as the expected array.
    got = np.load(os.path.join(OUT, name), max_header_size=1 << 24)
    assert got.shape == np.asarray(arr).shape and np.array_equal(got, arr, equal_nan=got.dtype.kind == "f"), name
    manifest["read"].append({
        "file": name, "shape": list(arr.shape),
        "double": enc(np.asarray(arr).astype(np.float64)),
        "float": enc(np.asarray(arr).astype(np.float32)),
    })


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    base = rng.uniform(-1000, 1000, (3, 4))
    # Every dtype, both byte orders.
    for code in ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"]:
        for order in "<>":
            if code in ("i1", "u1", "b1") and order == ">":
                continue
            dt = np.dtype(order + code)
            if code == "b1":
                arr = (base > 0).astype(dt)
            elif code[0] in "iu":
                info = np.iinfo(np.dtype(code))
                vals = rng.integers(info.min, info.max, (3, 4), dtype=np.dtype(code), endpoint=True)
                vals.flat[0], vals.flat[1] = info.min, info.max
                arr = vals.astype(dt)
            else:
                arr = base.astype(dt)
                arr.flat[0] = np.nan
                arr.flat[1] = -np.inf
            name = f"dtype_{'le' if order == '<' else 'be'}_{code}.npy"
            save(name, arr)
            expect_read(name, arr)
    # Shapes.
    for shape in [(), (0,), (0, 5), (1,), (3, 4, 5), (2, 1, 3)]:
        arr = rng.uniform(-1, 1, shape)
        name = "shape_" + ("x".join(map(str, shape)) or "scalar") + ".npy"
        save(name, arr)
        expect_read(name, arr)
    # Fortran order.
    f = np.asfortranarray(rng.uniform(-1, 1, (3, 5)))
    save("fortran_3x5.npy", f)
    expect_read("fortran_3x5.npy", f)
    f3 = np.asfortranarray(rng.uniform(-1, 1, (2, 3, 4)).astype(np.float32))
    save("fortran_2x3x4_f4.npy", f3)
    expect_read("fortran_2x3x4_f4.npy", f3)
    # Versions.
    for v in [(1, 0), (2, 0), (3, 0)]:
        arr = rng.uniform(-1, 1, (2, 3))
        name = f"version_{v[0]}_0.npy"
        save(name, arr, version=v)
        expect_read(name, arr)
    # A version 2.0 header padded to more than 64 KiB.
    arr = rng.uniform(-1, 1, (4, 2))
    d = "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 2), }"
    total = 70_016
    pad = total - 12 - len(d) - 1
    with open(os.path.join(OUT, "long_header.npy"), "wb") as fh:
        fh.write(b"\x93NUMPY\x02\x00" + struct.pack("<I", len(d) + pad + 1) + d.encode() + b" " * pad + b"\n")
        fh.write(arr.astype("<f8").tobytes())
    expect_read("long_header.npy", arr)
    # Files np.save wrote, for the writer's byte-for-byte test.
    for shape, dt in [((3, 4), np.float64), ((5,), np.float32), ((), np.float64), ((0,), np.float64),
                      ((0, 5), np.float64), ((2, 3, 4, 5), np.float32), ((1234567, 0), np.float64),
                      ((7, 1, 2), np.float64)]:
        arr = rng.uniform(-1, 1, shape).astype(dt)
        name = f"saved_{'f8' if dt == np.float64 else 'f4'}_" + ("x".join(map(str, shape)) or "scalar") + ".npy"
        np.save(os.path.join(OUT, name), arr)
        manifest["written"].append({"file": name, "shape": list(shape), "float32": dt == np.float32, "values": enc(arr)})
    # Broken files.
    good = io.BytesIO()
    np.save(good, rng.uniform(-1, 1, (3, 4)))
    good = good.getvalue()

    def header(dict_text, version=1):
        d = dict_text.encode()
        if version == 1:
            pre = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(d) + 1)
        else:
            pre = b"\x93NUMPY\x02\x00" + struct.pack("<I", len(d) + 1)
        return pre + d + b"\n"

    def bad(name, data, message):
        with open(os.path.join(OUT, name), "wb") as fh:
            fh.write(data)
        manifest["bad"].append({"file": name, "message": message})

    bad("bad_magic.npy", b"\x93NUMPX" + good[6:], "magic string")
    bad("bad_version.npy", good[:6] + b"\x04\x00" + good[8:], "unknown .npy format version 4.0")
    bad("header_past_end.npy", good[:8] + struct.pack("<H", 5000) + good[10:200], "runs past the end of the file")
    bad("too_short.npy", good[:7], "too short to be a .npy file")
    bad("missing_shape.npy", header("{'descr': '<f8', 'fortran_order': False, }"), "no 'shape'")
    bad("missing_descr.npy", header("{'fortran_order': False, 'shape': (2,), }"), "no 'descr'")
    bad("unbalanced_shape.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, }"), "unbalanced")
    bad("unbalanced_dict.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,) "), "unbalanced")
    bad("not_a_dict.npy", header("['descr', '<f8']"), "not a dict")
    bad("float_dim.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (3.5,), }"), "not an integer")
    bad("negative_dim.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }"), "negative dimension")
    bad("overflow_dims.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"),
        "overflows")
    bad("huge_dims.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 4194304), }"),
        "more elements than fit")
    bad("bad_fortran.npy", header("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,), }"), "'fortran_order'")
    bad("extra_key.npy", header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1, }"), "unexpected key")
    bad("data_short.npy", good[:-8], "the file is truncated")
    bad("data_long.npy", good + b"\x00" * 8, "trailing bytes")
    bad("complex.npy", header("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }") + b"\x00" * 16, "complex")
    bad("unicode.npy", header("{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }") + b"\x00" * 20, "unicode string")
    bad("datetime.npy", header("{'descr': '<M8[s]', 'fortran_order': False, 'shape': (1,), }") + b"\x00" * 8, "datetime")
    bad("structured.npy", header("{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }")
        + b"\x00" * 12, "structured")
    obj = io.BytesIO()
    np.save(obj, np.array([1, "a", None], dtype=object), allow_pickle=True)
    bad("object.npy", obj.getvalue(), "object")
    # .npz archives.
    arrays = {"a": rng.uniform(-1, 1, (40, 30)), "b": rng.uniform(-1, 1, 17).astype(np.float32),
              "c": rng.integers(-9, 9, (2, 3)).astype("<i4"), "empty": np.zeros((0, 4)),
              "scalar": np.array(3.25), "ab": rng.uniform(-1, 1, (5, 6))}
    def mappable(path):
        # Stored '<f8' members whose data start at a multiple of 8 bytes in
        # the file (np.savez does not align members: it depends on the
        # name's length and the local header's extra field).
        out = []
        with open(path, "rb") as fh:
            raw = fh.read()
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                at = info.header_offset
                name_len, extra_len = struct.unpack("<HH", raw[at + 26:at + 30])
                member = at + 30 + name_len + extra_len
                with zf.open(info) as m:
                    version = np.lib.format.read_magic(m)
                    (np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0)(m)
                    data = member + m.tell()
                    dtype = np.lib.format.read_array(zf.open(info)).dtype
                if info.compress_type == zipfile.ZIP_STORED and dtype == np.dtype("<f8") and data % 8 == 0:
                    out.append(info.filename[:-4])
        return sorted(out)

    np.savez(os.path.join(OUT, "stored.npz"), **arrays)
    np.savez_compressed(os.path.join(OUT, "compressed.npz"), **arrays)
    for name in ("stored.npz", "compressed.npz"):
        manifest["npz"].append({"file": name, "arrays": {
            k: {"shape": list(v.shape), "double": enc(v.astype(np.float64)), "float": enc(v.astype(np.float32))}
            for k, v in arrays.items()}, "mappableAsDouble": mappable(os.path.join(OUT, name))})
    # Broken archives.
    with open(os.path.join(OUT, "stored.npz"), "rb") as fh:
        z = fh.read()

    def bad_npz(name, data, message):
        with open(os.path.join(OUT, name), "wb") as fh:
            fh.write(data)
        manifest["badNpz"].append({"file": name, "message": message})

    bad_npz("not_a_zip.npz", b"PK but not really a zip archive" * 3, "end-of-central-directory")
    cut = z.rfind(b"PK\x01\x02")
    bad_npz("truncated.npz", z[:cut + 10], "end-of-central-directory")
    eocd = z.rfind(b"PK\x05\x06")
    moved = bytearray(z)
    moved[eocd + 16:eocd + 20] = struct.pack("<I", len(z) + 1000)
    bad_npz("directory_outside.npz", bytes(moved), "outside the file")
    flipped = bytearray(open(os.path.join(OUT, "compressed.npz"), "rb").read())
    first_local = flipped.find(b"PK\x03\x04")
    start = first_local + 30 + struct.unpack("<H", flipped[first_local + 26:first_local + 28])[0] \
        + struct.unpack("<H", flipped[first_local + 28:first_local + 30])[0]
    for k in range(start + 20, start + 60):
        flipped[k] ^= 0x5A
    bad_npz("corrupt_deflate.npz", bytes(flipped), "corrupt")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_BZIP2) as zf:
        zf.writestr("x.npy", good)
    bad_npz("bzip2.npz", buf.getvalue(), "compression method 12")
    with open(os.path.join(OUT, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=0)
    print("wrote", len(os.listdir(OUT)), "files to", OUT)


if __name__ == "__main__":
    main()
