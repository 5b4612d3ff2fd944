// Scalar pieces every target's kernels share: the exp constants and the
// scalar full-range exp (the vector form over the layer is
// vec/bw_vec_exp.h), the spline cell lookup, and compiler conventions.
#ifndef BW_INTERNAL_H
#define BW_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "CBlockwiseKernels.h"

// No contraction of a * b + c into one fused operation unless a kernel
// writes fma itself: the portable path must give the same bits on every
// architecture (aarch64 has FMA in its baseline, and clang contracts by
// default there), and results must not depend on the compiler's choice.
// (GCC does not know the pragma: builds with GCC, such as the aarch64
// harness, pass -ffp-contract=off.)
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

// The x86 targets (AVX2, AVX-512) exist on x86-64 only, the NEON target
// on aarch64 only; their intrinsics are included by their own target
// files (target_*.c), so this header builds anywhere.
#if defined(__x86_64__)
#define BW_X86 1
#else
#define BW_X86 0
#endif

// Loops whose output may be one of their inputs exactly (in-place forms,
// y == a) but never partially overlaps it: tell the vectoriser so, or its
// run-time overlap check sends every in-place call down the scalar loop.
#if defined(__clang__)
#define BW_IVDEP _Pragma("clang loop vectorize(assume_safety)")
#elif defined(__GNUC__)
#define BW_IVDEP _Pragma("GCC ivdep")
#else
#define BW_IVDEP
#endif

// Bodies inlined into each target's kernels (so each copy is compiled,
// and vectorised, for that target).
#define BW_INLINE static inline __attribute__((always_inline))

// exp(x) = 2^(k/4) * exp(r), k = round(4x / ln 2), r = x - k ln2/4, so
// |r| <= ln2/8. 2^(k/4) = 2^(k >> 2) * 2^((k & 3)/4); the four values
// 2^(j/4) come from a table small enough to live in one register (AVX2
// vpermd), which keeps the polynomial at degree 8 with no memory gathers.
// ln2/4 is split Cody-Waite style: BW_LN2_4_HI has 32 significant bits, so
// k * BW_LN2_4_HI is exact for |k| < 2^21 and r carries only the rounding of
// the k * BW_LN2_4_LO step (at most 2^-57 absolute, 0.06 ulp of the result).
#define BW_LOG2E 1.4426950408889634074
#define BW_4_LOG2E (4.0 * BW_LOG2E)
#define BW_LN2_HI 6.93147180369123816490e-01
#define BW_LN2_LO 1.90821492927058770002e-10
#define BW_LN2_4_HI (BW_LN2_HI / 4.0)
#define BW_LN2_4_LO (BW_LN2_LO / 4.0)
// Beyond these, exp is +inf / 0 in double; clamping keeps k in int range.
#define BW_EXP_HI 710.0
#define BW_EXP_LO (-746.0)
// The vector fast path holds for |x| <= BW_EXP_FAST: 2^(k >> 2) is a
// normal double there and the result neither overflows nor is subnormal.
#define BW_EXP_FAST 708.0

// 2^(j/4) for j = 0..3: the double nearest, stored as its bit pattern minus
// j << 50 so that adding k << 50 (k = 4n + j) yields the bits of
// 2^n * 2^(j/4) in one integer add; and the relative error of that double,
// (2^(j/4) - T_j) / T_j, folded into the polynomial so the table adds no
// rounding of its own. Printed by scripts/exp_poly_fit.py (mpmath).
#define BW_T4_0 0x3ff0000000000000LL
#define BW_T4_1 0x3fef06fe0a31b715LL
#define BW_T4_2 0x3feea09e667f3bcdLL
#define BW_T4_3 0x3feee89f995ad3adLL
#define BW_T4_TAIL_0 0.0
#define BW_T4_TAIL_1 3.3484623336251524e-17
#define BW_T4_TAIL_2 (-6.835808657661922e-17)
#define BW_T4_TAIL_3 4.875160526227062e-17

// exp(r) = 1 + r + r^2 q(r) on |r| <= ln2/8, q of degree 6 (exp of degree
// 8), near-minimax for the absolute error of r^2 q, fitted by
// scripts/exp_poly_fit.py. Max error with these double coefficients:
// 4.5e-18, 0.02 ulp of the result.
#define BW_M2 0.49999999999999994
#define BW_M3 0.16666666666695876
#define BW_M4 0.04166666666676102
#define BW_M5 0.008333333130430885
#define BW_M6 0.001388888852852944
#define BW_M7 0.00019845511257235695
#define BW_M8 2.4806954963038543e-05

