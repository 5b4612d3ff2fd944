internal import CBlockwiseKernels

/// `n` interpolating tensor-product splines of one degree on one grid,
/// evaluated together: scipy's `RectBivariateSpline(x, y, z[k], kx, ky, s=0)`
/// for every `k`, fitted with one factorisation per axis, evaluated with the
/// basis functions of a point computed once for all `n` splines.
///
/// Coefficients are stored `[i][j][spline]`, so the (kx+1)(ky+1) window of
/// a point is that many unit-stride runs of `n` values: per point, two
/// de Boor recursions, then broadcasts and multiply-adds over a vector of
/// splines (4 per AVX2 vector, 8 per AVX-512, 2 per NEON). `sumExp` fuses
/// exp and the sum.
///
/// ```swift
/// let st = try BivariateSplineStack(x: xAxis, y: yAxis, values: z3)  // bicubic, z3: [n, nx, ny]
/// let total = try st.sumExp(x: xi, y: yi)        // sum_k sum_i exp(f_k(xi, yi))
/// let each = try st.sumExpPerSpline(x: xi, y: yi)
/// ```
public struct BivariateSplineStack<Element: NDArrayScalar>: Sendable {
  /// The data points along the first axis.
  public let x: NDArray<Element>
  /// The data points along the second axis.
  public let y: NDArray<Element>
  /// The values, shape `[n, x.count, y.count]`.
  public let values: NDArray<Element>
  /// The degree along each axis.
  public let degree: (x: Int, y: Int)
  /// The number of splines.
  public let count: Int

  let bx: BSplineAxis
  let by: BSplineAxis
  /// Coefficients `[x.count][y.count][padded]`, padding lanes zero.
  let coef: SplineCoefficients
  /// `count` rounded up to a multiple of the vector width (4 doubles).
  let padded: Int
  /// 1 when every coefficient has |c| <= BW_STACK_EXP_BOUND (Float:
  /// BW_STACK_EXP_BOUND_F32, as the bilinear stacks): the values, convex
  /// combinations of coefficients, are then in exp's fast range and the
  /// fused sums may skip their range pass (the same bits).
  let bounded: Int32

  /// Builds `n` splines of degree `degree` sharing the grid `x` by `y`.
  ///
  /// - Parameters:
  ///   - x: Strictly increasing finite data points, more than `degree.x`, 1-D.
  ///   - y: Strictly increasing finite data points, more than `degree.y`, 1-D.
  ///   - values: Finite values of shape `[n, x.count, y.count]`.
  ///   - degree: 1...5 on each axis; bicubic by default.
  /// - Throws: As `BivariateSpline.init`, and `.rankMismatch` unless
  ///   `values` is 3-D.
  /// - Complexity: O(n * x.count * y.count * (degree.x + degree.y)): one
  ///   banded factorisation per axis, reused for every spline.
  /// - Error bound: as `BivariateSpline.init`, spline by spline.
  public init(x: NDArray<Element>, y: NDArray<Element>, values: NDArray<Element>, degree: (x: Int, y: Int) = (3, 3))
    throws
  {
    let bx = try BSplineAxis(axisValues(x, name: "x"), degree: degree.x, name: "x")
    let by = try BSplineAxis(axisValues(y, name: "y"), degree: degree.y, name: "y")
    guard values.rank == 3 else { throw BlockwiseError.rankMismatch(argument: "values", expected: 3, got: values.rank) }
    let n = values.shape[0], mx = bx.coefficientCount, my = by.coefficientCount
    guard values.shape == [n, mx, my] else { throw BlockwiseError.shapeMismatch(expected: [n, mx, my], got: values.shape) }
    try checkFinite(values, "values")
    var z = widened(values)
    fitCoefficients(&z, count: n, x: bx, y: by)
    let np = (n + 3) / 4 * 4
    // Float stacks keep Float coefficients (fitted in Double, rounded once)
    // and evaluate in float lanes: half the memory traffic.
    let float = Element.self == Float.self
    coef = float ? SplineCoefficients(floatCount: mx * my * np) : SplineCoefficients(count: mx * my * np)
    let coef = self.coef
    let bound = float ? BW_STACK_EXP_BOUND_F32 : BW_STACK_EXP_BOUND
    bounded = z.allSatisfy { Swift.abs($0) <= bound } ? 1 : 0
    z.withUnsafeBufferPointer { zb in
      for i in 0..<mx {
        for j in 0..<my {
          let run = (i * my + j) * np
          for s in 0..<np {
            let v = s < n ? zb[(s * mx + i) * my + j] : 0
            if float { coef.floats[run + s] = Float(v) } else { coef.base[run + s] = v }
          }
        }
      }
    }
    (self.bx, self.by) = (bx, by)
    self.x = x
    self.y = y
    self.values = values
    self.degree = degree
    count = n
    padded = np
  }

