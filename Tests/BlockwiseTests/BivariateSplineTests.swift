import Foundation
import Testing

@testable import Blockwise

/// The fixture file bivariate.json (scipy's RectBivariateSpline, degrees
/// 1 to 5), parsed once.
nonisolated(unsafe) let bivariateFixtures: [String: Any] = try! Fixtures.json("bivariate.json")

/// Within 1e-12 relative of scipy, or 1e-14 absolute of the case's scale
/// (values near zero), NaN matching NaN.
func withinScipyBound(_ v: Double, _ r: Double, scale: Double, relative: Double = 1e-12) -> Bool {
  if r.isNaN { return v.isNaN }
  return abs(v - r) <= relative * abs(r) + 1e-14 * scale
}

@Suite("BivariateSpline")
struct BivariateSplineTests {
  static var cases: [[String: Any]] { bivariateFixtures["cases"] as! [[String: Any]] }

  func build<E: NDArrayScalar>(_: E.Type, _ c: [String: Any]) throws -> BivariateSpline<E> {
    try BivariateSpline(
      x: fixtureArray(E.self, c["x"], shape: [doubles(c["x"]).count]),
      y: fixtureArray(E.self, c["y"], shape: [doubles(c["y"]).count]),
      values: fixtureArray(E.self, c["z"], shape: ints(c["zShape"])),
      degree: (c["kx"] as! Int, c["ky"] as! Int))
  }

  /// How much differencing `order` times can scale coefficient errors:
  /// the product over steps r of 2 (k - r + 1) / (shortest knot interval).
  func differencingGain(_ knots: [Double], degree k: Int, order: Int) -> Double {
    let h = zip(knots.dropFirst(), knots).map { $0 - $1 }.filter { $0 > 0 }.min()!
    return (0..<order).reduce(1.0) { g, r in g * 2 * Double(k - r) / h }
  }

  /// The largest |value| of a list (NaN ignored): the scale of absolute errors.
  func scale(_ v: [Double]) -> Double { v.filter { !$0.isNaN }.map(abs).max() ?? 1 }

