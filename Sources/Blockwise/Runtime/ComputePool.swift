internal import CBLAS
internal import CBlockwiseKernels

/// The process-wide pool of worker threads every Blockwise kernel runs on.
///
/// Created lazily, once: `threadCount` threads (the caller counts as one)
/// claim blocks from a shared counter, so exactly one thread per core is
/// busy. The count defaults to the CPUs this process may run on
/// (`sched_getaffinity`), capped by a cgroup CPU quota, and is overridden by
/// `BLOCKWISE_NUM_THREADS` or by setting `threadCount`. Starting the pool
/// sets OpenBLAS to one thread: BLAS runs inside our blocks and must not
/// start threads of its own.
///
/// ```swift
/// let pool = ComputePool.shared
/// // The number of even indices below 10^6, counted block by block.
/// let evens = pool.mapReduce(count: 1_000_000, blockLength: 65_536,
///                            map: { r in r.filter { $0 % 2 == 0 }.count }, combine: +)
/// ```
///
/// Calls are safe from many threads at once (jobs take turns) and from
/// inside a running block (the nested call runs inline on that thread).
public final class ComputePool: Sendable {
  /// The pool. Touching it starts nothing but the OpenBLAS setting; workers
  /// are spawned by the first job that needs them.
  public static let shared = ComputePool()

  private init() {
    openblas_set_num_threads(1)
  }

  /// Threads a job may use (1 ... `maximumThreadCount`), the calling
  /// thread included.
  ///
  /// Setting a count outside 1 ... `maximumThreadCount` uses the nearest
  /// valid count and says so in one line on stderr (a setter cannot
  /// throw); `setThreadCount(_:)` throws for such a count instead.
  public var threadCount: Int {
    get { Int(bw_pool_threads()) }
    set {
      do { try setThreadCount(newValue) } catch {
        let used = Swift.min(Swift.max(newValue, 1), Self.maximumThreadCount)
        bw_report("blockwise: ComputePool.threadCount = \(newValue): \(error); using \(used)")
        bw_pool_set_threads(Int32(used))
      }
    }
  }

  /// Sets `threadCount`, checking the count first.
  ///
  /// ```swift
  /// try ComputePool.shared.setThreadCount(2)
  /// ```
  /// - Parameter threads: A count from 1 to `maximumThreadCount`.
  /// - Throws: `BlockwiseError.invalidArgument` for any other count; the
  ///   thread count is unchanged then.
  public func setThreadCount(_ threads: Int) throws {
    try Self.checkThreadCount(threads)
    bw_pool_set_threads(Int32(threads))
  }

  /// The largest thread count the pool accepts (512).
  public static var maximumThreadCount: Int { Int(bw_max_threads()) }

  static func checkThreadCount(_ threads: Int) throws {
    guard threads >= 1 && threads <= maximumThreadCount else {
      throw BlockwiseError.invalidArgument(
        name: "thread count", expected: "1 ... \(maximumThreadCount)", got: "\(threads)")
    }
  }

  /// The default thread count of this process (affinity, cgroup quota,
  /// `BLOCKWISE_NUM_THREADS`), before any change through `threadCount`.
  public static var defaultThreadCount: Int { Int(bw_default_threads()) }

  /// Worker threads spawned so far (at most `threadCount - 1` for the largest job).
  public var spawnedWorkers: Int { Int(bw_pool_spawned_workers()) }

  /// Whether the calling thread is running a block of this pool.
  public static var isInsideBlock: Bool { bw_pool_in_block() != 0 }

  /// Runs `body` with calls made by this thread capped at `threads` threads.
  ///
  /// The cap is thread-local, so concurrent callers are not affected; it
  /// is how tests prove results do not depend on the thread count.
  ///
  /// ```swift
  /// let serial = try ComputePool.withThreadCount(1) { a.sum() }
  /// ```
  /// - Parameters:
  ///   - threads: A count from 1 to `maximumThreadCount`.
  ///   - body: The work to run under the cap.
  /// - Returns: What `body` returns.
  /// - Throws: `BlockwiseError.invalidArgument` for a count outside
  ///   1 ... `maximumThreadCount` (`body` does not run then), or what
  ///   `body` throws.
  public static func withThreadCount<R>(_ threads: Int, _ body: () throws -> R) throws -> R {
    try checkThreadCount(threads)
    let saved = bw_thread_limit_get()
    bw_thread_limit_set(Int32(threads))
    defer { bw_thread_limit_set(saved) }
    return try body()
  }

