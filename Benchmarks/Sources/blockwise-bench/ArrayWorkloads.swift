import ArgumentParser
import Blockwise
import BlockwiseBaselines
import Foundation

// MARK: - Arrays: the daily-use operations at sizes where they stream memory

/// A1-A5: sum along axis 0 and 1, a row vector broadcast over a matrix, a
/// large transpose and a Double-to-Float conversion, each beside a plain
/// scalar loop. Limits are the read bandwidth (reductions) or the
/// read-plus-write (copy) bandwidth (everything that writes an array).
func workloadArrays(_ c: Context) throws -> [Row] {
  let cmd = c.options
  let dims = cmd.matrixShape.split(separator: "x").compactMap { Int($0) }
  guard dims.count == 2 else { throw ValidationError("--matrix-shape must look like 1000x100000") }
  let (r, cols) = (dims[0], dims[1])
  progress("arrays: generating \(r) x \(cols)")
  let a = try NDArray<Double>.uniform([r, cols], in: 0..<1, seed: 51)
  let v = try NDArray<Double>.uniform([cols], in: 0..<1, seed: 52)
  // For the same-shape comparison: a full matrix whose every row is v, so
  // a + b has the values (and the check value) of a + v.
  let b = try NDArray<Double>.zeros([r, cols]) + v
  let matrixElements = Double(r * cols)
  var rows: [Row] = []
  var counts: [String: Double] = [:]
  func elements(for name: String) -> Double { counts[name] ?? matrixElements }

  func group(
    _ name: String, title: String, bytes: Double, copyBound: Bool, scalar: () throws -> Double,
    _ variants: [(String, Int, () throws -> Double)], extraBytes: [String: Double] = [:]
  ) throws {
    let s = try c.row(name, "scalar loop", threads: 1, elements: elements(for: name), bytes: bytes, exps: 0,
                      tolerance: 1e-12, scalar: nil, limit: copyBound ? c.copyLimit(bytes: bytes, threads: 1) : nil, scalar)
    var out = [s]
    out += try c.rows(name, elements: elements(for: name), bytes: bytes, exps: 0, variants.map { v in
      Variant(name: v.0, threads: v.1, scalar: (s.medianSeconds, s.result),
              limit: copyBound ? c.copyLimit(bytes: bytes + (extraBytes[v.0] ?? 0), threads: v.1) : nil, body: v.2)
    })
    printTable(title: title, rows: out)
    rows += out
  }
  try group("A1 sum(axis: 0)", title: "A1  sum(axis: 0) of \(r) x \(cols) Doubles (reads the array once)",
            bytes: 8 * matrixElements, copyBound: false, scalar: {
    a.withUnsafeBufferPointer { p in
      var acc = [Double](repeating: 0, count: cols)
      for i in 0..<r { for j in 0..<cols { acc[j] += p[i * cols + j] } }
      return acc.reduce(0, +)
    }
  }, [
    ("Blockwise, 1 thread", 1, { try ComputePool.withThreadCount(1) { try a.sum(axis: 0).sum() } }),
    ("Blockwise, all threads", c.threads, { try a.sum(axis: 0).sum() }),
  ])

  try group("A2 sum(axis: 1)", title: "A2  sum(axis: 1) of \(r) x \(cols) Doubles", bytes: 8 * matrixElements,
            copyBound: false, scalar: {
    a.withUnsafeBufferPointer { p in
      var total = 0.0
      for i in 0..<r {
        var s = 0.0
        for j in 0..<cols { s += p[i * cols + j] }
        total += s
      }
      return total
    }
  }, [
    ("Blockwise, 1 thread", 1, { try ComputePool.withThreadCount(1) { try a.sum(axis: 1).sum() } }),
    ("Blockwise, all threads", c.threads, { try a.sum(axis: 1).sum() }),
  ])

  // Results are checked through a few sampled elements (summing the output
  // would time a second pass).
  func probe(_ x: NDArray<Double>) -> Double {
    x.withUnsafeBufferPointer { p in p.isEmpty ? 0 : p[0] + p[p.count / 3] + p[p.count / 2] + p[p.count - 1] }
  }
  try group("A3 a + v", title: "A3  a + v: a row of \(cols) broadcast over \(r) x \(cols) (new array)",
            bytes: 16 * matrixElements, copyBound: true, scalar: {
    var out = try NDArray<Double>.zeros([r, cols])
    a.withUnsafeBufferPointer { p in
      v.withUnsafeBufferPointer { q in
        out.withUnsafeMutableBufferPointer { o in
          for i in 0..<r { for j in 0..<cols { o[i * cols + j] = p[i * cols + j] + q[j] } }
        }
      }
    }
    return probe(out)
  }, [
    ("Blockwise, 1 thread", 1, { probe(try ComputePool.withThreadCount(1) { try a + v }) }),
    ("Blockwise, all threads", c.threads, { probe(try a + v) }),
    // The same-shape operator beside it: broadcasting must cost nothing.
    ("Blockwise a + b (same shape), all threads", c.threads, { probe(try a + b) }),
  ], extraBytes: ["Blockwise a + b (same shape), all threads": 8 * matrixElements])

  let n = cmd.transposeSize
  progress("arrays: generating \(n) x \(n)")
  let sq = try NDArray<Double>.uniform([n, n], in: 0..<1, seed: 53)
  counts["A4 transposed"] = Double(n * n)
  try group("A4 transposed", title: "A4  transposed() of \(n) x \(n) Doubles", bytes: 16 * Double(n * n),
            copyBound: true, scalar: {
    var out = try NDArray<Double>.zeros([n, n])
    sq.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in
        for i in 0..<n { for j in 0..<n { o[i * n + j] = p[j * n + i] } }
      }
    }
    return probe(out)
  }, [
    ("Blockwise, 1 thread", 1, { probe(try ComputePool.withThreadCount(1) { sq.transposed() }) }),
    ("Blockwise, all threads", c.threads, { probe(sq.transposed()) }),
  ])

  let m = cmd.convertCount
  progress("arrays: generating \(m) Doubles")
  let d = try NDArray<Double>.uniform([m], in: -1e3..<1e3, seed: 54)
  counts["A5 Double to Float"] = Double(m)
  func probeF(_ x: NDArray<Float>) -> Double {
    x.withUnsafeBufferPointer { p in Double(p[0]) + Double(p[p.count / 2]) + Double(p[p.count - 1]) }
  }
  try group("A5 Double to Float", title: "A5  Double to Float conversion of \(m) values", bytes: 12 * Double(m),
            copyBound: true, scalar: {
    var out = try NDArray<Float>.zeros([m])
    d.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in for k in 0..<m { o[k] = Float(p[k]) } }
    }
    return probeF(out)
  }, [
    ("Blockwise, 1 thread", 1, { probeF(try ComputePool.withThreadCount(1) { d.converted(to: Float.self) }) }),
    ("Blockwise, all threads", c.threads, { probeF(d.converted(to: Float.self)) }),
  ])
  return rows
}