  @Test func allDegreePairsMatchScipy() throws {
    var pairs = Set<Int>()
    for c in Self.cases where !(c["float32"] as! Bool) {
      let name = c["name"] as! String
      let s = try build(Double.self, c)
      pairs.insert((c["kx"] as! Int) * 10 + (c["ky"] as! Int))
      // Knots exactly (same arithmetic: data points and midpoints).
      #expect(s.knotsX == doubles(c["tx"]), "\(name) knots x")
      #expect(s.knotsY == doubles(c["ty"]), "\(name) knots y")
      let coeffs = doubles(c["coeffs"])
      let cs = scale(coeffs)
      for (a, r) in zip(s.coefficients, coeffs) { #expect(abs(a - r) <= 1e-13 * cs, "\(name) coefficients") }
      let xi = NDArray(doubles(c["xi"])), yi = NDArray(doubles(c["yi"]))
      let ev = doubles(c["ev"]), vs = scale(ev)
      let got = try s.evaluate(x: xi, y: yi).scalars
      #expect(got.count == ev.count)
      for i in ev.indices { #expect(withinScipyBound(got[i], ev[i], scale: vs), "\(name) point \(i): \(got[i]) vs \(ev[i])") }
      // Derivatives up to the degree. Two correct fits (LU here, Givens
      // QR in FITPACK) differ in the coefficients by ~1e-14 of their
      // scale; each differencing step can multiply that by up to
      // 2 (k - r + 1) / h, h the shortest knot interval, so the absolute
      // part of the tolerance is the coefficient scale times that factor.
      for d in c["derivatives"] as! [[String: Any]] {
        let dx = d["dx"] as! Int, dy = d["dy"] as! Int
        let ref = doubles(d["values"])
        let gain = differencingGain(s.knotsX, degree: s.degree.x, order: dx)
          * differencingGain(s.knotsY, degree: s.degree.y, order: dy)
        let dv = try s.evaluate(x: xi, y: yi, derivative: (dx, dy)).scalars
        for i in ref.indices {
          #expect(
            withinScipyBound(dv[i], ref[i], scale: cs * gain),
            "\(name) derivative (\(dx), \(dy)) point \(i): \(dv[i]) vs \(ref[i])")
        }
      }
      let grid = try s.evaluateGrid(x: NDArray(doubles(c["gx"])), y: NDArray(doubles(c["gy"])))
      #expect(grid.shape == [doubles(c["gx"]).count, doubles(c["gy"]).count])
      for (a, r) in zip(grid.scalars, doubles(c["grid"])) { #expect(withinScipyBound(a, r, scale: vs), "\(name) grid") }
      for entry in c["integrals"] as! [[String: Any]] {
        let r = doubles(entry["range"]), ref = Double(entry["value"] as! String)!
        let got = try s.integral(x: r[0]...r[1], y: r[2]...r[3])
        let area = (doubles(c["x"]).last! - doubles(c["x"])[0]) * (doubles(c["y"]).last! - doubles(c["y"])[0])
        #expect(withinScipyBound(got, ref, scale: vs * area), "\(name) integral \(r): \(got) vs \(ref)")
      }
      let sumRef = Double(c["sumExpFinite"] as! String)!
      let finite = ev.indices.filter { !ev[$0].isNaN }
      let fx = NDArray(finite.map { xi.scalars[$0] }), fy = NDArray(finite.map { yi.scalars[$0] })
      let se = try s.sumExp(x: fx, y: fy)
      #expect(abs(se - sumRef) <= 1e-12 * sumRef, "\(name) sumExp")
      #expect(try s.sumExp(x: xi, y: yi).isNaN)
    }
    #expect(pairs.count == 25)
  }

  /// Float splines are fitted and evaluated in Double and rounded once:
  /// within half a Float ulp of the Double result, which is within 1e-12
  /// of scipy's on the rounded data.
  @Test func floatSplinesMatchScipyOnRoundedData() throws {
    for c in Self.cases where c["float32"] as! Bool {
      let name = c["name"] as! String
      let s = try build(Float.self, c)
      let xi = try fixtureArray(Float.self, c["xi"], shape: [doubles(c["xi"]).count])
      let yi = try fixtureArray(Float.self, c["yi"], shape: [doubles(c["yi"]).count])
      let ev = doubles(c["ev"]), vs = scale(ev)
      let got = try s.evaluate(x: xi, y: yi).scalars
      let u = Double(Float.ulpOfOne) / 2
      for i in ev.indices {
        if ev[i].isNaN { #expect(got[i].isNaN); continue }
        #expect(abs(Double(got[i]) - ev[i]) <= u * abs(ev[i]) + 1e-12 * vs, "\(name) point \(i)")
      }
      for d in c["derivatives"] as! [[String: Any]] {
        let ref = doubles(d["values"]), ds = scale(ref)
        let dv = try s.evaluate(x: xi, y: yi, derivative: (d["dx"] as! Int, d["dy"] as! Int)).scalars
        for i in ref.indices where !ref[i].isNaN {
          #expect(abs(Double(dv[i]) - ref[i]) <= u * abs(ref[i]) + 1e-12 * ds, "\(name) derivative")
        }
      }
      for entry in c["integrals"] as! [[String: Any]] {
        let r = doubles(entry["range"]).map { Float($0) }, ref = Double(entry["value"] as! String)!
        let got = try s.integral(x: r[0]...r[1], y: r[2]...r[3])
        #expect(abs(Double(got) - ref) <= u * abs(ref) + 1e-12 * vs * 100, "\(name) integral")
      }
    }
  }

  @Test func bilinearDegreeMatchesBilinearSpline() throws {
    let x = NDArray<Double>([0, 0.5, 1.7, 2, 3.5]), y = NDArray<Double>([-1, 0, 2, 2.5])
    let z = randomArray(Double.self, shape: [5, 4], in: -2...2, seed: 3)
    let b = try BivariateSpline(x: x, y: y, values: z, degree: (1, 1))
    let l = try BilinearSpline(x: x, y: y, values: z)
    let px = randomArray(Double.self, shape: [500], in: -1...4, seed: 4)
    let py = randomArray(Double.self, shape: [500], in: -2...3, seed: 5)
    for (a, r) in zip(try b.evaluate(x: px, y: py).scalars, try l.evaluate(x: px, y: py).scalars) {
      #expect(abs(a - r) <= 1e-14 * 4)
    }
  }

  @Test func interpolatesItsDataAndReproducesPolynomials() throws {
    // A spline of degree k reproduces polynomials of degree <= k exactly
    // (up to rounding), derivatives and integrals included: independent
    // of scipy.
    for k in 1...5 {
      let xs: [Double] = (0..<(k + 4)).map { (i: Int) -> Double in 0.7 * Double(i) + (i % 2 == 1 ? 0.1 : 0.0) }
      let ys: [Double] = (0..<(k + 3)).map { (i: Int) -> Double in 0.5 * Double(i) - 1.0 }
      let kd = Double(k)
      func f(_ x: Double, _ y: Double) -> Double {
        let a: Double = Foundation.pow(x, kd)
        let b: Double = 2.0 * Foundation.pow(y, kd)
        return a - b + x * y
      }
      func fx(_ x: Double, _ y: Double) -> Double {
        let a: Double = kd * Foundation.pow(x, kd - 1)
        return a + y
      }
      let z = try NDArray<Double>(shape: [xs.count, ys.count]) { i in f(xs[i / ys.count], ys[i % ys.count]) }
      let s = try BivariateSpline(x: NDArray(xs), y: NDArray(ys), values: z, degree: (k, k))
      let px = randomArray(Double.self, shape: [200], in: xs[0]...xs.last!, seed: UInt64(k))
      let py = randomArray(Double.self, shape: [200], in: ys[0]...ys.last!, seed: UInt64(k + 10))
      let v = try s.evaluate(x: px, y: py).scalars
      let dxv = try s.evaluate(x: px, y: py, derivative: (1, 0)).scalars
      let top = try s.evaluate(x: px, y: py, derivative: (k, 0)).scalars
      // The k-th x-derivative of x^k + xy is k! (k > 1), 1 + y for k = 1.
      let kf = Double((1...k).reduce(1, *))
      for i in 0..<200 {
        let x = px.scalars[i], y = py.scalars[i]
        let topRef: Double = k == 1 ? kf + y : kf
        #expect(abs(v[i] - f(x, y)) <= 1e-9, "k \(k)")
        #expect(abs(dxv[i] - fx(x, y)) <= 1e-8, "k \(k) d/dx")
        #expect(abs(top[i] - topRef) <= 1e-8 * kf, "k \(k) top derivative")
      }
      // The integral over [a, b] x [c, d] of x^k - 2 y^k + x y.
      let (a, b, c, d) = (xs[1], xs.last! - 0.3, ys[0] + 0.2, ys[2])
      let kk = kd + 1
      let ix: Double = (Foundation.pow(b, kk) - Foundation.pow(a, kk)) / kk
      let iy: Double = (Foundation.pow(d, kk) - Foundation.pow(c, kk)) / kk
      let ixy: Double = (b * b - a * a) / 2 * ((d * d - c * c) / 2)
      let exact: Double = ix * (d - c) - 2 * iy * (b - a) + ixy
      let got = try s.integral(x: a...b, y: c...d)
      #expect(abs(got - exact) <= 1e-11 * Swift.max(1, abs(exact)), "k \(k) integral: \(got) vs \(exact)")
    }
  }

  @Test func outsidePointsClampToTheBox() throws {
    let x = NDArray<Double>([0, 1, 2, 3, 4, 5]), y = NDArray<Double>([0, 1, 2, 3, 4])
    let s = try BivariateSpline(x: x, y: y, values: randomArray(Double.self, shape: [6, 5], in: 0...1, seed: 9))
    let out = try s.evaluate(x: NDArray([-3, 9, 2.5, 2.5, -1, 7]), y: NDArray([2, 2, -5, 8, -1, 9]))
    let edge = try s.evaluate(x: NDArray([0, 5, 2.5, 2.5, 0, 5]), y: NDArray([2, 2, 0, 4, 0, 4]))
    #expect(out == edge)
    let d = try s.evaluate(x: NDArray([-3.0]), y: NDArray([2.0]), derivative: (1, 1))
    #expect(d == (try s.evaluate(x: NDArray([0.0]), y: NDArray([2.0]), derivative: (1, 1))))
    // An integral range wholly outside the grid adds nothing.
    #expect(try s.integral(x: 6...7, y: 0...4) == 0)
  }

  @Test func badInputThrows() throws {
    let x = NDArray<Double>([0, 1, 2, 3]), y = NDArray<Double>([0, 1, 2])
    let z = try NDArray<Double>.zeros([4, 3])
    #expect(throws: BlockwiseError.invalidArgument(name: "degree.x", expected: "a degree in 1...5", got: "0")) {
      try BivariateSpline(x: x, y: y, values: z, degree: (0, 1))
    }
    #expect(throws: BlockwiseError.invalidArgument(name: "degree.y", expected: "a degree in 1...5", got: "6")) {
      try BivariateSpline(x: x, y: y, values: z, degree: (1, 6))
    }
    #expect(throws: BlockwiseError.tooFewKnots(axis: "y", minimum: 4, got: 3)) {
      try BivariateSpline(x: x, y: y, values: z)
    }
    #expect(throws: BlockwiseError.notStrictlyIncreasing(axis: "x", index: 2, previous: 1, value: 1)) {
      try BivariateSpline(x: NDArray([0, 1, 1, 3]), y: y, values: z, degree: (1, 1))
    }
    #expect(throws: BlockwiseError.nonFinite(argument: "x", index: 3, value: .infinity)) {
      try BivariateSpline(x: NDArray([0, 1, 2, .infinity]), y: y, values: z, degree: (1, 1))
    }
    var bad = z
    bad[2, 1] = .nan
    #expect(throws: BlockwiseError.self) { try BivariateSpline(x: x, y: y, values: bad, degree: (2, 2)) }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [4, 3], got: [3, 4])) {
      try BivariateSpline(x: x, y: y, values: .zeros([3, 4]), degree: (2, 2))
    }
    let s = try BivariateSpline(x: x, y: y, values: z, degree: (3, 2))
    #expect(throws: BlockwiseError.invalidArgument(name: "derivative.y", expected: "an order in 0...2 (the degree)", got: "3")) {
      try s.evaluate(x: NDArray([0.5]), y: NDArray([0.5]), derivative: (0, 3))
    }
    #expect(throws: BlockwiseError.invalidArgument(name: "derivative.x", expected: "an order in 0...3 (the degree)", got: "-1")) {
      try s.evaluate(x: NDArray([0.5]), y: NDArray([0.5]), derivative: (-1, 0))
    }
    #expect(throws: BlockwiseError.self) { try s.integral(x: 1...1, y: 0...1) }
    #expect(throws: BlockwiseError.self) { try s.integral(x: 0...1, y: 0...Double.infinity) }
    #expect(throws: BlockwiseError.lengthMismatch(argument: "y", expected: 2, got: 1)) {
      try s.evaluate(x: NDArray([0.5, 1]), y: NDArray([0.5]))
    }
  }
}
