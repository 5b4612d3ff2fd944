import CBlockwiseKernels
import Foundation
import Testing

@testable import Blockwise

// The exact bits of reductions, spline sums and expression results, per
// kernel path, recorded in data/golden-bits.json before the kernels were
// reorganised (one dispatch table, one kernel source per operation): the
// rework must not change a single bit on a path that already existed.
// `make golden-bits` re-records the file (only for a deliberate change of
// results, said so in the commit).

/// Seeded values in [lo, hi].
func goldenValues<E: NDArrayScalar>(_: E.Type, _ n: Int, _ lo: Double, _ hi: Double, seed: UInt64) -> NDArray<E> {
  var g = SeededGenerator(seed: seed)
  return NDArray((0..<n).map { _ in E(Double.random(in: lo...hi, using: &g)) })
}

func bits<E: NDArrayScalar>(_ v: E) -> String {
  if let d = v as? Double { return String(d.bitPattern, radix: 16) }
  return String((v as! Float).bitPattern, radix: 16)
}

/// Every golden case on the calling thread's kernel path: name -> bits.
func goldenCases() throws -> [String: [String]] {
  var out: [String: [String]] = [:]
  // Sizes around the reduction leaf (4096), the exp chunk (32) and
  // expression chunks (2048).
  let sizes = [1, 7, 31, 32, 33, 2047, 2048, 2049, 4095, 4096, 4097, 8191, 8192, 8193, 3 * 4096 + 5, 20_011]
  func reductions<E: NDArrayScalar>(_: E.Type, _ label: String) throws {
    for (k, n) in sizes.enumerated() {
      let a = goldenValues(E.self, n, -20, 20, seed: UInt64(100 + k))
      out["\(label) sum n=\(n)"] = [bits(a.sum())]
      out["\(label) sumExp n=\(n)"] = [bits(a.sumExp())]
      out["\(label) logSumExp n=\(n)"] = [bits(a.logSumExp())]
      out["\(label) min n=\(n)"] = [bits(try a.min())]
      out["\(label) max n=\(n)"] = [bits(try a.max())]
    }
    let m = try NDArray(goldenValues(E.self, 513 * 37, -5, 5, seed: 7).scalars, shape: [513, 37])
    for axis in [0, 1] {
      out["\(label) sum axis \(axis)"] = try m.sum(axis: axis).scalars.map(bits)
      out["\(label) sumExp axis \(axis)"] = try m.sumExp(axis: axis).scalars.map(bits)
      out["\(label) logSumExp axis \(axis)"] = try m.logSumExp(axis: axis).scalars.map(bits)
      out["\(label) max axis \(axis)"] = try m.max(axis: axis).scalars.map(bits)
    }
    out["\(label) exp"] = goldenValues(E.self, 37, -740, 710, seed: 9).exp().scalars.map(bits)
  }
  try reductions(Double.self, "double")
  try reductions(Float.self, "float")

  func splines<E: NDArrayScalar>(_: E.Type, _ label: String) throws {
    let x = NDArray<E>((0..<50).map { E(Double($0) * 0.1) })
    let y = NDArray<E>((0..<40).map { E(Double($0) * 0.2 - 1) })
    let z = try NDArray(goldenValues(E.self, 3 * 50 * 40, -1, 1, seed: 11).scalars, shape: [3, 50, 40])
    let one = try NDArray(z.scalars.prefix(50 * 40).map { $0 }, shape: [50, 40])
    let bilinear = try BilinearSpline(x: x, y: y, values: one)
    let stack = try BilinearSplineStack(x: x, y: y, values: z)
    let cubic = try BivariateSpline(x: x, y: y, values: one)
    let cubicStack = try BivariateSplineStack(x: x, y: y, values: z)
    for n in [255, 256, 257, 1023, 1024, 1025, 8193, 20_011] {
      let px = goldenValues(E.self, n, -0.5, 5.5, seed: UInt64(n))
      let py = goldenValues(E.self, n, -1.5, 7.5, seed: UInt64(n + 1))
      out["\(label) bilinear sumExp n=\(n)"] = [bits(try bilinear.sumExp(x: px, y: py))]
      out["\(label) stack sumExp n=\(n)"] = [bits(try stack.sumExp(x: px, y: py))]
      out["\(label) stack sumExpPerSpline n=\(n)"] = try stack.sumExpPerSpline(x: px, y: py).scalars.map(bits)
      out["\(label) bicubic sumExp n=\(n)"] = [bits(try cubic.sumExp(x: px, y: py))]
      out["\(label) bicubic stack sumExp n=\(n)"] = [bits(try cubicStack.sumExp(x: px, y: py))]
    }
    let px = goldenValues(E.self, 41, -0.5, 5.5, seed: 1)
    let py = goldenValues(E.self, 41, -1.5, 7.5, seed: 2)
    out["\(label) bilinear evaluate"] = try bilinear.evaluate(x: px, y: py).scalars.map(bits)
    out["\(label) stack evaluate"] = try stack.evaluate(x: px, y: py).scalars.map(bits)
    out["\(label) bicubic evaluate"] = try cubic.evaluate(x: px, y: py).scalars.map(bits)
  }
  try splines(Double.self, "double")
  try splines(Float.self, "float")

  func expressions<E: NDArrayScalar>(_: E.Type, _ label: String) throws {
    let e = try Blockwise.Expression<E>("exp(-x*x/2) * cos(3*y) + log1p(x*x) - where(x > y, sqrt(abs(y)), x**3)")
    for n in [33, 2047, 2048, 2049, 4097, 9000] {
      let x = goldenValues(E.self, n, -3, 3, seed: UInt64(3 * n)), y = goldenValues(E.self, n, -3, 3, seed: UInt64(3 * n + 1))
      let inputs = ["x": x, "y": y]
      out["\(label) expression sum n=\(n)"] = [bits(try e.sum(inputs))]
      out["\(label) expression sumExp n=\(n)"] = [bits(try e.sumExp(inputs))]
      out["\(label) expression logSumExp n=\(n)"] = [bits(try e.logSumExp(inputs))]
      out["\(label) expression min n=\(n)"] = [bits(try e.min(inputs))]
    }
    let x = goldenValues(E.self, 67, -3, 3, seed: 5), y = goldenValues(E.self, 67, -3, 3, seed: 6)
    out["\(label) expression evaluate"] = try e.evaluate(["x": x, "y": y]).scalars.map(bits)
  }
  try expressions(Double.self, "double")
  try expressions(Float.self, "float")
  return out
}

