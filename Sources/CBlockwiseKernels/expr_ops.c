// The operations of compiled expressions, one kernel per operation and
// element type, each compiled for the AVX2+FMA path and the portable path
// from one body. A kernel computes y[i] = op(a[i*as], b[i*bs], c[i*cs]) for
// i < n, with each stride 0 (a broadcast constant) or 1; y may be one of
// its operands (a register reused in place).
//
// Exactness: + - * /, comparisons, logic, minimum/maximum, copysign, abs,
// floor/ceil/trunc/round, sign, sqrt, square and the predicates are exact
// IEEE operations (bit for bit numpy's, on both paths: no FMA contraction,
// no reassociation). exp (Double) is Blockwise's own (0.70 ulp, see
// bw_internal.h); every other function is SLEEF's: u10 functions within
// 1.0 ulp of the exact result (so within 1 ulp of the correctly rounded
// one), hypot within 0.5001 ulp, fmod exact. The AVX2 path calls SLEEF's
// 256-bit AVX2 functions, the portable path SLEEF's scalar ones. Where a
// SLEEF routine's good range is narrower than the type's (see each guard
// below: log1p, sinh, cosh, tanh, arcsinh, arccosh, arctanh, pow,
// arctan2), the arguments outside it are recomputed from libm in a wider
// type, on both paths and for broadcast operands alike, so the bounds
// hold on the whole domain; Tests/BlockwiseTests/EdgeValueTests checks
// every function at its edges on every path against mpmath.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_sleef.h"
#include "bw_dispatch.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif


#define BW_XK_ARGS(T) long n, T *y, const T *a, long as, const T *b, long bs, const T *c, long cs
#define BW_XK_PASS n, y, a, as, b, bs, c, cs

// One body, two compiled copies (AVX2-targeted and portable).
#define BW_XK_TWO_PATHS(NAME, T)                                                       \
  BW_X86_ONLY(BW_AVX2 static void NAME##_avx2(BW_XK_ARGS(T)) { NAME##_body(BW_XK_PASS); }) \
  static void NAME##_generic(BW_XK_ARGS(T)) { NAME##_body(BW_XK_PASS); }

// MARK: exact unary operations

// EXPR of v; a broadcast operand (as == 0) is computed once.
#define BW_XK_UNARY(NAME, T, EXPR)                                                     \
  BW_INLINE void NAME##_body(BW_XK_ARGS(T)) {                                          \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    if (as == 0) {                                                                     \
      T v = a[0];                                                                      \
      T r = (EXPR);                                                                    \
      for (long i = 0; i < n; i++) y[i] = r;                                           \
      return;                                                                          \
    }                                                                                  \
    BW_IVDEP for (long i = 0; i < n; i++) { T v = a[i]; y[i] = (EXPR); }               \
  }                                                                                    \
  BW_XK_TWO_PATHS(NAME, T)

