import Foundation
import Testing

@testable import Blockwise

/// The README's examples and the doc-comment examples, compiled and run, so
/// none of them drifts from the API.
@Suite("Documentation examples compile and run")
struct DocumentationExamplesTests {
  @Test func readmeArrays() throws {
    // Smaller than the README's sizes; the same calls.
    let a = try NDArray<Double>.uniform([100, 1000], in: 0..<1, seed: 42)
    let z = try NDArray<Double>.normal([3, 4], mean: 0, standardDeviation: 1, seed: 7)
    let x = try NDArray<Double>.linspace(0, 1, count: 101)
    let r = try NDArray<Double>.arange(start: 0, stop: 10, step: 0.5)
    let o = try NDArray<Float>.ones([2, 3]), f = try NDArray<Float>.full([4], value: 0.5)
    let colSums = try a.sum(axis: 0)
    let rowLSE = try a.logSumExp(axis: -1, keepingDimension: true)
    let means = try a.mean(axis: 1), peaks = try a.max(axis: 0)
    let v = try NDArray<Double>.uniform([1000], in: 0..<1, seed: 1)
    var centred = try a - v
    try centred *= centred
    let t = a.transposed()
    let p = try z.expandedDimensions(at: 0).permuted(axes: [2, 0, 1])
    let cut = try a.slice(axis: 1, 10..<20)
    let flat = try a.reshaped([-1]), both = try NDArray.concatenate([a, a], axis: 0)
    let pair = try NDArray.stack([x, x], axis: 1)
    let single = a.converted(to: Float.self)
    let m = try NDArray<Double>.uniform([4, 4], in: 0..<1, seed: 3) + (try NDArray<Double>.ones([4]) * 4)
    let sol = try m.solve(NDArray([1, 2, 3, 4]))
    let prod = try m.matmul(m)
    #expect(colSums.shape == [1000] && rowLSE.shape == [100, 1] && means.shape == [100] && peaks.shape == [1000])
    #expect(r.count == 20 && o.count == 6 && f.count == 4 && x.count == 101)
    #expect(t.shape == [1000, 100] && p.shape == [4, 1, 3] && cut.shape == [100, 10])
    #expect(flat.shape == [100_000] && both.shape == [200, 1000] && pair.shape == [101, 2])
    #expect(single.shape == a.shape && centred.shape == a.shape && sol.shape == [4] && prod.shape == [4, 4])
    #expect(a[rows: 0..<5, columns: 10..<20] == (try cut.rows(0..<5).reshaped([5, 10])))
    // Slicing by ranges and the collection view.
    let rows = a[10..<20]
    let part = a[3, 0..<5], column = a[.all, 7]
    let element = a[3, 7]
    let checked = try a.element(at: [3, 7])
    var count = 0
    for value in x { count += value >= 0 ? 1 : 0 }
    let values = Array(x), total = x.reduce(0, +)
    #expect(rows.shape == [10, 1000] && part.shape == [5] && column.shape == [100] && element == a[3, 7] && checked == element)
    #expect(count == 101 && values == x.scalars && Swift.abs(total - 50.5) < 1e-12)
  }

  @Test func readmeSmoothSplines() throws {
    let xAxis = try NDArray<Double>.linspace(0, 10, count: 12), yAxis = try NDArray<Double>.linspace(-1, 1, count: 9)
    let z = try NDArray<Double>.uniform([12, 9], in: 0..<1, seed: 5)
    let xi = try NDArray<Double>.uniform([300], in: 0..<10, seed: 6)
    let yi = try NDArray<Double>.uniform([300], in: -1..<1, seed: 7)
    let s = try BivariateSpline(x: xAxis, y: yAxis, values: z)
    let v = try s.evaluate(x: xi, y: yi)
    let slope = try s.evaluate(x: xi, y: yi, derivative: (x: 1, y: 0))
    let mass = try s.integral(x: 0...10, y: -1...1)
    let quintic = try BivariateSpline(x: xAxis, y: yAxis, values: z, degree: (5, 5))
    let axis = try NDArray<Double>.linspace(0, 10, count: 12)
    let z3 = try NDArray<Double>.uniform([4, 12, 12], in: 0..<1, seed: 8)
    let stack = try BivariateSplineStack(x: axis, y: axis, values: z3)
    let total = try stack.sumExp(x: xi, y: xi)
    #expect(v.shape == [300] && slope.shape == [300] && mass.isFinite && quintic.degree.x == 5)
    #expect(total > 0 && total.isFinite)
  }

