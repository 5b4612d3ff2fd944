"""Bilinear splines and stacks of them, in scipy's terms."""
import ctypes
import hashlib

import numpy as np

from . import _lib
from ._arrays import contiguous, float_dtype, output
from ._kept import Kept


def _points(spline_dtype, xi, yi, broadcast=True):
    """xi, yi flat and contiguous, in the dtype the call runs in: float32
    only when the spline and both point arrays are. With broadcast=True
    (evaluation, as scipy's ev) they broadcast together; reductions over
    point pairs (broadcast=False) need one xi per yi, so arrays of
    different shapes are an error rather than a silent broadcast."""
    xa, ya = np.asarray(xi), np.asarray(yi)
    if not broadcast and xa.shape != ya.shape:
        raise ValueError(f"xi and yi: expected the same shape (one xi per yi), got {xa.shape} and {ya.shape}")
    try:
        bx, by = np.broadcast_arrays(xa, ya)
    except ValueError:
        raise ValueError(f"xi and yi: expected shapes that broadcast together, got {xa.shape} and {ya.shape}") from None
    dt = np.dtype(np.float32) if spline_dtype == np.float32 and float_dtype(xa, ya) == np.float32 else np.dtype(np.float64)
    # Same-shape contiguous inputs stay views of the caller's memory.
    px, py = contiguous(bx, dt, "xi").reshape(-1), contiguous(by, dt, "yi").reshape(-1)
    return px, py, bx.shape, dt


def _no_derivatives(dx, dy):
    if dx or dy:
        raise ValueError(f"dx, dy: blockwise evaluates values only (dx=0, dy=0), got dx={dx}, dy={dy}")


class _Handle:
    """Owns a C handle and the inputs it was made from (for pickling).

    The objects are immutable, so their inputs' digest names them: Dask's
    tokenize reads it (`__dask_tokenize__`, computed once, instead of
    hashing the coefficients on every graph built), and unpickling reuses
    an object this process already restored from the same inputs (a Dask
    worker gets the spline with every graph that uses it; the last
    `_RESTORED_KEPT` restored objects are kept, so the C object is not
    rebuilt each time)."""

    _free = None

    def __del__(self):
        h = getattr(self, "_handle", None)
        if h:
            type(self)._free(h)
            self._handle = None

    def _digest(self):
        d = getattr(self, "_digest_value", None)
        if d is None:
            h = hashlib.blake2b(type(self).__qualname__.encode(), digest_size=20)
            for a in self._inputs:
                if isinstance(a, np.ndarray):
                    h.update(f"{a.dtype.str}{a.shape}".encode())
                    h.update(np.ascontiguousarray(a).view(np.uint8).reshape(-1))
                else:
                    h.update(repr(a).encode())
            d = self._digest_value = h.hexdigest()
        return d

    def __dask_tokenize__(self):
        return (type(self).__qualname__, self._digest())

    def __reduce__(self):
        return (_restore, (type(self), self._inputs, self._digest()))


# Objects restored by unpickling in this process, most recent last.
_RESTORED_KEPT = 4
_restored = Kept(_RESTORED_KEPT)


def _restore(cls, inputs, digest):
    key = (cls, digest)
    obj = _restored.recent(key)
    if obj is None:
        obj = cls(*inputs)
        obj._digest_value = digest
        _restored.keep_value(key, obj)
    return obj


class _SplineCalls:
    """The calls every single spline offers (bilinear and smooth), written
    once; `_prefix` names the spline's C functions."""

    _prefix = None

    def sum_exp(self, xi, yi):
        """sum(exp(self.ev(xi, yi))), fused: no array of values is made."""
        px, py, _, dt = _points(self.dtype, xi, yi, broadcast=False)
        r = (ctypes.c_float if dt == np.float32 else ctypes.c_double)()
        _lib.check(_lib.function(f"{self._prefix}_sum_exp", dt)(
            self._handle, _lib.address(px), _lib.address(py), px.size, ctypes.byref(r)))
        return float(r.value)


