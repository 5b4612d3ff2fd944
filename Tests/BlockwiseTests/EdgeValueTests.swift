import CBlockwiseKernels
import Foundation
import Testing

@_spi(KernelPaths) @testable import Blockwise

// Every elementwise function at the edges of its domain, on every kernel
// path this CPU has, against data/edges.json (mpmath at 60 digits for
// finite results, the IEEE / C99 value for the rest; made by
// Fixtures/make_edge_fixtures.py). Float80 holds the references, so the
// table runs on x86_64; other architectures run the same edges in the C
// harness of `make test-aarch64`.
#if arch(x86_64)

nonisolated(unsafe) let edgeFixtures: [String: Any] = try! Fixtures.json("edges.json")

/// The element types' path-explicit kernels.
protocol EdgeScalar: NDArrayScalar {
  static var label: String { get }
  static func op(_ path: Int32, _ op: Int32, _ n: Int, _ y: UnsafeMutablePointer<Self>,
                 _ a: UnsafePointer<Self>, _ aStride: Int, _ b: UnsafePointer<Self>, _ bStride: Int)
  static func exp(_ path: Int32, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
}

extension Double: EdgeScalar {
  static var label: String { "double" }
  static func op(_ path: Int32, _ op: Int32, _ n: Int, _ y: UnsafeMutablePointer<Double>,
                 _ a: UnsafePointer<Double>, _ aStride: Int, _ b: UnsafePointer<Double>, _ bStride: Int) {
    bw_expr_op_f64_on(path, op, n, y, a, aStride, b, bStride, a, 0)
  }
  static func exp(_ path: Int32, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
    bw_exp_f64_on(path, x, y, n)
  }
}

extension Float: EdgeScalar {
  static var label: String { "float" }
  static func op(_ path: Int32, _ op: Int32, _ n: Int, _ y: UnsafeMutablePointer<Float>,
                 _ a: UnsafePointer<Float>, _ aStride: Int, _ b: UnsafePointer<Float>, _ bStride: Int) {
    bw_expr_op_f32_on(path, op, n, y, a, aStride, b, bStride, a, 0)
  }
  static func exp(_ path: Int32, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    bw_exp_f32_on(path, x, y, n)
  }
}

/// The kernel paths this CPU runs, and the names of those it cannot.
func kernelPaths() -> (run: [(Int32, String)], notRun: [String]) {
  var run: [(Int32, String)] = [], notRun: [String] = []
  for p in 0..<Int32(BW_PATH_COUNT.rawValue) {
    let name = String(cString: bw_path_name(p))
    if bw_path_supported(p) != 0 { run.append((p, name)) } else { notRun.append(name) }
  }
  return (run, notRun)
}

struct EdgeRow<E: EdgeScalar> {
  let inputs: [E]
  let special: E?
  let exact: Float80?

  init(_ row: [String: Any]) {
    inputs = (row["in"] as! [String]).map { E(Double($0)!) }
    special = (row["special"] as? String).map { E(Double($0)!) }
    exact = (row["exact"] as? String).map { Float80($0)! }
  }

  /// The error of `got` in ulps (0 for a matching special value, infinity
  /// for a mismatching one).
  func error(_ got: E) -> Double {
    if let s = special { return sameBits([got], [s]) ? 0 : .infinity }
    return ulpError(got, reference: exact!)
  }
}

@Suite("Edge values: every function, every path, against mpmath")
struct EdgeValueTests {
  /// The documented bound of each function, in ulps of the exact value.
  func bound(_ name: String) -> Double {
    ExpressionOp.named(name)!.ulpBound
  }

  func rows<E: EdgeScalar>(_: E.Type, _ name: String) -> [EdgeRow<E>] {
    let table = edgeFixtures[E.label] as! [String: Any]
    return (table[name] as! [[String: Any]]).map(EdgeRow<E>.init)
  }

