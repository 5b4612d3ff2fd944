import ArgumentParser
@_spi(KernelPaths) import Blockwise
import BlockwiseBaselines
import Foundation

// MARK: - W1: stack of bilinear splines, total of exp

/// W1's inputs, shared by W1 and W1-cubic (the same seeds, so both
/// workloads evaluate the same splines' data at the same points): knots
/// 0..<grid on both axes, `splines` grids of values in [0, 1), `points`
/// uniform points.
func w1Inputs(_ cmd: BlockwiseBench) -> (n: Int, g: Int, m: Int, axis: [Double], z: [Double], xs: [Double], ys: [Double]) {
  let n = cmd.splines, g = cmd.grid, m = cmd.points
  return (n, g, m, (0..<g).map(Double.init), uniformArray(n * g * g, 0, 1, seed: 11),
          uniformArray(m, 0, Double(g - 1), seed: 12), uniformArray(m, 0, Double(g - 1), seed: 13))
}

func workloadW1(_ c: Context) throws -> [Row] {
  let (n, g, m, axis, z, xs, ys) = w1Inputs(c.options)
  progress("W1: generated \(n) splines on \(g)x\(g), \(m) points")
  let scalarSplines = (0..<n).map { k in ScalarBilinear(x: axis, y: axis, z: Array(z[(k * g * g)..<((k + 1) * g * g)])) }
  let stack = try BilinearSplineStack(x: NDArray(axis), y: NDArray(axis), values: NDArray(z, shape: [n, g, g]))
  let px = NDArray(xs), py = NDArray(ys)
  let elements = Double(n * m)
  let title = "W1  \(n) bilinear splines on a \(g)x\(g) grid, \(m) points, sum of exp (elements = spline-points)"

  func row(_ variant: String, _ t: Int, tol: Double = 1e-12, scalar: (Double, Double)?, _ body: () throws -> Double) rethrows -> Row {
    try c.row("W1", variant, threads: t, elements: elements, bytes: Double(16 * m), exps: elements,
              tolerance: tol, scalar: scalar, body)
  }
  var rows: [Row] = []
  let scalar = row("scalar loop (Foundation.exp)", 1, scalar: nil) {
    ScalarLoop.splineSumExp(scalarSplines, x: xs, y: ys)
  }
  rows.append(scalar)
  let ref = (scalar.medianSeconds, scalar.result)
  rows.append(row("naive concurrentPerform per point", c.threads, scalar: ref) {
    NaivePerElement.splineSumExp(scalarSplines, x: xs, y: ys)
  })
  // Float: same data rounded to Float; checked against the scalar loop on
  // the rounded data (the rounding itself moves the total by ~1e-8).
  let zf = z.map { Float($0) }, xf = xs.map { Float($0) }, yf = ys.map { Float($0) }
  let stackF = try BilinearSplineStack(
    x: NDArray(axis.map { Float($0) }), y: NDArray(axis.map { Float($0) }), values: NDArray(zf, shape: [n, g, g]))
  let pxf = NDArray(xf), pyf = NDArray(yf)
  let roundedSplines = (0..<n).map { k in
    ScalarBilinear(x: axis, y: axis, z: zf[(k * g * g)..<((k + 1) * g * g)].map { Double($0) })
  }
  let floatRef = ScalarLoop.splineSumExp(roundedSplines, x: xf.map { Double($0) }, y: yf.map { Double($0) })
  let fref = (scalar.medianSeconds, floatRef)
  rows += try c.rows("W1", elements: elements, bytes: Double(16 * m), exps: elements, [
    Variant(name: "Blockwise, 1 thread", threads: 1, scalar: ref) {
      try ComputePool.withThreadCount(1) { try stack.sumExp(x: px, y: py) }
    },
    Variant(name: "Blockwise, all threads", threads: c.threads, scalar: ref) { try stack.sumExp(x: px, y: py) },
    Variant(name: "Blockwise Float, 1 thread", threads: 1, tolerance: 1e-6, scalar: fref) {
      Double(try ComputePool.withThreadCount(1) { try stackF.sumExp(x: pxf, y: pyf) })
    },
    Variant(name: "Blockwise Float, all threads", threads: c.threads, tolerance: 1e-6, scalar: fref) {
      Double(try stackF.sumExp(x: pxf, y: pyf))
    },
  ] + forcedAVX2Variants(c, ref: ref, fref: fref, double: { try stack.sumExp(x: px, y: py) },
                         float: { Double(try stackF.sumExp(x: pxf, y: pyf)) }))
  printTable(title: title, rows: rows)
  return rows
}

