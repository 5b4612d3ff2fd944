import CBlockwiseKernels
import Foundation
import Testing

@testable import Blockwise

@Suite("NDArray constructors: constants, ranges, seeded random arrays")
struct NDArrayConstructorsTests {
  @Test func constants() throws {
    #expect(try NDArray<Double>.ones([2, 3]).scalars == [Double](repeating: 1, count: 6))
    #expect(try NDArray<Float>.full([4], value: -2.5).scalars == [-2.5, -2.5, -2.5, -2.5])
    #expect(try NDArray<Double>.zeros([]).scalars == [0])
    #expect(try NDArray<Double>.zeros([3, 0]).count == 0)
    let big = try NDArray<Double>.full([300_001], value: 7)
    #expect(big.scalars.allSatisfy { $0 == 7 })
  }

  @Test func linspaceMatchesNumpyBitForBit() throws {
    for c in arrayFixtures["linspace"] as! [[String: Any]] {
      let start = Double(c["start"] as! String)!, stop = Double(c["stop"] as! String)!
      let count = c["count"] as! Int, endpoint = c["endpoint"] as! Bool
      let d = try NDArray<Double>.linspace(start, stop, count: count, endpoint: endpoint)
      #expect(sameBits(d.scalars, doubles(c["double"])), "linspace(\(start), \(stop), \(count), endpoint: \(endpoint))")
      let f = try NDArray<Float>.linspace(Float(start), Float(stop), count: count, endpoint: endpoint)
      if Double(Float(start)) == start && Double(Float(stop)) == stop {
        #expect(sameBits(f.scalars, doubles(c["float"]).map { Float($0) }), "Float linspace(\(start), \(stop), \(count))")
      }
    }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.linspace(0, 1, count: -1) }
  }

  @Test func arangeMatchesNumpyBitForBit() throws {
    for c in arrayFixtures["arange"] as! [[String: Any]] {
      let start = Double(c["start"] as! String)!, stop = Double(c["stop"] as! String)!
      let step = Double(c["step"] as! String)!
      let d = try NDArray<Double>.arange(start: start, stop: stop, step: step)
      #expect(sameBits(d.scalars, doubles(c["double"])), "arange(\(start), \(stop), \(step))")
      if Double(Float(start)) == start && Double(Float(stop)) == stop && Double(Float(step)) == step {
        let f = try NDArray<Float>.arange(start: Float(start), stop: Float(stop), step: Float(step))
        #expect(sameBits(f.scalars, doubles(c["float"]).map { Float($0) }), "Float arange(\(start), \(stop), \(step))")
      }
    }
    #expect(try NDArray<Double>.arange(stop: 4).scalars == [0, 1, 2, 3])
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.arange(start: 0, stop: 1, step: 0) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.arange(start: 0, stop: .infinity) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.arange(start: .nan, stop: 1) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.arange(start: 0, stop: 1e300, step: 1e-300) }
  }

  /// The stream is numpy's Philox4x64-10, word for word.
  @Test func uniformIsNumpysPhiloxStream() throws {
    for c in arrayFixtures["philox"] as! [[String: Any]] {
      let seed = UInt64(c["seed"] as! String)!
      let raw = (c["raw"] as! [String]).map { UInt64($0)! }
      var words: [UInt64] = []
      for block in 0..<3 {
        var out = [UInt64](repeating: 0, count: 4)
        let counter: [UInt64] = [UInt64(block), 0, 0, 0], key: [UInt64] = [seed, 0]
        bw_philox_block(counter, key, &out)
        words += out
      }
      #expect(words == raw, "seed \(seed)")
      let u = try NDArray<Double>.uniform([12], in: 0..<1, seed: seed)
      #expect(u.scalars == doubles(c["random"]), "seed \(seed): Generator(Philox).random()")
    }
  }

  @Test func randomStreamsDoNotDependOnThreadsOrShape() throws {
    let a = try ComputePool.withThreadCount(1) { try NDArray<Double>.uniform([100_003], in: -2..<3, seed: 9) }
    for t in threadCounts {
      let b = try ComputePool.withThreadCount(t) { try NDArray<Double>.uniform([100_003], in: -2..<3, seed: 9) }
      #expect(a == b)
      let n1 = try ComputePool.withThreadCount(1) { try NDArray<Float>.normal([50_001], seed: 3) }
      let n2 = try ComputePool.withThreadCount(t) { try NDArray<Float>.normal([50_001], seed: 3) }
      #expect(n1 == n2)
    }
    let reshaped = try NDArray<Double>.uniform([3, 33_334, 1], in: -2..<3, seed: 9)
    #expect(reshaped.scalars[0..<100_002] == a.scalars[0..<100_002])
    #expect(try NDArray<Double>.uniform([10], in: -2..<3, seed: 10) != NDArray(Array(a.scalars[0..<10])))
  }

  @Test func randomValuesHaveTheRightDistribution() throws {
    let n = 400_000
    let u = try NDArray<Double>.uniform([n], in: -2..<3, seed: 11).scalars
    #expect(u.allSatisfy { $0 >= -2 && $0 < 3 })
    let mu = u.reduce(0, +) / Double(n)
    #expect(abs(mu - 0.5) < 5 * (5 / sqrt(12)) / sqrt(Double(n)))
    let f = try NDArray<Float>.uniform([n], in: 0..<1, seed: 12).scalars
    #expect(f.allSatisfy { $0 >= 0 && $0 < 1 })
    let z = try NDArray<Double>.normal([n], mean: 3, standardDeviation: 2, seed: 13).scalars
    let m = z.reduce(0, +) / Double(n)
    let v = z.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
    #expect(abs(m - 3) < 5 * 2 / sqrt(Double(n)))
    #expect(abs(v.squareRoot() - 2) < 0.02)
    // Box-Muller by hand for the first pair of block 0.
    var w = [UInt64](repeating: 0, count: 4)
    bw_philox_block([0, 0, 0, 0], [13, 0], &w)
    let u1 = Double((w[0] >> 11) + 1) * 0x1p-53, u2 = Double(w[1] >> 11) * 0x1p-53
    let r = (-2 * Foundation.log(u1)).squareRoot()
    #expect(abs(z[0] - (3 + 2 * r * Foundation.cos(2 * Double.pi * u2))) < 1e-14)
    #expect(abs(z[1] - (3 + 2 * r * Foundation.sin(2 * Double.pi * u2))) < 1e-14)
  }

  @Test func randomArgumentsAreChecked() throws {
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.uniform([3], in: 1..<1, seed: 0) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.uniform([3], in: -.infinity..<0, seed: 0) }
    #expect(throws: BlockwiseError.self) {
      try NDArray<Double>.uniform([3], in: -.greatestFiniteMagnitude..<(.greatestFiniteMagnitude), seed: 0)
    }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.normal([3], standardDeviation: -1, seed: 0) }
    #expect(throws: BlockwiseError.self) { try NDArray<Float>.normal([3], mean: .nan, seed: 0) }
    #expect(throws: BlockwiseError.negativeDimension(shape: [-1])) { try NDArray<Double>.normal([-1], seed: 0) }
  }
}

/// Swift-side call of the C block function with arrays.
func bw_philox_block(_ counter: [UInt64], _ key: [UInt64], _ out: inout [UInt64]) {
  counter.withUnsafeBufferPointer { c in
    key.withUnsafeBufferPointer { k in
      out.withUnsafeMutableBufferPointer { o in bw_philox4x64_10(c.baseAddress!, k.baseAddress!, o.baseAddress!) }
    }
  }
}
