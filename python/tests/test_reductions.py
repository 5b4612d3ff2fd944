"""sum, sum_exp, logsumexp, min and max with numpy's and scipy's axis,
keepdims, b= and return_sign=, against numpy and scipy."""
import numpy as np
import pytest
import scipy.special

import blockwise

SHAPES = [(0,), (1,), (4097,), (3, 5), (2, 0, 3), (4, 6, 5), (2, 3, 4, 5)]


def axes_for(ndim):
    out = [None]
    for k in range(ndim):
        out += [k, k - ndim]
    if ndim >= 2:
        out += [(0, ndim - 1), tuple(range(ndim))]
    if ndim >= 3:
        out += [(1, 2), (-1, 0)]
    return out


def tol(dtype):
    return dict(rtol=1e-12, atol=1e-12) if dtype == np.float64 else dict(rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("keepdims", [False, True])
def test_against_numpy_and_scipy(shape, dtype, keepdims, rng):
    a = rng.uniform(-8, 8, shape).astype(dtype)
    wide = a.astype(np.float64)
    for axis in axes_for(len(shape)):
        got = blockwise.sum(a, axis=axis, keepdims=keepdims)
        want = np.sum(wide, axis=axis, keepdims=keepdims)
        assert np.shape(got) == np.shape(want), (axis, np.shape(got), np.shape(want))
        assert np.asarray(got).dtype == dtype
        np.testing.assert_allclose(got, want, **tol(dtype))
        np.testing.assert_allclose(blockwise.sum_exp(a, axis=axis, keepdims=keepdims),
                                   np.sum(np.exp(wide), axis=axis, keepdims=keepdims), **tol(dtype))
        # scipy itself fails on empty arrays with tuple axes; values in
        # [-8, 8] need no shift, so numpy gives the reference there.
        with np.errstate(divide="ignore"):
            ref = (np.log(np.sum(np.exp(wide), axis=axis, keepdims=keepdims)) if a.size == 0
                   else scipy.special.logsumexp(wide, axis=axis, keepdims=keepdims))
            np.testing.assert_allclose(blockwise.logsumexp(a, axis=axis, keepdims=keepdims), ref, **tol(dtype))
        try:
            np.max(a, axis=axis)
            empty = False
        except ValueError:  # numpy: a reduction over no elements has no identity
            empty = True
        if empty:
            with pytest.raises(ValueError):
                blockwise.max(a, axis=axis)
            with pytest.raises(ValueError):
                blockwise.min(a, axis=axis)
        else:
            np.testing.assert_array_equal(blockwise.max(a, axis=axis, keepdims=keepdims),
                                          np.max(a, axis=axis, keepdims=keepdims))
            np.testing.assert_array_equal(blockwise.min(a, axis=axis, keepdims=keepdims),
                                          np.min(a, axis=axis, keepdims=keepdims))


def test_logsumexp_weights_and_sign(rng):
    a = rng.uniform(-5, 5, (6, 7))
    for b in [rng.uniform(0.5, 2, (6, 7)), rng.uniform(0.5, 2, 7), 2.0, rng.uniform(-1, 1, (6, 7))]:
        for axis in [None, 0, 1, -1]:
            for keepdims in [False, True]:
                got = blockwise.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=True)
                want = scipy.special.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=True)
                np.testing.assert_allclose(got[0], want[0], rtol=1e-12, atol=1e-12)
                np.testing.assert_array_equal(got[1], want[1])
                if np.all(np.asarray(b) > 0):
                    np.testing.assert_allclose(blockwise.logsumexp(a, axis=axis, b=b, keepdims=keepdims),
                                               scipy.special.logsumexp(a, axis=axis, b=b, keepdims=keepdims),
                                               rtol=1e-12, atol=1e-12)
    # b == 0 drops a term (even an infinite one), as scipy's.
    a = np.array([1.0, np.inf, 2.0])
    b = np.array([1.0, 0.0, 1.0])
    assert blockwise.logsumexp(a, b=b) == pytest.approx(scipy.special.logsumexp(a, b=b), rel=1e-15)
    # Special values.
    assert blockwise.logsumexp(np.array([-np.inf, -np.inf])) == -np.inf
    assert blockwise.logsumexp(np.array([1.0, np.inf])) == np.inf
    assert np.isnan(blockwise.logsumexp(np.array([1.0, np.nan])))
    assert blockwise.logsumexp(np.array([])) == -np.inf


def test_same_bits_for_any_thread_count(rng):
    a = rng.uniform(-3, 3, (257, 4099))
    results = []
    for threads in [1, 2]:
        with blockwise.threadpool_limits(threads):
            results.append([blockwise.sum(a, axis=ax).tobytes() if ax is not None else blockwise.sum(a)
                            for ax in (None, 0, 1)] +
                           [blockwise.logsumexp(a, axis=ax).tobytes() if ax is not None else blockwise.logsumexp(a)
                            for ax in (None, 0, 1)])
    assert results[0] == results[1]


def test_whole_array_reduction_of_each_row(rng):
    a = rng.uniform(-3, 3, (5, 10_001))
    rows = blockwise.sum_exp(a, axis=1)
    for k in range(5):
        assert rows[k] == blockwise.sum_exp(a[k])


def test_axis_errors():
    a = np.zeros((2, 3))
    for bad in [2, -3, (0, 0), 1.5, "0", (0, 2)]:
        with pytest.raises(ValueError, match="axis"):
            blockwise.sum(a, axis=bad)
