// Safe block views for your own kernels: zero-copy views of a run of an
// array's elements that may cross into pool closures, so that user code
// needs no unsafe pointers and no @unchecked Sendable of its own.

/// A read-only, zero-copy view of consecutive elements of an array, handed
/// to a pool closure.
///
/// Its indices are the elements' row-major positions in the array (as an
/// `ArraySlice`'s are its parent's), so `block[i]` is the array's element
/// `i`. The view is valid during the call that provides it (like the
/// buffer of `withUnsafeBufferPointer`); the array is kept alive for that
/// long, and is not written while views of it exist.
///
/// ```swift
/// let total = a.mapReduce { block in
///   block.withUnsafeBufferPointer { p in p.reduce(0, +) }   // vectorised
/// } combine: { $0 + $1 }
/// ```
public struct ArrayBlock<Element: NDArrayScalar>: RandomAccessCollection, @unchecked Sendable {
  // @unchecked: a read-only pointer into an array that the providing call
  // keeps alive and unwritten for the view's lifetime.
  let base: UnsafePointer<Element>
  /// The positions of the block's elements in the array.
  public let indices: Range<Int>

  init(base: UnsafePointer<Element>, indices: Range<Int>) {
    self.base = base
    self.indices = indices
  }

  /// The first position.
  public var startIndex: Int { indices.lowerBound }
  /// One past the last position.
  public var endIndex: Int { indices.upperBound }

  /// The array's element at position `i`.
  ///
  /// - Precondition: `i` is in `indices` (as for `Array`, out of range traps).
  public subscript(i: Int) -> Element {
    require(indices.contains(i), "ArrayBlock: position \(i) out of range \(indices)")
    return base[i]
  }

  /// Calls `body` with the block's elements as a buffer (positions from 0),
  /// for loops the compiler vectorises.
  public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
    try body(UnsafeBufferPointer(start: base + indices.lowerBound, count: indices.count))
  }
}

/// A writable view of consecutive elements of an array, handed to a pool
/// closure; blocks of one call never overlap, so they are written in
/// parallel without locks.
///
/// Indices are positions in the array, as for `ArrayBlock`. Writes go to the
/// array being updated; the view is valid during the call that provides it.
///
/// ```swift
/// var y = try NDArray<Double>.zeros([n])
/// y.updateBlocks { out in
///   for i in out.indices { out[i] = Double(i).squareRoot() }
/// }
/// ```
public struct MutableArrayBlock<Element: NDArrayScalar>: RandomAccessCollection, MutableCollection,
  @unchecked Sendable
{
  // @unchecked: a pointer into a uniquely owned array that the providing
  // call keeps alive; each block of a call covers its own positions.
  let base: UnsafeMutablePointer<Element>
  /// The positions of the block's elements in the array.
  public let indices: Range<Int>

  init(base: UnsafeMutablePointer<Element>, indices: Range<Int>) {
    self.base = base
    self.indices = indices
  }

  /// The first position.
  public var startIndex: Int { indices.lowerBound }
  /// One past the last position.
  public var endIndex: Int { indices.upperBound }

  /// The element at position `i`, read or written in place.
  ///
  /// - Precondition: `i` is in `indices`.
  public subscript(i: Int) -> Element {
    get {
      require(indices.contains(i), "MutableArrayBlock: position \(i) out of range \(indices)")
      return base[i]
    }
    nonmutating set {
      require(indices.contains(i), "MutableArrayBlock: position \(i) out of range \(indices)")
      base[i] = newValue
    }
  }

  /// Calls `body` with the block's elements as a mutable buffer (positions from 0).
  public func withUnsafeMutableBufferPointer<R, E: Error>(
    _ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeMutableBufferPointer(start: base + indices.lowerBound, count: indices.count))
  }
}

extension NDArray {
  static var defaultUserBlock: Int { BlockPolicy.blockLength(bytesPerElement: 2 * MemoryLayout<Element>.stride) }

  /// A read-only view of positions `range`, for a closure running while
  /// this array is alive (capture the array in the closure).
  ///
  /// - Precondition: `range` within `0 ..< count`.
  public func block(_ range: Range<Int>) -> ArrayBlock<Element> {
    require(range.lowerBound >= 0 && range.upperBound <= count, "NDArray.block: \(range) out of 0..<\(count)")
    return ArrayBlock(base: UnsafePointer(basePointer), indices: range)
  }

