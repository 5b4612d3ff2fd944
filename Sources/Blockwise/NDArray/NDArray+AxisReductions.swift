internal import CBlockwiseKernels

// Reductions along one axis, numpy's `a.sum(axis=k)`.
//
// The array is viewed as [outer, n, inner] with n the reduced extent.
// - inner == 1 (the last axis, or only extents of 1 after it): every output
//   is a contiguous run of n elements, reduced by exactly the whole-array
//   code, so `a.sum(axis: -1)[i]` is bit for bit `a.row(i).sum()`. Parallel
//   over runs when there are many, else each run is reduced in parallel.
// - inner > 1: columns are reduced by folding rows into accumulator tiles
//   of `BlockPolicy.axisReductionTile` columns (unit-stride reads of every
//   row segment, no transpose). Rows go in leaves of
//   `BlockPolicy.axisReductionLeaf`, folded in order; leaf vectors are
//   added pairwise (`bw_pairwise_rows`). Parallel over (outer, tile) jobs
//   when there are enough, else over the leaves of each job.
// Either way a result depends on the shape alone, never on the thread
// count or the tiling.

extension NDArray {
  enum AxisReduction {
    case sum, mean, sumExp, max, min, logSumExp

    var name: String {
      switch self {
      case .sum: "sum"
      case .mean: "mean"
      case .sumExp: "sumExp"
      case .max: "max"
      case .min: "min"
      case .logSumExp: "logSumExp"
      }
    }
  }

  /// The sum along `axis`, as numpy's `sum(axis=)`.
  ///
  /// ```swift
  /// let m = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  /// try m.sum(axis: 0).scalars    // [5, 7, 9]
  /// try m.sum(axis: -1).scalars   // [6, 15]
  /// ```
  /// - Parameters:
  ///   - axis: The axis to reduce; negative values count from the end.
  ///   - keepingDimension: Keep the axis with extent 1 (numpy's `keepdims`).
  /// - Returns: The sums, with the axis removed (or of extent 1); 0 where
  ///   the axis is empty. Float arrays accumulate in Double.
  /// - Throws: `BlockwiseError.invalidArgument` for an axis out of range.
  /// - Complexity: O(n), parallel; bit-identical for any thread count.
  /// - Error bound: along the last axis, that of `sum()` for each run
  ///   ((523 + log2(n / 4096)) u sum|x|); along any other axis
  ///   (518 + log2(n / 512)) u sum|x| per output (511 roundings within a
  ///   leaf of 512 rows, 7 + log2(leaves) in the pairwise tree), u = 2^-53.
  ///   Float results add half an ulp.
  public func sum(axis: Int, keepingDimension: Bool = false) throws -> NDArray {
    try reduce(.sum, axis: axis, keepingDimension: keepingDimension)
  }

  /// The arithmetic mean along `axis` (the sum divided by the extent).
  ///
  /// - Throws: `BlockwiseError.invalidArgument` for an axis out of range,
  ///   `.emptyArray` when the axis has extent 0 (numpy gives NaN and a warning).
  /// - Complexity: O(n), parallel; bit-identical for any thread count.
  /// - Error bound: that of `sum(axis:)` divided by the extent, plus half an ulp.
  public func mean(axis: Int, keepingDimension: Bool = false) throws -> NDArray {
    try reduce(.mean, axis: axis, keepingDimension: keepingDimension)
  }

  /// The smallest element along `axis`; NaN where any element is NaN (numpy's rule).
  ///
  /// - Throws: `BlockwiseError.invalidArgument` for an axis out of range,
  ///   `.emptyArray` when the axis has extent 0 (as numpy raises).
  /// - Complexity: O(n), parallel; exact.
  public func min(axis: Int, keepingDimension: Bool = false) throws -> NDArray {
    try reduce(.min, axis: axis, keepingDimension: keepingDimension)
  }

  /// The largest element along `axis`; NaN where any element is NaN (numpy's rule).
  ///
  /// - Throws: `BlockwiseError.invalidArgument` for an axis out of range,
  ///   `.emptyArray` when the axis has extent 0 (as numpy raises).
  /// - Complexity: O(n), parallel; exact.
  public func max(axis: Int, keepingDimension: Bool = false) throws -> NDArray {
    try reduce(.max, axis: axis, keepingDimension: keepingDimension)
  }

  /// The sum of `exp(x)` along `axis`, fused (no temporary array).
  ///
  /// - Returns: 0 where the axis is empty; +inf where a sum overflows.
  /// - Throws: `BlockwiseError.invalidArgument` for an axis out of range.
  /// - Complexity: O(n), parallel; bit-identical for any thread count.
  /// - Error bound: relative to the exact sum of the computed exps (each
  ///   within 1 ulp): along the last axis that of `sumExp()` for each run,
  ///   (1025 + ⌈log2(n / 4096)⌉) u; along any other axis the `sum(axis:)`
  ///   factor, (518 + log2(n / 512)) u.
  public func sumExp(axis: Int, keepingDimension: Bool = false) throws -> NDArray {
    try reduce(.sumExp, axis: axis, keepingDimension: keepingDimension)
  }