// numpy's sign: -1, +1, +0 for both zeros, NaN for NaN.
#define BW_SIGN(v) ((v) > 0 ? 1 : ((v) < 0 ? -1 : ((v) == (v) ? 0 : (v))))
#define BW_UNARY_EXACT(T, SFX, FABS, FLOOR, CEIL, TRUNC, RINT, SIGNBIT)                \
  BW_XK_UNARY(x_copy_##SFX, T, v)                                                      \
  BW_XK_UNARY(x_neg_##SFX, T, -v)                                                      \
  BW_XK_UNARY(x_abs_##SFX, T, FABS(v))                                                 \
  BW_XK_UNARY(x_floor_##SFX, T, FLOOR(v))                                              \
  BW_XK_UNARY(x_ceil_##SFX, T, CEIL(v))                                                \
  BW_XK_UNARY(x_trunc_##SFX, T, TRUNC(v))                                              \
  BW_XK_UNARY(x_round_##SFX, T, RINT(v))                                               \
  BW_XK_UNARY(x_sign_##SFX, T, (T)BW_SIGN(v))                                          \
  BW_XK_UNARY(x_isnan_##SFX, T, (T)(v != v))                                           \
  BW_XK_UNARY(x_isinf_##SFX, T, (T)(FABS(v) == (T)INFINITY))                           \
  BW_XK_UNARY(x_isfinite_##SFX, T, (T)(FABS(v) < (T)INFINITY))                         \
  BW_XK_UNARY(x_signbit_##SFX, T, (T)(SIGNBIT(v) != 0))                                \
  BW_XK_UNARY(x_not_##SFX, T, (T)(v == 0))                                             \
  BW_XK_UNARY(x_square_##SFX, T, v * v)                                                \
  BW_XK_UNARY(x_reciprocal_##SFX, T, (T)1 / v)

BW_UNARY_EXACT(double, f64, fabs, floor, ceil, trunc, rint, signbit)
BW_UNARY_EXACT(float, f32, fabsf, floorf, ceilf, truncf, rintf, signbit)

// sqrt: the C function may set errno, which keeps compilers from
// vectorising it; the AVX2 path uses the instruction (correctly rounded,
// as is the C function).
BW_INLINE void x_sqrt_f64_scalar(BW_XK_ARGS(double)) {
  (void)b; (void)bs; (void)c; (void)cs;
  for (long i = 0; i < n; i++) y[i] = sqrt(a[i * as]);
}
BW_INLINE void x_sqrt_f32_scalar(BW_XK_ARGS(float)) {
  (void)b; (void)bs; (void)c; (void)cs;
  for (long i = 0; i < n; i++) y[i] = sqrtf(a[i * as]);
}
static void x_sqrt_f64_generic(BW_XK_ARGS(double)) { x_sqrt_f64_scalar(BW_XK_PASS); }
static void x_sqrt_f32_generic(BW_XK_ARGS(float)) { x_sqrt_f32_scalar(BW_XK_PASS); }
#if BW_X86
BW_AVX2 static void x_sqrt_f64_avx2(BW_XK_ARGS(double)) {
  if (as == 0) { x_sqrt_f64_scalar(BW_XK_PASS); return; }
  long i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, _mm256_sqrt_pd(_mm256_loadu_pd(a + i)));
  for (; i < n; i++) y[i] = sqrt(a[i]);
}
BW_AVX2 static void x_sqrt_f32_avx2(BW_XK_ARGS(float)) {
  if (as == 0) { x_sqrt_f32_scalar(BW_XK_PASS); return; }
  long i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_sqrt_ps(_mm256_loadu_ps(a + i)));
  for (; i < n; i++) y[i] = sqrtf(a[i]);
}
#endif

// MARK: exact binary and ternary operations

// EXPR of (u, v), with the stride patterns that occur spelled out so each
// loop vectorises.
#define BW_XK_BINARY(NAME, T, EXPR)                                                    \
  BW_INLINE void NAME##_body(BW_XK_ARGS(T)) {                                          \
    (void)c; (void)cs;                                                                 \
    if (as == 1 && bs == 1) {                                                          \
      BW_IVDEP for (long i = 0; i < n; i++) { T u = a[i], v = b[i]; y[i] = (EXPR); }   \
    } else if (as == 1) {                                                              \
      const T v = b[0];                                                                \
      BW_IVDEP for (long i = 0; i < n; i++) { T u = a[i]; y[i] = (EXPR); }             \
    } else if (bs == 1) {                                                              \
      const T u = a[0];                                                                \
      BW_IVDEP for (long i = 0; i < n; i++) { T v = b[i]; y[i] = (EXPR); }             \
    } else {                                                                           \
      const T u = a[0], v = b[0];                                                      \
      const T r = (EXPR);                                                              \
      for (long i = 0; i < n; i++) y[i] = r;                                           \
    }                                                                                  \
  }                                                                                    \
  BW_XK_TWO_PATHS(NAME, T)

// numpy's minimum / maximum: a NaN on either side gives NaN; between equal
// values (+0 and -0) the second operand.
#define BW_BINARY_EXACT(T, SFX, COPYSIGN)                                              \
  BW_XK_BINARY(x_add_##SFX, T, u + v)                                                  \
  BW_XK_BINARY(x_sub_##SFX, T, u - v)                                                  \
  BW_XK_BINARY(x_mul_##SFX, T, u * v)                                                  \
  BW_XK_BINARY(x_div_##SFX, T, u / v)                                                  \
  BW_XK_BINARY(x_lt_##SFX, T, (T)(u < v))                                              \
  BW_XK_BINARY(x_le_##SFX, T, (T)(u <= v))                                             \
  BW_XK_BINARY(x_gt_##SFX, T, (T)(u > v))                                              \
  BW_XK_BINARY(x_ge_##SFX, T, (T)(u >= v))                                             \
  BW_XK_BINARY(x_eq_##SFX, T, (T)(u == v))                                             \
  BW_XK_BINARY(x_ne_##SFX, T, (T)(u != v))                                             \
  BW_XK_BINARY(x_and_##SFX, T, (T)((u != 0) & (v != 0)))                               \
  BW_XK_BINARY(x_or_##SFX, T, (T)((u != 0) | (v != 0)))                                \
  BW_XK_BINARY(x_minimum_##SFX, T, (u < v || u != u) ? u : v)                          \
  BW_XK_BINARY(x_maximum_##SFX, T, (u > v || u != u) ? u : v)                          \
  BW_XK_BINARY(x_copysign_##SFX, T, COPYSIGN(u, v))

BW_BINARY_EXACT(double, f64, copysign)
BW_BINARY_EXACT(float, f32, copysignf)

// where(cond, p, q) and clip(x, lo, hi) = minimum(maximum(x, lo), hi).
#define BW_XK_TERNARY(NAME, T, EXPR)                                                   \
  BW_INLINE void NAME##_body(BW_XK_ARGS(T)) {                                          \
    if (as == 1 && bs == 1 && cs == 1) {                                               \
      BW_IVDEP for (long i = 0; i < n; i++) { T u = a[i], v = b[i], w = c[i]; y[i] = (EXPR); } \
    } else if (as == 1 && bs == 0 && cs == 0) {                                        \
      const T v = b[0], w = c[0];                                                      \
      BW_IVDEP for (long i = 0; i < n; i++) { T u = a[i]; y[i] = (EXPR); }             \
    } else {                                                                           \
      for (long i = 0; i < n; i++) { T u = a[i * as], v = b[i * bs], w = c[i * cs]; y[i] = (EXPR); } \
    }                                                                                  \
  }                                                                                    \
  BW_XK_TWO_PATHS(NAME, T)

#define BW_CLIP(u, v, w) BW_CLIP_MIN(BW_CLIP_MAX(u, v), w)
#define BW_CLIP_MAX(u, v) (((u) > (v) || (u) != (u)) ? (u) : (v))
#define BW_CLIP_MIN(t, w) (((t) < (w) || (t) != (t)) ? (t) : (w))
BW_XK_TERNARY(x_where_f64, double, u != 0 ? v : w)
BW_XK_TERNARY(x_where_f32, float, u != 0 ? v : w)
BW_XK_TERNARY(x_clip_f64, double, BW_CLIP(u, v, w))
BW_XK_TERNARY(x_clip_f32, float, BW_CLIP(u, v, w))

// MARK: SLEEF functions

// Where SLEEF's u10 functions leave 1 ulp (measured by
// scripts/expr_accuracy.c over 10^6 arguments each): log1p, arcsinh and
// arccosh overflow for huge arguments, sinh and cosh overflow below the
// true threshold, tanh and arctanh round tiny arguments one ulp the wrong
// way (as arcsinh and sinh do for Float; arcsinh and arccosh square their argument: they overflow from
// about 1e154 for Double, 1e19 for Float). Each function has a range of |x| where SLEEF is used; the rare
// lanes outside it are recomputed one by one from libm (long double for
// Double, double for Float; both about 2^11 times finer than the result),
// which are then correctly rounded in practice. A chunk is checked with
// one vectorised pass for its smallest and largest |x| (NaN ignored).
#define BW_TINY_D 0x1p-26
#define BW_TINY_F 0x1p-12

#if BW_X86
BW_AVX2 static void abs_range_f64_avx2(const double *a, long n, double *lo, double *hi) {
  const __m256d mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
  __m256d vlo = _mm256_set1_pd(INFINITY), vhi = _mm256_setzero_pd();
  long i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256d v = _mm256_and_pd(_mm256_loadu_pd(a + i), mask);
    vlo = _mm256_min_pd(v, vlo);  // the second operand when v is NaN
    vhi = _mm256_max_pd(v, vhi);
  }
  double l[4], h[4];
  _mm256_storeu_pd(l, vlo);
  _mm256_storeu_pd(h, vhi);
  double mn = fmin(fmin(l[0], l[1]), fmin(l[2], l[3])), mx = fmax(fmax(h[0], h[1]), fmax(h[2], h[3]));
  for (; i < n; i++) {
    double v = fabs(a[i]);
    mn = v < mn ? v : mn;
    mx = v > mx ? v : mx;
  }
  *lo = mn;
  *hi = mx;
}

BW_AVX2 static void abs_range_f32_avx2(const float *a, long n, double *lo, double *hi) {
  const __m256 mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  __m256 vlo = _mm256_set1_ps(INFINITY), vhi = _mm256_setzero_ps();
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_and_ps(_mm256_loadu_ps(a + i), mask);
    vlo = _mm256_min_ps(v, vlo);
    vhi = _mm256_max_ps(v, vhi);
  }
  float l[8], h[8];
  _mm256_storeu_ps(l, vlo);
  _mm256_storeu_ps(h, vhi);
  double mn = INFINITY, mx = 0;
  for (int k = 0; k < 8; k++) {
    mn = l[k] < mn ? l[k] : mn;
    mx = h[k] > mx ? h[k] : mx;
  }
  for (; i < n; i++) {
    double v = fabsf(a[i]);
    mn = v < mn ? v : mn;
    mx = v > mx ? v : mx;
  }
  *lo = mn;
  *hi = mx;
}

#endif  // BW_X86

// AVX2: whole vectors through the trampolines of sleef_x86_64.S (SLEEF's
// register ABI), the tail through a padded copy (padding lanes are
// computed and dropped; no floating-point exception traps), then the lanes
// outside [LO, HI] from the reference. Portable: SLEEF's scalar function,
// or the reference outside [LO, HI].
#define BW_XK_SLEEF_UNARY(NAME, VD, VF, SD, SF, RD, RF, DLO, DHI, FLO, FHI)            \
  /* One element on the portable path: SLEEF inside [LO, HI], else the reference. */ \
  static inline double NAME##_f64_one(double v) {                                      \
    double m = fabs(v);                                                                \
    return (m < DLO || m > DHI) ? (double)RD((long double)v) : SD(v);                  \
  }                                                                                    \
  static inline float NAME##_f32_one(float v) {                                        \
    double m = fabsf(v);                                                               \
    return (m < FLO || m > FHI) ? (float)RF((double)v) : SF(v);                        \
  }                                                                                    \
  BW_X86_ONLY(                                                                         \
  static void x_##NAME##_f64_avx2(BW_XK_ARGS(double)) {                                \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    if (as == 0) { double r = NAME##_f64_one(a[0]); for (long i = 0; i < n; i++) y[i] = r; return; } \
    long full = n / 4;                                                                 \
    bw_ymm_apply1((const void *)VD, a, y, full);                                       \
    if (full * 4 < n) {                                                                \
      double t[4] = {0, 0, 0, 0};                                                      \
      for (long k = full * 4; k < n; k++) t[k - full * 4] = a[k];                      \
      bw_ymm_apply1((const void *)VD, t, t, 1);                                        \
      for (long k = full * 4; k < n; k++) y[k] = t[k - full * 4];                      \
    }                                                                                  \
    if (DLO > 0 || DHI < INFINITY) {                                                   \
      double lo, hi;                                                                   \
      abs_range_f64_avx2(a, n, &lo, &hi);                                              \
      if (lo < DLO || hi > DHI)                                                        \
        for (long i = 0; i < n; i++) {                                                 \
          double v = fabs(a[i]);                                                       \
          if (v < DLO || v > DHI) y[i] = (double)RD((long double)a[i]);                \
        }                                                                              \
    }                                                                                  \
  }                                                                                    \
  static void x_##NAME##_f32_avx2(BW_XK_ARGS(float)) {                                 \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    if (as == 0) { float r = NAME##_f32_one(a[0]); for (long i = 0; i < n; i++) y[i] = r; return; } \
    long full = n / 8;                                                                 \
    bw_ymm_apply1((const void *)VF, a, y, full);                                       \
    if (full * 8 < n) {                                                                \
      float t[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                           \
      for (long k = full * 8; k < n; k++) t[k - full * 8] = a[k];                      \
      bw_ymm_apply1((const void *)VF, t, t, 1);                                        \
      for (long k = full * 8; k < n; k++) y[k] = t[k - full * 8];                      \
    }                                                                                  \
    if (FLO > 0 || FHI < INFINITY) {                                                   \
      double lo, hi;                                                                   \
      abs_range_f32_avx2(a, n, &lo, &hi);                                              \
      if (lo < FLO || hi > FHI)                                                        \
        for (long i = 0; i < n; i++) {                                                 \
          double v = fabsf(a[i]);                                                      \
          if (v < FLO || v > FHI) y[i] = (float)RF((double)a[i]);                      \
        }                                                                              \
    }                                                                                  \
  }                                                                                    \
  )                                                                                    \
  /* (unused: expf_sleef's Double form, which Blockwise's own exp replaces) */          \
  __attribute__((unused)) static void x_##NAME##_f64_generic(BW_XK_ARGS(double)) {     \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    for (long i = 0; i < n; i++) y[i] = NAME##_f64_one(a[i * as]);                     \
  }                                                                                    \
  static void x_##NAME##_f32_generic(BW_XK_ARGS(float)) {                              \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    for (long i = 0; i < n; i++) y[i] = NAME##_f32_one(a[i * as]);                     \
  }

// Functions SLEEF computes within 1 ulp everywhere: no guard.
#define BW_XK_SLEEF_UNARY_ALL(NAME, VD, VF, SD, SF, RD, RF) \
  BW_XK_SLEEF_UNARY(NAME, VD, VF, SD, SF, RD, RF, 0, INFINITY, 0, INFINITY)
BW_XK_SLEEF_UNARY_ALL(expm1, Sleef_expm1d4_u10avx2, Sleef_expm1f8_u10avx2, Sleef_expm1_u10, Sleef_expm1f_u10, expm1l, expm1)
BW_XK_SLEEF_UNARY_ALL(log, Sleef_logd4_u10avx2, Sleef_logf8_u10avx2, Sleef_log_u10, Sleef_logf_u10, logl, log)
BW_XK_SLEEF_UNARY_ALL(log2, Sleef_log2d4_u10avx2, Sleef_log2f8_u10avx2, Sleef_log2_u10, Sleef_log2f_u10, log2l, log2)
BW_XK_SLEEF_UNARY_ALL(log10, Sleef_log10d4_u10avx2, Sleef_log10f8_u10avx2, Sleef_log10_u10, Sleef_log10f_u10, log10l, log10)
BW_XK_SLEEF_UNARY(log1p, Sleef_log1pd4_u10avx2, Sleef_log1pf8_u10avx2, Sleef_log1p_u10, Sleef_log1pf_u10, log1pl, log1p, 0, 1e300, 0, 1e37)
BW_XK_SLEEF_UNARY_ALL(sin, Sleef_sind4_u10avx2, Sleef_sinf8_u10avx2, Sleef_sin_u10, Sleef_sinf_u10, sinl, sin)
BW_XK_SLEEF_UNARY_ALL(cos, Sleef_cosd4_u10avx2, Sleef_cosf8_u10avx2, Sleef_cos_u10, Sleef_cosf_u10, cosl, cos)
BW_XK_SLEEF_UNARY_ALL(tan, Sleef_tand4_u10avx2, Sleef_tanf8_u10avx2, Sleef_tan_u10, Sleef_tanf_u10, tanl, tan)
BW_XK_SLEEF_UNARY_ALL(arcsin, Sleef_asind4_u10avx2, Sleef_asinf8_u10avx2, Sleef_asin_u10, Sleef_asinf_u10, asinl, asin)
BW_XK_SLEEF_UNARY_ALL(arccos, Sleef_acosd4_u10avx2, Sleef_acosf8_u10avx2, Sleef_acos_u10, Sleef_acosf_u10, acosl, acos)
BW_XK_SLEEF_UNARY_ALL(arctan, Sleef_atand4_u10avx2, Sleef_atanf8_u10avx2, Sleef_atan_u10, Sleef_atanf_u10, atanl, atan)
BW_XK_SLEEF_UNARY(sinh, Sleef_sinhd4_u10avx2, Sleef_sinhf8_u10avx2, Sleef_sinh_u10, Sleef_sinhf_u10, sinhl, sinh, BW_TINY_D, 709, BW_TINY_F, 88)
BW_XK_SLEEF_UNARY(cosh, Sleef_coshd4_u10avx2, Sleef_coshf8_u10avx2, Sleef_cosh_u10, Sleef_coshf_u10, coshl, cosh, 0, 709, 0, 88)
BW_XK_SLEEF_UNARY(tanh, Sleef_tanhd4_u10avx2, Sleef_tanhf8_u10avx2, Sleef_tanh_u10, Sleef_tanhf_u10, tanhl, tanh, BW_TINY_D, INFINITY, BW_TINY_F, INFINITY)
BW_XK_SLEEF_UNARY(arcsinh, Sleef_asinhd4_u10avx2, Sleef_asinhf8_u10avx2, Sleef_asinh_u10, Sleef_asinhf_u10, asinhl, asinh, BW_TINY_D, 1e150, BW_TINY_F, 1e18)
BW_XK_SLEEF_UNARY(arccosh, Sleef_acoshd4_u10avx2, Sleef_acoshf8_u10avx2, Sleef_acosh_u10, Sleef_acoshf_u10, acoshl, acosh, 0, 1e150, 0, 1e18)
BW_XK_SLEEF_UNARY(arctanh, Sleef_atanhd4_u10avx2, Sleef_atanhf8_u10avx2, Sleef_atanh_u10, Sleef_atanhf_u10, atanhl, atanh, BW_TINY_D, INFINITY, BW_TINY_F, INFINITY)
BW_XK_SLEEF_UNARY_ALL(expf_sleef, Sleef_expd4_u10avx2, Sleef_expf8_u10avx2, Sleef_exp_u10, Sleef_expf_u10, expl, exp)

// exp: Blockwise's own kernel for Double (0.70 ulp, see bw_internal.h);
// SLEEF's for Float (8 float lanes per vector instead of 2 x 4 doubles).
#define BW_XK_EXP_F64(PATH, WHICH)                                                     \
  static void x_exp_f64_##PATH(BW_XK_ARGS(double)) {                                   \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    if (as == 0) {                                                                     \
      double r = bw_exp1(a[0]);                                                        \
      for (long i = 0; i < n; i++) y[i] = r;                                           \
      return;                                                                          \
    }                                                                                  \
    bw_exp_f64_on(WHICH, a, y, n);                                                     \
  }
BW_X86_ONLY(BW_XK_EXP_F64(avx2, BW_PATH_AVX2))
BW_XK_EXP_F64(generic, BW_PATH_GENERIC)
#define x_exp_f32_avx2 x_expf_sleef_f32_avx2
#define x_exp_f32_generic x_expf_sleef_f32_generic

// Two-argument functions: a broadcast operand is splat into a vector that
// the trampoline reads at step 0.
#define BW_XK_SLEEF_BINARY_PATH(NAME, T, SFX, LANES, VFN)                              \
  BW_X86_ONLY(static void x_##NAME##_##SFX##_avx2(BW_XK_ARGS(T)) {                      \
    (void)c; (void)cs;                                                                 \
    T sa[LANES], sb[LANES];                                                            \
    for (int l = 0; l < LANES; l++) { sa[l] = a[0]; sb[l] = b[0]; }                    \
    long full = n / LANES;                                                             \
    bw_ymm_apply2((const void *)VFN, as ? (const void *)a : sa, as ? 32 : 0,           \
                  bs ? (const void *)b : sb, bs ? 32 : 0, y, full);                    \
    if (full * LANES < n) {                                                            \
      T t[LANES], u[LANES];                                                            \
      for (int l = 0; l < LANES; l++) { t[l] = 1; u[l] = 1; }                          \
      for (long k = full * LANES; k < n; k++) {                                        \
        t[k - full * LANES] = a[k * as];                                               \
        u[k - full * LANES] = b[k * bs];                                               \
      }                                                                                \
      bw_ymm_apply2((const void *)VFN, t, 0, u, 0, t, 1);                              \
      for (long k = full * LANES; k < n; k++) y[k] = t[k - full * LANES];              \
    }                                                                                  \
  })
#define BW_XK_SLEEF_BINARY(NAME, VD, VF, SD, SF)                                       \
  BW_XK_SLEEF_BINARY_PATH(NAME, double, f64, 4, VD)                                    \
  BW_XK_SLEEF_BINARY_PATH(NAME, float, f32, 8, VF)                                     \
  static void x_##NAME##_f64_generic(BW_XK_ARGS(double)) {                             \
    (void)c; (void)cs;                                                                 \
    for (long i = 0; i < n; i++) y[i] = SD(a[i * as], b[i * bs]);                      \
  }                                                                                    \
  static void x_##NAME##_f32_generic(BW_XK_ARGS(float)) {                              \
    (void)c; (void)cs;                                                                 \
    for (long i = 0; i < n; i++) y[i] = SF(a[i * as], b[i * bs]);                      \
  }

BW_XK_SLEEF_BINARY(pow_sleef, Sleef_powd4_u10avx2, Sleef_powf8_u10avx2, Sleef_pow_u10, Sleef_powf_u10)

// pow whose result is near or past overflow or underflow: SLEEF's pow
// overflows early (it returned +inf for results a few hundred ulps below
// DBL_MAX) and loses subnormal results, so results of magnitude outside
// [2^-1000, 2^1000] (2^-120, 2^120 for Float), and NaN results, are
// recomputed from libm in wider precision (long double, double for Float)
// and rounded once; libm's pow gives C99's special values, as numpy does.
// Results are thereby within 1 ulp on the whole domain. The check is one
// compare per element; the recomputed lanes are rare in real data.
#define BW_POW(T, SFX, PATH, LIM, REF, WIDE)                                           \
  static void x_pow_##SFX##_##PATH(BW_XK_ARGS(T)) {                                    \
    x_pow_sleef_##SFX##_##PATH(BW_XK_PASS);                                            \
    for (long i = 0; i < n; i++) {                                                     \
      T m = y[i] < 0 ? -y[i] : y[i];                                                   \
      if (!(m >= (T)(1 / LIM) && m <= (T)LIM))                                         \
        y[i] = (T)REF((WIDE)a[i * as], (WIDE)b[i * bs]);                               \
    }                                                                                  \
  }
BW_X86_ONLY(BW_POW(double, f64, avx2, 0x1p1000, powl, long double))
BW_POW(double, f64, generic, 0x1p1000, powl, long double)
BW_X86_ONLY(BW_POW(float, f32, avx2, 0x1p120f, pow, double))
BW_POW(float, f32, generic, 0x1p120f, pow, double)
BW_XK_SLEEF_BINARY(arctan2_sleef, Sleef_atan2d4_u10avx2, Sleef_atan2f8_u10avx2, Sleef_atan2_u10, Sleef_atan2f_u10)

// arctan2 whose result is near or below the smallest normal (a tiny y
// over a larger x): SLEEF's portable form rounds those subnormal results
// up to 1.4 ulp off, so they are recomputed from libm on both paths.
#define BW_ARCTAN2(T, SFX, PATH, TINY, REF, WIDE)                                      \
  static void x_arctan2_##SFX##_##PATH(BW_XK_ARGS(T)) {                                \
    x_arctan2_sleef_##SFX##_##PATH(BW_XK_PASS);                                        \
    for (long i = 0; i < n; i++)                                                       \
      if (fabs((double)y[i]) < TINY) y[i] = (T)REF((WIDE)a[i * as], (WIDE)b[i * bs]);  \
  }
BW_X86_ONLY(BW_ARCTAN2(double, f64, avx2, 0x1p-1020, atan2l, long double))
BW_ARCTAN2(double, f64, generic, 0x1p-1020, atan2l, long double)
BW_X86_ONLY(BW_ARCTAN2(float, f32, avx2, 0x1p-124, atan2, double))
BW_ARCTAN2(float, f32, generic, 0x1p-124, atan2, double)
BW_XK_SLEEF_BINARY(hypot, Sleef_hypotd4_u05avx2, Sleef_hypotf8_u05avx2, Sleef_hypot_u05, Sleef_hypotf_u05)

// fmod is exact; SLEEF's loses the result when x / y passes about 2^1000,
// so both paths use the C library's (exact by definition).
// (A call per element: no vectorisation to ask for.)
#define BW_XK_BINARY_CALL(NAME, T, FN)                                                 \
  BW_INLINE void NAME##_body(BW_XK_ARGS(T)) {                                          \
    (void)c; (void)cs;                                                                 \
    for (long i = 0; i < n; i++) y[i] = FN(a[i * as], b[i * bs]);                     \
  }                                                                                    \
  BW_XK_TWO_PATHS(NAME, T)
BW_XK_BINARY_CALL(x_fmod_f64, double, fmod)
BW_XK_BINARY_CALL(x_fmod_f32, float, fmodf)

// MARK: tables

// Every opcode's kernel, by the one list (bw_opcodes.h): entry op of a
// table is x_<kernel base>_<type>_<path>.
#define BW_XK_F64_AVX2(N, S, K) [BW_X_##N] = x_##K##_f64_avx2,
#define BW_XK_F32_AVX2(N, S, K) [BW_X_##N] = x_##K##_f32_avx2,
#define BW_XK_F64_GENERIC(N, S, K) [BW_X_##N] = x_##K##_f64_generic,
#define BW_XK_F32_GENERIC(N, S, K) [BW_X_##N] = x_##K##_f32_generic,
static const bw_xk_f64 xk_f64_generic[BW_X_OP_COUNT] = {BW_OPCODES(BW_XK_F64_GENERIC)};
static const bw_xk_f32 xk_f32_generic[BW_X_OP_COUNT] = {BW_OPCODES(BW_XK_F32_GENERIC)};
BW_X86_ONLY(static const bw_xk_f64 xk_f64_avx2[BW_X_OP_COUNT] = {BW_OPCODES(BW_XK_F64_AVX2)};)
BW_X86_ONLY(static const bw_xk_f32 xk_f32_avx2[BW_X_OP_COUNT] = {BW_OPCODES(BW_XK_F32_AVX2)};)

#define BW_OP_NAME(N, S, K) [BW_X_##N] = #S,
static const char *const bw_op_names[BW_X_OP_COUNT] = {BW_OPCODES(BW_OP_NAME)};
const char *bw_expr_op_name(int op) { return op >= 0 && op < BW_X_OP_COUNT ? bw_op_names[op] : NULL; }

#define BW_REDUCTION_NAME(N, S, V) [V] = #S,
static const char *const bw_reduction_names[BW_XR_COUNT] = {BW_REDUCTIONS(BW_REDUCTION_NAME)};
const char *bw_reduction_name(int r) { return r >= 0 && r < BW_XR_COUNT ? bw_reduction_names[r] : NULL; }


// This file's table entries: member, portable form, AVX2 form.
#define BW_EXPR_ENTRIES(X, t) \
  X(t, expr_f64, xk_f64_generic, xk_f64_avx2) \
  X(t, expr_f32, xk_f32_generic, xk_f32_avx2)

void bw_fill_expr_ops(bw_kernel_table *t) { BW_FILL(t, BW_EXPR_ENTRIES); }

void bw_expr_op_f64_on(int path, int op, long n, double *y, const double *a, long as,
                       const double *b, long bs, const double *c, long cs) {
  if (op < 0 || op >= BW_X_OP_COUNT) return;
  bw_kernels_for(path)->expr_f64[op](n, y, a, as, b, bs, c, cs);
}

void bw_expr_op_f32_on(int path, int op, long n, float *y, const float *a, long as,
                       const float *b, long bs, const float *c, long cs) {
  if (op < 0 || op >= BW_X_OP_COUNT) return;
  bw_kernels_for(path)->expr_f32[op](n, y, a, as, b, bs, c, cs);
}

void bw_expr_op_f64(int op, long n, double *y, const double *a, long as, const double *b, long bs,
                    const double *c, long cs) {
  if (op < 0 || op >= BW_X_OP_COUNT) return;
  bw_kernels()->expr_f64[op](n, y, a, as, b, bs, c, cs);
}

void bw_expr_op_f32(int op, long n, float *y, const float *a, long as, const float *b, long bs,
                    const float *c, long cs) {
  if (op < 0 || op >= BW_X_OP_COUNT) return;
  bw_kernels()->expr_f32[op](n, y, a, as, b, bs, c, cs);
}
