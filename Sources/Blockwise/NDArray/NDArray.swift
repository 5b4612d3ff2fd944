/// A dense n-dimensional array of `Float` or `Double` with value semantics.
///
/// Storage is contiguous and row-major, shared by reference between copies
/// and views, and copied only when a shared array is written
/// (copy-on-write). A row view of a 1000 x 100000 array costs no copy, so
/// it can be handed to any number of pool workers.
///
/// ```swift
/// var a = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
/// let r = a.row(1)          // [4, 5, 6], shares a's buffer
/// a[0, 0] = 10              // a copies first; r is unchanged
/// ```
public struct NDArray<Element: NDArrayScalar>: Sendable {
  @usableFromInline var storage: NDStorage<Element>
  @usableFromInline var offset: Int
  /// The extent of each dimension, outermost first.
  public private(set) var shape: [Int]
  /// The number of elements (the product of `shape`; 1 for rank 0).
  public let count: Int

  @usableFromInline
  init(storage: NDStorage<Element>, offset: Int, shape: [Int], count: Int) {
    self.storage = storage
    self.offset = offset
    self.shape = shape
    self.count = count
  }

  /// An uninitialised array of the given (validated) shape, for kernels to fill.
  @usableFromInline
  init(uninitializedShape shape: [Int], count: Int) {
    self.init(storage: NDStorage(capacity: count), offset: 0, shape: shape, count: count)
  }

  /// The number of dimensions.
  public var rank: Int { shape.count }

  /// Validates a shape and returns its element count.
  static func elementCount(of shape: [Int]) throws -> Int {
    var n = 1
    for d in shape {
      guard d >= 0 else { throw BlockwiseError.negativeDimension(shape: shape) }
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      guard !overflow else {
        throw BlockwiseError.invalidArgument(
          name: "shape", expected: "an element count that fits in Int", got: "\(shape)")
      }
      n = p
    }
    return n
  }

  // MARK: - Creating arrays

  /// Creates an array from row-major scalars.
  ///
  /// - Parameters:
  ///   - scalars: The elements in row-major order.
  ///   - shape: The dimensions; their product must equal `scalars.count`.
  /// - Throws: `BlockwiseError.negativeDimension` or `.countMismatch`.
  /// - Complexity: O(n).
  public init(_ scalars: [Element], shape: [Int]) throws {
    let n = try Self.elementCount(of: shape)
    guard n == scalars.count else {
      throw BlockwiseError.countMismatch(expected: n, got: scalars.count)
    }
    self.init(uninitializedShape: shape, count: n)
    scalars.withUnsafeBufferPointer { src in
      if n > 0 { storage.base.initialize(from: src.baseAddress!, count: n) }
    }
  }

  /// Creates a 1-D array holding `scalars`.
  public init(_ scalars: [Element]) {
    // A 1-D shape always matches its own count.
    self.init(uninitializedShape: [scalars.count], count: scalars.count)
    scalars.withUnsafeBufferPointer { src in
      if src.count > 0 { storage.base.initialize(from: src.baseAddress!, count: src.count) }
    }
  }

  /// Creates an array of the given shape with every element set to `value`.
  ///
  /// - Precondition: no dimension is negative.
  public init(repeating value: Element, shape: [Int]) {
    let n: Int
    do { n = try Self.elementCount(of: shape) } catch {
      preconditionFailure("NDArray(repeating:shape:): \(error)")
    }
    self.init(uninitializedShape: shape, count: n)
    Element._bwFill(storage.base, value, n)
  }

  /// An array of zeros.
  ///
  /// - Precondition: no dimension is negative.
  public static func zeros(_ shape: [Int]) -> NDArray {
    NDArray(repeating: 0, shape: shape)
  }

  /// Creates an array by calling `body` with each row-major flat index.
  public init(shape: [Int], generator body: (Int) throws -> Element) throws {
    let n = try Self.elementCount(of: shape)
    self.init(uninitializedShape: shape, count: n)
    for i in 0..<n { (storage.base + i).initialize(to: try body(i)) }
  }

  // MARK: - Reading and writing

  /// A row-major copy of the elements.
  public var scalars: [Element] {
    withUnsafeBufferPointer { src in
      // A raw copy: Array(src) runs element by element when this generic
      // code is called, unspecialised, from another module.
      [Element](unsafeUninitializedCapacity: src.count) { dst, initialized in
        if let from = src.baseAddress, src.count > 0 {
          UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(
            from: from, byteCount: src.count * MemoryLayout<Element>.stride)
        }
        initialized = src.count
      }
    }
  }

