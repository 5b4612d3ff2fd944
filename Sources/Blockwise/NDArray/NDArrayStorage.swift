/// The heap buffer behind one or more `NDArray` values.
///
/// A final class so that views and copies share it by reference (never
/// copied when handed to workers) and `isKnownUniquelyReferenced` can
/// decide when a write must copy. 64-byte aligned for the vector kernels.
@usableFromInline
final class NDStorage<Element: NDArrayScalar>: @unchecked Sendable {
  // @unchecked: the buffer is written only through a uniquely referenced
  // NDArray (copy-on-write) or by kernels that own disjoint ranges of a
  // freshly allocated result before it is published.
  @usableFromInline let base: UnsafeMutablePointer<Element>
  @usableFromInline let capacity: Int

  @usableFromInline
  init(capacity: Int) {
    self.capacity = capacity
    let bytes = Swift.max(1, capacity) * MemoryLayout<Element>.stride
    base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
      .bindMemory(to: Element.self, capacity: Swift.max(1, capacity))
  }

  deinit { UnsafeMutableRawPointer(base).deallocate() }
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
}
