#!/usr/bin/env python3
"""Makes data/edges.json: every elementwise function at the edges of its domain.

Run: `python3 Tests/BlockwiseTests/Fixtures/make_edge_fixtures.py`
(`make fixtures` runs every fixture script). Needs numpy and mpmath.

For each function (exp expm1 log log1p log2 log10 sqrt sin cos tan arcsin
arccos arctan sinh cosh tanh arcsinh arccosh arctanh pow hypot arctan2) and
each dtype (float64, float32), at least 100 inputs where libraries go
wrong: 0 and -0, +-inf, NaN, the smallest and largest subnormals, the
smallest normal, the largest finite value, the overflow and underflow
thresholds of the result and a few ulps either side, inputs just past
them, the ends of the domain (+-1 for arcsin, 1 for arccosh, -1 for
log1p), huge arguments of the trigonometric functions, and seeded
log-uniform values over the whole range for the rest.

The reference of a finite, non-zero result is the exact function value of
the (exactly representable) input, from mpmath at 60 significant digits
(200 bits), written with 25 significant digits: the test measures its
error in ulps of the correctly rounded result against it. Where an input
is 0, +-inf or NaN, or the result is 0, +-inf or outside the real domain,
the reference is the IEEE / C99 Annex F value, taken from numpy and
matched exactly (NaN matches any NaN). Every mpmath reference is checked
against numpy's own result here (within 2 ulp), so the two independent
references agree before a fixture is written.
"""
import json
import math
import os
import warnings

import mpmath
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
mpmath.mp.dps = 60
rng = np.random.default_rng(20_2026_12_06)
warnings.filterwarnings("ignore")
np.seterr(all="ignore")


def near(dtype, p, k=3):
    """p rounded to dtype and its neighbours k ulps either side."""
    v = dtype(p)
    out = [v]
    up = down = v
    for _ in range(k):
        up = np.nextafter(up, dtype(np.inf))
        down = np.nextafter(down, dtype(-np.inf))
        out += [up, down]
    return out


def loguniform(dtype, lo, hi, n, signed=False):
    e = rng.uniform(math.log(lo), math.log(hi), n)
    v = np.exp(e)
    if signed:
        v *= rng.choice([-1.0, 1.0], n)
    return [dtype(x) for x in v]


def common(dtype):
    f = np.finfo(dtype)
    tiny, sub, big = dtype(f.tiny), dtype(f.smallest_subnormal), dtype(f.max)
    vals = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 10.0, -10.0]
    for s in (1, -1):
        vals += [s * sub, s * sub * 3, s * (tiny - sub), s * tiny, s * tiny * 2, s * big,
                 s * np.nextafter(big, dtype(0))]
    vals += near(dtype, 1.0, 2) + near(dtype, -1.0, 2)
    return [dtype(v) for v in vals]


