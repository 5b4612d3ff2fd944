// Reductions along a strided axis: a block of rows, each `ld` elements
// apart, folded row by row into a vector of column accumulators. The
// accumulator vector is short (the caller's column tile stays in L1) and
// every row segment is read with unit stride, so reducing axis 0 of a
// [1000, 100000] array streams memory like a plain sum. Rows are folded in
// order, one rounding each, so a column's result depends only on the rows
// it was given: the Swift layer fixes those (leaves of rows combined
// pairwise), and with them every bit, whatever the thread count or tiling.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

// The kernels are written once in kernels/bw_k_axis.h and compiled per
// target; these entry points go through the dispatch table.
#define BW_AXIS_ENTRY(NAME, T) \
  void bw_##NAME(const T *x, long rows, long ld, long cols, double *acc) { bw_kernels()->NAME(x, rows, ld, cols, acc); }
BW_AXIS_ENTRY(rows_sum_f64, double)
BW_AXIS_ENTRY(rows_sum_f32, float)
BW_AXIS_ENTRY(rows_max_f64, double)
BW_AXIS_ENTRY(rows_min_f64, double)
BW_AXIS_ENTRY(rows_max_f32, float)
BW_AXIS_ENTRY(rows_min_f32, float)

void bw_rows_sum_exp_f64(const double *x, long rows, long ld, long cols, const double *shift,
                         double *acc) {
  bw_kernels()->rows_sum_exp_f64(x, rows, ld, cols, shift, acc);
}
void bw_rows_sum_exp_f32(const float *x, long rows, long ld, long cols, const double *shift,
                         double *acc) {
  bw_kernels()->rows_sum_exp_f32(x, rows, ld, cols, shift, acc);
}

// MARK: pairwise combination of partial vectors

// The tree of bw_pairwise_sum, applied to whole vectors: up to 8 runs are
// added in order, longer lists split in half.
void bw_pairwise_rows(double *p, long count, long cols) {
  if (count <= 1) return;
  if (count <= BW_PAIRWISE_RUN) {
    for (long k = 1; k < count; k++) {
      const double *q = p + k * cols;
      for (long j = 0; j < cols; j++) p[j] += q[j];
    }
    return;
  }
  long half = count / 2;
  bw_pairwise_rows(p, half, cols);
  bw_pairwise_rows(p + half * cols, count - half, cols);
  const double *q = p + half * cols;
  for (long j = 0; j < cols; j++) p[j] += q[j];
}