/// On a CPU whose best path is wider than AVX2 (AVX-512), the same
/// workload forced onto the AVX2 path in the same run, Double and Float,
/// so the gain of the wider path is a ratio from one stretch of time.
func forcedAVX2Variants(
  _ c: Context, ref: (Double, Double), fref: (Double, Double), double: @escaping () throws -> Double,
  float: @escaping () throws -> Double
) -> [Variant] {
  guard kernelISA != "avx2-fma", kernelPaths.contains(where: { $0.name == "avx2-fma" && $0.supported }) else {
    return []
  }
  return [
    Variant(name: "Blockwise, forced AVX2, all threads", threads: c.threads, scalar: ref) {
      try withKernelPath("avx2-fma", double)
    },
    Variant(name: "Blockwise Float, forced AVX2, all threads", threads: c.threads, tolerance: 1e-6, scalar: fref) {
      try withKernelPath("avx2-fma", float)
    },
  ]
}

// MARK: - W1-cubic: the same workload with bicubic splines

/// W1 with scipy's default degree (bicubic, `RectBivariateSpline(x, y, z)`),
/// timed round-robin with the bilinear W1 stack so the cost of the degree
/// is a ratio from one stretch of time.
func workloadW1Cubic(_ c: Context) throws -> [Row] {
  let (n, g, m, axis, z, xs, ys) = w1Inputs(c.options)
  progress("W1-cubic: fitting \(n) bicubic splines on \(g)x\(g), \(m) points")
  let values = try NDArray(z, shape: [n, g, g])
  let (fit, stack) = try timed { try BivariateSplineStack(x: NDArray(axis), y: NDArray(axis), values: values) }
  progress(String(format: "W1-cubic: fitted %d splines in %.1f ms", n, fit * 1000))
  let bilinear = try BilinearSplineStack(x: NDArray(axis), y: NDArray(axis), values: values)
  // The scalar loop evaluates the fitted coefficients with its own de Boor
  // recursion (no Blockwise kernel code).
  let scalarSplines = try (0..<n).map { k in
    let s = try stack.spline(k)
    return ScalarBSpline(tx: s.knotsX, ty: s.knotsY, kx: 3, ky: 3, c: s.coefficients)
  }
  let px = NDArray(xs), py = NDArray(ys)
  let elements = Double(n * m)
  let title = "W1-cubic  \(n) bicubic splines on a \(g)x\(g) grid, \(m) points, sum of exp (elements = spline-points)"
  var rows: [Row] = []
  let scalar = c.row("W1-cubic", "scalar loop (de Boor, Foundation.exp)", threads: 1, elements: elements,
                     bytes: Double(16 * m), exps: elements, tolerance: 1e-12, scalar: nil) {
    ScalarLoop.splineSumExp(scalarSplines, x: xs, y: ys)
  }
  rows.append(scalar)
  let ref = (scalar.medianSeconds, scalar.result)
  let zf = z.map { Float($0) }
  let stackF = try BivariateSplineStack(
    x: NDArray(axis.map { Float($0) }), y: NDArray(axis.map { Float($0) }), values: NDArray(zf, shape: [n, g, g]))
  let pxf = NDArray(xs.map { Float($0) }), pyf = NDArray(ys.map { Float($0) })
  rows += try c.rows("W1-cubic", elements: elements, bytes: Double(16 * m), exps: elements, [
    Variant(name: "Blockwise bicubic, 1 thread", threads: 1, scalar: ref) {
      try ComputePool.withThreadCount(1) { try stack.sumExp(x: px, y: py) }
    },
    Variant(name: "Blockwise bicubic, all threads", threads: c.threads, scalar: ref) { try stack.sumExp(x: px, y: py) },
    // The bilinear W1 in the same round-robin: the bicubic/bilinear ratio
    // (a reference, so the summary does not take it for W1-cubic's time).
    Variant(name: "reference: bilinear W1, all threads", threads: c.threads, tolerance: .infinity, scalar: nil) {
      try bilinear.sumExp(x: px, y: py)
    },
    // Float data: the rounding moves the total by ~1e-7 relative.
    Variant(name: "Blockwise bicubic Float, all threads", threads: c.threads, tolerance: 1e-5, scalar: ref) {
      Double(try stackF.sumExp(x: pxf, y: pyf))
    },
  ])
  printTable(title: title, rows: rows)
  if let cubic = rows.first(where: { $0.variant == "Blockwise bicubic, all threads" }),
     let linear = rows.first(where: { $0.variant == "reference: bilinear W1, all threads" }) {
    print(String(format: "W1-cubic / W1 (same run, all threads): %.2fx (target <= 3x)", cubic.medianSeconds / linear.medianSeconds))
  }
  return rows
}

