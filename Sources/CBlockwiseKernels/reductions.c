// Reductions over one leaf. Each uses a fixed number of accumulators
// combined in a fixed order, so the result depends on n and the ISA path
// alone; the Swift layer cuts arrays into leaves of a fixed length and adds
// the leaf partials pairwise, which keeps results independent of threads.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

// MARK: sum

#if BW_X86
BW_AVX2 static double sum_f64_avx2(const double *x, long n) {
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  long i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm256_add_pd(s0, _mm256_loadu_pd(x + i));
    s1 = _mm256_add_pd(s1, _mm256_loadu_pd(x + i + 4));
    s2 = _mm256_add_pd(s2, _mm256_loadu_pd(x + i + 8));
    s3 = _mm256_add_pd(s3, _mm256_loadu_pd(x + i + 12));
  }
  for (; i < n; i += 4) s0 = _mm256_add_pd(s0, _mm256_maskload_pd(x + i, bw_mask4(n - i)));
  return bw_hsum4(_mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)));
}

#endif  // BW_X86

// Eight independent accumulators: the same association for any compiler,
// and enough independence to vectorise.
#define BW_SUM8(T, ACC, EXPR)                                               \
  ACC s[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                      \
  long i = 0;                                                               \
  for (; i + 8 <= n; i += 8)                                                \
    for (int k = 0; k < 8; k++) { T v = x[i + k]; s[k] += (EXPR); }         \
  for (int k = 0; i < n; i++, k++) { T v = x[i]; s[k] += (EXPR); }          \
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));

static double sum_f64_generic(const double *x, long n) { BW_SUM8(double, double, v) }

double bw_sum_f64(const double *x, long n) { return bw_kernels()->sum_f64(x, n); }

double bw_sum_f32(const float *x, long n) { BW_SUM8(float, double, (double)v) }

// MARK: sum of exp

#if BW_X86
// The checked path of one chunk, out of line so that the hot loop keeps its
// constants and accumulator in registers (inlined, the compiler spilled the
// accumulators of the fast loop to the stack).
BW_AVX2 __attribute__((noinline)) static __m256d sum_exp_f64_checked(const double *x, long n,
                                                                     __m256d sh, __m256d acc) {
  for (long i = 0; i < n; i += 4) acc = _mm256_add_pd(acc, bw_exp4(_mm256_sub_pd(_mm256_loadu_pd(x + i), sh)));
  return acc;
}

BW_AVX2 static double sum_exp_f64_avx2(const double *x, long n, double shift) {
  __m256d sh = _mm256_set1_pd(shift);
  // One accumulator: an add every ~12 cycles is far from its 3-cycle latency.
  __m256d acc = _mm256_setzero_pd();
  long i = 0;
  for (; i + BW_EXP_CHUNK <= n; i += BW_EXP_CHUNK) {
    // The same accumulator and order on both branches.
    if (__builtin_expect(bw_chunk_in_range(x + i, BW_EXP_CHUNK, sh), 1)) {
      for (long k = i; k < i + BW_EXP_CHUNK; k += 4)
        acc = _mm256_add_pd(acc, bw_exp4_core(_mm256_sub_pd(_mm256_loadu_pd(x + k), sh)));
    } else {
      acc = sum_exp_f64_checked(x + i, BW_EXP_CHUNK, sh, acc);
    }
  }
  for (; i < n; i += 4) {
    // Masked-off lanes load 0 and are replaced by -inf so they add exp(-inf) = 0.
    __m256i m = bw_mask4(n - i);
    __m256d v = _mm256_blendv_pd(_mm256_set1_pd(-INFINITY), _mm256_maskload_pd(x + i, m),
                                 _mm256_castsi256_pd(m));
    acc = _mm256_add_pd(acc, bw_exp4(_mm256_sub_pd(v, sh)));
  }
  return bw_hsum4(acc);
}

#endif  // BW_X86

static double sum_exp_f64_generic(const double *x, long n, double shift) {
  BW_SUM8(double, double, bw_exp1(v - shift))
}