// Taylor coefficients 1/k!, for the Float path (evaluated in double, degree
// 8: truncation below 2e-10 relative, 0.003 ulp of a float).
#define BW_C2 0.5
#define BW_C3 1.6666666666666666574e-01
#define BW_C4 4.1666666666666664354e-02
#define BW_C5 8.3333333333333332177e-03
#define BW_C6 1.3888888888888889419e-03
#define BW_C7 1.9841269841269841253e-04
#define BW_C8 2.4801587301587301566e-05

// MARK: portable

static const int64_t bw_t4_bits[4] = {BW_T4_0, BW_T4_1, BW_T4_2, BW_T4_3};
static const double bw_t4_tail[4] = {BW_T4_TAIL_0, BW_T4_TAIL_1, BW_T4_TAIL_2, BW_T4_TAIL_3};

/// exp of one double, every input: the same reduction and polynomial as the
/// vector path, plus the ranges it leaves out (overflow, subnormal results,
/// infinities, NaN).
static inline double bw_exp1(double x) {
  if (!(x > BW_EXP_LO)) return x == x ? 0.0 : x;  // exp(-746) < 2^-1075 rounds to 0; NaN stays
  if (x > BW_EXP_HI) return INFINITY;              // exp(710) > DBL_MAX
  const double shifter = 6755399441055744.0;        // 1.5 * 2^52: adding rounds to integer
  double kd = (x * BW_4_LOG2E + shifter) - shifter;
  double r_hi = x - kd * BW_LN2_4_HI;  // exact
  double c = kd * BW_LN2_4_LO;
  double r = r_hi - c;                  // rounded: feeds only the small r^2 q term
  int64_t k = (int64_t)kd;
  int64_t j = k & 3, n = k >> 2;   // k = 4n + j, n = floor(k / 4)
  double r2 = r * r;
  double a = (BW_M8 * r + BW_M7) * r + BW_M6;
  double q = (a * r2 + (BW_M5 * r + BW_M4)) * r2 + (BW_M3 * r + BW_M2);
  // The exact r_hi plus everything small: p is rounded once, at the size of
  // r. Without FMA, forming r - c and adding the tail and r^2 q to it would
  // round three times there (measured 0.87 ulp worst instead of 0.77).
  double p = r_hi + ((bw_t4_tail[j] - c) + q * r2);  // exp(x) = T_j 2^n (1 + p)
  if (n > -1000) {
    // 2^n T_j and sc * p are normal; n = 1024 (x > 709.7) is scaled in two
    // steps so overflow to +inf comes out of the last, exact, doubling.
    int64_t m = n > 1023 ? n - 1 : n;
    uint64_t b = (uint64_t)bw_t4_bits[j] + ((uint64_t)(4 * m + j) << 50);
    double sc;
    memcpy(&sc, &b, 8);
    double y = sc + sc * p;
    return n > 1023 ? y * 2.0 : y;
  }
  // Result near or below 2^-1022: work scaled by 2^1022, so that sc * p is
  // not subnormal (unscaled, its rounding cost 0.25 ulp near n = -1021).
  // When the scaled result y is below 1 the result is subnormal; round y to
  // the subnormal grid (multiples of 2^-52 here) once, by adding it to 1
  // with the rounding error carried along, so the final scaling by 2^-1022
  // is exact. A plain (y * 2^-1022) would round twice.
  uint64_t b = (uint64_t)bw_t4_bits[j] + ((uint64_t)(4 * (n + 1022) + j) << 50);
  double sc;
  memcpy(&sc, &b, 8);
  double sp = sc * p;
  double y = sc + sp;
  if (y < 1.0) {
    double lo = (sc - y) + sp;
    double hi = 1.0 + y;
    lo = ((1.0 - hi) + y) + lo;
    y = (hi + lo) - 1.0;
  }
  return y * 0x1p-1022;
}

// For Float results: evaluated in double, degree 8 (truncation < 2e-10
// relative, 0.003 ulp of float), one scale factor (n in [-151, 129]).
static inline double bw_exp1_for_f32(double x) {
  x = x < -104.0 ? -104.0 : x;
  x = x > 89.0 ? 89.0 : x;
  const double shifter = 6755399441055744.0;
  double n = (x * BW_LOG2E + shifter) - shifter;
  double r = x - n * BW_LN2_HI;
  r = r - n * BW_LN2_LO;
  double q = BW_C8;
  q = q * r + BW_C7; q = q * r + BW_C6; q = q * r + BW_C5;
  q = q * r + BW_C4; q = q * r + BW_C3; q = q * r + BW_C2;
  double e = 1.0 + (r + (r * r) * q);
  int32_t ni = (n == n) ? (int32_t)n : 0;
  uint64_t b = (uint64_t)(int64_t)(ni + 1023) << 52;
  double s;
  memcpy(&s, &b, 8);
  return e * s;
}

