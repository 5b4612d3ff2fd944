#!/usr/bin/env python3
"""Makes data/expressions.json: references for Blockwise.Expression.

Run: `python3 Tests/BlockwiseTests/Fixtures/make_expression_fixtures.py`
(`make fixtures` runs every fixture script). Needs numpy and mpmath.

Three kinds of expression, each over inputs x, y, z (float64 and float32
arrays holding NaN, infinities, zeros of both signs, subnormals, values at
and near each function's domain edges, and random values):
- "exact": arithmetic, comparisons, logic, where and the exact functions.
  The reference is numpy's result, which Blockwise must match bit for bit.
  numpy's own rules are followed: Python literals are weak scalars
  (NEP 50), `%` is np.fmod (numexpr's), x**2 / x**0.5 / x**-1 are numpy's
  fast paths.
- "function": one function applied to exactly computed arguments. The
  reference is the exact function value of numpy's (exact) arguments,
  from mpmath at 120 bits, written with 21 significant digits; Blockwise
  must be within 1 ulp of it. Non-finite inputs and results outside the
  real domain take numpy's special value, matched exactly.
- "composite": several functions; within a relative tolerance of numpy.
"""
import json
import math
import os

import mpmath
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
rng = np.random.default_rng(14_2026_11_23)
mpmath.mp.prec = 120


def inputs(dtype):
    f = np.finfo(dtype)
    big_exp = 709.9 if dtype == np.float64 else 88.8
    special = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, float(f.tiny),
               -float(f.tiny), float(f.smallest_subnormal), -float(f.smallest_subnormal),
               float(f.smallest_subnormal) * 7, float(f.max), -float(f.max), 1 - float(f.eps) / 2,
               -1 + float(f.eps) / 2, 1 + float(f.eps), big_exp, -big_exp, 1e-8, -1e-8, 3.0, 100.0,
               1e5, 1e15 if dtype == np.float64 else 1e6, math.pi, -math.pi / 2, 0.9999, -0.9999]
    n = 400
    x = list(special)
    x += list(rng.uniform(-1, 1, 120))
    x += list(rng.uniform(-30, 30, 100))
    x += list(np.exp(rng.uniform(-40, 40, 80)) * rng.choice([-1, 1], 80))
    x += list(rng.uniform(1, 4, n - len(x)))
    y = list(rng.uniform(-3, 3, n))
    y[:12] = [0.0, -0.0, np.nan, np.inf, -np.inf, 1.0, -1.0, 2.0, 0.5, -2.0, 3.0, float(f.tiny)]
    z = list(rng.uniform(0.1, 2, n))
    z[:6] = [0.0, np.nan, -1.0, 1.0, np.inf, 5.0]
    return [np.array(v, dtype=dtype) for v in (x, y, z)]


def enc(a):
    return [repr(float(v)) for v in np.asarray(a, dtype=np.float64).ravel()]


