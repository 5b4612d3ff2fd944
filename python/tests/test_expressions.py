"""blockwise.evaluate against numpy, with numexpr's conventions."""
import numpy as np
import pytest
import scipy.special

import blockwise

CASES = [
    ("exp(-x*x/2) * cos(3*y) + log1p(x*x)", lambda x, y: np.exp(-x * x / 2) * np.cos(3 * y) + np.log1p(x * x)),
    ("where(x > y, sqrt(abs(x)), y**2)", lambda x, y: np.where(x > y, np.sqrt(np.abs(x)), y ** 2)),
    ("arctan2(x, y) - tanh(x) / (1 + y*y)", lambda x, y: np.arctan2(x, y) - np.tanh(x) / (1 + y * y)),
    ("x % 0.7 + (x < 0) * 2", lambda x, y: np.fmod(x, 0.7) + (x < 0) * 2),
]


@pytest.mark.parametrize("source,reference", CASES)
@pytest.mark.parametrize("n", [0, 1, 2047, 2048, 2049, 50_001])
def test_matches_numpy(source, reference, n, rng):
    x, y = rng.uniform(-3, 3, (2, n))
    got = blockwise.evaluate(source, x=x, y=y)
    assert got.shape == (n,) and got.dtype == np.float64
    # Each function within 1 ulp (numpy too): a few ulps of the O(1) terms.
    np.testing.assert_allclose(got, reference(x, y), rtol=1e-15, atol=1e-15)


def test_float32_and_conversions(rng):
    x, y = rng.uniform(-3, 3, (2, 10_000)).astype(np.float32)
    got = blockwise.evaluate("exp(-x*x/2) * cos(3*y)", x=x, y=y)
    assert got.dtype == np.float32
    # float32 all the way, as numpy: each function within 1 ulp, so a few
    # float32 ulps of the O(1) terms apart.
    np.testing.assert_allclose(got, np.exp(-x * x / 2) * np.cos(3 * y), rtol=1e-6, atol=1e-6)
    # A float64 array among them makes the whole expression float64.
    assert blockwise.evaluate("x + y", x=x, y=y.astype(np.float64)).dtype == np.float64
    # Non-contiguous and integer inputs are converted once.
    a = rng.uniform(-1, 1, (50, 60))
    np.testing.assert_array_equal(blockwise.evaluate("a * 2 + 1", a=a[:, ::2]), a[:, ::2] * 2 + 1)
    np.testing.assert_array_equal(blockwise.evaluate("a * 2", a=np.arange(10)), np.arange(10) * 2)


def test_shapes_scalars_and_broadcasting(rng):
    a = rng.uniform(-1, 1, (30, 40))
    assert blockwise.evaluate("a * 2", a=a).shape == (30, 40)
    np.testing.assert_array_equal(blockwise.evaluate("a * s + 1", a=a, s=2.5), a * 2.5 + 1)
    col, row = rng.uniform(size=(30, 1)), rng.uniform(size=40)
    np.testing.assert_array_equal(blockwise.evaluate("c + r", c=col, r=row), col + row)
    assert blockwise.evaluate("s * 2", s=3.0).shape == ()


def test_reductions_as_numexpr(rng):
    x, y = rng.uniform(-3, 3, (2, 100_000))
    assert blockwise.evaluate("sum(x * y)", x=x, y=y) == pytest.approx(float((x * y).sum()), rel=1e-12)
    assert blockwise.evaluate("min(x * y)", x=x, y=y) == float((x * y).min())
    assert blockwise.evaluate("max(x - y)", x=x, y=y) == float((x - y).max())
    assert blockwise.evaluate("sum_exp(x)", x=x) == pytest.approx(float(np.exp(x).sum()), rel=1e-12)
    assert blockwise.evaluate("logsumexp(x * 3)", x=x) == pytest.approx(float(scipy.special.logsumexp(x * 3)), rel=1e-13)
    # Not a reduction of the whole expression: evaluated elementwise.
    np.testing.assert_allclose(blockwise.evaluate("sqrt(x*x) + (y)", x=x, y=y), np.abs(x) + y, rtol=1e-15)
    assert blockwise.evaluate("sum(x)", x=x[:0]) == 0.0
    with pytest.raises(ValueError, match="at least one element"):
        blockwise.evaluate("max(x)", x=x[:0])
    with pytest.raises(ValueError, match="prod"):
        blockwise.evaluate("prod(x)", x=x)


