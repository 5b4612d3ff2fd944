"""Smooth splines in scipy's shape: RectBivariateSpline (interpolating,
s = 0, degrees 1 to 5 on each axis) and RectBivariateSplineStack (many of
them on one grid, evaluated and exp-summed together).

Knots and coefficients are scipy's (FITPACK's knot placement, the same
banded fit); values, derivatives and integrals agree with
`scipy.interpolate.RectBivariateSpline` to 1e-12 relative on the same data.
Points outside the grid are clamped to it, as scipy's evaluation does.
float32 data (all of x, y, z float32) gives a float32 spline whose
evaluations on float32 points are float32.
"""
import ctypes

import numpy as np

from . import _lib
from ._arrays import contiguous, float_dtype
from .splines import _Handle, _points, _SplineCalls, _StackCalls


def _grid_inputs(x, y, z, kx, ky, layered):
    dt = float_dtype(x, y, z)
    x, y, z = (contiguous(a, dt, n) for a, n in ((x, "x"), (y, "y"), (z, "z3" if layered else "z")))
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(f"x and y: expected 1-D knots, got shapes {x.shape} and {y.shape}")
    for name, k in (("kx", kx), ("ky", ky)):
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= 5:
            raise ValueError(f"{name}: expected a degree from 1 to 5, got {k!r}")
    if layered:
        if z.ndim != 3 or z.shape[1:] != (x.size, y.size):
            raise ValueError(f"z3: expected shape (n, {x.size}, {y.size}) (n, len(x), len(y)), got {z.shape}")
    elif z.shape != (x.size, y.size):
        raise ValueError(f"z: expected shape {(x.size, y.size)} (len(x), len(y)), got {z.shape}")
    for name, a, k in (("x", x, kx), ("y", y, ky)):
        if a.size < k + 1:
            raise ValueError(f"{name}: expected at least {k + 1} points for degree {k}, got {a.size}")
    return dt, x, y, z


def _derivative_orders(dx, dy, kx, ky):
    for name, d, k in (("dx", dx, kx), ("dy", dy, ky)):
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 0 <= d <= k:
            raise ValueError(f"{name}: expected a derivative order from 0 to {k}, got {d!r}")
    return int(dx), int(dy)


class RectBivariateSpline(_SplineCalls, _Handle):
    """scipy's `RectBivariateSpline(x, y, z, kx=3, ky=3)` (s = 0), evaluated
    on every core.

    >>> s = blockwise.RectBivariateSpline(x, y, z)       # bicubic
    >>> s.ev(xi, yi), s(x2, y2), s.ev(xi, yi, dx=1)      # values, grid, derivative
    >>> s.integral(0, 1, 0, 2), s.get_knots(), s.get_coeffs()
    """

    _free = staticmethod(_lib.lib.blockwise_bspline_free)
    _prefix = "blockwise_bspline"

    def __init__(self, x, y, z, kx=3, ky=3):
        dt, x, y, z = _grid_inputs(x, y, z, kx, ky, layered=False)
        handle = ctypes.c_void_p()
        _lib.check(_lib.function("blockwise_bspline_create", dt)(
            _lib.address(x), x.size, _lib.address(y), y.size, _lib.address(z), z.size, int(kx), int(ky),
            ctypes.byref(handle)))
        self._handle = handle.value
        self.dtype = dt
        self.degrees = (int(kx), int(ky))
        self._inputs = (x.copy(), y.copy(), z.copy(), int(kx), int(ky))

    def ev(self, xi, yi, dx=0, dy=0):
        """The spline (or its (dx, dy) partial derivative) at the points
        (xi[i], yi[i]); xi and yi broadcast together, as scipy's `ev`."""
        dx, dy = _derivative_orders(dx, dy, *self.degrees)
        px, py, shape, dt = _points(self.dtype, xi, yi)
        out = np.empty(px.size, dtype=dt)
        _lib.check(_lib.function("blockwise_bspline_ev", dt)(
            self._handle, _lib.address(px), _lib.address(py), px.size, dx, dy, _lib.address(out), out.size))
        return out.reshape(shape)

    def __call__(self, x, y, dx=0, dy=0, grid=True):
        """With grid=True the spline on the grid x by y (shape (len(x),
        len(y)); x and y increasing, as scipy requires), else `ev`."""
        if not grid:
            return self.ev(x, y, dx, dy)
        dx, dy = _derivative_orders(dx, dy, *self.degrees)
        gx, gy = np.atleast_1d(np.asarray(x)), np.atleast_1d(np.asarray(y))
        if gx.ndim != 1 or gy.ndim != 1:
            raise ValueError(f"x and y: expected 1-D arrays with grid=True, got shapes {gx.shape} and {gy.shape}")
        for name, g in (("x", gx), ("y", gy)):
            if g.size >= 2 and not np.all(np.diff(g) >= 0):
                raise ValueError(f"{name}: expected increasing values with grid=True")
        if dx or dy:
            mx, my = np.meshgrid(gx, gy, indexing="ij")
            return self.ev(mx, my, dx, dy)
        dt = np.dtype(np.float32) if self.dtype == np.float32 and float_dtype(gx, gy) == np.float32 else np.dtype(np.float64)
        gx, gy = contiguous(gx, dt, "x"), contiguous(gy, dt, "y")
        out = np.empty((gx.size, gy.size), dtype=dt)
        _lib.check(_lib.function("blockwise_bspline_grid", dt)(
            self._handle, _lib.address(gx), gx.size, _lib.address(gy), gy.size, _lib.address(out), out.size))
        return out

    def integral(self, xa, xb, ya, yb):
        """The integral over [xa, xb] x [ya, yb], clamped to the grid, as
        scipy's (swapped bounds change the sign; equal bounds give 0)."""
        bounds = []
        for name, v in (("xa", xa), ("xb", xb), ("ya", ya), ("yb", yb)):
            try:
                v = float(v)
            except (TypeError, ValueError):
                raise ValueError(f"{name}: expected a number, got {type(v).__name__}") from None
            if not np.isfinite(v):
                raise ValueError(f"{name}: expected a finite bound, got {v}")
            bounds.append(v)
        xa, xb, ya, yb = bounds
        if xa == xb or ya == yb:
            return 0.0
        sign = (1.0 if xa < xb else -1.0) * (1.0 if ya < yb else -1.0)
        r = ctypes.c_double()
        _lib.check(_lib.lib.blockwise_bspline_integral(self._handle, min(xa, xb), max(xa, xb), min(ya, yb),
                                                       max(ya, yb), ctypes.byref(r)))
        return sign * r.value

    def get_knots(self):
        """(tx, ty): the knots, as scipy's."""
        out = []
        for axis in (0, 1):
            n = _lib.lib.blockwise_bspline_knot_count(self._handle, axis)
            t = np.empty(n)
            _lib.check(_lib.lib.blockwise_bspline_knots(self._handle, axis, _lib.address(t), n))
            out.append(t)
        return tuple(out)

    def get_coeffs(self):
        """The B-spline coefficients, x-major, as scipy's."""
        n = _lib.lib.blockwise_bspline_coefficient_count(self._handle)
        c = np.empty(n)
        _lib.check(_lib.lib.blockwise_bspline_coefficients(self._handle, _lib.address(c), n))
        return c

    def partial_derivative(self, dx, dy):
        """The (dx, dy) partial derivative as a spline-like object with
        `ev`, `__call__`, `get_knots`, `get_coeffs` and `degrees` (the
        derivative of a degree-k spline is a degree k - d spline on the
        inner knots, as scipy's)."""
        dx, dy = _derivative_orders(dx, dy, *self.degrees)
        return _PartialDerivative(self, dx, dy)



