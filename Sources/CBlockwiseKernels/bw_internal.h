// Shared inline pieces of the kernels: the exp polynomial in its AVX2 and
// portable forms, so the spline kernels fuse exp without a call per value.
#ifndef BW_INTERNAL_H
#define BW_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <immintrin.h>

#define BW_AVX2 __attribute__((target("avx2,fma")))

// exp(x) = 2^n * exp(r), n = round(x / ln 2), r = x - n ln2 in [-ln2/2, ln2/2].
// ln 2 split Cody-Waite style: LN2_HI has 32 significant bits, so n * LN2_HI
// is exact for |n| < 2^21 and r carries no reduction error beyond LN2_LO's.
#define BW_LOG2E 1.4426950408889634074
#define BW_LN2_HI 6.93147180369123816490e-01
#define BW_LN2_LO 1.90821492927058770002e-10
// Beyond these, exp is +inf / 0 in double; clamping keeps n in int range.
#define BW_EXP_HI 710.0
#define BW_EXP_LO (-746.0)

// Polynomial for exp(r) = 1 + r + r^2 q(r), |r| <= ln2/2: q of degree 9,
// near-minimax for the absolute error of r^2 q, fitted by
// scripts/exp_poly_fit.py. Max error with these double coefficients:
// 9.6e-18, 0.04 ulp of the result. Two fewer FMAs than the Taylor series of
// the same accuracy (degree 13), about 10% faster on the dev machine.
#define BW_M2 0.5000000000000013
#define BW_M3 0.16666666666666696
#define BW_M4 0.041666666666515265
#define BW_M5 0.008333333333308783
#define BW_M6 0.0013888888947039444
#define BW_M7 0.00019841269914212372
#define BW_M8 2.480148993001076e-05
#define BW_M9 2.7557218975735585e-06
#define BW_M10 2.763128147489889e-07
#define BW_M11 2.5117052032485893e-08

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

