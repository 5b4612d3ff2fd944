// The splitting policy of Blockwise, in one place: every block, leaf,
// chunk and scratch length that the C kernels and the Swift layer use.
// Swift reads these through `BlockPolicy`; nothing else spells the numbers.
//
// Two kinds of length:
// - a LEAF (or a chunk inside a leaf) decides the summation tree, and with
//   it the bits of a reduction: the same for any thread count, rank count
//   or machine, changed only deliberately (the golden-bits test notices);
// - a BLOCK or TILE decides speed only.
// Tuned on the 2-core AMD EPYC Zen 3 dev machine (512 KiB L2 per core)
// unless said otherwise.
#ifndef BW_POLICY_H
#define BW_POLICY_H

// MARK: - Leaves (decide result bits)

/// Elements per summation leaf of the array reductions and of fused
/// expression reductions: 4096 doubles are 32 KiB, an L1's worth, and the
/// per-leaf call stays a few percent of a microsecond-long leaf.
#define BW_REDUCTION_LEAF 4096
/// Rows per leaf of a reduction along a strided axis: 512 rows keep the
/// in-leaf error at the array kernels' 511 roundings per accumulator.
#define BW_AXIS_REDUCTION_LEAF 512
/// Partials added in index order below this count; longer lists split in
/// half (bw_pairwise_sum, bw_pairwise_rows).
#define BW_PAIRWISE_RUN 8
/// Points per leaf of BilinearSpline.sumExp and BivariateSpline.sumExp.
#define BW_SPLINE_SUM_LEAF 1024
/// Points per chunk inside a single spline's leaf: values are formed in a
/// stack buffer of this many doubles, exp-summed, and chunk sums added
/// pairwise (2 KiB, in L1 with the kernel's other data).
#define BW_SPLINE_SUM_CHUNK 256
/// Points per leaf of BilinearSplineStack.sumExp: 8 bytes of partials per
/// 256 points is what an MPI rank exchanges; smaller leaves cost more calls.
#define BW_BILINEAR_STACK_SUM_LEAF 256
/// Points per leaf of BilinearSplineStack.sumExpPerSpline.
#define BW_BILINEAR_STACK_PER_SPLINE_LEAF 1024
/// Points per leaf of BivariateSplineStack.sumExp: a leaf is sorted by cell
/// (coefficient windows reused from cache), so long leaves pay.
#define BW_BSPLINE_STACK_SUM_LEAF 8192
/// Points per chunk inside a B-spline stack leaf (values of 50 splines x 64
/// points = 25 KiB of scratch, in L1/L2).
#define BW_BSPLINE_STACK_SUM_CHUNK 64
/// Points per leaf of BivariateSplineStack.sumExpPerSpline.
#define BW_BSPLINE_STACK_PER_SPLINE_LEAF 256
/// Chunk sums a leaf keeps before folding them (a stack array; leaves are
/// far shorter than 64 chunks, so this bound is never reached in practice).
#define BW_LEAF_PARTS_MAX 64

// MARK: - Chunks and blocks (speed only)

/// Elements per register chunk of a compiled expression: each instruction
/// runs over a whole chunk before the next (2048 doubles = 16 KiB per
/// register, so a program's registers stay in L1/L2). W3 through an
/// Expression took 1.21-1.24x the hand-fused loop with 2048, 1.27-1.29x
/// with 1024 and 1.30x with 4096; W5 was no slower. A reduction leaf is
/// BW_REDUCTION_LEAF / BW_EXPR_CHUNK chunks combined in order.
#define BW_EXPR_CHUNK 2048
/// Values per range check of the exp kernels (a min and a max per vector
/// instead of a compare and branch per vector: 10-15% faster exp).
#define BW_EXP_CHUNK 32
/// Columns per tile of a strided-axis reduction: 4096 Double accumulators
/// are 32 KiB and each row segment read is 8 pages long; axis 0 of a
/// 1000 x 100000 array ran at 0.36-0.38 ns per element on one thread
/// against 0.45-0.49 with 1024 columns (8192 and 16384 no faster, and
/// balance worse over two threads).
#define BW_AXIS_REDUCTION_TILE 4096
/// Points per block of BilinearSpline.evaluate.
#define BW_BILINEAR_POINTS_PER_BLOCK 4096
/// Points per block of BivariateSpline.evaluate.
#define BW_BSPLINE_POINTS_PER_BLOCK 2048
/// Points per block of a stack's evaluate (the n values per point are
/// written as rows of n, so 512 points of 50 splines are 200 KiB).
#define BW_STACK_EVAL_BLOCK 512
/// Points ahead whose spline-stack cell is prefetched while the current
/// point computes (its coefficient runs come from L3 for random points).
/// Dev machine, W1 through the C kernels alone, one thread: distance 0
/// took 122 ms (Double) / 86 ms (Float), 4 took 87-94 / 50-59, 8 and 16
/// no better.
#define BW_STACK_PREFETCH_POINTS 4
/// Points a stack kernel locates ahead of its arithmetic (cells and offsets
/// on the stack, 1.5 KiB; the first BW_STACK_PREFETCH_POINTS of each block
/// go unprefetched, 6% of them).
#define BW_STACK_LOCATE_BLOCK 64
/// Elements per side of a transpose tile (32 x 32 doubles = 8 KiB).
#define BW_TRANSPOSE_TILE 32

#endif
