internal import CBlockwiseKernels

/// How work is cut into blocks; kept apart from the kernels.
///
/// Two lengths matter:
/// - a *block* is what one worker takes at a time, sized so the bytes it
///   touches fill about half the per-core L2 (read at run time);
/// - a *leaf* is the unit whose partial result a reduction keeps. Leaves
///   have a fixed length per kernel, so the summation tree, and with it
///   every bit of a reduction's result, depends on the input size alone:
///   not on the thread count, and not on the machine's L2 either.
///   Blocks are whole numbers of leaves.
public enum BlockPolicy {
  /// Per-core L2 in bytes (`sysconf(_SC_LEVEL2_CACHE_SIZE)`, then sysfs,
  /// then 512 KiB).
  public static let l2CacheBytes: Int = bw_l2_cache_bytes()

  // Every length below is defined once, in the C header bw_policy.h (with
  // what it trades and the machine it was tuned on), and read from there.

  // MARK: Leaves: these decide the bits of a reduction

  /// Elements per summation leaf of the array reductions (`sum`, `sumExp`,
  /// `logSumExp`, `min`, `max`) and of fused expression reductions: 4096.
  /// An MPI rank or Dask chunk whose length is a multiple of it gives
  /// partials that combine to one process's bits.
  public static let reductionLeaf = Int(BW_REDUCTION_LEAF)

  /// Rows per summation leaf of a reduction along a strided axis (axis 0
  /// of a matrix, say): each leaf folds its rows in order into a vector of
  /// column sums, and leaf vectors are added pairwise: 512.
  public static let axisReductionLeaf = Int(BW_AXIS_REDUCTION_LEAF)

  /// Points per summation leaf of `BilinearSpline.sumExp` and
  /// `BivariateSpline.sumExp`: 1024.
  public static let splineSumLeaf = Int(BW_SPLINE_SUM_LEAF)

  /// Points per summation leaf of `BilinearSplineStack.sumExp` (and of its
  /// partials, so the shard alignment of an MPI caller who wants one
  /// process's bits): 256.
  public static let bilinearStackSumLeaf = Int(BW_BILINEAR_STACK_SUM_LEAF)

  /// Points per summation leaf of `BilinearSplineStack.sumExpPerSpline`: 1024.
  public static let bilinearStackPerSplineLeaf = Int(BW_BILINEAR_STACK_PER_SPLINE_LEAF)

  /// Points per summation leaf of `BivariateSplineStack.sumExp` (sorted by
  /// cell inside the leaf): 8192.
  public static let bivariateStackSumLeaf = Int(BW_BSPLINE_STACK_SUM_LEAF)

  /// Points per summation leaf of `BivariateSplineStack.sumExpPerSpline`: 256.
  public static let bivariateStackPerSplineLeaf = Int(BW_BSPLINE_STACK_PER_SPLINE_LEAF)

  // MARK: Blocks and tiles: speed only

  /// Columns per tile of a strided-axis reduction: 4096.
  public static let axisReductionTile = Int(BW_AXIS_REDUCTION_TILE)

  /// Points per block of `BilinearSpline.evaluate`: 4096.
  public static let bilinearPointsPerBlock = Int(BW_BILINEAR_POINTS_PER_BLOCK)

  /// Points per block of `BivariateSpline.evaluate`: 2048.
  public static let bivariatePointsPerBlock = Int(BW_BSPLINE_POINTS_PER_BLOCK)

  /// Points per block of a spline stack's `evaluate`: 512.
  public static let stackEvaluationBlock = Int(BW_STACK_EVAL_BLOCK)

  /// Elements per register chunk of a compiled expression: 2048.
  public static let expressionChunk = Int(BW_EXPR_CHUNK)

  /// Elements per block for a kernel that touches `bytesPerElement` bytes
  /// per element, rounded down to a multiple of `leaf` (at least one leaf).
  public static func blockLength(bytesPerElement: Int, leaf: Int = 1) -> Int {
    let budget = Swift.max(l2CacheBytes / 2, 16 * 1024)
    let raw = Swift.max(budget / Swift.max(bytesPerElement, 1), 1)
    let leaves = Swift.max(raw / Swift.max(leaf, 1), 1)
    return leaves * Swift.max(leaf, 1)
  }

  /// The number of pieces of length `length` covering `count`.
  @inlinable
  public static func pieces(count: Int, length: Int) -> Int {
    count <= 0 ? 0 : (count + length - 1) / length
  }
}
