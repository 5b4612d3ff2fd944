import CBlockwiseKernels

extension NDArray {
  /// Runs a leaf reduction over the elements (see `leafSum`).
  func reduceLeaves(bytesPerElement: Int, _ kernel: @Sendable @escaping (UnsafePointer<Element>, Int) -> Double)
    -> Double
  {
    withUnsafeBufferPointer { buf in
      guard let base = buf.baseAddress else { return 0 }
      let p = SendablePointer(base)
      return leafSum(count: buf.count, leaf: BlockPolicy.reductionLeaf, bytesPerElement: bytesPerElement) {
        r in kernel(UnsafePointer(p.advanced(by: r.lowerBound)), r.count)
      }
    }
  }

  func extremum(_ kernel: @Sendable @escaping (UnsafePointer<Element>, Int) -> Double, operation: String, isMax: Bool)
    throws -> Double
  {
    guard count > 0 else { throw BlockwiseError.emptyArray(operation: operation) }
    return withUnsafeBufferPointer { buf in
      let p = SendablePointer(buf.baseAddress!)
      return leafReduce(
        count: buf.count, leaf: BlockPolicy.reductionLeaf, bytesPerElement: MemoryLayout<Element>.stride,
        { r in kernel(UnsafePointer(p.advanced(by: r.lowerBound)), r.count) },
        combine: { a, b in
          if a.isNaN || b.isNaN { return .nan }
          return isMax ? Swift.max(a, b) : Swift.min(a, b)
        })!
    }
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
    Element(reduceLeaves(bytesPerElement: MemoryLayout<Element>.stride) { Element._bwSum($0, $1) })
  }

  /// The arithmetic mean of all elements (the `sum()` divided by `count`).
  ///
  /// - Throws: `BlockwiseError.emptyArray` for an empty array.
  /// - Error bound: that of `sum()` divided by n, plus half an ulp.
  public func mean() throws -> Element {
    guard count > 0 else { throw BlockwiseError.emptyArray(operation: "mean") }
    let s = reduceLeaves(bytesPerElement: MemoryLayout<Element>.stride) { Element._bwSum($0, $1) }
    return Element(s / Double(count))
  }

  /// The largest element; NaN if any element is NaN.
  ///
  /// - Throws: `BlockwiseError.emptyArray` for an empty array.
  /// - Complexity: O(n), parallel.
  public func max() throws -> Element {
    Element(try extremum({ Element._bwMax($0, $1) }, operation: "max", isMax: true))
  }

  /// The smallest element; NaN if any element is NaN.
  ///
  /// - Throws: `BlockwiseError.emptyArray` for an empty array.
  /// - Complexity: O(n), parallel.
  public func min() throws -> Element {
    Element(try extremum({ Element._bwMin($0, $1) }, operation: "min", isMax: false))
  }
}
