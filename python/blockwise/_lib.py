"""Loads libBlockwiseC.so with ctypes and declares its functions.

ctypes rather than cffi: it is in the standard library, so numpy stays the
package's only runtime dependency; its calls through CDLL release the GIL
for their whole duration (the kernels then run in parallel with other
Python threads); and numpy arrays hand it their data pointer
(`ndarray.ctypes.data`) with no copy. The per-call cost (a few
microseconds) is below 1% of any call worth making from Python.
"""
import ctypes
import os
import re

import numpy as np

_HERE = os.path.dirname(os.path.abspath(__file__))


def _find_library():
    # BLOCKWISE_LIBRARY: a libBlockwiseC.so to use instead of the packaged one
    # (the test suite points it at a fresh build).
    explicit = os.environ.get("BLOCKWISE_LIBRARY")
    if explicit:
        return explicit
    packaged = os.path.join(_HERE, "_native", "libBlockwiseC.so")
    if os.path.exists(packaged):
        return packaged
    raise ImportError(
        "blockwise: libBlockwiseC.so not found; install with `pip install ./python` from a Blockwise checkout, "
        "or set BLOCKWISE_LIBRARY to a built library"
    )


lib = ctypes.CDLL(_find_library())

i64 = ctypes.c_int64
i32 = ctypes.c_int
f64p = ctypes.POINTER(ctypes.c_double)
f32p = ctypes.POINTER(ctypes.c_float)
vp = ctypes.c_void_p
handle_out = ctypes.POINTER(ctypes.c_void_p)


def _declare(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)


# Status, version, threads.
_declare("blockwise_last_error", ctypes.c_char_p)
_declare("blockwise_version", ctypes.c_char_p)
_declare("blockwise_kernel_isa", ctypes.c_char_p)
_declare("blockwise_thread_count", i64)
_declare("blockwise_max_thread_count", i64)
_declare("blockwise_set_thread_count", i32, i64)

# Pointers are declared as void* so that numpy hands over its data address
# (an int) without ctypes building pointer objects per call.
for suffix in ("f64", "f32"):
    _declare(f"blockwise_exp_{suffix}", i32, vp, i64, vp, i64)
    _declare(f"blockwise_sum_exp_{suffix}", i32, vp, i64, vp)
    _declare(f"blockwise_log_sum_exp_{suffix}", i32, vp, i64, vp)
    _declare(f"blockwise_reduce_{suffix}", i32, i32, vp, i64, vp)
    _declare(f"blockwise_reduce_axis_{suffix}", i32, i32, vp, vp, i64, i64, vp, i64)
    _declare(f"blockwise_spline_create_{suffix}", i32, vp, i64, vp, i64, vp, i64, handle_out)
    _declare(f"blockwise_spline_ev_{suffix}", i32, vp, vp, vp, i64, vp, i64)
    _declare(f"blockwise_spline_grid_{suffix}", i32, vp, vp, i64, vp, i64, vp, i64)
    _declare(f"blockwise_spline_sum_exp_{suffix}", i32, vp, vp, vp, i64, vp)
    _declare(f"blockwise_stack_create_{suffix}", i32, vp, i64, vp, i64, vp, i64, i64, handle_out)
    _declare(f"blockwise_stack_ev_{suffix}", i32, vp, vp, vp, i64, vp, i64)
    _declare(f"blockwise_stack_sum_exp_{suffix}", i32, vp, vp, vp, i64, vp)
    _declare(f"blockwise_stack_sum_exp_per_spline_{suffix}", i32, vp, vp, vp, i64, vp, i64)
    _declare(f"blockwise_bspline_create_{suffix}", i32, vp, i64, vp, i64, vp, i64, i32, i32, handle_out)
    _declare(f"blockwise_bspline_ev_{suffix}", i32, vp, vp, vp, i64, i32, i32, vp, i64)
    _declare(f"blockwise_bspline_grid_{suffix}", i32, vp, vp, i64, vp, i64, vp, i64)
    _declare(f"blockwise_bspline_sum_exp_{suffix}", i32, vp, vp, vp, i64, vp)
    _declare(f"blockwise_bspline_stack_create_{suffix}", i32, vp, i64, vp, i64, vp, i64, i64, i32, i32, handle_out)
    _declare(f"blockwise_bspline_stack_ev_{suffix}", i32, vp, vp, vp, i64, vp, i64)
    _declare(f"blockwise_bspline_stack_sum_exp_{suffix}", i32, vp, vp, vp, i64, vp)
    _declare(f"blockwise_bspline_stack_sum_exp_per_spline_{suffix}", i32, vp, vp, vp, i64, vp, i64)
    _declare(f"blockwise_partials_{suffix}", i32, i32, vp, i64, vp, i64)
    _declare(f"blockwise_stack_partials_{suffix}", i32, vp, vp, vp, i64, vp, i64)
    _declare(f"blockwise_expression_evaluate_{suffix}", i32, vp, vp, vp, i64, vp, i64)
    _declare(f"blockwise_expression_reduce_{suffix}", i32, vp, i32, vp, vp, i64, vp)