double bw_sum_exp_f64(const double *x, long n, double shift) { return bw_kernels()->sum_exp_f64(x, n, shift); }

#if BW_X86
// Float inputs: exp and the sum in double, so the only Float rounding is the
// caller's final conversion.
BW_AVX2 static double sum_exp_f32_avx2(const float *x, long n, double shift) {
  __m256d sh = _mm256_set1_pd(shift);
  __m256d s0 = _mm256_setzero_pd(), s1 = s0;
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    s0 = _mm256_add_pd(s0, bw_exp4(_mm256_sub_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(v)), sh)));
    s1 = _mm256_add_pd(s1, bw_exp4(_mm256_sub_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)), sh)));
  }
  double tail = 0;
  for (; i < n; i++) tail += bw_exp1((double)x[i] - shift);
  return bw_hsum4(_mm256_add_pd(s0, s1)) + tail;
}

#endif  // BW_X86

static double sum_exp_f32_generic(const float *x, long n, double shift) {
  BW_SUM8(float, double, bw_exp1((double)v - shift))
}

double bw_sum_exp_f32(const float *x, long n, double shift) { return bw_kernels()->sum_exp_f32(x, n, shift); }

// MARK: min / max (NaN-propagating)

// Portable: one running extremum (exact, so the order does not matter).
#define BW_EXTREMUM(NAME, T, CMP)                                 \
  static double NAME(const T *x, long n) {                        \
    double best = (double)x[0];                                   \
    int nan = 0;                                                  \
    for (long i = 0; i < n; i++) {                                \
      double v = (double)x[i];                                    \
      nan |= (v != v);                                            \
      best = (v CMP best) ? v : best;                             \
    }                                                             \
    return nan ? NAN : best;                                      \
  }

BW_EXTREMUM(max_f64_generic, double, >)
BW_EXTREMUM(min_f64_generic, double, <)
BW_EXTREMUM(max_f32_generic, float, >)
BW_EXTREMUM(min_f32_generic, float, <)

#if BW_X86
// AVX2: four vector extrema and a NaN flag. The scalar loop is a chain of
// dependent compares (about 1.5 ns per element on the dev machine, half the
// cost of a logSumExp); this runs at load speed. vmaxpd returns its second
// operand when either is NaN, so NaNs never enter the extrema and the flag
// reports them. Which zero wins between -0 and +0 is unspecified, as for
// the portable loop.
#define BW_EXTREMUM_AVX2(NAME, T, V, LOAD, OP, SET1, CMP, OR, MOVEMASK, LANES, PICK) \
  BW_AVX2 static double NAME(const T *x, long n) {                                  \
    V m0 = SET1(x[0]), m1 = m0, m2 = m0, m3 = m0, bad = SET1(0);                     \
    long i = 0;                                                                      \
    for (; i + 4 * LANES <= n; i += 4 * LANES) {                                     \
      V a = LOAD(x + i), b = LOAD(x + i + LANES);                                    \
      V c = LOAD(x + i + 2 * LANES), d = LOAD(x + i + 3 * LANES);                    \
      bad = OR(bad, OR(OR(CMP(a, a, _CMP_UNORD_Q), CMP(b, b, _CMP_UNORD_Q)),         \
                       OR(CMP(c, c, _CMP_UNORD_Q), CMP(d, d, _CMP_UNORD_Q))));       \
      m0 = OP(a, m0);                                                                \
      m1 = OP(b, m1);                                                                \
      m2 = OP(c, m2);                                                                \
      m3 = OP(d, m3);                                                                \
    }                                                                                \
    if (MOVEMASK(bad)) return NAN;                                                   \
    T lanes[LANES];                                                                  \
    STORE_##V(lanes, OP(OP(m0, m1), OP(m2, m3)));                                    \
    double best = (double)lanes[0];                                                  \
    for (int l = 1; l < LANES; l++) best = PICK(best, (double)lanes[l]);             \
    for (; i < n; i++) {                                                             \
      double v = (double)x[i];                                                       \
      if (v != v) return NAN;                                                        \
      best = PICK(best, v);                                                          \
    }                                                                                \
    return best;                                                                     \
  }