// The vector exp's constants as the initialiser of a target's
// bw_vexp_k (vec/bw_vec_*.h), each splat by the target's SPLAT.
#define BW_VEXP_COMMON(SPLAT)                                                        \
  SPLAT(6755399441055744.0), /* 1.5 * 2^52: adding rounds to an integer */          \
      SPLAT(BW_4_LOG2E), SPLAT(BW_LN2_4_HI), SPLAT(BW_LN2_4_LO), SPLAT(BW_M8), SPLAT(BW_M7), \
      SPLAT(BW_M6), SPLAT(BW_M5), SPLAT(BW_M4), SPLAT(BW_M3), SPLAT(BW_M2)

// MARK: spline axes

// A condition the branch predictor cannot learn: clang then selects
// (cmov) instead of branching, which it otherwise prefers even for
// arithmetic written to avoid a branch.
#if defined(__clang__)
#define BW_UNPREDICTABLE(c) __builtin_unpredictable(c)
#else
#define BW_UNPREDICTABLE(c) (c)
#endif

// Shared by the bilinear (spline.c) and B-spline (bspline.c) kernels.
// Index of the cell [knots[i], knots[i+1]] holding x (lo <= x <= hi, not NaN).
__attribute__((always_inline)) static inline long bw_cell(const bw_axis *a, double x) {
  long last = a->n - 2;
  long i;
  if (a->uniform) {
    // Knots lie within 1e-3 of a cell of the uniform positions, so the
    // guess is off by at most one cell.
    i = (long)((x - a->lo) * a->inv_h);
    if (i > last) i = last;
    if (i > 0 && x < a->knots[i]) i--;
    else if (i < last && x >= a->knots[i + 1]) i++;
    return i;
  }
  long b = (long)((x - a->lo) * a->inv_bucket);
  if (b >= a->nbuckets) b = a->nbuckets - 1;
  long lo = a->bucket[b], hi = a->bucket[b + 1];
  // One cell of slack on each side absorbs the rounding of the bucket index.
  if (lo > 0) lo--;
  if (hi < last) hi++;
  // The largest i in [lo, hi] with knots[i] <= x, by a binary search whose
  // step is a select, not a branch: points in random order would
  // mispredict a branch on every other step (it was most of a B-spline
  // stack's sort).
  for (long len = hi - lo + 1; len > 1;) {
    long half = len >> 1;
    lo = BW_UNPREDICTABLE(a->knots[lo + half] <= x) ? lo + half : lo;
    len -= half;
  }
  return lo;
}


// MARK: bilinear cells

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

// MARK: B-spline pieces (bspline.c and every target's stack kernels)

// Breakpoint intervals are located with bw_cell, the bilinear splines'
// lookup, on the axis of breakpoints t[k..n-k-1].

// de Boor's recursion (FITPACK's fpbspl): h[0..j] the degree-j B-splines
// non-zero on [t[l], t[l+1]), raised one degree per step. With the axis's
// table of reciprocal knot spans the divisions become multiplies (one more
// rounding of the span, 0.5 ulp); k is a constant in each instance, so the
// loops unroll.
// `fused` (a constant per instance): targets whose multiply-add is fused
// (BW_V_FMA) raise the degree with one fused multiply-add per step; the
// generic target rounds the product and the sum apart, on every
// architecture alike.
// bs_basis_in_cell takes x already clamped to the breaks and its cell c
// (from bw_cell on them); bs_basis_impl clamps and locates.
BW_INLINE void bs_basis_in_cell(const bw_bspline_axis *a, double x, long c, double *h, const int k,
                                const int fused) {
  long l = c + k;  // t[l] <= x < t[l+1]
  const double *t = a->t;
  const double *inv = a->inv_span ? a->inv_span + c * (k * (k + 1) / 2) : 0;
  double hh[BW_BSPLINE_MAX_DEGREE + 1];
  h[0] = 1.0;
  for (int j = 1; j <= k; j++) {
    for (int i = 0; i < j; i++) hh[i] = h[i];
    h[0] = 0.0;
    for (int i = 1; i <= j; i++) {
      double tl = t[l + i], tr = t[l + i - j];
      double f = inv ? hh[i - 1] * inv[(j - 1) * j / 2 + i - 1] : hh[i - 1] / (tl - tr);
      if (fused) h[i - 1] = fma(f, tl - x, h[i - 1]);
      else h[i - 1] += f * (tl - x);
      h[i] = f * (x - tr);
    }
  }
}

BW_INLINE long bs_basis_impl(const bw_bspline_axis *a, double x, double *h, const int k, const int fused) {
  const bw_axis *br = a->breaks;
  x = bw_clamp(x, br->lo, br->hi);
  long c = bw_cell(br, x);
  bs_basis_in_cell(a, x, c, h, k, fused);
  return c;
}

