// Bilinear spline kernels. Points are located once; for a stack of splines
// on one grid, the n values of a point come from four contiguous runs of
// per-cell coefficients, so the inner loop is a broadcast of (tx, ty) and
// unit-stride loads over the splines, with exp fused and no gathers.
//
// Layout choice: cell-major runs [cell][A|B|C|D][spline] keep every load
// unit-stride, so a point's n values cost n/4 vector evaluations and no
// gathers. A point touches 4 x npad x 8 bytes (1.8 KB, 28 lines, for W1's 50
// splines); for random points those lines come from L3, so the kernel
// prefetches the next point's cell while computing the current one.
// Measured on the 2-core AMD EPYC dev machine (C harness, quiet periods),
// W1 single thread: 1.7-1.85 ns per spline-point, against 0.85-0.95 ns for
// exp alone in cache. Prefetching is worth 3-5%; points all in one cell
// (every load an L1 hit) run about 7% faster than random ones, which bounds
// what sorting points by cell could gain before paying for the sort (an
// extra pass over all points and their cells), so it was not done.
// Values of a stack whose grid lies within +-BW_STACK_EXP_BOUND need no
// range check in exp (see the header); the checked exp costs about 10%
// more per spline-point.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

static inline double bw_clamp(double v, double lo, double hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

// Cell and fractional offsets of one point; returns 0 for a NaN coordinate.
__attribute__((always_inline)) static inline int bw_locate(const bw_axis *ax, const bw_axis *ay, double x, double y,
                            long *cell, double *tx, double *ty) {
  if (x != x || y != y) return 0;
  x = bw_clamp(x, ax->lo, ax->hi);
  y = bw_clamp(y, ay->lo, ay->hi);
  long i = bw_cell(ax, x), j = bw_cell(ay, y);
  *tx = (x - ax->knots[i]) * ax->inv_width[i];
  *ty = (y - ay->knots[j]) * ay->inv_width[j];
  *cell = i * (ay->n - 1) + j;
  return 1;
}

// MARK: single spline

void bw_spline_eval(const bw_axis *ax, const bw_axis *ay, const double *coef,
                    const double *xi, const double *yi, double *out, long m) {
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) { out[p] = NAN; continue; }
    const double *k = coef + 4 * c;
    out[p] = (k[0] + ty * k[2]) + tx * (k[1] + ty * k[3]);
  }
}

double bw_spline_sum_exp(const bw_axis *ax, const bw_axis *ay, const double *coef,
                         const double *xi, const double *yi, long m) {
  // Values in chunks on the stack, then the vectorised exp-sum over them.
  double buf[BW_SPLINE_SUM_CHUNK];
  double parts[BW_LEAF_PARTS_MAX];
  long np = 0;
  for (long p = 0; p < m; p += BW_SPLINE_SUM_CHUNK) {
    long len = m - p < BW_SPLINE_SUM_CHUNK ? m - p : BW_SPLINE_SUM_CHUNK;
    bw_spline_eval(ax, ay, coef, xi + p, yi + p, buf, len);
    double s = bw_sum_exp_f64(buf, len, 0.0);
    if (np == BW_LEAF_PARTS_MAX) {  // callers pass leaves far below 64 chunks; keep it bounded anyway
      parts[0] = bw_pairwise_sum(parts, np);
      np = 1;
    }
    parts[np++] = s;
  }
  return bw_pairwise_sum(parts, np);
}

// MARK: stack (portable)

static void stack_eval_generic(const bw_axis *ax, const bw_axis *ay, const double *coef, long n,
                               long npad, const double *xi, const double *yi, long m, double *out,
                               long ldo) {
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) {
      for (long k = 0; k < n; k++) out[k * ldo + p] = NAN;
      continue;
    }
    const double *A = coef + 4 * npad * c, *B = A + npad, *C = B + npad, *D = C + npad;
    for (long k = 0; k < n; k++) out[k * ldo + p] = (A[k] + ty * C[k]) + tx * (B[k] + ty * D[k]);
  }
}

static double stack_sum_exp_generic(const bw_axis *ax, const bw_axis *ay, const double *coef,
                                    long n, long npad, const double *xi, const double *yi, long m) {
  double acc[4] = {0, 0, 0, 0};
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) { acc[0] += NAN; continue; }
    const double *A = coef + 4 * npad * c, *B = A + npad, *C = B + npad, *D = C + npad;
    for (long k = 0; k < n; k++)
      acc[k & 3] += bw_exp1((A[k] + ty * C[k]) + tx * (B[k] + ty * D[k]));
  }
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

static void stack_per_spline_generic(const bw_axis *ax, const bw_axis *ay, const double *coef,
                                     long n, long npad, const double *xi, const double *yi, long m,
                                     double *per) {
  double *comp = per + n;  // Kahan compensation terms
  for (long k = 0; k < 2 * n; k++) per[k] = 0;
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) {
      for (long k = 0; k < n; k++) per[k] += NAN;
      continue;
    }
    const double *A = coef + 4 * npad * c, *B = A + npad, *C = B + npad, *D = C + npad;
    for (long k = 0; k < n; k++) {
      double y = bw_exp1((A[k] + ty * C[k]) + tx * (B[k] + ty * D[k])) - comp[k];
      double t = per[k] + y;
      // Once the sum overflows, (t - sum) - y would be inf - inf; a zero
      // compensation keeps the sum at +inf instead of NaN.
      comp[k] = isinf(t) ? 0.0 : (t - per[k]) - y;
      per[k] = t;
    }
  }
}

