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
// registers and the loop unrolls), then weighted by wx[i]. The last vector
// reads and writes only the splines that exist. One body per (kx, ky).
#define BS_POINT(KX, KY)                                                                                  \
  static void k_point_##KX##KY(const double *base, long rowstride, long npad, long len, const double *wx, \
                               const double *wy, double *o) {                                             \
    bw_vd by[KY + 1], bx[KX + 1];                                                                         \
    for (int j = 0; j <= KY; j++) by[j] = vd_set1(wy[j]);                                                 \
    for (int i = 0; i <= KX; i++) bx[i] = vd_set1(wx[i]);                                                 \
    long s = 0;                                                                                           \
    for (; s + BW_VD_LANES <= len; s += BW_VD_LANES) {                                                    \
      bw_vd v = vd_zero();                                                                                \
      for (int i = 0; i <= KX; i++) {                                                                     \
        const double *row = base + i * rowstride + s;                                                     \
        bw_vd r = vd_mul(by[0], vd_load(row));                                                            \
        for (int j = 1; j <= KY; j++) r = vd_mul_add(by[j], vd_load(row + j * npad), r);                 \
        v = vd_mul_add(bx[i], r, v);                                                                      \
      }                                                                                                   \
      vd_store(o + s, v);                                                                                 \
    }                                                                                                     \
    if (s < len) {                                                                                        \
      long k = len - s;                                                                                   \
      bw_vd v = vd_zero();                                                                                \
      for (int i = 0; i <= KX; i++) {                                                                     \
        const double *row = base + i * rowstride + s;                                                     \
        bw_vd r = vd_mul(by[0], vd_load_first(row, k));                                                   \
        for (int j = 1; j <= KY; j++) r = vd_mul_add(by[j], vd_load_first(row + j * npad, k), r);        \
        v = vd_mul_add(bx[i], r, v);                                                                      \
      }                                                                                                   \
      vd_store_first(o + s, k, v);                                                                        \
    }                                                                                                     \
  }
#define BS_POINT_ROW(KX) BS_POINT(KX, 1) BS_POINT(KX, 2) BS_POINT(KX, 3) BS_POINT(KX, 4) BS_POINT(KX, 5)
BS_POINT_ROW(1)
BS_POINT_ROW(2)
BS_POINT_ROW(3)
BS_POINT_ROW(4)
BS_POINT_ROW(5)

typedef void (*k_point_fn)(const double *, long, long, long, const double *, const double *, double *);
#define BS_POINT_FNS(KX) k_point_##KX##1, k_point_##KX##2, k_point_##KX##3, k_point_##KX##4, k_point_##KX##5
// Indexed [kx - 1][ky - 1] (degrees 1...5: stacks have no derivatives).
static const k_point_fn k_points[5][5] = {
    {BS_POINT_FNS(1)}, {BS_POINT_FNS(2)}, {BS_POINT_FNS(3)}, {BS_POINT_FNS(4)}, {BS_POINT_FNS(5)}};

/// Values of every spline at one point into o[s * lds] (s < n).
BW_VFN void k_stack_point(const double *coef, long ncy, long npad, long n, int kx, int ky, long px, long py,
                          const double *wx, const double *wy, double *o, long lds) {
  const double *base = coef + (px * ncy + py) * npad;
  k_point_fn fn = k_points[kx - 1][ky - 1];
  if (lds == 1) {
    fn(base, ncy * npad, npad, n, wx, wy, o);
    return;
  }
  // Strided output: through a small buffer, 256 splines at a time.
  double tmp[256];
  for (long s0 = 0; s0 < n; s0 += 256) {
    long len = n - s0 < 256 ? n - s0 : 256;
    fn(base + s0, ncy * npad, npad, len, wx, wy, tmp);
    for (long q = 0; q < len; q++) o[(s0 + q) * lds] = tmp[q];
  }
}

