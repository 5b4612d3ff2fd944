import Blockwise
import CBlockwiseCHeader  // blockwise_status and the header's other types

// The stack calls of blockwise.h, written once for every stack the C ABI
// serves (bilinear and smooth, float64 and float32): each handle holds a
// StackHandle<S>, and the entry points of both kinds go through the
// functions below.

/// The stack types behind the C ABI.
protocol PointStack: Sendable {
  associatedtype Element: NDArrayScalar
  var count: Int { get }
  func evaluate(x: NDArray<Element>, y: NDArray<Element>, into out: inout NDArray<Element>) throws
  func sumExp(x: NDArray<Element>, y: NDArray<Element>) throws -> Element
  func sumExpPerSpline(x: NDArray<Element>, y: NDArray<Element>) throws -> NDArray<Element>
  func sumExpPartials(x: NDArray<Element>, y: NDArray<Element>) throws -> ReductionPartials
}

extension BilinearSplineStack: PointStack {}
extension BivariateSplineStack: PointStack {}

/// A stack handle of any kind and element type, seen through calls that
/// take the caller's points in either element type.
protocol StackCalls: AnyObject {
  var count: Int { get }
  var isF32: Bool { get }
  func evaluate<E: NDArrayScalar>(_ p: Points<E>, into o: UnsafeMutableBufferPointer<E>) throws
  func sumExp<E: NDArrayScalar>(_ p: Points<E>) throws -> E
  func sumExpPerSpline<E: NDArrayScalar>(_ p: Points<E>, into o: UnsafeMutableBufferPointer<E>) throws
  func partials<E: NDArrayScalar>(_ p: Points<E>) throws -> ReductionPartials
}

/// A stack behind a C handle; points of the other element type are
/// converted once (the only copy these calls make).
final class StackHandle<S: PointStack>: StackCalls {
  let stack: S
  init(_ stack: S) { self.stack = stack }
  var count: Int { stack.count }
  var isF32: Bool { S.Element.self == Float.self }

  func evaluate<E: NDArrayScalar>(_ p: Points<E>, into o: UnsafeMutableBufferPointer<E>) throws {
    try p.withArrays(as: S.Element.self) { x, y in
      try withOutput(o, shape: [count, p.count], as: S.Element.self) { r in try stack.evaluate(x: x, y: y, into: &r) }
    }
  }

  func sumExp<E: NDArrayScalar>(_ p: Points<E>) throws -> E {
    try p.withArrays(as: S.Element.self) { x, y in convert(try stack.sumExp(x: x, y: y), to: E.self) }
  }

  func sumExpPerSpline<E: NDArrayScalar>(_ p: Points<E>, into o: UnsafeMutableBufferPointer<E>) throws {
    try p.withArrays(as: S.Element.self) { x, y in
      let per = try stack.sumExpPerSpline(x: x, y: y)
      try withOutput(o, shape: [count], as: S.Element.self) { r in r = per }
    }
  }

  func partials<E: NDArrayScalar>(_ p: Points<E>) throws -> ReductionPartials {
    try p.withArrays(as: S.Element.self) { x, y in try stack.sumExpPartials(x: x, y: y) }
  }
}

/// The stack behind a handle (of either kind), or an error for NULL or a
/// handle of something else.
func stackObject(_ handle: OpaquePointer?) throws -> any StackCalls {
  try object(handle, (any StackCalls).self, "stack")
}


/// A stack call on points.
func onStack<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64,
  _ body: (any StackCalls, Points<E>) throws -> Void
) -> blockwise_status {
  guarded { try body(try stackObject(h), try Points(xi, yi, n)) }
}

func stackEv<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ out: UnsafeMutablePointer<E>?,
  _ outLen: Int64
) -> blockwise_status {
  onStack(h, xi, yi, n) { s, p in
    try s.evaluate(p, into: try output(out, outLen, needed: try product([s.count, p.count], "out"), "out"))
  }
}

