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

/// The same at x clamped to the axis's breaks, in cell c.
BW_VFN void k_basis_in_cell(const bw_bspline_axis *a, double x, long c, double *h) {
  switch (a->k) {
    case 0: bs_basis_in_cell(a, x, c, h, 0, BW_V_FMA); break;
    case 1: bs_basis_in_cell(a, x, c, h, 1, BW_V_FMA); break;
    case 2: bs_basis_in_cell(a, x, c, h, 2, BW_V_FMA); break;
    case 3: bs_basis_in_cell(a, x, c, h, 3, BW_V_FMA); break;
    case 4: bs_basis_in_cell(a, x, c, h, 4, BW_V_FMA); break;
    default: bs_basis_in_cell(a, x, c, h, 5, BW_V_FMA); break;
  }
}

// Values of every spline at NP points (1 or 2) that share one window of
// coefficients (the same cell), point-major: o[p * ldo + s] for s < len.
// Each point comes as its (kx+1)(ky+1) tensor weights wx_i wy_j (row-major
// by i, rounded once to T), and each value is the sum over the window
// taken in that order with one multiply-add per term (fused where
// BW_V_FMA). Splines go in blocks of up to BS_WINDOW_VB vectors, the
// window's runs loaded once for all NP points (two points halve the loads
// per value; the accumulators stay in registers and the independent ones
// hide the multiply-add latency); the last vector reads and writes only
// the splines that exist. A point's values do not depend on which point
// shares its call, nor on the blocks.
#define BS_WINDOW_VB 4
#define BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, NP, VB)                \
  BW_VFN void k_block_##SFX##_##NP##_##VB(const T *base, long rowstride, long npad, int kx, int ky, int nw,       \
                                         const T *w, T *o, long ldo, long klast) {                             \
    V acc[NP][VB];                                                                                             \
    for (int p = 0; p < NP; p++)                                                                               \
      for (int v = 0; v < VB; v++) acc[p][v] = ZERO();                                                         \
    const T *wt = w;                                                                                           \
    for (int i = 0; i <= kx; i++) {                                                                            \
      const T *row = base + i * rowstride;                                                                     \
      for (int j = 0; j <= ky; j++, wt++) {                                                                    \
        const T *run = row + j * npad;                                                                         \
        V c[VB];                                                                                               \
        for (int v = 0; v < VB - 1; v++) c[v] = LOAD(run + v * L);                                             \
        c[VB - 1] = klast >= L ? LOAD(run + (VB - 1) * L) : LOAD_FIRST(run + (VB - 1) * L, klast);             \
        for (int p = 0; p < NP; p++) {                                                                         \
          V b = SET1(wt[p * nw]);                                                                              \
          for (int v = 0; v < VB; v++) acc[p][v] = MUL_ADD(b, c[v], acc[p][v]);                                \
        }                                                                                                      \
      }                                                                                                        \
    }                                                                                                          \
    for (int p = 0; p < NP; p++) {                                                                             \
      for (int v = 0; v < VB - 1; v++) STORE(o + p * ldo + v * L, acc[p][v]);                                 \
      if (klast >= L) STORE(o + p * ldo + (VB - 1) * L, acc[p][VB - 1]);                                       \
      else STORE_FIRST(o + p * ldo + (VB - 1) * L, klast, acc[p][VB - 1]);                                     \
    }                                                                                                          \
  }
#define BS_WINDOW(SFX, T, L, NP)                                                                                \
  static void k_window_##SFX##_##NP(const T *base, long rowstride, long npad, int kx, int ky, long len,         \
                                    const T *w, T *o, long ldo) {                                              \
    int nw = (kx + 1) * (ky + 1);                                                                              \
    /* The nvec vectors in nb blocks of as even a size as can be (13 as    */                                  \
    /* 4, 3, 3, 3, not 4, 4, 4, 1: a block of one vector would wait on     */                                  \
    /* its multiply-adds' latency).                                        */                                  \
    long nvec = (len + L - 1) / L, nb = (nvec + BS_WINDOW_VB - 1) / BS_WINDOW_VB;                              \
    long s = 0;                                                                                                \
    for (long b = 0; b < nb; b++) {                                                                            \
      long vb = nvec / nb + (b < nvec % nb), klast = len - s - (vb - 1) * L;                                   \
      if (klast > L) klast = L;                                                                                \
      switch (vb) {                                                                                            \
        case 1: k_block_##SFX##_##NP##_1(base + s, rowstride, npad, kx, ky, nw, w, o + s, ldo, klast); break;  \
        case 2: k_block_##SFX##_##NP##_2(base + s, rowstride, npad, kx, ky, nw, w, o + s, ldo, klast); break;  \
        case 3: k_block_##SFX##_##NP##_3(base + s, rowstride, npad, kx, ky, nw, w, o + s, ldo, klast); break;  \
        default: k_block_##SFX##_##NP##_4(base + s, rowstride, npad, kx, ky, nw, w, o + s, ldo, klast); break; \
      }                                                                                                        \
      s += vb * L;                                                                                             \
    }                                                                                                          \
  }
