"""exp, and the reductions sum, sum_exp, logsumexp, min and max, shaped like
numpy's and scipy.special's (axis=int, tuple, None or negative; keepdims;
logsumexp's b= and return_sign=)."""
import ctypes

import numpy as np

from . import _lib
from ._arrays import contiguous, float_dtype, output


def exp(a, out=None):
    """exp of every element, as `np.exp` (within 1 ulp), on every core.

    float32 arrays give float32, everything else float64. `out`: a
    C-contiguous array of the result's shape and dtype to write into.
    """
    dt = float_dtype(a)
    x = contiguous(a, dt, "a")
    result = output(x.shape, dt, out)
    _lib.check(_lib.function("blockwise_exp", dt)(_lib.address(x), x.size, _lib.address(result), result.size))
    return result


def _axes(axis, ndim):
    """numpy's axis argument as a sorted tuple of distinct non-negative axes
    (None: every axis)."""
    if axis is None:
        return tuple(range(ndim))
    items = axis if isinstance(axis, tuple) else (axis,)
    out = []
    for ax in items:
        if isinstance(ax, bool) or not isinstance(ax, (int, np.integer)):
            raise ValueError(f"axis: expected an int, a tuple of ints or None, got {axis!r}")
        ax = int(ax)
        if not -ndim <= ax < ndim:
            raise ValueError(f"axis: expected an axis in {-ndim} ..< {ndim} for an array of {ndim} dimensions, got {ax}")
        out.append(ax % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"axis: expected distinct axes, got {axis!r}")
    return tuple(sorted(out))


# The whole-array entry points and result types per dtype, looked up once.
_WHOLE = {np.dtype(np.float64): (_lib.lib.blockwise_reduce_f64, ctypes.c_double),
          np.dtype(np.float32): (_lib.lib.blockwise_reduce_f32, ctypes.c_float)}


def _reduce_all(code, a):
    """A whole-array reduction as a numpy scalar of the input's type: the per-call path kept
    short (a 100-element sum_exp costs a few microseconds in all)."""
    if type(a) is np.ndarray and a.flags.c_contiguous and (a.dtype == np.float64 or a.dtype == np.float32):
        x = a
    else:
        dt = float_dtype(a)
        x = contiguous(a, dt, "a")
    fn, result_type = _WHOLE[x.dtype]
    r = result_type()
    _lib.check(fn(code, x.ctypes.data if x.size else None, x.size, ctypes.byref(r)))
    return x.dtype.type(r.value)  # numpy's scalar type (np.float64 is a float)


def _reduce(name, a, axis=None, keepdims=False):
    """Reduction `name` over `axes`: one C call for the whole array or one
    axis; several axes are moved last (one copy) and reduced as one."""
    if axis is None and not keepdims:
        return _reduce_all(_lib.REDUCTIONS[name], a)
    dt = float_dtype(a)
    x = contiguous(a, dt, "a")
    axes = _axes(axis, x.ndim)
    code = _lib.REDUCTIONS[name]
    kept = [d for k, d in enumerate(x.shape) if k not in axes]
    if len(axes) == x.ndim:
        r = (ctypes.c_float if dt == np.float32 else ctypes.c_double)()
        _lib.check(_lib.function("blockwise_reduce", dt)(code, _lib.address(x), x.size, ctypes.byref(r)))
        value = np.array(r.value, dtype=dt)
    else:
        if len(axes) == 1:
            source, ax = x, axes[0]
        else:
            # The reduced axes last and flattened into one: each output is
            # then the whole-array reduction of its values.
            moved = np.moveaxis(x, axes, range(x.ndim - len(axes), x.ndim))
            reduced = int(np.prod([x.shape[k] for k in axes]))
            source = np.ascontiguousarray(moved).reshape(kept + [reduced])
            ax = len(kept)
        value = np.empty(kept, dtype=dt)
        shape = (ctypes.c_int64 * source.ndim)(*source.shape)
        _lib.check(_lib.function("blockwise_reduce_axis", dt)(
            code, _lib.address(source), shape, source.ndim, ax, _lib.address(value), value.size))
    if keepdims:
        value = value.reshape([1 if k in axes else d for k, d in enumerate(x.shape)])
    return value if value.ndim else value[()]


def sum(a, axis=None, keepdims=False):
    """Sum over `axis` (int, tuple, None or negative), as `np.sum`, in
    fixed leaves added pairwise: the same bits for any thread count.
    float32 input accumulates in double and rounds once."""
    return _reduce("sum", a, axis, keepdims)


def min(a, axis=None, keepdims=False):
    """Minimum over `axis`, as `np.min` (NaN propagates; an empty reduction
    raises ValueError)."""
    return _reduce("min", a, axis, keepdims)


def max(a, axis=None, keepdims=False):
    """Maximum over `axis`, as `np.max` (NaN propagates; an empty reduction
    raises ValueError)."""
    return _reduce("max", a, axis, keepdims)


def sum_exp(a, axis=None, keepdims=False):
    """sum(exp(a)) over `axis`, fused (no array of exps is made),
    accumulated in double; identical for any thread count. 0.0 for an empty
    reduction, inf on overflow."""
    return _reduce("sum_exp", a, axis, keepdims)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """log(sum(b * exp(a))) over `axis`, scipy.special.logsumexp's signature
    and results: max-shifted (no overflow for large values), -inf for an
    empty reduction or all -inf.

    Without `b`, one fused pass per leaf in the library (the same bits for
    any thread count). With `b` (broadcast against `a`): the terms
    b * exp(a - max) are formed by one expression pass and summed by
    Blockwise; where b == 0 a term is dropped, as scipy's. With
    return_sign=True, returns (log|s|, sign(s)); otherwise a negative sum
    gives NaN, as scipy's.
    """
    if b is None and not return_sign:
        return _reduce("logsumexp", a, axis, keepdims)
    dt = float_dtype(a) if b is None else float_dtype(a, b)
    x = contiguous(a, dt, "a")
    if b is None:
        w = np.ones((), dtype=dt)
    else:
        w = contiguous(b, dt, "b")
        try:
            x, w = np.broadcast_arrays(x, w)
        except ValueError:
            raise ValueError(f"b: expected a shape that broadcasts with a's {x.shape}, got {np.shape(b)}") from None
        x = np.where(w == 0, -np.inf, x).astype(dt)  # scipy drops terms with b == 0
    axes = _axes(axis, x.ndim)
    m = _reduce("max", x, axes, keepdims=True) if x.size else np.full([1] * x.ndim, -np.inf, dtype=dt)
    m = np.where(np.isfinite(m), m, 0).astype(dt)
    from .expressions import evaluate

    terms = evaluate("w * exp(x - m)", local_dict={"w": w, "x": x, "m": m}) if x.size else x
    s = _reduce("sum", terms, axes, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        if return_sign:
            sign = np.sign(s).astype(dt)
            out = np.log(np.abs(s)) + m
        else:
            out = np.log(s) + m
    if not keepdims:
        out = np.squeeze(out, axis=axes)
        if return_sign:
            sign = np.squeeze(sign, axis=axes)
    out = out[()] if out.ndim == 0 else out
    if return_sign:
        return out, (sign[()] if sign.ndim == 0 else sign)
    return out
