"""Every public function with each argument made wrong in turn.

Each wrong argument must raise ValueError (BlockwiseError is one) whose
message names that argument, before any memory is touched; an argument
that is merely unusual (a non-contiguous or Fortran-ordered input, an
int array) must give the same result as the plain one.
"""
import numpy as np
import pytest

import blockwise

X = np.linspace(0.0, 1.0, 5)
Y = np.linspace(-1.0, 1.0, 4)
Z = np.arange(20.0).reshape(5, 4) / 20
Z3 = np.stack([Z, -Z, 2 * Z])
PX = np.array([0.1, 0.5, 0.9])
PY = np.array([-0.5, 0.0, 0.5])
A = np.linspace(-2, 2, 12)


def spline():
    return blockwise.BilinearSpline(X, Y, Z)


def stack():
    return blockwise.BilinearSplineStack(X, Y, Z3)


def wrongs(good):
    """(kind, value) variants of a 1-D float argument that must be refused."""
    return [
        ("wrong dtype", good.astype(np.complex128)),
        ("strings", np.array(["a"] * good.size)),
        ("objects", np.array([None] * good.size, dtype=object)),
        ("not an array", {"a": 1}),
    ]


# (label, call taking keyword arguments, good keyword arguments, and for each
# argument the extra bad values specific to it (with the text the message
# must contain).
CASES = [
    ("BilinearSpline", lambda **k: blockwise.BilinearSpline(**k), dict(x=X, y=Y, z=Z), {
        "x": [("wrong length", X[:4], "z"), ("wrong rank", X.reshape(5, 1), "x"), ("empty", X[:0], "z"),
              ("one knot", X[:1], "z"), ("decreasing", X[::-1], "x")],
        "y": [("wrong length", Y[:3], "z"), ("wrong rank", Y.reshape(2, 2), "y"), ("empty", Y[:0], "z")],
        "z": [("wrong shape", Z[:4], "z"), ("wrong rank", Z.ravel(), "z"), ("empty", Z[:0], "z"),
              ("not finite", np.where(Z > 0.5, np.nan, Z), "z")],
    }),
    ("BilinearSplineStack", lambda **k: blockwise.BilinearSplineStack(**k), dict(x=X, y=Y, z3=Z3), {
        "x": [("wrong length", X[:4], "z3"), ("wrong rank", X.reshape(5, 1), "x"), ("empty", X[:0], "z3")],
        "y": [("wrong length", Y[:3], "z3"), ("wrong rank", Y.reshape(2, 2), "y")],
        "z3": [("wrong shape", Z3[:, :4], "z3"), ("wrong rank", Z, "z3"), ("empty", Z3[:, :0], "z3")],
    }),
    ("BilinearSpline.ev", lambda **k: spline().ev(**k), dict(xi=PX, yi=PY), {
        "xi": [("wrong length", PX[:2], "xi"), ("wrong rank", np.ones((2, 2)), "xi")],
        "yi": [("wrong length", PY[:2], "yi"), ("wrong rank", np.ones((2, 2)), "yi")],
    }),
    ("BilinearSpline.__call__", lambda **k: spline()(**k), dict(x=PX, y=PY), {
        "x": [("wrong rank", np.ones((2, 2)), "x")],
        "y": [("wrong rank", np.ones((2, 2)), "y")],
    }),
    ("BilinearSpline.sum_exp", lambda **k: spline().sum_exp(**k), dict(xi=PX, yi=PY), {
        "xi": [("wrong length", PX[:1], "xi"), ("wrong rank", np.ones((3, 1)), "xi")],
        "yi": [("wrong length", PY[:2], "yi"), ("empty", PY[:0], "yi")],
    }),
    ("BilinearSplineStack.ev", lambda **k: stack().ev(**k), dict(xi=PX, yi=PY), {
        "xi": [("wrong length", PX[:2], "xi")],
        "yi": [("wrong length", PY[:2], "yi")],
    }),
    ("BilinearSplineStack.sum_exp", lambda **k: stack().sum_exp(**k), dict(xi=PX, yi=PY), {
        "xi": [("wrong length", PX[:1], "xi")],
        "yi": [("wrong length", PY[:2], "yi")],
    }),
    ("BilinearSplineStack.sum_exp_per_spline", lambda **k: stack().sum_exp_per_spline(**k), dict(xi=PX, yi=PY), {
        "xi": [("wrong length", PX[:1], "xi"), ("empty", PX[:0], "xi")],
        "yi": [("wrong length", PY[:2], "yi")],
    }),
    ("exp", lambda **k: blockwise.exp(**k), dict(a=A), {"a": []}),
    ("sum_exp", lambda **k: blockwise.sum_exp(**k), dict(a=A), {"a": []}),
    ("logsumexp", lambda **k: blockwise.logsumexp(**k), dict(a=A), {"a": []}),
    ("evaluate", lambda **k: blockwise.evaluate("x * 2 + y", **k), dict(x=A, y=A), {
        "x": [("wrong length", A[:5], "x")],
        "y": [("wrong length", A[:7], "y")],
    }),
]


