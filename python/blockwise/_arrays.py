"""Array arguments: C-contiguous float64/float32 arrays pass straight to
the library (their own memory, no copy); anything else is converted once
with numpy (`np.asarray(a, dtype, order="C")`)."""
import numpy as np

FLOATS = (np.float64, np.float32)


def float_dtype(*arrays):
    """float32 when every argument is a float32 array, else float64 (as
    numpy promotes float32 with anything wider, and integers to float64)."""
    if arrays and all(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in arrays):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def contiguous(a, dtype, name):
    """`a` as a C-contiguous array of `dtype`: `a` itself when it already is
    one (the library reads its memory), else one converted copy."""
    kind = a.dtype.kind if isinstance(a, np.ndarray) else np.asarray(a).dtype.kind
    if kind not in "fiub":
        raise ValueError(f"{name}: expected real numbers (float, int or bool), got dtype "
                         f"{a.dtype if isinstance(a, np.ndarray) else np.asarray(a).dtype}")
    try:
        out = np.asarray(a, dtype=dtype, order="C")  # (ascontiguousarray would make 0-d arrays 1-d)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name}: expected an array of numbers, got {type(a).__name__}: {e}") from None
    return out


def output(shape, dtype, out, name="out"):
    """A result array: `out` itself when it is a C-contiguous, writable array
    of the right shape and dtype (written in place), else a new one."""
    if out is None:
        return np.empty(shape, dtype=dtype)
    if not isinstance(out, np.ndarray):
        raise ValueError(f"{name}: expected a numpy array, got {type(out).__name__}")
    if out.shape != tuple(shape) or out.dtype != dtype:
        raise ValueError(f"{name}: expected shape {tuple(shape)} and dtype {np.dtype(dtype)}, got {out.shape} and {out.dtype}")
    if not (out.flags.c_contiguous and out.flags.writeable):
        raise ValueError(f"{name}: expected a C-contiguous, writable array")
    return out
