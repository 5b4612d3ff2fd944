// Tensor-product B-splines of degree 0 to 5 per axis (degrees 1-5 fitted,
// lower ones from differentiation), evaluated as FITPACK's bispev does:
// each coordinate clamped to the knot box, the interval l with
// t[l] <= x < t[l+1] (the last interval for x at the right end), the k+1
// non-zero B-splines there from de Boor's recursion (FITPACK's fpbspl), and
// the (kx+1) x (ky+1) window of coefficients they weight.
//
// Stacks of n splines on one grid store their coefficients [p][q][spline]
// (spline innermost, padded to a multiple of 4), so a point's basis
// functions, computed once, weight (kx+1)(ky+1) unit-stride runs of n
// coefficients: broadcasts and FMAs over 4 splines per AVX2 vector, no
// gathers. For the bicubic W1 (16 runs of 52 doubles per point) that is
// 16 vector loads per 4 spline-points.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

// Breakpoint intervals are located with bw_cell (bw_internal.h), the
// bilinear splines' lookup, on the axis of breakpoints t[k..n-k-1].

// de Boor's recursion (FITPACK's fpbspl): h[0..j] the degree-j B-splines
// non-zero on [t[l], t[l+1]), raised one degree per step. With the axis's
// table of reciprocal knot spans the divisions become multiplies (one more
// rounding of the span, 0.5 ulp); k is a constant in each instance, so the
// loops unroll.
// `fused` (a constant per instance): the AVX2 forms raise the degree with
// one fused multiply-add per step, as they always have (their bits are
// the golden ones); the portable form rounds the product and the sum
// apart, on every architecture alike.
BW_INLINE long bs_basis_impl(const bw_bspline_axis *a, double x, double *h, const int k, const int fused) {
  const bw_axis *br = a->breaks;
  if (x < br->lo) x = br->lo;
  if (x > br->hi) x = br->hi;
  long c = bw_cell(br, x);
  long l = c + k;  // t[l] <= x < t[l+1]
  const double *t = a->t;
  const double *inv = a->inv_span ? a->inv_span + c * (k * (k + 1) / 2) : 0;
  double hh[BW_BSPLINE_MAX_DEGREE + 1];
  h[0] = 1.0;
  for (int j = 1; j <= k; j++) {
    for (int i = 0; i < j; i++) hh[i] = h[i];
    h[0] = 0.0;
    for (int i = 1; i <= j; i++) {
      double tl = t[l + i], tr = t[l + i - j];
      double f = inv ? hh[i - 1] * inv[(j - 1) * j / 2 + i - 1] : hh[i - 1] / (tl - tr);
      if (fused) h[i - 1] = fma(f, tl - x, h[i - 1]);
      else h[i - 1] += f * (tl - x);
      h[i] = f * (x - tr);
    }
  }
  return c;
}

#define BS_BASIS(NAME, ATTR, FUSED)                                          \
  ATTR BW_INLINE long NAME(const bw_bspline_axis *a, double x, double *h) {  \
    switch (a->k) {                                                          \
      case 0: return bs_basis_impl(a, x, h, 0, FUSED);                       \
      case 1: return bs_basis_impl(a, x, h, 1, FUSED);                       \
      case 2: return bs_basis_impl(a, x, h, 2, FUSED);                       \
      case 3: return bs_basis_impl(a, x, h, 3, FUSED);                       \
      case 4: return bs_basis_impl(a, x, h, 4, FUSED);                       \
      default: return bs_basis_impl(a, x, h, 5, FUSED);                      \
    }                                                                        \
  }
BS_BASIS(bs_basis, , 0)
BW_X86_ONLY(BS_BASIS(bs_basis_fused, BW_AVX2, 1))

long bw_bspline_basis(const bw_bspline_axis *a, double x, double *h) { return bs_basis(a, x, h); }

// MARK: single spline

void bw_bspline2d_eval(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                       const double *xi, const double *yi, double *out, long m) {
  long ncy = ay->n - ay->k - 1;
  double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];
  for (long p = 0; p < m; p++) {
    double x = xi[p], y = yi[p];
    if (x != x || y != y) { out[p] = NAN; continue; }
    long px = bs_basis(ax, x, wx), py = bs_basis(ay, y, wy);
    double v = 0;
    for (int i = 0; i <= ax->k; i++) {
      const double *row = coef + (px + i) * ncy + py;
      double r = 0;
      for (int j = 0; j <= ay->k; j++) r += wy[j] * row[j];
      v += wx[i] * r;
    }
    out[p] = v;
  }
}

