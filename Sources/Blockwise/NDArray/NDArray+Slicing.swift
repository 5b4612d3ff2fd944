// Slices along any axis. Storage is contiguous, so a slice along an inner
// axis is a copy, made by one blocked, parallel pass; a slice whose
// elements are already contiguous (along axis 0, or behind leading
// extents of 1) is a view.

extension NDArray {
  /// Positions `range` along `axis`, like numpy's `a[:, 2:5]` for axis 1.
  ///
  /// ```swift
  /// let m = try NDArray<Double>((0..<12).map(Double.init), shape: [3, 4])
  /// let s = try m.slice(axis: 1, 1..<3)   // [[1, 2], [5, 6], [9, 10]]
  /// ```
  /// - Parameters:
  ///   - axis: The axis to slice; negative values count from the end.
  ///   - range: Positions within `0 ... shape[axis]`.
  /// - Returns: A view when the selected elements are contiguous (axis 0,
  ///   every axis before `axis` of extent 1, or the whole axis), else a
  ///   contiguous copy.
  /// - Throws: `BlockwiseError.invalidArgument` for an axis or a range out
  ///   of bounds.
  /// - Complexity: O(result count) for a copy, parallel; O(rank) for a view.
  public func slice(axis: Int, _ range: Range<Int>) throws -> NDArray {
    let a = try normalizedAxis(axis)
    guard range.lowerBound >= 0 && range.upperBound <= shape[a] else {
      throw BlockwiseError.invalidArgument(
        name: "range", expected: "positions within 0...\(shape[a]) along axis \(a) of shape \(shape)",
        got: "\(range)")
    }
    if range == 0..<shape[a] { return self }
    var s = shape
    s[a] = range.count
    let outer = extent(0..<a), inner = extent((a + 1)..<rank)
    let n = range.count * inner * outer
    if outer == 1 || n == 0 {
      return NDArray(storage: storage, offset: offset + range.lowerBound * inner, shape: s, count: n)
    }
    let out = NDArray(uninitializedShape: s, count: n)
    withUnsafeBufferPointer { src in
      Self.copyPlanes(
        from: src.baseAddress! + range.lowerBound * inner, rowStride: shape[a] * inner, columnStride: 1,
        to: out.storage.base, destinationRowStride: range.count * inner, rows: outer,
        columns: range.count * inner)
    }
    return out
  }

  /// Rows `rows` and columns `columns` of a 2-D array, like numpy's
  /// `a[1:3, 2:5]`: a view when every column is taken, else a copy.
  ///
  /// - Precondition: a 2-D array and ranges within its extents (indices,
  ///   as for `Array`; `slice(axis:_:)` throws instead).
  public subscript(rows rows: Range<Int>, columns columns: Range<Int>) -> NDArray {
    require(rank == 2, "NDArray[rows:columns:]: needs a 2-D array, got shape \(shape)")
    require(
      rows.lowerBound >= 0 && rows.upperBound <= shape[0] && columns.lowerBound >= 0
        && columns.upperBound <= shape[1],
      "NDArray[rows:columns:]: \(rows), \(columns) out of bounds for shape \(shape)")
    let r = self.rows(rows)
    do { return try r.slice(axis: 1, columns) } catch { blockwiseTrap("\(error)") }
  }

  /// Copies a 2-D plane, `dst[i * ldd + j] = src[i * rowStride + j * columnStride]`,
  /// in L2-sized bands of rows (or of columns when there are few rows)
  /// spread over the pool. Transposes and strided reads go through the
  /// tiled kernels of `bw_copy2d`.
  static func copyPlanes(
    from src: UnsafePointer<Element>, rowStride: Int, columnStride: Int,
    to dst: UnsafeMutablePointer<Element>, destinationRowStride ldd: Int, rows: Int, columns: Int
  ) {
    guard rows > 0 && columns > 0 else { return }
    let length = BlockPolicy.blockLength(bytesPerElement: 2 * MemoryLayout<Element>.stride)
    let (ps, pd) = (SendablePointer(src), SendablePointer(dst))
    if columns >= length && rows < 2 * ComputePool.shared.threadCount && columnStride == 1 {
      // Long contiguous rows: bands of columns.
      let chunks = BlockPolicy.pieces(count: columns, length: length)
      ComputePool.shared.run(blocks: rows * chunks) { b, _ in
        let i = b / chunks, c0 = (b % chunks) * length
        Element._bwCopy2D(
          ps.reading(at: i * rowStride + c0), rowStride, 1, pd.advanced(by: i * ldd + c0), ldd, 1,
          Swift.min(length, columns - c0))
      }
      return
    }
    // Bands of whole rows, a multiple of the kernels' 32-row tile.
    let band = Swift.max(32, (length / Swift.max(columns, 1)) / 32 * 32)
    ComputePool.shared.forEachBlock(count: rows, blockLength: band) { r in
      Element._bwCopy2D(
        ps.reading(at: r.lowerBound * rowStride), rowStride, columnStride,
        pd.advanced(by: r.lowerBound * ldd), ldd, r.count, columns)
    }
  }
}