  @Test func readmeFiles() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let source = try NDArray<Double>.uniform([200, 3], in: -1..<1, seed: 8)
    try source.write(npyFile: folder + "/weights.npy")
    try source.write(npyFile: folder + "/points.npy")
    try NDArray.writeNpz(["x": source], to: folder + "/data.npz")
    try "a,b\n1,2\n3,4\n".write(toFile: folder + "/table.csv", atomically: false, encoding: .utf8)

    let a = try NDArray<Double>(npyFile: folder + "/weights.npy")
    let big = try NDArray<Double>(mappingNpyFile: folder + "/points.npy")
    let s = big.sumExp()
    var head = big.rows(0..<10)
    head[0, 0] = 1
    try a.write(npyFile: folder + "/out.npy")
    let arrays = try NDArray<Double>.loadNpz(folder + "/data.npz")
    try NDArray.writeNpz(["x": a, "y": a], to: folder + "/out.npz", compressed: true)
    let npz = try NpzArchive(folder + "/data.npz")
    let x = try npz.array(named: "x", as: Float.self)
    let table = try NDArray<Double>(csvFile: folder + "/table.csv", skipHeader: true)

    #expect(a == source && arrays["x"] == source && x == source.converted(to: Float.self))
    #expect(abs(s - source.sumExp()) <= 1e-12 * s && head[0, 0] == 1 && big[0, 0] == source[0, 0])
    #expect(try NDArray<Double>.loadNpz(folder + "/out.npz") == ["x": a, "y": a])
    #expect(table.scalars == [1, 2, 3, 4] && table.shape == [2, 2])
  }

  @Test func docCommentExamples() throws {
    let mr = ComputePool.shared.mapReduce(
      count: 1_000_000, blockLength: 65_536, map: { r in r.filter { $0 % 2 == 0 }.count }, combine: +)
    #expect(mr == 500_000)
    let m = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(try m.sum(axis: 0).scalars == [5, 7, 9] && m.sum(axis: -1).scalars == [6, 15])
    #expect(try (m + NDArray([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
    #expect(m.transposed().scalars == [1, 4, 2, 5, 3, 6])
    let s = try NDArray<Double>((0..<12).map(Double.init), shape: [3, 4]).slice(axis: 1, 1..<3)
    #expect(s.scalars == [1, 2, 5, 6, 9, 10])
    #expect(try NDArray<Double>.arange(start: 0, stop: 1, step: 0.25).scalars == [0, 0.25, 0.5, 0.75])
    #expect(try NDArray<Double>.linspace(0, 1, count: 5).scalars == [0, 0.25, 0.5, 0.75, 1])
    #expect(try NDArray<Float>.zeros([1, 3, 1]).squeezed().shape == [3])
    #expect(try NDArray<Double>([1, 2, 3]).expandedDimensions(at: 0).shape == [1, 3])
    let rows = [NDArray<Double>([1, 2]), NDArray<Double>([3, 4])]
    #expect(try NDArray.stack(rows, axis: 1).scalars == [1, 3, 2, 4])
    let d = NDArray<Double>([0.1, 1e300, .nan])
    let f = NDArray<Float>(converting: d)
    #expect(f.scalars[0] == 0.1 && f.scalars[1] == .infinity && f.scalars[2].isNaN)
    #expect(try ComputePool.withThreadCount(1) { m.sum() } == 21)
  }
}

@Suite("Documentation examples: expressions and user kernels")
struct ExpressionDocumentationTests {
  @Test func expressionExamples() throws {
    let x = try NDArray<Double>.uniform([10_000], in: -2..<2, seed: 1)
    let y = try NDArray<Double>.uniform([10_000], in: -2..<2, seed: 2)
    // Expression's type documentation
    let e = try Blockwise.Expression<Double>("exp(-x*x/2) * cos(3*y) + log1p(x*x)")
    let values = try e.evaluate(["x": x, "y": y])
    let total = try e.sum(["x": x, "y": y])
    #expect(abs(total - values.sum()) <= 1e-12 * abs(total))
    // init(_:)
    let w = try Blockwise.Expression<Float>("where(x > 0, sqrt(x), -x**2)")
    #expect(w.variables == ["x"])
    // evaluate(_:)
    let two = try Blockwise.Expression<Double>("2*x + y")
    let r = try two.evaluate(["x": x, "y": try NDArray([1.5], shape: [])])
    #expect(r.scalars == x.scalars.map { 2 * $0 + 1.5 })
    // sum(_:)
    let s = try Blockwise.Expression<Double>("x*x*3 + 1").sum(["x": x])
    #expect(abs(s - x.scalars.reduce(0) { $0 + $1 * $1 * 3 + 1 }) < 1e-9)
    // variable(_:)
    let bx = Blockwise.Expression<Double>.variable("x")
    let built = exp(-bx * bx / 2) * 3 + 1
    #expect(try built.sum(["x": x]) == Blockwise.Expression<Double>("exp(-x*x/2)*3+1").sum(["x": x]))
  }

