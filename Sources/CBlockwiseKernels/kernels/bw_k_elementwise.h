// Elementwise kernels, written once: exp (Double, Float), the four
// arithmetic operators over 2-D strided operands, and the Float/Double
// conversions. Full vectors first, then a remainder.

// MARK: exp

// The checked path, out of line so that the hot loop keeps its constants
// in registers (inlined, it made the compiler spill in the fast loop).
__attribute__((noinline)) static void k_exp_f64_checked(const double *x, double *y, long n) {
  for (long i = 0; i < n; i += BW_VD_LANES) vd_store(y + i, vd_exp(vd_load(x + i)));
}

/// y = exp(x), within 1 ulp (vec/bw_vec_exp.h). In place (y == x) is
/// allowed: each chunk is checked before it is written.
static void k_exp_f64(const double *x, double *y, long n) {
  long i = 0;
  for (; i + BW_EXP_CHUNK <= n; i += BW_EXP_CHUNK) {
    if (__builtin_expect(vd_chunk_in_range(x + i, BW_EXP_CHUNK, vd_zero()), 1)) {
      for (long k = i; k < i + BW_EXP_CHUNK; k += BW_VD_LANES) vd_store(y + k, vd_exp_core(vd_load(x + k)));
    } else {
      k_exp_f64_checked(x + i, y + i, BW_EXP_CHUNK);
    }
  }
  for (; i < n; i += BW_VD_LANES) vd_store_first(y + i, n - i, vd_exp(vd_load_first(x + i, n - i)));
}

/// Float exp in float lanes (vf_exp, within 1 ulp), masked remainder.
static void k_exp_f32(const float *x, float *y, long n) {
  long i = 0;
  for (; i + BW_VF_LANES <= n; i += BW_VF_LANES) vf_store(y + i, vf_exp(vf_load(x + i)));
  if (i < n) vf_store_first(y + i, n - i, vf_exp(vf_load_first(x + i, n - i)));
}

// MARK: arithmetic
// IEEE operations are exactly rounded, so every target agrees bit for bit.
// One body, specialised by the column strides that occur (contiguous, a
// broadcast scalar on either side, anything else); the compiler vectorises
// each loop at the target's width.

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

#define BW_K_BINARY2D(T, SUFFIX)                                                       \
  static void k_binary2d_##SUFFIX(int op, const T *a, long a_rs, long a_cs, const T *b, \
                                  long b_rs, long b_cs, T *y, long ldy, long rows,     \
                                  long cols) {                                         \
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
  }

BW_K_BINARY2D(double, f64)
BW_K_BINARY2D(float, f32)

// MARK: conversions
// Exact (widening) or rounded to nearest (narrowing) by the hardware
// conversion; NaN stays NaN and out-of-range Doubles become infinities.

static void k_widen_f32(const float *src, double *dst, long n) {
  for (long i = 0; i < n; i++) dst[i] = (double)src[i];
}
static void k_narrow_f64(const double *src, float *dst, long n) {
  for (long i = 0; i < n; i++) dst[i] = (float)src[i];
}