class _PartialDerivative:
    """A derivative of a RectBivariateSpline: evaluated by the library from
    the parent's coefficients; its own knots and coefficients (scipy's
    `partial_derivative`) from the B-spline derivative formula."""

    def __init__(self, parent, dx, dy):
        self._parent, self._dx, self._dy = parent, dx, dy
        kx, ky = parent.degrees
        self.degrees = (kx - dx, ky - dy)

    def ev(self, xi, yi, dx=0, dy=0):
        return self._parent.ev(xi, yi, self._dx + dx, self._dy + dy)

    def __call__(self, x, y, dx=0, dy=0, grid=True):
        return self._parent(x, y, self._dx + dx, self._dy + dy, grid=grid)

    def get_knots(self):
        tx, ty = self._parent.get_knots()
        return tx[self._dx:len(tx) - self._dx], ty[self._dy:len(ty) - self._dy]

    def get_coeffs(self):
        tx, ty = self._parent.get_knots()
        kx, ky = self._parent.degrees
        c = self._parent.get_coeffs().reshape(len(tx) - kx - 1, len(ty) - ky - 1)
        for _ in range(self._dx):
            c = kx * np.diff(c, axis=0) / (tx[kx + 1:kx + c.shape[0]] - tx[1:c.shape[0]])[:, None]
            tx, kx = tx[1:-1], kx - 1
        for _ in range(self._dy):
            c = ky * np.diff(c, axis=1) / (ty[ky + 1:ky + c.shape[1]] - ty[1:c.shape[1]])[None, :]
            ty, ky = ty[1:-1], ky - 1
        return c.ravel()


class RectBivariateSplineStack(_StackCalls, _Handle):
    """n smooth splines on one grid: z3 has shape (n, len(x), len(y)) and
    spline k is `RectBivariateSpline(x, y, z3[k], kx, ky)`. One point
    lookup and one set of basis weights serve all n; `sum_exp` takes the
    points of a leaf in cell order (coefficient windows stay in cache).
    """

    _free = staticmethod(_lib.lib.blockwise_bspline_stack_free)
    _prefix = "blockwise_bspline_stack"

    def __init__(self, x, y, z3, kx=3, ky=3):
        dt, x, y, z3 = _grid_inputs(x, y, z3, kx, ky, layered=True)
        handle = ctypes.c_void_p()
        _lib.check(_lib.function("blockwise_bspline_stack_create", dt)(
            _lib.address(x), x.size, _lib.address(y), y.size, _lib.address(z3), z3.size, z3.shape[0], int(kx),
            int(ky), ctypes.byref(handle)), names={"z": "z3"})
        self._handle = handle.value
        self.dtype = dt
        self.degrees = (int(kx), int(ky))
        self.count = z3.shape[0]
        self._inputs = (x.copy(), y.copy(), z3.copy(), int(kx), int(ky))
