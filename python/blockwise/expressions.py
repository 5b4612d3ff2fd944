"""numexpr-style expressions: `evaluate("exp(-x*x/2) * cos(3*y)", x=x, y=y)`."""
import ast
import builtins
import ctypes
import sys
from functools import lru_cache

import numpy as np

from . import _lib
from ._arrays import contiguous, float_dtype, output

# Reductions written around the whole expression, as numexpr's
# "sum(expr)" (numexpr also has prod, which Blockwise does not).
_REDUCTIONS = _lib.REDUCTIONS


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


def _caller_frame_names(depth, local_dict, global_dict):
    """numexpr's name lookup: local_dict, else the caller's locals; then
    global_dict, else the caller's globals."""
    frame = sys._getframe(depth)
    names = dict(frame.f_globals if global_dict is None else global_dict)
    names.update(frame.f_locals if local_dict is None else local_dict)
    return names


# numexpr's kinds, narrowest first: a result takes the widest of its operands.
_BOOL, _INT, _LONG, _FLOAT, _DOUBLE = range(5)
_RESULT_DTYPES = [np.dtype(np.bool_), np.dtype(np.int32), np.dtype(np.int64), np.dtype(np.float32),
                  np.dtype(np.float64)]
_PREDICATES = {"isnan", "isfinite", "isinf", "signbit"}
_SAME_KIND = {"where"}  # numexpr computes every other function of integers in double


def _value_kind(value):
    """The kind numexpr gives a variable's value (Python scalars as numpy's
    np.asarray types them: int64 and float64)."""
    dt = np.asarray(value).dtype
    if dt == np.bool_:
        return _BOOL
    if dt.kind in "iu":
        return _INT if dt.itemsize <= 4 and dt.kind == "i" else _LONG
    if dt == np.float32 or dt.kind == "f" and dt.itemsize <= 4:
        return _FLOAT
    return _DOUBLE


def _kind(node, values):
    """numexpr's result kind of an expression (its Python AST), or None when
    the tree is not one this inference knows (the caller then keeps the
    float rule)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return _BOOL
        if isinstance(node.value, int):
            return _INT if -2**31 <= node.value < 2**31 else _LONG
        return _DOUBLE
    if isinstance(node, ast.Name):
        if node.id in ("True", "False"):
            return _BOOL
        return _value_kind(values[node.id]) if node.id in values else None
    if isinstance(node, ast.UnaryOp):
        k = _kind(node.operand, values)
        if isinstance(node.op, ast.Invert):
            return _BOOL
        return None if k is None else builtins.max(k, _INT)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            return _BOOL
        a, b = _kind(node.left, values), _kind(node.right, values)
        if a is None or b is None:
            return None
        k = builtins.max(a, b, _INT)
        if isinstance(node.op, ast.Div) and k <= _LONG:
            return _DOUBLE  # true division of integers
        return k
    if isinstance(node, (ast.Compare, ast.BoolOp)):
        return _BOOL
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in _PREDICATES:
            return _BOOL
        args = node.args[1:] if name == "where" else node.args
        kinds = [_kind(a, values) for a in args]
        if not kinds or any(k is None for k in kinds):
            return None
        k = builtins.max(kinds)
        if name in _SAME_KIND:
            return builtins.max(k, _INT) if name != "where" or k > _BOOL else k
        return _DOUBLE if k <= _LONG else k  # transcendental functions of integers are double
    return None


def _outer_reduction(ex):
    """("sum", inner source) for an expression that is one call of a
    reduction around the whole of it, else (None, ex). Asks the library's
    expression tokenizer (blockwise_expression_outer_reduction), so
    "sum(a) + sum(b)" is no reduction, exactly as the parser sees it."""
    raw = ex.encode("utf-8")
    name = ctypes.create_string_buffer(32)
    start, end = ctypes.c_int64(), ctypes.c_int64()
    if not _lib.lib.blockwise_expression_outer_reduction(raw, name, len(name), ctypes.byref(start),
                                                           ctypes.byref(end)):
        return None, ex
    return name.value.decode(), raw[start.value:end.value].decode("utf-8")


def evaluate(ex, local_dict=None, global_dict=None, out=None, **arrays):
    """Evaluates `ex` (numexpr's syntax) over arrays, on every core, in one
    pass with no temporaries, as `numexpr.evaluate(ex, local_dict,
    global_dict, out)`.

    Names come from the keyword arguments, else `local_dict` (default: the
    caller's locals), then `global_dict` (default: the caller's globals), as
    numexpr looks them up. Python ints and floats, and 0-d arrays, are
    scalars; inputs of different shapes broadcast (one copy each). The
    result has the dtype numexpr would give: float32 where every operand is
    float32 or an integer literal, float64 where a float64 array, a Python
    float or a float literal takes part (or a function of integers), bool
    for comparisons, int32/int64 for integer arithmetic (computed in
    float64: exact while |values| < 2^53). A reduction around the whole
    expression, `sum(...)`, `min(...)`, `max(...)` (numexpr's) or
    `sum_exp(...)`, `logsumexp(...)`, returns a float computed without
    storing the values.

    >>> blockwise.evaluate("exp(-x*x/2) * cos(3*y)", x=x, y=y)
    >>> blockwise.evaluate("sum(x * y)", x=x, y=y)
    """
    if not isinstance(ex, str):
        raise ValueError(f"ex: expected an expression string, got {type(ex).__name__}")
    reduction, ex = _outer_reduction(ex)
    if reduction == "prod":
        raise ValueError("prod(...): Blockwise reduces with sum, min, max, sum_exp and logsumexp, not prod")
    if not arrays:
        arrays = _caller_frame_names(2, local_dict, global_dict)
    # The variables the expression reads (from the library's parser), and
    # numexpr's kinds for the result and for the arithmetic.
    names = _compiled(ex, np.dtype(np.float64)).variables
    values = {v: arrays[v] for v in names if v in arrays}
    try:
        tree = ast.parse(ex.strip(), mode="eval").body
    except SyntaxError:
        tree = None
    kind = _kind(tree, values) if tree is not None else None
    if kind is None:
        given = [a for a in values.values() if np.ndim(a) > 0]
        dtype = float_dtype(*given) if given else np.dtype(np.float64)
        result_dtype = dtype
    else:
        # Arithmetic in float32 only where every leaf (arrays, scalars and
        # literals) is float32 or narrower, as numexpr's would be.
        leaves = [_kind(n, values) for n in ast.walk(tree) if isinstance(n, (ast.Constant, ast.Name))]
        dtype = np.dtype(np.float32) if builtins.max(k for k in leaves if k is not None) == _FLOAT else np.dtype(np.float64)
        result_dtype = _RESULT_DTYPES[kind]
    compiled = _compiled(ex, dtype)
    if reduction:
        if out is not None:
            raise ValueError("out: a reduction returns a float; out applies to elementwise expressions")
        return compiled.reduce(reduction, arrays)
    if result_dtype == dtype:
        return compiled.evaluate(arrays, out)
    values_out = compiled.evaluate(arrays)
    converted = values_out != 0 if result_dtype == np.bool_ else values_out.astype(result_dtype)
    if out is None:
        return converted
    target = output(converted.shape, result_dtype, out)
    target[...] = converted
    return target
