internal import CBlockwiseKernels

/// One knot axis of a spline grid, prepared for cell lookup by the kernels.
///
/// Uniform axes (every knot within 1e-3 of a cell of its uniform position)
/// are located by one multiply and at most one correction step. Other axes
/// get a bucket table: 2(n-1) equal buckets over the axis, each holding the
/// first and last cell it overlaps, then a binary search inside that range;
/// for typical spacings the range holds one or two cells, and it never
/// costs more than a plain binary search, so thousands of knots stay fast.
final class SplineAxis: @unchecked Sendable {
  // @unchecked: immutable after init; the buffers are only read afterwards.
  let count: Int
  let knots: UnsafeMutablePointer<Double>
  let invWidth: UnsafeMutablePointer<Double>
  let buckets: UnsafeMutablePointer<Int32>
  let axis: UnsafeMutablePointer<bw_axis>
  let isUniform: Bool

  /// - Throws: `.tooFewKnots`, `.nonFinite`, `.notStrictlyIncreasing`.
  init(_ values: [Double], name: String) throws {
    guard values.count >= 2 else {
      throw BlockwiseError.tooFewKnots(axis: name, minimum: 2, got: values.count)
    }
    for (i, v) in values.enumerated() where !v.isFinite {
      throw BlockwiseError.nonFinite(argument: name, index: i, value: v)
    }
    for i in 1..<values.count where !(values[i] > values[i - 1]) {
      throw BlockwiseError.notStrictlyIncreasing(
        axis: name, index: i, previous: values[i - 1], value: values[i])
    }
    guard values.count - 1 <= Int(Int32.max) else {
      throw BlockwiseError.invalidArgument(
        name: "\(name) knot count", expected: "at most \(Int32.max)", got: "\(values.count)")
    }
    let n = values.count
    count = n
    knots = .allocate(capacity: n)
    knots.initialize(from: values, count: n)
    invWidth = .allocate(capacity: n - 1)
    for i in 0..<(n - 1) { invWidth[i] = 1 / (values[i + 1] - values[i]) }
    let lo = values[0], hi = values[n - 1]
    let span = hi - lo
    guard span.isFinite else {
      throw BlockwiseError.invalidArgument(
        name: "\(name) range", expected: "a finite span", got: "\(lo) ... \(hi)")
    }
    let h = span / Double(n - 1)
    var uniform = true
    for i in 0..<n where Swift.abs(values[i] - (lo + Double(i) * h)) > 1e-3 * h {
      uniform = false
      break
    }
    isUniform = uniform
    let nb = 2 * (n - 1)
    buckets = .allocate(capacity: nb + 1)
    var cell = 0
    for b in 0...nb {
      let edge = b == nb ? hi : lo + span * Double(b) / Double(nb)
      while cell < n - 2 && values[cell + 1] <= edge { cell += 1 }
      buckets[b] = Int32(cell)
    }
    axis = .allocate(capacity: 1)
    axis.initialize(
      to: bw_axis(
        knots: knots, inv_width: invWidth, n: n, lo: lo, hi: hi, uniform: uniform ? 1 : 0,
        inv_h: Double(n - 1) / span, bucket: buckets, nbuckets: nb, inv_bucket: Double(nb) / span))
  }

  deinit {
    knots.deallocate()
    invWidth.deallocate()
    buckets.deallocate()
    axis.deallocate()
  }

  var values: [Double] { Array(UnsafeBufferPointer(start: knots, count: count)) }
}

/// Immutable coefficient storage shared by copies of a spline.
final class SplineCoefficients: @unchecked Sendable {
  private let raw: UnsafeMutableRawPointer
  let count: Int
  /// Whether the coefficients are Float (`init(floatCount:)`).
  let isFloat: Bool
  /// `count` Double coefficients, 64-byte aligned.
  init(count: Int) {
    self.count = count
    isFloat = false
    raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1) * 8, alignment: 64)
    raw.bindMemory(to: Double.self, capacity: Swift.max(count, 1))
  }
  /// `count` Float coefficients, 64-byte aligned (Float stacks: half the
  /// memory traffic of Double ones).
  init(floatCount count: Int) {
    self.count = count
    isFloat = true
    raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1) * 4, alignment: 64)
    raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
  }
  /// The Double coefficients (only for `init(count:)`).
  var base: UnsafeMutablePointer<Double> { raw.assumingMemoryBound(to: Double.self) }
  /// The Float coefficients (only for `init(floatCount:)`).
  var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
  deinit { raw.deallocate() }
}

// MARK: - Argument checks and point access shared by the spline types

/// Validates and prepares both axes of a spline grid (`x` first, so its
/// errors are reported first).
func prepareAxes<E: NDArrayScalar>(_ x: NDArray<E>, _ y: NDArray<E>) throws -> (SplineAxis, SplineAxis) {
  let ax = try SplineAxis(axisValues(x, name: "x"), name: "x")
  let ay = try SplineAxis(axisValues(y, name: "y"), name: "y")
  return (ax, ay)
}

func axisValues<E: NDArrayScalar>(_ a: NDArray<E>, name: String) throws -> [Double] {
  guard a.rank == 1 else { throw BlockwiseError.rankMismatch(argument: name, expected: 1, got: a.rank) }
  return widened(a)
}

