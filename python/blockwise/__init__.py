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
from . import _lib, _threads
from ._lib import BlockwiseError
from .expressions import Expression, evaluate
from .functions import exp, logsumexp, max, min, sum, sum_exp
from .smooth import RectBivariateSpline, RectBivariateSplineStack
from .splines import BilinearSpline, BilinearSplineStack
from ._threads import get_num_threads, max_num_threads, set_num_threads, threadpool_limits

_threads._register_with_threadpoolctl()
_threads._apply_environment_caps()

__version__ = _lib.lib.blockwise_version().decode()

__all__ = [
    "BilinearSpline", "BilinearSplineStack", "BlockwiseError", "Expression", "RectBivariateSpline",
    "RectBivariateSplineStack", "evaluate", "exp", "get_num_threads",
    "kernel_isa", "logsumexp", "max", "max_num_threads", "min", "set_num_threads", "sum", "sum_exp",
    "threadpool_limits",
]


def kernel_isa():
    """The kernel path in use: 'avx512', 'avx2-fma', 'neon' or 'generic'."""
    return _lib.lib.blockwise_kernel_isa().decode()
