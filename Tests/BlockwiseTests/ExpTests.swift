import Foundation
import RealModule
import Testing

@testable import Blockwise

/// 10^6 arguments spread over exp's whole domain, denser where results are
/// hard: near 0, near the overflow and underflow thresholds, and in the
/// subnormal range.
func expArguments<E: NDArrayScalar>(_: E.Type, count: Int, seed: UInt64) -> [E] {
  var g = SeededGenerator(seed: seed)
  let (lo, hi): (Double, Double) = E.self == Double.self ? (-745.2, 709.8) : (-104.0, 88.8)
  let subnormalStart: Double = E.self == Double.self ? -708.4 : -87.4
  var out = [E]()
  out.reserveCapacity(count)
  for i in 0..<count {
    let x: Double
    switch i % 5 {
    case 0: x = Double.random(in: lo...hi, using: &g)
    case 1: x = Double.random(in: -1...1, using: &g)
    case 2: x = Double.random(in: -1e-6...1e-6, using: &g)
    case 3: x = Double.random(in: lo...subnormalStart, using: &g)
    default: x = Double.random(in: (hi - 2)...hi, using: &g)
    }
    out.append(E(x))
  }
  return out
}

func specialExpCases<E: NDArrayScalar>(_: E.Type) -> [E] {
  var v: [E] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -1, E.leastNonzeroMagnitude,
                -E.leastNonzeroMagnitude, E.leastNormalMagnitude, .greatestFiniteMagnitude,
                -.greatestFiniteMagnitude]
  if E.self == Double.self {
    v += [709.782712893384, 709.7827128933841, 709.79, 710, -745.1332191019411, -745.1332191019412,
          -745.2, -746, -708.3964185322641, -708.4, 1e-300, -1e-300].map { E($0) }
  } else {
    v += [88.72283, 88.722839, 88.7229, -87.33654, -103.97208, -103.972084, -104, 1e-30].map { E($0) }
  }
  return v
}

@Suite("exp, sumExp and logSumExp")
struct ExpTests {
  /// Worst error over all arguments, and over those with normal results.
  func worstUlp<E: NDArrayScalar>(_: E.Type, _ values: [E]) -> (all: Double, at: E, normal: Double) {
    let y = NDArray(values).exp().scalars
    var worst = 0.0, worstNormal = 0.0
    var at: E = 0
    for (x, r) in zip(values, y) {
      let e = ulpError(r, reference: Float80.exp(Float80(x)))
      if e > worst || e.isNaN { worst = e; at = x }
      if r.isNormal && e > worstNormal { worstNormal = e }
    }
    return (worst, at, worstNormal)
  }

