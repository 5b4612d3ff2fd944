import Testing

@testable import Blockwise

@Suite("NDArray: construction, access, views, copy-on-write")
struct NDArrayTests {
  @Test("init checks count and shape", arguments: [[2, 3], [6], [1, 6, 1], [3, 2]])
  func initShapes(shape: [Int]) throws {
    let a = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: shape)
    #expect(a.shape == shape)
    #expect(a.count == 6)
    #expect(a.rank == shape.count)
    #expect(a.scalars == [1, 2, 3, 4, 5, 6])
  }

  @Test func initErrors() {
    #expect(throws: BlockwiseError.countMismatch(expected: 4, got: 3)) {
      try NDArray<Double>([1, 2, 3], shape: [2, 2])
    }
    #expect(throws: BlockwiseError.negativeDimension(shape: [2, -1])) {
      try NDArray<Float>([], shape: [2, -1])
    }
    let message = "\(BlockwiseError.countMismatch(expected: 4, got: 3))"
    #expect(message.contains("4") && message.contains("3"))
  }

  @Test func emptyAndScalarShapes() throws {
    let e = try NDArray<Double>([], shape: [0, 5])
    #expect(e.count == 0 && e.shape == [0, 5] && e.scalars.isEmpty)
    let s = try NDArray<Float>([7], shape: [])
    #expect(s.count == 1 && s.rank == 0 && s[] == 7)
    #expect(try NDArray<Double>.zeros([2, 2]).scalars == [0, 0, 0, 0])
    #expect(try NDArray<Float>(repeating: 1.5, shape: [3]).scalars == [1.5, 1.5, 1.5])
    #expect(NDArray<Double>([Double]()).shape == [0])
  }

  @Test func subscriptRowMajor() throws {
    var a = try NDArray<Double>((0..<24).map(Double.init), shape: [2, 3, 4])
    #expect(a[1, 2, 3] == 23)
    #expect(a[0, 1, 0] == 4)
    a[1, 0, 2] = -1
    #expect(a.scalars[14] == -1)
  }

  @Test func elementAtIsCheckedAndMatchesTheSubscript() throws {
    let a = try NDArray<Double>((0..<24).map(Double.init), shape: [2, 3, 4])
    // Every position, against the row-major formula (not the subscript).
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 {
      #expect(try a.element(at: [i, j, k]) == Double((i * 3 + j) * 4 + k))
    } } }
    // A view with an offset: row 1's positions.
    #expect(try a.row(1).element(at: [2, 3]) == 23)
    #expect(try NDArray<Float>([7], shape: []).element(at: []) == 7)
    for (bad, needle) in [
      ([2, 0, 0], "index on axis 0: expected 0..<2 (shape [2, 3, 4]), got 2"),
      ([0, -1, 0], "index on axis 1: expected 0..<3 (shape [2, 3, 4]), got -1"),
      ([0, 0, 4], "index on axis 2: expected 0..<4 (shape [2, 3, 4]), got 4"),
      ([0, 0], "expected one index per axis (3 for shape [2, 3, 4]), got 2 indices"),
    ] {
      do {
        _ = try a.element(at: bad)
        Issue.record("element(at: \(bad)) did not throw")
      } catch let error as BlockwiseError {
        #expect("\(error)".contains(needle), "\(error)")
      }
    }
  }

  @Test func reshapedIsZeroCopy() throws {
    let a = try NDArray<Float>((0..<12).map(Float.init), shape: [3, 4])
    let b = try a.reshaped([2, 6])
    #expect(b.sharesStorage(with: a))
    #expect(b[1, 0] == 6)
    #expect(throws: BlockwiseError.countMismatch(expected: 12, got: 10)) { try a.reshaped([2, 5]) }
    #expect(throws: BlockwiseError.negativeDimension(shape: [-3, -4])) { try a.reshaped([-3, -4]) }
  }

  @Test func viewsShareABufferUntilWritten() throws {
    var a = try NDArray<Double>((0..<6).map(Double.init), shape: [2, 3])
    let base = a.withUnsafeBufferPointer { $0.baseAddress! }
    var r = a.row(1)
    #expect(r.shape == [3] && r.scalars == [3, 4, 5])
    let viewBase = r.withUnsafeBufferPointer { $0.baseAddress! }
    #expect(viewBase == base + 3, "a row view must point into the parent's buffer")
    // Writing the view copies it; the parent keeps its buffer and values.
    r[0] = 100
    #expect(r.withUnsafeBufferPointer { $0.baseAddress! } != base + 3)
    #expect(a[1, 0] == 3)
    // Writing the parent while a view exists copies the parent instead.
    let r2 = a.row(0)
    a[0, 0] = -5
    #expect(r2[0] == 0)
    #expect(a.withUnsafeBufferPointer { $0.baseAddress! } != base)
  }

  @Test func uniquelyOwnedWritesInPlace() throws {
    var a = try NDArray<Float>([1, 2, 3], shape: [3])
    let base = a.withUnsafeBufferPointer { $0.baseAddress! }
    a[1] = 9
    a += 1
    #expect(a.withUnsafeBufferPointer { $0.baseAddress! } == base)
    #expect(a.scalars == [2, 10, 4])
  }

  @Test func rowsRangeView() throws {
    let a = try NDArray<Double>((0..<20).map(Double.init), shape: [5, 4])
    let mid = a.rows(1..<3)
    #expect(mid.shape == [2, 4] && mid.scalars == (4..<12).map(Double.init))
    #expect(mid.sharesStorage(with: a))
    #expect(a.rows(2..<2).count == 0)
  }

  @Test func equalityAndDescription() throws {
    let a = try NDArray<Double>([1, 2], shape: [2])
    #expect(a == NDArray([1, 2]))
    #expect(a != (try NDArray<Double>([1, 2], shape: [1, 2])))
    #expect(a.description.contains("[2]"))
  }
}
