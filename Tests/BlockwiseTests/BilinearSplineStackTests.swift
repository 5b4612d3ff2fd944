import Foundation
import Testing

@testable import Blockwise

@Suite("BilinearSplineStack")
struct BilinearSplineStackTests {
  @Test func matchesScipyFixture() throws {
    let f = try Fixtures.json("stack.json")
    let st = try BilinearSplineStack(
      x: NDArray(doubles(f["x"])), y: NDArray(doubles(f["y"])),
      values: NDArray(doubles(f["z"]), shape: ints(f["zShape"])))
    let xi = NDArray(doubles(f["xi"])), yi = NDArray(doubles(f["yi"]))
    let v = try st.evaluate(x: xi, y: yi)
    #expect(v.shape == ints(f["evShape"]))
    for (a, r) in zip(v.scalars, doubles(f["ev"])) { #expect(closeToScipy(a, r)) }
    let total = try st.sumExp(x: xi, y: yi)
    let expected = Double(f["total"] as! String)!
    #expect(abs(total - expected) <= 1e-13 * expected)
    let per = try st.sumExpPerSpline(x: xi, y: yi)
    #expect(per.shape == [5])
    for (a, r) in zip(per.scalars, doubles(f["perSpline"])) { #expect(abs(a - r) <= 1e-13 * r) }
  }

  func checkAgainstSingleSplines<E: NDArrayScalar>(_: E.Type, n: Int, m: Int) throws {
    var g = SeededGenerator(seed: UInt64(n * 1000 + m))
    let xs = (0..<9).reduce(into: [E]()) { acc, i in acc.append(i == 0 ? 0 : acc.last! + E.sample(in: 0.2...1, using: &g)) }
    let ys = (0..<7).map { E(Double($0) * 0.3) }
    let z3 = randomArray(E.self, shape: [n, 9, 7], in: -3...3, seed: UInt64(n + 5))
    let st = try BilinearSplineStack(x: NDArray(xs), y: NDArray(ys), values: z3)
    #expect(st.count == n)
    let px = randomArray(E.self, shape: [m], in: -1...9, seed: UInt64(m + 1))
    let py = randomArray(E.self, shape: [m], in: -0.5...2.5, seed: UInt64(m + 2))
    let v = try st.evaluate(x: px, y: py)
    #expect(v.shape == [n, m])
    var perExact = [Float80](repeating: 0, count: n)
    for k in 0..<n {
      let single = try BilinearSpline(x: NDArray(xs), y: NDArray(ys), values: z3.row(k))
      let sv = try single.evaluate(x: px, y: py).scalars
      let row = v.row(k).scalars
      for i in 0..<m {
        #expect(abs(Double(row[i]) - Double(sv[i])) <= 4 * Double(E.ulpOfOne) * 6, "spline \(k) point \(i)")
        perExact[k] += Float80.exp(Float80(row[i]))
      }
    }
    let per = try st.sumExpPerSpline(x: px, y: py).scalars
    // Compensated sums: the error is that of the terms (1 ulp each, random
    // in sign), not of the accumulation.
    for k in 0..<n { #expect(ulpError(per[k], reference: perExact[k]) <= 3, "spline \(k)") }
    let total = perExact.reduce(0, +)
    #expect(ulpError(try st.sumExp(x: px, y: py), reference: total) <= (E.self == Float.self ? 1 : 64))
  }

  @Test("stack agrees with one spline at a time",
        arguments: [(1, 1), (3, 255), (4, 256), (5, 257), (8, 1025), (13, 3 * 512 + 7)])
  func agreesWithSingleSplines(n: Int, m: Int) throws {
    try checkAgainstSingleSplines(Double.self, n: n, m: m)
    try checkAgainstSingleSplines(Float.self, n: n, m: m)
  }

  @Test func evaluatingIntoArraysMatches() throws {
    let z3 = try NDArray<Float>.uniform([5, 8, 6], in: -1..<1, seed: 12)
    let st = try BilinearSplineStack(
      x: NDArray<Float>((0..<8).map(Float.init)), y: NDArray<Float>((0..<6).map(Float.init)), values: z3)
    let px = try NDArray<Float>.uniform([1025], in: 0..<7, seed: 13)
    let py = try NDArray<Float>.uniform([1025], in: 0..<5, seed: 14)
    var values = try NDArray<Float>.zeros([5, 1025])
    try st.evaluate(x: px, y: py, into: &values)
    #expect(values == (try st.evaluate(x: px, y: py)))
    var sums = try NDArray<Float>.zeros([5])
    try st.sumExpPerSpline(x: px, y: py, into: &sums)
    #expect(sums == (try st.sumExpPerSpline(x: px, y: py)))
    #expect(throws: BlockwiseError.shapeMismatch(expected: [5, 1025], got: [1025, 5])) {
      var wrong = try NDArray<Float>.zeros([1025, 5])
      try st.evaluate(x: px, y: py, into: &wrong)
    }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [5], got: [4])) {
      var wrong = try NDArray<Float>.zeros([4])
      try st.sumExpPerSpline(x: px, y: py, into: &wrong)
    }
  }

