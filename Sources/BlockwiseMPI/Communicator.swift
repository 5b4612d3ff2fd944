// Re-exported: the partials and errors in this module's API are Blockwise types.
public import Blockwise
internal import CMPI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// The processes (ranks) of an MPI job, for running Blockwise's kernels
/// on several machines with results bit-identical to one process.
///
/// Each rank maps or reads its shard of the input (`shard(count:alignment:)`),
/// runs the same reduction on its shard with every core of its machine,
/// and `combine(_:)` joins the ranks' leaf partials with the tree one
/// process uses: the total is the same, bit for bit, for any number of
/// ranks and threads.
///
/// ```swift
/// let comm = try Communicator.world()
/// let mine = comm.shard(count: points, alignment: BlockPolicy.bilinearStackSumLeaf)  // the stack's leaf
/// let xi = try NDArray<Double>(mappingNpyFile: "xi.npy", rows: mine)
/// let yi = try NDArray<Double>(mappingNpyFile: "yi.npy", rows: mine)
/// let total = try comm.combine(try stack.sumExpPartials(x: xi, y: yi))
/// ```
///
/// Run under `mpirun -np N program` (one host or a `--hostfile`). MPI is
/// initialised on first use with `MPI_THREAD_FUNNELED` (only the thread
/// that calls `world()` makes MPI calls; Blockwise's pool workers never
/// do) and finalised when the process exits. MPI errors return to Swift as
/// `BlockwiseError.communication` with MPI's error string, never as an
/// abort. The collective operations (`barrier()`, `combine(_:)`, the end
/// of `collectively(_:)`) first exchange every rank's status, so a rank
/// that failed (see `collectively(_:)`) makes every other rank throw
/// `BlockwiseError.rankFailed` naming it, instead of waiting for it.
public final class Communicator: Sendable {
  // @unchecked-free Sendable: the handle is an immutable pointer value, and
  // MPI calls are made from the thread that initialised MPI.
  nonisolated(unsafe) let comm: MPI_Comm
  /// This process's rank, 0 ..< size.
  public let rank: Int
  /// The number of ranks in the job.
  public let size: Int

  private init(comm: MPI_Comm) throws {
    self.comm = comm
    var r: Int32 = 0, s: Int32 = 0
    try mpi("MPI_Comm_rank") { MPI_Comm_rank(comm, &r) }
    try mpi("MPI_Comm_size") { MPI_Comm_size(comm, &s) }
    rank = Int(r)
    size = Int(s)
  }

  /// The job's world communicator, initialising MPI on first use.
  ///
  /// - Throws: `BlockwiseError.communication` when MPI cannot start, or
  ///   cannot give `MPI_THREAD_FUNNELED`.
  /// - Complexity: O(1) after the first call.
  public static func world() throws -> Communicator {
    try WorldState.shared.communicator()
  }

  /// Blocks until every rank has called it.
  ///
  /// - Throws: `BlockwiseError.rankFailed` when another rank failed
  ///   (`collectively(_:)`), `.communication` when MPI fails.
  public func barrier() throws {
    try exchangeStatus(nil)
  }

  /// This rank's contiguous share of `0..<count`: ranks in order cover the
  /// range exactly once, every boundary a multiple of `alignment` (the
  /// last one `count`), the shares as even as that allows (they differ by
  /// at most one `alignment` unit). Pass the reduction's leaf length
  /// (`ReductionPartials.leafLength`) so that each shard's partials are
  /// whole global leaves.
  ///
  /// An `alignment` below 1 counts as 1, a negative `count` as 0.
  ///
  /// - Complexity: O(1).
  public func shard(count: Int, alignment: Int) -> Range<Int> {
    Self.shard(count: count, alignment: alignment, rank: rank, size: size)
  }

  /// `shard(count:alignment:)` for any rank of a job of `size` ranks.
  public static func shard(count: Int, alignment: Int, rank: Int, size: Int) -> Range<Int> {
    let n = Swift.max(count, 0), a = Swift.max(alignment, 1), p = Swift.max(size, 1)
    let units = n / a + (n % a == 0 ? 0 : 1)
    let r = Swift.min(Swift.max(rank, 0), p - 1)
    // Units split as evenly as integers allow: the first units % p ranks
    // take one more. Multiplication done in the unit domain never overflows
    // for counts that fit in memory.
    let base = units / p, extra = units % p
    let first = r * base + Swift.min(r, extra)
    let last = first + base + (r < extra ? 1 : 0)
    return Swift.min(n, first * a)..<Swift.min(n, last * a)
  }

