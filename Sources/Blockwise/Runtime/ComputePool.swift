internal import CBLAS
internal import CBlockwiseKernels
import Synchronization

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
  /// spread over the pool; returns when all have run.
  ///
  /// `worker` is a slot in `0 ..< threadCount`, unique among the blocks of
  /// this job running at the same time. Slot 0 is the calling thread;
  /// slot `w >= 1` is the pool's worker thread `w`, the same thread in
  /// every job (workers live as long as the process, or until a fork).
  /// A job run inline (one thread, or a call from inside a block) uses
  /// slot 0 on the calling thread.
  ///
  /// If `body` throws, blocks not yet started are skipped and the first
  /// error is rethrown once the job is over.
  ///
  /// ```swift
  /// try ComputePool.shared.run(blocks: 8) { block, worker in print(block, worker) }
  /// ```
  /// - Throws: The first error `body` threw.
  public func run<E: Error>(blocks: Int, _ body: @Sendable (_ block: Int, _ worker: Int) throws(E) -> Void) throws(E) {
    guard blocks > 0 else { return }
    let failure = FirstError<E>()
    withoutActuallyEscaping(body) { escapable in
      let box = JobBox { b, w in
        if failure.isSet { return }
        do throws(E) { try escapable(b, w) } catch { failure.record(error) }
      }
      let ctx = Unmanaged.passUnretained(box).toOpaque()
      withExtendedLifetime(box) {
        bw_pool_run(blocks, jobTrampoline, ctx, 0)
      }
    }
    if let e = failure.error { throw e }
  }

  /// Calls `body` with consecutive ranges covering `0..<count`, each of
  /// `blockLength` elements (the last may be shorter), spread over the pool.
  ///
  /// Below two blocks the call runs inline on the calling thread.
  ///
  /// ```swift
  /// let squares = try NDArray<Double>.zeros([1000]).updatingBlocks { out in
  ///   for i in out.indices { out[i] = Double(i * i) }
  /// }
  /// ```
  /// - Parameters:
  ///   - count: The number of elements.
  ///   - blockLength: Elements per block; default: an L2-sized block of
  ///     16 bytes per element.
  ///   - body: The work for one range; it may throw (later blocks are then
  ///     skipped and the first error is rethrown).
  /// - Throws: The first error `body` threw.
  public func forEachBlock<E: Error>(
    count: Int, blockLength: Int? = nil, _ body: @Sendable (Range<Int>) throws(E) -> Void
  ) throws(E) {
    let length = Swift.max(blockLength ?? BlockPolicy.blockLength(bytesPerElement: 16), 1)
    let blocks = BlockPolicy.pieces(count: count, length: length)
    try run(blocks: blocks) { (b, _) throws(E) in
      try body(b * length..<Swift.min(count, (b + 1) * length))
    }
  }

  /// Runs blocks that each fold into the state of the worker running them
  /// (no locks), and returns the states, one per worker that ran blocks,
  /// for the caller to merge.
  ///
  /// Which blocks a worker gets depends on timing, so merge with an exact,
  /// order-free combination (counts, sets, maxima); floating-point sums
  /// that must not depend on the thread count belong in `mapReduce` or the
  /// leaf reductions.
  ///
  /// ```swift
  /// // Occurrences of each value, counted per worker, then merged.
  /// let perWorker = ComputePool.shared.forEachBlock(
  ///   count: ids.count, blockLength: 4096, perWorker: { [Int: Int]() }
  /// ) { range, counts in
  ///   for i in range { counts[ids[i], default: 0] += 1 }
  /// }
  /// let total = perWorker.reduce(into: [:]) { $0.merge($1, uniquingKeysWith: +) }
  /// ```
  /// - Parameters:
  ///   - initial: Makes a worker's state, on its first block of this job.
  ///   - body: Folds one range into the worker's state.
  /// - Returns: The states, in worker order.
  /// - Throws: The first error `body` threw.
  public func forEachBlock<State: Sendable, E: Error>(
    count: Int, blockLength: Int? = nil, perWorker initial: @Sendable () -> State,
    _ body: @Sendable (Range<Int>, inout State) throws(E) -> Void
  ) throws(E) -> [State] {
    let slots = Int(bw_pool_effective_threads())
    let states = UnsafeMutablePointer<State?>.allocate(capacity: slots)
    states.initialize(repeating: nil, count: slots)
    defer {
      states.deinitialize(count: slots)
      states.deallocate()
    }
    let out = SendablePointer(states)
    let length = Swift.max(blockLength ?? BlockPolicy.blockLength(bytesPerElement: 16), 1)
    let blocks = BlockPolicy.pieces(count: count, length: length)
    try run(blocks: blocks) { (b, w) throws(E) in
      // Slot w is used by one thread at a time within this job.
      var state = out[w] ?? initial()
      defer { out[w] = state }
      try body(b * length..<Swift.min(count, (b + 1) * length), &state)
    }
    return (0..<slots).compactMap { states[$0] }
  }

  /// Maps every block of `0..<count` and combines the results in block
  /// order, so the answer is the same for any thread count.
  ///
  /// - Returns: `nil` when `count` is 0.
  /// - Throws: The first error `map` or `combine` threw.
  /// - Complexity: O(count / blockLength) extra memory for the partials.
  public func mapReduce<T: Sendable, E: Error>(
    count: Int, blockLength: Int, map: @Sendable (Range<Int>) throws(E) -> T,
    combine: (T, T) throws(E) -> T
  ) throws(E) -> T? {
    let length = Swift.max(blockLength, 1)
    let blocks = BlockPolicy.pieces(count: count, length: length)
    guard blocks > 0 else { return nil }
    let parts: [T] = try collectInOrder(blocks) { (out) throws(E) in
      try run(blocks: blocks) { (b, _) throws(E) in
        out[b] = try map(b * length..<Swift.min(count, (b + 1) * length))
      }
    }
    var acc = parts[0]
    for b in 1..<blocks { acc = try combine(acc, parts[b]) }
    return acc
  }

  /// Applies `body` to every row (first-axis slice) of `array`, each handed
  /// to a worker as a zero-copy view, and returns the results in row order.
  ///
  /// ```swift
  /// let lse = try ComputePool.shared.parallelMapRows(a) { row in row.logSumExp() }
  /// ```
  /// - Parameter rowsPerBlock: Rows per block; default: enough rows to fill
  ///   an L2-sized block.
  /// - Throws: `BlockwiseError.rankMismatch` for a rank-0 array (it has no
  ///   rows), or the first error `body` threw (later blocks are skipped).
  public func parallelMapRows<Element: NDArrayScalar, R: Sendable>(
    _ array: NDArray<Element>, rowsPerBlock: Int? = nil, _ body: @Sendable (NDArray<Element>) throws -> R
  ) throws -> [R] {
    guard array.rank >= 1 else {
      throw BlockwiseError.rankMismatch(argument: "array (parallelMapRows needs rows)", expected: 1, got: 0)
    }
    let rows = array.shape[0]
    guard rows > 0 else { return [] }
    let rowElements = Swift.max(array.count / rows, 1)
    let perBlock = Swift.max(
      rowsPerBlock ?? (BlockPolicy.blockLength(bytesPerElement: 8 * rowElements)), 1)
    return try collectInOrder(rows) { out in
      try forEachBlock(count: rows, blockLength: perBlock) { range in
        for r in range { out[r] = try body(array.row(r)) }
      }
    }
  }

  /// `parallelMapRows` for a closure that returns an array per row: the
  /// results, all of one shape, stacked into one array of shape
  /// `[rows] + rowResultShape` (`[0]` for an array without rows).
  ///
  /// ```swift
  /// let centred = try ComputePool.shared.parallelMapRows(a) { row in
  ///   try row - NDArray([try row.mean()], shape: [])
  /// }
  /// ```
  /// - Throws: As `parallelMapRows(_:rowsPerBlock:_:)`, and
  ///   `BlockwiseError.shapeMismatch` when two rows' results differ in shape.
  public func parallelMapRows<Element: NDArrayScalar, R: NDArrayScalar>(
    _ array: NDArray<Element>, rowsPerBlock: Int? = nil, _ body: @Sendable (NDArray<Element>) throws -> NDArray<R>
  ) throws -> NDArray<R> {
    let results: [NDArray<R>] = try parallelMapRows(array, rowsPerBlock: rowsPerBlock, body)
    guard !results.isEmpty else { return NDArray<R>(uninitializedShape: [0], count: 0) }
    return try NDArray.stack(results, axis: 0)
  }
}