  @Test func userKernelExamples() throws {
    let n = 10_000
    let a = try NDArray<Double>.uniform([100, 50], in: 0..<1, seed: 3)
    // ComputePool.run(blocks:_:)
    ComputePool.shared.run(blocks: 8) { block, worker in _ = (block, worker) }
    // ComputePool.forEachBlock(count:blockLength:_:)
    let squares = try NDArray<Double>.zeros([1000]).updatingBlocks { out in
      for i in out.indices { out[i] = Double(i * i) }
    }
    #expect(squares[999] == 998_001)
    // forEachBlock(count:blockLength:perWorker:_:)
    let ids = (0..<n).map { $0 % 7 }
    let perWorker = ComputePool.shared.forEachBlock(count: ids.count, blockLength: 4096, perWorker: { [Int: Int]() }) {
      range, counts in
      for i in range { counts[ids[i], default: 0] += 1 }
    }
    let merged = perWorker.reduce(into: [:]) { $0.merge($1, uniquingKeysWith: +) }
    #expect(merged.values.reduce(0, +) == n)
    // parallelMapRows
    let lse = try ComputePool.shared.parallelMapRows(a) { row in row.logSumExp() }
    let centred = try ComputePool.shared.parallelMapRows(a) { row in try row - NDArray([try row.mean()], shape: []) }
    #expect(lse.count == 100 && centred.shape == [100, 50])
    // ArrayBlock
    let total = try #require(a.mapReduce { block in
      block.withUnsafeBufferPointer { p in p.reduce(0, +) }
    } combine: { $0 + $1 })
    #expect(abs(total - a.sum()) < 1e-10)
    // MutableArrayBlock / updateBlocks
    var y = try NDArray<Double>.zeros([n])
    y.updateBlocks { out in
      for i in out.indices { out[i] = Double(i).squareRoot() }
    }
    #expect(y[n - 1] == Double(n - 1).squareRoot())
    // NDArray.mapReduce(blockLength:)
    let fused = a.mapReduce(blockLength: 32_768) { block in
      block.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + ($1 * $1) * 3 + 1 } }
    } combine: { $0 + $1 }
    #expect(fused != nil)
    // mapBlocks(to:)
    let sq = a.mapBlocks(to: Double.self) { input, output in
      for i in input.indices { output[i] = input[i] * input[i] }
    }
    #expect(sq == (try a * a))
    // WorkerLocal
    let model = WorkerLocal { try NDArray<Double>.ones([10]) }
    var scores = try NDArray<Double>.zeros([n])
    try scores.updateBlocks(blockLength: 256) { out in
      try model.withValue { m in for i in out.indices { out[i] = m.sum() } }
    }
    #expect(scores.scalars.allSatisfy { $0 == 10 })
  }
}

@Suite("Array memory: huge pages and the buffer cache")
struct ArrayMemoryTests {
  @Test func largeBuffersAreReusedAndReleased() throws {
    guard ArrayMemory.cacheLimitBytes >= 64 << 20 else { return }
    var address: UnsafePointer<Double>? = nil
    do {
      // An unusual size (about 51 MiB), so that no other test's arrays
      // take or fill this cache slot while this test runs.
      let big = try NDArray<Double>.full([6_700_417], value: 1)
      address = big.withUnsafeBufferPointer { $0.baseAddress }
    }
    #expect(ArrayMemory.cachedBytes >= 6_700_417 * 8, "a freed large buffer is cached")
    // The next array of about that size reuses it, and is fully written.
    let again = try NDArray<Double>.zeros([6_700_000])
    #expect(again.withUnsafeBufferPointer { $0.baseAddress } == address)
    #expect(again.scalars.allSatisfy { $0 == 0 })
    ArrayMemory.releaseCache()
    #expect(ArrayMemory.cachedBytes < 6_700_000 * 8)
  }
}
