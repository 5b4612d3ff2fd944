// Strided copies: transposes and axis permutations into contiguous,
// row-major results. Work goes in square tiles so that both the rows read
// and the rows written stay in L1 while a tile is copied; transposes of
// unit-stride columns use in-register AVX2 transposes (4x4 doubles, 8x8
// floats), the rest a scalar tile loop.
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

// dst[i][j] = src[j * src_cs + i] over tiles of BW_TRANSPOSE_TILE x BW_TRANSPOSE_TILE, each
// cut into B x B blocks transposed in registers by BLOCK(i, j); the edges
// of a tile that are not a whole block go element by element.
#define BW_TRANSPOSE_TILES(B, BLOCK)                                                 \
  for (long ii = 0; ii < rows; ii += BW_TRANSPOSE_TILE) {                                      \
    long i1 = ii + BW_TRANSPOSE_TILE < rows ? ii + BW_TRANSPOSE_TILE : rows;                             \
    for (long jj = 0; jj < cols; jj += BW_TRANSPOSE_TILE) {                                    \
      long j1 = jj + BW_TRANSPOSE_TILE < cols ? jj + BW_TRANSPOSE_TILE : cols;                           \
      long i = ii;                                                                   \
      for (; i + B <= i1; i += B) {                                                  \
        long j = jj;                                                                 \
        for (; j + B <= j1; j += B) { BLOCK(i, j) }                                  \
        for (long r = i; r < i + B; r++)                                             \
          for (long c = j; c < j1; c++) dst[r * ldd + c] = src[c * src_cs + r];      \
      }                                                                              \
      for (; i < i1; i++)                                                            \
        for (long c = jj; c < j1; c++) dst[i * ldd + c] = src[c * src_cs + i];       \
    }                                                                                \
  }

// Four source rows (unit stride along i) in, four destination rows out.
#define BW_BLOCK_4X4_F64(i, j)                                                       \
  const double *s = src + (j) * src_cs + (i);                                        \
  __m256d r0 = _mm256_loadu_pd(s), r1 = _mm256_loadu_pd(s + src_cs);                 \
  __m256d r2 = _mm256_loadu_pd(s + 2 * src_cs), r3 = _mm256_loadu_pd(s + 3 * src_cs); \
  __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);          \
  __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);          \
  double *d = dst + (i) * ldd + (j);                                                 \
  _mm256_storeu_pd(d, _mm256_permute2f128_pd(t0, t2, 0x20));                         \
  _mm256_storeu_pd(d + ldd, _mm256_permute2f128_pd(t1, t3, 0x20));                   \
  _mm256_storeu_pd(d + 2 * ldd, _mm256_permute2f128_pd(t0, t2, 0x31));               \
  _mm256_storeu_pd(d + 3 * ldd, _mm256_permute2f128_pd(t1, t3, 0x31));

#if BW_X86
BW_AVX2 static void transpose_f64_avx2(const double *src, long src_cs, double *dst, long ldd,
                                       long rows, long cols) {
  BW_TRANSPOSE_TILES(4, BW_BLOCK_4X4_F64)
}

// The standard 8x8 float transpose: unpack pairs, shuffle quads, swap halves.
BW_AVX2 static inline void transpose8x8_f32(const float *s, long src_cs, float *d, long ldd) {
  __m256 r[8], t[8], u[8];
  for (int k = 0; k < 8; k++) r[k] = _mm256_loadu_ps(s + k * src_cs);
  for (int k = 0; k < 8; k += 2) {
    t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);
    t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);
  }
  for (int h = 0; h < 8; h += 4) {
    u[h] = _mm256_shuffle_ps(t[h], t[h + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[h + 1] = _mm256_shuffle_ps(t[h], t[h + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[h + 2] = _mm256_shuffle_ps(t[h + 1], t[h + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[h + 3] = _mm256_shuffle_ps(t[h + 1], t[h + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int k = 0; k < 4; k++) {
    _mm256_storeu_ps(d + k * ldd, _mm256_permute2f128_ps(u[k], u[k + 4], 0x20));
    _mm256_storeu_ps(d + (k + 4) * ldd, _mm256_permute2f128_ps(u[k], u[k + 4], 0x31));
  }
}

#define BW_BLOCK_8X8_F32(i, j) transpose8x8_f32(src + (j) * src_cs + (i), src_cs, dst + (i) * ldd + (j), ldd);

BW_AVX2 static void transpose_f32_avx2(const float *src, long src_cs, float *dst, long ldd,
                                       long rows, long cols) {
  BW_TRANSPOSE_TILES(8, BW_BLOCK_8X8_F32)
}

#endif  // BW_X86

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

// This file's table entries: member, portable form (NULL: the scalar copy), AVX2 form.
#define BW_LAYOUT_ENTRIES(X, t) \
  X(t, transpose_f64, NULL, transpose_f64_avx2) \
  X(t, transpose_f32, NULL, transpose_f32_avx2)

void bw_fill_layout(bw_kernel_table *t) { BW_FILL(t, BW_LAYOUT_ENTRIES); }
