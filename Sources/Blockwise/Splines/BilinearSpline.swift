internal import CBlockwiseKernels

/// A bilinear interpolating spline on a rectangular grid, with the
/// semantics of scipy's `RectBivariateSpline(x, y, z, kx=1, ky=1)`.
///
/// Axes may have any strictly increasing spacing. Points outside the grid
/// are clamped to its boundary (as FITPACK does); a NaN coordinate gives NaN.
///
/// ```swift
/// let s = try BilinearSpline(x: xAxis, y: yAxis, values: z)  // z: [x.count, y.count]
/// let v = try s.evaluate(x: xi, y: yi)                       // like scipy's .ev
/// let e = try s.sumExp(x: xi, y: yi)                         // sum of exp, fused
/// ```
///
/// Internally every cell stores `a + b*tx + c*ty + d*tx*ty` in Double
/// (Float splines too), so evaluation is three fused multiply-adds after
/// the cell lookup.
public struct BilinearSpline<Element: NDArrayScalar>: Sendable {
  /// The knots along the first axis.
  public let x: NDArray<Element>
  /// The knots along the second axis.
  public let y: NDArray<Element>
  /// The values at the knots, shape `[x.count, y.count]`.
  public let values: NDArray<Element>

  let ax: SplineAxis
  let ay: SplineAxis
  let coef: SplineCoefficients

  /// Builds the spline that interpolates `values` at the grid `x` by `y`.
  ///
  /// - Parameters:
  ///   - x: Strictly increasing finite knots, at least 2, 1-D.
  ///   - y: Strictly increasing finite knots, at least 2, 1-D.
  ///   - values: Finite values of shape `[x.count, y.count]`.
  /// - Throws: `BlockwiseError.rankMismatch`, `.tooFewKnots`,
  ///   `.notStrictlyIncreasing` (naming the first offending index),
  ///   `.nonFinite`, `.shapeMismatch`.
  /// - Complexity: O(x.count * y.count).
  public init(x: NDArray<Element>, y: NDArray<Element>, values: NDArray<Element>) throws {
    (ax, ay) = try prepareAxes(x, y)
    guard values.shape == [ax.count, ay.count] else {
      throw BlockwiseError.shapeMismatch(expected: [ax.count, ay.count], got: values.shape)
    }
    try checkFinite(values, "values")
    self.x = x
    self.y = y
    self.values = values
    let nx = ax.count, ny = ay.count
    coef = SplineCoefficients(count: 4 * (nx - 1) * (ny - 1))
    let c = coef.base
    widened(values).withUnsafeBufferPointer { z in
      for i in 0..<(nx - 1) {
        for j in 0..<(ny - 1) {
          let z00 = z[i * ny + j], z01 = z[i * ny + j + 1]
          let z10 = z[(i + 1) * ny + j], z11 = z[(i + 1) * ny + j + 1]
          let k = 4 * (i * (ny - 1) + j)
          c[k] = z00
          c[k + 1] = z10 - z00
          c[k + 2] = z01 - z00
          c[k + 3] = (z11 - z10) - (z01 - z00)
        }
      }
    }
  }

  /// Points per block handed to a worker (4096 points are 64 KiB of
  /// coordinates; tuned on the 2-core AMD EPYC dev machine).
  static var pointsPerBlock: Int { BlockPolicy.bilinearPointsPerBlock }
  /// Points per summation leaf of `sumExp` (fixed: keeps sums independent
  /// of thread count and machine).
  static var sumLeaf: Int { BlockPolicy.splineSumLeaf }