class BilinearSpline(_SplineCalls, _Handle):
    """A bilinear spline through z on the grid x by y: scipy's
    `RectBivariateSpline(x, y, z, kx=1, ky=1)`, evaluated on every core.

    x, y: strictly increasing knots (at least 2 each); z: shape
    (len(x), len(y)). float32 when all three are float32 arrays, else
    float64. Points outside the grid take the value at the nearest point of
    its edge, as scipy's.
    """

    _free = staticmethod(_lib.lib.blockwise_spline_free)
    _prefix = "blockwise_spline"

    def __init__(self, x, y, z):
        dt = float_dtype(x, y, z)
        x, y, z = (contiguous(a, dt, n) for a, n in ((x, "x"), (y, "y"), (z, "z")))
        if x.ndim != 1 or y.ndim != 1:
            raise ValueError(f"x and y: expected 1-D knots, got shapes {x.shape} and {y.shape}")
        if z.shape != (x.size, y.size):
            raise ValueError(f"z: expected shape {(x.size, y.size)} (len(x), len(y)), got {z.shape}")
        handle = ctypes.c_void_p()
        _lib.check(_lib.function("blockwise_spline_create", dt)(
            _lib.address(x), x.size, _lib.address(y), y.size, _lib.address(z), z.size, ctypes.byref(handle)))
        self._handle = handle.value
        self.dtype = dt
        # Copies, so that pickling gives this spline even if the caller's
        # arrays change later.
        self._inputs = (x.copy(), y.copy(), z.copy())

    def ev(self, xi, yi, dx=0, dy=0):
        """The spline at the points (xi[i], yi[i]), as scipy's `ev`:
        xi and yi broadcast together; the result has their shape."""
        _no_derivatives(dx, dy)
        px, py, shape, dt = _points(self.dtype, xi, yi)
        out = np.empty(px.size, dtype=dt)
        _lib.check(_lib.function("blockwise_spline_ev", dt)(
            self._handle, _lib.address(px), _lib.address(py), px.size, _lib.address(out), out.size))
        return out.reshape(shape)

    def __call__(self, x, y, dx=0, dy=0, grid=True):
        """With grid=True, the spline on the grid x by y (shape
        (len(x), len(y))), as scipy's `__call__`; with grid=False, `ev`."""
        if not grid:
            return self.ev(x, y, dx, dy)
        _no_derivatives(dx, dy)
        gx, gy = np.atleast_1d(np.asarray(x)), np.atleast_1d(np.asarray(y))
        if gx.ndim != 1 or gy.ndim != 1:
            raise ValueError(f"x and y: expected 1-D arrays with grid=True, got shapes {gx.shape} and {gy.shape}")
        dt = np.dtype(np.float32) if self.dtype == np.float32 and float_dtype(gx, gy) == np.float32 else np.dtype(np.float64)
        gx, gy = contiguous(gx, dt, "x"), contiguous(gy, dt, "y")
        out = np.empty((gx.size, gy.size), dtype=dt)
        _lib.check(_lib.function("blockwise_spline_grid", dt)(
            self._handle, _lib.address(gx), gx.size, _lib.address(gy), gy.size, _lib.address(out), out.size))
        return out



class _StackCalls:
    """The calls every stack offers (bilinear and smooth), written once;
    `_prefix` names the stack's C functions."""

    _prefix = None

    def __len__(self):
        return self.count

    def ev(self, xi, yi):
        """Every spline at the points: shape (n,) + the points' shape."""
        px, py, shape, dt = _points(self.dtype, xi, yi)
        out = np.empty((self.count, px.size), dtype=dt)
        _lib.check(_lib.function(f"{self._prefix}_ev", dt)(
            self._handle, _lib.address(px), _lib.address(py), px.size, _lib.address(out), out.size))
        return out.reshape((self.count,) + shape)

    def sum_exp(self, xi, yi):
        """sum over splines and points of exp(f_k(xi, yi)), fused, in double;
        identical for any thread count."""
        px, py, _, dt = _points(self.dtype, xi, yi, broadcast=False)
        r = (ctypes.c_float if dt == np.float32 else ctypes.c_double)()
        _lib.check(_lib.function(f"{self._prefix}_sum_exp", dt)(
            self._handle, _lib.address(px), _lib.address(py), px.size, ctypes.byref(r)))
        return float(r.value)

    def sum_exp_per_spline(self, xi, yi):
        """For each spline k, sum over points of exp(f_k(xi, yi)): shape (n,)."""
        px, py, _, dt = _points(self.dtype, xi, yi, broadcast=False)
        out = np.empty(self.count, dtype=dt)
        _lib.check(_lib.function(f"{self._prefix}_sum_exp_per_spline", dt)(
            self._handle, _lib.address(px), _lib.address(py), px.size, _lib.address(out), out.size))
        return out


class BilinearSplineStack(_StackCalls, _Handle):
    """n bilinear splines on one grid, evaluated together: z3 has shape
    (n, len(x), len(y)); spline k is `RectBivariateSpline(x, y, z3[k],
    kx=1, ky=1)`. The point lookup is shared by all n splines.
    """

    _free = staticmethod(_lib.lib.blockwise_stack_free)
    _prefix = "blockwise_stack"

    def __init__(self, x, y, z3):
        dt = float_dtype(x, y, z3)
        x, y, z3 = (contiguous(a, dt, n) for a, n in ((x, "x"), (y, "y"), (z3, "z3")))
        if x.ndim != 1 or y.ndim != 1:
            raise ValueError(f"x and y: expected 1-D knots, got shapes {x.shape} and {y.shape}")
        if z3.ndim != 3 or z3.shape[1:] != (x.size, y.size):
            raise ValueError(f"z3: expected shape (n, {x.size}, {y.size}) (n, len(x), len(y)), got {z3.shape}")
        handle = ctypes.c_void_p()
        _lib.check(_lib.function("blockwise_stack_create", dt)(
            _lib.address(x), x.size, _lib.address(y), y.size, _lib.address(z3), z3.size, z3.shape[0],
            ctypes.byref(handle)), names={"z": "z3"})
        self._handle = handle.value
        self.dtype = dt
        self.count = z3.shape[0]
        self._inputs = (x.copy(), y.copy(), z3.copy())