  /// `log(sum(exp(x)))` along `axis`, computed stably (scipy's
  /// `logsumexp(a, axis=)`).
  ///
  /// Along the last axis, each run as `logSumExp()` (one pass over
  /// memory); along any other axis, the column maxima first, then the
  /// shifted sums of exp, then `max + log(sum)`. -inf where the axis is
  /// empty or all -inf, +inf where any element is +inf, NaN where any is NaN.
  /// - Throws: `BlockwiseError.invalidArgument` for an axis out of range.
  /// - Complexity: O(n), parallel; bit-identical for any thread count.
  /// - Error bound: as `logSumExp()`: about 2 ulp of the result plus a
  ///   small absolute term growing with log2 of the extent.
  public func logSumExp(axis: Int, keepingDimension: Bool = false) throws -> NDArray {
    try reduce(.logSumExp, axis: axis, keepingDimension: keepingDimension)
  }

  func reduce(_ op: AxisReduction, axis: Int, keepingDimension: Bool) throws -> NDArray {
    let a = try normalizedAxis(axis)
    let outer = extent(0..<a), n = shape[a]
    var outShape = shape
    if keepingDimension { outShape[a] = 1 } else { outShape.remove(at: a) }
    let m = try Self.elementCount(of: outShape)
    let inner = outer == 0 ? 0 : m / Swift.max(outer, 1)
    if n == 0 && m > 0 {
      switch op {
      case .max, .min, .mean:
        throw BlockwiseError.emptyArray(operation: "\(op.name)(axis: \(axis)) along an axis of extent 0")
      case .sum, .sumExp: return try .zeros(outShape)
      case .logSumExp: return try .full(outShape, value: -.infinity)
      }
    }
    let out = try NDArray(validatedShape: outShape)
    guard m > 0 else { return out }
    // Results are formed in Double: in place for Double arrays, through a
    // temporary for Float ones.
    let result: UnsafeMutablePointer<Double>
    let temporary: UnsafeMutablePointer<Double>?
    if Element.self == Double.self {
      result = UnsafeMutableRawPointer(out.storage.base).assumingMemoryBound(to: Double.self)
      temporary = nil
    } else {
      temporary = .allocate(capacity: m)
      result = temporary!
    }
    defer { temporary?.deallocate() }
    withUnsafeBufferPointer { buf in
      let x = buf.baseAddress!
      if inner == 1 {
        Self.reduceRuns(op, x, outer: outer, n: n, into: result)
      } else {
        Self.reduceColumns(op, x, outer: outer, n: n, inner: inner, into: result)
      }
    }
    if let t = temporary { Element._bwNarrow(t, out.storage.base, m) }
    return out
  }

  /// Reduces `outer` contiguous runs of `n` elements each.
  static func reduceRuns(
    _ op: AxisReduction, _ x: UnsafePointer<Element>, outer: Int, n: Int, into result: UnsafeMutablePointer<Double>
  ) {
    let (px, pr) = (SendablePointer(x), SendablePointer(result))
    let one: @Sendable (Int) -> Void = { o in
      let run = px.reading(at: o * n)
      let v: Double
      switch op {
      case .sum: v = sumRun(run, n)
      case .mean: v = sumRun(run, n) / Double(n)
      case .sumExp: v = sumExpRun(run, n, shift: 0)
      case .max: v = extremumRun(run, n, isMax: true)
      case .min: v = extremumRun(run, n, isMax: false)
      case .logSumExp: v = logSumExpRun(run, n)
      }
      pr[o] = v
    }
    if outer >= 2 * ComputePool.shared.threadCount {
      // Many runs: whole runs per block (each reduced inline in its block).
      let perBlock = Swift.max(1, BlockPolicy.blockLength(bytesPerElement: MemoryLayout<Element>.stride) / Swift.max(n, 1))
      ComputePool.shared.forEachBlock(count: outer, blockLength: perBlock) { r in
        for o in r { one(o) }
      }
    } else {
      for o in 0..<outer { one(o) }
    }
  }

