// Elementwise kernels: exp and the four arithmetic operators.
// Full vectors first, then a remainder; the portable loops are written so
// the compiler can vectorise them with the baseline ISA.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

// MARK: exp

#if BW_X86
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

#endif  // BW_X86

static void exp_f64_generic(const double *x, double *y, long n) {
  for (long i = 0; i < n; i++) y[i] = bw_exp1(x[i]);
}

void bw_exp_f64_on(int path, const double *x, double *y, long n) { bw_kernels_for(path)->exp_f64(x, y, n); }

void bw_exp_f64(const double *x, double *y, long n) { bw_kernels()->exp_f64(x, y, n); }

#if BW_X86
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

#endif  // BW_X86

static void exp_f32_generic(const float *x, float *y, long n) {
  for (long i = 0; i < n; i++) y[i] = (float)bw_exp1_for_f32((double)x[i]);
}

void bw_exp_f32_on(int path, const float *x, float *y, long n) { bw_kernels_for(path)->exp_f32(x, y, n); }

void bw_exp_f32(const float *x, float *y, long n) { bw_kernels()->exp_f32(x, y, n); }

// MARK: arithmetic
// IEEE operations are exactly rounded, so both ISA paths agree bit for bit.
// One body, specialised by the column strides that occur (contiguous, a
// broadcast scalar on either side, anything else), compiled per path.

#define BW_ROW(T, OP)                                                                  \
  if (a_cs == 1 && b_cs == 1) {                                                        \
    BW_IVDEP for (long j = 0; j < cols; j++) yr[j] = ar[j] OP br[j];                   \
  } else if (a_cs == 1 && b_cs == 0) {                                                 \
    const T s = br[0];                                                                 \
    BW_IVDEP for (long j = 0; j < cols; j++) yr[j] = ar[j] OP s;                       \
  } else if (a_cs == 0 && b_cs == 1) {                                                 \
    const T s = ar[0];                                                                 \
    BW_IVDEP for (long j = 0; j < cols; j++) yr[j] = s OP br[j];                       \
  } else {                                                                             \
    for (long j = 0; j < cols; j++) yr[j] = ar[j * a_cs] OP br[j * b_cs];              \
  }

#define BW_BINARY2D(T, SUFFIX)                                                         \
  BW_INLINE void binary2d_##SUFFIX##_body(int op, const T *a, long a_rs, long a_cs,    \
                                          const T *b, long b_rs, long b_cs, T *y,      \
                                          long ldy, long rows, long cols) {            \
    for (long i = 0; i < rows; i++) {                                                  \
      const T *ar = a + i * a_rs, *br = b + i * b_rs;                                  \
      T *yr = y + i * ldy;                                                             \
      switch (op) {                                                                    \
        case BW_OP_ADD: BW_ROW(T, +) break;                                            \
        case BW_OP_SUBTRACT: BW_ROW(T, -) break;                                       \
        case BW_OP_MULTIPLY: BW_ROW(T, *) break;                                       \
        default: BW_ROW(T, /) break;                                                   \
      }                                                                                \
    }                                                                                  \
  }                                                                                    \
  BW_X86_ONLY(BW_AVX2 static void binary2d_##SUFFIX##_avx2(                            \
      int op, const T *a, long a_rs, long a_cs, const T *b, long b_rs, long b_cs, T *y,  \
      long ldy, long rows, long cols) {                                                \
    binary2d_##SUFFIX##_body(op, a, a_rs, a_cs, b, b_rs, b_cs, y, ldy, rows, cols);    \
  })                                                                                   \
  static void binary2d_##SUFFIX##_generic(int op, const T *a, long a_rs, long a_cs,    \
                                          const T *b, long b_rs, long b_cs, T *y,      \
                                          long ldy, long rows, long cols) {            \
    binary2d_##SUFFIX##_body(op, a, a_rs, a_cs, b, b_rs, b_cs, y, ldy, rows, cols);    \
  }                                                                                    \
  int bw_binary2d_##SUFFIX(int op, const T *a, long a_rs, long a_cs, const T *b,       \
                           long b_rs, long b_cs, T *y, long ldy, long rows, long cols) { \
    if (op != BW_OP_ADD && op != BW_OP_SUBTRACT && op != BW_OP_MULTIPLY &&             \
        op != BW_OP_DIVIDE)                                                            \
      return -1;                                                                       \
    bw_kernels()->binary2d_##SUFFIX(op, a, a_rs, a_cs, b, b_rs, b_cs, y, ldy, rows, cols); \
    return 0;                                                                          \
  }

BW_BINARY2D(double, f64)
BW_BINARY2D(float, f32)

// MARK: conversions
// Exact (widening) or rounded to nearest (narrowing) by the hardware
// conversion; NaN stays NaN and out-of-range Doubles become infinities.

BW_INLINE void widen_body(const float *src, double *dst, long n) {
  for (long i = 0; i < n; i++) dst[i] = (double)src[i];
}
BW_INLINE void narrow_body(const double *src, float *dst, long n) {
  for (long i = 0; i < n; i++) dst[i] = (float)src[i];
}
#if BW_X86
BW_AVX2 static void widen_avx2(const float *src, double *dst, long n) { widen_body(src, dst, n); }
BW_AVX2 static void narrow_avx2(const double *src, float *dst, long n) { narrow_body(src, dst, n); }
#endif
static void widen_generic(const float *src, double *dst, long n) { widen_body(src, dst, n); }
static void narrow_generic(const double *src, float *dst, long n) { narrow_body(src, dst, n); }

void bw_widen_f32(const float *src, double *dst, long n) { bw_kernels()->widen_f32(src, dst, n); }

void bw_narrow_f64(const double *src, float *dst, long n) { bw_kernels()->narrow_f64(src, dst, n); }

// This file's table entries: member, portable form, AVX2 form.
#define BW_ELEMENTWISE_ENTRIES(X, t) \
  X(t, exp_f64, exp_f64_generic, exp_f64_avx2)                \
  X(t, exp_f32, exp_f32_generic, exp_f32_avx2)                \
  X(t, binary2d_f64, binary2d_f64_generic, binary2d_f64_avx2) \
  X(t, binary2d_f32, binary2d_f32_generic, binary2d_f32_avx2) \
  X(t, widen_f32, widen_generic, widen_avx2)                  \
  X(t, narrow_f64, narrow_generic, narrow_avx2)

void bw_fill_elementwise(bw_kernel_table *t) { BW_FILL(t, BW_ELEMENTWISE_ENTRIES); }
