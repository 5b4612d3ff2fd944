import Foundation
import Testing

@testable import Blockwise

/// The documented summation bounds of the fused exp-sums, checked with the
/// tolerance computed from each doc comment's formula (derived from the
/// code: accumulators per lane, leaf lengths, pairwise depth), on equal
/// positive terms in the longest accumulators the kernels have. The bounds
/// are worst cases over every rounding; equal terms measured 60-136 u
/// against the 1028 u allowed for `sumExp` of 32768 Doubles, 4-25 u for the
/// spline sums (AMD EPYC, AVX2). A term count that is a power of two makes
/// the exact sum `count * t` exact in Double.
@Suite("Documented error bounds hold")
struct ErrorBoundTests {
  static let u = Double.ulpOfOne / 2
  /// ⌈log2(pieces)⌉ for the pairwise tree over `count / leaf` pieces.
  static func depth(_ count: Int, _ leaf: Int) -> Double {
    let pieces = BlockPolicy.pieces(count: count, length: leaf)
    return pieces > 1 ? Double(Int.bitWidth - (pieces - 1).leadingZeroBitCount) : 0
  }

  /// exp(c) as the kernels compute it (one element through the same path).
  static func term(_ c: Double) -> Double { NDArray([c]).exp().scalars[0] }

  @Test("NDArray.sumExp: (1025 + ⌈log2(n / 4096)⌉) u", arguments: [0.3, 1.7, -2.2])
  func arraySumExp(c: Double) throws {
    let n = 4096 * 8
    let t = Self.term(c), exact = Double(n) * t
    let got = try NDArray(repeating: c, shape: [n]).sumExp()
    let bound = (1025 + Self.depth(n, BlockPolicy.reductionLeaf)) * Self.u
    let observed = abs(got - exact) / exact
    #expect(observed <= bound, "relative error \(observed / Self.u) u, bound \(bound / Self.u) u")
  }

  @Test("BilinearSpline.sumExp: (67 + ⌈log2(m / 1024)⌉) u", arguments: [0.3, 1.7])
  func splineSumExp(c: Double) throws {
    let m = 4096
    let s = try BilinearSpline(
      x: NDArray<Double>([0, 1, 2]), y: NDArray<Double>([0, 1]), values: NDArray(repeating: c, shape: [3, 2]))
    let px = randomArray(Double.self, shape: [m], in: 0...2, seed: 1)
    let py = randomArray(Double.self, shape: [m], in: 0...1, seed: 2)
    // A constant spline: every value is c exactly (a + 0*tx + ...).
    #expect(try s.evaluate(x: px, y: py).scalars.allSatisfy { $0 == c })
    let t = Self.term(c), exact = Double(m) * t
    let got = try s.sumExp(x: px, y: py)
    let bound = (67 + Self.depth(m, 1024)) * Self.u
    #expect(abs(got - exact) / exact <= bound, "\(abs(got - exact) / exact / Self.u) u")
  }

  @Test("BilinearSplineStack.sumExp: (256 ⌈n/4⌉ + 1 + ⌈log2(m / 256)⌉) u", arguments: [4, 8, 16])
  func stackSumExp(n: Int) throws {
    let m = 2048, c = 0.3
    let st = try BilinearSplineStack(
      x: NDArray<Double>([0, 1, 2]), y: NDArray<Double>([0, 1]), values: NDArray(repeating: c, shape: [n, 3, 2]))
    let px = randomArray(Double.self, shape: [m], in: 0...2, seed: 3)
    let py = randomArray(Double.self, shape: [m], in: 0...1, seed: 4)
    let t = Self.term(c), exact = Double(n * m) * t
    let got = try st.sumExp(x: px, y: py)
    let bound = (256 * Double((n + 3) / 4) + 1 + Self.depth(m, 256)) * Self.u
    #expect(abs(got - exact) / exact <= bound, "\(abs(got - exact) / exact / Self.u) u")
  }

  @Test("BivariateSplineStack.sumExp: (16 n + 4 + ⌈log2(m / 64)⌉) u")
  func bivariateStackSumExp() throws {
    let n = 8, m = 16384, c = 0.3
    let st = try BivariateSplineStack(
      x: NDArray<Double>([0, 1, 2, 3]), y: NDArray<Double>([0, 1, 2, 3]),
      values: NDArray(repeating: c, shape: [n, 4, 4]))
    let px = randomArray(Double.self, shape: [m], in: 0...3, seed: 5)
    let py = randomArray(Double.self, shape: [m], in: 0...3, seed: 6)
    // The fitted constant is c to within rounding: the exact sum of the
    // terms as computed, in Float80 where it matters.
    let v = try st.evaluate(x: px, y: py).scalars
    let terms = NDArray(v).exp().scalars
    #if arch(x86_64)
    let exact = Double(terms.reduce(Float80(0)) { $0 + Float80($1) })
    #else
    let exact = terms.reduce(0, +)  // within m u of the true sum, far below the bound
    #endif
    let got = try st.sumExp(x: px, y: py)
    let bound = (16 * Double(n) + 4 + Self.depth(m, 64)) * Self.u
    #expect(abs(got - exact) / exact <= bound, "\(abs(got - exact) / exact / Self.u) u")
  }
}