static void k_bspline_stack_values(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                                   long n, long npad, const double *xi, const double *yi, long m, double *out,
                                   long ldp, long lds) {
  long ncy = ay->n - ay->k - 1;
  double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];
  for (long p = 0; p < m; p++) {
    double x = xi[p], y = yi[p];
    double *o = out + p * ldp;
    if (x != x || y != y) {
      for (long s = 0; s < n; s++) o[s * lds] = NAN;
      continue;
    }
    long px = k_basis(ax, x, wx), py = k_basis(ay, y, wy);
    k_stack_point(coef, ncy, npad, n, ax->k, ay->k, px, py, wx, wy, o, lds);
  }
}

// MARK: fused sum of exp over a leaf, in cell order

/// One leaf: points in cell order (bspline.c's bs_order), values formed a
/// chunk of BW_BSPLINE_STACK_SUM_CHUNK points at a time and exp-summed by
/// this target's k_sum_exp_f64, chunk sums added pairwise.
static double k_bspline_stack_sum_exp(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                                      long n, long npad, const double *xi, const double *yi, long m,
                                      double *scratch) {
  int by_cell;
  long buckets = bs_buckets(ax, ay, m, &by_cell);
  int32_t *key = (int32_t *)scratch, *order = key + m, *count = order + m;
  long ints = 2 * m + buckets + 1;
  double *vals = scratch + (ints + 1) / 2;
  bs_order(ax, ay, xi, yi, m, key, order, count, buckets, by_cell);
  long ncy = ay->n - ay->k - 1;
  int kx = ax->k, ky = ay->k;
  double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];
  bw_chunk_sums sums;
  bw_chunk_sums_init(&sums);
  for (long c = 0; c < m; c += BW_BSPLINE_STACK_SUM_CHUNK) {
    long len = m - c < BW_BSPLINE_STACK_SUM_CHUNK ? m - c : BW_BSPLINE_STACK_SUM_CHUNK;
    for (long q = 0; q < len; q++) {
      long p = order[c + q];
      double x = xi[p], y = yi[p];
      double *o = vals + q * n;
      if (x != x || y != y) {
        for (long s = 0; s < n; s++) o[s] = NAN;
        continue;
      }
      long px = k_basis(ax, x, wx), py = k_basis(ay, y, wy);
      k_stack_point(coef, ncy, npad, n, kx, ky, px, py, wx, wy, o, 1);
    }
    bw_chunk_sums_add(&sums, k_sum_exp_f64(vals, len * n, 0.0));
  }
  return bw_chunk_sums_total(&sums);
}

// MARK: Float stacks

// The same over float coefficients in float lanes (BW_VF_LANES splines per
// vector); the basis functions are computed in double and broadcast as
// floats, and sums are double (k_sum_exp_f32).
#define BS_POINT_F32(KX, KY)                                                                                 \
  static void k_point_f32_##KX##KY(const float *base, long rowstride, long npad, long len, const double *wx, \
                                   const double *wy, float *o) {                                             \
    bw_vf by[KY + 1], bx[KX + 1];                                                                            \
    for (int j = 0; j <= KY; j++) by[j] = vf_set1((float)wy[j]);                                             \
    for (int i = 0; i <= KX; i++) bx[i] = vf_set1((float)wx[i]);                                             \
    for (long s = 0; s < len; s += BW_VF_LANES) {                                                            \
      long k = len - s;                                                                                      \
      bw_vf v = vf_zero();                                                                                   \
      for (int i = 0; i <= KX; i++) {                                                                        \
        const float *row = base + i * rowstride + s;                                                         \
        bw_vf r = vf_mul(by[0], k >= BW_VF_LANES ? vf_load(row) : vf_load_first(row, k));                    \
        for (int j = 1; j <= KY; j++)                                                                        \
          r = vf_mul_add(by[j], k >= BW_VF_LANES ? vf_load(row + j * npad) : vf_load_first(row + j * npad, k), r); \
        v = vf_mul_add(bx[i], r, v);                                                                         \
      }                                                                                                      \
      if (k >= BW_VF_LANES) vf_store(o + s, v);                                                              \
      else vf_store_first(o + s, k, v);                                                                      \
    }                                                                                                        \
  }
#define BS_POINT_F32_ROW(KX) \
  BS_POINT_F32(KX, 1) BS_POINT_F32(KX, 2) BS_POINT_F32(KX, 3) BS_POINT_F32(KX, 4) BS_POINT_F32(KX, 5)
