"""BilinearSpline and BilinearSplineStack against scipy's RectBivariateSpline(kx=1, ky=1)."""
import numpy as np
import pytest
from scipy.interpolate import RectBivariateSpline

import blockwise


@pytest.fixture
def grid(rng):
    x = np.cumsum(rng.uniform(0.1, 1.0, 9))
    y = np.cumsum(rng.uniform(0.1, 1.0, 6)) - 2
    z = rng.uniform(-2, 2, (x.size, y.size))
    return x, y, z


def points(rng, x, y, n):
    """Interior points, knots, and points outside on every side."""
    xi = np.concatenate([rng.uniform(x[0], x[-1], n), x, [x[0] - 1, x[-1] + 1, x[0] - 5, x[-1] + 3]])
    yi = np.concatenate([rng.uniform(y[0], y[-1], n), y[rng.integers(0, y.size, x.size)], [y[0] - 1, y[-1] + 2, y[-1] + 9, y[0] - 3]])
    return xi, yi


@pytest.mark.parametrize("n", [0, 1, 100, 5000])
def test_ev_matches_scipy(grid, rng, n):
    x, y, z = grid
    ours, theirs = blockwise.BilinearSpline(x, y, z), RectBivariateSpline(x, y, z, kx=1, ky=1)
    xi, yi = points(rng, x, y, n)
    np.testing.assert_allclose(ours.ev(xi, yi), theirs.ev(xi, yi), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(ours(xi, yi, grid=False), theirs(xi, yi, grid=False), rtol=1e-13, atol=1e-13)
    assert ours.sum_exp(xi, yi) == pytest.approx(float(np.exp(theirs.ev(xi, yi)).sum()), rel=1e-12)


def test_grid_and_shapes_match_scipy(grid, rng):
    x, y, z = grid
    ours, theirs = blockwise.BilinearSpline(x, y, z), RectBivariateSpline(x, y, z, kx=1, ky=1)
    gx, gy = np.linspace(x[0] - 1, x[-1] + 1, 13), np.linspace(y[0], y[-1], 7)
    np.testing.assert_allclose(ours(gx, gy), theirs(gx, gy), rtol=1e-13, atol=1e-13)
    assert ours(gx, gy).shape == (13, 7)
    assert ours(1.5, 0.5).shape == theirs(1.5, 0.5).shape
    # ev broadcasts like scipy: a column against a row gives a matrix.
    cx, ry = rng.uniform(x[0], x[-1], (4, 1)), rng.uniform(y[0], y[-1], (1, 5))
    np.testing.assert_allclose(ours.ev(cx, ry), theirs.ev(cx, ry), rtol=1e-13, atol=1e-13)
    assert ours.ev(1.0, 0.0).shape == np.shape(theirs.ev(1.0, 0.0))
    # Non-contiguous and integer points are converted.
    xi = rng.uniform(x[0], x[-1], 200)[::2]
    yi = np.full(100, 0)
    np.testing.assert_allclose(ours.ev(xi, yi), theirs.ev(xi, yi), rtol=1e-13, atol=1e-13)


def test_float32(grid, rng):
    x, y, z = (a.astype(np.float32) for a in grid)
    s = blockwise.BilinearSpline(x, y, z)
    assert s.dtype == np.float32
    xi, yi = points(rng, grid[0], grid[1], 300)
    r = RectBivariateSpline(*(a.astype(np.float64) for a in (x, y, z)), kx=1, ky=1)
    got32 = s.ev(xi.astype(np.float32), yi.astype(np.float32))
    assert got32.dtype == np.float32
    np.testing.assert_allclose(got32, r.ev(xi.astype(np.float32), yi.astype(np.float32)), rtol=1e-5, atol=1e-5)
    got64 = s.ev(xi, yi)  # float64 points on a float32 spline: a float64 result
    assert got64.dtype == np.float64
    np.testing.assert_allclose(got64, r.ev(xi, yi), rtol=1e-5, atol=1e-5)


def test_stack_matches_scipy_per_spline(rng):
    x, y = np.arange(12.0), np.linspace(0, 3, 8)
    z3 = rng.uniform(-1, 1, (7, x.size, y.size))
    stack = blockwise.BilinearSplineStack(x, y, z3)
    assert len(stack) == 7
    xi, yi = points(rng, x, y, 3000)
    reference = np.stack([RectBivariateSpline(x, y, z3[k], kx=1, ky=1).ev(xi, yi) for k in range(7)])
    np.testing.assert_allclose(stack.ev(xi, yi), reference, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(stack.sum_exp_per_spline(xi, yi), np.exp(reference).sum(axis=1), rtol=1e-12)
    assert stack.sum_exp(xi, yi) == pytest.approx(float(np.exp(reference).sum()), rel=1e-12)
    assert stack.ev(xi[:0], yi[:0]).shape == (7, 0)
    assert stack.sum_exp(xi[:0], yi[:0]) == 0.0
    np.testing.assert_array_equal(stack.sum_exp_per_spline(xi[:0], yi[:0]), np.zeros(7))
    assert stack.ev(xi.reshape(-1, 1)[:6].reshape(2, 3), yi[:6].reshape(2, 3)).shape == (7, 2, 3)


def test_results_do_not_depend_on_threads(rng):
    x = y = np.arange(50.0)
    stack = blockwise.BilinearSplineStack(x, y, rng.uniform(0, 1, (20, 50, 50)))
    xi, yi = rng.uniform(0, 49, (2, 100_000))
    previous = blockwise.get_num_threads()
    try:
        totals = set()
        for t in range(1, blockwise.get_num_threads() + 1):
            blockwise.set_num_threads(t)
            totals.add(stack.sum_exp(xi, yi))
        assert len(totals) == 1
    finally:
        blockwise.set_num_threads(previous)


def test_bad_inputs_raise_blockwise_messages(grid):
    x, y, z = grid
    bad = x.copy()
    bad[3] = bad[2]
    with pytest.raises(ValueError, match="strictly increasing"):
        blockwise.BilinearSpline(bad, y, z)
    with pytest.raises(ValueError, match=r"z: expected shape"):
        blockwise.BilinearSpline(x, y, z[:-1])
    nan = z.copy()
    nan[1, 1] = np.nan
    with pytest.raises(blockwise.BlockwiseError, match="finite"):
        blockwise.BilinearSpline(x, y, nan)
    with pytest.raises(ValueError, match="at least 2"):
        blockwise.BilinearSpline(x[:1], y, z[:1])
    s = blockwise.BilinearSpline(x, y, z)
    with pytest.raises(ValueError, match="broadcast"):
        s.ev(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="dx"):
        s.ev(1.0, 1.0, dx=1)
    with pytest.raises(ValueError, match="z3"):
        blockwise.BilinearSplineStack(x, y, z)
