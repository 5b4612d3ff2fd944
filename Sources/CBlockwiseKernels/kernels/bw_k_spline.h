// Bilinear spline stacks, written once over the vector layer: for a stack
// of splines on one grid, a point's n values come from four contiguous runs
// of per-cell coefficients [cell][A|B|C|D][spline], so the inner loop is a
// broadcast of (tx, ty) and unit-stride loads over the splines, with exp
// fused and no gathers (see spline.c for the layout and the measurements).

/// Per element type (Double coefficients in bw_vd lanes, Float ones in
/// bw_vf lanes; SFX names the pair):
/// - k_stack_value_SFX: values of splines k .. k + L - 1 at offsets
///   (tx, ty) of the cell whose runs start at A, (A + ty C) + tx (B + ty D),
///   fused where the target fuses; the last vector reads only the first
///   `lanes` splines;
/// - k_stack_eval_SFX: every spline's value at m points, out[k * ldo + p];
/// - k_prefetch_cell_SFX: touches a cell's coefficient runs so they arrive
///   while the current point computes (random cells otherwise stall on L3
///   for every point).
#define BW_STACK_BASICS(SFX, T, V, L, SET1, LOAD, LOAD_FIRST, MUL_ADD, STORE)                              \
  BW_VFN V k_stack_value_##SFX(const T *A, long npad, long k, long lanes, V vtx, V vty) {                   \
    const T *B = A + npad, *C = B + npad, *D = C + npad;                                                  \
    V a, b, c, d;                                                                                         \
    if (lanes >= L) {                                                                                     \
      a = LOAD(A + k), b = LOAD(B + k), c = LOAD(C + k), d = LOAD(D + k);                                 \
    } else {                                                                                              \
      a = LOAD_FIRST(A + k, lanes), b = LOAD_FIRST(B + k, lanes);                                         \
      c = LOAD_FIRST(C + k, lanes), d = LOAD_FIRST(D + k, lanes);                                         \
    }                                                                                                     \
    V lo = MUL_ADD(vty, c, a);                                                                            \
    V hi = MUL_ADD(vty, d, b);                                                                            \
    return MUL_ADD(vtx, hi, lo);                                                                          \
  }                                                                                                       \
                                                                                                          \
  static void k_stack_eval_##SFX(const bw_axis *ax, const bw_axis *ay, const T *coef, long n, long npad,  \
                                 const double *xi, const double *yi, long m, T *out, long ldo) {          \
    T t[L];                                                                                               \
    for (long p = 0; p < m; p++) {                                                                        \
      long c;                                                                                             \
      double tx, ty;                                                                                      \
      if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) {                                               \
        for (long k = 0; k < n; k++) out[k * ldo + p] = NAN;                                              \
        continue;                                                                                         \
      }                                                                                                   \
      const T *A = coef + 4 * npad * c;                                                                   \
      V vtx = SET1((T)tx), vty = SET1((T)ty);                                                             \
      for (long k = 0; k < n; k += L) {                                                                   \
        long lanes = n - k < L ? n - k : L;                                                               \
        STORE(t, k_stack_value_##SFX(A, npad, k, lanes, vtx, vty));                                        \
        for (long l = 0; l < lanes; l++) out[(k + l) * ldo + p] = t[l];                                   \
      }                                                                                                   \
    }                                                                                                     \
  }                                                                                                       \
                                                                                                          \
  BW_VFN void k_prefetch_cell_##SFX(const T *coef, long npad, long cell) {                                \
    const char *p = (const char *)(coef + 4 * npad * cell);                                               \
    long bytes = 4 * npad * (long)sizeof(T);                                                              \
    for (long off = 0; off < bytes; off += 64) bw_prefetch(p + off);                                      \
  }

BW_STACK_BASICS(f64, double, bw_vd, BW_VD_LANES, vd_set1, vd_load, vd_load_first, vd_mul_add, vd_store)
BW_STACK_BASICS(f32, float, bw_vf, BW_VF_LANES, vf_set1, vf_load, vf_load_first, vf_mul_add, vf_store)
#define k_stack_value k_stack_value_f64
#define k_stack_eval k_stack_eval_f64
#define k_prefetch_cell k_prefetch_cell_f64