/// The elements as Doubles, converted by one concrete kernel call: a
/// per-element `Double(_:)` in generic code runs through witness tables
/// when called, unspecialised, from another module.
func widened<E: NDArrayScalar>(_ a: NDArray<E>) -> [Double] {
  a.withUnsafeBufferPointer { src in
    [Double](unsafeUninitializedCapacity: src.count) { dst, initialized in
      if src.count > 0 { E._bwWiden(src.baseAddress!, dst.baseAddress!, src.count) }
      initialized = src.count
    }
  }
}

/// Checks that `x` and `y` are paired 1-D point arrays; returns their length.
func checkPoints<E: NDArrayScalar>(_ x: NDArray<E>, _ y: NDArray<E>) throws -> Int {
  guard x.rank == 1 else { throw BlockwiseError.rankMismatch(argument: "x", expected: 1, got: x.rank) }
  guard y.rank == 1 else { throw BlockwiseError.rankMismatch(argument: "y", expected: 1, got: y.rank) }
  guard x.count == y.count else {
    throw BlockwiseError.lengthMismatch(argument: "y", expected: x.count, got: y.count)
  }
  return x.count
}

/// Calls `body` with Double pointers to points `range` of `x` and `y` and a
/// scratch area of `extra` doubles. Double input is passed through; Float
/// input is widened into the calling thread's scratch buffer (no allocation
/// once the thread has warmed up).
@inline(__always)
func withDoublePoints<E: NDArrayScalar, R>(
  _ x: UnsafePointer<E>, _ y: UnsafePointer<E>, _ range: Range<Int>, extra: Int,
  _ body: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> R
) -> R {
  let m = range.count
  if E.self == Double.self {
    let scratch = bw_scratch(Swift.max(extra, 1) * 8)!.assumingMemoryBound(to: Double.self)
    // E is Double: the memory is already bound to Double.
    let px = UnsafeRawPointer(x + range.lowerBound).assumingMemoryBound(to: Double.self)
    let py = UnsafeRawPointer(y + range.lowerBound).assumingMemoryBound(to: Double.self)
    return body(px, py, scratch)
  }
  let scratch = bw_scratch((2 * m + extra) * 8)!.assumingMemoryBound(to: Double.self)
  E._bwWiden(x + range.lowerBound, scratch, m)
  E._bwWiden(y + range.lowerBound, scratch + m, m)
  return body(scratch, scratch + m, scratch + 2 * m)
}

/// The evaluation plumbing every spline type shares: `output`'s storage,
/// the points' storage and blocks of `blockLength` points on the pool.
/// `body` gets the block's range, Double pointers to its points (Float
/// points widened into the worker's scratch), `scratch(count)` doubles of
/// scratch and the output's base address.
func forEachPointBlock<E: NDArrayScalar>(
  x xi: NDArray<E>, y yi: NDArray<E>, into out: inout NDArray<E>, blockLength: Int,
  scratch: @Sendable (Int) -> Int,
  _ body: @Sendable (
    Range<Int>, UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<E>
  ) -> Void
) {
  let m = xi.count
  guard m > 0 else { return }
  out.withUnsafeMutableBufferPointer { o in
    let po = SendablePointer(o.baseAddress!)
    xi.withUnsafeBufferPointer { bx in
      yi.withUnsafeBufferPointer { by in
        let px = SendablePointer(bx.baseAddress!), py = SendablePointer(by.baseAddress!)
        ComputePool.shared.forEachBlock(count: m, blockLength: blockLength) { r in
          withDoublePoints(UnsafePointer(px.raw), UnsafePointer(py.raw), r, extra: scratch(r.count)) { dx, dy, s in
            body(r, dx, dy, s, po.raw)
          }
        }
      }
    }
  }
}

/// The grid plumbing both single-spline types share: `output[i, j] =
/// s(x[i], y[j])`, rows in blocks of about `pointsPerBlock` values on the
/// pool. `row(xs, ys, values, count)` evaluates `count` points (every
/// `xs[k]` is `x[i]`) into `values`, which are then narrowed into row `i`.
/// The caller has checked ranks and the output's shape.
func evaluateGridRows<E: NDArrayScalar>(
  x gx: NDArray<E>, y gy: NDArray<E>, into out: inout NDArray<E>, pointsPerBlock: Int,
  row: @Sendable (UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void
) {
  let rows = gx.count, cols = gy.count
  guard rows > 0 && cols > 0 else { return }
  let gxs = widened(gx), gys = widened(gy)
  out.withUnsafeMutableBufferPointer { o in
    let po = SendablePointer(o.baseAddress!)
    gys.withUnsafeBufferPointer { ys in
      let py = SendablePointer(UnsafeMutablePointer(mutating: ys.baseAddress!))
      let rowsPerBlock = Swift.max(1, pointsPerBlock / cols)
      ComputePool.shared.forEachBlock(count: rows, blockLength: rowsPerBlock) { r in
        let scratch = bw_scratch(2 * cols * 8)!.assumingMemoryBound(to: Double.self)
        for i in r {
          scratch.update(repeating: gxs[i], count: cols)
          row(scratch, UnsafePointer(py.raw), scratch + cols, cols)
          E._bwNarrow(scratch + cols, po.raw.advanced(by: i * cols), cols)
        }
      }
    }
  }
}
