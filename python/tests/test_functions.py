"""exp, sum_exp, logsumexp against numpy and scipy."""
import numpy as np
import pytest
import scipy.special

import blockwise

SIZES = [0, 1, 7, 4095, 4096, 4097, 100_003]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_exp_matches_numpy(n, dtype, rng):
    a = rng.uniform(-30, 30, n).astype(dtype)
    got = blockwise.exp(a)
    assert got.dtype == dtype and got.shape == a.shape
    # Within 1 ulp of the correctly rounded value (exp in float64, rounded
    # once, stands in for it in float32; numpy's own float32 exp is not
    # that, so it is not the reference).
    if dtype == np.float32:
        np.testing.assert_array_max_ulp(got, np.exp(a.astype(np.float64)).astype(np.float32), maxulp=1)
    else:
        np.testing.assert_allclose(got, np.exp(a), rtol=2.3e-16, atol=0)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_reductions_match_numpy_and_scipy(n, dtype, rng):
    a = rng.uniform(-10, 10, n).astype(dtype)
    wide = a.astype(np.float64)
    assert blockwise.sum_exp(a) == pytest.approx(float(np.exp(wide).sum()), rel=1e-12 if dtype == np.float64 else 1e-6)
    expected = float(scipy.special.logsumexp(wide)) if n else -np.inf
    assert blockwise.logsumexp(a) == pytest.approx(expected, rel=1e-12 if dtype == np.float64 else 1e-6)


def test_shapes_layouts_and_dtypes(rng):
    a = rng.uniform(-5, 5, (30, 40))
    assert blockwise.exp(a).shape == (30, 40)
    np.testing.assert_allclose(blockwise.exp(a[:, ::3]), np.exp(a[:, ::3]), rtol=2.3e-16)  # strided: one copy
    np.testing.assert_allclose(blockwise.exp(a.T), np.exp(a.T), rtol=2.3e-16)  # Fortran order
    ints = np.arange(-5, 6)
    assert blockwise.exp(ints).dtype == np.float64
    np.testing.assert_allclose(blockwise.exp(ints), np.exp(ints), rtol=2.3e-16)
    assert blockwise.sum_exp([0.0, 0.0]) == 2.0  # lists convert
    assert blockwise.exp(np.float64(1.0)).shape == ()
    big = rng.uniform(700, 720, 1000)  # exp overflows; the max-shifted logsumexp does not
    assert blockwise.logsumexp(big) == pytest.approx(float(scipy.special.logsumexp(big)), rel=1e-14)
    assert blockwise.sum_exp(big) == np.inf


def test_out(rng):
    a = rng.uniform(-1, 1, 1000)
    out = np.empty_like(a)
    assert blockwise.exp(a, out=out) is out
    np.testing.assert_allclose(out, np.exp(a), rtol=2.3e-16)
    with pytest.raises(ValueError, match="shape"):
        blockwise.exp(a, out=np.empty(999))
    with pytest.raises(ValueError, match="dtype"):
        blockwise.exp(a, out=np.empty(1000, dtype=np.float32))


def test_bad_inputs_raise_value_error():
    with pytest.raises(ValueError, match="numbers"):
        blockwise.exp(["a", "b"])
    with pytest.raises(ValueError, match="axis"):
        blockwise.logsumexp(np.ones(3), axis=1)
    with pytest.raises(ValueError):
        blockwise.exp(np.ones(3, dtype=complex))


def test_threads_and_info():
    previous = blockwise.get_num_threads()
    assert 1 <= previous <= blockwise.max_num_threads()
    assert blockwise.set_num_threads(1) == previous and blockwise.get_num_threads() == 1
    blockwise.set_num_threads(previous)
    with pytest.raises(ValueError, match=r"thread count.*1 \.\.\."):
        blockwise.set_num_threads(0)
    with pytest.raises(ValueError, match="int"):
        blockwise.set_num_threads(1.5)
    assert blockwise.kernel_isa() in ("avx512", "avx2-fma", "neon", "generic")
    assert blockwise.__version__.count(".") == 2