  /// Spline `k` alone, as a `BivariateSpline` (refitted from its values).
  ///
  /// - Throws: `.invalidArgument` unless `0 <= k < count`.
  public func spline(_ k: Int) throws -> BivariateSpline<Element> {
    guard (0..<count).contains(k) else {
      throw BlockwiseError.invalidArgument(name: "spline index", expected: "0..<\(count)", got: "\(k)")
    }
    return try BivariateSpline(x: x, y: y, values: values.row(k), degree: degree)
  }

  /// Points per summation leaf of `sumExp` (fixed, so sums do not depend
  /// on threads). A leaf's points are taken in cell order, so the larger
  /// the leaf, the more points share a coefficient window: 8192 random
  /// points on W1's 49x49 cells are ~3.4 per cell, and neighbouring cells
  /// share 3/4 of a bicubic window (tuned on the 2-core AMD EPYC dev
  /// machine: W1-cubic took 317 ms with 256-point leaves in input order).
  static var sumLeaf: Int { BlockPolicy.bivariateStackSumLeaf }
  /// Points per summation leaf of `sumExpPerSpline`: 256 points x n values
  /// of scratch stay in L2 between the evaluation and the sums.
  static var perSplineLeaf: Int { BlockPolicy.bivariateStackPerSplineLeaf }
  /// Points per block for evaluation (512 points x n splines of scratch
  /// stay in L2; tuned on the 2-core AMD EPYC dev machine).
  static var evalBlock: Int { BlockPolicy.stackEvaluationBlock }

