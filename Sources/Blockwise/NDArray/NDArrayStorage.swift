internal import CBlockwiseKernels

/// The buffer behind one or more `NDArray` values: heap memory, or memory
/// that another object owns (a read-only file mapping, an inflated .npz
/// member).
///
/// A final class so that views and copies share it by reference (never
/// copied when handed to workers) and `isKnownUniquelyReferenced` can
/// decide when a write must copy. Heap buffers are 64-byte aligned for the
/// vector kernels; 4 MiB and more on huge pages (see `bw_alloc`).
@usableFromInline
final class NDStorage<Element: NDArrayScalar>: @unchecked Sendable {
  // @unchecked: the buffer is written only through a uniquely referenced
  // NDArray (copy-on-write) or by kernels that own disjoint ranges of a
  // freshly allocated result before it is published; read-only buffers
  // are never written (the first write copies).
  // `var` only for `detach()`, which moves a borrowed buffer that outlives
  // its borrow into memory of its own.
  @usableFromInline private(set) var base: UnsafeMutablePointer<Element>
  @usableFromInline let capacity: Int
  /// Whether arrays may write the buffer in place (false for a file
  /// mapping: copy-on-write then copies even a uniquely referenced array).
  @usableFromInline private(set) var isWritable: Bool
  /// What keeps a buffer that is not Blockwise's own alive (nil: a heap
  /// buffer from `bw_alloc`, freed here).
  private(set) var owner: AnyObject?

  /// Allocates room for `capacity` elements (a count already validated to
  /// fit in `Int` bytes).
  ///
  /// - Throws: `BlockwiseError.allocationFailed` when the system refuses
  ///   the memory (Swift's own allocator would trap instead).
  @usableFromInline
  init(allocating capacity: Int) throws {
    self.capacity = capacity
    let bytes = Swift.max(1, capacity) * MemoryLayout<Element>.stride
    guard let raw = bw_alloc(bytes) else { throw BlockwiseError.allocationFailed(bytes: bytes) }
    base = raw.bindMemory(to: Element.self, capacity: Swift.max(1, capacity))
    isWritable = true
    owner = nil
  }

  /// Memory that `owner` keeps alive (for as long as this storage lives).
  init(borrowing base: UnsafeMutablePointer<Element>, capacity: Int, writable: Bool, owner: AnyObject) {
    self.base = base
    self.capacity = capacity
    isWritable = writable
    self.owner = owner
  }

  /// Memory the caller lends for the duration of a call
  /// (`NDArray.withBorrowedArray`); no owner keeps it alive, so an array
  /// still using it when the call ends is moved off it by `detach()`.
  init(lending base: UnsafeMutablePointer<Element>, capacity: Int, writable: Bool) {
    self.base = base
    self.capacity = capacity
    isWritable = writable
    owner = BorrowedMemory.shared
  }

  /// Copies the buffer into memory of its own, for every array that still
  /// uses this storage after the borrowed memory is given back.
  func detach() throws {
    let bytes = Swift.max(1, capacity) * MemoryLayout<Element>.stride
    guard let raw = bw_alloc(bytes) else { throw BlockwiseError.allocationFailed(bytes: bytes) }
    let fresh = raw.bindMemory(to: Element.self, capacity: Swift.max(1, capacity))
    fresh.initialize(from: base, count: capacity)
    base = fresh
    owner = nil
    isWritable = true
  }

  /// Room for a result as large as an array that already exists. Failing
  /// here is the process running out of memory, which traps with a
  /// message, as `Array` does.
  @usableFromInline
  convenience init(capacity: Int) {
    do { try self.init(allocating: capacity) } catch {
      fatalError("Blockwise: out of memory: \(error)")
    }
  }

  deinit {
    if owner == nil { bw_free(base, Swift.max(1, capacity) * MemoryLayout<Element>.stride) }
  }
}

/// The owner of memory lent by a caller: nothing to free.
final class BorrowedMemory: Sendable {
  static let shared = BorrowedMemory()
}

/// A pointer that may cross into pool workers. Only used for the duration
/// of a call that outlives every block it is handed to.
@usableFromInline
struct SendablePointer<T>: @unchecked Sendable {
  @usableFromInline let raw: UnsafeMutablePointer<T>
  @usableFromInline init(_ p: UnsafeMutablePointer<T>) { raw = p }
  @usableFromInline init(_ p: UnsafePointer<T>) { raw = UnsafeMutablePointer(mutating: p) }
  @inlinable subscript(i: Int) -> T {
    get { raw[i] }
    nonmutating set { raw[i] = newValue }
  }
  @inlinable func advanced(by n: Int) -> UnsafeMutablePointer<T> { raw + n }
  /// The read-only pointer `n` elements on.
  @inlinable func reading(at n: Int) -> UnsafePointer<T> { UnsafePointer(raw + n) }
}