  @inlinable
  func flatIndex(_ indices: [Int]) -> Int {
    precondition(
      indices.count == shape.count,
      "NDArray subscript: expected \(shape.count) indices for shape \(shape), got \(indices.count)")
    var flat = 0
    for (axis, i) in indices.enumerated() {
      precondition(
        i >= 0 && i < shape[axis],
        "NDArray subscript: index \(i) out of range 0..<\(shape[axis]) on axis \(axis) of shape \(shape)")
      flat = flat * shape[axis] + i
    }
    return flat
  }

  /// The element at the given position, one index per dimension.
  ///
  /// - Precondition: one index per dimension, each within its dimension.
  public subscript(_ indices: Int...) -> Element {
    get { storage.base[offset + flatIndex(indices)] }
    set {
      let i = flatIndex(indices)
      makeUnique()
      storage.base[offset + i] = newValue
    }
  }

  /// Ensures the storage is referenced by this array alone, copying the
  /// visible elements when it is shared.
  @usableFromInline
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) {
      let fresh = NDStorage<Element>(capacity: count)
      if count > 0 { fresh.base.initialize(from: storage.base + offset, count: count) }
      storage = fresh
      offset = 0
    }
  }

  /// Calls `body` with the elements in row-major order, without copying.
  @inlinable
  public func withUnsafeBufferPointer<R>(
    _ body: (UnsafeBufferPointer<Element>) throws -> R
  ) rethrows -> R {
    try withExtendedLifetime(storage) {
      try body(UnsafeBufferPointer(start: storage.base + offset, count: count))
    }
  }

  /// Calls `body` with mutable access to the elements, copying first if the
  /// storage is shared with another array or view.
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Element>) throws -> R
  ) rethrows -> R {
    makeUnique()
    return try withExtendedLifetime(storage) {
      try body(UnsafeMutableBufferPointer(start: storage.base + offset, count: count))
    }
  }

  // MARK: - Views

  /// The same elements under another shape, sharing storage.
  ///
  /// - Throws: `BlockwiseError.countMismatch` when the element counts differ,
  ///   `.negativeDimension` for a negative dimension.
  /// - Complexity: O(rank), no copy.
  public func reshaped(_ newShape: [Int]) throws -> NDArray {
    let n = try Self.elementCount(of: newShape)
    guard n == count else { throw BlockwiseError.countMismatch(expected: count, got: n) }
    return NDArray(storage: storage, offset: offset, shape: newShape, count: n)
  }

  /// Row `i` along the first axis: a view of rank `rank - 1` sharing storage.
  ///
  /// - Precondition: `rank >= 1` and `0 <= i < shape[0]`.
  /// - Complexity: O(rank), no copy.
  public func row(_ i: Int) -> NDArray {
    precondition(rank >= 1, "NDArray.row: needs rank >= 1, got a rank-0 array")
    precondition(i >= 0 && i < shape[0], "NDArray.row: index \(i) out of range 0..<\(shape[0])")
    let inner = Array(shape.dropFirst())
    let stride = inner.reduce(1, *)
    return NDArray(storage: storage, offset: offset + i * stride, shape: inner, count: stride)
  }

  /// Rows `range` along the first axis: a view sharing storage.
  ///
  /// - Precondition: `rank >= 1` and `range` within `0..<shape[0]`.
  /// - Complexity: O(rank), no copy.
  public func rows(_ range: Range<Int>) -> NDArray {
    precondition(rank >= 1, "NDArray.rows: needs rank >= 1, got a rank-0 array")
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[0],
      "NDArray.rows: range \(range) out of bounds 0..<\(shape[0])")
    let stride = shape.dropFirst().reduce(1, *)
    var s = shape
    s[0] = range.count
    return NDArray(
      storage: storage, offset: offset + range.lowerBound * stride, shape: s,
      count: range.count * stride)
  }

  /// Whether this array and `other` currently read the same buffer.
  public func sharesStorage(with other: NDArray) -> Bool { storage === other.storage }
}

extension NDArray: Equatable {
  /// Equal shapes and elementwise `==` (so NaN makes arrays unequal).
  public static func == (lhs: NDArray, rhs: NDArray) -> Bool {
    guard lhs.shape == rhs.shape else { return false }
    return lhs.withUnsafeBufferPointer { a in
      rhs.withUnsafeBufferPointer { b in
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
      }
    }
  }
}

extension NDArray: CustomStringConvertible {
  public var description: String {
    let shown = count <= 16 ? scalars.map { "\($0)" }.joined(separator: ", ") : "…"
    return "NDArray<\(Element.self)>(shape: \(shape), [\(shown)])"
  }
}
