// Reductions along a strided axis, written once: a block of rows, each
// `ld` elements apart, folded row by row into a vector of column
// accumulators (see axis.c for why). Rows are folded in order, one
// rounding each, so a column's result depends only on the rows it was
// given, on every target alike for sum, min and max.

// MARK: sum

// Four rows per pass: (((acc + x0) + x1) + x2) + x3 rounds exactly as four
// single-row passes would, with a quarter of the accumulator traffic.
#define BW_K_ROWS_SUM(NAME, T)                                                           \
  static void NAME(const T *x, long rows, long ld, long cols, double *acc) {             \
    long r = 0;                                                                          \
    for (; r + 4 <= rows; r += 4) {                                                      \
      const T *x0 = x + r * ld, *x1 = x0 + ld, *x2 = x1 + ld, *x3 = x2 + ld;             \
      BW_IVDEP for (long j = 0; j < cols; j++)                                           \
        acc[j] = (((acc[j] + (double)x0[j]) + (double)x1[j]) + (double)x2[j]) + (double)x3[j]; \
    }                                                                                    \
    for (; r < rows; r++) {                                                              \
      const T *x0 = x + r * ld;                                                          \
      BW_IVDEP for (long j = 0; j < cols; j++) acc[j] += (double)x0[j];                  \
    }                                                                                    \
  }
BW_K_ROWS_SUM(k_rows_sum_f64, double)
BW_K_ROWS_SUM(k_rows_sum_f32, float)

// MARK: sum of exp

// LOAD reads a vector of elements as doubles (a plain load, or floats
// widened); the remainder columns go as one masked vector.
#define BW_K_ROWS_SUM_EXP(NAME, T, LOAD, LOAD_FIRST)                                      \
  static void NAME(const T *x, long rows, long ld, long cols, const double *shift, double *acc) { \
    long full = cols - cols % BW_VD_LANES;                                                \
    for (long r = 0; r < rows; r++) {                                                     \
      const T *xr = x + r * ld;                                                           \
      long j = 0;                                                                         \
      for (; j < full; j += BW_VD_LANES) {                                                \
        bw_vd v = LOAD(xr + j);                                                           \
        if (shift) v = vd_sub(v, vd_load(shift + j));                                     \
        vd_store(acc + j, vd_add(vd_load(acc + j), vd_exp(v)));                           \
      }                                                                                   \
      if (j < cols) { /* the rest as one masked vector */                                 \
        long k = cols - j;                                                                \
        bw_vd v = LOAD_FIRST(xr + j, k);                                                  \
        if (shift) v = vd_sub(v, vd_load_first(shift + j, k));                            \
        vd_store_first(acc + j, k, vd_add(vd_load_first(acc + j, k), vd_exp(v)));         \
      }                                                                                   \
    }                                                                                     \
  }
BW_K_ROWS_SUM_EXP(k_rows_sum_exp_f64, double, vd_load, vd_load_first)
BW_K_ROWS_SUM_EXP(k_rows_sum_exp_f32, float, vd_load_f32, vd_load_f32_first)

// MARK: min / max

// `v CMP a || v != v` keeps a NaN accumulator NaN (every comparison with it
// is false) and lets a NaN element in; the select vectorises as a blend.
#define BW_K_ROWS_EXTREMUM(NAME, T, CMP)                                                  \
  static void NAME(const T *x, long rows, long ld, long cols, double *acc) {              \
    for (long r = 0; r < rows; r++) {                                                     \
      const T *xr = x + r * ld;                                                           \
      BW_IVDEP for (long j = 0; j < cols; j++) {                                          \
        double v = (double)xr[j], a = acc[j];                                             \
        acc[j] = (v CMP a || v != v) ? v : a;                                             \
      }                                                                                   \
    }                                                                                     \
  }
BW_K_ROWS_EXTREMUM(k_rows_max_f64, double, >)
BW_K_ROWS_EXTREMUM(k_rows_min_f64, double, <)
BW_K_ROWS_EXTREMUM(k_rows_max_f32, float, >)
BW_K_ROWS_EXTREMUM(k_rows_min_f32, float, <)
