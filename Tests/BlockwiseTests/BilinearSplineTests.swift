import Foundation
import Testing

@testable import Blockwise

/// Agreement with scipy: relative 1e-13, or absolute 1e-15 near zero.
func closeToScipy(_ v: Double, _ r: Double) -> Bool {
  if r.isNaN { return v.isNaN }
  return abs(v - r) <= max(1e-13 * abs(r), 1e-15)
}

/// Float results: within 4 ulp of the Double reference rounded to Float.
func floatClose(_ v: Float, _ r: Double) -> Bool {
  if r.isNaN { return v.isNaN }
  let rf = Float(r)
  return abs(v - rf) <= 4 * max(rf.ulp, Float.leastNormalMagnitude)
}

struct SplineCase {
  let name: String, float32: Bool
  let x, y, z, xi, yi, ev, gx, gy, grid: [Double]
  let zShape: [Int]
  let sumExpFinite: Double

  init(_ d: [String: Any]) {
    name = d["name"] as! String
    float32 = d["float32"] as! Bool
    x = doubles(d["x"]); y = doubles(d["y"]); z = doubles(d["z"])
    xi = doubles(d["xi"]); yi = doubles(d["yi"]); ev = doubles(d["ev"])
    gx = doubles(d["gx"]); gy = doubles(d["gy"]); grid = doubles(d["grid"])
    zShape = ints(d["zShape"])
    sumExpFinite = Double(d["sumExpFinite"] as! String)!
  }

  static func all() throws -> [SplineCase] {
    let f = try Fixtures.json("splines.json")
    return (f["cases"] as! [[String: Any]]).map(SplineCase.init)
  }
}

