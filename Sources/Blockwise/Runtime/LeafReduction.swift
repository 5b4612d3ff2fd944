internal import CBlockwiseKernels

// Deterministic reductions: every reduction in Blockwise cuts its input
// into leaves of a fixed length and combines the leaf partials in index
// order, so the result depends on the input size alone, never on the
// thread count, the block length or the machine's L2.

/// Sums `leafSum(range)` over fixed-length leaves of `0..<count` and adds
/// the leaf partials pairwise in index order (`bw_pairwise_sum`).
///
/// Blocks are whole numbers of leaves. Called from inside a pool block
/// (an axis reduction over many rows), the leaves run inline. The partials
/// of small reductions live on the stack.
func leafSum(
  count: Int, leaf: Int, bytesPerElement: Int, _ leafSum: @Sendable (Range<Int>) -> Double
) -> Double {
  let leaves = BlockPolicy.pieces(count: count, length: leaf)
  guard leaves > 0 else { return 0 }
  if leaves == 1 { return leafSum(0..<count) }
  return withUnsafeTemporaryAllocation(of: Double.self, capacity: leaves) { buffer in
    fillLeaves(buffer, count: count, leaf: leaf, bytesPerElement: bytesPerElement, leafSum)
    return bw_pairwise_sum(buffer.baseAddress!, leaves)
  }
}

/// Computes `leafValue` of every fixed-length leaf of `0..<count` into
/// `out` (one slot per leaf), in parallel blocks of whole leaves.
func fillLeaves<T>(
  _ out: UnsafeMutableBufferPointer<T>, count: Int, leaf: Int, bytesPerElement: Int,
  _ leafValue: @Sendable (Range<Int>) -> T
) {
  let slots = SendablePointer(out.baseAddress!)
  let leavesPerBlock = BlockPolicy.blockLength(bytesPerElement: bytesPerElement, leaf: leaf) / leaf
  ComputePool.shared.forEachBlock(count: out.count, blockLength: leavesPerBlock) { lr in
    for l in lr { slots[l] = leafValue(l * leaf..<Swift.min(count, (l + 1) * leaf)) }
  }
}

/// The per-leaf sums `leafSum` would add, for `ReductionPartials`.
func leafSumPartials(
  count: Int, leaf: Int, bytesPerElement: Int, _ leafSum: @Sendable (Range<Int>) -> Double
) -> ReductionPartials {
  let leaves = BlockPolicy.pieces(count: count, length: leaf)
  let values = [Double](unsafeUninitializedCapacity: leaves) { buffer, initialized in
    if leaves > 0 { fillLeaves(buffer, count: count, leaf: leaf, bytesPerElement: bytesPerElement, leafSum) }
    initialized = leaves
  }
  return ReductionPartials(validated: .sum, leafLength: leaf, values: values)
}

/// Combines `leafValue(range)` over fixed-length leaves in index order
/// (for exact combinations such as min and max, whose order does not
/// matter, and for any other combine that must not depend on threads).
func leafReduce(
  count: Int, leaf: Int, bytesPerElement: Int, _ leafValue: @Sendable (Range<Int>) -> Double,
  combine: @Sendable (Double, Double) -> Double
) -> Double? {
  ComputePool.shared.mapReduce(
    count: count,
    blockLength: BlockPolicy.blockLength(bytesPerElement: bytesPerElement, leaf: leaf),
    map: { r -> Double in
      var acc = leafValue(r.lowerBound..<Swift.min(r.upperBound, r.lowerBound + leaf))
      var start = r.lowerBound + leaf
      while start < r.upperBound {
        acc = combine(acc, leafValue(start..<Swift.min(r.upperBound, start + leaf)))
        start += leaf
      }
      return acc
    }, combine: combine)
}

/// Log-sum-exp partials of fixed-length leaves, combined pairwise in index
/// order (`LogSumExpPartial.pairwise`).
func leafLogSumExp(
  count: Int, leaf: Int, bytesPerElement: Int, _ leafPartial: @Sendable (Range<Int>) -> LogSumExpPartial
) -> LogSumExpPartial {
  let leaves = BlockPolicy.pieces(count: count, length: leaf)
  guard leaves > 0 else { return LogSumExpPartial(max: -.infinity, sum: 0) }
  return withUnsafeTemporaryAllocation(of: LogSumExpPartial.self, capacity: leaves) { parts in
    fillLeaves(parts, count: count, leaf: leaf, bytesPerElement: bytesPerElement, leafPartial)
    return LogSumExpPartial.pairwise(UnsafeBufferPointer(parts))
  }
}

/// The per-leaf (shift, sum) pairs `leafLogSumExp` would combine, for
/// `ReductionPartials`.
func leafLogSumExpPartials(
  count: Int, leaf: Int, bytesPerElement: Int, _ leafPartial: @Sendable (Range<Int>) -> LogSumExpPartial
) -> ReductionPartials {
  let leaves = BlockPolicy.pieces(count: count, length: leaf)
  var pairs = [LogSumExpPartial](repeating: LogSumExpPartial(max: 0, sum: 0), count: leaves)
  pairs.withUnsafeMutableBufferPointer { buffer in
    if leaves > 0 { fillLeaves(buffer, count: count, leaf: leaf, bytesPerElement: bytesPerElement, leafPartial) }
  }
  return ReductionPartials(validated: .logSumExp, leafLength: leaf, values: pairs.flatMap { [$0.max, $0.sum] })
}