static inline double bw_exp1(double x) {
  x = x < BW_EXP_LO ? BW_EXP_LO : x;  // NaN fails both tests and stays NaN
  x = x > BW_EXP_HI ? BW_EXP_HI : x;
  const double shifter = 6755399441055744.0;  // 1.5 * 2^52: adding rounds to integer
  double n = (x * BW_LOG2E + shifter) - shifter;
  double r_hi = x - n * BW_LN2_HI;  // exact
  double c = n * BW_LN2_LO;
  double r = r_hi - c;                // rounded: feeds only the small r^2 q term
  double q = BW_M11;
  q = q * r + BW_M10; q = q * r + BW_M9; q = q * r + BW_M8; q = q * r + BW_M7;
  q = q * r + BW_M6;  q = q * r + BW_M5; q = q * r + BW_M4; q = q * r + BW_M3;
  q = q * r + BW_M2;
  // 1 + r_hi as an exact pair (Fast2Sum, |r_hi| < 1), so the only large
  // rounding is the last addition (measured worst 0.72 ulp; 0.97 without).
  double s = 1.0 + r_hi;
  double tail = ((1.0 - s) + r_hi) + ((r * r) * q - c);
  double e = s + tail;
  // 2^n split in two normal factors so overflow, underflow and subnormal
  // results come out of one final rounding.
  int32_t ni = (n == n) ? (int32_t)n : 0;
  int32_t n1 = ni >> 1, n2 = ni - n1;
  uint64_t b1 = (uint64_t)(int64_t)(n1 + 1023) << 52, b2 = (uint64_t)(int64_t)(n2 + 1023) << 52;
  double s1, s2;
  memcpy(&s1, &b1, 8);
  memcpy(&s2, &b2, 8);
  return (e * s1) * s2;
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

// MARK: AVX2 + FMA

// Core for |x| <= 708, where 2^n is a normal double: n comes out of the
// shifter's low mantissa bits, and those bits shifted into the exponent
// field are the scale, so no float-int conversions are needed.
BW_AVX2 static inline __m256d bw_exp4_core(__m256d x) {
  const __m256d shifter = _mm256_set1_pd(6755399441055744.0);  // 1.5 * 2^52
  __m256d k = _mm256_fmadd_pd(x, _mm256_set1_pd(BW_LOG2E), shifter);
  __m256d n = _mm256_sub_pd(k, shifter);
  __m256d r_hi = _mm256_fnmadd_pd(n, _mm256_set1_pd(BW_LN2_HI), x);  // exact
  __m256d c = _mm256_mul_pd(n, _mm256_set1_pd(BW_LN2_LO));
  __m256d r = _mm256_sub_pd(r_hi, c);
  // Estrin's split of q(r): a short dependency chain matters
  // more than one extra multiply, because a fused sum keeps few vectors in
  // flight (measured on the 2-core AMD EPYC dev box: 1.41 ns per exp with
  // Estrin, 2.06 ns with Horner).
  __m256d r2 = _mm256_mul_pd(r, r);
  __m256d r4 = _mm256_mul_pd(r2, r2);
  __m256d p23 = _mm256_fmadd_pd(_mm256_set1_pd(BW_M3), r, _mm256_set1_pd(BW_M2));
  __m256d p45 = _mm256_fmadd_pd(_mm256_set1_pd(BW_M5), r, _mm256_set1_pd(BW_M4));
  __m256d p67 = _mm256_fmadd_pd(_mm256_set1_pd(BW_M7), r, _mm256_set1_pd(BW_M6));
  __m256d p89 = _mm256_fmadd_pd(_mm256_set1_pd(BW_M9), r, _mm256_set1_pd(BW_M8));
  __m256d pab = _mm256_fmadd_pd(_mm256_set1_pd(BW_M11), r, _mm256_set1_pd(BW_M10));
  __m256d q_lo = _mm256_fmadd_pd(p45, r2, p23);   // M2..M5
  __m256d q_hi = _mm256_fmadd_pd(pab, r4, _mm256_fmadd_pd(p89, r2, p67));  // M6..M11
  __m256d q = _mm256_fmadd_pd(q_hi, r4, q_lo);
  // e = 1 + r_hi - c + r^2 q with 1 + r_hi split exactly (Fast2Sum), so the
  // last addition is the only large rounding (measured worst 0.74 ulp over
  // 4M arguments in [-708, 708]; 0.97 ulp without the split).
  __m256d one = _mm256_set1_pd(1.0);
  __m256d s = _mm256_add_pd(one, r_hi);
  __m256d tail = _mm256_add_pd(_mm256_add_pd(_mm256_sub_pd(one, s), r_hi), _mm256_fmsub_pd(q, r2, c));
  __m256d e = _mm256_add_pd(s, tail);
  // (n + 2^51) << 52 wraps to n << 52; adding 1023 << 52 makes 2^n.
  __m256i bits = _mm256_add_epi64(_mm256_slli_epi64(_mm256_castpd_si256(k), 52),
                                  _mm256_set1_epi64x(1023LL << 52));
  return _mm256_mul_pd(e, _mm256_castsi256_pd(bits));
}

/// exp of 4 doubles. Lanes beyond |x| <= 708 (overflow, subnormal results,
/// infinities, NaN) are rare and go through the exact scalar path.
BW_AVX2 static inline __m256d bw_exp4(__m256d x) {
  __m256d ax = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
  __m256d ok = _mm256_cmp_pd(ax, _mm256_set1_pd(708.0), _CMP_LE_OQ);  // false for NaN
  if (__builtin_expect(_mm256_movemask_pd(ok) == 0xF, 1)) return bw_exp4_core(x);
  double t[4];
  _mm256_storeu_pd(t, x);
  for (int l = 0; l < 4; l++) t[l] = bw_exp1(t[l]);
  return _mm256_loadu_pd(t);
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

int bw_isa_is_avx2(void);

#endif
