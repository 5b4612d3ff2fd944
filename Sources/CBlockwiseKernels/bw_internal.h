// Shared inline pieces of the kernels: the exp polynomial in its AVX2 and
// portable forms, so the spline kernels fuse exp without a call per value.
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

// The AVX2+FMA forms exist on x86-64 only; every intrinsic sits inside
// `#if BW_X86` (and BW_X86_ONLY(...) for macro-made forms), so the
// package builds for aarch64 with the portable path.
#if defined(__x86_64__)
#define BW_X86 1
#include <immintrin.h>
#define BW_AVX2 __attribute__((target("avx2,fma")))
#define BW_X86_ONLY(...) __VA_ARGS__
#else
#define BW_X86 0
#define BW_X86_ONLY(...)
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

// One kernel body, compiled for each path: a static inline body marked
// always_inline and a wrapper per target, so the AVX2 copy is vectorised
// with 256-bit registers and the portable copy with the baseline ISA.
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

#if BW_X86
// MARK: AVX2 + FMA

/// The fast path's constants as full vectors. Kernels that keep many values
/// live (the spline stacks) pass this table through `bw_exp_consts_opaque`,
/// so the compiler cannot see the values and uses them as memory operands
/// instead of broadcasting each into one of the 16 vector registers; in the
/// stack loop that removed a spill and a dozen register moves per vector
/// (3-5% faster W1 on the dev machine).
typedef struct {
  __m256d shifter, log2e4, ln2_4_hi, ln2_4_lo, m8, m7, m6, m5, m4, m3, m2, tail;
  __m256i bits, word_hi;
} bw_exp_consts;

#define BW_SPLAT4(v) {v, v, v, v}
static const bw_exp_consts bw_exp_k __attribute__((aligned(32))) = {
    BW_SPLAT4(6755399441055744.0),  // 1.5 * 2^52: adding rounds to an integer
    BW_SPLAT4(BW_4_LOG2E), BW_SPLAT4(BW_LN2_4_HI), BW_SPLAT4(BW_LN2_4_LO),
    BW_SPLAT4(BW_M8), BW_SPLAT4(BW_M7), BW_SPLAT4(BW_M6), BW_SPLAT4(BW_M5),
    BW_SPLAT4(BW_M4), BW_SPLAT4(BW_M3), BW_SPLAT4(BW_M2),
    {BW_T4_TAIL_0, BW_T4_TAIL_1, BW_T4_TAIL_2, BW_T4_TAIL_3},
    {BW_T4_0, BW_T4_1, BW_T4_2, BW_T4_3},
    BW_SPLAT4(1LL << 32)};

/// `&bw_exp_k`, hidden from the optimiser (see bw_exp_consts).
static inline const bw_exp_consts *bw_exp_consts_opaque(void) {
  const bw_exp_consts *k = &bw_exp_k;
  __asm__("" : "+r"(k));
  return k;
}

/// exp of 4 doubles, each with |x| <= BW_EXP_FAST (708), or NaN (NaN out).
/// Callers check the range: per vector (`bw_exp4`), per block (the array
/// kernels) or once per spline stack, whose values are bounded by its grid.
/// Measured worst 0.69 ulp (4M arguments in [-708, 708] against expl).
BW_AVX2 static inline __m256d bw_exp4_core_k(__m256d x, const bw_exp_consts *K) {
  __m256d kd = _mm256_fmadd_pd(x, K->log2e4, K->shifter);
  __m256d k = _mm256_sub_pd(kd, K->shifter);
  __m256d r = _mm256_fnmadd_pd(k, K->ln2_4_hi, x);  // exact
  r = _mm256_fnmadd_pd(k, K->ln2_4_lo, r);
  // k sits in the low mantissa bits of kd. vpermd selects 32-bit words by
  // the low 3 bits of each index, so lane j = k & 3 wants words (2j, 2j+1).
  __m256i kb = _mm256_castpd_si256(kd);
  __m256i w = _mm256_shuffle_epi32(_mm256_slli_epi64(kb, 1), _MM_SHUFFLE(2, 2, 0, 0));
  __m256i idx = _mm256_add_epi32(w, K->word_hi);
  __m256i tb = _mm256_permutevar8x32_epi32(K->bits, idx);
  __m256d tail = _mm256_castsi256_pd(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(K->tail), idx));
  // (k << 50) wraps to the two's complement k; added to the table's bits it
  // gives 2^n T_j, a normal double for |x| <= 708.
  __m256d sc = _mm256_castsi256_pd(_mm256_add_epi64(tb, _mm256_slli_epi64(kb, 50)));
  // q(r) in three short independent pieces joined by r^2. The kernel runs
  // well below the FMA ports' rate (Zen 3 issues 256-bit FMAs at full rate:
  // 7.3 per ns measured), and both the operation count and the dependency
  // chain have mattered. Dev machine, exp of an in-cache array: the earlier
  // degree-11 polynomial without a table took 2.06 ns with Horner and
  // 1.25 ns with Estrin; this takes 0.95 ns. A further Estrin split (one
  // more multiply, four cycles less chain) measured no faster.
  __m256d r2 = _mm256_mul_pd(r, r);
  __m256d a = _mm256_fmadd_pd(_mm256_fmadd_pd(K->m8, r, K->m7), r, K->m6);
  __m256d b = _mm256_fmadd_pd(K->m5, r, K->m4);
  __m256d c = _mm256_fmadd_pd(K->m3, r, K->m2);
  __m256d q = _mm256_fmadd_pd(_mm256_fmadd_pd(a, r2, b), r2, c);
  __m256d p = _mm256_fmadd_pd(q, r2, _mm256_add_pd(r, tail));
  return _mm256_fmadd_pd(sc, p, sc);  // 2^n T_j (1 + p), one rounding
}

