#!/usr/bin/env python3
"""Makes data/array.json: numpy references for NDArray's daily-use API.

Run from anywhere: `python3 Tests/BlockwiseTests/Fixtures/make_array_fixtures.py`
(`make fixtures` runs every fixture script). Floats are written with repr()
as strings, so "nan", "inf" and "-inf" survive and Swift parses each back
to the identical double; float32 values are written as the double they
widen to (exact).

What each section holds, and how exact the reference is:
- axis: sums as math.fsum per output (correctly rounded), means fsum / n,
  min/max as numpy (exact), sumExp as fsum of np.exp (1 ulp per term),
  logSumExp from scipy.special.logsumexp.
- broadcast: a op b for + - * / in numpy, float64 and float32 (IEEE, so
  Blockwise must match bit for bit), and shape pairs that do not broadcast.
- permute / slice / join / reshape: numpy's results (exact copies).
- astype: float64 -> float32 conversions of special values (exact).
- linspace / arange: numpy's values (Blockwise replicates the arithmetic,
  so bit for bit).
- philox: numpy's Philox(key=seed, counter=2**256 - 1).random_raw(),
  whose first block is Philox4x64-10 at counter 0, and Generator.random().
"""
import json
import math
import os

import numpy as np
import scipy.special

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
rng = np.random.default_rng(9_2026_11_23)


def enc(a):
    flat = np.asarray(a, dtype=np.float64).ravel()
    out = [repr(float(v)) for v in flat]
    # What the Swift tests parse must be the very value numpy produced.
    back = np.array([float(t) for t in out], dtype=np.float64)
    assert np.array_equal(back.view(np.uint64), flat.view(np.uint64)) or np.array_equal(back, flat, equal_nan=True), \
        "repr round trip"
    return out


def data(shape, lo=-3.0, hi=3.0, dtype=np.float64):
    """Multiples of 1/64 in [lo, hi): short in JSON, exact in float32 too."""
    return (rng.integers(int(lo * 64), int(hi * 64), size=shape) / 64.0).astype(dtype)


def safe_fsum(v):
    """math.fsum, with IEEE's answers where it raises (inf - inf, NaN)."""
    v = np.asarray(v, dtype=np.float64)
    if np.isnan(v).any() or (np.isposinf(v).any() and np.isneginf(v).any()):
        return math.nan
    if np.isinf(v).any():
        return float(v[np.isinf(v)][0])
    return math.fsum(v)


def fsum_axis(a, axis, fn=lambda v: v):
    moved = np.moveaxis(np.asarray(a, dtype=np.float64), axis, -1)
    out = np.empty(moved.shape[:-1])
    for idx in np.ndindex(out.shape):
        out[idx] = safe_fsum(fn(moved[idx]))
    return out


def axis_cases():
    """One entry per array, with the results along each of its axes."""
    cases = []
    specs = [([3, 4, 5], np.float64), ([7, 600], np.float64), ([600, 7], np.float64),
             ([5], np.float64), ([4, 1, 3], np.float64), ([2, 3, 700], np.float32),
             ([1030, 2, 3], np.float32), ([2, 0, 3], np.float64)]
    for shape, dt in specs:
        a = data(shape, -4, 4, dt)
        if shape == [7, 600]:
            a[3, 500] = np.nan
            a[5, 7] = np.inf
        if shape == [600, 7]:
            a[10, 2] = np.nan
            a[:, 5] = -np.inf
            a[599, 6] = np.inf
        results = []
        for axis in range(-len(shape), len(shape)):
            if shape[axis] == 0:
                continue
            with np.errstate(all="ignore"):
                # The exact sums (fsum) against numpy's pairwise ones: two
                # independent computations of the same reference.
                exact, fast = fsum_axis(a, axis), np.sum(a.astype(np.float64), axis=axis)
                assert np.allclose(exact, fast, rtol=1e-12, atol=1e-9, equal_nan=True), (shape, axis)
                results.append({
                    "axis": axis,
                    "sum": enc(fsum_axis(a, axis)),
                    "mean": enc(fsum_axis(a, axis) / shape[axis]),
                    "max": enc(np.max(a, axis=axis)),
                    "min": enc(np.min(a, axis=axis)),
                    "sumExp": enc(fsum_axis(a, axis, lambda v: np.exp(v))),
                    "logSumExp": enc(scipy.special.logsumexp(np.asarray(a, np.float64), axis=axis)),
                    "outShape": list(np.sum(a, axis=axis).shape),
                })
        cases.append({"shape": shape, "float32": dt == np.float32, "a": enc(a), "results": results})
    return cases