@Suite("Golden bits: results unchanged on every existing kernel path")
struct GoldenBitsTests {
  @Test func reproduced() throws {
    let fixture = try Fixtures.json("golden-bits.json")
    var checked: [String] = []
    try withEachKernelPath { path in
      guard let expected = fixture[path] as? [String: [String]] else {
        // A path newer than the fixture (its bits are checked against the
        // generic path's where determinism promises them, elsewhere).
        return
      }
      let got = try goldenCases()
      #expect(got.count == expected.count, "\(path): \(got.count) cases, fixture has \(expected.count)")
      #expect(expected.count >= 50)
      for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
        #expect(got[name] == want, "\(path) \(name): bits changed, \(got[name] ?? []) vs \(want)")
      }
      checked.append(path)
    }
    print("golden bits: \(checked.joined(separator: ", ")) reproduced")
  }

  /// `make golden-bits` sets BLOCKWISE_GOLDEN_WRITE to re-record the file,
  /// and BLOCKWISE_GOLDEN_PATHS (comma-separated) to re-record only those
  /// paths. Paths not re-recorded (or not run on this CPU) keep their bits.
  @Test func record() throws {
    let env = ProcessInfo.processInfo.environment
    guard let path = env["BLOCKWISE_GOLDEN_WRITE"] else { return }
    let only = env["BLOCKWISE_GOLDEN_PATHS"].flatMap { $0.isEmpty ? nil : Set($0.split(separator: ",").map(String.init)) }
    var all: [String: Any] = [:]
    if let old = try? Data(contentsOf: URL(fileURLWithPath: path)),
      let json = try JSONSerialization.jsonObject(with: old) as? [String: Any]
    {
      all = json
    }
    try withEachKernelPath { isa in
      if only == nil || only!.contains(isa) { all[isa] = try goldenCases() }
    }
    let data = try JSONSerialization.data(withJSONObject: all, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: path))
    print("golden bits written to \(path) for \(all.keys.sorted())")
  }
}
