#!/usr/bin/env python3
"""Makes the reference fixtures of BivariateSpline and BivariateSplineStack
(degree 1 to 5 per axis) from scipy.

Run from anywhere: `python3 Tests/BlockwiseTests/Fixtures/make_bivariate_fixtures.py`.
Writes data/bivariate.json next to this script (floats as repr() strings,
as the other fixture scripts do). `make test` only reads the committed file.

References, all scipy's FITPACK wrappers:
- values: RectBivariateSpline(x, y, z, kx, ky, s=0).ev(xi, yi) and
  __call__(gx, gy) (grid=True); knots and coefficients from get_knots() and
  get_coeffs();
- derivatives below the degree: .ev(xi, yi, dx=, dy=) (FITPACK's parder);
  derivatives of order equal to the degree, which parder refuses, from
  scipy.interpolate.NdBSpline on the same knots and coefficients (points
  clamped to the box first, as FITPACK clamps);
- integrals: .integral(xa, xb, ya, yb) (FITPACK's dblint);
- sums of exp: math.fsum over np.exp of the values.
NaN coordinates get NaN expected values (Blockwise's contract); they are
not passed to scipy.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy.interpolate import NdBSpline, RectBivariateSpline

from make_fixtures import spline_points

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
rng = np.random.default_rng(20261124)


def enc(a):
    return [repr(float(v)) for v in np.asarray(a, dtype=np.float64).ravel()]


def nonuniform(n, lo=0.0, scale=1.0):
    steps = rng.uniform(0.2, 1.0, n - 1) * scale
    return lo + np.concatenate([[0.0], np.cumsum(steps)])


def points(x, y, m_random):
    """Random interior points, data points (knots for odd degrees), the
    boundary, outside on every side and corner: make_fixtures' set."""
    return spline_points(x, y, m_random, gen=rng, y_parts=3, edge_points=4)