// MARK: - W2: logSumExp of every row

func workloadW2(_ c: Context) throws -> [Row] {
  let cmd = c.options
  var rows: [Row] = []
  for cols in cmd.rowLengths.split(separator: ",").compactMap({ Int($0) }) {
    let r = cmd.rows
    progress("W2: generating \(r) x \(cols)")
    let a = try NDArray(uniformArray(r * cols, -10, 10, seed: UInt64(cols)), shape: [r, cols])
    let elements = Double(r * cols)
    let name = "W2 \(r)x\(cols)"
    func row(_ variant: String, _ t: Int, scalar: (Double, [Double])?, _ body: () -> [Double]) -> Row {
      // Each variant yields the 1000 results; the row is judged on the worst
      // relative difference to the scalar loop, and reports their sum.
      var worst = 0.0
      var out = c.row(name, variant, threads: t, elements: elements, bytes: 8 * elements, exps: elements,
                      tolerance: .infinity, scalar: scalar.map { ($0.0, $0.1.reduce(0, +)) }) {
        let v = body()
        if let ref = scalar?.1 {
          worst = zip(v, ref).map { abs($0 - $1) / max(abs($1), .leastNormalMagnitude) }.max() ?? 0
        }
        return v.reduce(0, +)
      }
      out.relativeErrorVsScalar = worst
      out.passed = worst <= 1e-12 && out.result.isFinite
      return out
    }
    var scalarValues: [Double] = []
    let scalar = row("scalar loop (Foundation.exp)", 1, scalar: nil) {
      scalarValues = a.withUnsafeBufferPointer { p in
        (0..<r).map { i in ScalarLoop.logSumExp(UnsafeBufferPointer(rebasing: p[(i * cols)..<((i + 1) * cols)])) }
      }
      return scalarValues
    }
    var group = [scalar]
    let ref = (scalar.medianSeconds, scalarValues)
    group.append(row("naive concurrentPerform per row", c.threads, scalar: ref) {
      a.withUnsafeBufferPointer { NaivePerElement.rowsLogSumExp($0.baseAddress!, rows: r, cols: cols) }
    })
    // Each variant keeps its own worst relative difference to the scalar loop.
    final class Worst { var value = 0.0 }
    let worst1 = Worst(), worstAll = Worst()
    func judged(_ w: Worst, _ body: @escaping () throws -> [Double]) -> () throws -> Double {
      {
        let v = try body()
        w.value = zip(v, scalarValues).map { abs($0 - $1) / max(abs($1), .leastNormalMagnitude) }.max() ?? 0
        return v.reduce(0, +)
      }
    }
    var blockwise = try c.rows(name, elements: elements, bytes: 8 * elements, exps: elements, [
      Variant(name: "Blockwise parallelMapRows, 1 thread", threads: 1, tolerance: .infinity,
              scalar: (ref.0, ref.1.reduce(0, +)),
              body: judged(worst1) { try ComputePool.withThreadCount(1) { try ComputePool.shared.parallelMapRows(a) { $0.logSumExp() } } }),
      Variant(name: "Blockwise parallelMapRows, all threads", threads: c.threads, tolerance: .infinity,
              scalar: (ref.0, ref.1.reduce(0, +)),
              body: judged(worstAll) { try ComputePool.shared.parallelMapRows(a) { $0.logSumExp() } }),
    ])
    for (i, w) in [worst1, worstAll].enumerated() {
      blockwise[i].relativeErrorVsScalar = w.value
      blockwise[i].passed = w.value <= 1e-12 && blockwise[i].result.isFinite
    }
    group += blockwise
    printTable(title: "\(name): logSumExp of each row, zero-copy row views", rows: group)
    rows += group
  }
  return rows
}

