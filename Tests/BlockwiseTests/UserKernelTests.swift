import Foundation
import Synchronization
import Testing

@testable import Blockwise

struct Stop: Error, Equatable { let block: Int }

@Suite("User kernels: throwing closures, block views, per-worker state, fork")
struct UserKernelTests {
  @Test func firstErrorIsRethrownAndLaterBlocksSkipped() throws {
    let ran = Atomic<Int>(0)
    do {
      try ComputePool.shared.forEachBlock(count: 10_000, blockLength: 10) { (r) throws(Stop) in
        ran.add(1, ordering: .relaxed)
        if r.lowerBound == 50 { throw Stop(block: 5) }
        usleep(50)
      }
      Issue.record("forEachBlock must rethrow")
    } catch {
      #expect(error == Stop(block: 5))  // typed: the error is a Stop
    }
    #expect(ran.load(ordering: .relaxed) < 1000, "blocks after the failure are skipped")
    // mapReduce: the combine may throw too.
    do {
      let total = try ComputePool.shared.mapReduce(
        count: 100, blockLength: 10, map: { (r) throws(Stop) -> Int in r.count },
        combine: { (a, b) throws(Stop) -> Int in
          if a + b > 30 { throw Stop(block: -1) }
          return a + b
        })
      Issue.record("combine must throw, got \(String(describing: total))")
    } catch {
      #expect(error == Stop(block: -1))
    }
    // parallelMapRows rethrows the closure's error.
    let a = randomArray(Double.self, shape: [64, 10], seed: 8)
    #expect(throws: Stop(block: 7)) {
      _ = try ComputePool.shared.parallelMapRows(a, rowsPerBlock: 1) { (row: NDArray<Double>) -> Double in
        if row[0] == a[7, 0] { throw Stop(block: 7) }
        return row.sum()
      }
    }
    // Non-throwing closures need no try.
    ComputePool.shared.forEachBlock(count: 10, blockLength: 3) { _ in }
  }

  @Test func parallelMapRowsStacksArrayResults() throws {
    let a = randomArray(Double.self, shape: [50, 40], seed: 9)
    let centred = try ComputePool.shared.parallelMapRows(a) { row in try row - NDArray([try row.mean()], shape: []) }
    #expect(centred.shape == [50, 40])
    for r in 0..<50 {
      let mean = try a.row(r).mean()
      let want = a.row(r) - mean
      #expect(centred.row(r) == want)
    }
    let none = try ComputePool.shared.parallelMapRows(try NDArray<Double>.zeros([0, 3])) { $0 }
    #expect(none.shape == [0])
    #expect(throws: BlockwiseError.self) {
      _ = try ComputePool.shared.parallelMapRows(a) { row -> NDArray<Double> in row[0] > 0 ? row : NDArray([1]) }
    }
    #expect(throws: BlockwiseError.rankMismatch(argument: "array (parallelMapRows needs rows)", expected: 1, got: 0)) {
      _ = try ComputePool.shared.parallelMapRows(try NDArray<Double>([1], shape: [])) { $0.sum() }
    }
  }

  @Test func blockViewsReadAndWriteWithoutUnsafeCode() throws {
    let x = randomArray(Double.self, shape: [300_001], seed: 10)
    // The W3 pipeline, hand-fused through safe views.
    let fused = try #require(x.mapReduce(blockLength: 32_768) { block in
      block.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + ($1 * $1) * 3 + 1 } }
    } combine: { $0 + $1 })
    let reference = x.scalars.reduce(Float80(0)) { $0 + Float80(($1 * $1) * 3 + 1) }
    #expect(abs(Float80(fused) - reference) < 1e-9 * reference)
    // The same bits for any thread count (block order combine).
    for t in threadCounts {
      let again = try ComputePool.withThreadCount(t) {
        x.mapReduce(blockLength: 32_768) { b in b.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + ($1 * $1) * 3 + 1 } } } combine: { $0 + $1 }
      }
      #expect(again == fused)
    }
    // Positions are the array's: block[i] is x[i].
    let y = x.mapBlocks(to: Float.self, blockLength: 1000) { input, output in
      for i in input.indices { output[i] = Float(input[i] * 2) }
    }
    #expect(y.scalars == x.scalars.map { Float($0 * 2) })
    var z = try NDArray<Double>.zeros([10_007])
    z.updateBlocks(blockLength: 100) { out in
      for i in out.indices { out[i] = Double(i) }
    }
    #expect(z.scalars == (0..<10_007).map(Double.init))
    let shared = z
    z.updateBlocks { out in out.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] += 1 } } }
    #expect(shared.scalars == (0..<10_007).map(Double.init), "copy-on-write: a second owner is untouched")
    #expect(z.scalars == (0..<10_007).map { Double($0) + 1 })
    let counted = Atomic<Int>(0)
    x.forEachBlock(blockLength: 4096) { b in counted.add(b.count, ordering: .relaxed) }
    #expect(counted.load(ordering: .relaxed) == x.count)
    // Views of another captured array.
    let v = randomArray(Double.self, shape: [300_001], seed: 11)
    let w = x.mapBlocks(to: Double.self) { input, output in
      let other = v.block(input.indices)
      for i in input.indices { output[i] = input[i] + other[i] }
    }
    #expect(w.scalars == zip(x.scalars, v.scalars).map(+))
  }

  @Test func perWorkerStateMergesExactly() throws {
    // Seed 002: counts folded into one state per worker, merged after.
    let ids = (0..<200_000).map { ($0 * 7919) % 97 }
    let perWorker = ComputePool.shared.forEachBlock(count: ids.count, blockLength: 1000, perWorker: { [Int: Int]() }) {
      range, counts in
      for i in range { counts[ids[i], default: 0] += 1 }
    }
    #expect(perWorker.count >= 1 && perWorker.count <= ComputePool.shared.threadCount)
    let merged = perWorker.reduce(into: [Int: Int]()) { $0.merge($1, uniquingKeysWith: +) }
    var expected = [Int: Int]()
    for v in ids { expected[v, default: 0] += 1 }
    #expect(merged == expected)
    // Inside a block, a nested call runs inline on one state.
    let nested = try ComputePool.withThreadCount(2) {
      ComputePool.shared.mapReduce(count: 4, blockLength: 1, map: { _ in
        ComputePool.shared.forEachBlock(count: 100, blockLength: 10, perWorker: { 0 }) { r, s in s += r.count }
      }, combine: +)!
    }
    #expect(nested == [100, 100, 100, 100])
  }

  @Test func workerLocalValuesAreBuiltOncePerThread() throws {
    // Seed 003: an expensive object per worker, reused by every later job.
    let builds = Atomic<Int>(0)
    let model = WorkerLocal { () -> [Double] in
      builds.add(1, ordering: .relaxed)
      return (0..<1000).map { Double($0) }  // "loading"
    }
    var totals: [Double] = []
    for _ in 0..<5 {
      let parts = try ComputePool.shared.mapReduce(count: 64, blockLength: 1, map: { _ in
        try model.withValue { weights in weights.reduce(0, +) }
      }, combine: +)!
      totals.append(parts)
    }
    #expect(totals.allSatisfy { $0 == 64 * 499_500 })
    #expect(builds.load(ordering: .relaxed) == model.count)
    #expect(model.count >= 1 && model.count <= ComputePool.shared.threadCount, "one build per thread, never per block or job")
    struct LoadFailed: Error {}
    let broken = WorkerLocal<Int> { throw LoadFailed() }
    #expect(throws: LoadFailed.self) { try broken.withValue { $0 } }
  }

  @Test func poolSurvivesFork() throws {
    let a = randomArray(Double.self, shape: [2_000_000], seed: 12)
    let expected = try ComputePool.withThreadCount(2) { a.sumExp() }  // workers exist now
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let pid = blockwiseTestFork()
    if pid == 0 {
      // The child: only this thread exists; a parallel job must still
      // finish (a pool waiting for its lost workers would hang: the alarm
      // ends the child then, and the parent reads nothing).
      alarm(60)
      var v = (try? ComputePool.withThreadCount(2) { a.sumExp() }) ?? -1
      _ = write(fds[1], &v, 8)
      _exit(0)
    }
    close(fds[1])
    var got = 0.0
    let n = read(fds[0], &got, 8)
    close(fds[0])
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    #expect(n == 8)
    #expect(got.bitPattern == expected.bitPattern, "the child's parallel sum matches the parent's")
  }
}

/// fork(2) (the Swift overlay marks it unavailable; the pool is built to
/// survive it, so the test calls it directly).
@_silgen_name("fork") func blockwiseTestFork() -> Int32
