import Testing

@testable import Blockwise

@Suite("ReductionPartials: shards that reassemble to the one-process result, bit for bit")
struct ReductionPartialsTests {
  /// Cuts 0..<count at multiples of `leaf`: `shards` pieces, some empty.
  func cuts(_ count: Int, leaf: Int, shards: Int, seed: UInt64) -> [Range<Int>] {
    var g = SeededGenerator(seed: seed)
    let leaves = (count + leaf - 1) / leaf
    var bounds = (0..<(shards - 1)).map { _ in Int.random(in: 0...leaves, using: &g) * leaf }.map { Swift.min($0, count) }
    bounds = [0] + bounds.sorted() + [count]
    return (0..<shards).map { bounds[$0]..<bounds[$0 + 1] }
  }

  @Test(arguments: [0, 1, 4095, 4096, 4097, 3 * 4096 + 17, 40 * 4096 + 1000])
  func arrayReductionsReassemble(count: Int) throws {
    let leaf = BlockPolicy.reductionLeaf
    let a = try NDArray<Double>.uniform([count], in: -20..<20, seed: UInt64(count) + 1)
    let f = a.converted(to: Float.self)
    for shards in [1, 2, 3, 8] {
      let parts = cuts(count, leaf: leaf, shards: shards, seed: UInt64(shards))
      func joined(_ x: (NDArray<Double>) -> ReductionPartials) throws -> Double {
        try ReductionPartials.concatenating(parts.map { x(a.rows($0)) }).total()
      }
      #expect(try joined { $0.sumPartials() }.bitPattern == a.sum().bitPattern, "sum, \(shards) shards")
      #expect(try joined { $0.sumExpPartials() }.bitPattern == a.sumExp().bitPattern, "sumExp, \(shards) shards")
      #expect(try joined { $0.logSumExpPartials() }.bitPattern == a.logSumExp().bitPattern, "logSumExp, \(shards) shards")
      let fs = try ReductionPartials.concatenating(parts.map { f.rows($0).sumExpPartials() }).total()
      #expect(Float(fs).bitPattern == f.sumExp().bitPattern, "Float sumExp, \(shards) shards")
    }
    #expect(a.sumPartials().count == (count + leaf - 1) / leaf)
    #expect(a.logSumExpPartials().values.count == 2 * a.logSumExpPartials().count)
  }

  @Test func partialsDoNotDependOnThreads() throws {
    let a = try NDArray<Double>.uniform([100_000], in: -5..<5, seed: 3)
    let reference = a.logSumExpPartials()
    for t in 1...ComputePool.shared.threadCount {
      try ComputePool.withThreadCount(t) { #expect(a.logSumExpPartials() == reference) }
    }
  }

  @Test func stackAndExpressionReductionsReassemble() throws {
    let axis = NDArray<Double>((0..<20).map(Double.init))
    let stack = try BilinearSplineStack(x: axis, y: axis, values: try .uniform([7, 20, 20], in: 0..<1, seed: 4))
    let m = 256 * 37 + 99
    let xi = try NDArray<Double>.uniform([m], in: 0..<19, seed: 5)
    let yi = try NDArray<Double>.uniform([m], in: 0..<19, seed: 6)
    let e = try Blockwise.Expression<Double>("exp(-x*x) + y / 3")
    for shards in [1, 2, 3, 8] {
      let parts = cuts(m, leaf: 256, shards: shards, seed: 10 + UInt64(shards))
      let s = try ReductionPartials.concatenating(parts.map { try stack.sumExpPartials(x: xi.rows($0), y: yi.rows($0)) })
      #expect(try s.total().bitPattern == (try stack.sumExp(x: xi, y: yi)).bitPattern, "stack, \(shards) shards")
      let eparts = cuts(m, leaf: 4096, shards: shards, seed: 20 + UInt64(shards))
      for (kind, whole) in [("sum", try e.sum(["x": xi, "y": yi])), ("sumExp", try e.sumExp(["x": xi, "y": yi])),
                            ("logSumExp", try e.logSumExp(["x": xi, "y": yi]))] {
        let joined = try ReductionPartials.concatenating(eparts.map { r -> ReductionPartials in
          let inputs = ["x": xi.rows(r), "y": yi.rows(r)]
          switch kind {
          case "sum": return try e.sumPartials(inputs)
          case "sumExp": return try e.sumExpPartials(inputs)
          default: return try e.logSumExpPartials(inputs)
          }
        })
        #expect(try joined.total().bitPattern == whole.bitPattern, "expression \(kind), \(shards) shards")
      }
    }
    // No splines: zero partials, a zero total.
    let none = try BilinearSplineStack(x: axis, y: axis, values: try .zeros([0, 20, 20]))
    #expect(try none.sumExpPartials(x: xi, y: yi).total() == 0)
  }

  @Test func mismatchedPartsThrow() throws {
    let a = try NDArray<Double>.uniform([10_000], in: 0..<1, seed: 7)
    #expect(throws: BlockwiseError.self) { try ReductionPartials.concatenating([a.sumPartials(), a.logSumExpPartials()]) }
    #expect(throws: BlockwiseError.self) { try ReductionPartials.concatenating([]) }
    #expect(throws: BlockwiseError.self) { try ReductionPartials(kind: .logSumExp, leafLength: 4096, values: [1, 2, 3]) }
    #expect(throws: BlockwiseError.self) { try ReductionPartials(kind: .sum, leafLength: 0, values: []) }
    #expect(try ReductionPartials(kind: .logSumExp, leafLength: 4096, values: []).total() == -.infinity)
    #expect(try ReductionPartials(kind: .sum, leafLength: 4096, values: []).total() == 0)
  }
}
