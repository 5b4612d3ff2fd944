import Testing

@testable import Blockwise

/// Every bad shape, count, axis and thread count a caller can pass throws
/// its specific BlockwiseError; none traps.
@Suite("Bad input throws, never traps")
struct BadInputTests {
  @Test func shapes() throws {
    #expect(throws: BlockwiseError.negativeDimension(shape: [-1, 3])) { try NDArray<Double>.zeros([-1, 3]) }
    #expect(throws: BlockwiseError.negativeDimension(shape: [2, -5])) { try NDArray<Float>.ones([2, -5]) }
    #expect(throws: BlockwiseError.negativeDimension(shape: [-1])) { try NDArray<Double>(repeating: 0, shape: [-1]) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(repeating: 0, shape: [Int.max, 2]) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(shape: [1 << 61]) { _ in 0 } }
    #expect(throws: BlockwiseError.self) { try NDArray<Float>(shape: [1 << 62, 4]) { _ in 0 } }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.full([Int.max / 4, 8], value: 1) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>([], shape: [Int.max, 0, 3, Int.max]) }
    #expect(throws: BlockwiseError.countMismatch(expected: 6, got: 5)) { try NDArray<Double>([1, 2, 3, 4, 5], shape: [2, 3]) }
    // More memory than the system has: refused by the allocator, thrown.
    #expect(throws: BlockwiseError.allocationFailed(bytes: 1 << 53)) { try NDArray<Double>.zeros([1 << 50]) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.uniform([1 << 50], in: 0..<1, seed: 1) }
    do {
      _ = try NDArray<Double>(repeating: 0, shape: [Int.max, 2])
    } catch let e as BlockwiseError {
      #expect("\(e)".contains("\([Int.max, 2])"), "the message names the shape: \(e)")
    }
  }

  @Test func axesAndCounts() throws {
    let a = try NDArray<Double>.zeros([2, 3])
    #expect(throws: BlockwiseError.self) { try a.sum(axis: 2) }
    #expect(throws: BlockwiseError.self) { try a.max(axis: -3) }
    #expect(throws: BlockwiseError.self) { try a.slice(axis: 3, 0..<1) }
    #expect(throws: BlockwiseError.self) { try a.expandedDimensions(at: 4) }
    #expect(throws: BlockwiseError.self) { try a.squeezed(axis: -3) }
    #expect(throws: BlockwiseError.self) { try NDArray.concatenate([a], axis: -3) }
    #expect(throws: BlockwiseError.self) { try NDArray.stack([a], axis: 3) }
    #expect(throws: BlockwiseError.self) { try a.permuted(axes: [0, 0]) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.linspace(0, 1, count: -3) }
    #expect(throws: BlockwiseError.self) { try a.reshaped([7, -1]) }
    #expect(throws: BlockwiseError.self) { try ComputePool.withThreadCount(-4) { 0 } }
    #expect(throws: BlockwiseError.self) { try ComputePool.shared.setThreadCount(0) }
  }
}
