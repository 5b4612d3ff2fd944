// Tensor-product B-spline stacks, written once over the vector layer. A
// stack of n splines on one grid stores its coefficients [p][q][spline]
// (spline innermost, padded), so a point's basis functions, computed once,
// weight (kx+1)(ky+1) unit-stride runs of n coefficients: broadcasts and
// multiply-adds over L splines per vector, no gathers (see bspline.c).

/// The basis of one axis at x, raised with this target's multiply-add
/// (fused where BW_V_FMA; bspline.c's bs_basis_impl).
BW_VFN long k_basis(const bw_bspline_axis *a, double x, double *h) {
  switch (a->k) {
    case 0: return bs_basis_impl(a, x, h, 0, BW_V_FMA);
    case 1: return bs_basis_impl(a, x, h, 1, BW_V_FMA);
    case 2: return bs_basis_impl(a, x, h, 2, BW_V_FMA);
    case 3: return bs_basis_impl(a, x, h, 3, BW_V_FMA);
    case 4: return bs_basis_impl(a, x, h, 4, BW_V_FMA);
    default: return bs_basis_impl(a, x, h, 5, BW_V_FMA);
  }
}

// Values of every spline at one point, point-major: o[s] for s < len. Per
// vector of L splines, each of the kx + 1 window rows is the ky + 1 runs
// weighted by wy (a compile-time count, so the broadcasts stay in
// registers and the loop unrolls), then weighted by wx[i]; the last vector
// reads and writes only the splines that exist. One body per (kx, ky),
// written once for Double coefficients (bw_vd) and Float ones (bw_vf: the
// basis, computed in double, broadcast as floats); SFX names the pair.
#define BS_POINT(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL, MUL_ADD, STORE, STORE_FIRST, KX, KY)          \
  static void k_point_##SFX##_##KX##KY(const T *base, long rowstride, long npad, long len, const double *wx,    \
                                       const double *wy, T *o) {                                               \
    V by[KY + 1], bx[KX + 1];                                                                                  \
    for (int j = 0; j <= KY; j++) by[j] = SET1((T)wy[j]);                                                      \
    for (int i = 0; i <= KX; i++) bx[i] = SET1((T)wx[i]);                                                      \
    for (long s = 0; s < len; s += L) {                                                                        \
      long k = len - s;                                                                                        \
      V v = ZERO();                                                                                            \
      for (int i = 0; i <= KX; i++) {                                                                          \
        const T *row = base + i * rowstride + s;                                                               \
        V r = MUL(by[0], k >= L ? LOAD(row) : LOAD_FIRST(row, k));                                             \
        for (int j = 1; j <= KY; j++) r = MUL_ADD(by[j], k >= L ? LOAD(row + j * npad) : LOAD_FIRST(row + j * npad, k), r); \
        v = MUL_ADD(bx[i], r, v);                                                                              \
      }                                                                                                        \
      if (k >= L) STORE(o + s, v);                                                                             \
      else STORE_FIRST(o + s, k, v);                                                                           \
    }                                                                                                          \
  }
#define BS_POINT_D(KX, KY) \
  BS_POINT(f64, double, bw_vd, BW_VD_LANES, vd_set1, vd_zero, vd_load, vd_load_first, vd_mul, vd_mul_add, vd_store, vd_store_first, KX, KY)
#define BS_POINT_F(KX, KY) \
  BS_POINT(f32, float, bw_vf, BW_VF_LANES, vf_set1, vf_zero, vf_load, vf_load_first, vf_mul, vf_mul_add, vf_store, vf_store_first, KX, KY)
#define BS_POINT_ROW(P, KX) P(KX, 1) P(KX, 2) P(KX, 3) P(KX, 4) P(KX, 5)
#define BS_POINT_ALL(P) BS_POINT_ROW(P, 1) BS_POINT_ROW(P, 2) BS_POINT_ROW(P, 3) BS_POINT_ROW(P, 4) BS_POINT_ROW(P, 5)
BS_POINT_ALL(BS_POINT_D)
BS_POINT_ALL(BS_POINT_F)

