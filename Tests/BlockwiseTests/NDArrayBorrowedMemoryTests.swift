import Foundation
import Testing

@testable import Blockwise

@Suite("NDArray over borrowed memory: no copy in, results written in place")
struct NDArrayBorrowedMemoryTests {
  @Test func readsTheCallersMemoryWithoutACopy() throws {
    let values = (0..<10_000).map { Double($0) * 0.001 }
    try values.withUnsafeBufferPointer { buffer in
      let total = try NDArray<Double>.withBorrowedArray(buffer, shape: [100, 100]) { a -> Double in
        // The array's data pointer is the caller's.
        #expect(a.withUnsafeBufferPointer { $0.baseAddress } == buffer.baseAddress)
        #expect(a.rows(3..<5).sharesStorage(with: a))
        return a.sumExp()
      }
      #expect(abs(total - values.reduce(0) { $0 + Foundation.exp($1) }) <= 1e-12 * total)
    }
  }

  @Test func aWriteCopiesAndNeverTouchesTheBuffer() throws {
    let values: [Float] = [1, 2, 3, 4]
    try values.withUnsafeBufferPointer { buffer in
      let changed = try NDArray<Float>.withBorrowedArray(buffer, shape: [4]) { a -> NDArray<Float> in
        var b = a
        b[0] = 99
        #expect(!b.sharesStorage(with: a))
        return b
      }
      #expect(changed.scalars == [99, 2, 3, 4])
    }
    #expect(values == [1, 2, 3, 4])
  }

  @Test func anEscapedArrayIsMovedOffTheBuffer() throws {
    var escaped: NDArray<Double>? = nil
    var values = [1.0, 2.0, 3.0]
    try values.withUnsafeBufferPointer { buffer in
      try NDArray<Double>.withBorrowedArray(buffer, shape: [3]) { a in escaped = a.rows(1..<3) }
    }
    // The caller reuses its memory: the escaped view kept its own copy.
    values[1] = -7
    let e = try #require(escaped)
    #expect(e.scalars == [2, 3])
    #expect(e.withUnsafeBufferPointer { $0.baseAddress } != values.withUnsafeBufferPointer { $0.baseAddress! + 1 })
  }

  @Test func resultsLandInTheCallersBuffer() throws {
    let x = try NDArray<Double>.uniform([5000], in: -5..<5, seed: 9)
    var out = [Double](repeating: .nan, count: 5000)
    try out.withUnsafeMutableBufferPointer { buffer in
      try NDArray<Double>.withBorrowedMutableArray(buffer, shape: [5000]) { o in
        try x.exp(into: &o)
        // Written in place: still the caller's pointer.
        #expect(o.withUnsafeBufferPointer { $0.baseAddress } == UnsafePointer(buffer.baseAddress))
      }
    }
    #expect(out == x.exp().scalars)
    // A body that replaces the array: its final contents are copied back.
    try out.withUnsafeMutableBufferPointer { buffer in
      try NDArray<Double>.withBorrowedMutableArray(buffer, shape: [50, 100]) { o in o = try .full([50, 100], value: 2) }
    }
    #expect(out.allSatisfy { $0 == 2 })
    // One that shares the array before writing: the write copied, the
    // result is still copied back, and the escaped copy keeps the old values.
    var kept: NDArray<Double>? = nil
    try out.withUnsafeMutableBufferPointer { buffer in
      try NDArray<Double>.withBorrowedMutableArray(buffer, shape: [5000]) { o in
        kept = o
        o[0] = 5
      }
    }
    #expect(out[0] == 5 && out[1] == 2)
    #expect(kept?[0] == 2)
  }

  @Test func badShapesAndNilBuffersThrow() throws {
    let values = [1.0, 2.0, 3.0]
    values.withUnsafeBufferPointer { buffer in
      #expect(throws: BlockwiseError.countMismatch(expected: 4, got: 3)) {
        try NDArray<Double>.withBorrowedArray(buffer, shape: [2, 2]) { _ in }
      }
      #expect(throws: BlockwiseError.self) { try NDArray<Double>.withBorrowedArray(buffer, shape: [-3]) { _ in } }
    }
    #expect(throws: BlockwiseError.self) {
      try NDArray<Double>.withBorrowedArray(UnsafeBufferPointer(start: nil, count: 0), shape: [1]) { _ in }
    }
    // An empty buffer with no base address is a valid empty array.
    let n = try NDArray<Double>.withBorrowedArray(UnsafeBufferPointer(start: nil, count: 0), shape: [0, 5]) { $0.sum() }
    #expect(n == 0)
    var out = [0.0, 0.0]
    _ = out.withUnsafeMutableBufferPointer { buffer in
      #expect(throws: BlockwiseError.self) {
        try NDArray<Double>.withBorrowedMutableArray(buffer, shape: [2]) { o in o = try .zeros([3]) }
      }
    }
  }
}
