import Blockwise
import CBlockwiseCHeader  // blockwise_status and the header's other types

// blockwise.h: bilinear splines and stacks behind opaque handles. The
// handle's element type is the one it was created with; points of the
// other type are converted once (the only copy these calls make).

/// The Swift API's errors in the C ABI's argument names (its `values` is z).
func cNames<R>(_ body: () throws -> R) throws -> R {
  do {
    return try body()
  } catch BlockwiseError.nonFinite(argument: "values", let index, let value) {
    throw BlockwiseError.nonFinite(argument: "z", index: index, value: value)
  }
}

/// Copies of the knots and values (a handle owns its inputs).
func gridInputs<E: NDArrayScalar>(
  _ x: UnsafePointer<E>?, _ nx: Int64, _ y: UnsafePointer<E>?, _ ny: Int64, _ z: UnsafePointer<E>?, _ zLen: Int64,
  layers: Int64?
) throws -> (NDArray<E>, NDArray<E>, NDArray<E>) {
  let cx = try length(nx, "nx"), cy = try length(ny, "ny")
  let n = try layers.map { try length($0, "count") }
  let shape = (n.map { [$0] } ?? []) + [cx, cy]
  let needed = try product(shape, "z")
  let zl = try length(zLen, "z_len")
  guard zl == needed else { throw BlockwiseError.lengthMismatch(argument: "z", expected: needed, got: zl) }
  let xs = NDArray(Array(try input(x, cx, "x")))
  let ys = NDArray(Array(try input(y, cy, "y")))
  let zs = try NDArray(Array(try input(z, needed, "z")), shape: shape)
  return (xs, ys, zs)
}