  /// The total of a reduction split across ranks: gathers every rank's
  /// partials in rank order (each rank's must be the shard
  /// `shard(count:alignment: partials.leafLength)` of the same global
  /// index space) and combines them with the pairwise tree one process
  /// applies. Every rank gets the total.
  ///
  /// Communication: an all-gather of 8 bytes per leaf for sums (`sum`,
  /// `sumExp`, stacks: 8 bytes per 256 points) or 16 bytes per leaf for
  /// `logSumExp`, plus one status exchange; no rank sends its data.
  ///
  /// - Returns: The total, equal bit for bit to the one-process reduction
  ///   of all the elements (a Double: round it once for Float inputs).
  /// - Throws: `BlockwiseError.rankFailed` when a rank failed,
  ///   `.invalidArgument` when ranks pass partials of different kinds or
  ///   leaf lengths, `.communication` when MPI fails.
  /// - Complexity: O(total leaves) time and memory on every rank.
  public func combine(_ partials: ReductionPartials) throws -> Double {
    try exchangeStatus(nil)
    // Every rank's (kind, leaf length, value count), so that mismatched
    // calls fail on every rank alike instead of mis-gathering.
    var mine: [Int64] = [partials.kind == .sum ? 0 : 1, Int64(partials.leafLength), Int64(partials.values.count)]
    var all = [Int64](repeating: 0, count: 3 * size)
    try mpi("MPI_Allgather") {
      MPI_Allgather(&mine, 3, bw_mpi_int64(), &all, 3, bw_mpi_int64(), comm)
    }
    for r in 0..<size where all[3 * r] != mine[0] || all[3 * r + 1] != mine[1] {
      throw BlockwiseError.invalidArgument(
        name: "partials of rank \(r)",
        expected: "\(partials.kind) partials with leaves of \(partials.leafLength) (as rank \(rank))",
        got: "\(all[3 * r] == 0 ? "sum" : "logSumExp") partials with leaves of \(all[3 * r + 1])")
    }
    let counts = (0..<size).map { Int32(truncatingIfNeeded: all[3 * $0 + 2]) }
    let total = (0..<size).reduce(0) { $0 + Int(all[3 * $1 + 2]) }
    guard total <= Int(Int32.max), (0..<size).allSatisfy({ all[3 * $0 + 2] <= Int64(Int32.max) }) else {
      throw BlockwiseError.invalidArgument(
        name: "partials", expected: "fewer than 2^31 leaf values in all", got: "\(total)")
    }
    var displacements = [Int32](repeating: 0, count: size)
    for r in 1..<Swift.max(size, 1) { displacements[r] = displacements[r - 1] + counts[r - 1] }
    var gathered = [Double](repeating: 0, count: total)
    try partials.values.withUnsafeBufferPointer { send in
      try gathered.withUnsafeMutableBufferPointer { receive in
        try mpi("MPI_Allgatherv") {
          MPI_Allgatherv(
            send.baseAddress, Int32(send.count), bw_mpi_double(), receive.baseAddress, counts, displacements,
            bw_mpi_double(), comm)
        }
      }
    }
    return try ReductionPartials(kind: partials.kind, leafLength: partials.leafLength, values: gathered).total()
  }

  /// Runs `body` as one step that all ranks take together: if it throws on
  /// any rank, it throws on every rank.
  ///
  /// A rank whose `body` throws tells the others at their next collective
  /// call (`combine`, `barrier`, or the end of this step) and they throw
  /// `BlockwiseError.rankFailed(rank:message:)` naming the first failing
  /// rank and its error; the failing rank rethrows that same error. So no
  /// rank waits forever for one that has given up. Every rank must call
  /// the same collective operations in the same order (SPMD).
  ///
  /// ```swift
  /// let total = try comm.collectively {
  ///   let xi = try NDArray<Double>(mappingNpyFile: path, rows: mine)   // may fail on one rank
  ///   return try comm.combine(try stack.sumExpPartials(x: xi, y: yi))
  /// }
  /// ```
  /// - Returns: What `body` returns.
  /// - Throws: `BlockwiseError.rankFailed` (on every rank) when any rank
  ///   failed, `.communication` when MPI fails.
  public func collectively<T>(_ body: () throws -> T) throws -> T {
    let value: T
    do {
      value = try body()
    } catch let e as BlockwiseError {
      if case .rankFailed = e { throw e }  // already agreed by every rank
      try exchangeStatus("\(e)")
      throw e  // not reached: the exchange throws rankFailed
    } catch {
      try exchangeStatus("\(error)")
      throw error
    }
    try exchangeStatus(nil)
    return value
  }