  /// An element's exp depends on that element alone: the same bits whether
  /// it sits among arguments outside exp's fast range (overflow, subnormal
  /// results, NaN) or alone, at any offset, on every kernel path. (Before
  /// the one-source rework, a vector with one such lane sent all of its
  /// lanes to the scalar form.)
  @Test func elementResultsDoNotDependOnNeighbours() throws {
    let specials = specialExpCases(Double.self)
    var g = SeededGenerator(seed: 41)
    var values = [Double]()
    for i in 0..<301 {
      values.append(i % 3 == 0 ? specials[i % specials.count] : Double.random(in: -700...700, using: &g))
    }
    try withEachKernelPath { path in
      let together = NDArray(values).exp().scalars
      for (i, x) in values.enumerated() {
        let alone = NDArray([x]).exp().scalars[0]
        #expect(together[i].bitPattern == alone.bitPattern || (together[i].isNaN && alone.isNaN),
                "\(path): exp(\(x)) at index \(i) is \(together[i]) among neighbours, \(alone) alone")
      }
      // And at every offset inside a vector.
      for shift in 1..<8 {
        let shifted = NDArray(Array(values.dropFirst(shift))).exp().scalars
        #expect(zip(shifted, together.dropFirst(shift)).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) },
                "\(path): exp results change when the array starts \(shift) elements later")
      }
    }
  }

  @Test func doubleWithinOneUlpOnAMillionArguments() {
    let w = worstUlp(Double.self, expArguments(Double.self, count: 1_000_000, seed: 11))
    print("exp Double [\(kernelISA)]: worst error \(w.all) ulp at x = \(w.at); normal results: \(w.normal) ulp")
    #expect(w.all <= 1.0, "worst \(w.all) ulp at \(w.at)")
    #expect(w.normal <= 0.75, "normal results: worst \(w.normal) ulp")
  }

  @Test func floatWithinOneUlpOnAMillionArguments() {
    let w = worstUlp(Float.self, expArguments(Float.self, count: 1_000_000, seed: 12))
    print("exp Float [\(kernelISA)]: worst error \(w.all) ulp at x = \(w.at); normal results: \(w.normal) ulp")
    #expect(w.all <= 1.0, "worst \(w.all) ulp at \(w.at)")
  }

  /// The Float exp computes in float lanes (8 per AVX2 vector): every
  /// result is the correctly rounded float or a neighbour of it, on every
  /// kernel path, over 10^7 arguments spread over its whole finite range
  /// (`make exp-accuracy` checks every float in [-104, 89]).
  @Test func floatWithinOneUlpOfCorrectlyRoundedOnTenMillionArguments() throws {
    let count = 10_000_000
    var g = SeededGenerator(seed: 77)
    let xs = (0..<count).map { i -> Float in
      // Alternately uniform over the range and log-uniform in magnitude.
      i % 2 == 0 ? Float.random(in: -104...89, using: &g)
        : (i % 4 == 1 ? 1 : -1) * Float(exp2(Double.random(in: -40...6.5, using: &g)))
    }
    try withEachKernelPath { path in
      let y = NDArray(xs).exp().scalars
      var worst: Float = 0, at: Float = 0
      for (x, r) in zip(xs, y) {
        let cr = Float(Float80.exp(Float80(x)))
        let d: Float
        if r == cr { d = 0 } else if cr.isInfinite || r.isInfinite || r.isNaN { d = .infinity } else {
          // Distance in floats: adjacent floats differ by 1 in their bits.
          d = Float(Swift.abs(Int64(r.bitPattern) - Int64(cr.bitPattern)))
        }
        if d > worst { worst = d; at = x }
      }
      print("exp Float [\(path)]: 10^7 arguments, worst \(worst) ulp from the correctly rounded float at x = \(at)")
      #expect(worst <= 1, "\(path): \(worst) ulp from the correctly rounded float at x = \(at)")
    }
  }

  @Test func specialValuesDouble() {
    let xs = specialExpCases(Double.self)
    let y = NDArray(xs).exp().scalars
    for (x, r) in zip(xs, y) {
      #expect(ulpError(r, reference: Float80.exp(Float80(x))) <= 1, "exp(\(x)) = \(r)")
    }
    #expect(y[0].isNaN)
    #expect(y[1] == .infinity && y[2] == 0 && y[3] == 1 && y[4] == 1)
    #expect(NDArray<Double>([-745.2, -746, 710, 1000]).exp().scalars == [0, 0, .infinity, .infinity])
    #expect(NDArray<Double>([-745.1332191019411]).exp().scalars == [Double.leastNonzeroMagnitude])
  }

  @Test func specialValuesFloat() {
    let xs = specialExpCases(Float.self)
    let y = NDArray(xs).exp().scalars
    for (x, r) in zip(xs, y) {
      #expect(ulpError(r, reference: Float80.exp(Float80(x))) <= 1, "exp(\(x)) = \(r)")
    }
    #expect(y[0].isNaN && y[1] == .infinity && y[2] == 0)
  }

  /// The array kernels check exp's fast range once per chunk of 32 values;
  /// one exceptional value anywhere in a chunk must send that chunk down
  /// the exact path, in place too, and in the fused sum.
  @Test func exceptionalValueAnywhereInAChunk() {
    let specials: [Double] = [710, 709.5, -708.9, -720, -746, .infinity, -.infinity, .nan, 708, -708]
    for pos in [0, 1, 3, 31, 32, 33, 63, 64, 70, 74] {
      for special in specials {
        var xs = randomArray(Double.self, shape: [75], in: -5...5, seed: UInt64(pos) + 300).scalars
        xs[pos] = special
        let a = NDArray(xs)
        let y = a.exp()
        var inPlace = a
        inPlace.formExp()
        #expect(inPlace.scalars.map(\.bitPattern) == y.scalars.map(\.bitPattern))
        for (x, r) in zip(xs, y.scalars) {
          #expect(ulpError(r, reference: Float80.exp(Float80(x))) <= 1, "exp(\(x)) = \(r) at \(pos)")
        }
        let exact = xs.reduce(Float80(0)) { $0 + Float80.exp(Float80($1)) }
        let s = a.sumExp()
        if exact.isNaN || exact.isInfinite || Float80(Double(exact)).isInfinite {
          #expect(s.isNaN == exact.isNaN && (exact.isNaN || s == .infinity), "\(special) at \(pos): \(s)")
        } else {
          #expect((Float80(s) - exact).magnitude <= 1e-13 * exact, "\(special) at \(pos): \(s)")
        }
      }
    }
  }

  @Test func inPlaceMatchesAndSizesSweep() throws {
    for n in edgeSizes(Double.self, inputs: 1) {
      let a = randomArray(Double.self, shape: [n], in: -50...50, seed: UInt64(n) + 40)
      var b = a
      b.formExp()
      #expect(b == a.exp())
      var out = try NDArray<Double>.zeros([n])
      try! a.exp(into: &out)
      #expect(out == b)
      #expect(a.scalars == randomArray(Double.self, shape: [n], in: -50...50, seed: UInt64(n) + 40).scalars)
      let f = randomArray(Float.self, shape: [n], in: -20...20, seed: UInt64(n) + 41)
      var g = f
      g.formExp()
      #expect(g == f.exp())
    }
  }

  @Test func expIntoChecksShapeAndAliasing() throws {
    let a = NDArray<Float>([0, 1, 2])
    var wrong = try NDArray<Float>.zeros([4])
    #expect(throws: BlockwiseError.shapeMismatch(expected: [3], got: [4])) { try a.exp(into: &wrong) }
    #expect(wrong.scalars == [0, 0, 0, 0])
    // Writing into an array that shares storage with the input copies first.
    var alias = a
    try a.exp(into: &alias)
    #expect(a.scalars == [0, 1, 2])
    #expect(alias == a.exp())
  }

  @Test func sumExpMatchesHighPrecisionReference() {
    for n in reductionSizes() + [0] {
      let a = randomArray(Double.self, shape: [n], in: -20...5, seed: UInt64(n) + 90)
      let exact = a.scalars.reduce(Float80(0)) { $0 + Float80.exp(Float80($1)) }
      let s = a.sumExp()
      #expect((Float80(s) - exact).magnitude <= 1e-13 * exact, "n = \(n)")
      let f = randomArray(Float.self, shape: [n], in: -20...5, seed: UInt64(n) + 91)
      let exactF = f.scalars.reduce(Float80(0)) { $0 + Float80.exp(Float80($1)) }
      #expect(ulpError(f.sumExp(), reference: exactF) <= 1, "Float n = \(n)")
    }
  }

  @Test func logSumExpIsStable() {
    let big = NDArray<Double>([1000, 1000, 1000])
    #expect(abs(big.logSumExp() - (1000 + log(3.0))) <= 2 * (1000.0).ulp)
    let small = NDArray<Double>([-1000, -1001])
    #expect(abs(small.logSumExp() - (-1000 + log1p(exp(-1.0)))) <= 2 * (1000.0).ulp)
    #expect(NDArray<Double>([Double]()).logSumExp() == -.infinity)
    #expect(NDArray<Double>([-.infinity, -.infinity]).logSumExp() == -.infinity)
    #expect(NDArray<Double>([1, .infinity, 3]).logSumExp() == .infinity)
    #expect(NDArray<Double>([1, .nan, .infinity]).logSumExp().isNaN)
    #expect(NDArray<Double>([-.infinity, 2]).logSumExp() == 2)
    #expect(NDArray<Float>([88, 88]).logSumExp() == Float(88 + log(2.0)))
    #expect(NDArray<Float>([Float]()).logSumExp() == -.infinity)
    for n in [1, 17, 4097, 100_001] {
      let a = randomArray(Double.self, shape: [n], in: -300...300, seed: UInt64(n) + 7)
      let v = a.scalars.map { Float80($0) }
      let m = v.max()!
      let exact = m + Float80.log(v.reduce(Float80(0)) { $0 + Float80.exp($1 - m) })
      #expect(abs(Float80(a.logSumExp()) - exact) <= 4 * Float80(Double(exact).ulp), "n = \(n)")
    }
  }

  /// logSumExp combines per-leaf (max, sum) pairs: leaves whose maxima
  /// differ by hundreds, leaves of -inf only, and specials in a late leaf.
  @Test func logSumExpAcrossLeavesWithDifferentScales() {
    let leaf = BlockPolicy.reductionLeaf
    func reference(_ xs: [Double]) -> Float80 {
      let v = xs.map { Float80($0) }
      let m = v.max()!
      return m + Float80.log(v.reduce(Float80(0)) { $0 + Float80.exp($1 - m) })
    }
    // Leaf k holds values near 100 k - 300: later leaves dominate; the
    // first leaves underflow against the maximum.
    var xs = randomArray(Double.self, shape: [5 * leaf + 123], in: -1...1, seed: 501).scalars
    for i in xs.indices { xs[i] += Double(100 * (i / leaf)) - 300 }
    var withInfLeaf = xs
    for i in leaf..<(2 * leaf) { withInfLeaf[i] = -.infinity }
    for (name, v) in [("scales", xs), ("-inf leaf", withInfLeaf), ("reversed", Array(xs.reversed()))] {
      let exact = reference(v)
      let got = NDArray(v).logSumExp()
      #expect(abs(Float80(got) - exact) <= 4 * Float80(Double(exact).ulp), "\(name): \(got) vs \(exact)")
      let f = NDArray(v.map { Float($0) })
      let exactF = reference(f.scalars.map { Double($0) })
      #expect(ulpError(f.logSumExp(), reference: exactF) <= 1, "Float \(name)")
    }
    // Within one leaf: a ramp over 1400 (the shift moves many times), a
    // jump from -700 to 700, and -inf or NaN among finite values.
    let ramp = (0..<(2 * leaf + 77)).map { -700 + 1400 * Double($0) / Double(2 * leaf + 77) }
    var jump = [Double](repeating: -700, count: leaf)
    for i in (leaf / 2)..<leaf { jump[i] = 700 - Double(i % 3) }
    var holes = randomArray(Double.self, shape: [leaf + 40], in: -20...20, seed: 502).scalars
    for i in stride(from: 5, to: holes.count, by: 97) { holes[i] = -.infinity }
    for (name, v) in [("ramp", ramp), ("jump", jump), ("-inf holes", holes)] {
      let exact = reference(v)
      let got = NDArray(v).logSumExp()
      #expect(abs(Float80(got) - exact) <= 4 * Float80(Double(exact).ulp), "\(name): \(got) vs \(exact)")
    }
    // A result near 0, where the documented absolute term (1e-15) is what
    // bounds the error: x = -log(n) + noise over many leaves.
    let count = 37 * leaf + 11
    let nearZero = randomArray(Double.self, shape: [count], in: -0.5...0.5, seed: 503).scalars
      .map { $0 - Foundation.log(Double(count)) }
    let exactZero = reference(nearZero)
    let gotZero = NDArray(nearZero).logSumExp()
    #expect(abs(Float80(gotZero) - exactZero) <= 2 * Float80(Double(exactZero).ulp) + 1e-15,
            "near zero: \(gotZero) vs \(exactZero)")
    holes[leaf + 3] = .nan
    #expect(NDArray(holes).logSumExp().isNaN)
    var special = xs
    special[4 * leaf + 5] = .infinity
    #expect(NDArray(special).logSumExp() == .infinity)
    special[3] = .nan
    #expect(NDArray(special).logSumExp().isNaN)
    #expect(NDArray([Double](repeating: -.infinity, count: 3 * leaf + 1)).logSumExp() == -.infinity)
  }

  @Test func reductionsBitIdenticalForAnyThreadCount() throws {
    let a = randomArray(Double.self, shape: [700_001], in: -30...30, seed: 8)
    let f = randomArray(Float.self, shape: [700_001], in: -30...30, seed: 9)
    let ref = try ComputePool.withThreadCount(1) { (a.sumExp(), a.logSumExp(), f.sumExp(), f.logSumExp()) }
    for t in threadCounts {
      let r = try ComputePool.withThreadCount(t) { (a.sumExp(), a.logSumExp(), f.sumExp(), f.logSumExp()) }
      #expect(r.0.bitPattern == ref.0.bitPattern && r.1.bitPattern == ref.1.bitPattern, "\(t) threads")
      #expect(r.2.bitPattern == ref.2.bitPattern && r.3.bitPattern == ref.3.bitPattern, "\(t) threads")
    }
  }
}
