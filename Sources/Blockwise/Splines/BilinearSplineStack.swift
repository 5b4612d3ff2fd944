internal import CBlockwiseKernels

/// `n` bilinear splines on one grid, evaluated together.
///
/// The cell lookup and the offsets of a point are computed once and serve
/// all `n` splines: per cell the coefficients of every spline lie in four
/// contiguous runs (`a`, `b`, `c`, `d` of `a + b*tx + c*ty + d*tx*ty`), so
/// the inner loop over splines is a broadcast of the point's offsets and
/// unit-stride vector loads, with exp fused into `sumExp`.
///
/// ```swift
/// let st = try BilinearSplineStack(x: xAxis, y: yAxis, values: z3)  // z3: [n, nx, ny]
/// let total = try st.sumExp(x: xi, y: yi)  // sum_k sum_i exp(f_k(xi, yi))
/// ```
///
/// A `Float` stack keeps Float coefficients (half the memory traffic of a
/// Double one) and computes values and exp in float lanes (8 splines per
/// AVX2 vector, 16 per AVX-512, 4 per NEON), summing in Double: W1 (50
/// splines, 50 x 50 grid) runs in about 0.6x the Double stack's time, and
/// its sum stays within 1e-6 relative of the Double stack's on the same
/// (Float-rounded) values and points; each term carries the Float
/// rounding of its coefficients and value (a few float ulps of the value)
/// and of exp (within 1 ulp).
public struct BilinearSplineStack<Element: NDArrayScalar>: Sendable {
  /// The knots along the first axis.
  public let x: NDArray<Element>
  /// The knots along the second axis.
  public let y: NDArray<Element>
  /// The values, shape `[n, x.count, y.count]`.
  public let values: NDArray<Element>
  /// The number of splines.
  public let count: Int

  let ax: SplineAxis
  let ay: SplineAxis
  let coef: SplineCoefficients
  /// `count` rounded up to a multiple of 4 (the runs' stride; the kernels
  /// read only the first `count` lanes of each run).
  let padded: Int
  /// 1 when every grid value has magnitude at most `BW_STACK_EXP_BOUND`:
  /// spline values are convex combinations of grid values, so the fused
  /// exp kernels then skip their per-vector range check.
  let bounded: Int32

  /// Builds `n` splines sharing the grid `x` by `y`.
  ///
  /// - Parameters:
  ///   - x: Strictly increasing finite knots, at least 2, 1-D.
  ///   - y: Strictly increasing finite knots, at least 2, 1-D.
  ///   - values: Finite values of shape `[n, x.count, y.count]`.
  /// - Throws: As `BilinearSpline.init`, and `.rankMismatch` unless
  ///   `values` is 3-D.
  /// - Complexity: O(n * x.count * y.count).
  public init(x: NDArray<Element>, y: NDArray<Element>, values: NDArray<Element>) throws {
    (ax, ay) = try prepareAxes(x, y)
    guard values.rank == 3 else {
      throw BlockwiseError.rankMismatch(argument: "values", expected: 3, got: values.rank)
    }
    let n = values.shape[0], nx = ax.count, ny = ay.count
    guard values.shape == [n, nx, ny] else {
      throw BlockwiseError.shapeMismatch(expected: [n, nx, ny], got: values.shape)
    }
    try checkFinite(values, "values")
    self.x = x
    self.y = y
    self.values = values
    count = n
    let np = (n + 3) / 4 * 4
    padded = np
    let cells = (nx - 1) * (ny - 1)
    // Float stacks keep Float coefficients (half the memory traffic) and
    // compute in float lanes; the coefficients are formed in Double from
    // the grid values and rounded once.
    let float = Element.self == Float.self
    coef = float ? SplineCoefficients(floatCount: cells * 4 * np) : SplineCoefficients(count: cells * 4 * np)
    let zd = widened(values)
    let bound = float ? BW_STACK_EXP_BOUND_F32 : BW_STACK_EXP_BOUND
    bounded = zd.allSatisfy { Swift.abs($0) <= bound } ? 1 : 0
    let coef = self.coef
    func store(_ i: Int, _ v: Double) {
      if float { coef.floats[i] = Float(v) } else { coef.base[i] = v }
    }
    zd.withUnsafeBufferPointer { z in
      for i in 0..<(nx - 1) {
        for j in 0..<(ny - 1) {
          let run = (i * (ny - 1) + j) * 4 * np
          for k in 0..<np {
            guard k < n else {
              // Padding lanes: zeros, masked off by the kernels.
              for r in 0..<4 { store(run + r * np + k, 0) }
              continue
            }
            let base = k * nx * ny
            let z00 = z[base + i * ny + j], z01 = z[base + i * ny + j + 1]
            let z10 = z[base + (i + 1) * ny + j], z11 = z[base + (i + 1) * ny + j + 1]
            store(run + k, z00)
            store(run + np + k, z10 - z00)
            store(run + 2 * np + k, z01 - z00)
            store(run + 3 * np + k, (z11 - z10) - (z01 - z00))
          }
        }
      }
    }
  }