/// `bw_exp4_core_k` with the constants visible to the compiler.
BW_AVX2 static inline __m256d bw_exp4_core(__m256d x) { return bw_exp4_core_k(x, &bw_exp_k); }

/// True when every lane satisfies the fast path's |x| <= 708 (false for NaN).
BW_AVX2 static inline int bw_exp4_in_range(__m256d x) {
  __m256d ax = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
  return _mm256_movemask_pd(_mm256_cmp_pd(ax, _mm256_set1_pd(BW_EXP_FAST), _CMP_LE_OQ)) == 0xF;
}

/// exp of 4 doubles, any input. Lanes outside the fast range (overflow,
/// subnormal results, infinities, NaN) are rare and go through `bw_exp1`.
BW_AVX2 static inline __m256d bw_exp4(__m256d x) {
  if (__builtin_expect(bw_exp4_in_range(x), 1)) return bw_exp4_core(x);
  double t[4];
  _mm256_storeu_pd(t, x);
  for (int l = 0; l < 4; l++) t[l] = bw_exp1(t[l]);
  return _mm256_loadu_pd(t);
}

// Array kernels check the range once per chunk of BW_EXP_CHUNK values
// (bw_policy.h).

/// Whether x[i] - shift lies in the fast range for every i < len (len a
/// multiple of 4). NaN elements are ignored: the fast path returns NaN for
/// them, as it should. Subtraction rounds monotonically, so bounding the
/// extremes bounds every element.
BW_AVX2 static inline int bw_chunk_in_range(const double *x, long len, __m256d shift) {
  __m256d lo = shift, hi = shift;
  for (long k = 0; k < len; k += 4) {
    __m256d v = _mm256_loadu_pd(x + k);
    lo = _mm256_min_pd(v, lo);  // second operand returned when v is NaN
    hi = _mm256_max_pd(v, hi);
  }
  __m256d ok = _mm256_and_pd(
      _mm256_cmp_pd(_mm256_sub_pd(hi, shift), _mm256_set1_pd(BW_EXP_FAST), _CMP_LE_OQ),
      _mm256_cmp_pd(_mm256_sub_pd(lo, shift), _mm256_set1_pd(-BW_EXP_FAST), _CMP_GE_OQ));
  return _mm256_movemask_pd(ok) == 0xF;
}

BW_AVX2 static inline __m256d bw_exp4_for_f32(__m256d x) {
  x = _mm256_min_pd(_mm256_set1_pd(89.0), _mm256_max_pd(_mm256_set1_pd(-104.0), x));
  __m256d n = _mm256_round_pd(_mm256_mul_pd(x, _mm256_set1_pd(BW_LOG2E)),
                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(n, _mm256_set1_pd(BW_LN2_HI), x);
  r = _mm256_fnmadd_pd(n, _mm256_set1_pd(BW_LN2_LO), r);
  __m256d r2 = _mm256_mul_pd(r, r);
  __m256d p23 = _mm256_fmadd_pd(_mm256_set1_pd(BW_C3), r, _mm256_set1_pd(BW_C2));
  __m256d p45 = _mm256_fmadd_pd(_mm256_set1_pd(BW_C5), r, _mm256_set1_pd(BW_C4));
  __m256d p67 = _mm256_fmadd_pd(_mm256_set1_pd(BW_C7), r, _mm256_set1_pd(BW_C6));
  __m256d q = _mm256_fmadd_pd(_mm256_fmadd_pd(_mm256_set1_pd(BW_C8), r2, p67), _mm256_mul_pd(r2, r2),
                              _mm256_fmadd_pd(p45, r2, p23));
  __m256d e = _mm256_add_pd(_mm256_set1_pd(1.0), _mm256_fmadd_pd(q, r2, r));
  __m128i ni = _mm256_cvtpd_epi32(n);
  __m256d s = _mm256_castsi256_pd(
      _mm256_slli_epi64(_mm256_cvtepi32_epi64(_mm_add_epi32(ni, _mm_set1_epi32(1023))), 52));
  return _mm256_mul_pd(e, s);
}

/// Horizontal sum of 4 lanes in a fixed order: (l0 + l1) + (l2 + l3).
BW_AVX2 static inline double bw_hsum4(__m256d v) {
  double t[4];
  _mm256_storeu_pd(t, v);
  return (t[0] + t[1]) + (t[2] + t[3]);
}

/// Lane mask for the first k (0..4) lanes.
BW_AVX2 static inline __m256i bw_mask4(long k) {
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x(k), _mm256_set_epi64x(3, 2, 1, 0));
}


#endif  // BW_X86

// MARK: spline axes

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
  while (lo < hi) {  // largest i in [lo, hi] with knots[i] <= x
    long mid = (lo + hi + 1) >> 1;
    if (a->knots[mid] <= x) lo = mid; else hi = mid - 1;
  }
  return lo;
}

#endif
