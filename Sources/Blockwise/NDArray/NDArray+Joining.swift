// Joining arrays: concatenate along an existing axis, stack along a new one.

extension NDArray {
  /// The arrays joined along an existing axis, as numpy's `concatenate`.
  ///
  /// ```swift
  /// let a = try NDArray<Double>([1, 2, 3, 4], shape: [2, 2])
  /// let b = try NDArray<Double>([5, 6], shape: [1, 2])
  /// try NDArray.concatenate([a, b], axis: 0)   // shape [3, 2]
  /// ```
  /// - Parameters:
  ///   - arrays: At least one array, all of one rank (at least 1) and of
  ///     equal extents except along `axis`.
  ///   - axis: The axis to join along; negative values count from the end.
  /// - Returns: A new contiguous array.
  /// - Throws: `BlockwiseError.invalidArgument` for an empty list, rank-0
  ///   arrays or an axis out of range; `.rankMismatch` or `.shapeMismatch`
  ///   naming the first array that does not fit.
  /// - Complexity: O(result count), parallel.
  public static func concatenate(_ arrays: [NDArray], axis: Int = 0) throws -> NDArray {
    guard let first = arrays.first else {
      throw BlockwiseError.invalidArgument(name: "arrays", expected: "at least one array", got: "none")
    }
    guard first.rank >= 1 else {
      throw BlockwiseError.invalidArgument(
        name: "arrays", expected: "arrays of rank 1 or more", got: "a rank-0 array")
    }
    let a = try first.normalizedAxis(axis)
    var total = 0
    for (i, x) in arrays.enumerated() {
      guard x.rank == first.rank else {
        throw BlockwiseError.rankMismatch(argument: "arrays[\(i)]", expected: first.rank, got: x.rank)
      }
      var expected = first.shape
      expected[a] = x.shape[a]
      guard x.shape == expected else { throw BlockwiseError.shapeMismatch(expected: expected, got: x.shape) }
      total += x.shape[a]
    }
    var outShape = first.shape
    outShape[a] = total
    let out = try NDArray(validatedShape: outShape)
    guard out.count > 0 else { return out }
    let outer = first.extent(0..<a), inner = first.extent((a + 1)..<first.rank)
    var position = 0
    for x in arrays {
      let width = x.shape[a] * inner
      x.withUnsafeBufferPointer { src in
        if let s = src.baseAddress, width > 0 {
          copyPlanes(
            from: s, rowStride: width, columnStride: 1, to: out.storage.base + position,
            destinationRowStride: total * inner, rows: outer, columns: width)
        }
      }
      position += width
    }
    return out
  }

  /// The arrays joined along a new axis, as numpy's `stack`.
  ///
  /// ```swift
  /// let rows = [NDArray<Double>([1, 2]), NDArray<Double>([3, 4])]
  /// try NDArray.stack(rows, axis: 0)   // shape [2, 2]
  /// try NDArray.stack(rows, axis: 1)   // shape [2, 2], transposed
  /// ```
  /// - Parameters:
  ///   - arrays: At least one array, all of one shape.
  ///   - axis: Where the new axis goes in the result, in `-(rank + 1) ... rank`.
  /// - Throws: `BlockwiseError.invalidArgument` for an empty list or an
  ///   axis out of range, `.shapeMismatch` naming the first array whose
  ///   shape differs.
  /// - Complexity: O(result count), parallel.
  public static func stack(_ arrays: [NDArray], axis: Int = 0) throws -> NDArray {
    guard let first = arrays.first else {
      throw BlockwiseError.invalidArgument(name: "arrays", expected: "at least one array", got: "none")
    }
    for x in arrays where x.shape != first.shape {
      throw BlockwiseError.shapeMismatch(expected: first.shape, got: x.shape)
    }
    _ = try first.normalizedAxis(axis, rank: first.rank + 1)
    return try concatenate(arrays.map { try $0.expandedDimensions(at: axis) }, axis: axis)
  }
}