  /// Points per summation leaf (fixed, so sums do not depend on threads).
  /// 256 points x 50 splines is ~13k exps, 10 to 20 microseconds: small
  /// partial arrays, and the per-leaf overhead under 1%.
  static var sumLeaf: Int { BlockPolicy.bilinearStackSumLeaf }
  /// Points per block for evaluation: 512 points x n splines of output
  /// stay in L2 while the rows are scattered (tuned on the 2-core dev box).
  static var evalBlock: Int { BlockPolicy.stackEvaluationBlock }

  /// Every spline at paired points `(x[i], y[i])`.
  ///
  /// - Returns: Shape `[n, m]`: row `k` holds spline `k` at the `m` points.
  /// - Throws: `BlockwiseError.rankMismatch` for non-1-D points,
  ///   `.lengthMismatch` when the lengths differ.
  /// - Complexity: O(n * m), parallel over blocks of points.
  /// - Error bound: as `BilinearSpline.evaluate`.
  public func evaluate(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> NDArray<Element> {
    try evaluatedArray(x: xi, y: yi)
  }

  /// Every spline at paired points `(x[i], y[i])`, written into `output`:
  /// no new array.
  ///
  /// ```swift
  /// var values = try NDArray<Double>.zeros([st.count, xi.count])
  /// try st.evaluate(x: xi, y: yi, into: &values)
  /// ```
  /// - Parameter output: Shape `[n, m]`; overwritten (copied first if shared).
  /// - Throws: As `evaluate(x:y:)`, and `BlockwiseError.shapeMismatch`
  ///   unless `output` has shape `[n, m]`.
  /// - Complexity: O(n * m), parallel over blocks of points.
  /// - Error bound: as `BilinearSpline.evaluate`.
  public func evaluate(x xi: NDArray<Element>, y yi: NDArray<Element>, into out: inout NDArray<Element>) throws {
    guard let m = try evaluationCount(x: xi, y: yi, out: out) else { return }
    let n = count, np = padded
    let (ax, ay, coef) = (self.ax, self.ay, self.coef)
    forEachPointBlock(x: xi, y: yi, into: &out, blockLength: Self.evalBlock, scratch: { _ in 0 }) {
      r, dx, dy, _, po in
      // Row k of the output holds spline k: stride m, offset by the block.
      let dst = UnsafeMutableRawPointer(po + r.lowerBound)
      if coef.isFloat {
        bw_stack_eval_f32(ax.axis, ay.axis, coef.floats, n, np, dx, dy, r.count, dst.assumingMemoryBound(to: Float.self), m)
      } else {
        bw_stack_eval(ax.axis, ay.axis, coef.base, n, np, dx, dy, r.count, dst.assumingMemoryBound(to: Double.self), m)
      }
    }
  }

  /// `sum_k sum_i exp(f_k(x[i], y[i]))`, fused: no values are stored.
  ///
  /// - Returns: The total (0 for no points or no splines; NaN if a
  ///   coordinate is NaN; +inf on overflow). Float stacks compute each term
  ///   in float lanes and sum in Double, rounding the total once.
  /// - Throws: As `evaluate(x:y:)`.
  /// - Complexity: O(n * m), parallel; bit-identical for any thread count.
  /// - Error bound: each term within 1 ulp of exp of its computed value;
  ///   the positive terms are summed with relative error below
  ///   (256 ⌈n / L⌉ + 3 + ⌈log2(m / 256)⌉) u, u = 2^-53: a leaf of 256
  ///   points adds ⌈n / L⌉ vectors per point into one accumulator of L
  ///   double lanes (L = 4 on AVX2 and generic, 8 on AVX-512, 2 on NEON;
  ///   Float stacks: two such accumulators per float vector), at most 3
  ///   roundings join the lanes, leaves are added pairwise. Float stacks
  ///   add the terms' Float rounding: within 1e-6 relative of the Double
  ///   stack on the same data for W1-like stacks (tested).
  public func sumExp(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> Element {
    let m = try checkPoints(xi, yi)
    guard m > 0 && count > 0 else { return 0 }
    return Element(try withLeafSums(xi, yi) { leaf in leafSum(count: m, leaf: Self.sumLeaf, bytesPerElement: 64, leaf) })
  }

  /// The leaf sums of `sumExp(x:y:)`, one per `sumLeaf` (256) points:
  /// `sumExpPartials(x:y:).total()` is `sumExp(x:y:)` (as a Double), bit
  /// for bit, and the partials of point shards starting at multiples of
  /// 256 points concatenate to the partials of all the points
  /// (`Communicator.combine` across MPI ranks).
  ///
  /// ```swift
  /// let mine = comm.shard(count: points, alignment: 256)
  /// let partials = try stack.sumExpPartials(x: xi.rows(mine), y: yi.rows(mine))
  /// let total = try comm.combine(partials)     // W1's total, as one process computes it
  /// ```
  /// - Throws: As `evaluate(x:y:)`.
  /// - Complexity: O(n * m), parallel; 8 bytes per 256 points.
  public func sumExpPartials(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> ReductionPartials {
    let m = try checkPoints(xi, yi)
    guard m > 0 && count > 0 else {
      // No splines: every leaf sums to zero (one process returns 0).
      return ReductionPartials(
        validated: .sum, leafLength: Self.sumLeaf,
        values: [Double](repeating: 0, count: count == 0 ? BlockPolicy.pieces(count: m, length: Self.sumLeaf) : 0))
    }
    return try withLeafSums(xi, yi) { leaf in leafSumPartials(count: m, leaf: Self.sumLeaf, bytesPerElement: 64, leaf) }
  }

  /// Calls `body` with the fused exp-sum of a range of points.
  func withLeafSums<R>(
    _ xi: NDArray<Element>, _ yi: NDArray<Element>, _ body: (@Sendable (Range<Int>) -> Double) throws -> R
  ) throws -> R {
    let n = count, np = padded
    let (ax, ay, coef, bounded) = (self.ax, self.ay, self.coef, self.bounded)
    return try xi.withUnsafeBufferPointer { bx in
      try yi.withUnsafeBufferPointer { by in
        let px = SendablePointer(bx.baseAddress!), py = SendablePointer(by.baseAddress!)
        return try body { r in
          withDoublePoints(UnsafePointer(px.raw), UnsafePointer(py.raw), r, extra: 0) { dx, dy, _ in
            coef.isFloat
              ? bw_stack_sum_exp_f32(ax.axis, ay.axis, coef.floats, n, np, bounded, dx, dy, r.count)
              : bw_stack_sum_exp(ax.axis, ay.axis, coef.base, n, np, bounded, dx, dy, r.count)
          }
        }
      }
    }
  }

  /// `sum_i exp(f_k(x[i], y[i]))` for each spline `k`.
  ///
  /// - Returns: Shape `[n]`.
  /// - Throws: As `evaluate(x:y:)`.
  /// - Complexity: O(n * m) time, O(n * m / 512) for the partials;
  ///   bit-identical for any thread count.
  /// - Error bound: compensated (Kahan) sums within leaves of 1024 points,
  ///   leaf sums added pairwise: relative error below (4 + log2(m / 1024)) u
  ///   of the sum of the computed terms, each within 1 ulp of its exp.
  public func sumExpPerSpline(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> NDArray<Element> {
    let m = try checkPoints(xi, yi)
    let n = count, np = padded
    guard n > 0 else { return NDArray(uninitializedShape: [0], count: 0) }
    guard m > 0 else { return try .zeros([n]) }
    let leaf = BlockPolicy.bilinearStackPerSplineLeaf
    let leaves = BlockPolicy.pieces(count: m, length: leaf)
    let partials = UnsafeMutablePointer<Double>.allocate(capacity: leaves * 2 * n)
    defer { partials.deallocate() }
    let pp = SendablePointer(partials)
    let (ax, ay, coef, bounded) = (self.ax, self.ay, self.coef, self.bounded)
    xi.withUnsafeBufferPointer { bx in
      yi.withUnsafeBufferPointer { by in
        let px = SendablePointer(bx.baseAddress!), py = SendablePointer(by.baseAddress!)
        ComputePool.shared.forEachBlock(count: leaves, blockLength: 4) { lr in
          for l in lr {
            let r = l * leaf..<Swift.min(m, (l + 1) * leaf)
            withDoublePoints(UnsafePointer(px.raw), UnsafePointer(py.raw), r, extra: 0) { dx, dy, _ in
              if coef.isFloat {
                bw_stack_sum_exp_per_spline_f32(
                  ax.axis, ay.axis, coef.floats, n, np, bounded, dx, dy, r.count, pp.advanced(by: l * 2 * n))
              } else {
                bw_stack_sum_exp_per_spline(
                  ax.axis, ay.axis, coef.base, n, np, bounded, dx, dy, r.count, pp.advanced(by: l * 2 * n))
              }
            }
          }
        }
      }
    }
    var column = [Double](repeating: 0, count: leaves)
    var result = [Element](repeating: 0, count: n)
    for k in 0..<n {
      for l in 0..<leaves { column[l] = partials[l * 2 * n + k] }
      result[k] = Element(bw_pairwise_sum(column, leaves))
    }
    return NDArray(result)
  }

  /// `sum_i exp(f_k(x[i], y[i]))` for each spline `k`, written into
  /// `output` (shape `[n]`).
  ///
  /// - Throws: As `sumExpPerSpline(x:y:)`, and `BlockwiseError.shapeMismatch`
  ///   unless `output` has shape `[n]`.
  /// - Complexity: as `sumExpPerSpline(x:y:)`.
  /// - Error bound: as `sumExpPerSpline(x:y:)`.
  public func sumExpPerSpline(x xi: NDArray<Element>, y yi: NDArray<Element>, into out: inout NDArray<Element>) throws {
    guard out.shape == [count] else { throw BlockwiseError.shapeMismatch(expected: [count], got: out.shape) }
    let sums = try sumExpPerSpline(x: xi, y: yi)
    out.withUnsafeMutableBufferPointer { o in
      sums.withUnsafeBufferPointer { s in if let b = s.baseAddress, s.count > 0 { o.baseAddress!.update(from: b, count: s.count) } }
    }
  }
}
