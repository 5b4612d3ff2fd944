// Transposes of column-major tiles (dst[i][j] = src[j * src_cs + i]),
// written once over the layer's in-register block transposes: tiles of
// BW_TRANSPOSE_TILE x BW_TRANSPOSE_TILE, each cut into B x B blocks
// transposed in registers; the edges of a tile that are not a whole block
// go element by element. A target without block transposes
// (BW_V_TRANSPOSE 0) leaves the table entry NULL, and layout.c copies with
// its scalar tile loop.
#if BW_V_TRANSPOSE

#define BW_TRANSPOSE_TILES(B, BLOCK)                                                 \
  for (long ii = 0; ii < rows; ii += BW_TRANSPOSE_TILE) {                            \
    long i1 = ii + BW_TRANSPOSE_TILE < rows ? ii + BW_TRANSPOSE_TILE : rows;         \
    for (long jj = 0; jj < cols; jj += BW_TRANSPOSE_TILE) {                          \
      long j1 = jj + BW_TRANSPOSE_TILE < cols ? jj + BW_TRANSPOSE_TILE : cols;       \
      long i = ii;                                                                   \
      for (; i + B <= i1; i += B) {                                                  \
        long j = jj;                                                                 \
        for (; j + B <= j1; j += B) BLOCK(src + j * src_cs + i, src_cs, dst + i * ldd + j, ldd); \
        for (long r = i; r < i + B; r++)                                             \
          for (long c = j; c < j1; c++) dst[r * ldd + c] = src[c * src_cs + r];      \
      }                                                                              \
      for (; i < i1; i++)                                                            \
        for (long c = jj; c < j1; c++) dst[i * ldd + c] = src[c * src_cs + i];       \
    }                                                                                \
  }

static void k_transpose_f64(const double *src, long src_cs, double *dst, long ldd, long rows, long cols) {
  BW_TRANSPOSE_TILES(BW_TRANSPOSE_F64_BLOCK, bw_transpose4x4_f64)
}
static void k_transpose_f32(const float *src, long src_cs, float *dst, long ldd, long rows, long cols) {
  BW_TRANSPOSE_TILES(BW_TRANSPOSE_F32_BLOCK, bw_transpose8x8_f32)
}
#define BW_K_TRANSPOSE_F64 k_transpose_f64
#define BW_K_TRANSPOSE_F32 k_transpose_f32

#else
#define BW_K_TRANSPOSE_F64 NULL
#define BW_K_TRANSPOSE_F32 NULL
#endif