#define BS_WINDOWS(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST)                      \
  BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, 1, 1)                         \
  BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, 1, 2)                         \
  BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, 1, 3)                         \
  BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, 1, 4)                         \
  BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, 2, 1)                         \
  BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, 2, 2)                         \
  BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, 2, 3)                         \
  BS_BLOCK(SFX, T, V, L, SET1, ZERO, LOAD, LOAD_FIRST, MUL_ADD, STORE, STORE_FIRST, 2, 4)                         \
  BS_WINDOW(SFX, T, L, 1)                                                                                       \
  BS_WINDOW(SFX, T, L, 2)
// Two points at 4 vectors: 8 accumulators, 4 runs and a weight, within
// AVX2's 16 registers.
BS_WINDOWS(f64, double, bw_vd, BW_VD_LANES, vd_set1, vd_zero, vd_load, vd_load_first, vd_mul_add, vd_store,
           vd_store_first)
BS_WINDOWS(f32, float, bw_vf, BW_VF_LANES, vf_set1, vf_zero, vf_load, vf_load_first, vf_mul_add, vf_store,
           vf_store_first)

/// A point's tensor weights w[i (ky+1) + j] = wx_i wy_j, rounded once to T.
#define BS_TENSOR_WEIGHTS(T, kx, ky, wx, wy, w)                                                                 \
  do {                                                                                                         \
    for (int i_ = 0; i_ <= (kx); i_++)                                                                         \
      for (int j_ = 0; j_ <= (ky); j_++) (w)[i_ * ((ky) + 1) + j_] = (T)((wx)[i_] * (wy)[j_]);                  \
  } while (0)

