"""exp, sum_exp and logsumexp over whole arrays."""
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


def _reduce(name, a):
    dt = float_dtype(a)
    x = contiguous(a, dt, "a")
    r = (ctypes.c_float if dt == np.float32 else ctypes.c_double)()
    _lib.check(_lib.function(name, dt)(_lib.address(x), x.size, ctypes.byref(r)))
    return float(r.value)


def sum_exp(a):
    """sum(exp(a)) over every element, fused (no array of exps is made).

    Accumulated in double; identical for any thread count. 0.0 for an
    empty array, inf on overflow.
    """
    return _reduce("blockwise_sum_exp", a)


def logsumexp(a, axis=None):
    """log(sum(exp(a))) over every element, as `scipy.special.logsumexp(a)`
    (max-shifted: no overflow for large values). -inf for an empty array.

    Only `axis=None` (the whole array) is supported.
    """
    if axis is not None:
        raise ValueError(f"axis: blockwise.logsumexp reduces over every element (axis=None), got axis={axis!r}")
    return _reduce("blockwise_log_sum_exp", a)