  // MARK: - Running blocks

  /// Calls `body(block, worker)` for every block index in `0..<blocks`,
  /// spread over the pool; returns when all have run. `worker` is in
  /// `0..<threadCount` and unique among blocks running at the same time.
  public func run(blocks: Int, _ body: @Sendable (_ block: Int, _ worker: Int) -> Void) {
    guard blocks > 0 else { return }
    withoutActuallyEscaping(body) { escapable in
      let box = JobBox(escapable)
      let ctx = Unmanaged.passUnretained(box).toOpaque()
      withExtendedLifetime(box) {
        bw_pool_run(blocks, jobTrampoline, ctx, 0)
      }
    }
  }

  /// Calls `body` with consecutive ranges covering `0..<count`, each of
  /// `blockLength` elements (the last may be shorter), spread over the pool.
  ///
  /// Below two blocks the call runs inline on the calling thread.
  /// - Parameters:
  ///   - count: The number of elements.
  ///   - blockLength: Elements per block; default: an L2-sized block of
  ///     16 bytes per element.
  public func forEachBlock(
    count: Int, blockLength: Int? = nil, _ body: @Sendable (Range<Int>) -> Void
  ) {
    let length = Swift.max(blockLength ?? BlockPolicy.blockLength(bytesPerElement: 16), 1)
    let blocks = BlockPolicy.pieces(count: count, length: length)
    run(blocks: blocks) { b, _ in
      body(b * length..<Swift.min(count, (b + 1) * length))
    }
  }

  /// Maps every block of `0..<count` and combines the results in block
  /// order, so the answer is the same for any thread count.
  ///
  /// - Returns: `nil` when `count` is 0.
  /// - Complexity: O(count / blockLength) extra memory for the partials.
  public func mapReduce<T: Sendable>(
    count: Int, blockLength: Int, map: @Sendable (Range<Int>) -> T,
    combine: (T, T) throws -> T
  ) rethrows -> T? {
    let length = Swift.max(blockLength, 1)
    let blocks = BlockPolicy.pieces(count: count, length: length)
    guard blocks > 0 else { return nil }
    let parts: [T] = collectInOrder(blocks) { out in
      run(blocks: blocks) { b, _ in
        out[b] = map(b * length..<Swift.min(count, (b + 1) * length))
      }
    }
    var acc = parts[0]
    for b in 1..<blocks { acc = try combine(acc, parts[b]) }
    return acc
  }

  /// Applies `body` to every row (first-axis slice) of `array`, each handed
  /// to a worker as a zero-copy view, and returns the results in row order.
  ///
  /// - Parameter rowsPerBlock: Rows per block; default: enough rows to fill
  ///   an L2-sized block.
  public func parallelMapRows<E: NDArrayScalar, R: Sendable>(
    _ array: NDArray<E>, rowsPerBlock: Int? = nil, _ body: @Sendable (NDArray<E>) -> R
  ) -> [R] {
    precondition(array.rank >= 1, "parallelMapRows: needs an array of rank >= 1, got rank 0")
    let rows = array.shape[0]
    guard rows > 0 else { return [] }
    let rowElements = Swift.max(array.count / rows, 1)
    let perBlock = Swift.max(
      rowsPerBlock ?? (BlockPolicy.blockLength(bytesPerElement: 8 * rowElements)), 1)
    return collectInOrder(rows) { out in
      forEachBlock(count: rows, blockLength: perBlock) { range in
        for r in range { out[r] = body(array.row(r)) }
      }
    }
  }
}

/// Hands `fill` `count` empty slots that parallel blocks write by index,
/// and returns their values in index order.
private func collectInOrder<T>(_ count: Int, _ fill: (SendablePointer<T?>) -> Void) -> [T] {
  let slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
  slots.initialize(repeating: nil, count: count)
  defer {
    slots.deinitialize(count: count)
    slots.deallocate()
  }
  fill(SendablePointer(slots))
  return (0..<count).map { slots[$0]! }
}

private final class JobBox {
  let body: (Int, Int) -> Void
  init(_ body: @escaping (Int, Int) -> Void) { self.body = body }
}

private let jobTrampoline: bw_block_fn = { ctx, block, worker in
  Unmanaged<JobBox>.fromOpaque(ctx!).takeUnretainedValue().body(block, worker)
}