def unary_inputs(name, dtype):
    d = dtype == np.float64
    f = np.finfo(dtype)
    big = float(f.max)
    ln_max = math.log(big)
    ln_tiny = math.log(float(f.tiny))
    ln_sub = math.log(float(f.smallest_subnormal))
    x = common(dtype)
    extra = []
    if name in ("exp", "expm1"):
        extra += near(dtype, ln_max, 6) + [dtype(ln_max + 0.01), dtype(ln_max + 1)]
        extra += near(dtype, ln_tiny, 3) + near(dtype, ln_sub, 3)
        extra += near(dtype, ln_sub - math.log(2), 3)
        extra += [dtype(v) for v in np.linspace(ln_sub - 3, ln_max + 3, 20)]
        extra += loguniform(dtype, 1e-30, 1, 10, True)
        extra += [dtype(1e-300 if d else 1e-40), dtype(-(1e-300 if d else 1e-40))]
    elif name in ("log", "log2", "log10"):
        extra += loguniform(dtype, float(f.smallest_subnormal), big, 40)
        extra += near(dtype, 1.0, 8) + [dtype(-3.0), dtype(1e-5), dtype(10.0), dtype(1024.0)]
        extra += [dtype(2.0 ** k) for k in (-149, -127, -126, -1, 3, 100, 127)]
        extra += [dtype(10.0 ** k) for k in (-30, -5, 5, 30)]
    elif name == "log1p":
        extra += near(dtype, -1.0, 4) + near(dtype, big, 3)
        extra += loguniform(dtype, big / 1e10, big, 16) + loguniform(dtype, 1e-30, 1e30, 16, True)
        extra += near(dtype, math.sqrt(big), 3) + [dtype(1e300 if d else 1e37)]
        extra += [dtype(-0.9999), dtype(-0.5), dtype(1e-8), dtype(-1e-8)]
    elif name == "sqrt":
        extra += loguniform(dtype, float(f.smallest_subnormal), big, 60)
        extra += near(dtype, 4.0, 3) + near(dtype, 2.0, 3)
    elif name in ("sin", "cos", "tan"):
        extra += [dtype(v) for v in (1e5, 1e10, 1e15, 1e22, 1e30, 1e300 if d else 1e37, 2.0 ** 60)]
        extra += near(dtype, math.pi, 2) + near(dtype, math.pi / 2, 2) + near(dtype, 3 * math.pi / 2, 2)
        extra += loguniform(dtype, 1e-30, big, 40, True)
        extra += [dtype(2.0 ** -26), dtype(2.0 ** -27), dtype(2.0 ** -13), dtype(-(2.0 ** -12))]
    elif name in ("arcsin", "arccos"):
        extra += near(dtype, 1.0, 6) + near(dtype, -1.0, 6)
        extra += loguniform(dtype, 1e-30, 1, 40, True) + [dtype(0.5), dtype(-0.5), dtype(0.9999)]
        extra += [dtype(1.5), dtype(-3.0), dtype(2.0 ** -26)]
    elif name == "arctan":
        extra += loguniform(dtype, float(f.smallest_subnormal), big, 60, True)
        extra += [dtype(2.0 ** 53), dtype(1e300 if d else 1e37)]
    elif name in ("sinh", "cosh"):
        ln2max = math.log(big) + math.log(2.0)  # asinh(max) = acosh(max)
        extra += near(dtype, ln2max, 6) + near(dtype, -ln2max, 3)
        extra += near(dtype, ln_max, 3) + [dtype(ln2max + 0.5), dtype(-ln2max - 0.5)]
        extra += [dtype(v) for v in np.linspace(-ln2max - 2, ln2max + 2, 24)]
        extra += loguniform(dtype, 1e-30, 1, 12, True)
        extra += [dtype(2.0 ** -26), dtype(2.0 ** -27), dtype(2.0 ** -12), dtype(2.0 ** -13)]
    elif name == "tanh":
        extra += loguniform(dtype, float(f.smallest_subnormal), 1e-3, 20, True)
        extra += [dtype(v) for v in np.linspace(-25, 25, 26)]
        extra += near(dtype, 19.061547465398498 if d else 9.010913, 2)
        extra += [dtype(2.0 ** -26), dtype(2.0 ** -27), dtype(2.0 ** -12), dtype(2.0 ** -13), dtype(1e300 if d else 1e37)]
    elif name == "arcsinh":
        extra += loguniform(dtype, 1e100 if d else 1e15, big, 20, True)
        extra += near(dtype, 1e150 if d else 1e18, 2) + near(dtype, math.sqrt(big), 2)
        extra += loguniform(dtype, float(f.smallest_subnormal), 1e-3, 16, True)
        extra += [dtype(2.0 ** -26), dtype(2.0 ** -27), dtype(2.0 ** -12), dtype(2.0 ** -13)]
    elif name == "arccosh":
        extra += near(dtype, 1.0, 8) + near(dtype, big, 3) + near(dtype, 1e150 if d else 1e18, 2)
        extra += loguniform(dtype, 1.0, big, 40) + [dtype(0.5), dtype(-2.0)]
    elif name == "arctanh":
        extra += near(dtype, 1.0, 6) + near(dtype, -1.0, 6)
        extra += loguniform(dtype, float(f.smallest_subnormal), 1, 40, True)
        extra += [dtype(2.0 ** -26), dtype(2.0 ** -27), dtype(2.0 ** -12), dtype(2.0 ** -13), dtype(1.5)]
    x += extra
    x += loguniform(dtype, float(f.smallest_subnormal), big, 100 - min(len(x), 100) + 10, True)
    return x