BS_POINT_F32_ROW(1)
BS_POINT_F32_ROW(2)
BS_POINT_F32_ROW(3)
BS_POINT_F32_ROW(4)
BS_POINT_F32_ROW(5)

typedef void (*k_point_f32_fn)(const float *, long, long, long, const double *, const double *, float *);
#define BS_POINT_F32_FNS(KX) \
  k_point_f32_##KX##1, k_point_f32_##KX##2, k_point_f32_##KX##3, k_point_f32_##KX##4, k_point_f32_##KX##5
static const k_point_f32_fn k_points_f32[5][5] = {
    {BS_POINT_F32_FNS(1)}, {BS_POINT_F32_FNS(2)}, {BS_POINT_F32_FNS(3)}, {BS_POINT_F32_FNS(4)}, {BS_POINT_F32_FNS(5)}};

BW_VFN void k_stack_point_f32(const float *coef, long ncy, long npad, long n, int kx, int ky, long px, long py,
                              const double *wx, const double *wy, float *o, long lds) {
  const float *base = coef + (px * ncy + py) * npad;
  k_point_f32_fn fn = k_points_f32[kx - 1][ky - 1];
  if (lds == 1) {
    fn(base, ncy * npad, npad, n, wx, wy, o);
    return;
  }
  float tmp[256];
  for (long s0 = 0; s0 < n; s0 += 256) {
    long len = n - s0 < 256 ? n - s0 : 256;
    fn(base + s0, ncy * npad, npad, len, wx, wy, tmp);
    for (long q = 0; q < len; q++) o[(s0 + q) * lds] = tmp[q];
  }
}

static void k_bspline_stack_values_f32(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const float *coef,
                                       long n, long npad, const double *xi, const double *yi, long m, float *out,
                                       long ldp, long lds) {
  long ncy = ay->n - ay->k - 1;
  double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];
  for (long p = 0; p < m; p++) {
    double x = xi[p], y = yi[p];
    float *o = out + p * ldp;
    if (x != x || y != y) {
      for (long s = 0; s < n; s++) o[s * lds] = NAN;
      continue;
    }
    long px = k_basis(ax, x, wx), py = k_basis(ay, y, wy);
    k_stack_point_f32(coef, ncy, npad, n, ax->k, ay->k, px, py, wx, wy, o, lds);
  }
}

/// One leaf of a Float stack's fused sum: as k_bspline_stack_sum_exp, with
/// float values exp-summed by k_sum_exp_f32 (float lanes, double sums).
static double k_bspline_stack_sum_exp_f32(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const float *coef,
                                          long n, long npad, const double *xi, const double *yi, long m,
                                          double *scratch) {
  int by_cell;
  long buckets = bs_buckets(ax, ay, m, &by_cell);
  int32_t *key = (int32_t *)scratch, *order = key + m, *count = order + m;
  long ints = 2 * m + buckets + 1;
  float *vals = (float *)(scratch + (ints + 1) / 2);
  bs_order(ax, ay, xi, yi, m, key, order, count, buckets, by_cell);
  long ncy = ay->n - ay->k - 1;
  int kx = ax->k, ky = ay->k;
  double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];
  bw_chunk_sums sums;
  bw_chunk_sums_init(&sums);
  for (long c = 0; c < m; c += BW_BSPLINE_STACK_SUM_CHUNK) {
    long len = m - c < BW_BSPLINE_STACK_SUM_CHUNK ? m - c : BW_BSPLINE_STACK_SUM_CHUNK;
    for (long q = 0; q < len; q++) {
      long p = order[c + q];
      double x = xi[p], y = yi[p];
      float *o = vals + q * n;
      if (x != x || y != y) {
        for (long s = 0; s < n; s++) o[s] = NAN;
        continue;
      }
      long px = k_basis(ax, x, wx), py = k_basis(ay, y, wy);
      k_stack_point_f32(coef, ncy, npad, n, kx, ky, px, py, wx, wy, o, 1);
    }
    bw_chunk_sums_add(&sums, k_sum_exp_f32(vals, len * n, 0.0));
  }
  return bw_chunk_sums_total(&sums);
}
