import Testing

@testable import Blockwise

// NDArray as a Swift collection, numpy slicing by ranges, one constructor
// convention, and plain numbers as expression inputs.
@Suite("NDArray: collection, range subscripts, constructors, scalar bindings")
struct NDArrayCollectionTests {
  @Test func collectionInRowMajorOrder() throws {
    let m = try NDArray<Double>((0..<12).map(Double.init), shape: [3, 4])
    #expect(Array(m) == (0..<12).map(Double.init))
    var seen: [Double] = []
    for x in m { seen.append(x) }
    #expect(seen == m.scalars)
    #expect(m.reduce(0, +) == 66)
    #expect(m.count == 12 && m.distance(from: m.startIndex, to: m.endIndex) == 12)
    #expect(m[m.index(m.startIndex, offsetBy: 5)] == 5)
    #expect(Array(m.reversed()).first == 11)
    #expect(Array(m.map { $0 * 2 }.prefix(2)) == [0, 2])  // NDArray.map keeps the shape
    let empty = try NDArray<Float>.zeros([0, 3])
    #expect(Array(empty).isEmpty && empty.startIndex == empty.endIndex)
    // MutableCollection: writes copy shared storage first (value semantics).
    var v = m
    v[v.startIndex] = -1
    #expect(v[0, 0] == -1 && m[0, 0] == 0)
    v.sort()
    #expect(Array(v.prefix(2)) == [-1, 1])
    // A view's elements only.
    let row = m.row(1)
    #expect(Array(row) == [4, 5, 6, 7])
  }

  @Test func rangeSubscripts() throws {
    let m = try NDArray<Double>((0..<24).map(Double.init), shape: [4, 6])
    let rows = m[1..<3]
    #expect(rows.shape == [2, 6] && rows.sharesStorage(with: m) && rows[0, 0] == 6)
    let part = m[1, 0..<3]
    #expect(part.shape == [3] && part.sharesStorage(with: m) && Array(part) == [6, 7, 8])
    let column = m[.all, 1]
    #expect(column.shape == [4] && Array(column) == [1, 7, 13, 19] && !column.sharesStorage(with: m))
    #expect(m[2, 3] == 15)  // Ints alone: the element
    #expect(Array(m[...1, 4...]) == [4, 5, 10, 11])
    #expect(Array(m[-1, 2..<4]) == [20, 21])
    #expect(m[0...3].shape == [4, 6] && m[..<0].shape == [0, 6])
    let cube = try NDArray<Float>((0..<24).map(Float.init), shape: [2, 3, 4])
    #expect(cube[1, .all, 2...].shape == [3, 2] && Array(cube[1, .all, 2...]) == [14, 15, 18, 19, 22, 23])
    #expect(cube[.all, 1, 1].shape == [2] && Array(cube[.all, 1, 1]) == [5, 17])
  }

  @Test func constructorsShareOneConvention() throws {
    let u = try NDArray<Double>.uniform([2, 3], in: 0..<1, seed: 4)
    let n = try NDArray<Double>.normal([2, 3], seed: 4)
    #expect(u.shape == [2, 3] && n.shape == [2, 3])
    #expect(try NDArray<Double>.zeros([2]).shape == [2] && NDArray<Double>.ones([2]).shape == [2])
    #expect(try NDArray<Double>.full([2], value: 3).scalars == [3, 3])
  }

  @Test func numbersAsExpressionInputs() throws {
    let x = NDArray<Double>([1, 2, 3])
    let e = try Blockwise.Expression<Double>("x * s + k")
    #expect(try e.evaluate(["x": x, "s": 2.5, "k": 1]).scalars == [3.5, 6, 8.5])
    #expect(try e.sum(["x": x, "s": Float(2), "k": 0]) == 12)
    let f = try Blockwise.Expression<Float>("x * s")
    #expect(try f.evaluate(["x": NDArray<Float>([1, 2]), "s": 0.1]).scalars == [Float(0.1), Float(0.2)])
    do {
      _ = try f.evaluate(["x": NDArray<Double>([1, 2]), "s": 1])
      Issue.record("a Double array bound into a Float expression was accepted")
    } catch let error as BlockwiseError {
      #expect("\(error)".contains("variable x"))
    }
  }
}