  /// Every spline at paired points `(x[i], y[i])`.
  ///
  /// - Returns: Shape `[n, m]`: row `k` holds spline `k` at the `m` points.
  /// - Throws: `BlockwiseError.rankMismatch` for non-1-D points,
  ///   `.lengthMismatch` when the lengths differ.
  /// - Complexity: O(n * m (kx + 1)(ky + 1)), parallel over blocks of points.
  /// - Error bound: as `BivariateSpline.evaluate`.
  public func evaluate(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> NDArray<Element> {
    try evaluatedArray(x: xi, y: yi)
  }

  /// Every spline at paired points, written into `output` (shape `[n, m]`).
  ///
  /// - Throws: As `evaluate(x:y:)`, and `BlockwiseError.shapeMismatch`
  ///   unless `output` has shape `[n, m]`.
  /// - Complexity: as `evaluate(x:y:)`.
  /// - Error bound: as `BivariateSpline.evaluate`.
  public func evaluate(x xi: NDArray<Element>, y yi: NDArray<Element>, into out: inout NDArray<Element>) throws {
    guard let m = try evaluationCount(x: xi, y: yi, out: out) else { return }
    let n = count, np = padded
    let (bx, by, coef) = (self.bx, self.by, self.coef)
    // Point-major values (whole vectors), then each spline's run gathered
    // and narrowed into its output row.
    forEachPointBlock(x: xi, y: yi, into: &out, blockLength: Self.evalBlock, scratch: { $0 * np + $0 }) {
      r, dx, dy, scratch, po in
      let len = r.count
      if coef.isFloat {
        // Float values straight into each spline's output row.
        let dst = UnsafeMutableRawPointer(po + r.lowerBound).assumingMemoryBound(to: Float.self)
        bw_bspline_stack_values_f32(bx.axis, by.axis, coef.floats, n, np, dx, dy, len, dst, 1, m)
        return
      }
      bw_bspline_stack_values(bx.axis, by.axis, coef.base, n, np, dx, dy, len, scratch, np, 1)
      let row = scratch + len * np
      for s in 0..<n {
        for p in 0..<len { row[p] = scratch[p * np + s] }
        Element._bwNarrow(row, po + s * m + r.lowerBound, len)
      }
    }
  }

  /// `sum_k sum_i exp(f_k(x[i], y[i]))`, fused: no values leave the cache.
  ///
  /// - Returns: The total (0 for no points or no splines; NaN if a
  ///   coordinate is NaN; +inf on overflow). Float stacks compute values
  ///   and exp in float lanes from Float coefficients and sum in Double,
  ///   rounding the total once.
  /// - Throws: As `evaluate(x:y:)`.
  /// - Complexity: O(n * m (kx + 1)(ky + 1)), parallel; bit-identical for
  ///   any thread count.
  /// - Error bound: each term within 1 ulp of exp of its computed value;
  ///   the 64 n terms of a chunk of 64 points go through one 4-lane
  ///   accumulator (AVX2; 8 accumulators portable), chunk sums are added
  ///   pairwise within leaves of 8192 points and leaf sums pairwise: relative
  ///   error below (16 n + 4 + log2(m / 64)) u, u = 2^-53.
  public func sumExp(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> Element {
    let m = try checkPoints(xi, yi)
    guard m > 0 && count > 0 else { return 0 }
    return Element(
      try withLeafSums(xi, yi) { leaf in
        leafSum(count: m, leaf: Self.sumLeaf, bytesPerElement: 16 + 8 * count, leaf)
      })
  }

  /// The leaf sums of `sumExp(x:y:)`, one per 8192 points:
  /// `sumExpPartials(x:y:).total()` equals `sumExp(x:y:)` (as a Double) bit
  /// for bit, and shards starting at multiples of 8192 points concatenate to
  /// the partials of all points (`Communicator.combine` across MPI ranks).
  ///
  /// - Throws: As `evaluate(x:y:)`.
  /// - Complexity: O(n * m (kx + 1)(ky + 1)), parallel; 8 bytes per leaf.
  public func sumExpPartials(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> ReductionPartials {
    let m = try checkPoints(xi, yi)
    guard m > 0 && count > 0 else {
      return ReductionPartials(
        validated: .sum, leafLength: Self.sumLeaf,
        values: [Double](repeating: 0, count: count == 0 ? BlockPolicy.pieces(count: m, length: Self.sumLeaf) : 0))
    }
    return try withLeafSums(xi, yi) { leaf in
      leafSumPartials(count: m, leaf: Self.sumLeaf, bytesPerElement: 16 + 8 * count, leaf)
    }
  }

  private func withLeafSums<R>(
    _ xi: NDArray<Element>, _ yi: NDArray<Element>, _ body: (@Sendable (Range<Int>) -> Double) throws -> R
  ) throws -> R {
    let n = count, np = padded
    let (bx, by, coef, bounded) = (self.bx, self.by, self.coef, self.bounded)
    return try xi.withUnsafeBufferPointer { bxp in
      try yi.withUnsafeBufferPointer { byp in
        let px = SendablePointer(bxp.baseAddress!), py = SendablePointer(byp.baseAddress!)
        return try body { r in
          let bytes = bw_bspline_stack_sum_exp_scratch(bx.axis, by.axis, n, np, r.count)
          return withDoublePoints(UnsafePointer(px.raw), UnsafePointer(py.raw), r, extra: bytes / 8 + 1) {
            dx, dy, scratch in
            coef.isFloat
              ? bw_bspline_stack_sum_exp_f32(bx.axis, by.axis, coef.floats, n, np, bounded, dx, dy, r.count, scratch)
              : bw_bspline_stack_sum_exp(bx.axis, by.axis, coef.base, n, np, bounded, dx, dy, r.count, scratch)
          }
        }
      }
    }
  }

  /// `sum_i exp(f_k(x[i], y[i]))` for each spline `k`.
  ///
  /// - Returns: Shape `[n]`.
  /// - Throws: As `evaluate(x:y:)`.
  /// - Complexity: O(n * m (kx + 1)(ky + 1)), parallel; bit-identical for
  ///   any thread count.
  /// - Error bound: within a leaf of 256 points the terms are added
  ///   pairwise (depth 8), leaf sums pairwise: relative error below
  ///   (9 + log2(m / 256)) u of the sum of the computed terms, each within
  ///   1 ulp of its exp.
  public func sumExpPerSpline(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> NDArray<Element> {
    let m = try checkPoints(xi, yi)
    let n = count, np = padded
    guard n > 0 else { return NDArray(uninitializedShape: [0], count: 0) }
    guard m > 0 else { return try .zeros([n]) }
    let leaf = Self.perSplineLeaf
    let leaves = BlockPolicy.pieces(count: m, length: leaf)
    let partials = UnsafeMutablePointer<Double>.allocate(capacity: leaves * n)
    defer { partials.deallocate() }
    let pp = SendablePointer(partials)
    let (bx, by, coef) = (self.bx, self.by, self.coef)
    xi.withUnsafeBufferPointer { bxp in
      yi.withUnsafeBufferPointer { byp in
        let px = SendablePointer(bxp.baseAddress!), py = SendablePointer(byp.baseAddress!)
        let leavesPerBlock = Swift.max(1, BlockPolicy.blockLength(bytesPerElement: 16 + 8 * np) / leaf)
        ComputePool.shared.forEachBlock(count: leaves, blockLength: leavesPerBlock) { lr in
          for l in lr {
            let r = l * leaf..<Swift.min(m, (l + 1) * leaf)
            // Float stacks: the double rows, then as many floats.
            let extra = coef.isFloat ? r.count * np + (r.count * np + 1) / 2 : r.count * np
            withDoublePoints(UnsafePointer(px.raw), UnsafePointer(py.raw), r, extra: extra) { dx, dy, scratch in
              if coef.isFloat {
                bw_bspline_stack_sum_exp_per_spline_f32(
                  bx.axis, by.axis, coef.floats, n, np, dx, dy, r.count, scratch, pp.advanced(by: l * n))
              } else {
                bw_bspline_stack_sum_exp_per_spline(
                  bx.axis, by.axis, coef.base, n, np, dx, dy, r.count, scratch, pp.advanced(by: l * n))
              }
            }
          }
        }
      }
    }
    var column = [Double](repeating: 0, count: leaves)
    var result = [Element](repeating: 0, count: n)
    for k in 0..<n {
      for l in 0..<leaves { column[l] = partials[l * n + k] }
      result[k] = Element(bw_pairwise_sum(column, leaves))
    }
    return NDArray(result)
  }
}