def test_variables_from_the_caller_and_local_dict(rng):
    alpha = rng.uniform(size=100)
    beta = rng.uniform(size=100)
    np.testing.assert_array_equal(blockwise.evaluate("alpha * beta"), alpha * beta)
    np.testing.assert_array_equal(blockwise.evaluate("p - q", local_dict={"p": alpha, "q": beta}), alpha - beta)


def test_out(rng):
    x = rng.uniform(size=1000)
    out = np.empty(1000)
    assert blockwise.evaluate("x * 2", x=x, out=out) is out
    np.testing.assert_array_equal(out, x * 2)


def test_errors_carry_blockwise_messages(rng):
    x = rng.uniform(size=10)
    with pytest.raises(ValueError, match=r"expected '\)' at column 15"):
        blockwise.evaluate("exp(x * (y + 1)", x=x, y=x)
    with pytest.raises(ValueError, match="not given"):
        blockwise.evaluate("x + zzz_missing", local_dict={"x": x})
    with pytest.raises(ValueError, match="broadcast"):
        blockwise.evaluate("a + b", a=np.ones(3), b=np.ones(4))
    with pytest.raises(ValueError, match="expression string"):
        blockwise.evaluate(42)


NUMEXPR_DTYPE_CASES = ["a*2.5", "a*s", "a*3", "i*2", "i*2.5", "exp(i)", "a+f", "i+i", "a>1", "(a>1) & (f<2)",
                       "where(a>0, a, 2)", "i/2", "-i", "abs(i)", "sqrt(a)", "a**2", "i**2", "arctan2(a, a)",
                       "exp(-a*a/2) * cos(3*a)", "a*t", "t*2", "i32*2", "i32*a"]


@pytest.mark.parametrize("source", NUMEXPR_DTYPE_CASES)
def test_result_dtypes_and_values_match_numexpr(source):
    numexpr = pytest.importorskip("numexpr")
    names = {"a": np.linspace(0.1, 3, 11, dtype=np.float32), "f": np.linspace(-2, 2, 11),
             "i": np.arange(-5, 6, dtype=np.int64), "i32": np.arange(11, dtype=np.int32), "s": 2.5, "t": 3}
    want = numexpr.evaluate(source, local_dict=names)
    got = blockwise.evaluate(source, local_dict=names)
    assert got.dtype == want.dtype, f"{source}: {got.dtype} vs numexpr's {want.dtype}"
    tol = 1e-6 if want.dtype == np.float32 else 1e-14
    if want.dtype.kind in "biu":
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def test_names_from_the_callers_frame_and_global_dict():
    gx = np.arange(4.0)
    local_only = 2.0
    assert blockwise.evaluate("gx * local_only").tolist() == [0.0, 2.0, 4.0, 6.0]
    assert blockwise.evaluate("gx + y", local_dict={"gx": gx}, global_dict={"y": 1.0}).tolist() == [1.0, 2.0, 3.0, 4.0]
    # local_dict wins over global_dict, as numexpr's lookup.
    assert blockwise.evaluate("gx", local_dict={"gx": gx}, global_dict={"gx": -gx}).tolist() == gx.tolist()
    out = np.empty(4)
    assert blockwise.evaluate("gx * 2", local_dict={"gx": gx}, out=out) is out
    assert blockwise.evaluate("sum(gx * 2)", local_dict={"gx": gx}) == 12.0
    # "sum(a) + sum(b)" is no outer reduction.
    with pytest.raises(ValueError):
        blockwise.evaluate("sum(gx) + sum(gx)", local_dict={"gx": gx})
