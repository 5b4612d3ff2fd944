import Testing

@testable import Blockwise

/// Sizes around the leaf and block lengths, where remainder loops live.
func edgeSizes<E: NDArrayScalar>(_: E.Type, inputs: Int = 2) -> [Int] {
  let b = BlockPolicy.blockLength(bytesPerElement: (inputs + 1) * MemoryLayout<E>.stride)
  return [0, 1, 3, 7, 8, 9, 4095, 4096, 4097, b - 1, b, b + 1, 3 * b + 17]
}

@Suite("NDArray elementwise arithmetic")
struct NDArrayElementwiseTests {
  func checkOps<E: NDArrayScalar>(_: E.Type) throws {
    for n in edgeSizes(E.self) {
      let a = randomArray(E.self, shape: [n], seed: UInt64(n) + 1)
      let b = randomArray(E.self, shape: [n], in: 0.5...2, seed: UInt64(n) + 2)
      let av = a.scalars, bv = b.scalars
      // IEEE arithmetic is exactly rounded: results must match a naive loop bit for bit.
      #expect(try (a + b).scalars == zip(av, bv).map { $0 + $1 })
      #expect(try (a - b).scalars == zip(av, bv).map { $0 - $1 })
      #expect(try (a * b).scalars == zip(av, bv).map { $0 * $1 })
      #expect(try (a / b).scalars == zip(av, bv).map { $0 / $1 })
      #expect((a + 2).scalars == av.map { $0 + 2 })
      #expect((2 - a).scalars == av.map { 2 - $0 })
      #expect((a - 2).scalars == av.map { $0 - 2 })
      #expect((3 * a).scalars == av.map { 3 * $0 })
      #expect((a / 4).scalars == av.map { $0 / 4 })
      #expect((1 / b).scalars == bv.map { 1 / $0 })
      var c = a
      try c += b
      try c *= b
      c -= 1
      c /= 2
      let expected: [E] = zip(av, bv).map { (p: (E, E)) -> E in
        let t: E = (p.0 + p.1) * p.1
        return (t - 1) / 2
      }
      #expect(c.scalars == expected)
      #expect(a.scalars == av, "the operands must not change")
      #expect(a.map { $0 * $0 }.scalars == av.map { $0 * $0 })
    }
  }

  @Test func opsMatchNaiveLoopsDouble() throws { try checkOps(Double.self) }
  @Test func opsMatchNaiveLoopsFloat() throws { try checkOps(Float.self) }

  @Test func shapeMismatchThrowsAndLeavesOperandAlone() throws {
    var a = try NDArray<Double>([1, 2, 3, 4], shape: [2, 2])
    let b = try NDArray<Double>([1, 2, 3, 4], shape: [4])
    #expect(throws: BlockwiseError.shapeMismatch(expected: [2, 2], got: [4])) { try a + b }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [2, 2], got: [4])) { try a += b }
    #expect(a.scalars == [1, 2, 3, 4])
  }

  @Test func inPlaceOnSharedStorageCopies() throws {
    var a = randomArray(Double.self, shape: [10_000], seed: 3)
    let shared = a
    let before = shared.scalars
    try a += shared
    #expect(shared.scalars == before)
    #expect(a.scalars == before.map { $0 + $0 })
    // A view of a bigger array: writing it must not touch the parent.
    let parent = randomArray(Float.self, shape: [4, 5000], seed: 4)
    var row = parent.row(2)
    let parentBefore = parent.scalars
    row *= 2
    #expect(parent.scalars == parentBefore)
    #expect(row.scalars == parentBefore[10_000..<15_000].map { $0 * 2 })
  }

  @Test func resultsIdenticalForAnyThreadCount() throws {
    let a = randomArray(Double.self, shape: [200_003], seed: 5)
    let b = randomArray(Double.self, shape: [200_003], in: 1...2, seed: 6)
    let reference = try ComputePool.withThreadCount(1) { try a / b }
    for t in threadCounts {
      #expect(try ComputePool.withThreadCount(t) { try a / b } == reference)
    }
  }
}
