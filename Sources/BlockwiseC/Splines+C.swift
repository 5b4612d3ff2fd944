import Blockwise

// blockwise.h: bilinear splines and stacks behind opaque handles. The
// handle's element type is the one it was created with; points of the
// other type are converted once (the only copy these calls make).

/// A spline of either element type.
final class SplineHandle {
  enum Spline { case f64(BilinearSpline<Double>), f32(BilinearSpline<Float>) }
  let spline: Spline
  init(_ s: Spline) { spline = s }
}

/// A stack of either element type.
final class StackHandle {
  enum Stack { case f64(BilinearSplineStack<Double>), f32(BilinearSplineStack<Float>) }
  let stack: Stack
  init(_ s: Stack) { stack = s }
  var count: Int {
    switch stack {
    case let .f64(s): s.count
    case let .f32(s): s.count
    }
  }
}

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
  _ out: UnsafeMutablePointer<OpaquePointer?>?, _ wrap: (BilinearSpline<E>) -> SplineHandle.Spline
) -> Int32 {
  guarded {
    let handle = try resultPointer(out, "spline")
    handle.pointee = nil
    let (xs, ys, zs) = try gridInputs(x, nx, y, ny, z, zLen, layers: nil)
    store(SplineHandle(wrap(try cNames { try BilinearSpline(x: xs, y: ys, values: zs) })), into: handle)
  }
}

func createStack<E: NDArrayScalar>(
  _ x: UnsafePointer<E>?, _ nx: Int64, _ y: UnsafePointer<E>?, _ ny: Int64, _ z: UnsafePointer<E>?, _ zLen: Int64,
  _ count: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?, _ wrap: (BilinearSplineStack<E>) -> StackHandle.Stack
) -> Int32 {
  guarded {
    let handle = try resultPointer(out, "stack")
    handle.pointee = nil
    let (xs, ys, zs) = try gridInputs(x, nx, y, ny, z, zLen, layers: count)
    store(StackHandle(wrap(try cNames { try BilinearSplineStack(x: xs, y: ys, values: zs) })), into: handle)
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
) -> Int32 { createSpline(x, nx, y, ny, z, zLen, out) { .f64($0) } }

/// A spline through z (nx * ny values, row-major: z[i * ny + j] at (x[i], y[j])) on strictly
/// increasing knots x (nx >= 2) and y (ny >= 2). z_len must be nx * ny. The _f32 form makes a
/// float32 spline. C entry point `blockwise_spline_create_f32` (declared and documented in
/// include/blockwise.h); returns a blockwise_status where it can fail, the message in
/// `blockwise_last_error()`.
@_cdecl("blockwise_spline_create_f32")
public func blockwise_spline_create_f32(
  _ x: UnsafePointer<Float>?, _ nx: Int64, _ y: UnsafePointer<Float>?, _ ny: Int64, _ z: UnsafePointer<Float>?,
  _ zLen: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 { createSpline(x, nx, y, ny, z, zLen, out) { .f32($0) } }

/// A spline through z (nx * ny values, row-major: z[i * ny + j] at (x[i], y[j])) on strictly
/// increasing knots x (nx >= 2) and y (ny >= 2). z_len must be nx * ny. The _f32 form makes a
/// float32 spline. C entry point `blockwise_spline_free`, declared in include/blockwise.h.
@_cdecl("blockwise_spline_free")
public func blockwise_spline_free(_ h: OpaquePointer?) { releaseHandle(h) }

/// 1 if the spline holds float32 values, 0 for float64 (-1 for NULL). C entry point
/// `blockwise_spline_is_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_spline_is_f32")
public func blockwise_spline_is_f32(_ h: OpaquePointer?) -> Int32 {
  guard let s = try? object(h, SplineHandle.self, "spline") else { return -1 }
  if case .f32 = s.spline { return 1 }
  return 0
}

func splineEv<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ out: UnsafeMutablePointer<E>?,
  _ outLen: Int64
) -> Int32 {
  guarded {
    let s = try object(h, SplineHandle.self, "spline")
    let p = try Points(xi, yi, n)
    let o = try output(out, outLen, needed: p.count, "out")
    func run<S: NDArrayScalar>(_ sp: BilinearSpline<S>) throws {
      try p.withArrays(as: S.self) { x, y in
        try withOutput(o, shape: [p.count], as: S.self) { r in try sp.evaluate(x: x, y: y, into: &r) }
      }
    }
    switch s.spline {
    case let .f64(sp): try run(sp)
    case let .f32(sp): try run(sp)
    }
  }
}

func splineGrid<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ gx: UnsafePointer<E>?, _ ngx: Int64, _ gy: UnsafePointer<E>?, _ ngy: Int64,
  _ out: UnsafeMutablePointer<E>?, _ outLen: Int64
) -> Int32 {
  guarded {
    let s = try object(h, SplineHandle.self, "spline")
    let (cx, cy) = (try length(ngx, "ngx"), try length(ngy, "ngy"))
    let (px, py) = (try input(gx, cx, "gx"), try input(gy, cy, "gy"))
    let o = try output(out, outLen, needed: try product([cx, cy], "out"), "out")
    func run<S: NDArrayScalar>(_ sp: BilinearSpline<S>) throws {
      try withInput(px, shape: [cx], as: S.self) { x in
        try withInput(py, shape: [cy], as: S.self) { y in
          try withOutput(o, shape: [cx, cy], as: S.self) { r in try sp.evaluateGrid(x: x, y: y, into: &r) }
        }
      }
    }
    switch s.spline {
    case let .f64(sp): try run(sp)
    case let .f32(sp): try run(sp)
    }
  }
}

