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

// MARK: sum

// Four rows per pass: (((acc + x0) + x1) + x2) + x3 rounds exactly as four
// single-row passes would, with a quarter of the accumulator traffic.
#define BW_ROWS_SUM_BODY(T)                                                          \
  long r = 0;                                                                        \
  for (; r + 4 <= rows; r += 4) {                                                    \
    const T *x0 = x + r * ld, *x1 = x0 + ld, *x2 = x1 + ld, *x3 = x2 + ld;           \
    BW_IVDEP for (long j = 0; j < cols; j++)                                         \
      acc[j] = (((acc[j] + (double)x0[j]) + (double)x1[j]) + (double)x2[j]) + (double)x3[j]; \
  }                                                                                  \
  for (; r < rows; r++) {                                                            \
    const T *x0 = x + r * ld;                                                        \
    BW_IVDEP for (long j = 0; j < cols; j++) acc[j] += (double)x0[j];                \
  }

BW_INLINE void rows_sum_f64_body(const double *x, long rows, long ld, long cols, double *acc) {
  BW_ROWS_SUM_BODY(double)
}
BW_INLINE void rows_sum_f32_body(const float *x, long rows, long ld, long cols, double *acc) {
  BW_ROWS_SUM_BODY(float)
}
#if BW_X86
BW_AVX2 static void rows_sum_f64_avx2(const double *x, long rows, long ld, long cols, double *acc) {
  rows_sum_f64_body(x, rows, ld, cols, acc);
}
BW_AVX2 static void rows_sum_f32_avx2(const float *x, long rows, long ld, long cols, double *acc) {
  rows_sum_f32_body(x, rows, ld, cols, acc);
}
#endif
static void rows_sum_f64_generic(const double *x, long rows, long ld, long cols, double *acc) {
  rows_sum_f64_body(x, rows, ld, cols, acc);
}
static void rows_sum_f32_generic(const float *x, long rows, long ld, long cols, double *acc) {
  rows_sum_f32_body(x, rows, ld, cols, acc);
}

void bw_rows_sum_f64(const double *x, long rows, long ld, long cols, double *acc) {
  bw_kernels()->rows_sum_f64(x, rows, ld, cols, acc);
}
void bw_rows_sum_f32(const float *x, long rows, long ld, long cols, double *acc) {
  bw_kernels()->rows_sum_f32(x, rows, ld, cols, acc);
}

// MARK: sum of exp

#if BW_X86
// LOAD4 reads four elements as doubles (a plain load, or four floats widened).
#define BW_ROWS_SUM_EXP_AVX2(NAME, T, LOAD4)                                          \
  BW_AVX2 static void NAME(const T *x, long rows, long ld, long cols, const double *shift, \
                           double *acc) {                                             \
    long full = cols & ~3L;                                                           \
    for (long r = 0; r < rows; r++) {                                                 \
      const T *xr = x + r * ld;                                                       \
      long j = 0;                                                                     \
      for (; j < full; j += 4) {                                                      \
        __m256d v = LOAD4(xr + j);                                                    \
        if (shift) v = _mm256_sub_pd(v, _mm256_loadu_pd(shift + j));                  \
        _mm256_storeu_pd(acc + j, _mm256_add_pd(_mm256_loadu_pd(acc + j), bw_exp4(v))); \
      }                                                                               \
      for (; j < cols; j++) acc[j] += bw_exp1((double)xr[j] - (shift ? shift[j] : 0.0)); \
    }                                                                                 \
  }

#define BW_LOAD4_F32(p) _mm256_cvtps_pd(_mm_loadu_ps(p))
BW_ROWS_SUM_EXP_AVX2(rows_sum_exp_f64_avx2, double, _mm256_loadu_pd)
BW_ROWS_SUM_EXP_AVX2(rows_sum_exp_f32_avx2, float, BW_LOAD4_F32)

#endif  // BW_X86