func stackSumExp<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ result: UnsafeMutablePointer<E>?
) -> blockwise_status {
  onStack(h, xi, yi, n) { s, p in
    let r = try resultPointer(result)
    r.pointee = try s.sumExp(p)
  }
}

func stackSumExpPerSpline<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ out: UnsafeMutablePointer<E>?,
  _ outLen: Int64
) -> blockwise_status {
  onStack(h, xi, yi, n) { s, p in try s.sumExpPerSpline(p, into: try output(out, outLen, needed: s.count, "out")) }
}

func stackPartials<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status {
  onStack(h, xi, yi, n) { s, p in try writePartials(try s.partials(p), out, outLen) }
}

/// The number of splines of a stack handle (-1 for NULL or another kind).
func stackCount(_ h: OpaquePointer?) -> Int64 { (try? stackObject(h)).map { Int64($0.count) } ?? -1 }

// MARK: - Single splines

/// The single-spline types behind the C ABI.
protocol PointSpline: Sendable {
  associatedtype Element: NDArrayScalar
  /// The (dx, dy) partial derivative at the points (0, 0: the values),
  /// written into `out` (the caller's buffer: no copy where the spline
  /// can write there directly).
  func values(x: NDArray<Element>, y: NDArray<Element>, derivative: (x: Int, y: Int), into out: inout NDArray<Element>)
    throws
  func grid(x: NDArray<Element>, y: NDArray<Element>, into out: inout NDArray<Element>) throws
  func sumExp(x: NDArray<Element>, y: NDArray<Element>) throws -> Element
  /// Knots, coefficients and integrals, for the splines that have them.
  var smooth: (any SmoothSplineFacts)? { get }
}

/// What a smooth (B-)spline tells beyond its values.
protocol SmoothSplineFacts {
  var knotsX: [Double] { get }
  var knotsY: [Double] { get }
  var coefficients: [Double] { get }
  func integral(_ xa: Double, _ xb: Double, _ ya: Double, _ yb: Double) throws -> Double
}

extension BilinearSpline: PointSpline {
  func values(x: NDArray<Element>, y: NDArray<Element>, derivative: (x: Int, y: Int), into out: inout NDArray<Element>)
    throws
  {
    guard derivative == (0, 0) else {
      throw invalid("dx, dy", expected: "0, 0 (a bilinear spline gives values)", got: "\(derivative.x), \(derivative.y)")
    }
    try evaluate(x: x, y: y, into: &out)
  }
  func grid(x: NDArray<Element>, y: NDArray<Element>, into out: inout NDArray<Element>) throws {
    try evaluateGrid(x: x, y: y, into: &out)
  }
  var smooth: (any SmoothSplineFacts)? { nil }
}

extension BivariateSpline: PointSpline, SmoothSplineFacts {
  func values(x: NDArray<Element>, y: NDArray<Element>, derivative: (x: Int, y: Int), into out: inout NDArray<Element>)
    throws
  {
    out = derivative == (0, 0) ? try evaluate(x: x, y: y) : try evaluate(x: x, y: y, derivative: derivative)
  }
  func grid(x: NDArray<Element>, y: NDArray<Element>, into out: inout NDArray<Element>) throws {
    out = try evaluateGrid(x: x, y: y)
  }
  var smooth: (any SmoothSplineFacts)? { self }
  func integral(_ xa: Double, _ xb: Double, _ ya: Double, _ yb: Double) throws -> Double {
    Double(try integral(x: Element(xa)...Element(xb), y: Element(ya)...Element(yb)))
  }
}

/// A spline handle of any kind and element type.
protocol SplineCalls: AnyObject {
  var isF32: Bool { get }
  var smooth: (any SmoothSplineFacts)? { get }
  func evaluate<E: NDArrayScalar>(_ p: Points<E>, derivative: (x: Int, y: Int), into o: UnsafeMutableBufferPointer<E>)
    throws
  func grid<E: NDArrayScalar>(_ gx: UnsafeBufferPointer<E>, _ gy: UnsafeBufferPointer<E>, into o: UnsafeMutableBufferPointer<E>)
    throws
  func sumExp<E: NDArrayScalar>(_ p: Points<E>) throws -> E
}

