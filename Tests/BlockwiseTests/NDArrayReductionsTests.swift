import Foundation
import Testing

@testable import Blockwise

func reductionSizes() -> [Int] {
  let leaf = BlockPolicy.reductionLeaf
  let block = BlockPolicy.blockLength(bytesPerElement: 8, leaf: leaf)
  return [1, 2, 15, 16, 17, leaf - 1, leaf, leaf + 1, block - 1, block, block + 1, 3 * block + 4097]
}

@Suite("NDArray reductions")
struct NDArrayReductionsTests {
  func checkSum<E: NDArrayScalar>(_: E.Type) {
    for n in reductionSizes() {
      let a = randomArray(E.self, shape: [n], in: -1...3, seed: UInt64(n) &* 31)
      // Reference: the exact sum, accumulated in Float80 (64-bit significand).
      let values = a.scalars
      let exact = values.reduce(Float80(0)) { $0 + Float80($1) }
      let magnitude = values.reduce(Float80(0)) { $0 + Float80($1).magnitude }
      let u = Float80(Double.ulpOfOne / 2)
      let leaves = Float80(max(1, (n + 4095) / 4096))
      let bound =
        (523 + Float80(log2(Double(leaves)))) * u * magnitude + Float80(E.ulpOfOne) * exact.magnitude
      let s = a.sum()
      #expect((Float80(s) - exact).magnitude <= bound, "n = \(n): \(s) vs \(exact)")
      let m = try! a.mean()
      #expect((Float80(m) - exact / Float80(n)).magnitude <= bound / Float80(n) + Float80(m.ulp))
      #expect(try! a.max() == values.max()!)
      #expect(try! a.min() == values.min()!)
    }
  }

  @Test func sumMeanMinMaxDouble() { checkSum(Double.self) }
  @Test func sumMeanMinMaxFloat() { checkSum(Float.self) }

  @Test func emptyArrays() {
    let e = NDArray<Double>([Double]())
    #expect(e.sum() == 0)
    #expect(throws: BlockwiseError.emptyArray(operation: "mean")) { try e.mean() }
    #expect(throws: BlockwiseError.emptyArray(operation: "max")) { try e.max() }
    #expect(throws: BlockwiseError.emptyArray(operation: "min")) { try e.min() }
  }

  @Test func nanPropagatesThroughMinMax() throws {
    var values = [Double](repeating: 1, count: 10_000)
    values[7777] = .nan
    let a = NDArray(values)
    #expect(try a.max().isNaN)
    #expect(try a.min().isNaN)
    #expect(a.sum().isNaN)
  }

  /// The vector kernels keep four lane-wise extrema (16 Doubles or 32
  /// Floats per step) and a remainder loop: an extreme value or a NaN must
  /// be found at every position.
  func checkExtremaAtEveryPosition<E: NDArrayScalar>(_: E.Type) throws {
    for n in [1, 3, 15, 16, 17, 31, 32, 33, 64, 70] {
      let base = (0..<n).map { E(Double($0 % 7) - 3) }
      for pos in 0..<n {
        var v = base
        v[pos] = 100
        #expect(try NDArray(v).max() == 100, "n = \(n), max at \(pos)")
        v[pos] = -.infinity
        #expect(try NDArray(v).min() == -.infinity, "n = \(n), min at \(pos)")
        v[pos] = .nan
        #expect(try NDArray(v).max().isNaN && NDArray(v).min().isNaN, "n = \(n), NaN at \(pos)")
      }
    }
  }

  @Test func extremaAndNaNAtEveryPosition() throws {
    try checkExtremaAtEveryPosition(Double.self)
    try checkExtremaAtEveryPosition(Float.self)
  }

  @Test func bitIdenticalForAnyThreadCount() throws {
    // Ill-conditioned data make any change of summation order visible.
    var g = SeededGenerator(seed: 77)
    let n = 1_000_003
    let values = (0..<n).map { _ in Double.random(in: -1...1, using: &g) * pow(10, Double.random(in: -8...8, using: &g)) }
    let a = NDArray(values)
    let f = NDArray(values.map { Float($0) })
    let reference = try ComputePool.withThreadCount(1) { (a.sum(), f.sum()) }
    for t in threadCounts {
      let r = try ComputePool.withThreadCount(t) { (a.sum(), f.sum()) }
      #expect(r.0.bitPattern == reference.0.bitPattern, "Double sum, \(t) threads")
      #expect(r.1.bitPattern == reference.1.bitPattern, "Float sum, \(t) threads")
    }
  }
}