double bw_bspline2d_sum_exp(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                            const double *xi, const double *yi, long m) {
  // Values in chunks on the stack, then the vectorised exp-sum over them
  // (chunk sums added pairwise: a fixed order for a given m).
  double buf[BW_SPLINE_SUM_CHUNK];
  double parts[BW_LEAF_PARTS_MAX];
  long np = 0;
  for (long p = 0; p < m; p += BW_SPLINE_SUM_CHUNK) {
    long len = m - p < BW_SPLINE_SUM_CHUNK ? m - p : BW_SPLINE_SUM_CHUNK;
    bw_bspline2d_eval(ax, ay, coef, xi + p, yi + p, buf, len);
    double s = bw_sum_exp_f64(buf, len, 0.0);
    if (np == BW_LEAF_PARTS_MAX) {
      parts[0] = bw_pairwise_sum(parts, np);
      np = 1;
    }
    parts[np++] = s;
  }
  return bw_pairwise_sum(parts, np);
}

// MARK: stacks

// Values of every spline at one point: out[s * lds] for s < n. The body is
// shared by the portable and AVX2 builds (always_inline into each).
BW_INLINE void stack_point_generic(const double *coef, long ncy, long npad, long n, int kx, int ky, long px,
                                   long py, const double *wx, const double *wy, double *out, long lds) {
  for (long s = 0; s < n; s++) {
    double v = 0;
    for (int i = 0; i <= kx; i++) {
      const double *row = coef + ((px + i) * ncy + py) * npad + s;
      double r = 0;
      for (int j = 0; j <= ky; j++) r += wy[j] * row[j * npad];
      v += wx[i] * r;
    }
    out[s * lds] = v;
  }
}

static void stack_values_generic(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                                 long n, long npad, const double *xi, const double *yi, long m, double *out,
                                 long ldp, long lds) {
  long ncy = ay->n - ay->k - 1;
  double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];
  for (long p = 0; p < m; p++) {
    double x = xi[p], y = yi[p];
    if (x != x || y != y) {
      for (long s = 0; s < n; s++) out[p * ldp + s * lds] = NAN;
      continue;
    }
    long px = bs_basis(ax, x, wx), py = bs_basis(ay, y, wy);
    stack_point_generic(coef, ncy, npad, n, ax->k, ay->k, px, py, wx, wy, out + p * ldp, lds);
  }
}

#if BW_X86
// Values of every spline at one point, point-major: o[s] for s < npad
// (whole vectors; the caller leaves room). Per vector of 4 splines, each of
// the kx + 1 window rows is the ky + 1 runs weighted by wy (a compile-time
// count, so the broadcasts stay in registers and the loop unrolls), then
// weighted by wx[i]. One body per ky.
#define BS_POINT_AVX2(KX, KY)                                                                            \
  BW_AVX2 static void point_avx2_##KX##KY(const double *base, long rowstride, long npad, long len,        \
                                          const double *wx, const double *wy, double *o) {               \
    __m256d by[KY + 1], bx[KX + 1];                                                                      \
    for (int j = 0; j <= KY; j++) by[j] = _mm256_set1_pd(wy[j]);                                         \
    for (int i = 0; i <= KX; i++) bx[i] = _mm256_set1_pd(wx[i]);                                         \
    for (long s = 0; s < len; s += 4) {                                                                  \
      __m256d v = _mm256_setzero_pd();                                                                   \
      for (int i = 0; i <= KX; i++) {                                                                    \
        const double *row = base + i * rowstride + s;                                                    \
        __m256d r = _mm256_mul_pd(by[0], _mm256_loadu_pd(row));                                          \
        for (int j = 1; j <= KY; j++) r = _mm256_fmadd_pd(by[j], _mm256_loadu_pd(row + j * npad), r);   \
        v = _mm256_fmadd_pd(bx[i], r, v);                                                                \
      }                                                                                                  \
      _mm256_storeu_pd(o + s, v);                                                                        \
    }                                                                                                    \
  }
#define BS_POINT_AVX2_ROW(KX) \
  BS_POINT_AVX2(KX, 1) BS_POINT_AVX2(KX, 2) BS_POINT_AVX2(KX, 3) BS_POINT_AVX2(KX, 4) BS_POINT_AVX2(KX, 5)
BS_POINT_AVX2_ROW(1)
BS_POINT_AVX2_ROW(2)
BS_POINT_AVX2_ROW(3)
BS_POINT_AVX2_ROW(4)
BS_POINT_AVX2_ROW(5)

typedef void (*bs_point_fn)(const double *, long, long, long, const double *, const double *, double *);
#define BS_POINT_FNS(KX) point_avx2_##KX##1, point_avx2_##KX##2, point_avx2_##KX##3, point_avx2_##KX##4, point_avx2_##KX##5
// Indexed [kx - 1][ky - 1] (degrees 1...5: stacks have no derivatives).
static const bs_point_fn bs_point_avx2[5][5] = {
    {BS_POINT_FNS(1)}, {BS_POINT_FNS(2)}, {BS_POINT_FNS(3)}, {BS_POINT_FNS(4)}, {BS_POINT_FNS(5)}};