#define STORE___m256d _mm256_storeu_pd
#define STORE___m256 _mm256_storeu_ps
#define BW_PICK_MAX(a, b) ((b) > (a) ? (b) : (a))
#define BW_PICK_MIN(a, b) ((b) < (a) ? (b) : (a))

BW_EXTREMUM_AVX2(max_f64_avx2, double, __m256d, _mm256_loadu_pd, _mm256_max_pd, _mm256_set1_pd,
                 _mm256_cmp_pd, _mm256_or_pd, _mm256_movemask_pd, 4, BW_PICK_MAX)
BW_EXTREMUM_AVX2(min_f64_avx2, double, __m256d, _mm256_loadu_pd, _mm256_min_pd, _mm256_set1_pd,
                 _mm256_cmp_pd, _mm256_or_pd, _mm256_movemask_pd, 4, BW_PICK_MIN)
BW_EXTREMUM_AVX2(max_f32_avx2, float, __m256, _mm256_loadu_ps, _mm256_max_ps, _mm256_set1_ps,
                 _mm256_cmp_ps, _mm256_or_ps, _mm256_movemask_ps, 8, BW_PICK_MAX)
BW_EXTREMUM_AVX2(min_f32_avx2, float, __m256, _mm256_loadu_ps, _mm256_min_ps, _mm256_set1_ps,
                 _mm256_cmp_ps, _mm256_or_ps, _mm256_movemask_ps, 8, BW_PICK_MIN)

#endif  // BW_X86

double bw_max_f64(const double *x, long n) { return bw_kernels()->max_f64(x, n); }
double bw_min_f64(const double *x, long n) { return bw_kernels()->min_f64(x, n); }
double bw_max_f32(const float *x, long n) { return bw_kernels()->max_f32(x, n); }
double bw_min_f32(const float *x, long n) { return bw_kernels()->min_f32(x, n); }

// MARK: log-sum-exp leaves

// A leaf is summed as s = sum exp(x - shift) for a shift of the caller's
// choosing (reported in *max_out); the caller combines leaves as (shift, s)
// pairs. Two ways:
// - two passes: shift = max(x), then the shifted sum. Handles every special
//   value (NaN, +-inf) with the documented precedence;
// - one pass (AVX2, finite data): the shift follows the running maximum
//   chunk by chunk, moving only when a chunk's maximum exceeds it by more
//   than 64 (so terms stay below e^64, far from overflow, and the sum is
//   rescaled at most a few times per leaf rather than at every new
//   maximum). A large array is then read once, like sumExp, instead of once
//   for the max and again for the sum. Anything non-finite in a chunk's
//   extremes sends the leaf to the two-pass form.
#define BW_LSE_LEAF_TWO_PASS(NAME, T, MAX, SUMEXP)                \
  static double NAME(const T *x, long n, double *max_out) {       \
    double m = MAX(x, n);                                         \
    *max_out = m;                                                 \
    if (m != m) return m;                       /* NaN */         \
    if (m == INFINITY) return INFINITY;                           \
    if (m == -INFINITY) return 0.0;             /* all -inf */    \
    return SUMEXP(x, n, m);                                       \
  }

BW_LSE_LEAF_TWO_PASS(lse_leaf_f64_two_pass, double, bw_max_f64, bw_sum_exp_f64)
BW_LSE_LEAF_TWO_PASS(lse_leaf_f32_two_pass, float, bw_max_f32, bw_sum_exp_f32)

#define BW_LSE_SLACK 64.0

#if BW_X86
BW_AVX2 __attribute__((noinline)) static __m256d lse_chunk_checked(const double *x, long n, __m256d sh,
                                                                   __m256d acc) {
  for (long i = 0; i < n; i += 4) acc = _mm256_add_pd(acc, bw_exp4(_mm256_sub_pd(_mm256_loadu_pd(x + i), sh)));
  return acc;
}

