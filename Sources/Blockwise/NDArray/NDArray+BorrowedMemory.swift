// Arrays over memory Blockwise does not own, for the length of a call: a
// C caller's buffers, a numpy array's data, a buffer from another library.
// No copy is made on the way in; results can be written straight into the
// caller's memory.

extension NDArray {
  /// Calls `body` with a read-only array over `buffer`: no copy is made.
  ///
  /// The array (and every view of it) reads the caller's memory, so
  /// kernels run on it in place, on every core. A write to it copies
  /// first, as copy-on-write does; `buffer` is never written. Should the
  /// array or a view of it outlive `body` (stored somewhere), it is moved
  /// into memory of its own before this returns, so it never refers to
  /// memory the caller has taken back.
  ///
  /// ```swift
  /// let total = try NDArray<Double>.withBorrowedArray(buffer, shape: [rows, columns]) { a in
  ///   a.sumExp()
  /// }
  /// ```
  /// - Parameters:
  ///   - buffer: The elements, row-major; valid (and not written by
  ///     anyone else) for the duration of the call.
  ///   - shape: The array's shape; its element count must be
  ///     `buffer.count`.
  ///   - body: Work on the array.
  /// - Returns: What `body` returns.
  /// - Throws: `BlockwiseError.negativeDimension` or `.countMismatch` for
  ///   a shape that does not describe `buffer`, `.invalidArgument` for a
  ///   nil buffer with elements, and whatever `body` throws.
  /// - Complexity: O(1) besides `body` (O(n) only if the array escapes).
  public static func withBorrowedArray<R>(
    _ buffer: UnsafeBufferPointer<Element>, shape: [Int], _ body: (NDArray<Element>) throws -> R
  ) throws -> R {
    let base = try borrowedBase(buffer.baseAddress, count: buffer.count, shape: shape)
    var array = NDArray(
      storage: NDStorage(lending: base, capacity: buffer.count, writable: false), offset: 0, shape: shape,
      count: buffer.count)
    defer { try? array.releaseBorrowedStorage() }
    return try body(array)
  }

  /// Calls `body` with an array over `buffer` that writes in place: no
  /// copy in, no copy out.
  ///
  /// Results written into the array (`exp(into:)`, `evaluate(_:into:)`,
  /// `updateBlocks`, subscripts) land in `buffer`. If `body` replaces the
  /// array or makes it share its storage before writing (so that the
  /// write copied), its final contents are copied into `buffer` before
  /// this returns. As with `withBorrowedArray`, an array that outlives
  /// `body` is moved into memory of its own.
  ///
  /// ```swift
  /// try NDArray<Double>.withBorrowedMutableArray(out, shape: [n]) { o in
  ///   try x.exp(into: &o)                  // writes the caller's buffer
  /// }
  /// ```
  /// - Parameters:
  ///   - buffer: The elements, row-major, read and written during the call.
  ///   - shape: The array's shape; its element count must be `buffer.count`.
  ///   - body: Work on the array.
  /// - Returns: What `body` returns.
  /// - Throws: As `withBorrowedArray`, `BlockwiseError.shapeMismatch` if
  ///   `body` leaves an array of another shape, and whatever `body` throws
  ///   (`buffer` then holds whatever was written before the error).
  /// - Complexity: O(1) besides `body` (O(n) if the result has to be
  ///   copied back).
  public static func withBorrowedMutableArray<R>(
    _ buffer: UnsafeMutableBufferPointer<Element>, shape: [Int], _ body: (inout NDArray<Element>) throws -> R
  ) throws -> R {
    let base = try borrowedBase(buffer.baseAddress.map { UnsafePointer($0) }, count: buffer.count, shape: shape)
    var array = NDArray(
      storage: NDStorage(lending: base, capacity: buffer.count, writable: true), offset: 0, shape: shape,
      count: buffer.count)
    // Weak: a strong reference here would make every write copy.
    weak let lent = array.storage
    // An array that shared the lent storage and was then left behind (the
    // body's array replaced, or copied by its first write) keeps the
    // values it had: it moves off the buffer before anything is copied in.
    func detachLeftBehind() {
      if let other = lent, other !== array.storage { try? other.detach() }
    }
    let result: R
    do {
      result = try body(&array)
    } catch {
      detachLeftBehind()
      try? array.releaseBorrowedStorage()
      throw error
    }
    detachLeftBehind()
    defer { try? array.releaseBorrowedStorage() }
    guard array.shape == shape else { throw BlockwiseError.shapeMismatch(expected: shape, got: array.shape) }
    if lent !== array.storage || array.offset != 0 {
      array.withUnsafeBufferPointer { src in
        if let s = src.baseAddress, src.count > 0 { base.update(from: s, count: src.count) }
      }
    }
    return result
  }

  /// Checks that `shape` describes `count` elements at `base`; a base
  /// pointer for an empty buffer (which may have none).
  static func borrowedBase(_ base: UnsafePointer<Element>?, count: Int, shape: [Int]) throws -> UnsafeMutablePointer<Element> {
    let n = try elementCount(of: shape)
    guard n == count else { throw BlockwiseError.countMismatch(expected: n, got: count) }
    if let base { return UnsafeMutablePointer(mutating: base) }
    guard count == 0 else {
      throw BlockwiseError.invalidArgument(name: "buffer", expected: "a base address for \(count) elements", got: "nil")
    }
    return emptyBorrowedSlot.assumingMemoryBound(to: Element.self)
  }

  /// The lent storage's last step: if anything besides this array still
  /// uses it, it is moved into memory of its own.
  mutating func releaseBorrowedStorage() throws {
    guard storage.owner is BorrowedMemory else { return }
    if !isKnownUniquelyReferenced(&storage) { try storage.detach() }
  }
}

/// A non-nil base for empty borrowed arrays (never read or written).
nonisolated(unsafe) private let emptyBorrowedSlot = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