@Suite("BilinearSpline against scipy RectBivariateSpline(kx=1, ky=1)")
struct BilinearSplineTests {
  @Test func doubleMatchesScipyFixtures() throws {
    for c in try SplineCase.all() where !c.float32 {
      let s = try BilinearSpline(x: NDArray(c.x), y: NDArray(c.y), values: NDArray(c.z, shape: c.zShape))
      for t in threadCounts {
        let v = try ComputePool.withThreadCount(t) { try s.evaluate(x: NDArray(c.xi), y: NDArray(c.yi)) }
        #expect(v.shape == [c.xi.count])
        var bad = 0
        for (a, r) in zip(v.scalars, c.ev) where !closeToScipy(a, r) { bad += 1 }
        #expect(bad == 0, "\(c.name): \(bad) of \(c.ev.count) points differ from scipy")
      }
      let g = try s.evaluateGrid(x: NDArray(c.gx), y: NDArray(c.gy))
      #expect(g.shape == [c.gx.count, c.gy.count])
      for (a, r) in zip(g.scalars, c.grid) { #expect(closeToScipy(a, r), "\(c.name) grid") }
      // sumExp over the finite points against numpy's exp summed with fsum.
      let finite = zip(c.xi, c.yi).filter { !$0.0.isNaN && !$0.1.isNaN }
      let e = try s.sumExp(x: NDArray(finite.map(\.0)), y: NDArray(finite.map(\.1)))
      #expect(abs(e - c.sumExpFinite) <= 1e-13 * c.sumExpFinite, "\(c.name) sumExp")
      #expect(try s.sumExp(x: NDArray(c.xi), y: NDArray(c.yi)).isNaN, "a NaN point makes the sum NaN")
    }
  }

  @Test func floatWithinFourUlpOfDouble() throws {
    for c in try SplineCase.all() where c.float32 {
      let f = { (v: [Double]) in NDArray(v.map { Float($0) }) }
      let s = try BilinearSpline(x: f(c.x), y: f(c.y), values: try NDArray(c.z.map { Float($0) }, shape: c.zShape))
      let v = try s.evaluate(x: f(c.xi), y: f(c.yi))
      for (a, r) in zip(v.scalars, c.ev) { #expect(floatClose(a, r), "\(c.name): \(a) vs \(r)") }
      let g = try s.evaluateGrid(x: f(c.gx), y: f(c.gy))
      for (a, r) in zip(g.scalars, c.grid) { #expect(floatClose(a, r), "\(c.name) grid") }
      let finite = zip(c.xi, c.yi).filter { !$0.0.isNaN && !$0.1.isNaN }
      let e = try s.sumExp(x: f(finite.map(\.0)), y: f(finite.map(\.1)))
      #expect(floatClose(e, c.sumExpFinite))
    }
  }

  @Test func matchesNaiveLoopOnManyPointsAndBlockEdges() throws {
    var g = SeededGenerator(seed: 21)
    let xs = (0..<40).reduce(into: [Double]()) { acc, i in acc.append(i == 0 ? 0 : acc.last! + .random(in: 0.1...2, using: &g)) }
    let ys = (0..<30).map { Double($0) * 0.5 }
    let z = try NDArray((0..<(40 * 30)).map { _ in Double.random(in: -2...2, using: &g) }, shape: [40, 30])
    let s = try BilinearSpline(x: NDArray(xs), y: NDArray(ys), values: z)
    let zv = z.scalars
    func naive(_ px: Double, _ py: Double) -> Double {
      let cx = min(max(px, xs.first!), xs.last!), cy = min(max(py, ys.first!), ys.last!)
      var i = 0
      while i < xs.count - 2 && xs[i + 1] <= cx { i += 1 }
      var j = 0
      while j < ys.count - 2 && ys[j + 1] <= cy { j += 1 }
      let tx = (cx - xs[i]) / (xs[i + 1] - xs[i]), ty = (cy - ys[j]) / (ys[j + 1] - ys[j])
      return (1 - tx) * (1 - ty) * zv[i * 30 + j] + tx * (1 - ty) * zv[(i + 1) * 30 + j]
        + (1 - tx) * ty * zv[i * 30 + j + 1] + tx * ty * zv[(i + 1) * 30 + j + 1]
    }
    let block = BilinearSpline<Double>.pointsPerBlock
    for m in [0, 1, block - 1, block, block + 1, 3 * block + 5] {
      let px = (0..<m).map { _ in Double.random(in: -5...(xs.last! + 5), using: &g) }
      let py = (0..<m).map { _ in Double.random(in: -1...16, using: &g) }
      let v = try s.evaluate(x: NDArray(px), y: NDArray(py)).scalars
      for i in 0..<m { #expect(abs(v[i] - naive(px[i], py[i])) <= 1e-14) }
      let exact = (0..<m).reduce(Float80(0)) { $0 + Float80(Foundation.exp(naive(px[$1], py[$1]))) }
      let e = try s.sumExp(x: NDArray(px), y: NDArray(py))
      #expect(abs(Float80(e) - exact) <= 1e-13 * max(exact, 1))
    }
  }

  @Test func evaluatingIntoAnArrayMatchesEvaluate() throws {
    var g = SeededGenerator(seed: 22)
    let z = try NDArray((0..<(6 * 5)).map { _ in Double.random(in: -2...2, using: &g) }, shape: [6, 5])
    let s = try BilinearSpline(x: NDArray((0..<6).map(Double.init)), y: NDArray((0..<5).map(Double.init)), values: z)
    let px = try NDArray<Double>.uniform([9001], in: -1..<6, seed: 3)
    let py = try NDArray<Double>.uniform([9001], in: -1..<5, seed: 4)
    var out = try NDArray<Double>.zeros([9001])
    let shared = out
    try s.evaluate(x: px, y: py, into: &out)
    #expect(out == (try s.evaluate(x: px, y: py)) && shared.sum() == 0)  // a shared output is copied first
    var grid = try NDArray<Double>.zeros([7, 3])
    let gx = try NDArray<Double>.linspace(-1, 6, count: 7), gy = NDArray<Double>([0, 2.5, 9])
    try s.evaluateGrid(x: gx, y: gy, into: &grid)
    #expect(grid == (try s.evaluateGrid(x: gx, y: gy)))
    #expect(throws: BlockwiseError.shapeMismatch(expected: [9001], got: [9000])) {
      var wrong = try NDArray<Double>.zeros([9000])
      try s.evaluate(x: px, y: py, into: &wrong)
    }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [7, 3], got: [3, 7])) {
      var wrong = try NDArray<Double>.zeros([3, 7])
      try s.evaluateGrid(x: gx, y: gy, into: &wrong)
    }
  }

  @Test func sumExpBitIdenticalForAnyThreadCount() throws {
    let s = try BilinearSpline(
      x: NDArray((0..<50).map(Double.init)), y: NDArray((0..<50).map(Double.init)),
      values: randomArray(Double.self, shape: [50, 50], in: 0...1, seed: 31))
    let px = randomArray(Double.self, shape: [100_003], in: 0...49, seed: 32)
    let py = randomArray(Double.self, shape: [100_003], in: 0...49, seed: 33)
    let ref = try ComputePool.withThreadCount(1) { try s.sumExp(x: px, y: py) }
    for t in threadCounts {
      #expect(try ComputePool.withThreadCount(t) { try s.sumExp(x: px, y: py) }.bitPattern == ref.bitPattern)
    }
  }

  @Test func badInputThrowsSpecificErrors() throws {
    let ok2 = NDArray<Double>([0, 1, 2])
    let z = try NDArray<Double>.zeros([3, 3])
    #expect(throws: BlockwiseError.notStrictlyIncreasing(axis: "x", index: 2, previous: 1, value: 1)) {
      try BilinearSpline(x: NDArray([0, 1, 1]), y: ok2, values: z)
    }
    #expect(throws: BlockwiseError.notStrictlyIncreasing(axis: "y", index: 1, previous: 0, value: -1)) {
      try BilinearSpline(x: ok2, y: NDArray([0, -1, 2]), values: z)
    }
    #expect(throws: BlockwiseError.tooFewKnots(axis: "x", minimum: 2, got: 1)) {
      try BilinearSpline(x: NDArray([0]), y: ok2, values: .zeros([1, 3]))
    }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [3, 3], got: [3, 4])) {
      try BilinearSpline(x: ok2, y: ok2, values: .zeros([3, 4]))
    }
    #expect(throws: BlockwiseError.rankMismatch(argument: "x", expected: 1, got: 2)) {
      try BilinearSpline(x: .zeros([3, 1]), y: ok2, values: z)
    }
    #expect(throws: BlockwiseError.nonFinite(argument: "x", index: 1, value: .infinity)) {
      try BilinearSpline(x: NDArray([0, .infinity, 2]), y: ok2, values: z)
    }
    var withNaN = z
    withNaN[1, 2] = .nan
    #expect(throws: (any Error).self) { try BilinearSpline(x: ok2, y: ok2, values: withNaN) }
    do {
      _ = try BilinearSpline(x: ok2, y: ok2, values: withNaN)
    } catch let e as BlockwiseError {
      guard case .nonFinite(let arg, let index, let value) = e else { Issue.record("\(e)"); return }
      #expect(arg == "values" && index == 5 && value.isNaN)
    }
    let s = try BilinearSpline(x: ok2, y: ok2, values: z)
    #expect(throws: BlockwiseError.lengthMismatch(argument: "y", expected: 2, got: 3)) {
      try s.evaluate(x: NDArray([0, 1]), y: NDArray([0, 1, 2]))
    }
    #expect(throws: BlockwiseError.rankMismatch(argument: "x", expected: 1, got: 2)) {
      try s.sumExp(x: .zeros([1, 1]), y: NDArray([0]))
    }
    #expect(try s.evaluate(x: NDArray([Double]()), y: NDArray([Double]())).shape == [0])
    #expect(try s.sumExp(x: NDArray([Double]()), y: NDArray([Double]())) == 0)
    let message = "\(BlockwiseError.notStrictlyIncreasing(axis: "x", index: 2, previous: 1, value: 1))"
    #expect(message.contains("x[2]"))
  }

  @Test func callerDataIsNotChanged() throws {
    let x = NDArray<Double>([0, 1, 2]), z = randomArray(Double.self, shape: [3, 3], seed: 1)
    let px = NDArray<Double>([0.5, 7, -3]), py = NDArray<Double>([0.5, 1, 2])
    let zBefore = z.scalars
    let s = try BilinearSpline(x: x, y: x, values: z)
    _ = try s.evaluate(x: px, y: py)
    _ = try s.sumExp(x: px, y: py)
    #expect(z.scalars == zBefore && px.scalars == [0.5, 7, -3] && py.scalars == [0.5, 1, 2])
  }
}
