import Testing

@testable import Blockwise

@Suite("Linear algebra through OpenBLAS and LAPACKE")
struct LinearAlgebraTests {
  func naiveMatmul<E: NDArrayScalar>(_ a: [E], _ b: [E], m: Int, k: Int, n: Int) -> [Float80] {
    var c = [Float80](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var s: Float80 = 0
        for p in 0..<k { s += Float80(a[i * k + p]) * Float80(b[p * n + j]) }
        c[i * n + j] = s
      }
    }
    return c
  }

  func checkMatmul<E: NDArrayScalar>(_: E.Type, m: Int, k: Int, n: Int) throws {
    let a = randomArray(E.self, shape: [m, k], seed: UInt64(m * 1000 + k))
    let b = randomArray(E.self, shape: [k, n], seed: UInt64(n * 7 + 1))
    let c = try a.matmul(b)
    #expect(c.shape == [m, n])
    let ref = naiveMatmul(a.scalars, b.scalars, m: m, k: k, n: n)
    // |A||B| <= k for entries in [-1, 1]; BLAS's bound is k * u * (|A||B|).
    let tol = Float80(E.ulpOfOne) * Float80(k + 2) * Float80(max(k, 1))
    for (x, r) in zip(c.scalars, ref) { #expect((Float80(x) - r).magnitude <= tol) }
    let v = randomArray(E.self, shape: [k], seed: 99)
    let mv = try a.matmul(v)
    #expect(mv.shape == [m])
    let refv = naiveMatmul(a.scalars, v.scalars, m: m, k: k, n: 1)
    for (x, r) in zip(mv.scalars, refv) { #expect((Float80(x) - r).magnitude <= tol) }
  }

  @Test("matmul agrees with a naive triple loop",
        arguments: [(1, 1, 1), (3, 5, 2), (17, 33, 9), (64, 64, 64), (300, 200, 150), (0, 3, 4)])
  func matmul(m: Int, k: Int, n: Int) throws {
    try checkMatmul(Double.self, m: m, k: k, n: n)
    try checkMatmul(Float.self, m: m, k: k, n: n)
  }

  @Test func matmulFixtureAndBitIdenticalAcrossThreads() throws {
    let f = try Fixtures.json("linalg.json")
    let m1 = try NDArray(doubles(f["m1"]), shape: [5, 7])
    let m2 = try NDArray(doubles(f["m2"]), shape: [7, 3])
    for (x, r) in zip(try m1.matmul(m2).scalars, doubles(f["product"])) {
      #expect(x.isApproximatelyEqual(to: r, absoluteTolerance: 1e-14))
    }
    let a = randomArray(Double.self, shape: [400, 300], seed: 5)
    let b = randomArray(Double.self, shape: [300, 200], seed: 6)
    let ref = try ComputePool.withThreadCount(1) { try a.matmul(b) }
    for t in threadCounts { #expect(try ComputePool.withThreadCount(t) { try a.matmul(b) } == ref) }
  }

  @Test func matmulErrors() throws {
    let a = try NDArray<Double>.zeros([2, 3])
    #expect(throws: BlockwiseError.shapeMismatch(expected: [3, 2], got: [2, 2])) {
      try a.matmul(.zeros([2, 2]))
    }
    #expect(throws: BlockwiseError.rankMismatch(argument: "self", expected: 2, got: 1)) {
      try NDArray<Double>.zeros([3]).matmul(.zeros([3]))
    }
    #expect(throws: BlockwiseError.rankMismatch(argument: "other", expected: 2, got: 3)) {
      try a.matmul(.zeros([3, 1, 1]))
    }
  }

  @Test func dot() throws {
    let x = NDArray<Double>([1, 2, 3]), y = NDArray<Double>([4, 5, 6])
    #expect(try x.dot(y) == 32)
    #expect(try NDArray<Float>([Float]()).dot(NDArray<Float>([Float]())) == 0)
    #expect(throws: BlockwiseError.lengthMismatch(argument: "other", expected: 3, got: 2)) {
      try x.dot(NDArray([1, 2]))
    }
    #expect(throws: BlockwiseError.rankMismatch(argument: "other", expected: 1, got: 2)) {
      try x.dot(.zeros([3, 1]))
    }
  }

  @Test func solveKnownSystems() throws {
    // 2x + y = 5, x + 3y = 10  ->  x = 1, y = 3
    let a = try NDArray<Double>([2, 1, 1, 3], shape: [2, 2])
    let x = try a.solve(NDArray([5, 10]))
    #expect(x.shape == [2])
    #expect(x[0].isApproximatelyEqual(to: 1, absoluteTolerance: 1e-15))
    #expect(x[1].isApproximatelyEqual(to: 3, absoluteTolerance: 1e-15))
    #expect(a.scalars == [2, 1, 1, 3], "solve must not change its inputs")
    let f = try Fixtures.json("linalg.json")
    let big = try NDArray(doubles(f["a"]), shape: [6, 6])
    let rhs = try NDArray(doubles(f["b"]), shape: [6, 2])
    let sol = try big.solve(rhs)
    #expect(sol.shape == [6, 2])
    for (v, r) in zip(sol.scalars, doubles(f["x"])) { #expect(v.isApproximatelyEqual(to: r, relativeTolerance: 1e-12)) }
    let af = try NDArray<Float>([4, 0, 0, 2], shape: [2, 2])
    #expect(try af.solve(NDArray([8, 3])).scalars == [2, 1.5])
  }

  @Test func solveErrors() throws {
    let singular = try NDArray<Double>([1, 2, 2, 4], shape: [2, 2])
    #expect(throws: BlockwiseError.singularMatrix(pivot: 1)) { try singular.solve(NDArray([1, 2])) }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [2, 2], got: [2, 3])) {
      try NDArray<Double>.zeros([2, 3]).solve(NDArray([1, 2]))
    }
    #expect(throws: BlockwiseError.shapeMismatch(expected: [2], got: [3])) {
      try NDArray<Double>([1, 0, 0, 1], shape: [2, 2]).solve(NDArray([1, 2, 3]))
    }
    #expect(throws: BlockwiseError.nonFinite(argument: "b", index: 1, value: .infinity)) {
      try NDArray<Double>([1, 0, 0, 1], shape: [2, 2]).solve(NDArray([1, .infinity]))
    }
    let e = "\(BlockwiseError.singularMatrix(pivot: 1))"
    #expect(e.contains("singular"))
  }

  @Test func openBLASIsReachableAndSingleThreaded() {
    _ = ComputePool.shared
    #expect(openBLASConfiguration.contains("OpenBLAS"))
    #expect(openBLASThreadCount == 1)
  }
}