# (source, numpy function of (x, y, z))
EXACT = [
    ("x + y", lambda x, y, z: x + y),
    ("x - y", lambda x, y, z: x - y),
    ("x * y", lambda x, y, z: x * y),
    ("x / y", lambda x, y, z: x / y),
    ("-x", lambda x, y, z: -x),
    ("+x", lambda x, y, z: +x),
    ("x * y + z", lambda x, y, z: x * y + z),
    ("(x + y) * (x - y)", lambda x, y, z: (x + y) * (x - y)),
    ("x / 3 + 1", lambda x, y, z: x / 3 + 1),
    ("2.5 * x - y / 7", lambda x, y, z: 2.5 * x - y / 7),
    ("x*x*3+1", lambda x, y, z: x * x * 3 + 1),
    ("x**2", lambda x, y, z: x ** 2),
    ("x**-1", lambda x, y, z: x ** -1),
    ("x**1", lambda x, y, z: x ** 1),
    ("z**0.5", lambda x, y, z: z ** 0.5),
    ("x % y", lambda x, y, z: np.fmod(x, y)),
    ("x % 3", lambda x, y, z: np.fmod(x, 3)),
    ("-x**2", lambda x, y, z: -(x ** 2)),
    ("2**3**2 * x", lambda x, y, z: 512 * x),
    ("x - x", lambda x, y, z: x - x),
    ("(x + 1e30) * 1e10", lambda x, y, z: (x + 1e30) * 1e10),
    ("x * 1e-30 * 1e-10", lambda x, y, z: x * 1e-30 * 1e-10),
    ("1 / (x - 1)", lambda x, y, z: 1 / (x - 1)),
    ("x < y", lambda x, y, z: x < y),
    ("x <= y", lambda x, y, z: x <= y),
    ("x > y", lambda x, y, z: x > y),
    ("x >= y", lambda x, y, z: x >= y),
    ("x == y", lambda x, y, z: x == y),
    ("x != y", lambda x, y, z: x != y),
    ("(x > 0) & (y < 0)", lambda x, y, z: (x > 0) & (y < 0)),
    ("(x > 0) | (y < 0)", lambda x, y, z: (x > 0) | (y < 0)),
    ("~(x > y)", lambda x, y, z: ~(x > y)),
    ("0 < x < 1", lambda x, y, z: (0 < x) & (x < 1)),
    ("where(x > y, x, y)", lambda x, y, z: np.where(x > y, x, y)),
    ("where(x != x, 0.0, x)", lambda x, y, z: np.where(x != x, 0.0, x)),
    ("where((x > 0) & (z < 1), x * z, -y)", lambda x, y, z: np.where((x > 0) & (z < 1), x * z, -y)),
    ("(x > 1) * 2 + (y < 0)", lambda x, y, z: (x > 1) * 2.0 + (y < 0)),
    ("abs(x)", lambda x, y, z: np.abs(x)),
    ("floor(x)", lambda x, y, z: np.floor(x)),
    ("ceil(x)", lambda x, y, z: np.ceil(x)),
    ("round(x)", lambda x, y, z: np.round(x)),
    ("trunc(x)", lambda x, y, z: np.trunc(x)),
    ("sign(x)", lambda x, y, z: np.sign(x)),
    ("sqrt(x)", lambda x, y, z: np.sqrt(x)),
    ("sqrt(x*x + y*y)", lambda x, y, z: np.sqrt(x * x + y * y)),
    ("minimum(x, y)", lambda x, y, z: np.minimum(x, y)),
    ("maximum(x, y)", lambda x, y, z: np.maximum(x, y)),
    ("minimum(x, 0.5)", lambda x, y, z: np.minimum(x, 0.5)),
    ("copysign(x, y)", lambda x, y, z: np.copysign(x, y)),
    ("fmod(x, y)", lambda x, y, z: np.fmod(x, y)),
    ("isnan(x)", lambda x, y, z: np.isnan(x)),
    ("isfinite(x)", lambda x, y, z: np.isfinite(x)),
    ("isinf(x)", lambda x, y, z: np.isinf(x)),
    ("signbit(x)", lambda x, y, z: np.signbit(x)),
    ("clip(x, -1, 2)", lambda x, y, z: np.clip(x, -1, 2)),
    ("clip(x, y, z)", lambda x, y, z: np.minimum(np.maximum(x, y), z)),
    ("where(isnan(x), y, x) + 1", lambda x, y, z: np.where(np.isnan(x), y, x) + 1),
    ("floor(x / y) * y + fmod(x, y)", lambda x, y, z: np.floor(x / y) * y + np.fmod(x, y)),
]

# (source, numpy argument function(s), mpmath function, numpy function)
FUNCTIONS = [
    ("exp(x)", "exp"), ("expm1(x)", "expm1"), ("log(x)", "log"), ("log2(x)", "log2"),
    ("log10(x)", "log10"), ("log1p(x)", "log1p"), ("sin(x)", "sin"), ("cos(x)", "cos"),
    ("tan(x)", "tan"), ("arcsin(x)", "arcsin"), ("arccos(x)", "arccos"), ("arctan(x)", "arctan"),
    ("sinh(x)", "sinh"), ("cosh(x)", "cosh"), ("tanh(x)", "tanh"), ("arcsinh(x)", "arcsinh"),
    ("arccosh(x)", "arccosh"), ("arctanh(x)", "arctanh"), ("arctan2(x, y)", "arctan2"),
    ("hypot(x, y)", "hypot"), ("x ** y", "power"), ("z ** 3", "power3"), ("exp(-x*x/2)", "gauss"),
    ("log(z + 1)", "logz"), ("sin(3*y)", "sin3y"), ("exp(y) - 1", None),
]

MP = {
    "exp": mpmath.exp, "expm1": mpmath.expm1, "log": mpmath.log, "log2": lambda v: mpmath.log(v, 2),
    "log10": mpmath.log10, "log1p": mpmath.log1p, "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan,
    "arcsin": mpmath.asin, "arccos": mpmath.acos, "arctan": mpmath.atan, "sinh": mpmath.sinh,
    "cosh": mpmath.cosh, "tanh": mpmath.tanh, "arcsinh": mpmath.asinh, "arccosh": mpmath.acosh,
    "arctanh": mpmath.atanh,
}


