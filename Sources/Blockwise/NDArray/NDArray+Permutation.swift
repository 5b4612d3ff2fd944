// Transposes and axis permutations, into contiguous row-major results.

extension NDArray {
  /// The array with its axes reversed: for a 2-D array, the transpose.
  ///
  /// A contiguous copy made in 32 x 32 tiles (4x4 and 8x8 in-register
  /// transposes on AVX2), so both the rows read and the rows written
  /// stream through the cache, spread over the pool. Rank 0 and 1 arrays
  /// come back as they are (a view), as numpy's `.T`.
  ///
  /// ```swift
  /// let m = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  /// m.transposed()   // shape [3, 2]: [[1, 4], [2, 5], [3, 6]]
  /// ```
  /// - Complexity: O(n), parallel.
  public func transposed() -> NDArray {
    guard rank >= 2 else { return self }
    return permutedUnchecked(Array((0..<rank).reversed()))
  }

  /// The array with its axes in the order `axes`, as numpy's
  /// `transpose(a, axes)`: `result.shape[k] == shape[axes[k]]`.
  ///
  /// ```swift
  /// let a = try NDArray<Float>.zeros([2, 3, 4])
  /// try a.permuted(axes: [2, 0, 1]).shape   // [4, 2, 3]
  /// ```
  /// - Parameter axes: A permutation of `0 ..< rank`; negative values count
  ///   from the end.
  /// - Returns: A contiguous copy (a view when `axes` is the identity).
  /// - Throws: `BlockwiseError.invalidArgument` unless `axes` names every
  ///   axis exactly once.
  /// - Complexity: O(n), parallel.
  public func permuted(axes: [Int]) throws -> NDArray {
    guard axes.count == rank else {
      throw BlockwiseError.invalidArgument(
        name: "axes", expected: "a permutation of the \(rank) axes of shape \(shape)", got: "\(axes)")
    }
    var seen = [Bool](repeating: false, count: rank)
    var perm: [Int] = []
    for a in axes {
      let k = try normalizedAxis(a, name: "axes")
      guard !seen[k] else {
        throw BlockwiseError.invalidArgument(
          name: "axes", expected: "each axis of shape \(shape) exactly once", got: "\(axes)")
      }
      seen[k] = true
      perm.append(k)
    }
    return permutedUnchecked(perm)
  }

  /// `permuted(axes:)` for a valid permutation.
  ///
  /// The copy walks a 2-D plane per outer position: the output's last
  /// axis as columns and, as rows, the output axis that is the input's
  /// last (unit-stride) axis, so every plane is either plain row copies or
  /// a transpose of unit-stride columns; other axes are the outer loop.
  func permutedUnchecked(_ perm: [Int]) -> NDArray {
    if perm == Array(0..<rank) { return self }
    let outShape = perm.map { shape[$0] }
    let out = NDArray(uninitializedShape: outShape, count: count)
    guard count > 0 else { return out }
    var inStrides = [Int](repeating: 1, count: rank)
    for k in stride(from: rank - 2, through: 0, by: -1) { inStrides[k] = inStrides[k + 1] * shape[k + 1] }
    var outStridesVar = [Int](repeating: 1, count: rank)
    for k in stride(from: rank - 2, through: 0, by: -1) { outStridesVar[k] = outStridesVar[k + 1] * outShape[k + 1] }
    let outStrides = outStridesVar
    let src = perm.map { inStrides[$0] }  // input stride along each output axis
    let colAxis = rank - 1
    let unit = perm.firstIndex(of: rank - 1)!
    let rowAxis = unit == colAxis ? rank - 2 : unit
    let outerAxes = (0..<rank).filter { $0 != rowAxis && $0 != colAxis }
    let outerCount = outerAxes.reduce(1) { $0 * outShape[$1] }
    let rows = outShape[rowAxis], cols = outShape[colAxis]
    withUnsafeBufferPointer { buf in
      let (ps, pd) = (SendablePointer(buf.baseAddress!), SendablePointer(out.storage.base))
      let planes: @Sendable (Int) -> Void = { o in
        var rem = o, sOff = 0, dOff = 0
        for k in outerAxes.reversed() {
          let i = rem % outShape[k]
          rem /= outShape[k]
          sOff += i * src[k]
          dOff += i * outStrides[k]
        }
        Self.copyPlanes(
          from: ps.reading(at: sOff), rowStride: src[rowAxis], columnStride: src[colAxis],
          to: pd.advanced(by: dOff), destinationRowStride: outStrides[rowAxis], rows: rows, columns: cols)
      }
      if outerCount >= 2 * ComputePool.shared.threadCount {
        // Many small planes: one plane per block (nested copies run inline).
        ComputePool.shared.forEachBlock(count: outerCount, blockLength: 1) { r in
          for o in r { planes(o) }
        }
      } else {
        for o in 0..<outerCount { planes(o) }
      }
    }
    return out
  }
}