// MARK: - W3: ((x*x)*3)+1 then sum, unfused vs fused

func workloadW3(_ c: Context) throws -> [Row] {
  let cmd = c.options
  let dims = cmd.arrayShape.split(separator: "x").compactMap { Int($0) }
  guard dims.count == 2 else { throw ValidationError("--array-shape must look like 500x2000") }
  let k = cmd.arrays, per = dims[0] * dims[1]
  progress("W3: generating \(k) arrays of \(dims[0])x\(dims[1])")
  let arrays = try (0..<k).map { i in try NDArray(uniformArray(per, -1, 1, seed: 1000 + UInt64(i)), shape: dims) }
  let elements = Double(k * per)
  let name = "W3"
  func row(_ variant: String, _ t: Int, scalar: (Double, Double)?, _ body: () throws -> Double) rethrows -> Row {
    try c.row(name, variant, threads: t, elements: elements, bytes: 8 * elements, exps: 0, tolerance: 1e-12,
              scalar: scalar, body)
  }
  // Hand-fused: one pass per block through the library's safe block views
  // (no pointer code here); the closure is concrete Double code, so the
  // compiler vectorises it.
  func handFused(_ a: NDArray<Double>) -> Double {
    a.mapReduce(blockLength: 32_768, { block in
      block.withUnsafeBufferPointer { p in
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= p.count {
          s0 += (p[i] * p[i]) * 3 + 1; s1 += (p[i + 1] * p[i + 1]) * 3 + 1
          s2 += (p[i + 2] * p[i + 2]) * 3 + 1; s3 += (p[i + 3] * p[i + 3]) * 3 + 1
          i += 4
        }
        while i < p.count { s0 += (p[i] * p[i]) * 3 + 1; i += 1 }
        return (s0 + s1) + (s2 + s3)
      }
    }, combine: +) ?? 0
  }
  let pipeline = try Blockwise.Expression<Double>("((x*x)*3)+1")
  func expressionSum(_ a: NDArray<Double>) throws -> Double { try pipeline.sum(["x": a]) }
  var rows: [Row] = []
  let scalar = row("scalar loop", 1, scalar: nil) {
    arrays.reduce(0.0) { acc, a in acc + a.withUnsafeBufferPointer { ScalarLoop.squareAffineSum($0) } }
  }
  rows.append(scalar)
  let ref = (scalar.medianSeconds, scalar.result)
  rows.append(row("naive concurrentPerform per element", c.threads, scalar: ref) {
    arrays.reduce(0.0) { acc, a in acc + a.withUnsafeBufferPointer { NaivePerElement.mapSum($0) { ($0 * $0) * 3 + 1 } } }
  })
  rows.append(try row("Blockwise unfused (3 temporaries), all threads", c.threads, scalar: ref) {
    try arrays.reduce(0.0) { acc, a in acc + ((try a * a) * 3 + 1).sum() }
  })
  rows += try c.rows(name, elements: elements, bytes: 8 * elements, exps: 0, [
    Variant(name: "Blockwise hand-fused blocks, 1 thread", threads: 1, scalar: ref) {
      try ComputePool.withThreadCount(1) { arrays.reduce(0.0) { $0 + handFused($1) } }
    },
    Variant(name: "Blockwise hand-fused blocks, all threads", threads: c.threads, scalar: ref) {
      arrays.reduce(0.0) { $0 + handFused($1) }
    },
    Variant(name: "Blockwise Expression sum, 1 thread", threads: 1, scalar: ref) {
      try ComputePool.withThreadCount(1) { try arrays.reduce(0.0) { $0 + (try expressionSum($1)) } }
    },
    Variant(name: "Blockwise Expression sum, all threads", threads: c.threads, scalar: ref) {
      try arrays.reduce(0.0) { $0 + (try expressionSum($1)) }
    },
  ])
  printTable(title: "W3  \(k) arrays of \(dims[0])x\(dims[1]): ((x*x)*3)+1 then sum", rows: rows)
  let best = rows.filter { $0.threads == c.threads && $0.variant.hasPrefix("Blockwise") }
  if let e = best.first(where: { $0.variant.contains("Expression") }), let h = best.first(where: { $0.variant.contains("hand-fused") }) {
    print(String(format: "Expression / hand-fused (all threads, same run): %.2fx", e.medianSeconds / h.medianSeconds))
  }
  return rows
}