  func check<E: EdgeScalar>(_: E.Type) throws {
    let table = edgeFixtures[E.label] as! [String: Any]
    let (paths, notRun) = kernelPaths()
    var report: [String] = []
    for name in table.keys.sorted() {
      let rows = rows(E.self, name)
      #expect(rows.count >= 100, "\(name): \(rows.count) edge inputs")
      let op = ExpressionOp.named(name)!
      let arity = rows[0].inputs.count
      let a = rows.map { $0.inputs[0] }
      let b = arity == 2 ? rows.map { $0.inputs[1] } : a
      for (path, pathName) in paths {
        // Contiguous operands (vector bodies and tails), then each value as
        // a broadcast operand (the scalar path of every kernel).
        var y = [E](repeating: 0, count: rows.count)
        y.withUnsafeMutableBufferPointer { yp in
          E.op(path, op.rawValue, rows.count, yp.baseAddress!, a, 1, b, 1)
        }
        var worst = 0.0
        for (k, row) in rows.enumerated() {
          let err = row.error(y[k])
          worst = Swift.max(worst, err)
          #expect(err <= op.ulpBound,
                  "\(E.label) \(name)\(row.inputs) on \(pathName): \(y[k]) is \(err) ulp from \(row.special.map { "\($0)" } ?? "\(row.exact!)")")
          var single = [E](repeating: 0, count: 3)
          single.withUnsafeMutableBufferPointer { yp in
            E.op(path, op.rawValue, 3, yp.baseAddress!, [a[k]], 0, [b[k]], 0)
          }
          #expect(sameBits(single, [y[k], y[k], y[k]]) || row.error(single[0]) <= op.ulpBound,
                  "\(E.label) \(name)\(row.inputs) broadcast on \(pathName): \(single[0])")
        }
        report.append("\(name) \(pathName) \(String(format: "%.2f", worst))")
        if name == "exp" {
          // The array kernel behind NDArray.exp (its own code, not the expression table's).
          var z = [E](repeating: 0, count: rows.count)
          z.withUnsafeMutableBufferPointer { zp in E.exp(path, a, zp.baseAddress!, rows.count) }
          for (k, row) in rows.enumerated() {
            #expect(row.error(z[k]) <= op.ulpBound, "\(E.label) NDArray.exp(\(a[k])) on \(pathName): \(z[k])")
          }
        }
      }
    }
    print("edge values (\(E.label)), worst ulp per function and path: \(report.joined(separator: "; "))")
    if !notRun.isEmpty { print("edge values: kernel paths not run on this CPU: \(notRun.joined(separator: ", "))") }
  }

  @Test func doubleEdges() throws { try check(Double.self) }
  @Test func floatEdges() throws { try check(Float.self) }

  /// The same edges through the public API (parser, folding, the program
  /// executor), on every kernel path.
  func checkPublic<E: EdgeScalar>(_: E.Type) throws {
    try withEachKernelPath { _ in try checkPublicOnThisPath(E.self) }
  }

  func checkPublicOnThisPath<E: EdgeScalar>(_: E.Type) throws {
    let table = edgeFixtures[E.label] as! [String: Any]
    for name in table.keys.sorted() {
      let rows = rows(E.self, name)
      let binary = rows[0].inputs.count == 2
      let source = name == "pow" ? "x ** y" : binary ? "\(name)(x, y)" : "\(name)(x)"
      let e = try Blockwise.Expression<E>(source)
      var inputs = ["x": NDArray(rows.map { $0.inputs[0] })]
      if binary { inputs["y"] = NDArray(rows.map { $0.inputs[1] }) }
      let got = try e.evaluate(inputs).scalars
      let bound = bound(name)
      for (k, row) in rows.enumerated() {
        #expect(row.error(got[k]) <= bound, "\(E.label) \(source) at \(row.inputs) (\(kernelISA)): \(got[k])")
      }
      if name == "exp" {
        let z = NDArray(rows.map { $0.inputs[0] }).exp().scalars
        for (k, row) in rows.enumerated() {
          #expect(row.error(z[k]) <= bound, "\(E.label) NDArray.exp(\(row.inputs[0])) (\(kernelISA)): \(z[k])")
        }
      }
    }
  }

  @Test func publicDoubleEdges() throws { try checkPublic(Double.self) }
  @Test func publicFloatEdges() throws { try checkPublic(Float.self) }

  /// The two defects this table was made for, as a user meets them.
  @Test func powAndLog1pNearOverflow() throws {
    let p = try Blockwise.Expression<Double>("x ** y")
    let r = try p.evaluate(["x": NDArray([0x1p512]), "y": NDArray([(2.0 as Double).nextDown])]).scalars[0]
    #expect(r.isFinite && r > Double.greatestFiniteMagnitude / 2, "2^512 ** 2.nextDown = \(r)")
    let l = try Blockwise.Expression<Double>("log1p(x*x)")
    for x in [NDArray([1.3e154]), try NDArray([1.3e154], shape: [])] {
      let v = try l.evaluate(["x": x]).scalars[0]
      #expect(Swift.abs(v - 709.72093717110134) < 1e-12, "log1p(x*x) at 1.3e154: \(v)")
    }
    let lf = try Blockwise.Expression<Float>("log1p(x*x)")
    for x in [NDArray<Float>([1.8e19]), try NDArray<Float>([1.8e19], shape: [])] {
      let v = try lf.evaluate(["x": x]).scalars[0]
      #expect(Swift.abs(v - 88.673805) < 1e-4, "Float log1p(x*x) at 1.8e19: \(v)")
    }
  }
}

#endif
