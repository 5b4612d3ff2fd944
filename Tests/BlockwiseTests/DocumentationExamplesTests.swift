import Testing

@testable import Blockwise

/// The README's examples and the doc-comment examples, compiled and run, so
/// none of them drifts from the API.
@Suite("Documentation examples compile and run")
struct DocumentationExamplesTests {
  @Test func readmeArrays() throws {
    // Smaller than the README's sizes; the same calls.
    let a = try NDArray<Double>.uniform(shape: [100, 1000], in: 0..<1, seed: 42)
    let z = try NDArray<Double>.normal(shape: [3, 4], mean: 0, standardDeviation: 1, seed: 7)
    let x = try NDArray<Double>.linspace(0, 1, count: 101)
    let r = try NDArray<Double>.arange(start: 0, stop: 10, step: 0.5)
    let o = try NDArray<Float>.ones([2, 3]), f = try NDArray<Float>.full([4], value: 0.5)
    let colSums = try a.sum(axis: 0)
    let rowLSE = try a.logSumExp(axis: -1, keepingDimension: true)
    let means = try a.mean(axis: 1), peaks = try a.max(axis: 0)
    let v = try NDArray<Double>.uniform(shape: [1000], in: 0..<1, seed: 1)
    var centred = try a - v
    try centred *= centred
    let t = a.transposed()
    let p = try z.expandedDimensions(at: 0).permuted(axes: [2, 0, 1])
    let cut = try a.slice(axis: 1, 10..<20)
    let flat = try a.reshaped([-1]), both = try NDArray.concatenate([a, a], axis: 0)
    let pair = try NDArray.stack([x, x], axis: 1)
    let single = a.converted(to: Float.self)
    let m = try NDArray<Double>.uniform(shape: [4, 4], in: 0..<1, seed: 3) + (try NDArray<Double>.ones([4]) * 4)
    let sol = try m.solve(NDArray([1, 2, 3, 4]))
    let prod = try m.matmul(m)
    #expect(colSums.shape == [1000] && rowLSE.shape == [100, 1] && means.shape == [100] && peaks.shape == [1000])
    #expect(r.count == 20 && o.count == 6 && f.count == 4 && x.count == 101)
    #expect(t.shape == [1000, 100] && p.shape == [4, 1, 3] && cut.shape == [100, 10])
    #expect(flat.shape == [100_000] && both.shape == [200, 1000] && pair.shape == [101, 2])
    #expect(single.shape == a.shape && centred.shape == a.shape && sol.shape == [4] && prod.shape == [4, 4])
    #expect(a[rows: 0..<5, columns: 10..<20] == (try cut.rows(0..<5).reshaped([5, 10])))
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