// Values of every spline at one point into o[s * lds]; point-major output
// (lds == 1) stores whole vectors (the caller leaves npad of room).
BW_AVX2 static inline __attribute__((always_inline)) void stack_point_avx2(
    const double *coef, long ncy, long npad, long n, int kx, int ky, long px, long py, const double *wx,
    const double *wy, double *o, long lds) {
  const double *base = coef + (px * ncy + py) * npad;
  double *dst = o;
  bs_point_fn fn = bs_point_avx2[kx - 1][ky - 1];
  if (lds == 1) {
    fn(base, ncy * npad, npad, npad, wx, wy, dst);
    return;
  }
  // Strided output: through a small buffer, 256 splines at a time.
  double tmp[256];
  for (long s0 = 0; s0 < npad; s0 += 256) {
    long len = npad - s0 < 256 ? npad - s0 : 256;
    fn(base + s0, ncy * npad, npad, len, wx, wy, tmp);
    for (long q = 0; q < len && s0 + q < n; q++) dst[(s0 + q) * lds] = tmp[q];
  }
}

BW_AVX2 static void stack_values_avx2(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
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
    long px = bs_basis_fused(ax, x, wx), py = bs_basis_fused(ay, y, wy);
    stack_point_avx2(coef, ncy, npad, n, ax->k, ay->k, px, py, wx, wy, o, lds);
  }
}
#endif

void bw_bspline_stack_values(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef, long n,
                             long npad, const double *xi, const double *yi, long m, double *out, long ldp,
                             long lds) {
  bw_kernels()->bspline_stack_values(ax, ay, coef, n, npad, xi, yi, m, out, ldp, lds);
}

// MARK: fused sum of exp over a leaf, in cell order

// A bicubic point reads 16 runs of n coefficients (6.6 KB for 50 splines),
// so points taken in input order stream the whole coefficient array from
// L3 (it outgrows L2 beyond ~30x30 cells for 50 splines). Taken in cell
// order, neighbouring points share most of their window: the leaf is
// counting-sorted by cell (or by x-cell only, when the grid has many more
// cells than the leaf has points), values are formed in that order a chunk
// at a time and the chunks' exp-sums added pairwise. The order depends on
// the leaf's points alone, so the sum is the same for any thread count.

static long bs_buckets(const bw_bspline_axis *ax, const bw_bspline_axis *ay, long m, int *by_cell) {
  long ncx = ax->breaks->n - 1, ncy = ay->breaks->n - 1;
  if (ncx * ncy <= 4 * m) { *by_cell = 1; return ncx * ncy + 1; }
  if (ncx <= 4 * m) { *by_cell = 0; return ncx + 1; }
  *by_cell = -1;  // no sort: too many buckets to be worth it
  return 1;
}

long bw_bspline_stack_sum_exp_scratch(const bw_bspline_axis *ax, const bw_bspline_axis *ay, long n, long npad,
                                      long m) {
  int by_cell;
  long buckets = bs_buckets(ax, ay, m, &by_cell);
  // int32 keys and order, bucket counts, then the chunk's values.
  long ints = 2 * m + buckets + 1;
  return (long)sizeof(double) * ((ints + 1) / 2 + BW_BSPLINE_STACK_SUM_CHUNK * n + npad + 8);
}

BW_INLINE long bs_key(const bw_bspline_axis *ax, const bw_bspline_axis *ay, double x, double y, int by_cell,
                      long ncy, long nan_key) {
  if (x != x || y != y) return nan_key;
  if (by_cell < 0) return 0;
  const bw_axis *bx = ax->breaks;
  double cx = x < bx->lo ? bx->lo : (x > bx->hi ? bx->hi : x);
  long i = bw_cell(bx, cx);
  if (!by_cell) return i;
  const bw_axis *byy = ay->breaks;
  double cy = y < byy->lo ? byy->lo : (y > byy->hi ? byy->hi : y);
  return i * ncy + bw_cell(byy, cy);
}

// The leaf's point order: stable counting sort by key (NaN points last).
static void bs_order(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *xi, const double *yi,
                     long m, int32_t *key, int32_t *order, int32_t *count, long buckets, int by_cell) {
  long ncy = ay->breaks->n - 1;
  for (long b = 0; b <= buckets; b++) count[b] = 0;
  for (long p = 0; p < m; p++) {
    key[p] = (int32_t)bs_key(ax, ay, xi[p], yi[p], by_cell, ncy, buckets - 1);
    count[key[p] + 1]++;
  }
  for (long b = 1; b <= buckets; b++) count[b] += count[b - 1];
  for (long p = 0; p < m; p++) order[count[key[p]]++] = (int32_t)p;
}