/// Hands `fill` `count` empty slots that parallel blocks write by index,
/// and returns their values in index order.
private func collectInOrder<T, E: Error>(_ count: Int, _ fill: (SendablePointer<T?>) throws(E) -> Void) throws(E) -> [T] {
  let slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
  slots.initialize(repeating: nil, count: count)
  defer {
    slots.deinitialize(count: count)
    slots.deallocate()
  }
  try fill(SendablePointer(slots))
  return (0..<count).map { slots[$0]! }
}

/// The first error thrown by any block of a job; once set, later blocks
/// are skipped.
private final class FirstError<E: Error>: Sendable {
  private let flag = Atomic<Bool>(false)
  private let stored = Mutex<E?>(nil)

  var isSet: Bool { flag.load(ordering: .acquiring) }
  var error: E? { stored.withLock { $0 } }

  func record(_ e: E) {
    stored.withLock { if $0 == nil { $0 = e } }
    flag.store(true, ordering: .releasing)
  }
}

private final class JobBox {
  let body: (Int, Int) -> Void
  init(_ body: @escaping (Int, Int) -> Void) { self.body = body }
}

private let jobTrampoline: bw_block_fn = { ctx, block, worker in
  Unmanaged<JobBox>.fromOpaque(ctx!).takeUnretainedValue().body(block, worker)
}