def case(name, x, y, z, kx, ky, m_random=25, float32=False):
    x, y, z = (np.asarray(a, np.float64) for a in (x, y, z))
    if float32:
        x, y, z = (a.astype(np.float32).astype(np.float64) for a in (x, y, z))
    xi, yi = points(x, y, m_random)
    if float32:
        with np.errstate(over="ignore"):
            xi = xi.astype(np.float32).astype(np.float64)
            yi = yi.astype(np.float32).astype(np.float64)
    s = RectBivariateSpline(x, y, z, kx=kx, ky=ky, s=0)
    tx, ty = s.get_knots()
    c = s.get_coeffs()
    ev = s.ev(xi, yi)
    cx, cy = np.clip(xi, x[0], x[-1]), np.clip(yi, y[0], y[-1])
    # FITPACK clamps outside points to the box: check our reading of it.
    assert np.allclose(ev, s.ev(cx, cy), rtol=1e-14, atol=0), name
    nd = NdBSpline((tx, ty), c.reshape(len(tx) - kx - 1, len(ty) - ky - 1), (kx, ky))
    derivs = []
    for dx in range(kx + 1):
        for dy in range(ky + 1):
            if dx == 0 and dy == 0:
                continue
            if dx < kx and dy < ky:
                v = s.ev(xi, yi, dx=dx, dy=dy)
            else:
                v = nd(np.stack([cx, cy], axis=1), nu=(dx, dy))
            derivs.append({"dx": dx, "dy": dy, "values": enc(np.append(v, np.nan))})
    xi = np.append(xi, [np.nan, x[0], np.nan])
    yi = np.append(yi, [y[0], np.nan, np.nan])
    ev = np.append(ev, [np.nan] * 3)
    for d in derivs:  # NaN coordinates: a NaN derivative too (first NaN point)
        d["values"] = d["values"][:-1] + [repr(float("nan"))] * 3
    gx = np.sort(np.concatenate([rng.uniform(x[0], x[-1], 4), [x[0], x[-1], x[0] - 1]]))
    gy = np.sort(np.concatenate([rng.uniform(y[0], y[-1], 3), [y[-1], y[-1] + 2]]))
    if float32:
        gx, gy = gx.astype(np.float32).astype(np.float64), gy.astype(np.float32).astype(np.float64)
    grid = s(gx, gy)
    x0, x1, y0, y1 = x[0], x[-1], y[0], y[-1]
    ranges = [
        (x0, x1, y0, y1),  # whole
        (x0 + 0.3 * (x1 - x0), x0 + 0.55 * (x1 - x0), y0 + 0.1 * (y1 - y0), y0 + 0.9 * (y1 - y0)),  # inside
        (x0 - 2.0, x0 + 0.4 * (x1 - x0), y0 + 0.5 * (y1 - y0), y1 + 5.0),  # partly outside
        (x[len(x) // 2] if len(x) > 2 else x0, x[-1], y0, y[1]),  # on data points
        (x1 + 1.0, x1 + 2.0, y0, y1),  # outside: clamped to nothing
    ]
    if float32:
        ranges = [tuple(float(np.float32(v)) for v in r) for r in ranges]
    integrals = [{"range": enc(r), "value": repr(float(s.integral(*r)))} for r in ranges]
    finite = ~np.isnan(ev)
    return {
        "name": name, "kx": kx, "ky": ky, "float32": float32,
        "x": enc(x), "y": enc(y), "z": enc(z), "zShape": list(z.shape),
        "tx": enc(tx), "ty": enc(ty), "coeffs": enc(c),
        "xi": enc(xi), "yi": enc(yi), "ev": enc(ev), "derivatives": derivs,
        "gx": enc(gx), "gy": enc(gy), "grid": enc(grid), "integrals": integrals,
        "sumExpFinite": repr(math.fsum(np.exp(ev[finite]))),
    }


def smooth(x, y):
    return np.sin(x)[:, None] * np.cos(0.7 * y)[None, :] + 0.1 * np.add.outer(x, y)


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for kx in range(1, 6):
        for ky in range(1, 6):
            # The minimum grid: k + 1 points per axis (one interval of knots).
            x, y = nonuniform(kx + 1, -1.0), nonuniform(ky + 1, 2.0, 0.5)
            cases.append(case(f"min-k{kx}{ky}", x, y, rng.uniform(-1, 1, (kx + 1, ky + 1)), kx, ky, m_random=10))
            # Uniform x, non-uniform y, a few intervals beyond the minimum.
            x, y = np.linspace(0.0, 3.0, kx + 5), nonuniform(ky + 7, -2.0, 0.7)
            cases.append(case(f"mid-k{kx}{ky}", x, y, smooth(x, y) + rng.normal(0, 0.05, (len(x), len(y))), kx, ky))
    # Larger grids, non-uniform both ways, rectangular.
    x, y = nonuniform(23, 0.0, 0.4), nonuniform(17, 5.0, 1.3)
    cases.append(case("wide-k33", x, y, smooth(x, y) * 3 + 1, 3, 3, m_random=80))
    x, y = nonuniform(14, -3.0, 0.5), np.linspace(-1.0, 1.0, 30)
    cases.append(case("wide-k52", x, y, smooth(x, y), 5, 2, m_random=60))
    x, y = nonuniform(11, 0.0, 2.0), np.arange(9.0) * 0.75
    cases.append(case("float32-k33", x, y, rng.uniform(0.5, 1.5, (11, 9)), 3, 3, float32=True))
    cases.append(case("float32-k24", x, y, smooth(x, y), 2, 4, float32=True))

    # Stacks: 6 bicubic splines on a non-uniform 9x12 grid; 5 of degree (2, 4).
    stacks = []
    for (kx, ky, n, nx, ny) in [(3, 3, 6, 9, 12), (2, 4, 5, 7, 8), (1, 1, 3, 5, 4)]:
        x, y = nonuniform(nx, 0.0, 1.0), nonuniform(ny, -1.0, 0.6)
        z3 = rng.uniform(-1.0, 1.0, (n, nx, ny))
        xi, yi = points(x, y, 700)
        ev = np.stack([RectBivariateSpline(x, y, z3[k], kx=kx, ky=ky, s=0).ev(xi, yi) for k in range(n)])
        per = [math.fsum(np.exp(ev[k])) for k in range(n)]
        stacks.append({"kx": kx, "ky": ky, "x": enc(x), "y": enc(y), "z": enc(z3), "zShape": list(z3.shape),
                       "xi": enc(xi), "yi": enc(yi), "ev": enc(ev), "evShape": list(ev.shape),
                       "perSpline": [repr(v) for v in per], "total": repr(math.fsum(np.exp(ev.ravel())))})
    with open(os.path.join(OUT, "bivariate.json"), "w") as f:
        json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases, "stacks": stacks}, f)
    print("wrote", os.path.join(OUT, "bivariate.json"))


if __name__ == "__main__":
    main()
