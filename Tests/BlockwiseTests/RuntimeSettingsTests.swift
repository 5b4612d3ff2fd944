import CBlockwiseKernels
import Foundation
import Testing

@testable import Blockwise

/// Tests that change the process-wide thread count or the environment run
/// one at a time.
@Suite("Runtime settings: thread counts, environment, build notices", .serialized)
struct RuntimeSettingsTests {
  @Test func threadCountFromTheEnvironment() throws {
    unsetenv("BLOCKWISE_NUM_THREADS")
    let machine = ComputePool.defaultThreadCount
    #expect(machine >= 1 && machine <= ProcessInfo.processInfo.activeProcessorCount)
    setenv("BLOCKWISE_NUM_THREADS", "3", 1)
    #expect(ComputePool.defaultThreadCount == 3)
    // Unusable values fall back to the machine's count (and are reported
    // once on stderr).
    for bad in ["abc", "0", "-2", "3x", ""] {
      setenv("BLOCKWISE_NUM_THREADS", bad, 1)
      #expect(ComputePool.defaultThreadCount == machine, "BLOCKWISE_NUM_THREADS=\(bad)")
    }
    setenv("BLOCKWISE_NUM_THREADS", "100000", 1)
    #expect(ComputePool.defaultThreadCount == ComputePool.maximumThreadCount)
    unsetenv("BLOCKWISE_NUM_THREADS")
  }

  @Test func threadCountSettersValidate() throws {
    let pool = ComputePool.shared
    let before = pool.threadCount
    defer { pool.threadCount = before }
    try pool.setThreadCount(5)
    #expect(pool.threadCount == 5)
    for bad in [0, -1, ComputePool.maximumThreadCount + 1] {
      #expect(throws: BlockwiseError.self) { try pool.setThreadCount(bad) }
      #expect(pool.threadCount == 5, "a refused count leaves the count alone")
      #expect(throws: BlockwiseError.self) { try ComputePool.withThreadCount(bad) { 1 } }
    }
    // The setter cannot throw: it uses the nearest valid count (and says so).
    pool.threadCount = 0
    #expect(pool.threadCount == 1)
    pool.threadCount = ComputePool.maximumThreadCount + 10
    #expect(pool.threadCount == ComputePool.maximumThreadCount)
    do {
      _ = try ComputePool.withThreadCount(0) { 1 }
      Issue.record("withThreadCount(0) must throw")
    } catch let e as BlockwiseError {
      #expect("\(e)".contains("got 0") && "\(e)".contains("1 ... \(ComputePool.maximumThreadCount)"), "\(e)")
    }
    #expect(try ComputePool.withThreadCount(2) { 7 } == 7)
  }

  @Test func unoptimisedBuildNotice() throws {
    #expect(Blockwise.debugBuildNotice.contains("swift build -c release") && Blockwise.debugBuildNotice.contains("-Xcc -O2"))
    #expect(Blockwise.debugBuildNotice.contains("BLOCKWISE_QUIET_DEBUG=1"))
    #expect(kernelsOptimized == (bw_kernels_optimized() != 0))
    setenv("BLOCKWISE_QUIET_DEBUG", "1", 1)
    #expect(bw_debug_notice_due() == 0)
    unsetenv("BLOCKWISE_QUIET_DEBUG")
    #expect(bw_debug_notice_due() == (kernelsOptimized ? 0 : 1))
  }

  @Test func poolFactsFromTheMachine() {
    #expect(BlockPolicy.l2CacheBytes >= 16 * 1024)
    let b = BlockPolicy.blockLength(bytesPerElement: 16, leaf: 256)
    #expect(b % 256 == 0)
  }
}
