"""RectBivariateSpline and RectBivariateSplineStack against scipy's
RectBivariateSpline (s = 0) on the same data."""
import pickle
import threading
import time

import numpy as np
import pytest
from scipy.interpolate import RectBivariateSpline as ScipySpline

import blockwise

DEGREES = [(1, 1), (2, 3), (3, 3), (3, 1), (4, 2), (5, 5)]


@pytest.fixture
def data(rng):
    x = np.cumsum(rng.uniform(0.2, 1.0, 11))
    y = np.cumsum(rng.uniform(0.2, 1.0, 9)) - 3
    z = np.sin(x[:, None]) * np.cos(y[None, :]) + rng.uniform(-0.1, 0.1, (11, 9))
    return x, y, z


def points(rng, x, y, n=400):
    xi = np.concatenate([rng.uniform(x[0], x[-1], n), x, [x[0] - 1, x[-1] + 2]])
    yi = np.concatenate([rng.uniform(y[0], y[-1], n), y[: x.size % y.size].tolist() + list(y)[: x.size - x.size % y.size],
                         [y[-1] + 3, y[0] - 2]])
    return xi, yi[: xi.size]


def close(a, b, rel=1e-12):
    scale = max(1.0, float(np.max(np.abs(b)))) if np.size(b) else 1.0
    np.testing.assert_allclose(a, b, rtol=rel, atol=rel * scale)


@pytest.mark.parametrize("kx,ky", DEGREES)
def test_values_derivatives_integrals_match_scipy(data, rng, kx, ky):
    x, y, z = data
    ours, theirs = blockwise.RectBivariateSpline(x, y, z, kx=kx, ky=ky), ScipySpline(x, y, z, kx=kx, ky=ky)
    tx, ty = ours.get_knots()
    np.testing.assert_array_equal(tx, theirs.get_knots()[0])
    np.testing.assert_array_equal(ty, theirs.get_knots()[1])
    close(ours.get_coeffs(), theirs.get_coeffs())
    xi, yi = points(rng, x, y)
    close(ours.ev(xi, yi), theirs.ev(xi, yi))
    close(ours(xi, yi, grid=False), theirs(xi, yi, grid=False))
    # scipy evaluates derivatives inside the grid only (FITPACK's pardeu
    # refuses points outside it).
    inside = (xi >= x[0]) & (xi <= x[-1]) & (yi >= y[0]) & (yi <= y[-1])
    xin, yin = xi[inside], yi[inside]
    for dx in range(kx):  # FITPACK takes orders below the degree
        for dy in range(ky):
            close(ours.ev(xin, yin, dx=dx, dy=dy), theirs.ev(xin, yin, dx=dx, dy=dy), rel=1e-10)
    gx, gy = np.linspace(x[0], x[-1], 7), np.linspace(y[0] - 1, y[-1], 5)
    close(ours(gx, gy), theirs(gx, gy))
    gxin = np.linspace(x[0], x[-1], 7)
    gyin = np.linspace(y[0], y[-1], 5)
    close(ours(gxin, gyin, dx=min(1, kx - 1)), theirs(gxin, gyin, dx=min(1, kx - 1)), rel=1e-10)
    for bounds in [(x[0], x[-1], y[0], y[-1]), (x[1] + 0.1, x[5], y[2], y[3] + 0.3), (x[0] - 5, x[-1] + 5, y[0], y[4])]:
        close(ours.integral(*bounds), theirs.integral(*bounds))
    assert ours.integral(x[1], x[1], y[0], y[1]) == 0.0
    d = ours.partial_derivative(min(1, kx - 1), min(1, ky - 1))
    try:
        sd = theirs.partial_derivative(min(1, kx - 1), min(1, ky - 1))
    except Exception:  # scipy checks nux < ky (a typo of kx) in this routine
        return
    close(d.ev(xin, yin), sd(xin, yin, grid=False), rel=1e-10)
    close(d.get_coeffs(), sd.get_coeffs(), rel=1e-10)
    for a, b in zip(d.get_knots(), sd.get_knots()):
        np.testing.assert_array_equal(a, b)


def test_sum_exp_pickle_float32_and_errors(data, rng):
    x, y, z = data
    s = blockwise.RectBivariateSpline(x, y, z)
    xi, yi = points(rng, x, y, 5000)
    assert s.sum_exp(xi, yi) == pytest.approx(float(np.exp(ScipySpline(x, y, z).ev(xi, yi)).sum()), rel=1e-12)
    back = pickle.loads(pickle.dumps(s))
    np.testing.assert_array_equal(back.ev(xi, yi), s.ev(xi, yi))
    s32 = blockwise.RectBivariateSpline(x.astype(np.float32), y.astype(np.float32), z.astype(np.float32))
    got = s32.ev(xi.astype(np.float32), yi.astype(np.float32))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, s.ev(xi, yi), rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="kx"):
        blockwise.RectBivariateSpline(x, y, z, kx=6)
    with pytest.raises(ValueError, match="dx"):
        s.ev(xi, yi, dx=4)
    with pytest.raises(ValueError, match="x"):
        blockwise.RectBivariateSpline(x[:3], y, z[:3], kx=3)
    with pytest.raises(ValueError, match="xi and yi"):
        s.sum_exp(xi[:3], yi[:4])


@pytest.mark.parametrize("kx,ky", [(3, 3), (1, 1), (2, 5)])
def test_stack_matches_scipy_per_spline(rng, kx, ky):
    x = np.linspace(0, 5, 13)
    y = np.linspace(-1, 2, 10)
    z3 = rng.uniform(-1, 1, (6, 13, 10))
    stack = blockwise.RectBivariateSplineStack(x, y, z3, kx=kx, ky=ky)
    assert len(stack) == 6
    xi, yi = rng.uniform(-0.5, 5.5, 3001), rng.uniform(-1.5, 2.5, 3001)
    refs = [ScipySpline(x, y, z3[k], kx=kx, ky=ky).ev(xi, yi) for k in range(6)]
    close(stack.ev(xi, yi), np.array(refs))
    per = np.array([np.exp(r).sum() for r in refs])
    close(stack.sum_exp_per_spline(xi, yi), per)
    assert stack.sum_exp(xi, yi) == pytest.approx(per.sum(), rel=1e-12)
    back = pickle.loads(pickle.dumps(stack))
    assert back.sum_exp(xi, yi) == stack.sum_exp(xi, yi)
    with blockwise.threadpool_limits(1):
        one = stack.sum_exp(xi, yi)
    assert one == stack.sum_exp(xi, yi)  # the same bits for any thread count


def test_stack_releases_the_gil(rng):
    """Python runs while a long stack call is in the library (ctypes.CDLL
    releases the GIL for the call)."""
    x = np.linspace(0, 10, 50)
    stack = blockwise.RectBivariateSplineStack(x, x, rng.uniform(-1, 1, (50, 50, 50)))
    xi, yi = rng.uniform(0, 10, (2, 400_000))
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    start = time.perf_counter()
    stack.sum_exp(xi, yi)
    end = time.perf_counter()
    done.set()
    t.join()
    assert sum(start < tick < end for tick in ticks) >= 3, "no Python ran during the call"


def test_w1_cubic_example_agrees_with_scipy():
    import os
    import subprocess
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, os.path.join(here, "..", "examples", "w1_cubic_scipy.py"), "--points",
                          "20000", "--splines", "7", "--repeats", "1"], capture_output=True, text=True, timeout=300)
    # The example exits non-zero when the float64 total is not within 1e-12 of scipy's.
    assert out.returncode == 0, out.stdout + out.stderr
    assert "x scipy" in out.stdout