/// A spline behind a C handle; points of the other element type are
/// converted once.
final class SplineHandle<S: PointSpline>: SplineCalls {
  let spline: S
  init(_ spline: S) { self.spline = spline }
  var isF32: Bool { S.Element.self == Float.self }
  var smooth: (any SmoothSplineFacts)? { spline.smooth }

  func evaluate<E: NDArrayScalar>(_ p: Points<E>, derivative: (x: Int, y: Int), into o: UnsafeMutableBufferPointer<E>)
    throws
  {
    try p.withArrays(as: S.Element.self) { x, y in
      try withOutput(o, shape: [p.count], as: S.Element.self) { r in
        try spline.values(x: x, y: y, derivative: derivative, into: &r)
      }
    }
  }

  func grid<E: NDArrayScalar>(_ gx: UnsafeBufferPointer<E>, _ gy: UnsafeBufferPointer<E>, into o: UnsafeMutableBufferPointer<E>)
    throws
  {
    try withInput(gx, shape: [gx.count], as: S.Element.self) { x in
      try withInput(gy, shape: [gy.count], as: S.Element.self) { y in
        try withOutput(o, shape: [gx.count, gy.count], as: S.Element.self) { r in try spline.grid(x: x, y: y, into: &r) }
      }
    }
  }

  func sumExp<E: NDArrayScalar>(_ p: Points<E>) throws -> E {
    try p.withArrays(as: S.Element.self) { x, y in convert(try spline.sumExp(x: x, y: y), to: E.self) }
  }
}

/// The spline behind a handle (of either kind).
func splineObject(_ handle: OpaquePointer?) throws -> any SplineCalls {
  try object(handle, (any SplineCalls).self, "spline")
}

/// The smooth spline behind a handle.
func smoothObject(_ handle: OpaquePointer?) throws -> any SmoothSplineFacts {
  guard let s = try splineObject(handle).smooth else {
    throw invalid("spline", expected: "a smooth spline handle (blockwise_bspline)", got: "a bilinear spline handle")
  }
  return s
}

func splineEv<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ dx: Int32, _ dy: Int32,
  _ out: UnsafeMutablePointer<E>?, _ outLen: Int64
) -> blockwise_status {
  guarded {
    let s = try splineObject(h)
    let p = try Points(xi, yi, n)
    try s.evaluate(p, derivative: (Int(dx), Int(dy)), into: try output(out, outLen, needed: p.count, "out"))
  }
}

func splineGrid<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ gx: UnsafePointer<E>?, _ ngx: Int64, _ gy: UnsafePointer<E>?, _ ngy: Int64,
  _ out: UnsafeMutablePointer<E>?, _ outLen: Int64
) -> blockwise_status {
  guarded {
    let s = try splineObject(h)
    let (cx, cy) = (try length(ngx, "ngx"), try length(ngy, "ngy"))
    let (px, py) = (try input(gx, cx, "gx"), try input(gy, cy, "gy"))
    try s.grid(px, py, into: try output(out, outLen, needed: try product([cx, cy], "out"), "out"))
  }
}

func splineSumExp<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ xi: UnsafePointer<E>?, _ yi: UnsafePointer<E>?, _ n: Int64, _ result: UnsafeMutablePointer<E>?
) -> blockwise_status {
  guarded {
    let s = try splineObject(h)
    let p = try Points(xi, yi, n)
    let r = try resultPointer(result)
    r.pointee = try s.sumExp(p)
  }
}

func splineIsF32(_ h: OpaquePointer?) -> Int32 { (try? splineObject(h)).map { $0.isF32 ? 1 : 0 } ?? -1 }