#if BW_X86
// MARK: stack (AVX2 + FMA)

BW_AVX2 static inline __m256d stack_value4(const double *A, long npad, long k, __m256d vtx,
                                           __m256d vty) {
  const double *B = A + npad, *C = B + npad, *D = C + npad;
  __m256d lo = _mm256_fmadd_pd(vty, _mm256_loadu_pd(C + k), _mm256_loadu_pd(A + k));
  __m256d hi = _mm256_fmadd_pd(vty, _mm256_loadu_pd(D + k), _mm256_loadu_pd(B + k));
  return _mm256_fmadd_pd(vtx, hi, lo);
}

BW_AVX2 static void stack_eval_avx2(const bw_axis *ax, const bw_axis *ay, const double *coef,
                                    long n, long npad, const double *xi, const double *yi, long m,
                                    double *out, long ldo) {
  double t[4];
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) {
      for (long k = 0; k < n; k++) out[k * ldo + p] = NAN;
      continue;
    }
    const double *A = coef + 4 * npad * c;
    __m256d vtx = _mm256_set1_pd(tx), vty = _mm256_set1_pd(ty);
    for (long k = 0; k < n; k += 4) {
      _mm256_storeu_pd(t, stack_value4(A, npad, k, vtx, vty));
      long lanes = n - k < 4 ? n - k : 4;
      for (long l = 0; l < lanes; l++) out[(k + l) * ldo + p] = t[l];
    }
  }
}

// Touches the coefficient runs of a cell so they arrive while the current
// point computes: random cells otherwise stall on L3 for every point.
static inline void bw_prefetch_cell(const double *coef, long npad, long cell) {
  const char *p = (const char *)(coef + 4 * npad * cell);
  long bytes = 4 * npad * (long)sizeof(double);
  for (long off = 0; off < bytes; off += 64) __builtin_prefetch(p + off, 0, 3);
}

// exp of spline values: unchecked when the grid bounds them (see
// BW_STACK_EXP_BOUND), else checked per vector.
#define BW_STACK_EXP(v) (bounded ? bw_exp4_core_k(v, K) : bw_exp4(v))

// `bounded` is a compile-time constant in each caller below, so each gets a
// loop with no per-vector range check or none of the branches for it.
BW_AVX2 __attribute__((always_inline)) static inline double stack_sum_exp_body(
    const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad, const int bounded,
    const double *xi, const double *yi, long m) {
  // One accumulator, one vector per step: with the exp constants this is
  // what fits the 16 vector registers without spills.
  __m256d acc = _mm256_setzero_pd();
  const bw_exp_consts *K = bw_exp_consts_opaque();
  long full = n & ~3L;
  __m256d tail_mask = _mm256_castsi256_pd(bw_mask4(n - full));
  long c_next = 0;
  double tx_next = 0, ty_next = 0;
  int ok_next = m > 0 ? bw_locate(ax, ay, xi[0], yi[0], &c_next, &tx_next, &ty_next) : 0;
  for (long p = 0; p < m; p++) {
    long c = c_next;
    double tx = tx_next, ty = ty_next;
    int ok = ok_next;
    if (p + 1 < m) {
      ok_next = bw_locate(ax, ay, xi[p + 1], yi[p + 1], &c_next, &tx_next, &ty_next);
      if (ok_next) bw_prefetch_cell(coef, npad, c_next);
    }
    if (!ok) {
      acc = _mm256_add_pd(acc, _mm256_set1_pd(NAN));
      continue;
    }
    const double *A = coef + 4 * npad * c;
    __m256d vtx = _mm256_set1_pd(tx), vty = _mm256_set1_pd(ty);
    long k = 0;
    for (; k < full; k += 4) acc = _mm256_add_pd(acc, BW_STACK_EXP(stack_value4(A, npad, k, vtx, vty)));
    // Padding lanes hold zeros (in exp's fast range); the mask drops them.
    if (k < n)
      acc = _mm256_add_pd(acc, _mm256_and_pd(tail_mask, BW_STACK_EXP(stack_value4(A, npad, k, vtx, vty))));
  }
  return bw_hsum4(acc);
}

BW_AVX2 static double stack_sum_exp_avx2(const bw_axis *ax, const bw_axis *ay, const double *coef,
                                         long n, long npad, int bounded, const double *xi,
                                         const double *yi, long m) {
  return bounded ? stack_sum_exp_body(ax, ay, coef, n, npad, 1, xi, yi, m)
                 : stack_sum_exp_body(ax, ay, coef, n, npad, 0, xi, yi, m);
}

