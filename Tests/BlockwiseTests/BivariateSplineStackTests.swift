import Foundation
import Testing

@testable import Blockwise

@Suite("BivariateSplineStack")
struct BivariateSplineStackTests {
  @Test func matchesScipyFixtures() throws {
    for f in bivariateFixtures["stacks"] as! [[String: Any]] {
      let kx = f["kx"] as! Int, ky = f["ky"] as! Int
      let st = try BivariateSplineStack(
        x: NDArray(doubles(f["x"])), y: NDArray(doubles(f["y"])),
        values: NDArray(doubles(f["z"]), shape: ints(f["zShape"])), degree: (kx, ky))
      let xi = NDArray(doubles(f["xi"])), yi = NDArray(doubles(f["yi"]))
      let v = try st.evaluate(x: xi, y: yi)
      #expect(v.shape == ints(f["evShape"]))
      let ev = doubles(f["ev"]), scale = ev.map(abs).max()!
      for (a, r) in zip(v.scalars, ev) { #expect(withinScipyBound(a, r, scale: scale), "(\(kx), \(ky))") }
      let total = Double(f["total"] as! String)!
      #expect(abs(try st.sumExp(x: xi, y: yi) - total) <= 1e-12 * total)
      #expect(try st.sumExpPartials(x: xi, y: yi).total() == (try st.sumExp(x: xi, y: yi)))
      let per = try st.sumExpPerSpline(x: xi, y: yi)
      for (a, r) in zip(per.scalars, doubles(f["perSpline"])) { #expect(abs(a - r) <= 1e-12 * r) }
    }
  }

  /// Per-spline leaves of 256 points, sum chunks of 64: sizes around one
  /// and several of them (the 8192-point leaves in the thread test), the
  /// stack against single splines and the sums against Float80 exp of the
  /// stack's own values (the summation bound from the doc comment).
  @Test("stack agrees with one spline at a time",
        arguments: [(1, 1), (3, 63), (4, 256), (5, 257), (8, 1025), (13, 3 * 256 + 7)])
  func agreesWithSingleSplines(n: Int, m: Int) throws {
    try check(Double.self, n: n, m: m, degree: (3, 3))
    try check(Float.self, n: n, m: m, degree: (2, 5))
  }

  func check<E: NDArrayScalar>(_: E.Type, n: Int, m: Int, degree: (x: Int, y: Int)) throws {
    var g = SeededGenerator(seed: UInt64(n * 1000 + m))
    let xs = (0..<9).reduce(into: [E]()) { acc, i in acc.append(i == 0 ? 0 : acc.last! + E.sample(in: 0.2...1, using: &g)) }
    let ys = (0..<8).map { E(Double($0) * 0.3) }
    let z3 = randomArray(E.self, shape: [n, 9, 8], in: -3...3, seed: UInt64(n + 5))
    let st = try BivariateSplineStack(x: NDArray(xs), y: NDArray(ys), values: z3, degree: degree)
    let px = randomArray(E.self, shape: [m], in: -1...9, seed: UInt64(m + 1))
    let py = randomArray(E.self, shape: [m], in: -0.5...2.5, seed: UInt64(m + 2))
    let v = try st.evaluate(x: px, y: py)
    #expect(v.shape == [n, m])
    // The reference terms are the Double stack's values on the same data;
    // a Float stack evaluates in float lanes, so its terms differ by the
    // values' Float rounding (checked below: a few ulp of the window's
    // scale), which exp turns into the same relative error.
    let wide = try BivariateSplineStack<Double>(
      x: NDArray(xs.map { Double($0) }), y: NDArray(ys.map { Double($0) }),
      values: NDArray(z3.scalars.map { Double($0) }, shape: z3.shape), degree: degree)
    let terms = try wide.evaluate(
      x: NDArray(px.scalars.map { Double($0) }), y: NDArray(py.scalars.map { Double($0) }))
    var perExact = [Float80](repeating: 0, count: n)
    for k in 0..<n {
      for t in terms.row(k).scalars { perExact[k] += Float80.exp(Float80(t)) }
      let single = try st.spline(k)
      let sv = try single.evaluate(x: px, y: py).scalars
      let row = v.row(k).scalars
      for i in 0..<m {
        // The same terms, possibly fused differently: a few ulp of the
        // window's scale (values up to ~10 here).
        #expect(abs(Double(row[i]) - Double(sv[i])) <= 64 * Double(E.ulpOfOne) * 10, "spline \(k) point \(i)")
      }
    }
    let u = Double.ulpOfOne / 2
    func depth(_ leaf: Int) -> Double {
      let leaves = Double(BlockPolicy.pieces(count: m, length: leaf))
      return leaves > 1 ? log2(leaves).rounded(.up) : 0
    }
    let per = try st.sumExpPerSpline(x: px, y: py).scalars
    for k in 0..<n {
      // Documented: (9 + log2(m / 256)) u, plus 1 ulp per exp term; Float
      // stacks add their terms' value rounding (the tolerance of the value
      // check above, relative after exp) and round once more.
      let floatTerms = E.self == Float.self ? 64 * Double(Float.ulpOfOne) * 10 + Double(Float.ulpOfOne) : 0
      let bound = (9 + depth(256) + 2) * u + floatTerms
      #expect(abs(Double(per[k]) - Double(perExact[k])) <= bound * Double(perExact[k]), "spline \(k)")
    }
    let total = perExact.reduce(0, +)
    let floatTerms = E.self == Float.self ? 64 * Double(Float.ulpOfOne) * 10 + Double(Float.ulpOfOne) : 0
    let bound = (16 * Double(n) + 4 + depth(64) + 2) * u + floatTerms
    #expect(abs(Double(try st.sumExp(x: px, y: py)) - Double(total)) <= bound * Double(total))
  }

  @Test func reductionsBitIdenticalForAnyThreadCount() throws {
    let st = try BivariateSplineStack(
      x: NDArray((0..<50).map(Double.init)), y: NDArray((0..<50).map(Double.init)),
      values: randomArray(Double.self, shape: [50, 50, 50], in: 0...1, seed: 41))
    let px = randomArray(Double.self, shape: [20_011], in: 0...49, seed: 42)
    let py = randomArray(Double.self, shape: [20_011], in: 0...49, seed: 43)
    func run() throws -> (Double, NDArray<Double>, NDArray<Double>) {
      (try st.sumExp(x: px, y: py), try st.sumExpPerSpline(x: px, y: py), try st.evaluate(x: px, y: py))
    }
    let ref = try ComputePool.withThreadCount(1) { try run() }
    for t in threadCounts {
      let r = try ComputePool.withThreadCount(t) { try run() }
      #expect(r.0.bitPattern == ref.0.bitPattern, "\(t) threads")
      #expect(r.1.scalars.map(\.bitPattern) == ref.1.scalars.map(\.bitPattern), "\(t) threads")
      #expect(r.2 == ref.2, "\(t) threads")
    }
  }

  @Test func nanPointsAndEdgeCases() throws {
    let st = try BivariateSplineStack(
      x: NDArray<Double>([0, 1, 2, 3]), y: NDArray<Double>([0, 1, 2, 3]),
      values: NDArray(repeating: 0.5, shape: [3, 4, 4]))
    let v = try st.evaluate(x: NDArray([0.5, .nan]), y: NDArray([0.5, 0.5]))
    #expect(abs(v.row(0).scalars[0] - 0.5) < 1e-15 && v.row(2).scalars[1].isNaN)
    #expect(try st.sumExp(x: NDArray([0.5, .nan]), y: NDArray([0.5, 0.5])).isNaN)
    #expect(try st.sumExpPerSpline(x: NDArray([0.5, .nan]), y: NDArray([0.5, 0.5])).scalars.allSatisfy(\.isNaN))
    #expect(try st.sumExp(x: NDArray([Double]()), y: NDArray([Double]())) == 0)
    #expect(try st.sumExpPerSpline(x: NDArray([Double]()), y: NDArray([Double]())).scalars == [0, 0, 0])
    #expect(try st.evaluate(x: NDArray([Double]()), y: NDArray([Double]())).shape == [3, 0])
    let empty = try BivariateSplineStack(
      x: NDArray<Double>([0, 1, 2, 3]), y: NDArray<Double>([0, 1, 2, 3]), values: .zeros([0, 4, 4]))
    #expect(try empty.sumExp(x: NDArray([1.0]), y: NDArray([1.0])) == 0)
    #expect(try empty.sumExpPerSpline(x: NDArray([1.0]), y: NDArray([1.0])).shape == [0])
    #expect(throws: BlockwiseError.rankMismatch(argument: "values", expected: 3, got: 2)) {
      try BivariateSplineStack(x: NDArray<Double>([0, 1, 2, 3]), y: NDArray([0, 1, 2, 3]), values: .zeros([4, 4]))
    }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [2, 4, 4], got: [2, 4, 3])) {
      try BivariateSplineStack(x: NDArray<Double>([0, 1, 2, 3]), y: NDArray([0, 1, 2, 3]), values: .zeros([2, 4, 3]))
    }
    #expect(throws: BlockwiseError.tooFewKnots(axis: "x", minimum: 6, got: 4)) {
      try BivariateSplineStack(
        x: NDArray<Double>([0, 1, 2, 3]), y: NDArray([0, 1, 2, 3]), values: .zeros([2, 4, 4]), degree: (5, 1))
    }
    #expect(throws: BlockwiseError.invalidArgument(name: "spline index", expected: "0..<3", got: "3")) {
      try st.spline(3)
    }
  }
}