def mp_value(f, *args):
    """The exact value as a 21-digit string, or None outside the real domain."""
    try:
        v = f(*[mpmath.mpf(float(a)) for a in args])
    except (ValueError, ZeroDivisionError):
        return None
    if isinstance(v, mpmath.mpc) or getattr(v, "imag", 0) != 0:
        return None
    return mpmath.nstr(v, 21, min_fixed=1, max_fixed=0) if mpmath.isfinite(v) else None


def function_case(src, name, x, y, z):
    dt = x.dtype
    with np.errstate(all="ignore"):
        if name in MP:
            args, mp_f, np_f = (x,), MP[name], getattr(np, name)
            values = np_f(x)
        elif name == "arctan2":
            args, mp_f, values = (x, y), mpmath.atan2, np.arctan2(x, y)
        elif name == "hypot":
            args, mp_f, values = (x, y), mpmath.hypot, np.hypot(x, y)
        elif name == "power":
            args, mp_f, values = (x, y), None, np.power(x, y)
        elif name == "power3":
            args, mp_f, values = (z, np.full_like(z, 3)), None, np.power(z, dt.type(3))
        elif name == "gauss":
            args, mp_f, values = (-x * x / 2,), mpmath.exp, np.exp(-x * x / 2)
        elif name == "logz":
            args, mp_f, values = (z + 1,), mpmath.log, np.log(z + 1)
        elif name == "sin3y":
            args, mp_f, values = (3 * y,), mpmath.sin, np.sin(3 * y)
        else:
            return None
    refs = []
    for k in range(len(values)):
        a = [float(v[k]) for v in args]
        if not all(math.isfinite(v) for v in a) or not math.isfinite(float(values[k])):
            refs.append(None)  # special: numpy's value, exactly
            continue
        if name in ("power", "power3"):
            base, e = a
            if base < 0 and e != int(e):
                refs.append(None)
                continue
            if base == 0:
                refs.append(None)
                continue
            refs.append(mp_value(lambda p, q: p ** q, base, e))
        else:
            refs.append(mp_value(mp_f, *a))
    # The two references must agree: numpy's libm within a few ulp of the
    # 120-bit mpmath value wherever both are finite.
    for k, r in enumerate(refs):
        if r is None:
            continue
        exact = dt.type(float(r))
        if not np.isfinite(exact):
            continue
        ulps = abs(float(values[k]) - float(r)) / float(np.spacing(np.abs(exact)))
        assert ulps <= 8, (src, name, k, float(values[k]), r, ulps)
    return {"source": src, "kind": "function", "numpy": enc(values), "exact": refs}


def main():
    cases = {}
    for dt, label in ((np.float64, "double"), (np.float32, "float")):
        x, y, z = inputs(dt)
        entries = []
        with np.errstate(all="ignore"):
            for src, fn in EXACT:
                entries.append({"source": src, "kind": "exact",
                                "numpy": enc(np.asarray(fn(x, y, z)).astype(dt))})
            for src, name in FUNCTIONS:
                c = function_case(src, name, x, y, z)
                if c:
                    entries.append(c)
            for src, fn in (("exp(-x*x/2) * cos(3*y) + log1p(x*x)",
                             lambda: np.exp(-x * x / 2) * np.cos(3 * y) + np.log1p(x * x)),
                            ("tanh(x) * sin(y) + cosh(z) / 10", lambda: np.tanh(x) * np.sin(y) + np.cosh(z) / 10),
                            ("log(1 + exp(-abs(y))) + maximum(y, 0)",
                             lambda: np.log(1 + np.exp(-np.abs(y))) + np.maximum(y, 0)),
                            ("where(z > 1, sqrt(z) * arctan(y), cos(z) ** 2)",
                             lambda: np.where(z > 1, np.sqrt(z) * np.arctan(y), np.cos(z) ** 2))):
                entries.append({"source": src, "kind": "composite", "numpy": enc(np.asarray(fn()).astype(dt))})
        cases[label] = {"x": enc(x), "y": enc(y), "z": enc(z), "expressions": entries}
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "expressions.json")
    with open(path, "w") as f:
        json.dump({"numpy": np.__version__, "mpmath": mpmath.__version__, **cases}, f, separators=(",", ":"))
    n = sum(len(c["expressions"]) for c in cases.values())
    print("wrote", path, n, "expression cases")


if __name__ == "__main__":
    main()