// One leaf's body, instantiated per path with that path's point kernel
// (an always_inline AVX2 body cannot be inlined into a portable function).
#define BS_SUM_EXP_LEAF(NAME, ATTR, POINT, BASIS)                                                                    \
  ATTR static double NAME(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef, long n,    \
                          long npad, const double *xi, const double *yi, long m, double *scratch) {            \
    int by_cell;                                                                                              \
    long buckets = bs_buckets(ax, ay, m, &by_cell);                                                           \
    int32_t *key = (int32_t *)scratch, *order = key + m, *count = order + m;                                  \
    long ints = 2 * m + buckets + 1;                                                                          \
    double *vals = scratch + (ints + 1) / 2;                                                                  \
    bs_order(ax, ay, xi, yi, m, key, order, count, buckets, by_cell);                                         \
    long ncy = ay->n - ay->k - 1;                                                                             \
    int kx = ax->k, ky = ay->k;                                                                               \
    double wx[BW_BSPLINE_MAX_DEGREE + 1], wy[BW_BSPLINE_MAX_DEGREE + 1];                                      \
    double parts[BW_LEAF_PARTS_MAX];                                                                                         \
    long np = 0;                                                                                              \
    for (long c = 0; c < m; c += BW_BSPLINE_STACK_SUM_CHUNK) {                                                                  \
      long len = m - c < BW_BSPLINE_STACK_SUM_CHUNK ? m - c : BW_BSPLINE_STACK_SUM_CHUNK;                                                         \
      for (long q = 0; q < len; q++) {                                                                        \
        long p = order[c + q];                                                                                \
        double x = xi[p], y = yi[p];                                                                          \
        double *o = vals + q * n;                                                                             \
        if (x != x || y != y) {                                                                               \
          for (long s = 0; s < n; s++) o[s] = NAN;                                                            \
          continue;                                                                                           \
        }                                                                                                     \
        long px = BASIS(ax, x, wx), py = BASIS(ay, y, wy);                                    \
        POINT(coef, ncy, npad, n, kx, ky, px, py, wx, wy, o, 1);                                              \
      }                                                                                                       \
      double sum = bw_sum_exp_f64(vals, len * n, 0.0);                                                        \
      if (np == BW_LEAF_PARTS_MAX) {                                                                                         \
        parts[0] = bw_pairwise_sum(parts, np);                                                                \
        np = 1;                                                                                               \
      }                                                                                                       \
      parts[np++] = sum;                                                                                      \
    }                                                                                                         \
    return bw_pairwise_sum(parts, np);                                                                        \
  }

BS_SUM_EXP_LEAF(stack_sum_exp_generic, , stack_point_generic, bs_basis)
#if BW_X86
BS_SUM_EXP_LEAF(stack_sum_exp_avx2, BW_AVX2, stack_point_avx2, bs_basis_fused)
#endif

double bw_bspline_stack_sum_exp(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef, long n,
                                long npad, const double *xi, const double *yi, long m, double *scratch) {
  return bw_kernels()->bspline_stack_sum_exp(ax, ay, coef, n, npad, xi, yi, m, scratch);
}

// This file's table entries: member, portable form, AVX2 form.
#define BW_BSPLINE_ENTRIES(X, t) \
  X(t, bspline_stack_values, stack_values_generic, stack_values_avx2)    \
  X(t, bspline_stack_sum_exp, stack_sum_exp_generic, stack_sum_exp_avx2)

void bw_fill_bspline(bw_kernel_table *t) { BW_FILL(t, BW_BSPLINE_ENTRIES); }

void bw_bspline_stack_sum_exp_per_spline(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                                         long n, long npad, const double *xi, const double *yi, long m,
                                         double *scratch, double *per_spline) {
  // Point-major rows of npad values (aligned runs), exp over all of them,
  // then the rows added pairwise in place: row p += row p + w for w = 1, 2,
  // 4, ..., so each spline's m terms meet in a tree of depth ceil(log2 m)
  // and every step is a unit-stride vector add across splines.
  if (m <= 0) {
    for (long s = 0; s < n; s++) per_spline[s] = 0;
    return;
  }
  bw_bspline_stack_values(ax, ay, coef, n, npad, xi, yi, m, scratch, npad, 1);
  bw_exp_f64(scratch, scratch, m * npad);
  for (long w = 1; w < m; w *= 2) {
    for (long p = 0; p + w < m; p += 2 * w) {
      double *a = scratch + p * npad;
      const double *b = scratch + (p + w) * npad;
      for (long s = 0; s < n; s++) a[s] += b[s];
    }
  }
  for (long s = 0; s < n; s++) per_spline[s] = scratch[s];
}