  /// Calls `body` with read-only views of consecutive blocks of the
  /// elements, in parallel over the pool.
  ///
  /// - Parameters:
  ///   - blockLength: Elements per block (default: an L2-sized block).
  ///   - body: Work on one block; it may throw (later blocks are skipped,
  ///     the first error is rethrown).
  /// - Throws: The first error `body` threw.
  /// - Complexity: O(n) calls of your code, parallel.
  public func forEachBlock<E: Error>(
    blockLength: Int? = nil, _ body: @Sendable (ArrayBlock<Element>) throws(E) -> Void
  ) throws(E) {
    let base = SendablePointer(basePointer)
    try withExtendedLifetime(storage) { () throws(E) in
      try ComputePool.shared.forEachBlock(count: count, blockLength: blockLength ?? Self.defaultUserBlock) {
        (r) throws(E) in try body(ArrayBlock(base: base.reading(at: 0), indices: r))
      }
    }
  }

  /// Maps every block and combines the results in block order (the same
  /// answer for any thread count, given a fixed `blockLength`).
  ///
  /// ```swift
  /// let fused = x.mapReduce(blockLength: 32_768) { block in
  ///   block.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + ($1 * $1) * 3 + 1 } }
  /// } combine: { $0 + $1 }
  /// ```
  /// - Returns: `nil` for an empty array.
  /// - Throws: The first error `map` or `combine` threw.
  /// - Complexity: O(n) calls of your code, parallel.
  public func mapReduce<T: Sendable, E: Error>(
    blockLength: Int? = nil, _ map: @Sendable (ArrayBlock<Element>) throws(E) -> T,
    combine: (T, T) throws(E) -> T
  ) throws(E) -> T? {
    let base = SendablePointer(basePointer)
    return try withExtendedLifetime(storage) { () throws(E) -> T? in
      try ComputePool.shared.mapReduce(
        count: count, blockLength: blockLength ?? Self.defaultUserBlock,
        map: { (r) throws(E) in try map(ArrayBlock(base: base.reading(at: 0), indices: r)) }, combine: combine)
    }
  }

  /// Updates the elements in place, block by block in parallel (copying
  /// first only when the storage is shared).
  ///
  /// - Throws: The first error `body` threw; blocks that ran before it
  ///   keep their writes.
  /// - Complexity: O(n) calls of your code, parallel.
  public mutating func updateBlocks<E: Error>(
    blockLength: Int? = nil, _ body: @Sendable (MutableArrayBlock<Element>) throws(E) -> Void
  ) throws(E) {
    makeUnique()
    let base = SendablePointer(basePointer)
    try withExtendedLifetime(storage) { () throws(E) in
      try ComputePool.shared.forEachBlock(count: count, blockLength: blockLength ?? Self.defaultUserBlock) {
        (r) throws(E) in try body(MutableArrayBlock(base: base.raw, indices: r))
      }
    }
  }

  /// A copy of this array updated block by block (see `updateBlocks`).
  ///
  /// - Throws: The first error `body` threw.
  public func updatingBlocks<E: Error>(
    blockLength: Int? = nil, _ body: @Sendable (MutableArrayBlock<Element>) throws(E) -> Void
  ) throws(E) -> NDArray {
    var copy = self
    try copy.updateBlocks(blockLength: blockLength, body)
    return copy
  }

  /// A new array of element type `R` and this shape, filled block by block
  /// from the matching block of this array. `body` writes every position
  /// of its output block (as with numpy's `empty`, an unwritten position
  /// holds an unspecified value).
  ///
  /// ```swift
  /// let y = x.mapBlocks(to: Double.self) { input, output in
  ///   for i in input.indices { output[i] = input[i] * input[i] }
  /// }
  /// ```
  /// - Throws: The first error `body` threw.
  /// - Complexity: O(n) calls of your code, parallel.
  public func mapBlocks<R: NDArrayScalar, E: Error>(
    to _: R.Type, blockLength: Int? = nil,
    _ body: @Sendable (ArrayBlock<Element>, MutableArrayBlock<R>) throws(E) -> Void
  ) throws(E) -> NDArray<R> {
    let out = NDArray<R>(uninitializedShape: shape, count: count)
    let (src, dst) = (SendablePointer(basePointer), SendablePointer(out.storage.base))
    try withExtendedLifetime(storage) { () throws(E) in
      try ComputePool.shared.forEachBlock(count: count, blockLength: blockLength ?? Self.defaultUserBlock) {
        (r) throws(E) in
        try body(ArrayBlock(base: src.reading(at: 0), indices: r), MutableArrayBlock(base: dst.raw, indices: r))
      }
    }
    return out
  }
}
