import Testing

@testable import Blockwise

@Suite("NDArray layout: transposes, permutations, slices, joins, reshapes")
struct NDArrayLayoutTests {
  func checkPermute<E: NDArrayScalar>(_: E.Type, _ c: [String: Any]) throws {
    let a = try fixtureArray(E.self, c["a"], shape: ints(c["shape"]))
    let axes = ints(c["axes"])
    let r = try a.permuted(axes: axes)
    #expect(r.shape == ints(c["resultShape"]))
    #expect(r.scalars == doubles(c["result"]).map { E($0) }, "permute \(a.shape) by \(axes)")
    if a.rank == 2 { #expect(a.transposed() == r) }
    // Negative axes count from the end.
    #expect(try a.permuted(axes: axes.map { $0 - a.rank }) == r)
  }

  @Test func permuteMatchesNumpy() throws {
    for c in arrayFixtures["permute"] as! [[String: Any]] {
      if c["float32"] as! Bool { try checkPermute(Float.self, c) } else { try checkPermute(Double.self, c) }
    }
  }

  /// Every path of the tiled transpose (full 4x4 / 8x8 blocks, edges,
  /// several tiles, several bands) against a naive loop.
  func checkTransposeSizes<E: NDArrayScalar>(_: E.Type) throws {
    for (m, n) in [(1, 1), (1, 9), (9, 1), (4, 4), (8, 8), (31, 33), (32, 32), (33, 65), (100, 3), (257, 129)] {
      let a = randomArray(E.self, shape: [m, n], seed: UInt64(m * 1000 + n))
      let t = a.transposed()
      let v = a.scalars, tv = t.scalars
      #expect(t.shape == [n, m])
      var ok = true
      for i in 0..<n { for j in 0..<m where tv[i * m + j] != v[j * n + i] { ok = false } }
      #expect(ok, "transpose of \(m)x\(n)")
      #expect(t.transposed() == a)
    }
  }

  @Test func transposeSizesDouble() throws { try checkTransposeSizes(Double.self) }
  @Test func transposeSizesFloat() throws { try checkTransposeSizes(Float.self) }

  @Test func transposeOfEmptyAndLowRank() throws {
    let e = try NDArray<Double>.zeros([0, 5])
    #expect(e.transposed().shape == [5, 0])
    let v = NDArray<Double>([1, 2, 3])
    #expect(v.transposed() == v && v.transposed().sharesStorage(with: v))
    let big = randomArray(Double.self, shape: [3, 4, 5], seed: 3)
    #expect(try big.transposed() == big.permuted(axes: [2, 1, 0]))
  }

  @Test func permuteRejectsBadAxes() throws {
    let a = try NDArray<Float>.zeros([2, 3, 4])
    for bad in [[0, 1], [0, 1, 1], [0, 1, 3], [0, 1, 2, 3], [-4, 0, 1]] {
      #expect(throws: BlockwiseError.self, "\(bad)") { try a.permuted(axes: bad) }
    }
    #expect(try a.permuted(axes: [0, 1, 2]).sharesStorage(with: a))
  }

  @Test func slicesMatchNumpy() throws {
    let s = arrayFixtures["slice"] as! [String: Any]
    let a = try fixtureArray(Double.self, s["a"], shape: ints(s["shape"]))
    for c in s["cases"] as! [[String: Any]] {
      let axis = (c["axis"] as! Int), lo = c["lower"] as! Int, hi = c["upper"] as! Int
      let r = try a.slice(axis: axis, lo..<hi)
      #expect(r.shape == ints(c["resultShape"]) && r.scalars == doubles(c["result"]), "axis \(axis) \(lo)..<\(hi)")
      if (axis == 0) { #expect(r.sharesStorage(with: a), "a slice along axis 0 is a view") }
    }
    let m = try NDArray<Double>((0..<20).map(Double.init), shape: [4, 5])
    #expect(m[rows: 1..<3, columns: 2..<5].scalars == [7, 8, 9, 12, 13, 14])
    #expect(m[rows: 1..<3, columns: 0..<5].sharesStorage(with: m))
    #expect(throws: BlockwiseError.self) { try m.slice(axis: 1, 3..<6) }
    #expect(throws: BlockwiseError.self) { try m.slice(axis: 2, 0..<1) }
    // A large slice crosses bands and column chunks.
    let wide = randomArray(Double.self, shape: [3, 70_000], seed: 4)
    let cut = try wide.slice(axis: 1, 5..<69_000)
    #expect(cut.scalars == (0..<3).flatMap { r in wide.row(r).scalars[5..<69_000] })
  }

  @Test func concatenateAndStackMatchNumpy() throws {
    for c in arrayFixtures["join"] as! [[String: Any]] {
      let shapes = (c["shapes"] as! [Any]).map(ints)
      let arrays = try zip(c["arrays"] as! [Any], shapes).map { try fixtureArray(Double.self, $0, shape: $1) }
      let axis = c["axis"] as! Int
      let r = c["kind"] as! String == "stack"
        ? try NDArray.stack(arrays, axis: axis) : try NDArray.concatenate(arrays, axis: axis)
      #expect(r.shape == ints(c["resultShape"]) && r.scalars == doubles(c["result"]), "\(c["kind"]!) \(shapes) axis \(axis)")
    }
  }

  @Test func joinErrors() throws {
    let a = try NDArray<Double>.zeros([2, 3]), b = try NDArray<Double>.zeros([2, 4])
    #expect(throws: BlockwiseError.shapeMismatch(expected: [2, 3], got: [2, 4])) { try NDArray.concatenate([a, b], axis: 0) }
    #expect(try NDArray.concatenate([a, b], axis: 1).shape == [2, 7])
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.concatenate([], axis: 0) }
    #expect(throws: BlockwiseError.self) { try NDArray.concatenate([a, a], axis: 2) }
    #expect(throws: BlockwiseError.self) { try NDArray.concatenate([a, try NDArray.zeros([6])], axis: 0) }
    #expect(throws: BlockwiseError.self) { try NDArray.concatenate([try NDArray<Double>([1], shape: []), try NDArray([1], shape: [])]) }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [2, 3], got: [2, 4])) { try NDArray.stack([a, b]) }
    #expect(throws: BlockwiseError.self) { try NDArray.stack([a, a], axis: 3) }
    #expect(throws: BlockwiseError.self) { try NDArray<Float>.stack([]) }
  }

  @Test func reshapeWithInferredDimension() throws {
    for c in arrayFixtures["reshape"] as! [[String: Any]] {
      let a = try NDArray<Double>.zeros(ints(c["shape"]))
      #expect(try a.reshaped(ints(c["new"])).shape == ints(c["result"]))
    }
    let a = try NDArray<Double>((0..<12).map(Double.init), shape: [3, 4])
    #expect(try a.reshaped([-1]).sharesStorage(with: a))
    #expect(throws: BlockwiseError.self) { try a.reshaped([-1, -1]) }
    #expect(throws: BlockwiseError.self) { try a.reshaped([5, -1]) }
    #expect(throws: BlockwiseError.negativeDimension(shape: [-2, 6])) { try a.reshaped([-2, 6]) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>.zeros([0, 3]).reshaped([-1, 0]) }
    #expect(a.flattened().shape == [12] && a.flattened().sharesStorage(with: a))
  }

  @Test func squeezeAndExpand() throws {
    let a = try NDArray<Double>.zeros([1, 3, 1, 2])
    #expect(a.squeezed().shape == [3, 2])
    #expect(try a.squeezed(axis: 2).shape == [1, 3, 2])
    #expect(try a.squeezed(axis: -4).shape == [3, 1, 2])
    #expect(throws: BlockwiseError.self) { try a.squeezed(axis: 1) }
    #expect(throws: BlockwiseError.self) { try a.squeezed(axis: 4) }
    let v = NDArray<Double>([1, 2, 3])
    #expect(try v.expandedDimensions(at: 0).shape == [1, 3])
    #expect(try v.expandedDimensions(at: 1).shape == [3, 1])
    #expect(try v.expandedDimensions(at: -1).shape == [3, 1])
    #expect(try v.expandedDimensions(at: -2).shape == [1, 3])
    #expect(throws: BlockwiseError.self) { try v.expandedDimensions(at: 2) }
    #expect(throws: BlockwiseError.self) { try v.expandedDimensions(at: -3) }
    #expect(try v.expandedDimensions(at: 0).sharesStorage(with: v))
  }
}