// Per element type: the [kx - 1][ky - 1] table of point kernels (degrees
// 1...5: stacks have no derivatives), the values of every spline at one
// point into o[s * lds], the stack's values at m points, and one leaf of
// the fused sum: points in cell order (bs_order), values formed a chunk of
// BW_BSPLINE_STACK_SUM_CHUNK points at a time and exp-summed by SUMEXP
// (this target's k_sum_exp_f64 or k_sum_exp_f32: float lanes, double
// sums), chunk sums added pairwise.
#define BS_STACK_KERNELS(SFX, T, SUMEXP)                                                                        \
  typedef void (*k_point_##SFX##_fn)(const T *, long, long, long, const double *, const double *, T *);         \
  static const k_point_##SFX##_fn k_points_##SFX[5][5] = {                                                      \
      {k_point_##SFX##_11, k_point_##SFX##_12, k_point_##SFX##_13, k_point_##SFX##_14, k_point_##SFX##_15},     \
      {k_point_##SFX##_21, k_point_##SFX##_22, k_point_##SFX##_23, k_point_##SFX##_24, k_point_##SFX##_25},     \
      {k_point_##SFX##_31, k_point_##SFX##_32, k_point_##SFX##_33, k_point_##SFX##_34, k_point_##SFX##_35},     \
      {k_point_##SFX##_41, k_point_##SFX##_42, k_point_##SFX##_43, k_point_##SFX##_44, k_point_##SFX##_45},     \
      {k_point_##SFX##_51, k_point_##SFX##_52, k_point_##SFX##_53, k_point_##SFX##_54, k_point_##SFX##_55}};    \
                                                                                                                \
  BW_VFN void k_stack_point_##SFX(const T *coef, long ncy, long npad, long n, int kx, int ky, long px, long py, \
                                  const double *wx, const double *wy, T *o, long lds) {                        \
    const T *base = coef + (px * ncy + py) * npad;                                                              \
    k_point_##SFX##_fn fn = k_points_##SFX[kx - 1][ky - 1];                                                     \
    if (lds == 1) {                                                                                             \
      fn(base, ncy * npad, npad, n, wx, wy, o);                                                                 \
      return;                                                                                                   \
    }                                                                                                           \
    /* Strided output: through a small buffer, 256 splines at a time. */                                        \
    T tmp[256];                                                                                                 \
    for (long s0 = 0; s0 < n; s0 += 256) {                                                                      \
      long len = n - s0 < 256 ? n - s0 : 256;                                                                   \
      fn(base + s0, ncy * npad, npad, len, wx, wy, tmp);                                                        \
      for (long q = 0; q < len; q++) o[(s0 + q) * lds] = tmp[q];                                                \
    }                                                                                                           \
  }                                                                                                             \
                                                                                                                \
  static void k_bspline_values_##SFX(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const T *coef,      \
                                     long n, long npad, const double *xi, const double *yi, long m, T *out,     \
                                     long ldp, long lds) {                                                      \
    long ncy = ay->n - ay->k - 1;                                                                               \
    double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];                                        \
    for (long p = 0; p < m; p++) {                                                                              \
      double x = xi[p], y = yi[p];                                                                              \
      T *o = out + p * ldp;                                                                                     \
      if (x != x || y != y) {                                                                                   \
        for (long s = 0; s < n; s++) o[s * lds] = NAN;                                                          \
        continue;                                                                                               \
      }                                                                                                         \
      long px = k_basis(ax, x, wx), py = k_basis(ay, y, wy);                                                    \
      k_stack_point_##SFX(coef, ncy, npad, n, ax->k, ay->k, px, py, wx, wy, o, lds);                            \
    }                                                                                                           \
  }                                                                                                             \
                                                                                                                \
  static double k_bspline_sum_exp_##SFX(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const T *coef,   \
                                        long n, long npad, const double *xi, const double *yi, long m,          \
                                        double *scratch) {                                                      \
    int by_cell;                                                                                                \
    long buckets = bs_buckets(ax, ay, m, &by_cell);                                                             \
    int32_t *key = (int32_t *)scratch, *order = key + m, *count = order + m;                                    \
    long ints = 2 * m + buckets + 1;                                                                            \
    T *vals = (T *)(scratch + (ints + 1) / 2);                                                                  \
    bs_order(ax, ay, xi, yi, m, key, order, count, buckets, by_cell);                                           \
    long ncy = ay->n - ay->k - 1;                                                                               \
    int kx = ax->k, ky = ay->k;                                                                                 \
    double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];                                        \
    bw_chunk_sums sums;                                                                                         \
    bw_chunk_sums_init(&sums);                                                                                  \
    for (long c = 0; c < m; c += BW_BSPLINE_STACK_SUM_CHUNK) {                                                  \
      long len = m - c < BW_BSPLINE_STACK_SUM_CHUNK ? m - c : BW_BSPLINE_STACK_SUM_CHUNK;                       \
      for (long q = 0; q < len; q++) {                                                                          \
        long p = order[c + q];                                                                                  \
        double x = xi[p], y = yi[p];                                                                            \
        T *o = vals + q * n;                                                                                    \
        if (x != x || y != y) {                                                                                 \
          for (long s = 0; s < n; s++) o[s] = NAN;                                                              \
          continue;                                                                                             \
        }                                                                                                       \
        long px = k_basis(ax, x, wx), py = k_basis(ay, y, wy);                                                  \
        k_stack_point_##SFX(coef, ncy, npad, n, kx, ky, px, py, wx, wy, o, 1);                                  \
      }                                                                                                         \
      bw_chunk_sums_add(&sums, SUMEXP(vals, len * n, 0.0));                                                     \
    }                                                                                                           \
    return bw_chunk_sums_total(&sums);                                                                          \
  }

BS_STACK_KERNELS(f64, double, k_sum_exp_f64)
BS_STACK_KERNELS(f32, float, k_sum_exp_f32)

// The table's names for them.
#define k_bspline_stack_values k_bspline_values_f64
#define k_bspline_stack_sum_exp k_bspline_sum_exp_f64
#define k_bspline_stack_values_f32 k_bspline_values_f32
#define k_bspline_stack_sum_exp_f32 k_bspline_sum_exp_f32
