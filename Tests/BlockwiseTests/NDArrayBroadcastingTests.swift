import Testing

@testable import Blockwise

@Suite("NDArray arithmetic with numpy broadcasting")
struct NDArrayBroadcastingTests {
  func checkFixture<E: NDArrayScalar>(_: E.Type, _ c: [String: Any]) throws {
    let a = try fixtureArray(E.self, c["a"], shape: ints(c["aShape"]))
    let b = try fixtureArray(E.self, c["b"], shape: ints(c["bShape"]))
    let shape = ints(c["shape"])
    let label = "\(a.shape) with \(b.shape)"
    let results = [("add", try a + b), ("subtract", try a - b), ("multiply", try a * b), ("divide", try a / b)]
    for (name, r) in results {
      #expect(r.shape == shape, "\(label): \(name) shape")
      #expect(sameBits(r.scalars, doubles(c[name]).map { E($0) }), "\(label): \(name)")
    }
    // In place, when the result has the left operand's shape.
    if shape == a.shape {
      var x = a
      try x += b
      #expect(sameBits(x.scalars, doubles(c["add"]).map { E($0) }), "\(label): +=")
      x = a
      try x /= b
      #expect(sameBits(x.scalars, doubles(c["divide"]).map { E($0) }), "\(label): /=")
      #expect(sameBits(a.scalars, doubles(c["a"]).map { E($0) }), "\(label): the operand must not change")
    } else {
      var x = a
      #expect(throws: BlockwiseError.shapeMismatch(expected: a.shape, got: b.shape)) { try x -= b }
      #expect(x == a || a.scalars.contains { $0.isNaN })
    }
  }

  @Test func matchNumpyFixtures() throws {
    let cases = arrayFixtures["broadcast"] as! [[String: Any]]
    #expect(cases.count >= 24)
    for c in cases {
      if c["float32"] as! Bool { try checkFixture(Float.self, c) } else { try checkFixture(Double.self, c) }
    }
  }

  @Test func incompatibleShapesNameBoth() throws {
    for c in arrayFixtures["broadcastIncompatible"] as! [[String: Any]] {
      let a = try NDArray<Double>.ones(ints(c["a"])), b = try NDArray<Double>.ones(ints(c["b"]))
      #expect(throws: BlockwiseError.shapeMismatch(expected: a.shape, got: b.shape)) { try a + b }
      #expect(throws: BlockwiseError.shapeMismatch(expected: a.shape, got: b.shape)) { try a * b }
      var x = a
      #expect(throws: BlockwiseError.self) { try x += b }
      let message = "\(BlockwiseError.shapeMismatch(expected: a.shape, got: b.shape))"
      #expect(message.contains("\(a.shape)") && message.contains("\(b.shape)"))
    }
    // A broadcast result too large to count is refused, not trapped.
    #expect(throws: BlockwiseError.self) { try BroadcastPlan([1 << 40, 1], [1, 1 << 40]) }
  }

  /// Large shapes cross block boundaries (rows split into column chunks,
  /// many rows per block) on every path: against a naive loop, bit for bit.
  @Test(arguments: [([3, 50_000], [50_000]), ([20_000, 3], [20_000, 1]), ([7, 1, 5000], [1, 9, 5000]),
                    ([2, 3, 4, 5], [3, 1, 5]), ([40_001], [1]), ([1, 1], [60_000, 1])])
  func largeShapesMatchNaiveLoops(aShape: [Int], bShape: [Int]) throws {
    let a = randomArray(Double.self, shape: aShape, in: -2...2, seed: 31)
    let b = randomArray(Double.self, shape: bShape, in: 0.5...2, seed: 32)
    let r = try a * b - a / b
    let rank = Swift.max(aShape.count, bShape.count)
    let pa = [Int](repeating: 1, count: rank - aShape.count) + aShape
    let pb = [Int](repeating: 1, count: rank - bShape.count) + bShape
    let av = a.scalars, bv = b.scalars, rv = r.scalars
    for (k, idx) in allIndices(r.shape).enumerated() {
      let x = av[flatOffset(zip(idx, pa).map { $1 == 1 ? 0 : $0 }, pa)]
      let y = bv[flatOffset(zip(idx, pb).map { $1 == 1 ? 0 : $0 }, pb)]
      if rv[k] != x * y - x / y {
        Issue.record("\(aShape) with \(bShape): element \(idx) is \(rv[k]), expected \(x * y - x / y)")
        return
      }
    }
  }

  @Test func scalarOperandsOnEitherSide() throws {
    let a = randomArray(Float.self, shape: [3, 7], seed: 5)
    let s = try NDArray<Float>([2.5], shape: [])
    #expect(try (s - a).scalars == (2.5 - a).scalars)
    #expect(try (a / s).scalars == (a / 2.5).scalars)
    #expect(try (s * s).shape == [])
  }

  @Test func sameArrayOnBothSidesRunsInPlace() throws {
    var a = randomArray(Double.self, shape: [100_000], seed: 6)
    let expected = a.scalars.map { $0 * $0 }
    let before = a.withUnsafeBufferPointer { $0.baseAddress! }
    try a *= a
    #expect(a.withUnsafeBufferPointer { $0.baseAddress! } == before, "a *= a must not copy")
    #expect(a.scalars == expected)
    try a += a
    try a -= a
    #expect(a.withUnsafeBufferPointer { $0.baseAddress! } == before)
    #expect(a.scalars.allSatisfy { $0 == 0 })
    // A second owner sees no change: copy-on-write still applies.
    var b = randomArray(Double.self, shape: [1000], seed: 7)
    let keep = b
    try b *= b
    #expect(keep.scalars.map { $0 * $0 } == b.scalars)
    #expect(!b.sharesStorage(with: keep))
  }

  @Test func broadcastInPlaceReadsAViewOfItself() throws {
    // The right operand is a row of the left: the left copies first.
    var m = try NDArray<Double>((0..<12).map(Double.init), shape: [3, 4])
    let row = m.row(1)
    try m -= row
    #expect(m.scalars == [-4, -4, -4, -4, 0, 0, 0, 0, 4, 4, 4, 4])
    #expect(row.scalars == [4, 5, 6, 7])
  }

  @Test func resultsIdenticalForAnyThreadCount() throws {
    let a = randomArray(Double.self, shape: [300, 701], seed: 8)
    let v = randomArray(Double.self, shape: [701], in: 1...2, seed: 9)
    let reference = try ComputePool.withThreadCount(1) { try a / v }
    for t in threadCounts {
      #expect(try ComputePool.withThreadCount(t) { try a / v } == reference)
    }
  }
}