// Per element type: the values of every spline at one point into
// o[s * lds], the stack's values at m points, and one leaf of the fused
// sum: points in cell order (bs_order), values formed a chunk of
// BW_BSPLINE_STACK_SUM_CHUNK points at a time (two at a time where
// neighbours in that order share a cell) and exp-summed by SUMEXP (this
// target's k_sum_exp_f64 or k_sum_exp_f32: float lanes, double sums; for
// a `bounded` stack, whose values the coefficients bound to exp's fast
// range, SUMEXP_BOUNDED, without the range pass), chunk sums added
// pairwise.
#define BS_STACK_KERNELS(SFX, T, SUMEXP, SUMEXP_BOUNDED)                                                        \
  BW_VFN void k_stack_point_##SFX(const T *coef, long ncy, long npad, long n, int kx, int ky, long px, long py, \
                                  const double *wx, const double *wy, T *o, long lds) {                        \
    const T *base = coef + (px * ncy + py) * npad;                                                              \
    T w[(BW_BSPLINE_MAX_DEGREE + 1) * (BW_BSPLINE_MAX_DEGREE + 1)];                                             \
    BS_TENSOR_WEIGHTS(T, kx, ky, wx, wy, w);                                                                    \
    if (lds == 1) {                                                                                             \
      k_window_##SFX##_1(base, ncy * npad, npad, kx, ky, n, w, o, 0);                                           \
      return;                                                                                                   \
    }                                                                                                           \
    /* Strided output: through a small buffer, 256 splines at a time. */                                        \
    T tmp[256];                                                                                                 \
    for (long s0 = 0; s0 < n; s0 += 256) {                                                                      \
      long len = n - s0 < 256 ? n - s0 : 256;                                                                   \
      k_window_##SFX##_1(base + s0, ncy * npad, npad, kx, ky, len, w, tmp, 0);                                  \
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
                                        long n, long npad, int bounded, const double *xi, const double *yi,     \
                                        long m, double *scratch) {                                              \
    int by_cell;                                                                                                \
    long buckets = bs_buckets(ax, ay, m, &by_cell);                                                             \
    int32_t *key = (int32_t *)scratch, *count = key + m;                                                        \
    double *xs = scratch + bs_order_coords(m, buckets), *ys = xs + m;                                           \
    T *vals = (T *)(scratch + bs_order_scratch(m, buckets));                                                    \
    bs_order(ax, ay, xi, yi, m, key, xs, ys, count, buckets, by_cell);                                          \
    const bw_axis *bx = ax->breaks, *byy = ay->breaks;                                                          \
    long ncy = ay->n - ay->k - 1, ncyb = byy->n - 1;                                                            \
    int kx = ax->k, ky = ay->k, nw = (kx + 1) * (ky + 1);                                                       \
    double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];                                        \
    T w[2 * (BW_BSPLINE_MAX_DEGREE + 1) * (BW_BSPLINE_MAX_DEGREE + 1)];                                         \
    /* The bucket of sorted point r, and the cells it fixes: both (by      */                                  \
    /* cell), the x cell (by x cell) or none; the rest from bw_cell.       */                                  \
    long b = -1, bend = 0, bcx = 0, bcy = 0;                                                                    \
    bw_chunk_sums sums;                                                                                         \
    bw_chunk_sums_init(&sums);                                                                                  \
    for (long c = 0; c < m; c += BW_BSPLINE_STACK_SUM_CHUNK) {                                                  \
      long len = m - c < BW_BSPLINE_STACK_SUM_CHUNK ? m - c : BW_BSPLINE_STACK_SUM_CHUNK;                       \
      for (long q = 0; q < len; q++) {                                                                          \
        long r = c + q;                                                                                         \
        double x = xs[r], y = ys[r];                                                                            \
        T *o = vals + q * n;                                                                                    \
        if (x != x || y != y) {                                                                                 \
          for (long s = 0; s < n; s++) o[s] = NAN;                                                              \
          continue;                                                                                             \
        }                                                                                                       \
        if (r >= bend) {                                                                                        \
          do bend = count[++b]; while (r >= bend);                                                              \
          bcx = by_cell > 0 ? b / ncyb : b;                                                                     \
          bcy = b % ncyb;                                                                                       \
        }                                                                                                       \
        x = bw_clamp(x, bx->lo, bx->hi);                                                                        \
        y = bw_clamp(y, byy->lo, byy->hi);                                                                      \
        long px = by_cell >= 0 ? bcx : bw_cell(bx, x), py = by_cell > 0 ? bcy : bw_cell(byy, y);                \
        k_basis_in_cell(ax, x, px, wx);                                                                         \
        k_basis_in_cell(ay, y, py, wy);                                                                         \
        BS_TENSOR_WEIGHTS(T, kx, ky, wx, wy, w);                                                                \
        const T *base = coef + (px * ncy + py) * npad;                                                          \
        if (by_cell > 0 && q + 1 < len && r + 1 < bend) {                                                       \
          /* The next point in order is in the same cell (so not NaN). */                                       \
          double x2 = bw_clamp(xs[r + 1], bx->lo, bx->hi), y2 = bw_clamp(ys[r + 1], byy->lo, byy->hi);        \
          k_basis_in_cell(ax, x2, px, wx);                                                                      \
          k_basis_in_cell(ay, y2, py, wy);                                                                      \
          BS_TENSOR_WEIGHTS(T, kx, ky, wx, wy, w + nw);                                                         \
          k_window_##SFX##_2(base, ncy * npad, npad, kx, ky, n, w, o, n);                                       \
          q++;                                                                                                  \
        } else {                                                                                                \
          k_window_##SFX##_1(base, ncy * npad, npad, kx, ky, n, w, o, 0);                                       \
        }                                                                                                       \
      }                                                                                                         \
      bw_chunk_sums_add(&sums, bounded ? SUMEXP_BOUNDED(vals, len * n) : SUMEXP(vals, len * n, 0.0));           \
    }                                                                                                           \
    return bw_chunk_sums_total(&sums);                                                                          \
  }

// The Float sum has no range pass to skip (vf_exp checks per vector).
#define k_sum_exp_f32_bounded(x, n) k_sum_exp_f32(x, n, 0.0)
BS_STACK_KERNELS(f64, double, k_sum_exp_f64, k_sum_exp_f64_bounded)
BS_STACK_KERNELS(f32, float, k_sum_exp_f32, k_sum_exp_f32_bounded)

// The table's names for them.
#define k_bspline_stack_values k_bspline_values_f64
#define k_bspline_stack_sum_exp k_bspline_sum_exp_f64
#define k_bspline_stack_values_f32 k_bspline_values_f32
#define k_bspline_stack_sum_exp_f32 k_bspline_sum_exp_f32