  /// Runs a whole MPI program: `body` under `collectively(_:)`; then MPI
  /// is finalised and the process exits 0. If any rank fails, every rank
  /// prints `rank k failed: <message>` to standard error and exits 1, so
  /// `mpirun` ends with every process done and the reason on the console.
  public func run(_ body: (Communicator) throws -> Void) -> Never {
    do {
      try collectively { try body(self) }
      WorldState.shared.finalize()
      exit(0)
    } catch {
      let line = "blockwise-mpi: rank \(rank) of \(size): \(error)\n"
      _ = line.withCString { write(2, $0, strlen($0)) }  // standard error
      WorldState.shared.finalize()
      exit(1)
    }
  }

  // MARK: - Status exchange

  /// Bytes of a failure message sent to every rank (longer ones are cut).
  static let messageBytes = 1000

  /// Every rank's status: nil for fine, or this rank's failure message.
  /// Throws `rankFailed` for the lowest failing rank.
  func exchangeStatus(_ failure: String?) throws {
    let width = Self.messageBytes + 1
    var mine = [CChar](repeating: 0, count: width)
    if let failure {
      mine[0] = 1
      let bytes = Array(failure.utf8.prefix(Self.messageBytes - 1))
      for (k, b) in bytes.enumerated() { mine[k + 1] = CChar(bitPattern: b) }
    }
    var all = [CChar](repeating: 0, count: width * size)
    try mpi("MPI_Allgather") {
      MPI_Allgather(&mine, Int32(width), bw_mpi_char(), &all, Int32(width), bw_mpi_char(), comm)
    }
    for r in 0..<size where all[r * width] != 0 {
      let text = all[(r * width + 1)..<((r + 1) * width)].prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
      throw BlockwiseError.rankFailed(rank: r, message: String(decoding: text, as: UTF8.self))
    }
  }
}

/// Runs an MPI call, turning a failure into `BlockwiseError.communication`
/// with MPI's error string.
func mpi(_ call: String, _ body: () -> Int32) throws {
  let rc = body()
  guard rc == bw_mpi_success() else {
    var text = [CChar](repeating: 0, count: Int(bw_mpi_max_error_string()) + 1)
    var length: Int32 = 0
    MPI_Error_string(rc, &text, &length)
    let message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    throw BlockwiseError.communication(call: call, problem: message.isEmpty ? "MPI error \(rc)" : message)
  }
}

/// MPI's process-wide state: initialised once, finalised at exit.
final class WorldState: @unchecked Sendable {
  // @unchecked: guarded by `lock`.
  static let shared = WorldState()
  private let lock = PThreadLock()
  private var world: Communicator?
  private var ownsMPI = false
  private var finalized = false

  func communicator() throws -> Communicator {
    try lock.withLock {
      if let world { return world }
      var initialized: Int32 = 0
      MPI_Initialized(&initialized)
      if initialized == 0 {
        var provided: Int32 = 0
        try mpi("MPI_Init_thread") { MPI_Init_thread(nil, nil, bw_mpi_thread_funneled(), &provided) }
        ownsMPI = true
        atexit { WorldState.shared.finalize() }
        guard provided >= bw_mpi_thread_funneled() else {
          throw BlockwiseError.communication(
            call: "MPI_Init_thread", problem: "the MPI library gives thread level \(provided), below MPI_THREAD_FUNNELED")
        }
      }
      // Errors come back as return codes (turned into BlockwiseError), not
      // MPI_ERRORS_ARE_FATAL aborts without a message.
      try mpi("MPI_Comm_set_errhandler") { MPI_Comm_set_errhandler(bw_mpi_comm_world(), bw_mpi_errors_return()) }
      let w = try Communicator.make(bw_mpi_comm_world())
      world = w
      return w
    }
  }

  /// Finalises MPI once, if Blockwise initialised it.
  func finalize() {
    lock.withLock {
      guard ownsMPI, !finalized else { return }
      var done: Int32 = 0
      MPI_Finalized(&done)
      if done == 0 { MPI_Finalize() }
      finalized = true
    }
  }
}

extension Communicator {
  static func make(_ comm: MPI_Comm) throws -> Communicator { try Communicator(comm: comm) }
}

/// A pthread mutex (Foundation-free).
final class PThreadLock: @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  init() { pthread_mutex_init(&mutex, nil) }
  deinit { pthread_mutex_destroy(&mutex) }
  func withLock<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    return try body()
  }
}
