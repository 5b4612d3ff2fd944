// Elementwise kernels: the public entry points (the kernels are written
// once in kernels/bw_k_elementwise.h and compiled per target).
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

void bw_exp_f64_on(int path, const double *x, double *y, long n) { bw_kernels_for(path)->exp_f64(x, y, n); }
void bw_exp_f64(const double *x, double *y, long n) { bw_kernels()->exp_f64(x, y, n); }
void bw_exp_f32_on(int path, const float *x, float *y, long n) { bw_kernels_for(path)->exp_f32(x, y, n); }
void bw_exp_f32(const float *x, float *y, long n) { bw_kernels()->exp_f32(x, y, n); }

#define BW_BINARY2D_ENTRY(T, SUFFIX)                                                   \
  int bw_binary2d_##SUFFIX(int op, const T *a, long a_rs, long a_cs, const T *b,       \
                           long b_rs, long b_cs, T *y, long ldy, long rows, long cols) { \
    if (op != BW_OP_ADD && op != BW_OP_SUBTRACT && op != BW_OP_MULTIPLY &&             \
        op != BW_OP_DIVIDE)                                                            \
      return -1;                                                                       \
    bw_kernels()->binary2d_##SUFFIX(op, a, a_rs, a_cs, b, b_rs, b_cs, y, ldy, rows, cols); \
    return 0;                                                                          \
  }
BW_BINARY2D_ENTRY(double, f64)
BW_BINARY2D_ENTRY(float, f32)

void bw_widen_f32(const float *src, double *dst, long n) { bw_kernels()->widen_f32(src, dst, n); }
void bw_narrow_f64(const double *src, float *dst, long n) { bw_kernels()->narrow_f64(src, dst, n); }
