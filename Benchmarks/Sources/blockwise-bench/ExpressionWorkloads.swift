import Blockwise
import Foundation

// MARK: - W5: a user's formula, evaluated and summed

/// W5: `exp(-x*x/2) * cos(3*y) + log1p(x*x)` over two arrays, in Double
/// and in Float: evaluated into an array (one pass, no temporaries) and
/// summed without storing any value. The limit is the larger of the
/// memory traffic and the same formula's in-cache rate on the available
/// cores (probed in this run: 16384-element inputs, one thread).
func workloadW5(_ c: Context) throws -> [Row] {
  let n = c.options.expressionCount
  let source = "exp(-x*x/2) * cos(3*y) + log1p(x*x)"
  progress("W5: generating 2 x \(n) values")
  let x = try NDArray<Double>.uniform([n], in: -3..<3, seed: 61)
  let y = try NDArray<Double>.uniform([n], in: -3..<3, seed: 62)
  var rows: [Row] = []
  rows += try w5(c, Double.self, source: source, x: x, y: y)
  rows += try w5(c, Float.self, source: source, x: x.converted(to: Float.self), y: y.converted(to: Float.self))
  return rows
}

func w5<E: NDArrayScalar>(
  _ c: Context, _: E.Type, source: String, x: NDArray<E>, y: NDArray<E>
) throws -> [Row] {
  let n = x.count
  let type = E.self == Double.self ? "Double" : "Float"
  let e = try Blockwise.Expression<E>(source)
  let inputs = ["x": x, "y": y]
  let xs = x.scalars.map { Double($0) }, ys = y.scalars.map { Double($0) }

  // The formula's in-cache rate: the compute bound per element per core.
  let cached = 16_384  // 2 x 128 KiB of Double inputs: L2-resident
  let sx = try NDArray<E>.uniform([cached], in: -3..<3, seed: 63)
  let sy = try NDArray<E>.uniform([cached], in: -3..<3, seed: 64)
  var small = try NDArray<E>.zeros([cached])
  let reps = 50
  let inCache = try fastest(runs: 5) {
    try ComputePool.withThreadCount(1) { for _ in 0..<reps { try e.evaluate(["x": sx, "y": sy], into: &small) } }
  } / Double(reps * cached)
  let size = Double(MemoryLayout<E>.stride)
  func bound(_ bytes: Double, _ t: Int) -> Double {
    max(c.limit(bytes: bytes, exps: 0, threads: t), Double(n) * inCache / Double(min(t, c.machine.cores)))
  }

  var out = try NDArray<E>.zeros([n])
  func probe(_ a: NDArray<E>) -> Double {
    a.withUnsafeBufferPointer { p in Double(p[0]) + Double(p[n / 3]) + Double(p[n / 2]) + Double(p[n - 1]) }
  }
  func value(_ i: Int) -> Double { Foundation.exp(-xs[i] * xs[i] / 2) * Foundation.cos(3 * ys[i]) + Foundation.log1p(xs[i] * xs[i]) }
  let tol = E.self == Double.self ? 1e-12 : 1e-5

  var group: [Row] = []
  // Evaluate into an array.
  let evalName = "W5 evaluate \(type)"
  let scalarEval = c.row(evalName, "scalar loop (Foundation, Double)", threads: 1, elements: Double(n),
                             bytes: 3 * size * Double(n), exps: 0, tolerance: tol, scalar: nil) {
    var o = [Double](repeating: 0, count: n)
    for i in 0..<n { o[i] = value(i) }
    return o[0] + o[n / 3] + o[n / 2] + o[n - 1]
  }
  let refEval = (scalarEval.medianSeconds, scalarEval.result)
  group.append(scalarEval)
  group += try c.rows(evalName, elements: Double(n), bytes: 3 * size * Double(n), exps: 0, [
    Variant(name: "Blockwise Expression evaluate, 1 thread", threads: 1, tolerance: tol, scalar: refEval,
            limit: bound(3 * size * Double(n), 1)) {
      try ComputePool.withThreadCount(1) { try e.evaluate(inputs, into: &out) }
      return probe(out)
    },
    Variant(name: "Blockwise Expression evaluate, all threads", threads: c.threads, tolerance: tol, scalar: refEval,
            limit: bound(3 * size * Double(n), c.threads)) {
      try e.evaluate(inputs, into: &out)
      return probe(out)
    },
  ])
  printTable(title: "\(evalName)  \(source), 2 x \(n) \(type)s into a new array (in cache: \(String(format: "%.2f", inCache * 1e9)) ns/element/core)", rows: group)

  // Fused sum: no array of values.
  var sums: [Row] = []
  let sumName = "W5 sum \(type)"
  let scalarSum = c.row(sumName, "scalar loop (Foundation, Double)", threads: 1, elements: Double(n),
                            bytes: 2 * size * Double(n), exps: 0, tolerance: tol, scalar: nil) {
    var s = 0.0
    for i in 0..<n { s += value(i) }
    return s
  }
  let refSum = (scalarSum.medianSeconds, scalarSum.result)
  sums.append(scalarSum)
  sums += try c.rows(sumName, elements: Double(n), bytes: 2 * size * Double(n), exps: 0, [
    Variant(name: "Blockwise Expression sum, 1 thread", threads: 1, tolerance: tol, scalar: refSum,
            limit: bound(2 * size * Double(n), 1)) {
      Double(try ComputePool.withThreadCount(1) { try e.sum(inputs) })
    },
    Variant(name: "Blockwise Expression sum, all threads", threads: c.threads, tolerance: tol, scalar: refSum,
            limit: bound(2 * size * Double(n), c.threads)) {
      Double(try e.sum(inputs))
    },
  ])
  printTable(title: "\(sumName)  sum(\(source)), 2 x \(n) \(type)s, fused", rows: sums)
  return group + sums
}
