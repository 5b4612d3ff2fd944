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
(see `blockwise.set_num_threads`). Under a distributed Client a stack is
scattered to every worker once (Dask's advice for large objects) and
graphs refer to it; with the local schedulers it is shared by reference.

    import dask.array as da, blockwise.dask as bd
    x = da.from_array(big, chunks=4096 * 256)
    bd.sum_exp(x).compute()
"""
import ctypes
import functools
import sys

import numpy as np

from . import _lib
from ._arrays import contiguous, float_dtype
from ._kept import Kept

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


# The tasks' functions live at module level (partials of them bind the
# reduction's code): dask then tokenizes them by name and workers unpickle
# them by reference, where local closures were cloudpickled by value on
# every graph (three quarters of a W1 graph's 3.7 ms build time).
def _chunk_state(block, axis, keepdims, code):
    """A chunk's state: its leaf partials under `code`, or the block itself
    when it already holds them (code None: a stack's point chunks)."""
    if code is None:
        return block
    return _array_partials(code, block) if block.size else np.empty(0)


def _combine_states(parts, axis, keepdims):
    return np.concatenate(_flatten(parts) or [np.empty(0)])


def _aggregate_states(parts, axis, keepdims, code):
    return np.float64(_total(code, np.concatenate(_flatten(parts) or [np.empty(0)])))


def _reduction(x, code, states_given=False):
    import dask.array as da

    # A chunk's state is the 1-D array of its leaf partials (dask's shape
    # bookkeeping of it is never used: concatenate=False hands combine and
    # aggregate the states themselves, in the array's index order).
    return da.reduction(x, functools.partial(_chunk_state, code=None if states_given else code),
                        functools.partial(_aggregate_states, code=code), combine=_combine_states,
                        concatenate=False, dtype=np.float64, meta=np.float64(0))


def sum_exp(x):
    """sum(exp(x)) over a whole dask array, as `blockwise.sum_exp` (a
    lazy 0-d dask array; `.compute()` it)."""
    return _reduction(_as_dask(x), _SUM_EXP)


def logsumexp(x):
    """log(sum(exp(x))) over a whole dask array, max-shifted per leaf and
    combined with rescaling, as `blockwise.logsumexp`."""
    return _reduction(_as_dask(x), _LSE)


# Stacks scattered to a distributed cluster, most recent last: (client id,
# the stack's digest) -> its Future. Holding the Future keeps the stack on
# the workers, so the entries are few (a stack is about a megabyte).
_SCATTERED_KEPT = 4
_scattered = Kept(_SCATTERED_KEPT)


def _distributed_client():
    """The distributed Client a `.compute()` would use now, or None (no
    distributed, or no Client made)."""
    if "distributed" not in sys.modules:
        return None
    try:
        from distributed import default_client

        return default_client()
    except (ImportError, ValueError):
        return None


def _scattered_stack(stack, client):
    """A Future of `stack` on every worker of `client`, scattered once per
    (client, stack): the graph then names it by key, instead of carrying
    the stack's bytes from the client through the scheduler to one worker
    and on to the others with every compute."""
    key = (id(client), stack._digest())
    f = _scattered.recent(key, lambda f: f.client is client and f.status == "finished")
    return f if f is not None else _scattered.keep_value(key, client.scatter(stack, broadcast=True, hash=True))


def _stack_points_partials(px, py, st, leaf):
    """One chunk of points' leaf sums from the stack `st`."""
    if px.size == 0:
        return np.empty(0)
    dt = np.dtype(np.float32) if st.dtype == np.float32 and px.dtype == np.float32 else np.dtype(np.float64)
    px = np.ascontiguousarray(px, dtype=dt)
    py = np.ascontiguousarray(py, dtype=dt)
    out = np.empty(_leaves(px.size, leaf))
    _lib.check(_lib.function("blockwise_stack_partials", dt)(
        st._handle, _lib.address(px), _lib.address(py), px.size, _lib.address(out), out.size))
    return out


def stack_sum_exp(stack, xi, yi, scatter=None):
    """`stack.sum_exp(xi, yi)` for dask arrays of points (chunked alike):
    each chunk's leaf sums from the stack (one task per chunk, reading its
    xi and yi blocks where they are), then `da.reduction` over those states,
    combined in index order.

    The stack enters the graph once, not once per task. `scatter=None`
    (the default) scatters it to every worker when a distributed Client is
    the default scheduler, once per client and stack (later graphs reuse
    it); `scatter=False` puts it in the graph by value (pickled once per
    compute); `scatter=True` requires a Client."""
    import dask
    import dask.array as da

    xi, yi = _as_dask(xi), _as_dask(yi)
    if xi.shape != yi.shape or xi.chunks != yi.chunks:
        raise ValueError(f"xi and yi: expected the same shape and chunks, got {xi.shape} {xi.chunks} and "
                         f"{yi.shape} {yi.chunks}")
    if scatter not in (None, True, False):
        raise ValueError(f"scatter: expected None, True or False, got {scatter!r}")
    xi, yi = xi.ravel(), yi.ravel()
    leaf = stack_leaf_length(stack)
    client = _distributed_client() if scatter is not False else None
    if scatter is True and client is None:
        raise ValueError("scatter=True: expected a distributed Client (distributed.Client(...)), found none")
    shared = _scattered_stack(stack, client) if client is not None else dask.delayed(stack, pure=True)

    # One state per chunk of points: its leaf sums (len = leaves in the chunk).
    states = da.map_blocks(_stack_points_partials, xi, yi, shared, leaf, dtype=np.float64,
                           chunks=(tuple(_leaves(c, leaf) for c in xi.chunks[0]),), meta=np.empty(0))
    return _reduction(states, _SUM_EXP, states_given=True)


def _as_dask(x):
    import dask.array as da

    return x if isinstance(x, da.Array) else da.asarray(x)