// Points are located BW_STACK_LOCATE_BLOCK at a time, ahead of the
// arithmetic, so the cell of the point BW_STACK_PREFETCH_POINTS ahead can be
// prefetched (both in bw_policy.h); a block's cells, offsets and validity
// live on the stack.
typedef struct {
  long cell[BW_STACK_LOCATE_BLOCK];
  double tx[BW_STACK_LOCATE_BLOCK], ty[BW_STACK_LOCATE_BLOCK];
  int ok[BW_STACK_LOCATE_BLOCK];
} k_located;

BW_VFN void k_locate_block(const bw_axis *ax, const bw_axis *ay, const double *xi, const double *yi, long count,
                           k_located *b) {
  for (long q = 0; q < count; q++) b->ok[q] = bw_locate(ax, ay, xi[q], yi[q], &b->cell[q], &b->tx[q], &b->ty[q]);
}

/// Runs the statements after NAN_POINT for each of the m points (xi, yi),
/// located a block ahead, with the cell of the point
/// BW_STACK_PREFETCH_POINTS ahead prefetched by PREFETCH(cell); there `p`,
/// `cell`, `tx` and `ty` are the point's. NAN_POINT runs instead for a
/// point with a NaN coordinate. The one point loop of every stack kernel
/// (Double and Float).
#define BW_STACK_FOR_EACH_POINT(m, PREFETCH, NAN_POINT, ...)                                   \
  do {                                                                                        \
    k_located b_;                                                                             \
    for (long p0_ = 0; p0_ < (m); p0_ += BW_STACK_LOCATE_BLOCK) {                             \
      long count_ = (m) - p0_ < BW_STACK_LOCATE_BLOCK ? (m) - p0_ : BW_STACK_LOCATE_BLOCK;    \
      k_locate_block(ax, ay, xi + p0_, yi + p0_, count_, &b_);                                \
      for (long q_ = 0; q_ < count_ && q_ < BW_STACK_PREFETCH_POINTS; q_++)                   \
        if (b_.ok[q_]) PREFETCH(b_.cell[q_]);                                                 \
      for (long q_ = 0; q_ < count_; q_++) {                                                  \
        long ahead_ = q_ + BW_STACK_PREFETCH_POINTS;                                          \
        if (ahead_ < count_ && b_.ok[ahead_]) PREFETCH(b_.cell[ahead_]);                      \
        long p = p0_ + q_;                                                                    \
        (void)p;                                                                              \
        if (!b_.ok[q_]) {                                                                     \
          NAN_POINT;                                                                          \
          continue;                                                                           \
        }                                                                                     \
        long cell = b_.cell[q_];                                                              \
        double tx = b_.tx[q_], ty = b_.ty[q_];                                                \
        __VA_ARGS__                                                                           \
      }                                                                                       \
    }                                                                                         \
  } while (0)

/// The table entry NAME(..., int bounded, ...) of a stack kernel whose
/// body NAME_body takes `bounded` as a constant: one instance per value,
/// so neither carries the other's range checks. T is the coefficient type,
/// R the return type (RET `return`, or nothing for void), EXTRA the
/// arguments after the points.
#define BW_STACK_BOUNDED_ENTRY(R, RET, NAME, T, EXTRA_PARAMS, EXTRA_ARGS)                            \
  static R NAME(const bw_axis *ax, const bw_axis *ay, const T *coef, long n, long npad, int bounded, \
                const double *xi, const double *yi, long m EXTRA_PARAMS) {                             \
    RET bounded ? NAME##_body(ax, ay, coef, n, npad, 1, xi, yi, m EXTRA_ARGS)                         \
                : NAME##_body(ax, ay, coef, n, npad, 0, xi, yi, m EXTRA_ARGS);                        \
  }
#define BW_NO_EXTRA
#define BW_PER_PARAM , double *per
#define BW_PER_ARG , per

// exp of spline values: unchecked when the grid bounds them (see
// BW_STACK_EXP_BOUND), else checked per vector.
#define BW_STACK_EXP(v) (bounded ? vd_exp_core_k(v, K) : vd_exp(v))