  /// Reduces the middle axis of [outer, n, inner] (inner > 1) by folding
  /// rows into column tiles.
  static func reduceColumns(
    _ op: AxisReduction, _ x: UnsafePointer<Element>, outer: Int, n: Int, inner: Int,
    into result: UnsafeMutablePointer<Double>
  ) {
    switch op {
    case .sum, .sumExp, .max, .min:
      foldColumns(op, x, outer: outer, n: n, inner: inner, shift: nil, into: result)
    case .mean:
      foldColumns(.sum, x, outer: outer, n: n, inner: inner, shift: nil, into: result)
      let count = outer * inner
      for i in 0..<count { result[i] /= Double(n) }
    case .logSumExp:
      let count = outer * inner
      let maxima = UnsafeMutablePointer<Double>.allocate(capacity: count)
      defer { maxima.deallocate() }
      foldColumns(.max, x, outer: outer, n: n, inner: inner, shift: nil, into: maxima)
      // A finite shift per column; non-finite maxima are settled below.
      let shifts = UnsafeMutablePointer<Double>.allocate(capacity: count)
      defer { shifts.deallocate() }
      for i in 0..<count { shifts[i] = maxima[i].isFinite ? maxima[i] : 0 }
      foldColumns(.sumExp, x, outer: outer, n: n, inner: inner, shift: UnsafePointer(shifts), into: result)
      for i in 0..<count {
        result[i] = LogSumExpPartial(max: maxima[i], sum: result[i]).value
      }
    }
  }

  /// The tiled row fold behind `reduceColumns`: `op` is sum, sumExp (with
  /// an optional per-column shift laid out like the result), max or min.
  static func foldColumns(
    _ op: AxisReduction, _ x: UnsafePointer<Element>, outer: Int, n: Int, inner: Int,
    shift: UnsafePointer<Double>?, into result: UnsafeMutablePointer<Double>
  ) {
    let leafRows = BlockPolicy.axisReductionLeaf
    let leaves = BlockPolicy.pieces(count: n, length: leafRows)
    // At most 2^19 doubles (4 MiB) of leaf partials per tile.
    let tile = Swift.min(inner, BlockPolicy.axisReductionTile, Swift.max(1, (1 << 19) / leaves))
    let tiles = BlockPolicy.pieces(count: inner, length: tile)
    let jobs = outer * tiles
    let (px, pr) = (SendablePointer(x), SendablePointer(result))
    let ps = shift.map { SendablePointer($0) }

    // Leaf `l` of job (o, t) into `part` (w doubles).
    let leaf: @Sendable (Int, Int, Int, UnsafeMutablePointer<Double>) -> Void = { o, t, l, part in
      let c0 = t * tile, w = Swift.min(tile, inner - c0)
      let r0 = l * leafRows, rows = Swift.min(leafRows, n - r0)
      let src = px.reading(at: (o * n + r0) * inner + c0)
      switch op {
      case .max, .min:
        Element._bwWiden(src, part, w)
        let rest = src + inner
        if op == .max { Element._bwRowsMax(rest, rows - 1, inner, w, part) } else {
          Element._bwRowsMin(rest, rows - 1, inner, w, part)
        }
      case .sumExp:
        part.initialize(repeating: 0, count: w)
        Element._bwRowsSumExp(src, rows, inner, w, ps.map { $0.reading(at: o * inner + c0) }, part)
      default:
        part.initialize(repeating: 0, count: w)
        Element._bwRowsSum(src, rows, inner, w, part)
      }
    }
    // Leaf partials of job (o, t), `leaves` runs of w doubles, combined
    // into the result.
    let combine: @Sendable (Int, Int, UnsafeMutablePointer<Double>) -> Void = { o, t, parts in
      let c0 = t * tile, w = Swift.min(tile, inner - c0)
      switch op {
      case .max: Double._bwRowsMax(parts + w, leaves - 1, w, w, parts)
      case .min: Double._bwRowsMin(parts + w, leaves - 1, w, w, parts)
      default: bw_pairwise_rows(parts, leaves, w)
      }
      pr.advanced(by: o * inner + c0).update(from: parts, count: w)
    }

    if jobs >= 2 * ComputePool.shared.threadCount || leaves == 1 {
      ComputePool.shared.forEachBlock(count: jobs, blockLength: 1) { r in
        for job in r {
          let (o, t) = (job / tiles, job % tiles)
          let w = Swift.min(tile, inner - t * tile)
          let parts = bw_scratch(leaves * w * 8)!.assumingMemoryBound(to: Double.self)
          for l in 0..<leaves { leaf(o, t, l, parts + l * w) }
          combine(o, t, parts)
        }
      }
    } else {
      // Few long jobs: the leaves of each job in parallel.
      let parts = UnsafeMutablePointer<Double>.allocate(capacity: leaves * tile)
      defer { parts.deallocate() }
      let pp = SendablePointer(parts)
      for job in 0..<jobs {
        let (o, t) = (job / tiles, job % tiles)
        let w = Swift.min(tile, inner - t * tile)
        ComputePool.shared.forEachBlock(count: leaves, blockLength: 1) { r in
          for l in r { leaf(o, t, l, pp.advanced(by: l * w)) }
        }
        combine(o, t, parts)
      }
    }
  }
}
