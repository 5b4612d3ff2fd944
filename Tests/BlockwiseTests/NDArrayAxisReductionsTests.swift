import Foundation
import Testing

@testable import Blockwise

@Suite("NDArray reductions along an axis")
struct NDArrayAxisReductionsTests {
  /// numpy/scipy fixtures: the data are multiples of 1/64, so sums and
  /// means are exact and must match bit for bit; exp-based results within
  /// a few ulp.
  func checkFixture<E: NDArrayScalar>(_: E.Type, _ c: [String: Any]) throws {
    let shape = ints(c["shape"])
    let a = try fixtureArray(E.self, c["a"], shape: shape)
    for r in c["results"] as! [[String: Any]] {
      let axis = (r["axis"] as! NSNumber).intValue
      let outShape = ints(r["outShape"])
      let label = "shape \(shape), axis \(axis)"
      let sum = try a.sum(axis: axis)
      #expect(sum.shape == outShape, "\(label)")
      #expect(sameBits(sum.scalars, doubles(r["sum"]).map { E($0) }), "\(label): sum")
      #expect(sameBits(try a.mean(axis: axis).scalars, doubles(r["mean"]).map { E($0) }), "\(label): mean")
      #expect(sameBits(try a.max(axis: axis).scalars, doubles(r["max"]).map { E($0) }), "\(label): max")
      #expect(sameBits(try a.min(axis: axis).scalars, doubles(r["min"]).map { E($0) }), "\(label): min")
      for (name, got) in [("sumExp", try a.sumExp(axis: axis)), ("logSumExp", try a.logSumExp(axis: axis))] {
        let want = doubles(r[name])
        for (g, w) in zip(got.scalars, want) {
          let ok: Bool
          if w.isNaN { ok = g.isNaN } else if w.isInfinite { ok = Double(g) == w } else {
            let tol = E.self == Float.self ? Double(Float.ulpOfOne) : 4e-15
            ok = abs(Double(g) - w) <= tol * Swift.max(abs(w), 1)
          }
          #expect(ok, "\(label): \(name) \(g) vs \(w)")
        }
      }
      // keepingDimension: the axis stays with extent 1.
      var kept = shape
      kept[axis < 0 ? axis + shape.count : axis] = 1
      let k = try a.sum(axis: axis, keepingDimension: true)
      #expect(k.shape == kept && sameBits(k.scalars, sum.scalars), "\(label): keepingDimension")
    }
  }

  @Test func matchNumpyFixtures() throws {
    for c in arrayFixtures["axis"] as! [[String: Any]] {
      if c["float32"] as! Bool { try checkFixture(Float.self, c) } else { try checkFixture(Double.self, c) }
    }
  }

  /// Shapes around the leaf (512 rows), the tile (1024 columns) and the
  /// contiguous leaf (4096), against a naive Float80 reduction, with the
  /// documented bound as tolerance. Ill-conditioned signs and magnitudes.
  @Test(arguments: [[1, 1], [3, 1], [511, 3], [512, 3], [513, 3], [1025, 2], [2, 1023], [3, 1025],
                    [4097, 2], [2, 4097], [3, 2, 700], [600, 1, 5], [0, 4], [4, 0], [1, 9000]])
  func sumWithinDocumentedBound(shape: [Int]) throws {
    var g = SeededGenerator(seed: UInt64(shape.reduce(7, &*)))
    let n = shape.reduce(1, *)
    let values = (0..<n).map { _ in Double.random(in: -1...1, using: &g) * pow(10, Double.random(in: -4...4, using: &g)) }
    let a = try NDArray(values, shape: shape)
    let u = Float80(Double.ulpOfOne / 2)
    for axis in 0..<shape.count {
      let s = try a.sum(axis: axis)
      var outShape = shape
      outShape.remove(at: axis)
      let inner = shape[(axis + 1)...].reduce(1, *)
      let len = shape[axis]
      let factor: Float80 =
        inner == 1
        ? 523 + Float80(log2(Double(Swift.max(1, (len + 4095) / 4096))))
        : 518 + Float80(log2(Double(Swift.max(1, (len + 511) / 512))))
      for (k, idx) in allIndices(outShape).enumerated() {
        var exact: Float80 = 0, magnitude: Float80 = 0
        for i in 0..<len {
          var full = idx
          full.insert(i, at: axis)
          let v = Float80(values[flatOffset(full, shape)])
          exact += v
          magnitude += v.magnitude
        }
        let bound = factor * u * magnitude + Float80(Double.leastNonzeroMagnitude)
        #expect((Float80(s.scalars[k]) - exact).magnitude <= bound, "shape \(shape), axis \(axis), output \(k)")
      }
    }
  }

