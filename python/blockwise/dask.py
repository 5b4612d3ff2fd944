"""Blockwise reductions on dask arrays: `sum_exp`, `logsumexp` and a
stack's `sum_exp`, through `dask.array.reduction` with Blockwise's own
partial states.

Each chunk gives its leaf partials (one double per leaf of
`leaf_length()` elements: 4096; a (shift, sum) pair for logsumexp);
combine concatenates them in chunk index order (`concatenate=False`: the
lists arrive in the array's order whatever order the scheduler ran the
tasks in); aggregate combines all leaves pairwise, as one call over the
whole array would. The result is therefore independent of the scheduler,
and, when every chunk length but the last is a multiple of the leaf,
equal bit for bit to one process's `blockwise.sum_exp(x.compute())`.

Inside a Dask worker, Blockwise's pool takes the worker's thread count
(see `blockwise.set_num_threads`).

    import dask.array as da, blockwise.dask as bd
    x = da.from_array(big, chunks=4096 * 256)
    bd.sum_exp(x).compute()
"""
import ctypes

import numpy as np

from . import _lib
from ._arrays import contiguous, float_dtype

_SUM_EXP = _lib.REDUCTIONS["sum_exp"]
_LSE = _lib.REDUCTIONS["logsumexp"]


def leaf_length():
    """Elements per reduction leaf: chunks that are multiples of it give
    one process's bits."""
    return int(_lib.lib.blockwise_reduction_leaf())


def stack_leaf_length(stack):
    """Points per leaf of a stack's sum_exp (256 for bilinear stacks, 8192
    for smooth ones)."""
    from .smooth import RectBivariateSplineStack

    return int(_lib.lib.blockwise_stack_sum_exp_leaf(1 if isinstance(stack, RectBivariateSplineStack) else 0))


def _leaves(n, leaf):
    return -(-n // leaf)


def _array_partials(code, block):
    dt = float_dtype(block)
    x = contiguous(block, dt, "x").reshape(-1)
    per = 2 if code == _LSE else 1
    out = np.empty(_leaves(x.size, leaf_length()) * per)
    _lib.check(_lib.function("blockwise_partials", dt)(code, _lib.address(x), x.size, _lib.address(out), out.size))
    return out


def _total(code, values):
    r = ctypes.c_double()
    _lib.check(_lib.lib.blockwise_partials_total(code, _lib.address(values), values.size, ctypes.byref(r)))
    return r.value


def _flatten(parts):
    """Chunk states (1-D arrays of leaf partials) in index order, from the
    nested lists dask passes with concatenate=False (one level per axis)."""
    if isinstance(parts, np.ndarray):
        return [parts]
    out = []
    for p in parts:
        out += _flatten(p)
    return out


def _reduction(x, code, chunk_fn):
    import dask.array as da

    # A chunk's state is the 1-D array of its leaf partials (dask's shape
    # bookkeeping of it is never used: concatenate=False hands combine and
    # aggregate the states themselves, in the array's index order).
    def chunk(block, axis, keepdims):
        return chunk_fn(block) if block.size else np.empty(0)

    def combine(parts, axis, keepdims):
        return np.concatenate(_flatten(parts) or [np.empty(0)])

    def aggregate(parts, axis, keepdims):
        return np.float64(_total(code, np.concatenate(_flatten(parts) or [np.empty(0)])))

    return da.reduction(x, chunk, aggregate, combine=combine, concatenate=False, dtype=np.float64,
                        meta=np.float64(0))


def sum_exp(x):
    """sum(exp(x)) over a whole dask array, as `blockwise.sum_exp` (a
    lazy 0-d dask array; `.compute()` it)."""
    return _reduction(_as_dask(x), _SUM_EXP, lambda b: _array_partials(_SUM_EXP, b))


def logsumexp(x):
    """log(sum(exp(x))) over a whole dask array, max-shifted per leaf and
    combined with rescaling, as `blockwise.logsumexp`."""
    return _reduction(_as_dask(x), _LSE, lambda b: _array_partials(_LSE, b))


def stack_sum_exp(stack, xi, yi):
    """`stack.sum_exp(xi, yi)` for dask arrays of points (chunked alike):
    each chunk's leaf sums from the stack (one task per chunk, reading its
    xi and yi blocks where they are), then `da.reduction` over those states,
    combined in index order. The stack enters the graph once (one pickled
    copy per worker, by value), not once per task."""
    import dask
    import dask.array as da

    xi, yi = _as_dask(xi), _as_dask(yi)
    if xi.shape != yi.shape or xi.chunks != yi.chunks:
        raise ValueError(f"xi and yi: expected the same shape and chunks, got {xi.shape} {xi.chunks} and "
                         f"{yi.shape} {yi.chunks}")
    xi, yi = xi.ravel(), yi.ravel()
    leaf = stack_leaf_length(stack)
    shared = dask.delayed(stack, pure=True)

    def points_partials(px, py, st):
        if px.size == 0:
            return np.empty(0)
        dt = np.dtype(np.float32) if st.dtype == np.float32 and px.dtype == np.float32 else np.dtype(np.float64)
        px = np.ascontiguousarray(px, dtype=dt)
        py = np.ascontiguousarray(py, dtype=dt)
        out = np.empty(_leaves(px.size, leaf))
        _lib.check(_lib.function("blockwise_stack_partials", dt)(
            st._handle, _lib.address(px), _lib.address(py), px.size, _lib.address(out), out.size))
        return out

    # One state per chunk of points: its leaf sums (len = leaves in the chunk).
    states = da.map_blocks(points_partials, xi, yi, shared, dtype=np.float64,
                           chunks=(tuple(_leaves(c, leaf) for c in xi.chunks[0]),), meta=np.empty(0))
    return _reduction(states, _SUM_EXP, lambda block: block)


def _as_dask(x):
    import dask.array as da

    return x if isinstance(x, da.Array) else da.asarray(x)