func createSpline<E: NDArrayScalar>(
  _ x: UnsafePointer<E>?, _ nx: Int64, _ y: UnsafePointer<E>?, _ ny: Int64, _ z: UnsafePointer<E>?, _ zLen: Int64,
  _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status {
  guarded {
    let handle = try resultPointer(out, "spline")
    handle.pointee = nil
    let (xs, ys, zs) = try gridInputs(x, nx, y, ny, z, zLen, layers: nil)
    store(SplineHandle(try cNames { try BilinearSpline(x: xs, y: ys, values: zs) }), into: handle)
  }
}

func createStack<E: NDArrayScalar>(
  _ x: UnsafePointer<E>?, _ nx: Int64, _ y: UnsafePointer<E>?, _ ny: Int64, _ z: UnsafePointer<E>?, _ zLen: Int64,
  _ count: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status {
  guarded {
    let handle = try resultPointer(out, "stack")
    handle.pointee = nil
    let (xs, ys, zs) = try gridInputs(x, nx, y, ny, z, zLen, layers: count)
    store(StackHandle(try cNames { try BilinearSplineStack(x: xs, y: ys, values: zs) }), into: handle)
  }
}

// MARK: - Spline entry points

/// A spline through z (nx * ny values, row-major: z[i * ny + j] at (x[i], y[j])) on strictly
/// increasing knots x (nx >= 2) and y (ny >= 2). z_len must be nx * ny. The _f32 form makes a
/// float32 spline. C entry point `blockwise_spline_create_f64` (declared and documented in
/// include/blockwise.h); returns a blockwise_status where it can fail, the message in
/// `blockwise_last_error()`.
@_cdecl("blockwise_spline_create_f64")
public func blockwise_spline_create_f64(
  _ x: UnsafePointer<Double>?, _ nx: Int64, _ y: UnsafePointer<Double>?, _ ny: Int64, _ z: UnsafePointer<Double>?,
  _ zLen: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status { createSpline(x, nx, y, ny, z, zLen, out) }

/// A spline through z (nx * ny values, row-major: z[i * ny + j] at (x[i], y[j])) on strictly
/// increasing knots x (nx >= 2) and y (ny >= 2). z_len must be nx * ny. The _f32 form makes a
/// float32 spline. C entry point `blockwise_spline_create_f32` (declared and documented in
/// include/blockwise.h); returns a blockwise_status where it can fail, the message in
/// `blockwise_last_error()`.
@_cdecl("blockwise_spline_create_f32")
public func blockwise_spline_create_f32(
  _ x: UnsafePointer<Float>?, _ nx: Int64, _ y: UnsafePointer<Float>?, _ ny: Int64, _ z: UnsafePointer<Float>?,
  _ zLen: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status { createSpline(x, nx, y, ny, z, zLen, out) }

/// A spline through z (nx * ny values, row-major: z[i * ny + j] at (x[i], y[j])) on strictly
/// increasing knots x (nx >= 2) and y (ny >= 2). z_len must be nx * ny. The _f32 form makes a
/// float32 spline. C entry point `blockwise_spline_free`, declared in include/blockwise.h.
@_cdecl("blockwise_spline_free")
public func blockwise_spline_free(_ h: OpaquePointer?) { releaseHandle(h) }

/// 1 if the spline holds float32 values, 0 for float64 (-1 for NULL). C entry point
/// `blockwise_spline_is_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_spline_is_f32")
public func blockwise_spline_is_f32(_ h: OpaquePointer?) -> Int32 { splineIsF32(h) }




/// out[i] = s(xi[i], yi[i]) for n points (scipy's ev); out_len = n. C entry point
/// `blockwise_spline_ev_f64` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_ev_f64")
public func blockwise_spline_ev_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { splineEv(h, xi, yi, n, 0, 0, out, outLen) }

/// out[i] = s(xi[i], yi[i]) for n points (scipy's ev); out_len = n. C entry point
/// `blockwise_spline_ev_f32` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_ev_f32")
public func blockwise_spline_ev_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { splineEv(h, xi, yi, n, 0, 0, out, outLen) }

/// out[i * ngy + j] = s(gx[i], gy[j]) (scipy's __call__ with grid=True); out_len = ngx * ngy. C
/// entry point `blockwise_spline_grid_f64` (declared and documented in include/blockwise.h);
/// returns a blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_grid_f64")
public func blockwise_spline_grid_f64(
  _ h: OpaquePointer?, _ gx: UnsafePointer<Double>?, _ ngx: Int64, _ gy: UnsafePointer<Double>?, _ ngy: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { splineGrid(h, gx, ngx, gy, ngy, out, outLen) }

/// out[i * ngy + j] = s(gx[i], gy[j]) (scipy's __call__ with grid=True); out_len = ngx * ngy. C
/// entry point `blockwise_spline_grid_f32` (declared and documented in include/blockwise.h);
/// returns a blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_grid_f32")
public func blockwise_spline_grid_f32(
  _ h: OpaquePointer?, _ gx: UnsafePointer<Float>?, _ ngx: Int64, _ gy: UnsafePointer<Float>?, _ ngy: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { splineGrid(h, gx, ngx, gy, ngy, out, outLen) }

/// *result = sum_i exp(s(xi[i], yi[i])), fused. C entry point `blockwise_spline_sum_exp_f64`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_sum_exp_f64")
public func blockwise_spline_sum_exp_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Double>?
) -> blockwise_status { splineSumExp(h, xi, yi, n, result) }

/// *result = sum_i exp(s(xi[i], yi[i])), fused. C entry point `blockwise_spline_sum_exp_f32`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_sum_exp_f32")
public func blockwise_spline_sum_exp_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Float>?
) -> blockwise_status { splineSumExp(h, xi, yi, n, result) }

// MARK: - Stack entry points

/// count splines on the grid x by y; z holds count * nx * ny values, spline k's at z[k * nx * ny
/// ...] row-major; z_len must be count * nx * ny. C entry point `blockwise_stack_create_f64`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_create_f64")
public func blockwise_stack_create_f64(
  _ x: UnsafePointer<Double>?, _ nx: Int64, _ y: UnsafePointer<Double>?, _ ny: Int64, _ z: UnsafePointer<Double>?,
  _ zLen: Int64, _ count: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status { createStack(x, nx, y, ny, z, zLen, count, out) }

/// count splines on the grid x by y; z holds count * nx * ny values, spline k's at z[k * nx * ny
/// ...] row-major; z_len must be count * nx * ny. C entry point `blockwise_stack_create_f32`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_create_f32")
public func blockwise_stack_create_f32(
  _ x: UnsafePointer<Float>?, _ nx: Int64, _ y: UnsafePointer<Float>?, _ ny: Int64, _ z: UnsafePointer<Float>?,
  _ zLen: Int64, _ count: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status { createStack(x, nx, y, ny, z, zLen, count, out) }

/// count splines on the grid x by y; z holds count * nx * ny values, spline k's at z[k * nx * ny
/// ...] row-major; z_len must be count * nx * ny. C entry point `blockwise_stack_free`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_stack_free")
public func blockwise_stack_free(_ h: OpaquePointer?) { releaseHandle(h) }

/// The number of splines (-1 for NULL). C entry point `blockwise_stack_count`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_stack_count")
public func blockwise_stack_count(_ h: OpaquePointer?) -> Int64 { stackCount(h) }

/// 1 if the stack holds float32 values, 0 for float64 (-1 for NULL). C entry point
/// `blockwise_stack_is_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_stack_is_f32")
public func blockwise_stack_is_f32(_ h: OpaquePointer?) -> Int32 {
  guard let s = try? stackObject(h) else { return -1 }
  return s.isF32 ? 1 : 0
}

/// Paired points from C, seen as arrays of the element type a spline or
/// stack holds: the caller's memory when the types agree, else converted.
struct Points<E: NDArrayScalar> {
  let x: UnsafeBufferPointer<E>
  let y: UnsafeBufferPointer<E>
  var count: Int { x.count }

  init(_ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64) throws {
    let m = try length(n, "n")
    x = try input(xi, m, "xi")
    y = try input(yi, m, "yi")
  }

  func withArrays<S: NDArrayScalar, R>(as _: S.Type, _ body: (NDArray<S>, NDArray<S>) throws -> R) throws -> R {
    try withInput(x, shape: [count], as: S.self) { px in
      try withInput(y, shape: [count], as: S.self) { py in try body(px, py) }
    }
  }
}

/// out[k * n + i] = f_k(xi[i], yi[i]); out_len = count * n. C entry point `blockwise_stack_ev_f64`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_ev_f64")
public func blockwise_stack_ev_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { stackEv(h, xi, yi, n, out, outLen) }

/// out[k * n + i] = f_k(xi[i], yi[i]); out_len = count * n. C entry point `blockwise_stack_ev_f32`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_ev_f32")
public func blockwise_stack_ev_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { stackEv(h, xi, yi, n, out, outLen) }

/// *result = sum_k sum_i exp(f_k(xi[i], yi[i])), fused, in Double. C entry point
/// `blockwise_stack_sum_exp_f64` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_sum_exp_f64")
public func blockwise_stack_sum_exp_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Double>?
) -> blockwise_status { stackSumExp(h, xi, yi, n, result) }

/// *result = sum_k sum_i exp(f_k(xi[i], yi[i])), fused, in Double. C entry point
/// `blockwise_stack_sum_exp_f32` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_sum_exp_f32")
public func blockwise_stack_sum_exp_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Float>?
) -> blockwise_status { stackSumExp(h, xi, yi, n, result) }

/// out[k] = sum_i exp(f_k(xi[i], yi[i])); out_len = count. C entry point
/// `blockwise_stack_sum_exp_per_spline_f64` (declared and documented in include/blockwise.h);
/// returns a blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_sum_exp_per_spline_f64")
public func blockwise_stack_sum_exp_per_spline_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { stackSumExpPerSpline(h, xi, yi, n, out, outLen) }

/// out[k] = sum_i exp(f_k(xi[i], yi[i])); out_len = count. C entry point
/// `blockwise_stack_sum_exp_per_spline_f32` (declared and documented in include/blockwise.h);
/// returns a blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_sum_exp_per_spline_f32")
public func blockwise_stack_sum_exp_per_spline_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { stackSumExpPerSpline(h, xi, yi, n, out, outLen) }
