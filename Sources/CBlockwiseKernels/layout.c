// Strided copies: transposes and axis permutations into contiguous,
// row-major results. Work goes in square tiles so that both the rows read
// and the rows written stay in L1 while a tile is copied; transposes of
// unit-stride columns use in-register transposes where the target has
// them (4x4 doubles, 8x8 floats on x86), the rest a scalar tile loop.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

// A 32 x 32 tile of doubles is 8 KiB read and 8 KiB written: with both
// sides resident in a 32 KiB L1, each source line is fetched once.

#define BW_COPY2D_SCALAR(T)                                                          \
  for (long ii = 0; ii < rows; ii += BW_TRANSPOSE_TILE) {                                      \
    long i1 = ii + BW_TRANSPOSE_TILE < rows ? ii + BW_TRANSPOSE_TILE : rows;                             \
    for (long jj = 0; jj < cols; jj += BW_TRANSPOSE_TILE) {                                    \
      long j1 = jj + BW_TRANSPOSE_TILE < cols ? jj + BW_TRANSPOSE_TILE : cols;                           \
      for (long i = ii; i < i1; i++)                                                 \
        for (long j = jj; j < j1; j++) dst[i * ldd + j] = src[i * src_rs + j * src_cs]; \
    }                                                                                \
  }

static void copy2d_f64_scalar(const double *src, long src_rs, long src_cs, double *dst, long ldd,
                              long rows, long cols) {
  BW_COPY2D_SCALAR(double)
}
static void copy2d_f32_scalar(const float *src, long src_rs, long src_cs, float *dst, long ldd,
                              long rows, long cols) {
  BW_COPY2D_SCALAR(float)
}

// Rows that are contiguous on both sides: plain row copies.
#define BW_COPY_ROWS(T)                                                              \
  for (long i = 0; i < rows; i++) memcpy(dst + i * ldd, src + i * src_rs, (size_t)cols * sizeof(T));

// Transposes of unit-stride columns go through the dispatch table
// (kernels/bw_k_layout.h: in-register block transposes on the x86 targets;
// NULL elsewhere, and the scalar tile copy above runs).

void bw_copy2d_f64(const double *src, long src_rs, long src_cs, double *dst, long ldd, long rows,
                   long cols) {
  if (rows <= 0 || cols <= 0) return;
  if (src_cs == 1) { BW_COPY_ROWS(double) return; }
  if (src_rs == 1 && bw_kernels()->transpose_f64) { bw_kernels()->transpose_f64(src, src_cs, dst, ldd, rows, cols); return; }
  copy2d_f64_scalar(src, src_rs, src_cs, dst, ldd, rows, cols);
}

void bw_copy2d_f32(const float *src, long src_rs, long src_cs, float *dst, long ldd, long rows,
                   long cols) {
  if (rows <= 0 || cols <= 0) return;
  if (src_cs == 1) { BW_COPY_ROWS(float) return; }
  if (src_rs == 1 && bw_kernels()->transpose_f32) { bw_kernels()->transpose_f32(src, src_cs, dst, ldd, rows, cols); return; }
  copy2d_f32_scalar(src, src_rs, src_cs, dst, ldd, rows, cols);
}
