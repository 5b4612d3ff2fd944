import Dispatch
import Foundation

/// One thread, plain loops, `Foundation.exp`: the reference every variant
/// is checked against and the 1x of every speed-up.
public enum ScalarLoop {
  /// W1: sum over points and splines of exp(spline(x, y)).
  ///
  /// Point-outer, like the naive parallel version: the same point's cell
  /// search repeats for every spline, so the branch predictor learns it;
  /// spline-outer order ran 2x slower here (83 ns per spline-point).
  public static func splineSumExp(_ splines: [ScalarBilinear], x: [Double], y: [Double]) -> Double {
    var total = 0.0
    for i in 0..<x.count {
      let px = x[i], py = y[i]
      for s in splines { total += Foundation.exp(s(px, py)) }
    }
    return total
  }

  /// logSumExp of one contiguous run, two passes (max, then the shifted sum).
  public static func logSumExp(_ p: UnsafeBufferPointer<Double>) -> Double {
    guard !p.isEmpty else { return -.infinity }
    var m = -Double.infinity
    for v in p { m = Swift.max(m, v) }
    if m.isInfinite { return m }
    var s = 0.0
    for v in p { s += Foundation.exp(v - m) }
    return m + Foundation.log(s)
  }

  public static func sumExp(_ p: UnsafeBufferPointer<Double>) -> Double {
    var s = 0.0
    for v in p { s += Foundation.exp(v) }
    return s
  }

  /// W3: sum of (x*x)*3 + 1, one pass.
  public static func squareAffineSum(_ p: UnsafeBufferPointer<Double>) -> Double {
    var s = 0.0
    for v in p { s += (v * v) * 3 + 1 }
    return s
  }
}

/// What "use all cores" usually looks like first: `concurrentPerform` with
/// one element per iteration. Each iteration writes its own slot (no
/// locks), and the slots are summed serially at the end.
public enum NaivePerElement {
  public static func splineSumExp(_ splines: [ScalarBilinear], x: [Double], y: [Double]) -> Double {
    let m = x.count
    let slots = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(m, 1))
    defer { slots.deallocate() }
    let out = UncheckedPointer(slots)
    DispatchQueue.concurrentPerform(iterations: m) { i in
      var s = 0.0
      for sp in splines { s += Foundation.exp(sp(x[i], y[i])) }
      out.raw[i] = s
    }
    var total = 0.0
    for i in 0..<m { total += slots[i] }
    return total
  }

  /// Applies `f` to every element in its own iteration, then sums the slots.
  public static func mapSum(_ p: UnsafeBufferPointer<Double>, _ f: @Sendable @escaping (Double) -> Double) -> Double {
    let n = p.count
    let slots = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(n, 1))
    defer { slots.deallocate() }
    let out = UncheckedPointer(slots)
    let src = UncheckedPointer(UnsafeMutablePointer(mutating: p.baseAddress!))
    DispatchQueue.concurrentPerform(iterations: n) { i in out.raw[i] = f(src.raw[i]) }
    var s = 0.0
    for i in 0..<n { s += slots[i] }
    return s
  }

  /// W2's unit of work is a row: one row per iteration, a scalar loop inside.
  public static func rowsLogSumExp(_ base: UnsafePointer<Double>, rows: Int, cols: Int) -> [Double] {
    let slots = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(rows, 1))
    defer { slots.deallocate() }
    let out = UncheckedPointer(slots)
    let src = UncheckedPointer(UnsafeMutablePointer(mutating: base))
    DispatchQueue.concurrentPerform(iterations: rows) { r in
      out.raw[r] = ScalarLoop.logSumExp(UnsafeBufferPointer(start: src.raw + r * cols, count: cols))
    }
    return Array(UnsafeBufferPointer(start: slots, count: rows))
  }
}

/// A pointer handed to concurrent iterations that write disjoint slots.
public struct UncheckedPointer<T>: @unchecked Sendable {
  public let raw: UnsafeMutablePointer<T>
  public init(_ p: UnsafeMutablePointer<T>) { raw = p }
}