def broadcast_cases():
    pairs = [([2, 3], [3]), ([2, 3], [2, 1]), ([2, 1], [1, 3]), ([4, 1, 5], [3, 1]),
             ([], [2, 3]), ([3], []), ([], []), ([0, 3], [3]), ([0, 3], [1, 3]), ([2, 0], [2, 1]),
             ([5, 1, 1], [1, 4, 1]), ([1], [7]), ([3, 1, 2, 1], [1, 4, 1, 5]), ([6], [6]),
             ([2, 3, 4], [2, 3, 4]), ([40, 70], [70]), ([40, 70], [40, 1]), ([1, 900], [3, 1])]
    cases = []
    for dt in (np.float64, np.float32):
        for sa, sb in pairs:
            a = data(sa, -5, 5, dt)
            b = data(sb, -5, 5, dt)
            if b.size:
                b.flat[0] = 0  # x/0 gives inf or nan
            case = {"a": enc(a), "aShape": sa, "b": enc(b), "bShape": sb, "float32": dt == np.float32,
                    "shape": list(np.broadcast_shapes(tuple(sa), tuple(sb)))}
            with np.errstate(all="ignore"):
                for name, op in (("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply),
                                 ("divide", np.divide)):
                    case[name] = enc(op(a, b))
            cases.append(case)
    bad = [([2, 3], [2]), ([0, 3], [2, 3]), ([3], [4]), ([2, 3, 4], [3, 3])]
    return cases, [{"a": a, "b": b} for a, b in bad]


def permute_cases():
    cases = []
    for shape, axes in (([3, 5], [1, 0]), ([1, 7], [1, 0]), ([0, 4], [1, 0]), ([64, 33], [1, 0]),
                        ([37, 41], [1, 0]), ([2, 3, 4], [2, 0, 1]), ([2, 3, 4], [1, 2, 0]),
                        ([2, 3, 4], [0, 2, 1]), ([2, 3, 4], [2, 1, 0]), ([4, 3, 2, 5], [3, 1, 0, 2])):
        for dt in (np.float64, np.float32):
            a = data(shape, -9, 9, dt)
            cases.append({"shape": shape, "axes": axes, "float32": dt == np.float32, "a": enc(a),
                          "result": enc(np.transpose(a, axes)),
                          "resultShape": list(np.transpose(a, axes).shape)})
    return cases


def slice_cases():
    a = data([4, 5, 6])
    cases = []
    for axis, lo, hi in ((1, 1, 4), (2, 0, 0), (-1, 2, 6), (0, 1, 3), (0, 0, 4), (1, 4, 5)):
        sl = [slice(None)] * 3
        sl[axis] = slice(lo, hi)
        r = a[tuple(sl)]
        cases.append({"axis": axis, "lower": lo, "upper": hi, "result": enc(r), "resultShape": list(r.shape)})
    return {"a": enc(a), "shape": [4, 5, 6], "cases": cases}


def join_cases():
    cases = []
    for shapes, axis in ((([2, 3], [4, 3]), 0), (([2, 3], [2, 1], [2, 0]), 1), (([2, 3, 4], [2, 3, 1]), -1),
                         (([5],), 0), (([0, 3], [2, 3]), 0)):
        arrs = [data(s) for s in shapes]
        r = np.concatenate(arrs, axis=axis)
        cases.append({"kind": "concatenate", "shapes": [list(s) for s in shapes], "axis": axis,
                      "arrays": [enc(x) for x in arrs], "result": enc(r), "resultShape": list(r.shape)})
    for shape, count, axis in (([2, 3], 3, 0), ([2, 3], 2, 1), ([2, 3], 2, 2), ([2, 3], 4, -1), ([], 3, 0),
                               ([0, 2], 2, 1)):
        arrs = [data(shape) for _ in range(count)]
        r = np.stack(arrs, axis=axis)
        cases.append({"kind": "stack", "shapes": [list(shape)] * count, "axis": axis,
                      "arrays": [enc(x) for x in arrs], "result": enc(r), "resultShape": list(r.shape)})
    return cases


def reshape_cases():
    out = []
    for shape, new in (([12], [3, -1]), ([12], [-1]), ([3, 4], [2, -1, 2]), ([2, 3], [-1, 1, 1]),
                       ([0, 5], [-1, 5]), ([1], [])):
        out.append({"shape": shape, "new": new, "result": list(np.zeros(shape).reshape(new).shape)})
    return out


def astype_cases():
    f = np.finfo(np.float32)
    tiny = float(np.float32(f.smallest_subnormal))
    vals = [0.0, -0.0, 1.0, -1.0, 0.1, 1 / 3, np.nan, np.inf, -np.inf, 1e39, -1e39, 1e-50, -1e-50,
            float(f.max), float(f.max) * (1 + 2 ** -25), float(f.max) * (1 + 2 ** -24), 3.4028235677973366e38,
            tiny, tiny / 2, tiny / 2 * (1 + 2 ** -40), tiny * 1.5, tiny * 2.5, float(f.tiny),
            float(f.tiny) * (1 - 2 ** -30), 1 + 2 ** -24, 1 + 3 * 2 ** -24, 1 + 2 ** -24 + 2 ** -50,
            16777217.0, 5e-324, 1e300, -2.5e-45, 2.9e-45]
    vals += list(rng.uniform(-1e6, 1e6, 200)) + list(rng.standard_normal(100) * 1e-40)
    a = np.array(vals, dtype=np.float64)
    with np.errstate(all="ignore"):
        f32 = a.astype(np.float32)
    return {"double": enc(a), "float": enc(f32)}


def linspace_cases():
    out = []
    for start, stop, num, endpoint in ((0, 1, 7, True), (0, 1, 0, True), (0, 1, 1, True), (1, 0, 5, True),
                                       (-3.3, 7.1, 50, True), (0, 1, 10, False), (1e-320, 2e-320, 5, True),
                                       (5, 5, 4, True), (0, 1e-310, 3, True), (2.5, -7.25, 1000, True),
                                       (0.1, 0.7, 3, False), (-1e308, 1e308, 5, True), (3, 4, 1, False),
                                       (0.0, 1e-323, 7, True)):
        with np.errstate(all="ignore"):
            r64 = np.linspace(start, stop, num, endpoint=endpoint)
            r32 = np.linspace(start, stop, num, endpoint=endpoint, dtype=np.float32)
        out.append({"start": repr(float(start)), "stop": repr(float(stop)), "count": num,
                    "endpoint": endpoint, "double": enc(r64), "float": enc(r32)})
    return out


def arange_cases():
    out = []
    for start, stop, step in ((0, 1, 0.1), (1, 0, -0.3), (0, 10, 3), (0.5, 0.5, 1), (-1, 1, 0.25),
                              (0, 2.5, 0.5), (1e6, 1e6 + 1, 0.1), (0.3, -2.0, -0.7), (0, 10, 0.01),
                              (3, 1, 1)):
        r64 = np.arange(start, stop, step, dtype=np.float64)
        r32 = np.arange(start, stop, step, dtype=np.float32)
        out.append({"start": repr(float(start)), "stop": repr(float(stop)), "step": repr(float(step)),
                    "double": enc(r64), "float": enc(r32)})
    return out


def philox_cases():
    out = []
    for seed in (0, 42, 2 ** 64 - 1, 123456789):
        bg = np.random.Philox(key=seed, counter=2 ** 256 - 1)
        raw = [str(int(v)) for v in bg.random_raw(12)]
        g = np.random.Generator(np.random.Philox(key=seed, counter=2 ** 256 - 1))
        uniform = g.random(12)
        # numpy's doubles are the top 53 bits of each 64-bit word over 2^53,
        # the mapping Blockwise implements: check the reading of numpy.
        assert [float((int(w) >> 11) * 2.0 ** -53) for w in raw] == list(uniform), seed
        out.append({"seed": str(seed), "raw": raw, "random": enc(uniform)})
    return out


def main():
    cases, bad = broadcast_cases()
    payload = {
        "axis": axis_cases(),
        "broadcast": cases,
        "broadcastIncompatible": bad,
        "permute": permute_cases(),
        "slice": slice_cases(),
        "join": join_cases(),
        "reshape": reshape_cases(),
        "astype": astype_cases(),
        "linspace": linspace_cases(),
        "arange": arange_cases(),
        "philox": philox_cases(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "array.json"), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
    print("wrote", os.path.join(OUT, "array.json"))


if __name__ == "__main__":
    main()