  /// The spline at paired points `(x[i], y[i])`, like scipy's `ev`.
  ///
  /// - Parameters:
  ///   - x: First coordinates, 1-D.
  ///   - y: Second coordinates, 1-D, as many as `x`.
  /// - Returns: Shape `[x.count]`.
  /// - Throws: `BlockwiseError.rankMismatch` for non-1-D points,
  ///   `.lengthMismatch` when the lengths differ.
  /// - Complexity: O(m), parallel over blocks of points.
  /// - Error bound: a few ulp of the largest |value| in the point's cell
  ///   (Double); Float results are the Double result rounded once.
  public func evaluate(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> NDArray<Element> {
    let m = try checkPoints(xi, yi)
    var out = NDArray<Element>(uninitializedShape: [m], count: m)
    try evaluate(x: xi, y: yi, into: &out)
    return out
  }

  /// The spline at paired points `(x[i], y[i])`, written into `output`
  /// (scipy's `ev` with numpy's `out=`): no new array.
  ///
  /// ```swift
  /// var values = try NDArray<Double>.zeros([xi.count])
  /// try s.evaluate(x: xi, y: yi, into: &values)
  /// ```
  /// - Parameters:
  ///   - x: First coordinates, 1-D.
  ///   - y: Second coordinates, 1-D, as many as `x`.
  ///   - output: Shape `[x.count]`; overwritten (copied first if shared).
  /// - Throws: As `evaluate(x:y:)`, and `BlockwiseError.shapeMismatch`
  ///   unless `output` has shape `[x.count]`.
  /// - Complexity: O(m), parallel over blocks of points.
  /// - Error bound: as `evaluate(x:y:)`.
  public func evaluate(x xi: NDArray<Element>, y yi: NDArray<Element>, into out: inout NDArray<Element>) throws {
    let m = try checkPoints(xi, yi)
    guard out.shape == [m] else { throw BlockwiseError.shapeMismatch(expected: [m], got: out.shape) }
    let (ax, ay, coef) = (self.ax, self.ay, self.coef)
    let direct = Element.self == Double.self
    forEachPointBlock(x: xi, y: yi, into: &out, blockLength: Self.pointsPerBlock, scratch: { direct ? 0 : $0 }) {
      r, dx, dy, scratch, po in
      if direct {
        let dst = UnsafeMutableRawPointer(po + r.lowerBound).assumingMemoryBound(to: Double.self)
        bw_spline_eval(ax.axis, ay.axis, coef.base, dx, dy, dst, r.count)
      } else {
        bw_spline_eval(ax.axis, ay.axis, coef.base, dx, dy, scratch, r.count)
        Element._bwNarrow(scratch, po + r.lowerBound, r.count)
      }
    }
  }

  /// The spline on the grid `x` by `y`, like scipy's `__call__`.
  ///
  /// - Returns: Shape `[x.count, y.count]`; `result[i, j] = s(x[i], y[j])`.
  /// - Throws: `BlockwiseError.rankMismatch` for non-1-D arguments.
  /// - Complexity: O(x.count * y.count), parallel over rows.
  public func evaluateGrid(x gx: NDArray<Element>, y gy: NDArray<Element>) throws -> NDArray<Element> {
    guard gx.rank == 1 else { throw BlockwiseError.rankMismatch(argument: "x", expected: 1, got: gx.rank) }
    guard gy.rank == 1 else { throw BlockwiseError.rankMismatch(argument: "y", expected: 1, got: gy.rank) }
    var out = NDArray<Element>(uninitializedShape: [gx.count, gy.count], count: gx.count * gy.count)
    try evaluateGrid(x: gx, y: gy, into: &out)
    return out
  }

  /// The spline on the grid `x` by `y`, written into `output`.
  ///
  /// - Parameter output: Shape `[x.count, y.count]`; overwritten.
  /// - Throws: As `evaluateGrid(x:y:)`, and `BlockwiseError.shapeMismatch`
  ///   unless `output` has shape `[x.count, y.count]`.
  /// - Complexity: O(x.count * y.count), parallel over rows.
  public func evaluateGrid(x gx: NDArray<Element>, y gy: NDArray<Element>, into out: inout NDArray<Element>) throws {
    guard gx.rank == 1 else { throw BlockwiseError.rankMismatch(argument: "x", expected: 1, got: gx.rank) }
    guard gy.rank == 1 else { throw BlockwiseError.rankMismatch(argument: "y", expected: 1, got: gy.rank) }
    let rows = gx.count, cols = gy.count
    guard out.shape == [rows, cols] else { throw BlockwiseError.shapeMismatch(expected: [rows, cols], got: out.shape) }
    let (ax, ay, coef) = (self.ax, self.ay, self.coef)
    evaluateGridRows(x: gx, y: gy, into: &out, pointsPerBlock: Self.pointsPerBlock) { xs, ys, values, count in
      bw_spline_eval(ax.axis, ay.axis, coef.base, xs, ys, values, count)
    }
  }

  /// `sum_i exp(s(x[i], y[i]))`, fused: no array of values is formed.
  ///
  /// - Returns: The sum (0 for no points; +inf on overflow; NaN if a
  ///   coordinate is NaN).
  /// - Throws: As `evaluate(x:y:)`.
  /// - Complexity: O(m), parallel; identical for any thread count.
  /// - Error bound: each term within 1 ulp of exp of the computed value; the
  ///   positive terms are summed with relative error below
  ///   (67 + ⌈log2(m / 1024)⌉) u, u = 2^-53: chunks of 256 values in one
  ///   4-lane accumulator (63 additions per lane, 2 to join the lanes), the
  ///   4 chunks of a 1024-point leaf and the leaves added pairwise.
  public func sumExp(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> Element {
    let m = try checkPoints(xi, yi)
    let (ax, ay, coef) = (self.ax, self.ay, self.coef)
    let total = xi.withUnsafeBufferPointer { bx in
      yi.withUnsafeBufferPointer { by -> Double in
        guard m > 0 else { return 0 }
        let px = SendablePointer(bx.baseAddress!), py = SendablePointer(by.baseAddress!)
        return leafSum(count: m, leaf: Self.sumLeaf, bytesPerElement: 64) { r in
          withDoublePoints(UnsafePointer(px.raw), UnsafePointer(py.raw), r, extra: 0) { dx, dy, _ in
            bw_spline_sum_exp(ax.axis, ay.axis, coef.base, dx, dy, r.count)
          }
        }
      }
    }
    return Element(total)
  }
}
