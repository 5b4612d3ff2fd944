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

  /// Elements per summation leaf of the array reductions. 4096 doubles are
  /// 32 KiB, an L1's worth, and amortise the per-leaf call to a few percent
  /// of a microsecond-long leaf (tuned on the 2-core AMD EPYC dev machine).
  public static let reductionLeaf = 4096

  /// Rows per summation leaf of a reduction along a strided axis (axis 0
  /// of a matrix, say): each leaf folds its rows in order into a vector of
  /// column sums, and leaf vectors are added pairwise. 512 rows keep the
  /// in-leaf error at the whole-array kernels' 511 roundings per
  /// accumulator.
  public static let axisReductionLeaf = 512

  /// Columns per tile of a strided-axis reduction. 4096 Double
  /// accumulators are 32 KiB (an L1) and each row segment read is 8 pages
  /// long, so the prefetchers keep up: axis 0 of a 1000 x 100000 array ran
  /// at 0.36-0.38 ns per element on one thread against 0.45-0.49 with 1024
  /// columns (2-core AMD EPYC Zen 3 dev machine, 512 KiB L2; 8192 and 16384
  /// were no faster and balance worse over two threads).
  public static let axisReductionTile = 4096

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
