"""numexpr-style expressions: `evaluate("exp(-x*x/2) * cos(3*y)", x=x, y=y)`."""
import ctypes
import re
import sys
from functools import lru_cache

import numpy as np

from . import _lib
from ._arrays import contiguous, float_dtype, output

# Reductions written around the whole expression, as numexpr's
# "sum(expr)" (numexpr also has prod, which Blockwise does not).
_REDUCTIONS = {"sum": 0, "min": 1, "max": 2, "sum_exp": 3, "logsumexp": 4}
_OUTER = re.compile(r"^\s*(sum|min|max|sum_exp|logsumexp|prod)\s*\((.*)\)\s*$", re.S)


class Expression:
    """A compiled expression for float64 or float32 arrays (the C handle)."""

    def __init__(self, source, dtype):
        handle = ctypes.c_void_p()
        _lib.check(_lib.lib.blockwise_expression_create(
            source.encode("utf-8"), 1 if dtype == np.float32 else 0, ctypes.byref(handle)))
        self._handle = handle.value
        self.source = source
        self.dtype = np.dtype(dtype)
        n = _lib.lib.blockwise_expression_variable_count(self._handle)
        self.variables = tuple(_lib.lib.blockwise_expression_variable_name(self._handle, i).decode() for i in range(n))

    # The free function is bound here: at interpreter exit module globals
    # may already be gone when the last expressions are collected.
    def __del__(self, _free=_lib.lib.blockwise_expression_free):
        if getattr(self, "_handle", None):
            _free(self._handle)
            self._handle = None

    def __reduce__(self):
        return (Expression, (self.source, self.dtype))

    def _bind(self, arrays):
        """The inputs in the expression's variable order: arrays of the
        common shape (broadcast if needed, one copy) and 0-d scalars."""
        missing = [v for v in self.variables if v not in arrays]
        if missing:
            raise ValueError(f"expression {self.source!r} reads {', '.join(missing)}, which was not given")
        values = [contiguous(arrays[v], self.dtype, v) for v in self.variables]
        shapes = [a.shape for a in values if a.ndim > 0]
        try:
            shape = np.broadcast_shapes(*shapes) if shapes else ()
        except ValueError:
            # Name the first variable whose shape does not fit the ones before it.
            seen, owner = (), None
            for v, a in zip(self.variables, values):
                try:
                    seen = np.broadcast_shapes(seen, a.shape)
                    owner = owner or (v if a.ndim else None)
                except ValueError:
                    raise ValueError(f"{v}: expected a shape that broadcasts with {seen} ({owner}'s) in "
                                     f"expression {self.source!r}, got {a.shape}") from None
            raise
        bound = []
        for v, a in zip(self.variables, values):
            if a.ndim > 0 and a.shape != shape:
                a = np.ascontiguousarray(np.broadcast_to(a, shape))
            bound.append(a)
        size = int(np.prod(shape)) if shape else 1
        pointers = (ctypes.c_void_p * max(len(bound), 1))(*[_lib.address(a) if a.size else None for a in bound])
        lengths = (ctypes.c_int64 * max(len(bound), 1))(*[1 if a.ndim == 0 else a.size for a in bound])
        return bound, pointers, lengths, shape, size

    def evaluate(self, arrays, out=None):
        bound, pointers, lengths, shape, size = self._bind(arrays)
        result = output(shape, self.dtype, out)
        _lib.check(_lib.function("blockwise_expression_evaluate", self.dtype)(
            self._handle, pointers, lengths, len(bound), _lib.address(result), result.size))
        return result

    def reduce(self, reduction, arrays):
        bound, pointers, lengths, _, _ = self._bind(arrays)
        r = (ctypes.c_float if self.dtype == np.float32 else ctypes.c_double)()
        _lib.check(_lib.function("blockwise_expression_reduce", self.dtype)(
            self._handle, _REDUCTIONS[reduction], pointers, lengths, len(bound), ctypes.byref(r)))
        return float(r.value)


@lru_cache(maxsize=256)
def _compiled(source, dtype):
    return Expression(source, dtype)


def _caller_arrays(depth):
    frame = sys._getframe(depth)
    names = dict(frame.f_globals)
    names.update(frame.f_locals)
    return names


def evaluate(ex, local_dict=None, out=None, **arrays):
    """Evaluates `ex` (numexpr's syntax) over arrays, on every core, in one
    pass with no temporaries, as `numexpr.evaluate`.

    Variables come from the keyword arguments, else `local_dict`, else the
    caller's variables (as numexpr). float32 when every array is float32,
    else float64 (other dtypes are converted once); inputs of different
    shapes broadcast (one copy each). A reduction around the whole
    expression, `sum(...)`, `min(...)`, `max(...)` (numexpr's) or
    `sum_exp(...)`, `logsumexp(...)`, returns a float computed without
    storing the values.

    >>> blockwise.evaluate("exp(-x*x/2) * cos(3*y)", x=x, y=y)
    >>> blockwise.evaluate("sum(x * y)", x=x, y=y)
    """
    if not isinstance(ex, str):
        raise ValueError(f"ex: expected an expression string, got {type(ex).__name__}")
    reduction = None
    m = _OUTER.match(ex)
    if m and _balanced(m.group(2)):
        reduction, ex = m.group(1), m.group(2)
        if reduction == "prod":
            raise ValueError("prod(...): Blockwise reduces with sum, min, max, sum_exp and logsumexp, not prod")
    if not arrays:
        arrays = local_dict if local_dict is not None else _caller_arrays(2)
    # The element type, from the arrays the expression reads (compiled once
    # per source and type, as numexpr caches).
    names = _compiled(ex, np.dtype(np.float64)).variables
    given = [arrays[v] for v in names if v in arrays and np.ndim(arrays[v]) > 0]
    dtype = float_dtype(*given) if given else np.dtype(np.float64)
    compiled = _compiled(ex, dtype)
    if reduction:
        if out is not None:
            raise ValueError("out: a reduction returns a float; out applies to elementwise expressions")
        return compiled.reduce(reduction, arrays)
    return compiled.evaluate(arrays, out)


def _balanced(inner):
    """Whether `inner` is one parenthesised argument (so "sum(a) + sum(b)"
    is not taken for a reduction of "a) + sum(b")."""
    depth = 0
    for c in inner:
        depth += c == "("
        depth -= c == ")"
        if depth < 0:
            return False
    return depth == 0