/// Kahan compensation (t - sum) - y, zeroed where t is infinite: once a sum
/// overflows, inf - inf would turn it into NaN.
BW_AVX2 static inline __m256d bw_kahan_comp(__m256d t, __m256d sum, __m256d y) {
  __m256d finite = _mm256_cmp_pd(_mm256_andnot_pd(_mm256_set1_pd(-0.0), t),
                                 _mm256_set1_pd(INFINITY), _CMP_NEQ_UQ);
  return _mm256_and_pd(finite, _mm256_sub_pd(_mm256_sub_pd(t, sum), y));
}

BW_AVX2 __attribute__((always_inline)) static inline void stack_per_spline_body(
    const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad, const int bounded,
    const double *xi, const double *yi, long m, double *per) {
  // per[] has room for 2n values: sums, then Kahan compensations. The last
  // partial vector (n not a multiple of 4) is kept in registers.
  double *comp = per + n;
  const bw_exp_consts *K = bw_exp_consts_opaque();
  long full = n & ~3L;
  __m256d tail_sum = _mm256_setzero_pd(), tail_comp = tail_sum;
  for (long k = 0; k < 2 * n; k++) per[k] = 0;
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) {
      for (long k = 0; k < full; k++) per[k] += NAN;
      tail_sum = _mm256_add_pd(tail_sum, _mm256_set1_pd(NAN));
      continue;
    }
    const double *A = coef + 4 * npad * c;
    __m256d vtx = _mm256_set1_pd(tx), vty = _mm256_set1_pd(ty);
    long k = 0;
    for (; k < full; k += 4) {
      __m256d sum = _mm256_loadu_pd(per + k), cm = _mm256_loadu_pd(comp + k);
      __m256d y = _mm256_sub_pd(BW_STACK_EXP(stack_value4(A, npad, k, vtx, vty)), cm);
      __m256d t = _mm256_add_pd(sum, y);
      _mm256_storeu_pd(comp + k, bw_kahan_comp(t, sum, y));
      _mm256_storeu_pd(per + k, t);
    }
    if (k < n) {
      __m256d y = _mm256_sub_pd(BW_STACK_EXP(stack_value4(A, npad, k, vtx, vty)), tail_comp);
      __m256d t = _mm256_add_pd(tail_sum, y);
      tail_comp = bw_kahan_comp(t, tail_sum, y);
      tail_sum = t;
    }
  }
  double t[4];
  _mm256_storeu_pd(t, tail_sum);
  for (long k = full; k < n; k++) per[k] = t[k - full];
}

BW_AVX2 static void stack_per_spline_avx2(const bw_axis *ax, const bw_axis *ay, const double *coef,
                                          long n, long npad, int bounded, const double *xi,
                                          const double *yi, long m, double *per) {
  if (bounded) stack_per_spline_body(ax, ay, coef, n, npad, 1, xi, yi, m, per);
  else stack_per_spline_body(ax, ay, coef, n, npad, 0, xi, yi, m, per);
}

#endif  // BW_X86

// MARK: dispatch

void bw_stack_eval(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                   const double *xi, const double *yi, long m, double *out, long ldo) {
  bw_kernels()->stack_eval(ax, ay, coef, n, npad, xi, yi, m, out, ldo);
}

double bw_stack_sum_exp(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                        int bounded, const double *xi, const double *yi, long m) {
  return bw_kernels()->stack_sum_exp(ax, ay, coef, n, npad, bounded, xi, yi, m);
}

void bw_stack_sum_exp_per_spline(const bw_axis *ax, const bw_axis *ay, const double *coef, long n,
                                 long npad, int bounded, const double *xi, const double *yi, long m,
                                 double *per_spline) {
  bw_kernels()->stack_per_spline(ax, ay, coef, n, npad, bounded, xi, yi, m, per_spline);
}

// The portable forms take no `bounded` hint (every lane is checked alike).
static double stack_sum_exp_generic_entry(const bw_axis *ax, const bw_axis *ay, const double *coef, long n,
                                          long npad, int bounded, const double *xi, const double *yi, long m) {
  (void)bounded;
  return stack_sum_exp_generic(ax, ay, coef, n, npad, xi, yi, m);
}
static void stack_per_spline_generic_entry(const bw_axis *ax, const bw_axis *ay, const double *coef, long n,
                                           long npad, int bounded, const double *xi, const double *yi, long m,
                                           double *per_spline) {
  (void)bounded;
  stack_per_spline_generic(ax, ay, coef, n, npad, xi, yi, m, per_spline);
}

// This file's table entries: member, portable form, AVX2 form.
#define BW_SPLINE_ENTRIES(X, t) \
  X(t, stack_eval, stack_eval_generic, stack_eval_avx2)                         \
  X(t, stack_sum_exp, stack_sum_exp_generic_entry, stack_sum_exp_avx2)          \
  X(t, stack_per_spline, stack_per_spline_generic_entry, stack_per_spline_avx2)

void bw_fill_spline(bw_kernel_table *t) { BW_FILL(t, BW_SPLINE_ENTRIES); }