def binary_inputs(name, dtype):
    d = dtype == np.float64
    f = np.finfo(dtype)
    big, tiny, sub = float(f.max), float(f.tiny), float(f.smallest_subnormal)
    emax = 1024 if d else 128
    emin_sub = 1074 if d else 149
    pairs = []
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.0, -2.0, 0.5, 3.0, -3.0]
    for a in specials:
        for b in specials:
            pairs.append((a, b))
    if name == "pow":
        # Results near overflow: 2^y, 10^y, max^y and (-2)^odd, a few ulps below and past.
        for y in near(dtype, emax, 4) + near(dtype, emax - 1, 2) + [dtype(emax - 1e-6 * emax)]:
            pairs += [(2.0, y), (-2.0, y), (0.5, -y)]
        for y in near(dtype, math.log10(big), 4):
            pairs.append((10.0, y))
        for y in near(dtype, 1.0, 3) + [dtype(0.5), dtype(2.0), dtype(-1.0)]:
            pairs += [(big, y), (np.nextafter(dtype(big), dtype(0)), y)]
        r = float(np.sqrt(dtype(big)))
        for x in near(dtype, r, 3):
            pairs.append((x, 2.0))
        pairs += [(2.0, float(emax - 1)), (-2.0, float(emax - 1)), (-2.0, float(emax - 3)), (1.0000001 if not d else 1.0000000000001, 1e15 if d else 1e8)]
        # Results near and below the smallest normal, and subnormal results.
        for y in near(dtype, -float(emin_sub), 3) + near(dtype, -float(emax - 2), 2) + [dtype(-emin_sub - 0.5), dtype(-emin_sub - 1)]:
            pairs += [(2.0, y), (0.5, -y)]
        for x in (sub, tiny, sub * 5, tiny / 3):
            pairs += [(x, 0.5), (x, -1.0), (x, 1.0), (x, 2.0), (x, -0.5), (x, 0.25)]
        for k in range(24):
            a = float(np.exp(rng.uniform(-5, 5)))
            b = float(rng.uniform(-300, 300)) if d else float(rng.uniform(-40, 40))
            pairs.append((a, b))
    elif name == "hypot":
        for a in (big, big * 0.7, big / 2, big * 0.99):
            for b in (big, big * 0.7, 1.0, tiny, sub):
                pairs.append((a, b))
        for a in (sub, sub * 3, tiny, tiny * 0.75):
            for b in (sub, sub * 4, tiny, 0.0):
                pairs.append((a, b))
        for k in range(30):
            a, b = loguniform(dtype, sub, big, 2, True)
            pairs.append((float(a), float(b)))
    elif name == "arctan2":
        for a in (tiny, sub, sub * 7, 1.0, -tiny, 1e-300 if d else 1e-30):
            for b in (big, 1.0, -1.0, 1e10 if d else 1e5, -big, 0.5):
                pairs.append((a, b))
        for k in range(30):
            a, b = loguniform(dtype, sub, big, 2, True)
            pairs.append((float(a), float(b)))
    return [(dtype(a), dtype(b)) for a, b in pairs]


def mp_unary(name, x):
    m = mpmath
    if name == "exp": return m.exp(x)
    if name == "expm1": return m.expm1(x)
    if name == "log": return m.log(x) if x > 0 else None
    if name == "log2": return m.log(x, 2) if x > 0 else None
    if name == "log10": return m.log10(x) if x > 0 else None
    if name == "log1p": return m.log1p(x) if x > -1 else None
    if name == "sqrt": return m.sqrt(x) if x >= 0 else None
    if name == "sin": return m.sin(x)
    if name == "cos": return m.cos(x)
    if name == "tan": return m.tan(x)
    if name == "arcsin": return m.asin(x) if abs(x) <= 1 else None
    if name == "arccos": return m.acos(x) if abs(x) <= 1 else None
    if name == "arctan": return m.atan(x)
    if name == "sinh": return m.sinh(x)
    if name == "cosh": return m.cosh(x)
    if name == "tanh": return m.tanh(x)
    if name == "arcsinh": return m.asinh(x)
    if name == "arccosh": return m.acosh(x) if x >= 1 else None
    if name == "arctanh": return m.atanh(x) if abs(x) < 1 else None
    raise ValueError(name)


