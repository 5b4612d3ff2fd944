internal import CBlockwiseKernels

/// The four arithmetic operators, numbered as the C kernels' `bw_binary_op`.
enum BinaryOp: Sendable {
  case add, subtract, multiply, divide

  /// The C code (defined once, in `CBlockwiseKernels.h`).
  var code: Int32 {
    switch self {
    case .add: Int32(BW_OP_ADD.rawValue)
    case .subtract: Int32(BW_OP_SUBTRACT.rawValue)
    case .multiply: Int32(BW_OP_MULTIPLY.rawValue)
    case .divide: Int32(BW_OP_DIVIDE.rawValue)
    }
  }
}

/// How two shapes combine under numpy's broadcasting rules, reduced to the
/// fewest dimensions that describe the same element walk.
///
/// Shapes are aligned at their trailing dimensions; a missing leading
/// dimension counts as 1, and an extent of 1 stretches to the other
/// operand's extent (stride 0, so nothing is copied). Adjacent dimensions
/// that are contiguous in both operands are merged, so a same-shape
/// operation is one flat run and a row vector against a matrix is rows of
/// unit-stride runs: either way the kernel's inner loop is the same-shape
/// loop.
struct BroadcastPlan: Sendable {
  /// The result's shape (numpy's broadcast shape).
  let shape: [Int]
  /// The result's element count.
  let count: Int
  /// Coalesced extents (at least one) and each operand's element strides
  /// along them (0 where it is broadcast).
  let dims: [Int]
  let aStrides: [Int]
  let bStrides: [Int]

  /// - Throws: `BlockwiseError.shapeMismatch(expected: a, got: b)` when
  ///   the shapes do not broadcast, `.invalidArgument` when the result's
  ///   count overflows.
  init(_ a: [Int], _ b: [Int]) throws {
    let r = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: r)
    var sa = [Int](repeating: 0, count: r), sb = [Int](repeating: 0, count: r)
    var strideA = 1, strideB = 1
    for k in stride(from: r - 1, through: 0, by: -1) {
      let ka = k - (r - a.count), kb = k - (r - b.count)
      let da = ka >= 0 ? a[ka] : 1, db = kb >= 0 ? b[kb] : 1
      let d: Int
      if da == db { d = da } else if da == 1 { d = db } else if db == 1 { d = da } else {
        throw BlockwiseError.shapeMismatch(expected: a, got: b)
      }
      out[k] = d
      sa[k] = da == 1 ? 0 : strideA
      sb[k] = db == 1 ? 0 : strideB
      strideA &*= da
      strideB &*= db
    }
    shape = out
    count = try NDArray<Double>.elementCount(of: out)
    // Coalesce: drop extents of 1, then merge neighbours that are
    // contiguous in both operands (a broadcast pair, stride 0 and 0, too).
    var d: [Int] = [], ca: [Int] = [], cb: [Int] = []
    for k in 0..<r where out[k] != 1 {
      if let last = d.indices.last, ca[last] == sa[k] * out[k], cb[last] == sb[k] * out[k] {
        d[last] *= out[k]
        ca[last] = sa[k]
        cb[last] = sb[k]
      } else {
        d.append(out[k])
        ca.append(sa[k])
        cb.append(sb[k])
      }
    }
    if d.isEmpty { (d, ca, cb) = ([1], [0], [0]) }
    dims = d
    aStrides = ca
    bStrides = cb
  }

  /// One flat run of `count` elements: both operands of one shape
  /// (`scalar: nil`), or an array against a scalar on the given side.
  init(flat shape: [Int], count: Int, scalarOnLeft: Bool? = nil) {
    self.shape = shape
    self.count = count
    dims = [Swift.max(count, 1)]
    aStrides = [scalarOnLeft == true ? 0 : 1]
    bStrides = [scalarOnLeft == false ? 0 : 1]
  }

  /// Runs `y = a op b` over the plan in L2-sized blocks on the pool.
  ///
  /// `y` is contiguous with the result's shape; it may be `a` itself when
  /// `a` has the result's shape (the in-place forms).
  func run<E: NDArrayScalar>(
    _ op: BinaryOp, _ a: UnsafePointer<E>, _ b: UnsafePointer<E>, _ y: UnsafeMutablePointer<E>
  ) {
    guard count > 0 else { return }
    let rank = dims.count
    let cols = dims[rank - 1]
    let rows = rank >= 2 ? dims[rank - 2] : 1
    let outerDims = rank > 2 ? Array(dims[0..<(rank - 2)]) : []
    let outer = outerDims.reduce(1, *)
    let (ars, acs) = (rank >= 2 ? aStrides[rank - 2] : 0, aStrides[rank - 1])
    let (brs, bcs) = (rank >= 2 ? bStrides[rank - 2] : 0, bStrides[rank - 1])
    // A block is a rectangle of rows x columns within one outer position:
    // whole rows when a row is shorter than a block, else pieces of one row.
    let length = BlockPolicy.blockLength(bytesPerElement: 3 * MemoryLayout<E>.stride)
    let colChunk = Swift.min(cols, length)
    let colChunks = BlockPolicy.pieces(count: cols, length: colChunk)
    let rowsPerBlock = cols >= length ? 1 : Swift.max(1, length / cols)
    let rowChunks = BlockPolicy.pieces(count: rows, length: rowsPerBlock)
    let perOuter = rowChunks * colChunks
    let (pa, pb, py) = (SendablePointer(a), SendablePointer(b), SendablePointer(y))
    let (sa, sb) = (aStrides, bStrides)
    let code = op.code
    ComputePool.shared.run(blocks: outer * perOuter) { block, _ in
      var o = block / perOuter
      let rc = (block % perOuter) / colChunks, cc = block % colChunks
      let r0 = rc * rowsPerBlock, c0 = cc * colChunk
      var aOff = r0 * ars + c0 * acs, bOff = r0 * brs + c0 * bcs
      let yOff = (o * rows + r0) * cols + c0
      for k in stride(from: outerDims.count - 1, through: 0, by: -1) {
        let i = o % outerDims[k]
        o /= outerDims[k]
        aOff += i * sa[k]
        bOff += i * sb[k]
      }
      let rc0 = E._bwBinary2D(
        code, pa.reading(at: aOff), ars, acs, pb.reading(at: bOff), brs, bcs,
        py.advanced(by: yOff), cols, Swift.min(rowsPerBlock, rows - r0), Swift.min(colChunk, cols - c0))
      assert(rc0 == 0, "bw_binary2d rejected op code \(code)")
    }
  }
}
