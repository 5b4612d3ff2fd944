// Elementwise kernels: exp and the four arithmetic operators.
// Full vectors first, then a remainder; the portable loops are written so
// the compiler can vectorise them with the baseline ISA.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"

// MARK: exp

// The checked path, out of line so that the hot loop keeps its constants
// in registers (inlined, it made the compiler spill in the fast loop).
BW_AVX2 __attribute__((noinline)) static void exp_f64_checked(const double *x, double *y, long n) {
  for (long i = 0; i < n; i += 4) _mm256_storeu_pd(y + i, bw_exp4(_mm256_loadu_pd(x + i)));
}

BW_AVX2 static void exp_f64_avx2(const double *x, double *y, long n) {
  // In place (y == x) is allowed: each chunk is checked before it is written.
  const __m256d zero = _mm256_setzero_pd();
  long i = 0;
  for (; i + BW_EXP_CHUNK <= n; i += BW_EXP_CHUNK) {
    if (__builtin_expect(bw_chunk_in_range(x + i, BW_EXP_CHUNK, zero), 1)) {
      for (long k = i; k < i + BW_EXP_CHUNK; k += 4)
        _mm256_storeu_pd(y + k, bw_exp4_core(_mm256_loadu_pd(x + k)));
    } else {
      exp_f64_checked(x + i, y + i, BW_EXP_CHUNK);
    }
  }
  for (; i < n; i += 4) {
    __m256i m = bw_mask4(n - i);
    __m256d v = bw_exp4(_mm256_maskload_pd(x + i, m));
    _mm256_maskstore_pd(y + i, m, v);
  }
}

static void exp_f64_generic(const double *x, double *y, long n) {
  for (long i = 0; i < n; i++) y[i] = bw_exp1(x[i]);
}

void bw_exp_f64(const double *x, double *y, long n) {
  if (bw_isa_is_avx2()) exp_f64_avx2(x, y, n); else exp_f64_generic(x, y, n);
}

BW_AVX2 static void exp_f32_avx2(const float *x, float *y, long n) {
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    __m256d lo = bw_exp4_for_f32(_mm256_cvtps_pd(_mm256_castps256_ps128(v)));
    __m256d hi = bw_exp4_for_f32(_mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
    _mm_storeu_ps(y + i, _mm256_cvtpd_ps(lo));
    _mm_storeu_ps(y + i + 4, _mm256_cvtpd_ps(hi));
  }
  for (; i < n; i++) y[i] = (float)bw_exp1_for_f32((double)x[i]);
}

static void exp_f32_generic(const float *x, float *y, long n) {
  for (long i = 0; i < n; i++) y[i] = (float)bw_exp1_for_f32((double)x[i]);
}

void bw_exp_f32(const float *x, float *y, long n) {
  if (bw_isa_is_avx2()) exp_f32_avx2(x, y, n); else exp_f32_generic(x, y, n);
}

// MARK: arithmetic
// IEEE operations are exactly rounded, so both ISA paths agree bit for bit;
// the plain loops auto-vectorise in release builds.

#define BW_BINARY(T, SUFFIX)                                                              \
  void bw_binary_##SUFFIX(int op, const T *a, const T *b, T *y, long n) {                 \
    switch (op) {                                                                         \
      case 0: for (long i = 0; i < n; i++) y[i] = a[i] + b[i]; break;                     \
      case 1: for (long i = 0; i < n; i++) y[i] = a[i] - b[i]; break;                     \
      case 2: for (long i = 0; i < n; i++) y[i] = a[i] * b[i]; break;                     \
      default: for (long i = 0; i < n; i++) y[i] = a[i] / b[i]; break;                    \
    }                                                                                     \
  }                                                                                       \
  void bw_binary_scalar_##SUFFIX(int op, const T *a, T s, int left, T *y, long n) {       \
    switch (op) {                                                                         \
      case 0: for (long i = 0; i < n; i++) y[i] = a[i] + s; break;                        \
      case 1: if (left) { for (long i = 0; i < n; i++) y[i] = s - a[i]; }                 \
              else { for (long i = 0; i < n; i++) y[i] = a[i] - s; } break;               \
      case 2: for (long i = 0; i < n; i++) y[i] = a[i] * s; break;                        \
      default: if (left) { for (long i = 0; i < n; i++) y[i] = s / a[i]; }                \
               else { for (long i = 0; i < n; i++) y[i] = a[i] / s; } break;              \
    }                                                                                     \
  }

BW_BINARY(double, f64)
BW_BINARY(float, f32)

// MARK: conversions (Float data through the Double spline kernels)

void bw_widen_f32(const float *src, double *dst, long n) {
  for (long i = 0; i < n; i++) dst[i] = (double)src[i];
}

void bw_narrow_f64(const double *src, float *dst, long n) {
  for (long i = 0; i < n; i++) dst[i] = (float)src[i];
}