// MARK: - W4: sumExp and logSumExp over one big array

func workloadW4(_ c: Context) throws -> [Row] {
  let cmd = c.options
  let n = cmd.reductionCount
  progress("W4: generating \(n) Doubles")
  let a = NDArray(uniformArray(n, -10, 10, seed: 44))
  let elements = Double(n)
  var rows: [Row] = []
  for op in ["sumExp", "logSumExp"] {
    let name = "W4 \(op)"
    func row(_ variant: String, _ t: Int, scalar: (Double, Double)?, _ body: () throws -> Double) rethrows -> Row {
      try c.row(name, variant, threads: t, elements: elements, bytes: 8 * elements, exps: elements, tolerance: 1e-12,
            scalar: scalar, body)
    }
    let isSum = op == "sumExp"
    let scalar = row("scalar loop (Foundation.exp)", 1, scalar: nil) {
      a.withUnsafeBufferPointer { isSum ? ScalarLoop.sumExp($0) : ScalarLoop.logSumExp($0) }
    }
    var group = [scalar]
    let ref = (scalar.medianSeconds, scalar.result)
    group.append(row("naive concurrentPerform per element", c.threads, scalar: ref) {
      a.withUnsafeBufferPointer { p in
        if isSum { return NaivePerElement.mapSum(p) { Foundation.exp($0) } }
        var m = -Double.infinity
        for v in p { m = max(m, v) }
        let shift = m
        return shift + Foundation.log(NaivePerElement.mapSum(p) { Foundation.exp($0 - shift) })
      }
    })
    // The in-cache rate, timed round-robin with the big array, so "within
    // 1.3x of the exp rate" compares figures from the same stretch of time:
    // the same number of elements as one 4096-element array summed again
    // and again (results differ from the big array's, so not checked).
    let small = NDArray(uniformArray(4096, -10, 10, seed: 45))
    let smallRepeats = max(n / 4096, 1)
    var variants = [
      Variant(name: "Blockwise, 1 thread", threads: 1, scalar: ref) {
        try ComputePool.withThreadCount(1) { isSum ? a.sumExp() : a.logSumExp() }
      },
      Variant(name: "Blockwise, all threads", threads: c.threads, scalar: ref) { isSum ? a.sumExp() : a.logSumExp() },
    ]
    if isSum {
      variants.append(Variant(name: "reference: 4096 in cache, again and again", threads: 1, scalar: nil) {
        try ComputePool.withThreadCount(1) {
          (0..<smallRepeats).reduce(0.0) { acc, _ in acc + small.sumExp() } * Double(n) / Double(smallRepeats * 4096)
        }
      })
    }
    group += try c.rows(name, elements: elements, bytes: 8 * elements, exps: elements, variants)
    printTable(title: "W4  \(op) over \(n) Doubles", rows: group)
    rows += group
  }
  return rows
}
