/// A dense n-dimensional array of `Float` or `Double` with value semantics.
///
/// Storage is contiguous and row-major, shared by reference between copies
/// and views, and copied only when a shared array is written
/// (copy-on-write). A row view of a 1000 x 100000 array costs no copy, so
/// it can be handed to any number of pool workers. Operations that numpy
/// does with strides (transposes, slices along inner axes) return
/// contiguous results here, made by one blocked, parallel pass.
///
/// ```swift
/// var a = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
/// let r = a.row(1)          // [4, 5, 6], shares a's buffer
/// a[0, 0] = 10              // a copies first; r is unchanged
/// ```
///
/// Every initialiser and operation that takes a shape, a count or an axis
/// throws `BlockwiseError` for a bad one. Element access with an index out
/// of range is a precondition failure with a message, as for `Array`.
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

  /// An uninitialised array of a shape whose count is already known to be
  /// valid (the shape of an existing array, or derived from one), for
  /// kernels to fill.
  @usableFromInline
  init(uninitializedShape shape: [Int], count: Int) {
    self.init(storage: NDStorage(capacity: count), offset: 0, shape: shape, count: count)
  }

  /// An uninitialised array of a caller's shape: validated, and allocated
  /// without trapping.
  init(validatedShape shape: [Int]) throws {
    let n = try Self.elementCount(of: shape)
    self.init(storage: try NDStorage(allocating: n), offset: 0, shape: shape, count: n)
  }

  /// The number of dimensions.
  public var rank: Int { shape.count }

  /// Validates a shape and returns its element count: no negative
  /// dimension, and every stride in bytes fits in `Int` (the product of
  /// the nonzero extents, so that no later stride computation overflows,
  /// even for an empty array).
  static func elementCount(of shape: [Int]) throws -> Int {
    for d in shape where d < 0 { throw BlockwiseError.negativeDimension(shape: shape) }
    let maxCount = Int.max / MemoryLayout<Element>.stride
    var span = 1
    for d in shape where d > 0 {
      let (p, overflow) = span.multipliedReportingOverflow(by: d)
      guard !overflow && p <= maxCount else {
        throw BlockwiseError.invalidArgument(
          name: "shape",
          expected: "extents whose product is at most \(maxCount) elements of \(MemoryLayout<Element>.stride) bytes",
          got: "\(shape)")
      }
      span = p
    }
    return shape.contains(0) ? 0 : span
  }

  // MARK: - Creating arrays

  /// Creates an array from row-major scalars.
  ///
  /// ```swift
  /// let a = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  /// ```
  /// - Parameters:
  ///   - scalars: The elements in row-major order.
  ///   - shape: The dimensions; their product must equal `scalars.count`.
  /// - Throws: `BlockwiseError.negativeDimension`, `.invalidArgument` for a
  ///   shape whose count overflows, `.countMismatch`.
  /// - Complexity: O(n).
  public init(_ scalars: [Element], shape: [Int]) throws {
    let n = try Self.elementCount(of: shape)
    guard n == scalars.count else {
      throw BlockwiseError.countMismatch(expected: n, got: scalars.count)
    }
    try self.init(validatedShape: shape)
    scalars.withUnsafeBufferPointer { src in
      if n > 0 { storage.base.initialize(from: src.baseAddress!, count: n) }
    }
  }

  /// Creates a 1-D array holding `scalars`.
  ///
  /// - Complexity: O(n).
  public init(_ scalars: [Element]) {
    // A 1-D shape always matches its own count, and an Array's count fits.
    self.init(uninitializedShape: [scalars.count], count: scalars.count)
    scalars.withUnsafeBufferPointer { src in
      if src.count > 0 { storage.base.initialize(from: src.baseAddress!, count: src.count) }
    }
  }

  /// Creates an array of the given shape with every element set to `value`.
  ///
  /// ```swift
  /// let a = try NDArray<Float>(repeating: 1.5, shape: [2, 3])
  /// ```
  /// - Throws: `BlockwiseError.negativeDimension` for a negative dimension,
  ///   `.invalidArgument` for a count that overflows, `.allocationFailed`
  ///   when the memory cannot be had.
  /// - Complexity: O(n).
  public init(repeating value: Element, shape: [Int]) throws {
    try self.init(validatedShape: shape)
    Element._bwFill(storage.base, value, count)
  }

  /// Creates an array by calling `body` with each row-major flat index.
  ///
  /// Runs on the calling thread (`body` is an arbitrary closure).
  /// - Throws: As `init(repeating:shape:)`, or what `body` throws.
  /// - Complexity: O(n) calls of `body`.
  public init(shape: [Int], generator body: (Int) throws -> Element) throws {
    try self.init(validatedShape: shape)
    var done = 0
    do {
      for i in 0..<count {
        (storage.base + i).initialize(to: try body(i))
        done += 1
      }
    } catch {
      storage.base.deinitialize(count: done)
      throw error
    }
  }

  // MARK: - Reading and writing

  /// A row-major copy of the elements, as a Swift array (the same as
  /// `Array(a)`: an NDArray is also a collection of its elements).
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

  /// What is wrong with `indices` as a position of this array (expected,
  /// then what came in), or nil when it is one: the subscript traps with
  /// it, `element(at:)` throws it.
  @inlinable
  func indexProblem(_ indices: [Int]) -> BlockwiseError? {
    if indices.count != shape.count {
      return .invalidArgument(
        name: "indices", expected: "one index per axis (\(shape.count) for shape \(shape))",
        got: "\(indices.count) indices")
    }
    for (axis, i) in indices.enumerated() where !(i >= 0 && i < shape[axis]) {
      return .invalidArgument(
        name: "index on axis \(axis)", expected: "0..<\(shape[axis]) (shape \(shape))", got: "\(i)")
    }
    return nil
  }

  @inlinable
  func flatIndex(_ indices: [Int]) -> Int {
    if let problem = indexProblem(indices) { blockwiseTrap("NDArray subscript: \(problem)") }
    var flat = 0
    for (axis, i) in indices.enumerated() { flat = flat * shape[axis] + i }
    return flat
  }

  /// The element at `indices`, one per axis, checked: for positions that
  /// come from data rather than from the program (the subscript traps on
  /// an index out of range, as `Array`'s does).
  ///
  /// ```swift
  /// let a = try NDArray<Double>([1, 2, 3, 4], shape: [2, 2])
  /// try a.element(at: [1, 0])   // 3
  /// try a.element(at: [2, 0])   // throws: index on axis 0 expected 0..<2
  /// ```
  ///
  /// - Parameter indices: One index per axis, each within its axis.
  /// - Returns: The element.
  /// - Throws: `BlockwiseError.invalidArgument` naming the axis, its range
  ///   and the index, or the rank and the number of indices.
  /// - Complexity: O(rank).
  public func element(at indices: [Int]) throws -> Element {
    if let problem = indexProblem(indices) { throw problem }
    return storage.base[offset + flatIndex(indices)]
  }

  /// The element at the given position, one index per dimension.
  ///
  /// - Precondition: one index per dimension, each within its dimension
  ///   (as `Array`'s subscript, an index out of range traps with a message).
  public subscript(_ indices: Int...) -> Element {
    get { storage.base[offset + flatIndex(indices)] }
    set {
      let i = flatIndex(indices)
      makeUnique()
      storage.base[offset + i] = newValue
    }
  }

  /// Ensures the storage is referenced by this array alone and writable,
  /// copying the visible elements when it is shared or read-only (a file
  /// mapping).
  @usableFromInline
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) || !storage.isWritable {
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

  /// Whether this array and `other` currently read the same buffer.
  public func sharesStorage(with other: NDArray) -> Bool { storage === other.storage }

  /// The first element's address, for kernels that run while `self` is alive.
  var basePointer: UnsafeMutablePointer<Element> { storage.base + offset }
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
  /// The element type, the shape and, for up to 16 elements, the values.
  public var description: String {
    let shown = count <= 16 ? scalars.map { "\($0)" }.joined(separator: ", ") : "…"
    return "NDArray<\(Element.self)>(shape: \(shape), [\(shown)])"
  }
}
