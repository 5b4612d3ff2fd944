"""Blockwise on NumPy arrays: bilinear spline stacks, fused exp reductions
and numexpr-style expressions, run by Blockwise's Swift library on every
core of this process, on the arrays' own memory.

    import blockwise, numpy as np
    stack = blockwise.BilinearSplineStack(x, y, z3)      # z3: (n, len(x), len(y))
    total = stack.sum_exp(xi, yi)                        # sum_k sum_i exp(f_k(xi, yi))
    v = blockwise.evaluate("exp(-x*x/2) * cos(3*y)", x=x, y=y)

C-contiguous float64 and float32 arrays are read in place (no copy);
other layouts and dtypes are converted once. Errors raise
`blockwise.BlockwiseError`, a ValueError carrying Blockwise's message. The
GIL is released while the library runs. Objects pickle by their inputs.
"""
from . import _lib
from ._lib import BlockwiseError
from .expressions import Expression, evaluate
from .functions import exp, logsumexp, sum_exp
from .splines import BilinearSpline, BilinearSplineStack

__version__ = _lib.lib.blockwise_version().decode()

__all__ = [
    "BilinearSpline", "BilinearSplineStack", "BlockwiseError", "Expression", "evaluate", "exp", "get_num_threads",
    "kernel_isa", "logsumexp", "max_num_threads", "set_num_threads", "sum_exp",
]


def set_num_threads(n):
    """Threads Blockwise uses per call (1 ... max_num_threads()); returns
    the previous count, as numexpr's."""
    previous = get_num_threads()
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"n: expected an int thread count, got {type(n).__name__}")
    _lib.check(_lib.lib.blockwise_set_thread_count(n))
    return previous


def get_num_threads():
    """Threads Blockwise uses per call (the calling thread included)."""
    return int(_lib.lib.blockwise_thread_count())


def max_num_threads():
    """The largest count set_num_threads accepts."""
    return int(_lib.lib.blockwise_max_thread_count())


def kernel_isa():
    """The kernel path in use: 'avx2-fma' or 'generic'."""
    return _lib.lib.blockwise_kernel_isa().decode()