BW_AVX2 static double lse_leaf_f64_avx2(const double *x, long n, double *max_out) {
  if (n < BW_EXP_CHUNK) return lse_leaf_f64_two_pass(x, n, max_out);
  double shift = 0;
  int started = 0;
  __m256d acc = _mm256_setzero_pd();
  double tail = 0;
  for (long i = 0; i < n; i += BW_EXP_CHUNK) {
    long len = n - i < BW_EXP_CHUNK ? n - i : BW_EXP_CHUNK;
    // The chunk's extremes; NaN is ignored here and reaches the sum.
    double lo = INFINITY, hi = -INFINITY;
    long full = len & ~3L;
    if (full > 0) {
      __m256d vlo = _mm256_set1_pd(INFINITY), vhi = _mm256_set1_pd(-INFINITY);
      for (long k = 0; k < full; k += 4) {
        __m256d v = _mm256_loadu_pd(x + i + k);
        vlo = _mm256_min_pd(v, vlo);
        vhi = _mm256_max_pd(v, vhi);
      }
      double l4[4], h4[4];
      _mm256_storeu_pd(l4, vlo);
      _mm256_storeu_pd(h4, vhi);
      for (int l = 0; l < 4; l++) {
        lo = l4[l] < lo ? l4[l] : lo;
        hi = h4[l] > hi ? h4[l] : hi;
      }
    }
    for (long k = full; k < len; k++) {
      double v = x[i + k];
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    if (!(hi > -INFINITY && hi < INFINITY)) return lse_leaf_f64_two_pass(x, n, max_out);
    if (!started) {
      shift = hi;
      started = 1;
    } else if (hi > shift + BW_LSE_SLACK) {
      double f = bw_exp1(shift - hi);
      acc = _mm256_mul_pd(acc, _mm256_set1_pd(f));
      tail *= f;
      shift = hi;
    }
    __m256d sh = _mm256_set1_pd(shift);
    if (lo - shift >= -BW_EXP_FAST) {
      for (long k = 0; k < full; k += 4)
        acc = _mm256_add_pd(acc, bw_exp4_core(_mm256_sub_pd(_mm256_loadu_pd(x + i + k), sh)));
    } else {
      acc = lse_chunk_checked(x + i, full, sh, acc);
    }
    for (long k = full; k < len; k++) tail += bw_exp1(x[i + k] - shift);
  }
  *max_out = shift;
  return bw_hsum4(acc) + tail;
}

#endif  // BW_X86

double bw_log_sum_exp_leaf_f64(const double *x, long n, double *max_out) {
  return bw_kernels()->lse_leaf_f64(x, n, max_out);
}

// This file's table entries: member, portable form, AVX2 form.
#define BW_REDUCTION_ENTRIES(X, t) \
  X(t, sum_f64, sum_f64_generic, sum_f64_avx2)                 \
  X(t, sum_exp_f64, sum_exp_f64_generic, sum_exp_f64_avx2)     \
  X(t, sum_exp_f32, sum_exp_f32_generic, sum_exp_f32_avx2)     \
  X(t, max_f64, max_f64_generic, max_f64_avx2)                 \
  X(t, min_f64, min_f64_generic, min_f64_avx2)                 \
  X(t, max_f32, max_f32_generic, max_f32_avx2)                 \
  X(t, min_f32, min_f32_generic, min_f32_avx2)                 \
  X(t, lse_leaf_f64, lse_leaf_f64_two_pass, lse_leaf_f64_avx2)

void bw_fill_reductions(bw_kernel_table *t) { BW_FILL(t, BW_REDUCTION_ENTRIES); }

double bw_log_sum_exp_leaf_f32(const float *x, long n, double *max_out) {
  return lse_leaf_f32_two_pass(x, n, max_out);
}

// MARK: pairwise

double bw_pairwise_sum(const double *p, long n) {
  if (n <= 0) return 0.0;
  if (n <= BW_PAIRWISE_RUN) {
    double s = p[0];
    for (long i = 1; i < n; i++) s += p[i];
    return s;
  }
  long half = n / 2;
  return bw_pairwise_sum(p, half) + bw_pairwise_sum(p + half, n - half);
}
