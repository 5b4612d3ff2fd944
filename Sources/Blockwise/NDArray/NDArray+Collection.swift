// NDArray as a Swift collection: its elements in row-major order, so
// `for x in a`, `Array(a)`, `a.reduce`, `zip(a, b)` and every Sequence and
// Collection algorithm work. The collection's index is an opaque position
// (NDArray.Index), not an Int: `a[i, j]` stays numpy's multi-index
// subscript, and `a[2..<5]`, `a[1, 0..<3]`, `a[.all, 1]` are numpy's
// slicing (NDArray+RangeSubscripts.swift), so no subscript means two things.

extension NDArray: RandomAccessCollection, MutableCollection {
  /// A position in the row-major element order (0 ..< count).
  public struct Index: Comparable, Hashable, Sendable, Strideable {
    /// The row-major offset of the element.
    public let position: Int
    /// The position `position` in row-major order.
    @inlinable public init(_ position: Int) { self.position = position }
    /// Row-major order.
    @inlinable public static func < (a: Index, b: Index) -> Bool { a.position < b.position }
    /// The number of positions from this one to `other`.
    @inlinable public func distance(to other: Index) -> Int { other.position - position }
    /// The position `n` further on.
    @inlinable public func advanced(by n: Int) -> Index { Index(position + n) }
  }

  /// The positions `startIndex ..< endIndex`, row-major.
  public typealias Indices = Range<Index>
  /// A run of positions (`a[a.startIndex ..< i]`): a slice over the same
  /// array, sharing its storage. For numpy slicing by axis use the range
  /// subscripts (`a[2..<5]`), which return arrays.
  public typealias SubSequence = Slice<NDArray>

  /// The first element's position (0).
  @inlinable public var startIndex: Index { Index(0) }
  /// One past the last element's position (`count`).
  @inlinable public var endIndex: Index { Index(count) }

  /// The element at a row-major position (`a[a.startIndex]` is the first).
  ///
  /// - Precondition: `startIndex <= i < endIndex`; out of range stops with
  ///   a message naming the position and the count, in every build.
  @inlinable
  public subscript(position: Index) -> Element {
    get {
      require(position.position >= 0 && position.position < count,
              "NDArray: position \(position.position) out of range 0..<\(count)")
      return storage.base[offset + position.position]
    }
    set {
      require(position.position >= 0 && position.position < count,
              "NDArray: position \(position.position) out of range 0..<\(count)")
      makeUniqueForCollection()
      storage.base[offset + position.position] = newValue
    }
  }

  /// The elements as one contiguous buffer (the storage itself): the fast
  /// path of `Array(a)`, `a.reduce` and other algorithms that ask for it.
  @inlinable
  public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R? {
    try withUnsafeBufferPointer(body)
  }

  @usableFromInline
  mutating func makeUniqueForCollection() { makeUnique() }
}
