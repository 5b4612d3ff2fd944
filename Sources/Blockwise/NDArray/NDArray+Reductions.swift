internal import CBlockwiseKernels

// Whole-array reductions, and the run-level forms that the axis reductions
// reuse for contiguous rows (so that `a.sum(axis: -1)[i]` is bit for bit
// `a.row(i).sum()`).

extension NDArray {
  /// The sum of `n` elements at `p`: leaves of `BlockPolicy.reductionLeaf`,
  /// leaf sums added pairwise. Parallel, or inline inside a pool block.
  static func sumRun(_ p: UnsafePointer<Element>, _ n: Int) -> Double {
    let x = SendablePointer(p)
    return leafSum(count: n, leaf: BlockPolicy.reductionLeaf, bytesPerElement: MemoryLayout<Element>.stride) {
      r in Element._bwSum(x.reading(at: r.lowerBound), r.count)
    }
  }

  /// The largest (or smallest) of `n >= 1` elements at `p`; NaN if any is NaN.
  static func extremumRun(_ p: UnsafePointer<Element>, _ n: Int, isMax: Bool) -> Double {
    let x = SendablePointer(p)
    return leafReduce(
      count: n, leaf: BlockPolicy.reductionLeaf, bytesPerElement: MemoryLayout<Element>.stride,
      { r in
        isMax ? Element._bwMax(x.reading(at: r.lowerBound), r.count) : Element._bwMin(x.reading(at: r.lowerBound), r.count)
      },
      combine: { a, b in
        if a.isNaN || b.isNaN { return .nan }
        return isMax ? Swift.max(a, b) : Swift.min(a, b)
      }) ?? .nan
  }

  /// The sum of all elements.
  ///
  /// Elements are cut into leaves of `BlockPolicy.reductionLeaf` (4096);
  /// each leaf is summed with 16 (AVX2) or 8 (portable) interleaved
  /// accumulators, and the leaf sums are added pairwise. Float arrays
  /// accumulate in Double. The result is identical for any thread count.
  ///
  /// ```swift
  /// NDArray<Double>([1, 2, 3]).sum()  // 6
  /// ```
  /// - Returns: The sum; 0 for an empty array.
  /// - Complexity: O(n), parallel over L2-sized blocks.
  /// - Error bound: |error| <= (523 + log2(n / 4096)) * u * sum(|x_i|),
  ///   u = 2^-53: at most 511 additions per accumulator, 3 to combine the
  ///   accumulators, 7 + log2(leaves) in the pairwise tree. Float arrays
  ///   add one final rounding (half an ulp of the Float result).
  public func sum() -> Element {
    withUnsafeBufferPointer { b in
      guard let p = b.baseAddress else { return 0 }
      return Element(Self.sumRun(p, b.count))
    }
  }

  /// The arithmetic mean of all elements (the `sum()` divided by `count`).
  ///
  /// - Throws: `BlockwiseError.emptyArray` for an empty array.
  /// - Error bound: that of `sum()` divided by n, plus half an ulp.
  public func mean() throws -> Element {
    guard count > 0 else { throw BlockwiseError.emptyArray(operation: "mean") }
    return withUnsafeBufferPointer { b in Element(Self.sumRun(b.baseAddress!, b.count) / Double(b.count)) }
  }

  /// The largest element; NaN if any element is NaN.
  ///
  /// - Throws: `BlockwiseError.emptyArray` for an empty array.
  /// - Complexity: O(n), parallel.
  public func max() throws -> Element {
    guard count > 0 else { throw BlockwiseError.emptyArray(operation: "max") }
    return withUnsafeBufferPointer { b in Element(Self.extremumRun(b.baseAddress!, b.count, isMax: true)) }
  }

  /// The smallest element; NaN if any element is NaN.
  ///
  /// - Throws: `BlockwiseError.emptyArray` for an empty array.
  /// - Complexity: O(n), parallel.
  public func min() throws -> Element {
    guard count > 0 else { throw BlockwiseError.emptyArray(operation: "min") }
    return withUnsafeBufferPointer { b in Element(Self.extremumRun(b.baseAddress!, b.count, isMax: false)) }
  }
}
