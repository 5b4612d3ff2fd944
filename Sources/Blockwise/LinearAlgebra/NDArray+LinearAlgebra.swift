internal import CBLAS

extension NDArray {
  static func requireRank(_ a: NDArray, _ rank: Int, _ name: String) throws {
    guard a.rank == rank else {
      throw BlockwiseError.rankMismatch(argument: name, expected: rank, got: a.rank)
    }
  }

  static func requireBLASSize(_ n: Int, _ name: String) throws {
    guard n <= Int(Int32.max) else {
      throw BlockwiseError.invalidArgument(
        name: name, expected: "at most \(Int32.max) (OpenBLAS's 32-bit blasint)", got: "\(n)")
    }
  }

  /// The inner product of two 1-D arrays (BLAS `?dot`).
  ///
  /// ```swift
  /// try NDArray<Double>([1, 2, 3]).dot(NDArray([4, 5, 6]))  // 32
  /// ```
  /// - Parameter other: A 1-D array of the same length.
  /// - Returns: `sum(self[i] * other[i])`; 0 for empty arrays.
  /// - Throws: `BlockwiseError.rankMismatch` unless both are 1-D,
  ///   `.lengthMismatch` when the lengths differ.
  /// - Complexity: O(n).
  /// - Error bound: |error| <= n * u * sum(|x_i * y_i|) (BLAS's bound).
  public func dot(_ other: NDArray) throws -> Element {
    try Self.requireRank(self, 1, "self")
    try Self.requireRank(other, 1, "other")
    guard count == other.count else {
      throw BlockwiseError.lengthMismatch(argument: "other", expected: count, got: other.count)
    }
    try Self.requireBLASSize(count, "length")
    _ = ComputePool.shared  // BLAS single-threaded before first use
    return withUnsafeBufferPointer { a in
      other.withUnsafeBufferPointer { b in
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        return Element._bwDot(count, pa, pb)
      }
    }
  }

  /// Matrix product (BLAS `?gemm`), or matrix-vector product (`?gemv`).
  ///
  /// `[m, k] x [k, n] -> [m, n]` and `[m, k] x [k] -> [m]`. Large products
  /// are split into row slabs across the pool (one single-threaded BLAS call
  /// per slab), so BLAS never adds threads of its own.
  ///
  /// ```swift
  /// let c = try a.matmul(b)
  /// ```
  /// - Throws: `BlockwiseError.rankMismatch` unless `self` is 2-D and `other`
  ///   is 1-D or 2-D; `.shapeMismatch` when the inner dimensions differ.
  /// - Complexity: O(m * n * k).
  /// - Error bound: componentwise k * u * (|A| |B|) (BLAS's bound).
  public func matmul(_ other: NDArray) throws -> NDArray {
    try Self.requireRank(self, 2, "self")
    guard other.rank == 1 || other.rank == 2 else {
      throw BlockwiseError.rankMismatch(argument: "other", expected: 2, got: other.rank)
    }
    let m = shape[0], k = shape[1]
    guard other.shape[0] == k else {
      var expected = other.shape
      expected[0] = k
      throw BlockwiseError.shapeMismatch(expected: expected, got: other.shape)
    }
    let n = other.rank == 2 ? other.shape[1] : 1
    for (v, name) in [(m, "rows"), (k, "inner dimension"), (n, "columns")] {
      try Self.requireBLASSize(v, name)
    }
    let outShape = other.rank == 2 ? [m, n] : [m]
    var out = try NDArray(repeating: 0, shape: outShape)
    if m == 0 || n == 0 || k == 0 { return out }
    _ = ComputePool.shared
    let isVector = other.rank == 1
    // Row slabs of at least 64 rows, and only when the product is big enough
    // (~2 MFLOP per slab) to repay a hand-off.
    let work = m * n * k
    let slab = work < 4_000_000 ? m : Swift.max(64, (2_000_000 / Swift.max(n * k, 1)))
    out.withUnsafeMutableBufferPointer { c in
      let pc = SendablePointer(c.baseAddress!)
      withUnsafeBufferPointer { a in
        other.withUnsafeBufferPointer { b in
          let pa = SendablePointer(a.baseAddress!)
          let pb = SendablePointer(b.baseAddress!)
          ComputePool.shared.forEachBlock(count: m, blockLength: slab) { r in
            let rows = r.count
            let aRow = UnsafePointer(pa.advanced(by: r.lowerBound * k))
            if isVector {
              Element._bwGemv(rows, k, aRow, k, UnsafePointer(pb.raw), pc.advanced(by: r.lowerBound))
            } else {
              Element._bwGemm(
                rows, n, k, aRow, k, UnsafePointer(pb.raw), n, pc.advanced(by: r.lowerBound * n), n)
            }
          }
        }
      }
    }
    return out
  }

  /// Solves `self * x = b` for a square matrix (LAPACK `?gesv`: LU with
  /// partial pivoting). Neither `self` nor `b` is changed.
  ///
  /// ```swift
  /// let x = try a.solve(b)  // a: [n, n], b: [n] or [n, k]
  /// ```
  /// - Parameter b: Right-hand side(s), shape `[n]` or `[n, k]`.
  /// - Returns: `x`, with the shape of `b`.
  /// - Throws: `BlockwiseError.rankMismatch`/`.shapeMismatch` for wrong
  ///   shapes, `.nonFinite` for NaN or infinity in `self` or `b`,
  ///   `.singularMatrix(pivot:)` when a pivot is exactly zero.
  /// - Complexity: O(n^3 + n^2 k).
  /// - Error bound: backward stable in practice; the forward error grows
  ///   with the condition number of `self`.
  public func solve(_ b: NDArray) throws -> NDArray {
    try Self.requireRank(self, 2, "matrix")
    guard shape[0] == shape[1] else {
      throw BlockwiseError.shapeMismatch(expected: [shape[0], shape[0]], got: shape)
    }
    let n = shape[0]
    guard b.rank == 1 || b.rank == 2 else {
      throw BlockwiseError.rankMismatch(argument: "b", expected: 1, got: b.rank)
    }
    guard b.shape[0] == n else {
      var expected = b.shape
      expected[0] = n
      throw BlockwiseError.shapeMismatch(expected: expected, got: b.shape)
    }
    try Self.requireBLASSize(n, "order")
    try checkFinite(self, "matrix")
    try checkFinite(b, "b")
    let nrhs = b.rank == 2 ? b.shape[1] : 1
    if n == 0 || nrhs == 0 { return b.copy() }
    _ = ComputePool.shared
    var lu = self.copy()
    var x = b.copy()
    var pivots = [Int32](repeating: 0, count: n)
    let info = lu.withUnsafeMutableBufferPointer { a in
      x.withUnsafeMutableBufferPointer { xb in
        pivots.withUnsafeMutableBufferPointer { p in
          Element._bwGesv(n, nrhs, a.baseAddress!, n, p.baseAddress!, xb.baseAddress!, nrhs)
        }
      }
    }
    if info > 0 { throw BlockwiseError.singularMatrix(pivot: Int(info) - 1) }
    if info < 0 { throw BlockwiseError.lapackFailure(routine: "gesv", info: Int(info)) }
    return x
  }
}