// `bounded` is a compile-time constant in each caller below, so each gets a
// loop with no per-vector range check or none of the branches for it.
BW_VFN double k_stack_sum_exp_body(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                                   const int bounded, const double *xi, const double *yi, long m) {
  // One accumulator, one vector per step: with the exp constants this is
  // what fits the 16 vector registers of AVX2 without spills.
  bw_vd acc = vd_zero();
  const bw_vexp_k *K = vd_exp_consts_opaque();
  long full = n - n % BW_VD_LANES;
  bw_md tail_mask = md_first(n - full);
#define BW_PREFETCH_D(c) k_prefetch_cell(coef, npad, c)
  BW_STACK_FOR_EACH_POINT(m, BW_PREFETCH_D, acc = vd_add(acc, vd_set1(NAN)), {
    const double *A = coef + 4 * npad * cell;
    bw_vd vtx = vd_set1(tx), vty = vd_set1(ty);
    long k = 0;
    for (; k < full; k += BW_VD_LANES)
      acc = vd_add(acc, BW_STACK_EXP(k_stack_value(A, npad, k, BW_VD_LANES, vtx, vty)));
    // The lanes past n read as zeros (in exp's fast range); the mask drops them.
    if (k < n) acc = vd_add(acc, vd_keep(tail_mask, BW_STACK_EXP(k_stack_value(A, npad, k, n - k, vtx, vty))));
  });
  return vd_reduce_add(acc);
}

BW_STACK_BOUNDED_ENTRY(double, return, k_stack_sum_exp, double, BW_NO_EXTRA, BW_NO_EXTRA)

/// Kahan compensation (t - sum) - y, zeroed where t is infinite: once a sum
/// overflows, inf - inf would turn it into NaN.
BW_VFN bw_vd k_kahan_comp(bw_vd t, bw_vd sum, bw_vd y) {
  return vd_keep(md_ne(vd_abs(t), vd_set1(INFINITY)), vd_sub(vd_sub(t, sum), y));
}

BW_VFN void k_stack_per_spline_body(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                                    const int bounded, const double *xi, const double *yi, long m, double *per) {
  // per[] has room for 2n values: sums, then Kahan compensations. The last
  // partial vector (n not a multiple of the lanes) is kept in registers.
  double *comp = per + n;
  const bw_vexp_k *K = vd_exp_consts_opaque();
  long full = n - n % BW_VD_LANES;
  bw_vd tail_sum = vd_zero(), tail_comp = tail_sum;
  for (long k = 0; k < 2 * n; k++) per[k] = 0;
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) {
      for (long k = 0; k < full; k++) per[k] += NAN;
      tail_sum = vd_add(tail_sum, vd_set1(NAN));
      continue;
    }
    const double *A = coef + 4 * npad * c;
    bw_vd vtx = vd_set1(tx), vty = vd_set1(ty);
    long k = 0;
    for (; k < full; k += BW_VD_LANES) {
      bw_vd sum = vd_load(per + k), cm = vd_load(comp + k);
      bw_vd y = vd_sub(BW_STACK_EXP(k_stack_value(A, npad, k, BW_VD_LANES, vtx, vty)), cm);
      bw_vd t = vd_add(sum, y);
      vd_store(comp + k, k_kahan_comp(t, sum, y));
      vd_store(per + k, t);
    }
    if (k < n) {
      bw_vd y = vd_sub(BW_STACK_EXP(k_stack_value(A, npad, k, n - k, vtx, vty)), tail_comp);
      bw_vd t = vd_add(tail_sum, y);
      tail_comp = k_kahan_comp(t, tail_sum, y);
      tail_sum = t;
    }
  }
  double t[BW_VD_LANES];
  vd_store(t, tail_sum);
  for (long k = full; k < n; k++) per[k] = t[k - full];
}

BW_STACK_BOUNDED_ENTRY(void, , k_stack_per_spline, double, BW_PER_PARAM, BW_PER_ARG)

// MARK: Float stacks