  /// A W1-shaped Float stack (50 splines, 50 x 50 grid) computes values
  /// and exp in float lanes and sums in double: its sumExp stays within
  /// 1e-6 relative of the Double stack built from the same Float-rounded
  /// values and points (the documented bound), on every kernel path.
  @Test func floatStackWithinOneMillionthOfDoubleOnTheSameData() throws {
    let z = try NDArray<Float>.uniform([50, 50, 50], in: -1..<1, seed: 31)
    let axis = NDArray<Float>((0..<50).map(Float.init))
    let px = try NDArray<Float>.uniform([200_000], in: 0..<49, seed: 32)
    let py = try NDArray<Float>.uniform([200_000], in: 0..<49, seed: 33)
    let single = try BilinearSplineStack(x: axis, y: axis, values: z)
    let double = try BilinearSplineStack(
      x: NDArray<Double>(axis.scalars.map(Double.init)), y: NDArray<Double>(axis.scalars.map(Double.init)),
      values: NDArray<Double>(z.scalars.map(Double.init), shape: z.shape))
    let reference = try double.sumExp(x: NDArray(px.scalars.map(Double.init)), y: NDArray(py.scalars.map(Double.init)))
    try withEachKernelPath { path in
      let got = Double(try single.sumExp(x: px, y: py))
      let rel = Swift.abs(got - reference) / reference
      #expect(rel <= 1e-6, "\(path): Float W1 sum \(got) vs Double \(reference), relative \(rel)")
      let partial = try single.sumExpPartials(x: px, y: py).total()
      #expect(Swift.abs(partial - reference) / reference <= 1e-6, "\(path): partials")
    }
  }

  @Test func reductionsBitIdenticalForAnyThreadCount() throws {
    let st = try BilinearSplineStack(
      x: NDArray((0..<50).map(Double.init)), y: NDArray((0..<50).map(Double.init)),
      values: randomArray(Double.self, shape: [50, 50, 50], in: 0...1, seed: 41))
    let px = randomArray(Double.self, shape: [20_011], in: 0...49, seed: 42)
    let py = randomArray(Double.self, shape: [20_011], in: 0...49, seed: 43)
    let ref = try ComputePool.withThreadCount(1) { (try st.sumExp(x: px, y: py), try st.sumExpPerSpline(x: px, y: py)) }
    for t in threadCounts {
      let r = try ComputePool.withThreadCount(t) { (try st.sumExp(x: px, y: py), try st.sumExpPerSpline(x: px, y: py)) }
      #expect(r.0.bitPattern == ref.0.bitPattern, "\(t) threads")
      #expect(r.1.scalars.map(\.bitPattern) == ref.1.scalars.map(\.bitPattern), "\(t) threads")
    }
  }

  /// Grids within +-704 take the fused kernels' unchecked exp; larger
  /// values (overflow, subnormal and zero terms) the checked one. Both
  /// against Float80 exp of the evaluated values.
  @Test("fused sums near and beyond exp's fast range",
        arguments: [(690.0, 704.0), (-704.0, -690.0), (700.0, 712.0), (-760.0, -700.0), (-750.0, 712.0)])
  func sumsAtTheEdgesOfExpRange(lo: Double, hi: Double) throws {
    let st = try BilinearSplineStack(
      x: NDArray<Double>([0, 1, 2, 3]), y: NDArray<Double>([0, 0.5, 2]),
      values: randomArray(Double.self, shape: [6, 4, 3], in: lo...hi, seed: 77))
    #expect(st.bounded == (lo >= -704 && hi <= 704 ? 1 : 0))
    let px = randomArray(Double.self, shape: [300], in: -0.5...3.5, seed: 78)
    let py = randomArray(Double.self, shape: [300], in: -0.5...2.5, seed: 79)
    let v = try st.evaluate(x: px, y: py)
    var per = [Float80](repeating: 0, count: 6)
    for k in 0..<6 { for e in v.row(k).scalars { per[k] += Float80.exp(Float80(e)) } }
    let got = try st.sumExpPerSpline(x: px, y: py).scalars
    for k in 0..<6 {
      // A subnormal sum has absolute, not relative, error: up to an ulp
      // (2^-1074) from each subnormal term.
      let allowed = Double(per[k]).isSubnormal ? 3 + Double(px.count) : 3
      #expect(ulpError(got[k], reference: per[k]) <= allowed, "spline \(k): \(got[k])")
    }
    #expect(ulpError(try st.sumExp(x: px, y: py), reference: per.reduce(0, +)) <= 64)
  }

  @Test func nanPointsAndEdgeCases() throws {
    let st = try BilinearSplineStack(
      x: NDArray<Double>([0, 1]), y: NDArray<Double>([0, 1]), values: NDArray(repeating: 0.5, shape: [3, 2, 2]))
    let v = try st.evaluate(x: NDArray([0.5, .nan]), y: NDArray([0.5, 0.5]))
    #expect(v.row(0).scalars[0] == 0.5 && v.row(2).scalars[1].isNaN)
    #expect(try st.sumExp(x: NDArray([0.5, .nan]), y: NDArray([0.5, 0.5])).isNaN)
    #expect(try st.sumExp(x: NDArray([Double]()), y: NDArray([Double]())) == 0)
    #expect(try st.sumExpPerSpline(x: NDArray([Double]()), y: NDArray([Double]())).scalars == [0, 0, 0])
    #expect(try st.evaluate(x: NDArray([Double]()), y: NDArray([Double]())).shape == [3, 0])
    #expect(throws: BlockwiseError.rankMismatch(argument: "values", expected: 3, got: 2)) {
      try BilinearSplineStack(x: NDArray<Double>([0, 1]), y: NDArray([0, 1]), values: .zeros([2, 2]))
    }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [4, 2, 2], got: [4, 2, 3])) {
      try BilinearSplineStack(x: NDArray<Double>([0, 1]), y: NDArray([0, 1]), values: .zeros([4, 2, 3]))
    }
    #expect(throws: BlockwiseError.lengthMismatch(argument: "y", expected: 1, got: 0)) {
      try st.sumExpPerSpline(x: NDArray([0.0]), y: NDArray([Double]()))
    }
  }
}
