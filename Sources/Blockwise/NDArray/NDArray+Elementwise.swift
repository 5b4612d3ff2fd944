// Elementwise arithmetic. Every operator makes one pass through a C kernel
// per L2-sized block; in-place forms write into the left operand with no
// temporary.

/// The four arithmetic operators, as the C kernels number them.
@usableFromInline
enum BinaryOp: Int32, Sendable {
  case add = 0, subtract = 1, multiply = 2, divide = 3
}

extension NDArray {
  /// Elements per block for streaming kernels reading `inputs` arrays and writing one.
  static func streamingBlock(inputs: Int) -> Int {
    BlockPolicy.blockLength(bytesPerElement: (inputs + 1) * MemoryLayout<Element>.stride)
  }

  static func checkSameShape(_ lhs: NDArray, _ rhs: NDArray) throws {
    guard lhs.shape == rhs.shape else {
      throw BlockwiseError.shapeMismatch(expected: lhs.shape, got: rhs.shape)
    }
  }

  /// Result of `lhs op rhs` for equal shapes, computed block by block.
  static func binary(_ op: BinaryOp, _ lhs: NDArray, _ rhs: NDArray) throws -> NDArray {
    try checkSameShape(lhs, rhs)
    var out = NDArray(uninitializedShape: lhs.shape, count: lhs.count)
    let y = SendablePointer(out.storage.base)
    lhs.withUnsafeBufferPointer { a in
      rhs.withUnsafeBufferPointer { b in
        let pa = SendablePointer(a.baseAddress ?? UnsafePointer(y.raw))
        let pb = SendablePointer(b.baseAddress ?? UnsafePointer(y.raw))
        ComputePool.shared.forEachBlock(count: lhs.count, blockLength: streamingBlock(inputs: 2)) {
          r in
          Element._bwBinary(
            op.rawValue, pa.advanced(by: r.lowerBound), pb.advanced(by: r.lowerBound),
            y.advanced(by: r.lowerBound), r.count)
        }
      }
    }
    out.offset = 0
    return out
  }

  /// Result of `array op scalar` (or `scalar op array` when `scalarOnLeft`).
  static func binary(_ op: BinaryOp, _ array: NDArray, _ s: Element, scalarOnLeft: Bool) -> NDArray {
    let out = NDArray(uninitializedShape: array.shape, count: array.count)
    let y = SendablePointer(out.storage.base)
    array.withUnsafeBufferPointer { a in
      let pa = SendablePointer(a.baseAddress ?? UnsafePointer(y.raw))
      ComputePool.shared.forEachBlock(count: array.count, blockLength: streamingBlock(inputs: 1)) {
        r in
        Element._bwBinaryScalar(
          op.rawValue, pa.advanced(by: r.lowerBound), s, scalarOnLeft, y.advanced(by: r.lowerBound),
          r.count)
      }
    }
    return out
  }

  /// `self op= rhs` in place (copying first only if the storage is shared).
  mutating func formBinary(_ op: BinaryOp, _ rhs: NDArray) throws {
    try Self.checkSameShape(self, rhs)
    let n = count
    rhs.withUnsafeBufferPointer { b in
      withUnsafeMutableBufferPointer { a in
        guard let base = a.baseAddress, let bb = b.baseAddress else { return }
        let pa = SendablePointer(base)
        let pb = SendablePointer(bb)
        ComputePool.shared.forEachBlock(count: n, blockLength: Self.streamingBlock(inputs: 1)) { r in
          Element._bwBinary(
            op.rawValue, pa.advanced(by: r.lowerBound), pb.advanced(by: r.lowerBound),
            pa.advanced(by: r.lowerBound), r.count)
        }
      }
    }
  }

  mutating func formBinary(_ op: BinaryOp, _ s: Element) {
    let n = count
    withUnsafeMutableBufferPointer { a in
      guard let base = a.baseAddress else { return }
      let pa = SendablePointer(base)
      ComputePool.shared.forEachBlock(count: n, blockLength: Self.streamingBlock(inputs: 0)) { r in
        Element._bwBinaryScalar(
          op.rawValue, pa.advanced(by: r.lowerBound), s, false, pa.advanced(by: r.lowerBound),
          r.count)
      }
    }
  }

