import Blockwise
import CBlockwiseCHeader  // blockwise_status and the header's other types

// blockwise.h: tensor-product splines of degree 1 to 5 (scipy's
// RectBivariateSpline with s = 0) and stacks of them, behind opaque
// handles. A handle's element type is the one it was created with; points
// of the other type are converted once.

/// The degrees as the Swift API takes them (each 1 ... 5).
func degrees(_ kx: Int32, _ ky: Int32) throws -> (x: Int, y: Int) {
  for (name, k) in [("kx", kx), ("ky", ky)] where !(1...5).contains(k) {
    throw invalid(name, expected: "a degree from 1 to 5", got: "\(k)")
  }
  return (Int(kx), Int(ky))
}

func createBivariate<E: NDArrayScalar>(
  _ x: UnsafePointer<E>?, _ nx: Int64, _ y: UnsafePointer<E>?, _ ny: Int64, _ z: UnsafePointer<E>?, _ zLen: Int64,
  _ kx: Int32, _ ky: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status {
  guarded {
    let handle = try resultPointer(out, "spline")
    handle.pointee = nil
    let k = try degrees(kx, ky)
    let (xs, ys, zs) = try gridInputs(x, nx, y, ny, z, zLen, layers: nil)
    store(SplineHandle(try cNames { try BivariateSpline(x: xs, y: ys, values: zs, degree: k) }), into: handle)
  }
}

func createBivariateStack<E: NDArrayScalar>(
  _ x: UnsafePointer<E>?, _ nx: Int64, _ y: UnsafePointer<E>?, _ ny: Int64, _ z: UnsafePointer<E>?, _ zLen: Int64,
  _ count: Int64, _ kx: Int32, _ ky: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status {
  guarded {
    let handle = try resultPointer(out, "stack")
    handle.pointee = nil
    let k = try degrees(kx, ky)
    let (xs, ys, zs) = try gridInputs(x, nx, y, ny, z, zLen, layers: count)
    store(StackHandle(try cNames { try BivariateSplineStack(x: xs, y: ys, values: zs, degree: k) }), into: handle)
  }
}



/// Spline calls, float64 and float32 points.

/// out[i] = the (dx, dy) derivative of s at (xi[i], yi[i]) (scipy's ev; dx = dy = 0 for values);
/// out_len = n. C entry point `blockwise_bspline_ev_f64`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_ev_f64")
public func blockwise_bspline_ev_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64, _ dx: Int32,
  _ dy: Int32, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { splineEv(h, xi, yi, n, dx, dy, out, outLen) }

/// The float32 form of `blockwise_bspline_ev_f64`. C entry point `blockwise_bspline_ev_f32`,
/// declared in include/blockwise.h.
@_cdecl("blockwise_bspline_ev_f32")
public func blockwise_bspline_ev_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64, _ dx: Int32,
  _ dy: Int32, _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { splineEv(h, xi, yi, n, dx, dy, out, outLen) }

/// out[i * ngy + j] = s(gx[i], gy[j]) (scipy's __call__ with grid=True); out_len = ngx * ngy. C
/// entry point `blockwise_bspline_grid_f64`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_grid_f64")
public func blockwise_bspline_grid_f64(
  _ h: OpaquePointer?, _ gx: UnsafePointer<Double>?, _ ngx: Int64, _ gy: UnsafePointer<Double>?, _ ngy: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { splineGrid(h, gx, ngx, gy, ngy, out, outLen) }

/// The float32 form of `blockwise_bspline_grid_f64`. C entry point `blockwise_bspline_grid_f32`,
/// declared in include/blockwise.h.
@_cdecl("blockwise_bspline_grid_f32")
public func blockwise_bspline_grid_f32(
  _ h: OpaquePointer?, _ gx: UnsafePointer<Float>?, _ ngx: Int64, _ gy: UnsafePointer<Float>?, _ ngy: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { splineGrid(h, gx, ngx, gy, ngy, out, outLen) }

/// A spline through z (nx * ny values, row-major) on strictly increasing x (nx >= kx + 1) and y
/// (ny >= ky + 1), degrees kx, ky from 1 to 5, interpolating (scipy's RectBivariateSpline, s = 0).
/// C entry point `blockwise_bspline_create_f64`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_create_f64")
public func blockwise_bspline_create_f64(
  _ x: UnsafePointer<Double>?, _ nx: Int64, _ y: UnsafePointer<Double>?, _ ny: Int64, _ z: UnsafePointer<Double>?,
  _ zLen: Int64, _ kx: Int32, _ ky: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status { createBivariate(x, nx, y, ny, z, zLen, kx, ky, out) }

/// The float32 form of `blockwise_bspline_create_f64` (a spline that keeps float32 values). C entry
/// point `blockwise_bspline_create_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_create_f32")
public func blockwise_bspline_create_f32(
  _ x: UnsafePointer<Float>?, _ nx: Int64, _ y: UnsafePointer<Float>?, _ ny: Int64, _ z: UnsafePointer<Float>?,
  _ zLen: Int64, _ kx: Int32, _ ky: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status { createBivariate(x, nx, y, ny, z, zLen, kx, ky, out) }

/// Releases a spline (NULL is accepted). C entry point `blockwise_bspline_free`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_bspline_free")
public func blockwise_bspline_free(_ h: OpaquePointer?) { releaseHandle(h) }

/// 1 if the spline holds float32 values, 0 for float64 (-1 for NULL). C entry point
/// `blockwise_bspline_is_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_is_f32")
public func blockwise_bspline_is_f32(_ h: OpaquePointer?) -> Int32 { splineIsF32(h) }

/// The knot count of axis 0 (x) or 1 (y); -1 for a bad handle or axis. C entry point
/// `blockwise_bspline_knot_count`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_knot_count")
public func blockwise_bspline_knot_count(_ h: OpaquePointer?, _ axis: Int32) -> Int64 {
  guard let s = try? smoothObject(h), axis == 0 || axis == 1 else { return -1 }
  return Int64(axis == 0 ? s.knotsX.count : s.knotsY.count)
}

/// The knots of axis 0 (x) or 1 (y) (scipy's get_knots), as doubles; out_len = the knot count.
/// C entry point `blockwise_bspline_knots`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_knots")
public func blockwise_bspline_knots(
  _ h: OpaquePointer?, _ axis: Int32, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status {
  guarded {
    let s = try smoothObject(h)
    guard axis == 0 || axis == 1 else { throw invalid("axis", expected: "0 (x) or 1 (y)", got: "\(axis)") }
    let knots = axis == 0 ? s.knotsX : s.knotsY
    let o = try output(out, outLen, needed: knots.count, "out")
    for (k, v) in knots.enumerated() { o[k] = v }
  }
}

/// The coefficient count, (knots x - kx - 1) * (knots y - ky - 1); -1 for a bad handle. C entry
/// point `blockwise_bspline_coefficient_count`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_coefficient_count")
public func blockwise_bspline_coefficient_count(_ h: OpaquePointer?) -> Int64 {
  guard let s = try? smoothObject(h) else { return -1 }
  return Int64(s.coefficients.count)
}

/// The B-spline coefficients, x-major (scipy's get_coeffs), as doubles. C entry point
/// `blockwise_bspline_coefficients`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_coefficients")
public func blockwise_bspline_coefficients(_ h: OpaquePointer?, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64)
  -> blockwise_status
{
  guarded {
    let s = try smoothObject(h)
    let c = s.coefficients
    let o = try output(out, outLen, needed: c.count, "out")
    for (k, v) in c.enumerated() { o[k] = v }
  }
}

/// *result = the integral of s over [xa, xb] x [ya, yb] (each clamped to the grid; xa < xb and
/// ya < yb, finite). C entry point `blockwise_bspline_integral`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_integral")
public func blockwise_bspline_integral(
  _ h: OpaquePointer?, _ xa: Double, _ xb: Double, _ ya: Double, _ yb: Double, _ result: UnsafeMutablePointer<Double>?
) -> blockwise_status {
  guarded {
    let s = try smoothObject(h)
    let r = try resultPointer(result)
    for (name, a, b) in [("x", xa, xb), ("y", ya, yb)] where !(a < b) {
      throw invalid("\(name) bounds", expected: "finite lower < upper", got: "\(a), \(b)")
    }
    r.pointee = try s.integral(xa, xb, ya, yb)
  }
}


/// *result = sum_i exp(s(xi[i], yi[i])), fused. C entry point `blockwise_bspline_sum_exp_f64`,
/// declared in include/blockwise.h.
@_cdecl("blockwise_bspline_sum_exp_f64")
public func blockwise_bspline_sum_exp_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Double>?
) -> blockwise_status { splineSumExp(h, xi, yi, n, result) }

/// The float32 form of `blockwise_bspline_sum_exp_f64`. C entry point
/// `blockwise_bspline_sum_exp_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_sum_exp_f32")
public func blockwise_bspline_sum_exp_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Float>?
) -> blockwise_status { splineSumExp(h, xi, yi, n, result) }

// MARK: - Stacks

/// count smooth splines of degrees (kx, ky) on the grid x by y; z holds count * nx * ny values,
/// spline k's at z[k * nx * ny ...]. C entry point `blockwise_bspline_stack_create_f64`, declared
/// in include/blockwise.h.
@_cdecl("blockwise_bspline_stack_create_f64")
public func blockwise_bspline_stack_create_f64(
  _ x: UnsafePointer<Double>?, _ nx: Int64, _ y: UnsafePointer<Double>?, _ ny: Int64, _ z: UnsafePointer<Double>?,
  _ zLen: Int64, _ count: Int64, _ kx: Int32, _ ky: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status { createBivariateStack(x, nx, y, ny, z, zLen, count, kx, ky, out) }

/// The float32 form of `blockwise_bspline_stack_create_f64` (float32 coefficients). C entry point
/// `blockwise_bspline_stack_create_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_stack_create_f32")
public func blockwise_bspline_stack_create_f32(
  _ x: UnsafePointer<Float>?, _ nx: Int64, _ y: UnsafePointer<Float>?, _ ny: Int64, _ z: UnsafePointer<Float>?,
  _ zLen: Int64, _ count: Int64, _ kx: Int32, _ ky: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status { createBivariateStack(x, nx, y, ny, z, zLen, count, kx, ky, out) }

/// Releases a stack (NULL is accepted). C entry point `blockwise_bspline_stack_free`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_bspline_stack_free")
public func blockwise_bspline_stack_free(_ h: OpaquePointer?) { releaseHandle(h) }

/// The number of splines (-1 for NULL). C entry point `blockwise_bspline_stack_count`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_bspline_stack_count")
public func blockwise_bspline_stack_count(_ h: OpaquePointer?) -> Int64 { stackCount(h) }

/// out[k * n + i] = f_k(xi[i], yi[i]); out_len = count * n. C entry point
/// `blockwise_bspline_stack_ev_f64`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_stack_ev_f64")
public func blockwise_bspline_stack_ev_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { stackEv(h, xi, yi, n, out, outLen) }

/// The float32 form of `blockwise_bspline_stack_ev_f64`. C entry point
/// `blockwise_bspline_stack_ev_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_stack_ev_f32")
public func blockwise_bspline_stack_ev_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { stackEv(h, xi, yi, n, out, outLen) }

/// *result = sum_k sum_i exp(f_k(xi[i], yi[i])), fused, in double. C entry point
/// `blockwise_bspline_stack_sum_exp_f64`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_stack_sum_exp_f64")
public func blockwise_bspline_stack_sum_exp_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Double>?
) -> blockwise_status { stackSumExp(h, xi, yi, n, result) }

/// The float32 form of `blockwise_bspline_stack_sum_exp_f64`. C entry point
/// `blockwise_bspline_stack_sum_exp_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_stack_sum_exp_f32")
public func blockwise_bspline_stack_sum_exp_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Float>?
) -> blockwise_status { stackSumExp(h, xi, yi, n, result) }

/// out[k] = sum_i exp(f_k(xi[i], yi[i])); out_len = count. C entry point
/// `blockwise_bspline_stack_sum_exp_per_spline_f64`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_stack_sum_exp_per_spline_f64")
public func blockwise_bspline_stack_sum_exp_per_spline_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { stackSumExpPerSpline(h, xi, yi, n, out, outLen) }

/// The float32 form of `blockwise_bspline_stack_sum_exp_per_spline_f64`. C entry point
/// `blockwise_bspline_stack_sum_exp_per_spline_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_bspline_stack_sum_exp_per_spline_f32")
public func blockwise_bspline_stack_sum_exp_per_spline_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { stackSumExpPerSpline(h, xi, yi, n, out, outLen) }