// How a B-spline stack leaf is ordered for its fused sum (see bspline.c).
static inline long bs_buckets(const bw_bspline_axis *ax, const bw_bspline_axis *ay, long m, int *by_cell) {
  long ncx = ax->breaks->n - 1, ncy = ay->breaks->n - 1;
  if (ncx * ncy <= 4 * m) { *by_cell = 1; return ncx * ncy + 1; }
  if (ncx <= 4 * m) { *by_cell = 0; return ncx + 1; }
  *by_cell = -1;  // no sort: too many buckets to be worth it
  return 1;
}

BW_INLINE long bs_key(const bw_bspline_axis *ax, const bw_bspline_axis *ay, double x, double y, int by_cell,
                      long ncy, long nan_key) {
  if (x != x || y != y) return nan_key;
  if (by_cell < 0) return 0;
  const bw_axis *bx = ax->breaks;
  long i = bw_cell(bx, bw_clamp(x, bx->lo, bx->hi));
  if (!by_cell) return i;
  const bw_axis *byy = ay->breaks;
  return i * ncy + bw_cell(byy, bw_clamp(y, byy->lo, byy->hi));
}

// The leaf's points in order: a stable counting sort by key (NaN points
// last) that moves the coordinates themselves into xs, ys (scattered
// stores, so the evaluation reads them in sequence instead of waiting on a
// gather per point). Afterwards count[b] is the end of bucket b.
static inline void bs_order(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *xi, const double *yi,
                            long m, int32_t *key, double *xs, double *ys, int32_t *count, long buckets,
                            int by_cell) {
  long ncy = ay->breaks->n - 1;
  for (long b = 0; b <= buckets; b++) count[b] = 0;
  for (long p = 0; p < m; p++) {
    key[p] = (int32_t)bs_key(ax, ay, xi[p], yi[p], by_cell, ncy, buckets - 1);
    count[key[p] + 1]++;
  }
  for (long b = 1; b <= buckets; b++) count[b] += count[b - 1];
  for (long p = 0; p < m; p++) {
    long q = count[key[p]]++;
    xs[q] = xi[p];
    ys[q] = yi[p];
  }
}

// A leaf's scratch for bs_order (keys, counts, sorted coordinates), in
// doubles; the coordinates start at offset bs_order_coords.
static inline long bs_order_coords(long m, long buckets) { return (m + buckets + 2) / 2; }
static inline long bs_order_scratch(long m, long buckets) { return bs_order_coords(m, buckets) + 2 * m; }

// MARK: chunk sums

/// Sums of a leaf's chunks, added pairwise at the end: a fixed order for a
/// given number of chunks. (Leaves are far shorter than
/// BW_LEAF_PARTS_MAX chunks; past it the parts are folded, still in a
/// fixed order.)
typedef struct {
  double parts[BW_LEAF_PARTS_MAX];
  long count;
} bw_chunk_sums;

static inline void bw_chunk_sums_init(bw_chunk_sums *s) { s->count = 0; }

static inline void bw_chunk_sums_add(bw_chunk_sums *s, double v) {
  if (s->count == BW_LEAF_PARTS_MAX) {
    s->parts[0] = bw_pairwise_sum(s->parts, s->count);
    s->count = 1;
  }
  s->parts[s->count++] = v;
}

static inline double bw_chunk_sums_total(const bw_chunk_sums *s) { return bw_pairwise_sum(s->parts, s->count); }

/// sum of exp(value) over m points of one spline, whose values at points
/// (xi[p], yi[p]) EVAL(ax, ay, coef, xi, yi, out, len) writes: values
/// formed BW_SPLINE_SUM_CHUNK at a time into a stack buffer, exp-summed by
/// the calling thread's target, chunk sums added pairwise
/// (bw_chunk_sums). The one driver of the single splines' fused sums
/// (bilinear and B-spline); a statement expression, so EVAL is a direct
/// call.
#define BW_CHUNKED_SUM_EXP(EVAL, ax, ay, coef, xi, yi, m)                  \
  ({                                                                      \
    double buf_[BW_SPLINE_SUM_CHUNK];                                     \
    bw_chunk_sums sums_;                                                  \
    bw_chunk_sums_init(&sums_);                                           \
    for (long p_ = 0; p_ < (m); p_ += BW_SPLINE_SUM_CHUNK) {              \
      long len_ = (m) - p_ < BW_SPLINE_SUM_CHUNK ? (m) - p_ : BW_SPLINE_SUM_CHUNK; \
      EVAL(ax, ay, coef, (xi) + p_, (yi) + p_, buf_, len_);               \
      bw_chunk_sums_add(&sums_, bw_sum_exp_f64(buf_, len_, 0.0));         \
    }                                                                     \
    bw_chunk_sums_total(&sums_);                                          \
  })

#endif