  // MARK: - Array with array

  /// Elementwise sum. - Throws: `BlockwiseError.shapeMismatch` for different shapes.
  public static func + (lhs: NDArray, rhs: NDArray) throws -> NDArray { try binary(.add, lhs, rhs) }
  /// Elementwise difference. - Throws: `BlockwiseError.shapeMismatch`.
  public static func - (lhs: NDArray, rhs: NDArray) throws -> NDArray {
    try binary(.subtract, lhs, rhs)
  }
  /// Elementwise product. - Throws: `BlockwiseError.shapeMismatch`.
  public static func * (lhs: NDArray, rhs: NDArray) throws -> NDArray {
    try binary(.multiply, lhs, rhs)
  }
  /// Elementwise quotient (IEEE: x/0 is ±inf or NaN). - Throws: `BlockwiseError.shapeMismatch`.
  public static func / (lhs: NDArray, rhs: NDArray) throws -> NDArray {
    try binary(.divide, lhs, rhs)
  }

  /// In-place elementwise sum. - Throws: `BlockwiseError.shapeMismatch`; `lhs` is unchanged then.
  public static func += (lhs: inout NDArray, rhs: NDArray) throws { try lhs.formBinary(.add, rhs) }
  /// In-place elementwise difference. - Throws: `BlockwiseError.shapeMismatch`.
  public static func -= (lhs: inout NDArray, rhs: NDArray) throws {
    try lhs.formBinary(.subtract, rhs)
  }
  /// In-place elementwise product. - Throws: `BlockwiseError.shapeMismatch`.
  public static func *= (lhs: inout NDArray, rhs: NDArray) throws {
    try lhs.formBinary(.multiply, rhs)
  }
  /// In-place elementwise quotient. - Throws: `BlockwiseError.shapeMismatch`.
  public static func /= (lhs: inout NDArray, rhs: NDArray) throws {
    try lhs.formBinary(.divide, rhs)
  }

  // MARK: - Array with scalar

  public static func + (lhs: NDArray, rhs: Element) -> NDArray {
    binary(.add, lhs, rhs, scalarOnLeft: false)
  }
  public static func + (lhs: Element, rhs: NDArray) -> NDArray {
    binary(.add, rhs, lhs, scalarOnLeft: true)
  }
  public static func - (lhs: NDArray, rhs: Element) -> NDArray {
    binary(.subtract, lhs, rhs, scalarOnLeft: false)
  }
  public static func - (lhs: Element, rhs: NDArray) -> NDArray {
    binary(.subtract, rhs, lhs, scalarOnLeft: true)
  }
  public static func * (lhs: NDArray, rhs: Element) -> NDArray {
    binary(.multiply, lhs, rhs, scalarOnLeft: false)
  }
  public static func * (lhs: Element, rhs: NDArray) -> NDArray {
    binary(.multiply, rhs, lhs, scalarOnLeft: true)
  }
  public static func / (lhs: NDArray, rhs: Element) -> NDArray {
    binary(.divide, lhs, rhs, scalarOnLeft: false)
  }
  public static func / (lhs: Element, rhs: NDArray) -> NDArray {
    binary(.divide, rhs, lhs, scalarOnLeft: true)
  }
  public static func += (lhs: inout NDArray, rhs: Element) { lhs.formBinary(.add, rhs) }
  public static func -= (lhs: inout NDArray, rhs: Element) { lhs.formBinary(.subtract, rhs) }
  public static func *= (lhs: inout NDArray, rhs: Element) { lhs.formBinary(.multiply, rhs) }
  public static func /= (lhs: inout NDArray, rhs: Element) { lhs.formBinary(.divide, rhs) }

  // MARK: - map

  /// A new array of the same shape with `transform` applied to each element.
  ///
  /// Runs on the calling thread: `transform` is an arbitrary closure. For
  /// bulk math prefer the operators and kernels, which are vectorised.
  /// - Complexity: O(n).
  public func map(_ transform: (Element) throws -> Element) rethrows -> NDArray {
    var out = NDArray(uninitializedShape: shape, count: count)
    try withUnsafeBufferPointer { src in
      for i in 0..<src.count { (out.storage.base + i).initialize(to: try transform(src[i])) }
    }
    out.offset = 0
    return out
  }
}