def ids():
    out = []
    for label, _, good, special in CASES:
        for arg in good:
            for kind, _ in wrongs(np.asarray(good[arg]).ravel()):
                out.append((label, arg, kind))
            for kind, _, _ in special.get(arg, []):
                out.append((label, arg, kind))
    return out


def lookup(label):
    return next(c for c in CASES if c[0] == label)


@pytest.mark.parametrize("label,arg,kind", ids(), ids=lambda v: str(v))
def test_each_wrong_argument_is_named(label, arg, kind):
    _, call, good, special = lookup(label)
    bad = dict(wrongs(np.asarray(good[arg]).ravel()))
    named = arg
    if kind in bad:
        value = bad[kind]
    else:
        _, value, named = next(s for s in special[arg] if s[0] == kind)
    kwargs = dict(good)
    kwargs[arg] = value
    with pytest.raises(ValueError) as info:
        call(**kwargs)
    assert named in str(info.value), f"{label}({arg}: {kind}): message does not name '{named}': {info.value}"


@pytest.mark.parametrize("label", [c[0] for c in CASES])
def test_unusual_layouts_give_the_plain_result(label):
    """Non-contiguous, Fortran-ordered and integer inputs: converted once,
    same result as the plain float64 arrays."""
    _, call, good, _ = lookup(label)
    plain = call(**good)
    for arg, v in good.items():
        v = np.asarray(v)
        doubled = np.repeat(v, 2, axis=-1)[..., ::2]  # same values, a strided view
        assert not doubled.flags.c_contiguous or v.size <= 1
        for variant in (doubled, np.asfortranarray(v)):
            got = call(**{**good, arg: variant})
            if isinstance(plain, (blockwise.BilinearSpline, blockwise.BilinearSplineStack)):
                np.testing.assert_array_equal(got.ev(PX, PY), plain.ev(PX, PY))
            else:
                np.testing.assert_array_equal(got, plain)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_out_arguments_are_checked(dtype):
    a = A.astype(dtype)
    for bad, what in [
        (np.empty(5, dtype), "shape"),
        (np.empty(12, np.float32 if dtype == np.float64 else np.float64), "dtype"),
        (np.empty(24, dtype)[::2], "C-contiguous"),
        ([0.0] * 12, "numpy array"),
    ]:
        with pytest.raises(ValueError, match="out") as info:
            blockwise.exp(a, out=bad)
        assert what in str(info.value)
        with pytest.raises(ValueError, match="out"):
            blockwise.evaluate("x + 1", x=a, out=bad)
    readonly = np.empty(12, dtype)
    readonly.flags.writeable = False
    with pytest.raises(ValueError, match="out"):
        blockwise.exp(a, out=readonly)


def test_reductions_refuse_points_of_different_lengths():
    """The defect this sweep was made for: (1,) and (2,) points broadcast
    silently before; a reduction over point pairs now needs one x per y."""
    s = blockwise.BilinearSplineStack(X, Y, np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match="xi and yi"):
        s.sum_exp_per_spline(np.zeros(1), np.zeros(2))
    with pytest.raises(ValueError, match="xi and yi"):
        s.sum_exp(np.zeros(1), np.zeros(2))
    # ev broadcasts, as scipy's ev does.
    assert s.ev(np.zeros(1), np.zeros(2)).shape == (2, 2)


def test_thread_counts_are_checked():
    for bad in (0, -1, 1.5, "2", None, True, blockwise.max_num_threads() + 1):
        with pytest.raises(ValueError, match="n|thread"):
            blockwise.set_num_threads(bad)


def test_expression_arguments_are_checked():
    with pytest.raises(ValueError, match="ex"):
        blockwise.evaluate(3)
    with pytest.raises(ValueError, match="z"):
        blockwise.evaluate("x + z", x=A)
    with pytest.raises(ValueError, match="column"):
        blockwise.evaluate("x +", x=A)
    with pytest.raises(ValueError, match="axis"):
        blockwise.logsumexp(A, axis=1)