func splineSumExp<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ result: UnsafeMutablePointer<E>?
) -> Int32 {
  guarded {
    let s = try object(h, SplineHandle.self, "spline")
    let p = try Points(xi, yi, n)
    let r = try resultPointer(result)
    func run<S: NDArrayScalar>(_ sp: BilinearSpline<S>) throws -> E {
      try p.withArrays(as: S.self) { x, y in convert(try sp.sumExp(x: x, y: y), to: E.self) }
    }
    switch s.spline {
    case let .f64(sp): r.pointee = try run(sp)
    case let .f32(sp): r.pointee = try run(sp)
    }
  }
}

/// out[i] = s(xi[i], yi[i]) for n points (scipy's ev); out_len = n. C entry point
/// `blockwise_spline_ev_f64` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_ev_f64")
public func blockwise_spline_ev_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> Int32 { splineEv(h, xi, yi, n, out, outLen) }

/// out[i] = s(xi[i], yi[i]) for n points (scipy's ev); out_len = n. C entry point
/// `blockwise_spline_ev_f32` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_ev_f32")
public func blockwise_spline_ev_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> Int32 { splineEv(h, xi, yi, n, out, outLen) }

/// out[i * ngy + j] = s(gx[i], gy[j]) (scipy's __call__ with grid=True); out_len = ngx * ngy. C
/// entry point `blockwise_spline_grid_f64` (declared and documented in include/blockwise.h);
/// returns a blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_grid_f64")
public func blockwise_spline_grid_f64(
  _ h: OpaquePointer?, _ gx: UnsafePointer<Double>?, _ ngx: Int64, _ gy: UnsafePointer<Double>?, _ ngy: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> Int32 { splineGrid(h, gx, ngx, gy, ngy, out, outLen) }

/// out[i * ngy + j] = s(gx[i], gy[j]) (scipy's __call__ with grid=True); out_len = ngx * ngy. C
/// entry point `blockwise_spline_grid_f32` (declared and documented in include/blockwise.h);
/// returns a blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_grid_f32")
public func blockwise_spline_grid_f32(
  _ h: OpaquePointer?, _ gx: UnsafePointer<Float>?, _ ngx: Int64, _ gy: UnsafePointer<Float>?, _ ngy: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> Int32 { splineGrid(h, gx, ngx, gy, ngy, out, outLen) }

/// *result = sum_i exp(s(xi[i], yi[i])), fused. C entry point `blockwise_spline_sum_exp_f64`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_sum_exp_f64")
public func blockwise_spline_sum_exp_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Double>?
) -> Int32 { splineSumExp(h, xi, yi, n, result) }

/// *result = sum_i exp(s(xi[i], yi[i])), fused. C entry point `blockwise_spline_sum_exp_f32`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_spline_sum_exp_f32")
public func blockwise_spline_sum_exp_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Float>?
) -> Int32 { splineSumExp(h, xi, yi, n, result) }

// MARK: - Stack entry points

