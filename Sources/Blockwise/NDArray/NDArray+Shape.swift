// Views that change how the same elements are addressed: no copy, O(rank).

extension NDArray {
  /// The same elements under another shape, sharing storage.
  ///
  /// One dimension may be -1: it is inferred from the others, as numpy's
  /// `reshape(-1)`.
  ///
  /// ```swift
  /// let m = try NDArray<Double>((0..<12).map(Double.init), shape: [3, 4])
  /// let r = try m.reshaped([2, -1])   // shape [2, 6], same buffer
  /// ```
  /// - Throws: `BlockwiseError.invalidArgument` for more than one -1 or a
  ///   -1 that cannot be inferred, `.negativeDimension` for any other
  ///   negative dimension, `.countMismatch` when the element counts differ.
  /// - Complexity: O(rank), no copy.
  public func reshaped(_ newShape: [Int]) throws -> NDArray {
    var s = newShape
    let wild = s.indices.filter { s[$0] == -1 }
    guard wild.count <= 1 else {
      throw BlockwiseError.invalidArgument(
        name: "shape", expected: "at most one -1 (an inferred dimension)", got: "\(newShape)")
    }
    if s.contains(where: { $0 < -1 }) || (wild.isEmpty && s.contains { $0 < 0 }) {
      throw BlockwiseError.negativeDimension(shape: newShape)
    }
    if let w = wild.first {
      s[w] = 1
      let known = try Self.elementCount(of: s)
      guard known > 0, count % known == 0 else {
        throw BlockwiseError.invalidArgument(
          name: "shape", expected: "a shape whose -1 makes \(count) elements", got: "\(newShape)")
      }
      s[w] = count / known
    }
    let n = try Self.elementCount(of: s)
    guard n == count else { throw BlockwiseError.countMismatch(expected: count, got: n) }
    return NDArray(storage: storage, offset: offset, shape: s, count: n)
  }

  /// All elements as a 1-D view, in row-major order.
  ///
  /// - Complexity: O(1), no copy.
  public func flattened() -> NDArray {
    NDArray(storage: storage, offset: offset, shape: [count], count: count)
  }

  /// The same elements with every dimension of extent 1 removed (a view).
  ///
  /// ```swift
  /// try NDArray<Float>.zeros([1, 3, 1]).squeezed().shape   // [3]
  /// ```
  /// - Complexity: O(rank), no copy.
  public func squeezed() -> NDArray {
    NDArray(storage: storage, offset: offset, shape: shape.filter { $0 != 1 }, count: count)
  }

  /// The same elements with dimension `axis` (of extent 1) removed (a view).
  ///
  /// - Throws: `BlockwiseError.invalidArgument` for an axis out of range or
  ///   one whose extent is not 1.
  /// - Complexity: O(rank), no copy.
  public func squeezed(axis: Int) throws -> NDArray {
    let a = try normalizedAxis(axis)
    guard shape[a] == 1 else {
      throw BlockwiseError.invalidArgument(
        name: "axis", expected: "an axis of extent 1 in shape \(shape)", got: "\(axis) (extent \(shape[a]))")
    }
    var s = shape
    s.remove(at: a)
    return NDArray(storage: storage, offset: offset, shape: s, count: count)
  }

  /// The same elements with a new dimension of extent 1 at `axis` (a view),
  /// as numpy's `expand_dims`.
  ///
  /// ```swift
  /// NDArray<Double>([1, 2, 3]).expandedDimensions(at: 0).shape   // [1, 3]
  /// ```
  /// - Parameter axis: Where the new axis goes in the result, in
  ///   `-(rank + 1) ... rank`; negative values count from the end.
  /// - Throws: `BlockwiseError.invalidArgument` for an axis out of range.
  /// - Complexity: O(rank), no copy.
  public func expandedDimensions(at axis: Int) throws -> NDArray {
    let a = try normalizedAxis(axis, rank: rank + 1)
    var s = shape
    s.insert(1, at: a)
    return NDArray(storage: storage, offset: offset, shape: s, count: count)
  }

  /// Row `i` along the first axis: a view of rank `rank - 1` sharing storage.
  ///
  /// - Precondition: `rank >= 1` and `0 <= i < shape[0]` (an index, so out
  ///   of range traps with a message, as `Array` does).
  /// - Complexity: O(rank), no copy.
  public func row(_ i: Int) -> NDArray {
    require(rank >= 1, "NDArray.row: needs rank >= 1, got a rank-0 array")
    require(i >= 0 && i < shape[0], "NDArray.row: index \(i) out of range 0..<\(shape[0])")
    let inner = Array(shape.dropFirst())
    let stride = inner.reduce(1, *)
    return NDArray(storage: storage, offset: offset + i * stride, shape: inner, count: stride)
  }

  /// Rows `range` along the first axis: a view sharing storage.
  ///
  /// - Precondition: `rank >= 1` and `range` within `0..<shape[0]`.
  /// - Complexity: O(rank), no copy.
  public func rows(_ range: Range<Int>) -> NDArray {
    require(rank >= 1, "NDArray.rows: needs rank >= 1, got a rank-0 array")
    require(
      range.lowerBound >= 0 && range.upperBound <= shape[0],
      "NDArray.rows: range \(range) out of bounds 0..<\(shape[0])")
    let stride = shape.dropFirst().reduce(1, *)
    var s = shape
    s[0] = range.count
    return NDArray(
      storage: storage, offset: offset + range.lowerBound * stride, shape: s,
      count: range.count * stride)
  }
}