  @Test func lastAxisIsBitIdenticalToRowReductions() throws {
    let a = randomArray(Double.self, shape: [9, 10_001], in: -5...5, seed: 91)
    let sums = try a.sum(axis: 1), lse = try a.logSumExp(axis: -1), se = try a.sumExp(axis: 1)
    let mx = try a.max(axis: 1), mn = try a.min(axis: -1)
    for i in 0..<9 {
      let r = a.row(i)
      #expect(sums.scalars[i].bitPattern == r.sum().bitPattern)
      #expect(lse.scalars[i].bitPattern == r.logSumExp().bitPattern)
      #expect(se.scalars[i].bitPattern == r.sumExp().bitPattern)
      #expect(try mx.scalars[i] == r.max() && mn.scalars[i] == r.min())
    }
  }

  @Test func bitIdenticalForAnyThreadCount() throws {
    // Many small jobs, few long jobs (leaf-parallel), and contiguous rows.
    for shape in [[1500, 40], [5000, 3], [1, 3, 50_000], [40, 1500], [2, 2000, 2]] {
      let a = randomArray(Double.self, shape: shape, in: -3...3, seed: UInt64(shape[0]))
      let f = a.converted(to: Float.self)
      for axis in 0..<shape.count {
        let reference = try ComputePool.withThreadCount(1) {
          (try a.sum(axis: axis), try a.logSumExp(axis: axis), try a.sumExp(axis: axis), try f.sum(axis: axis),
           try a.max(axis: axis))
        }
        for t in threadCounts {
          let r = try ComputePool.withThreadCount(t) {
            (try a.sum(axis: axis), try a.logSumExp(axis: axis), try a.sumExp(axis: axis), try f.sum(axis: axis),
             try a.max(axis: axis))
          }
          #expect(sameBits(r.0.scalars, reference.0.scalars), "sum \(shape) axis \(axis) threads \(t)")
          #expect(sameBits(r.1.scalars, reference.1.scalars), "logSumExp \(shape) axis \(axis) threads \(t)")
          #expect(sameBits(r.2.scalars, reference.2.scalars), "sumExp \(shape) axis \(axis) threads \(t)")
          #expect(sameBits(r.3.scalars, reference.3.scalars), "Float sum \(shape) axis \(axis) threads \(t)")
          #expect(sameBits(r.4.scalars, reference.4.scalars), "max \(shape) axis \(axis) threads \(t)")
        }
      }
    }
  }

  @Test func emptyAxesAndSpecialValues() throws {
    let e = try NDArray<Double>.zeros([3, 0])
    #expect(try e.sum(axis: 1).scalars == [0, 0, 0])
    #expect(try e.sumExp(axis: 1).scalars == [0, 0, 0])
    #expect(try e.logSumExp(axis: 1).scalars == [-.infinity, -.infinity, -.infinity])
    #expect(throws: BlockwiseError.self) { try e.max(axis: 1) }
    #expect(throws: BlockwiseError.self) { try e.min(axis: -1) }
    #expect(throws: BlockwiseError.self) { try e.mean(axis: 1) }
    // Extent-0 output: nothing to reduce, no error.
    #expect(try e.sum(axis: 0).shape == [0])
    #expect(try e.max(axis: 0).shape == [0])
    // logSumExp along a strided axis with -inf columns and a +inf.
    let a = try NDArray<Double>([-.infinity, 1, .infinity, -.infinity, 2, 0], shape: [2, 3])
    let l = try a.logSumExp(axis: 0).scalars
    #expect(l[0] == -.infinity && abs(l[1] - Foundation.log(exp(1.0) + exp(2.0))) < 1e-15 && l[2] == .infinity)
  }

  @Test func axisOutOfRangeThrows() throws {
    let a = try NDArray<Double>.zeros([2, 3])
    for bad in [2, -3, 100, Int.min] {
      #expect(throws: BlockwiseError.self) { try a.sum(axis: bad) }
      #expect(throws: BlockwiseError.self) { try a.logSumExp(axis: bad) }
    }
    let scalar = try NDArray<Double>([1], shape: [])
    #expect(throws: BlockwiseError.self) { try scalar.sum(axis: 0) }
    do {
      _ = try a.mean(axis: 5)
      Issue.record("expected a throw")
    } catch let e as BlockwiseError {
      #expect("\(e)".contains("5") && "\(e)".contains("-2 ..< 2"), "\(e)")
    }
  }
}