/// count splines on the grid x by y; z holds count * nx * ny values, spline k's at z[k * nx * ny
/// ...] row-major; z_len must be count * nx * ny. C entry point `blockwise_stack_create_f64`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_create_f64")
public func blockwise_stack_create_f64(
  _ x: UnsafePointer<Double>?, _ nx: Int64, _ y: UnsafePointer<Double>?, _ ny: Int64, _ z: UnsafePointer<Double>?,
  _ zLen: Int64, _ count: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 { createStack(x, nx, y, ny, z, zLen, count, out) { .f64($0) } }

/// count splines on the grid x by y; z holds count * nx * ny values, spline k's at z[k * nx * ny
/// ...] row-major; z_len must be count * nx * ny. C entry point `blockwise_stack_create_f32`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_create_f32")
public func blockwise_stack_create_f32(
  _ x: UnsafePointer<Float>?, _ nx: Int64, _ y: UnsafePointer<Float>?, _ ny: Int64, _ z: UnsafePointer<Float>?,
  _ zLen: Int64, _ count: Int64, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 { createStack(x, nx, y, ny, z, zLen, count, out) { .f32($0) } }

/// count splines on the grid x by y; z holds count * nx * ny values, spline k's at z[k * nx * ny
/// ...] row-major; z_len must be count * nx * ny. C entry point `blockwise_stack_free`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_stack_free")
public func blockwise_stack_free(_ h: OpaquePointer?) { releaseHandle(h) }

/// The number of splines (-1 for NULL). C entry point `blockwise_stack_count`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_stack_count")
public func blockwise_stack_count(_ h: OpaquePointer?) -> Int64 {
  guard let s = try? object(h, StackHandle.self, "stack") else { return -1 }
  return Int64(s.count)
}

/// 1 if the stack holds float32 values, 0 for float64 (-1 for NULL). C entry point
/// `blockwise_stack_is_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_stack_is_f32")
public func blockwise_stack_is_f32(_ h: OpaquePointer?) -> Int32 {
  guard let s = try? object(h, StackHandle.self, "stack") else { return -1 }
  if case .f32 = s.stack { return 1 }
  return 0
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

/// A stack call on points: the stack's handle, its spline count and the points.
func onStackPoints<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64,
  _ body: (StackHandle, Points<E>) throws -> Void
) -> Int32 {
  guarded { try body(try object(h, StackHandle.self, "stack"), try Points(xi, yi, n)) }
}

func stackEv<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ out: UnsafeMutablePointer<E>?,
  _ outLen: Int64
) -> Int32 {
  onStackPoints(h, xi, yi, n) { handle, p in
    let count = handle.count, m = p.count
    let o = try output(out, outLen, needed: try product([count, m], "out"), "out")
    func run<S: NDArrayScalar>(_ st: BilinearSplineStack<S>) throws {
      try p.withArrays(as: S.self) { x, y in
        try withOutput(o, shape: [count, m], as: S.self) { r in try st.evaluate(x: x, y: y, into: &r) }
      }
    }
    switch handle.stack {
    case let .f64(st): try run(st)
    case let .f32(st): try run(st)
    }
  }
}

func stackSumExp<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ result: UnsafeMutablePointer<E>?
) -> Int32 {
  onStackPoints(h, xi, yi, n) { handle, p in
    let r = try resultPointer(result)
    func run<S: NDArrayScalar>(_ st: BilinearSplineStack<S>) throws -> E {
      try p.withArrays(as: S.self) { x, y in convert(try st.sumExp(x: x, y: y), to: E.self) }
    }
    switch handle.stack {
    case let .f64(st): r.pointee = try run(st)
    case let .f32(st): r.pointee = try run(st)
    }
  }
}

func stackSumExpPerSpline<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ out: UnsafeMutablePointer<E>?,
  _ outLen: Int64
) -> Int32 {
  onStackPoints(h, xi, yi, n) { handle, p in
    let count = handle.count
    let o = try output(out, outLen, needed: count, "out")
    func run<S: NDArrayScalar>(_ st: BilinearSplineStack<S>) throws {
      try p.withArrays(as: S.self) { x, y in
        try withOutput(o, shape: [count], as: S.self) { r in try st.sumExpPerSpline(x: x, y: y, into: &r) }
      }
    }
    switch handle.stack {
    case let .f64(st): try run(st)
    case let .f32(st): try run(st)
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
) -> Int32 { stackEv(h, xi, yi, n, out, outLen) }

/// out[k * n + i] = f_k(xi[i], yi[i]); out_len = count * n. C entry point `blockwise_stack_ev_f32`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_ev_f32")
public func blockwise_stack_ev_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> Int32 { stackEv(h, xi, yi, n, out, outLen) }

/// *result = sum_k sum_i exp(f_k(xi[i], yi[i])), fused, in Double. C entry point
/// `blockwise_stack_sum_exp_f64` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_sum_exp_f64")
public func blockwise_stack_sum_exp_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Double>?
) -> Int32 { stackSumExp(h, xi, yi, n, result) }

/// *result = sum_k sum_i exp(f_k(xi[i], yi[i])), fused, in Double. C entry point
/// `blockwise_stack_sum_exp_f32` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_sum_exp_f32")
public func blockwise_stack_sum_exp_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ result: UnsafeMutablePointer<Float>?
) -> Int32 { stackSumExp(h, xi, yi, n, result) }

/// out[k] = sum_i exp(f_k(xi[i], yi[i])); out_len = count. C entry point
/// `blockwise_stack_sum_exp_per_spline_f64` (declared and documented in include/blockwise.h);
/// returns a blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_sum_exp_per_spline_f64")
public func blockwise_stack_sum_exp_per_spline_f64(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> Int32 { stackSumExpPerSpline(h, xi, yi, n, out, outLen) }

/// out[k] = sum_i exp(f_k(xi[i], yi[i])); out_len = count. C entry point
/// `blockwise_stack_sum_exp_per_spline_f32` (declared and documented in include/blockwise.h);
/// returns a blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_stack_sum_exp_per_spline_f32")
public func blockwise_stack_sum_exp_per_spline_f32(
  _ h: OpaquePointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> Int32 { stackSumExpPerSpline(h, xi, yi, n, out, outLen) }