def mp_binary(name, a, b):
    m = mpmath
    if name == "pow":
        if a < 0 and b != int(b):
            return None
        return m.power(a, b)
    if name == "hypot": return m.hypot(a, b)
    if name == "arctan2": return m.atan2(a, b)
    raise ValueError(name)


NUMPY = {"arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan, "arcsinh": np.arcsinh,
         "arccosh": np.arccosh, "arctanh": np.arctanh, "pow": np.power, "arctan2": np.arctan2}


def numpy_fn(name):
    return NUMPY.get(name) or getattr(np, name)


def enc(v):
    return repr(float(v))


def ulps(dtype, got, exact):
    """|got - exact| in ulps of exact's binade (for the cross-check)."""
    f = np.finfo(dtype)
    e = abs(exact)
    if e == 0:
        return 0.0 if got == 0 else math.inf
    expo = max(int(mpmath.floor(mpmath.log(e, 2))), int(f.minexp))
    ulp = mpmath.mpf(2) ** (expo - int(f.nmant))
    return float(abs(mpmath.mpf(float(got)) - exact) / ulp)


def entry(name, dtype, args):
    """One table row: inputs, and either the exact value or the special bits."""
    fn = numpy_fn(name)
    np_val = fn(*[np.array([a], dtype=dtype) for a in args])[0]
    row = {"in": [enc(a) for a in args]}
    finite_nonzero = all(math.isfinite(float(a)) and float(a) != 0 for a in args)
    exact = None
    if finite_nonzero:
        mp_args = [mpmath.mpf(float(a)) for a in args]
        exact = mp_unary(name, *mp_args) if len(args) == 1 else mp_binary(name, *mp_args)
        if isinstance(exact, mpmath.mpc):
            exact = None
    fmax = float(np.finfo(dtype).max)
    fsub = float(np.finfo(dtype).smallest_subnormal)
    if exact is None or exact == 0:
        # IEEE special value, or a result outside the real domain: numpy's, matched exactly.
        row["special"] = enc(np_val)
        return row
    if abs(exact) > 2 * fmax or abs(exact) < fsub / 4:
        # Certain overflow to +-inf or underflow to +-0: numpy's, matched exactly.
        if not (np.isinf(np_val) or np_val == 0):
            raise SystemExit(f"{name} {dtype.__name__} {args}: exact {exact}, numpy says {np_val}")
        row["special"] = enc(np_val)
        return row
    # The cross-check: numpy within 2 ulp of mpmath (both independent of Blockwise).
    err = ulps(dtype, np_val, exact) if np.isfinite(np_val) else (0.0 if abs(exact) > fmax else math.inf)
    if not np.isfinite(np_val) and abs(exact) > fmax:
        err = 0.0
    if err > 2:
        raise SystemExit(f"{name} {dtype.__name__} {args}: numpy {np_val} is {err} ulp from mpmath {exact}")
    row["exact"] = mpmath.nstr(exact, 25, min_fixed=1, max_fixed=0)
    return row


UNARY = ["exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos", "tan", "arcsin",
         "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh"]
BINARY = ["pow", "hypot", "arctan2"]


def main():
    out = {}
    for dtype, label in ((np.float64, "double"), (np.float32, "float")):
        table = {}
        for name in UNARY:
            xs = unary_inputs(name, dtype)
            table[name] = [entry(name, dtype, (x,)) for x in xs]
        for name in BINARY:
            table[name] = [entry(name, dtype, p) for p in binary_inputs(name, dtype)]
        for name, rows in table.items():
            assert len(rows) >= 100, (label, name, len(rows))
        out[label] = table
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "edges.json"), "w") as fh:
        json.dump(out, fh, indent=0, sort_keys=True)
        fh.write("\n")
    counts = {k: {n: len(v) for n, v in t.items()} for k, t in out.items()}
    print("edges.json:", counts)


if __name__ == "__main__":
    main()
