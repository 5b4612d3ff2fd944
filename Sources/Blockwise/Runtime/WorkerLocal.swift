internal import CBlockwiseKernels
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A value per thread, built by each thread on its first use and kept for
/// every later use: an expensive object (a model, a parser, a buffer) made
/// once per worker instead of once per block, as Ray's actors are.
///
/// The pool's worker threads live as long as the process (until a fork),
/// so a worker builds its value once and reuses it in every later job. The
/// calling thread of a job (worker slot 0) has a value of its own too.
///
/// ```swift
/// let model = WorkerLocal { try Model(contentsOf: path) }   // loaded once per thread
/// try ComputePool.shared.forEachBlock(count: n, blockLength: 256) { range in
///   try model.withValue { m in for i in range { scores[i] = m.score(i) } }
/// }
/// ```
public final class WorkerLocal<Value>: @unchecked Sendable {
  // @unchecked: each thread reaches only its own box (the dictionary is
  // behind a mutex), so a value is never used by two threads at once.
  private final class Box: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
  }
  private let make: @Sendable () throws -> Value
  private let boxes = Mutex<[UInt: Box]>([:])
  private let built = Atomic<Int>(0)

  /// - Parameter make: Builds a thread's value on that thread's first use;
  ///   if it throws, the use throws and a later use tries again.
  public init(_ make: @escaping @Sendable () throws -> Value) { self.make = make }

  /// Calls `body` with the calling thread's value, building it first if
  /// this thread has none yet.
  ///
  /// - Throws: What `make` or `body` throws.
  /// - Complexity: O(1) plus one lock to find the thread's value.
  public func withValue<R>(_ body: (inout Value) throws -> R) throws -> R {
    let thread = UInt(bitPattern: Int(bitPattern: UInt(pthread_self())))
    let box: Box
    if let found = boxes.withLock({ $0[thread] }) {
      box = found
    } else {
      box = Box(try make())
      built.add(1, ordering: .relaxed)
      boxes.withLock { $0[thread] = box }
    }
    return try body(&box.value)
  }

  /// How many threads have built their value.
  public var count: Int { built.load(ordering: .relaxed) }
}
