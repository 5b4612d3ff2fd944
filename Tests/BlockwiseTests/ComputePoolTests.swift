import Foundation
import Synchronization
import Testing

@testable import Blockwise

@Suite("ComputePool")
struct ComputePoolTests {
  @Test(arguments: [0, 1, 99, 100, 101, 12_345])
  func forEachBlockCoversEveryIndexOnce(count: Int) throws {
    let hits = UnsafeMutablePointer<Int>.allocate(capacity: max(count, 1))
    hits.initialize(repeating: 0, count: max(count, 1))
    defer { hits.deallocate() }
    let p = SendablePointer(hits)
    for t in threadCounts {
      try ComputePool.withThreadCount(t) {
        ComputePool.shared.forEachBlock(count: count, blockLength: 100) { r in
          #expect(r.count <= 100)
          for i in r { p[i] += 1 }
        }
      }
    }
    for i in 0..<count { #expect(hits[i] == threadCounts.count) }
  }

  @Test func mapReduceCombinesInBlockOrder() throws {
    for t in threadCounts {
      let ranges = try ComputePool.withThreadCount(t) {
        ComputePool.shared.mapReduce(count: 1000, blockLength: 7, map: { [$0] }, combine: +)
      }!
      #expect(ranges.count == 143)
      #expect(ranges.map(\.lowerBound) == Array(stride(from: 0, to: 1000, by: 7)))
    }
    #expect(ComputePool.shared.mapReduce(count: 0, blockLength: 4, map: { $0.count }, combine: +) == nil)
  }

  @Test func parallelMapRowsUsesZeroCopyViews() throws {
    let a = randomArray(Double.self, shape: [300, 1000], seed: 1)
    let base = a.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress!) }
    let sums = try ComputePool.shared.parallelMapRows(a) { row -> Double in row.logSumExp() }
    let addresses = try ComputePool.shared.parallelMapRows(a) { row in
      row.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress!) }
    }
    for r in 0..<300 {
      #expect(sums[r] == a.row(r).logSumExp())
      #expect(addresses[r] == base + UInt(r * 1000 * 8))
    }
    #expect(try ComputePool.shared.parallelMapRows(NDArray<Float>.zeros([0, 4])) { $0.count }.isEmpty)
  }

  @Test func nestedCallsRunInlineWithoutDeadlock() throws {
    let a = randomArray(Double.self, shape: [50_000], seed: 2)
    let expected = a.sumExp()
    let results = try ComputePool.withThreadCount(4) {
      ComputePool.shared.mapReduce(count: 16, blockLength: 1, map: { _ -> [Double] in
        #expect(ComputePool.isInsideBlock)
        return [a.sumExp()]  // a nested parallel reduction
      }, combine: +)!
    }
    #expect(results.count == 16)
    for r in results { #expect(r.bitPattern == expected.bitPattern) }
    #expect(!ComputePool.isInsideBlock)
  }

  @Test func manyCallerThreadsAtOnce() async {
    let a = randomArray(Double.self, shape: [300_000], seed: 3)
    let expected = a.sumExp()
    await withTaskGroup(of: Double.self) { group in
      for _ in 0..<8 { group.addTask { a.sumExp() } }
      for await r in group { #expect(r.bitPattern == expected.bitPattern) }
    }
    let threads = (0..<4).map { _ in
      Thread { for _ in 0..<5 { precondition(a.sumExp() == expected) } }
    }
    threads.forEach { $0.start() }
    while threads.contains(where: { !$0.isFinished }) { usleep(1000) }
  }

  @Test func openBLASStaysSingleThreadedAfterStart() {
    _ = ComputePool.shared
    #expect(openBLASThreadCount == 1)
  }
}