#define BW_ROWS_SUM_EXP_GENERIC(NAME, T)                                               \
  static void NAME(const T *x, long rows, long ld, long cols, const double *shift,      \
                   double *acc) {                                                       \
    for (long r = 0; r < rows; r++) {                                                   \
      const T *xr = x + r * ld;                                                         \
      for (long j = 0; j < cols; j++) acc[j] += bw_exp1((double)xr[j] - (shift ? shift[j] : 0.0)); \
    }                                                                                   \
  }
BW_ROWS_SUM_EXP_GENERIC(rows_sum_exp_f64_generic, double)
BW_ROWS_SUM_EXP_GENERIC(rows_sum_exp_f32_generic, float)

void bw_rows_sum_exp_f64(const double *x, long rows, long ld, long cols, const double *shift,
                         double *acc) {
  bw_kernels()->rows_sum_exp_f64(x, rows, ld, cols, shift, acc);
}
void bw_rows_sum_exp_f32(const float *x, long rows, long ld, long cols, const double *shift,
                         double *acc) {
  bw_kernels()->rows_sum_exp_f32(x, rows, ld, cols, shift, acc);
}

// MARK: min / max

// `v CMP a || v != v` keeps a NaN accumulator NaN (every comparison with it
// is false) and lets a NaN element in; the select vectorises as a blend.
#define BW_ROWS_EXTREMUM(NAME, T, CMP)                                                  \
  BW_INLINE void NAME##_body(const T *x, long rows, long ld, long cols, double *acc) {  \
    for (long r = 0; r < rows; r++) {                                                   \
      const T *xr = x + r * ld;                                                         \
      BW_IVDEP for (long j = 0; j < cols; j++) {                                        \
        double v = (double)xr[j], a = acc[j];                                           \
        acc[j] = (v CMP a || v != v) ? v : a;                                           \
      }                                                                                 \
    }                                                                                   \
  }                                                                                     \
  BW_X86_ONLY(BW_AVX2 static void NAME##_avx2(const T *x, long rows, long ld, long cols, double *acc) { \
    NAME##_body(x, rows, ld, cols, acc);                                                \
  })                                                                                    \
  static void NAME##_generic(const T *x, long rows, long ld, long cols, double *acc) {  \
    NAME##_body(x, rows, ld, cols, acc);                                                \
  }                                                                                     \
  void bw_##NAME(const T *x, long rows, long ld, long cols, double *acc) {              \
    bw_kernels()->NAME(x, rows, ld, cols, acc);                                         \
  }

BW_ROWS_EXTREMUM(rows_max_f64, double, >)
BW_ROWS_EXTREMUM(rows_min_f64, double, <)
BW_ROWS_EXTREMUM(rows_max_f32, float, >)
BW_ROWS_EXTREMUM(rows_min_f32, float, <)

// This file's table entries: member, portable form, AVX2 form.
#define BW_AXIS_ENTRIES(X, t) \
  X(t, rows_sum_f64, rows_sum_f64_generic, rows_sum_f64_avx2)             \
  X(t, rows_sum_f32, rows_sum_f32_generic, rows_sum_f32_avx2)             \
  X(t, rows_sum_exp_f64, rows_sum_exp_f64_generic, rows_sum_exp_f64_avx2) \
  X(t, rows_sum_exp_f32, rows_sum_exp_f32_generic, rows_sum_exp_f32_avx2) \
  X(t, rows_max_f64, rows_max_f64_generic, rows_max_f64_avx2)             \
  X(t, rows_min_f64, rows_min_f64_generic, rows_min_f64_avx2)             \
  X(t, rows_max_f32, rows_max_f32_generic, rows_max_f32_avx2)             \
  X(t, rows_min_f32, rows_min_f32_generic, rows_min_f32_avx2)

void bw_fill_axis(bw_kernel_table *t) { BW_FILL(t, BW_AXIS_ENTRIES); }

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