// The same kernels over float coefficients and float lanes (BW_VF_LANES
// splines per vector: 8 on AVX2, 16 on AVX-512, 4 on NEON): the point's
// offsets are computed in double and broadcast as floats, values and exp
// are float, and sums are double (each vector of exp values widened in two
// halves), so only the terms carry Float rounding.

#define BW_STACK_EXP_F32(v) (bounded ? vf_exp_core_k(v, KF) : vf_exp(v))

BW_VFN double k_stack_sum_exp_f32_body(const bw_axis *ax, const bw_axis *ay, const float *coef, long n, long npad,
                                       const int bounded, const double *xi, const double *yi, long m) {
  bw_vd acc0 = vd_zero(), acc1 = acc0;
  const bw_vfexp_k *KF = vf_exp_consts_opaque();
  long full = n - n % BW_VF_LANES;
  bw_mf tail_mask = mf_first(n - full);
#define BW_PREFETCH_F(c) k_prefetch_cell_f32(coef, npad, c)
  BW_STACK_FOR_EACH_POINT(m, BW_PREFETCH_F, acc0 = vd_add(acc0, vd_set1(NAN)), {
    const float *A = coef + 4 * npad * cell;
    bw_vf vtx = vf_set1((float)tx), vty = vf_set1((float)ty);
    long k = 0;
    for (; k < full; k += BW_VF_LANES) {
      bw_vf e = BW_STACK_EXP_F32(k_stack_value_f32(A, npad, k, BW_VF_LANES, vtx, vty));
      acc0 = vd_add(acc0, vd_widen_lo(e));
      acc1 = vd_add(acc1, vd_widen_hi(e));
    }
    if (k < n) {
      bw_vf e = vf_keep(tail_mask, BW_STACK_EXP_F32(k_stack_value_f32(A, npad, k, n - k, vtx, vty)));
      acc0 = vd_add(acc0, vd_widen_lo(e));
      acc1 = vd_add(acc1, vd_widen_hi(e));
    }
  });
  return vd_reduce_add(vd_add(acc0, acc1));
}

BW_STACK_BOUNDED_ENTRY(double, return, k_stack_sum_exp_f32, float, BW_NO_EXTRA, BW_NO_EXTRA)

/// One Kahan step of the double sums per[k .. k + count) and their
/// compensations comp[...] by the terms e (count <= BW_VD_LANES).
BW_VFN void k_kahan_add(double *per, double *comp, long count, bw_vd e) {
  bw_vd sum = vd_load_first(per, count), cm = vd_load_first(comp, count);
  bw_vd y = vd_sub(e, cm);
  bw_vd t = vd_add(sum, y);
  vd_store_first(comp, count, k_kahan_comp(t, sum, y));
  vd_store_first(per, count, t);
}

BW_VFN void k_stack_per_spline_f32_body(const bw_axis *ax, const bw_axis *ay, const float *coef, long n,
                                        long npad, const int bounded, const double *xi, const double *yi, long m,
                                        double *per) {
  // per[] has room for 2n doubles: sums, then Kahan compensations.
  double *comp = per + n;
  const long L = BW_VD_LANES;
  const bw_vfexp_k *KF = vf_exp_consts_opaque();
  for (long k = 0; k < 2 * n; k++) per[k] = 0;
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) {
      for (long k = 0; k < n; k++) per[k] += NAN;
      continue;
    }
    const float *A = coef + 4 * npad * c;
    bw_vf vtx = vf_set1((float)tx), vty = vf_set1((float)ty);
    for (long k = 0; k < n; k += BW_VF_LANES) {
      long lanes = n - k < BW_VF_LANES ? n - k : BW_VF_LANES;
      bw_vf e = BW_STACK_EXP_F32(k_stack_value_f32(A, npad, k, lanes, vtx, vty));
      k_kahan_add(per + k, comp + k, lanes < L ? lanes : L, vd_widen_lo(e));
      if (lanes > L) k_kahan_add(per + k + L, comp + k + L, lanes - L, vd_widen_hi(e));
    }
  }
}

BW_STACK_BOUNDED_ENTRY(void, , k_stack_per_spline_f32, float, BW_PER_PARAM, BW_PER_ARG)