_declare("blockwise_spline_free", None, vp)
_declare("blockwise_bspline_free", None, vp)
_declare("blockwise_partials_total", i32, i32, vp, i64, vp)
_declare("blockwise_reduction_leaf", i64)
_declare("blockwise_reduction_name", ctypes.c_char_p, i32)
_declare("blockwise_expression_outer_reduction", i32, ctypes.c_char_p, ctypes.c_char_p, i64,
         ctypes.POINTER(i64), ctypes.POINTER(i64))
_declare("blockwise_stack_sum_exp_leaf", i64, i32)
_declare("blockwise_bspline_stack_free", None, vp)
_declare("blockwise_bspline_knot_count", i64, vp, i32)
_declare("blockwise_bspline_knots", i32, vp, i32, vp, i64)
_declare("blockwise_bspline_coefficient_count", i64, vp)
_declare("blockwise_bspline_coefficients", i32, vp, vp, i64)
_declare("blockwise_bspline_integral", i32, vp, ctypes.c_double, ctypes.c_double, ctypes.c_double, ctypes.c_double, vp)
_declare("blockwise_stack_free", None, vp)
_declare("blockwise_expression_create", i32, ctypes.c_char_p, i32, handle_out)
_declare("blockwise_expression_free", None, vp)
_declare("blockwise_expression_variable_count", i64, vp)
_declare("blockwise_expression_variable_name", ctypes.c_char_p, vp, i64)

# blockwise_reduction in blockwise.h.
REDUCTIONS = {"sum": 0, "min": 1, "max": 2, "sum_exp": 3, "logsumexp": 4}

STATUS = {
    1: "invalid argument",
    2: "shape mismatch",
    3: "expression error",
    4: "empty input",
    5: "out of memory",
    99: "internal error",
}


class BlockwiseError(ValueError):
    """An error Blockwise reported: its message names what was expected and
    what came in. A ValueError, so code written for scipy's and numpy's
    argument errors catches it. `status` is the C ABI's code."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def check(status, names=None):
    """Raises BlockwiseError with the library's message for a failed call.
    `names` maps the C ABI's argument names to the caller's, where they
    differ (the message then names the argument the caller passed)."""
    if status != 0:
        message = lib.blockwise_last_error().decode("utf-8", "replace")
        for c_name, py_name in (names or {}).items():
            message = re.sub(rf"\b{re.escape(c_name)}\b", py_name, message)
        if status == 5:
            raise MemoryError(message)
        raise BlockwiseError(message, status)


def suffix(dtype):
    return "f32" if dtype == np.float32 else "f64"


def address(a):
    """The data address of a C-contiguous array (None for an empty one)."""
    return a.ctypes.data if a.size else None


def function(name, dtype):
    return getattr(lib, f"{name}_{suffix(dtype)}")
