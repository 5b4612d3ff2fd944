#!/usr/bin/env python3
"""Makes the reference fixtures of Blockwise's tests from numpy and scipy.

Run from anywhere: `python3 Tests/BlockwiseTests/Fixtures/make_fixtures.py`.
Writes JSON files under data/ next to this script; floats are written with
repr() (shortest round-trip form) as strings, so "nan", "inf" and "-inf"
survive and Swift parses every value back to the identical double.
`make test` only reads the committed files and never needs Python.

References:
- BilinearSpline: scipy.interpolate.RectBivariateSpline(x, y, z, kx=1, ky=1)
  .ev(xi, yi) and __call__(gx, gy). NaN coordinates are given NaN expected
  values (Blockwise's contract), not passed to scipy.
- BilinearSplineStack: per-spline .ev of scipy, and sums of exp computed
  with math.fsum over np.exp (numpy's exp is within 1 ulp).
- Linear algebra: numpy.linalg.solve on a random well-conditioned system.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy.interpolate import RectBivariateSpline

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
rng = np.random.default_rng(20261123)


def enc(a):
    return [repr(float(v)) for v in np.asarray(a, dtype=np.float64).ravel()]


def spline_points(x, y, m_random, gen=None, y_parts=4, edge_points=5):
    """Random interior points (from `gen`, this script's generator by
    default), every x knot against about `y_parts` y knots, `edge_points`
    points along each boundary edge, points outside on every side and
    corner. (make_bivariate_fixtures.py uses it too.)"""
    gen = rng if gen is None else gen
    x0, x1, y0, y1 = x[0], x[-1], y[0], y[-1]
    xs = list(gen.uniform(x0, x1, m_random))
    ys = list(gen.uniform(y0, y1, m_random))
    # every knot pair (points exactly on knots)
    for a in x:
        for b in y[:: max(1, len(y) // y_parts)]:
            xs.append(a)
            ys.append(b)
    # on the boundary edges
    for t in np.linspace(0, 1, edge_points):
        xs += [x0, x1, x0 + t * (x1 - x0), x0 + t * (x1 - x0)]
        ys += [y0 + t * (y1 - y0), y0 + t * (y1 - y0), y0, y1]
    # outside on each side and each corner
    dx, dy = (x1 - x0), (y1 - y0)
    mx, my = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    for px, py in [(x0 - dx, my), (x1 + dx, my), (mx, y0 - dy), (mx, y1 + dy),
                   (x0 - 0.1, y0 - 0.1), (x1 + 0.1, y0 - 0.1), (x0 - 0.1, y1 + 0.1),
                   (x1 + 3, y1 + 7), (-1e300, 1e300)]:
        xs.append(px)
        ys.append(py)
    return np.array(xs), np.array(ys)


def spline_case(name, x, y, z, m_random=60, float32=False):
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    z = np.asarray(z, np.float64)
    xi, yi = spline_points(x, y, m_random)
    if float32:
        x, y, z = (a.astype(np.float32).astype(np.float64) for a in (x, y, z))
        # -1e300 and 1e300 become -inf and +inf in Float: infinite points clamp too.
        with np.errstate(over="ignore"):
            xi = xi.astype(np.float32).astype(np.float64)
            yi = yi.astype(np.float32).astype(np.float64)
    s = RectBivariateSpline(x, y, z, kx=1, ky=1)
    ev = s.ev(xi, yi)
    # scipy clamps outside points to the box (FITPACK); check our reading of it.
    cx, cy = np.clip(xi, x[0], x[-1]), np.clip(yi, y[0], y[-1])
    assert np.allclose(ev, s.ev(cx, cy), rtol=1e-15, atol=0), name
    # NaN coordinates: NaN by contract.
    xi = np.append(xi, [np.nan, x[0], np.nan])
    yi = np.append(yi, [y[0], np.nan, np.nan])
    ev = np.append(ev, [np.nan] * 3)
    gx = np.sort(np.concatenate([rng.uniform(x[0], x[-1], 4), [x[0], x[-1], x[0] - 1]]))
    gy = np.sort(np.concatenate([rng.uniform(y[0], y[-1], 3), [y[-1], y[-1] + 2]]))
    if float32:
        gx, gy = gx.astype(np.float32).astype(np.float64), gy.astype(np.float32).astype(np.float64)
    grid = s(gx, gy)
    finite = ~np.isnan(ev)
    sum_exp = math.fsum(np.exp(ev[finite]))
    return {
        "name": name, "float32": float32,
        "x": enc(x), "y": enc(y), "z": enc(z), "zShape": list(z.shape),
        "xi": enc(xi), "yi": enc(yi), "ev": enc(ev),
        "gx": enc(gx), "gy": enc(gy), "grid": enc(grid),
        "sumExpFinite": repr(sum_exp),
    }


def nonuniform(n, lo=0.0, scale=1.0):
    steps = rng.uniform(0.05, 1.0, n - 1) * scale
    return lo + np.concatenate([[0.0], np.cumsum(steps)])


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = [
        spline_case("uniform-5x4", np.arange(5.0), np.arange(4.0), rng.uniform(0, 1, (5, 4))),
        spline_case("nonuniform-7x11", nonuniform(7, -2.0), nonuniform(11, 3.0, 0.3),
                    rng.uniform(0.5, 2.0, (7, 11))),
        spline_case("tiny-2x2", [0.0, 1.0], [-1.0, 2.5], [[1.0, 2.0], [-3.0, 0.25]], m_random=20),
        spline_case("wide-2000x3", nonuniform(2000, 10.0, 0.01), [0.0, 0.5, 2.0],
                    rng.uniform(-1.0, 1.0, (2000, 3)) + 5.0, m_random=400),
        spline_case("spacing-0.1-uniform", np.linspace(-1.0, 1.0, 21), np.linspace(0.0, 5.0, 11),
                    rng.uniform(-3, 3, (21, 11)) + 10.0),
        spline_case("float32-9x6", nonuniform(9, 0.0, 2.0), np.arange(6.0) * 0.75,
                    rng.uniform(0.5, 1.5, (9, 6)), float32=True),
    ]
    with open(os.path.join(OUT, "splines.json"), "w") as f:
        json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, f)

    # A stack of 5 splines on a non-uniform 8x6 grid.
    x, y = nonuniform(8, 0.0, 1.0), nonuniform(6, -1.0, 2.0)
    z3 = rng.uniform(-1.0, 1.0, (5, 8, 6))
    xi, yi = spline_points(x, y, 300)
    ev = np.stack([RectBivariateSpline(x, y, z3[k], kx=1, ky=1).ev(xi, yi) for k in range(5)])
    per = [math.fsum(np.exp(ev[k])) for k in range(5)]
    stack = {"x": enc(x), "y": enc(y), "z": enc(z3), "zShape": list(z3.shape),
             "xi": enc(xi), "yi": enc(yi), "ev": enc(ev), "evShape": list(ev.shape),
             "perSpline": [repr(v) for v in per], "total": repr(math.fsum(np.exp(ev.ravel())))}
    with open(os.path.join(OUT, "stack.json"), "w") as f:
        json.dump(stack, f)

    # A 6x6 system and a 6x2 right-hand side for solve; a product for matmul.
    a = rng.normal(size=(6, 6)) + 6 * np.eye(6)
    b = rng.normal(size=(6, 2))
    m1, m2 = rng.normal(size=(5, 7)), rng.normal(size=(7, 3))
    linalg = {"a": enc(a), "b": enc(b), "x": enc(np.linalg.solve(a, b)),
              "m1": enc(m1), "m2": enc(m2), "product": enc(m1 @ m2)}
    with open(os.path.join(OUT, "linalg.json"), "w") as f:
        json.dump(linalg, f)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
