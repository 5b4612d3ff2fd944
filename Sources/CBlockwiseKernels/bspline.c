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
// coefficients: broadcasts and multiply-adds over a vector of splines (4
// per AVX2 vector, 8 per AVX-512), no gathers. For the bicubic W1 (16 runs
// of 52 doubles per point) that is 16 vector loads and 16 multiply-adds per
// 4 spline-points, the loads shared by two points of one cell.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

// The single splines' basis: products and sums rounded apart, the same
// bits on every architecture (the stacks use their target's multiply-add,
// kernels/bw_k_bspline.h).
static long bs_basis(const bw_bspline_axis *a, double x, double *h) {
  switch (a->k) {
    case 0: return bs_basis_impl(a, x, h, 0, 0);
    case 1: return bs_basis_impl(a, x, h, 1, 0);
    case 2: return bs_basis_impl(a, x, h, 2, 0);
    case 3: return bs_basis_impl(a, x, h, 3, 0);
    case 4: return bs_basis_impl(a, x, h, 4, 0);
    default: return bs_basis_impl(a, x, h, 5, 0);
  }
}

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
  return BW_CHUNKED_SUM_EXP(bw_bspline2d_eval, ax, ay, coef, xi, yi, m);
}

// MARK: stacks
// The stack kernels are written once in kernels/bw_k_bspline.h and
// compiled per target; these entry points go through the dispatch table.

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

long bw_bspline_stack_sum_exp_scratch(const bw_bspline_axis *ax, const bw_bspline_axis *ay, long n, long npad,
                                      long m) {
  int by_cell;
  long buckets = bs_buckets(ax, ay, m, &by_cell);
  // The sort's keys, counts and sorted coordinates, then the chunk's values.
  return (long)sizeof(double) * (bs_order_scratch(m, buckets) + BW_BSPLINE_STACK_SUM_CHUNK * n + npad + 8);
}

double bw_bspline_stack_sum_exp(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef, long n,
                                long npad, int bounded, const double *xi, const double *yi, long m,
                                double *scratch) {
  return bw_kernels()->bspline_stack_sum_exp(ax, ay, coef, n, npad, bounded, xi, yi, m, scratch);
}

// Per-spline sums: point-major rows of npad values (aligned runs), exp
// over each row's n values, then the rows added pairwise in place: row p
// += row p + w for w = 1, 2, 4, ..., so each spline's m terms meet in a
// tree of depth ceil(log2 m) and every step is a unit-stride vector add
// across splines.
static void bs_rows_pairwise(double *rows, long n, long npad, long m, double *per_spline) {
  for (long w = 1; w < m; w *= 2) {
    for (long p = 0; p + w < m; p += 2 * w) {
      double *a = rows + p * npad;
      const double *b = rows + (p + w) * npad;
      for (long s = 0; s < n; s++) a[s] += b[s];
    }
  }
  for (long s = 0; s < n; s++) per_spline[s] = rows[s];
}

void bw_bspline_stack_sum_exp_per_spline(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                                         long n, long npad, const double *xi, const double *yi, long m,
                                         double *scratch, double *per_spline) {
  if (m <= 0) {
    for (long s = 0; s < n; s++) per_spline[s] = 0;
    return;
  }
  bw_bspline_stack_values(ax, ay, coef, n, npad, xi, yi, m, scratch, npad, 1);
  for (long p = 0; p < m; p++) bw_exp_f64(scratch + p * npad, scratch + p * npad, n);
  bs_rows_pairwise(scratch, n, npad, m, per_spline);
}

// MARK: Float stacks

void bw_bspline_stack_values_f32(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const float *coef, long n,
                                 long npad, const double *xi, const double *yi, long m, float *out, long ldp,
                                 long lds) {
  bw_kernels()->bspline_stack_values_f32(ax, ay, coef, n, npad, xi, yi, m, out, ldp, lds);
}

double bw_bspline_stack_sum_exp_f32(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const float *coef, long n,
                                    long npad, int bounded, const double *xi, const double *yi, long m,
                                    double *scratch) {
  return bw_kernels()->bspline_stack_sum_exp_f32(ax, ay, coef, n, npad, bounded, xi, yi, m, scratch);
}

void bw_bspline_stack_sum_exp_per_spline_f32(const bw_bspline_axis *ax, const bw_bspline_axis *ay,
                                             const float *coef, long n, long npad, const double *xi,
                                             const double *yi, long m, double *scratch, double *per_spline) {
  if (m <= 0) {
    for (long s = 0; s < n; s++) per_spline[s] = 0;
    return;
  }
  // Float values and their exp in float lanes after the double rows, then
  // widened into the rows and added pairwise in double.
  float *values = (float *)(scratch + m * npad);
  bw_bspline_stack_values_f32(ax, ay, coef, n, npad, xi, yi, m, values, npad, 1);
  for (long p = 0; p < m; p++) {
    bw_exp_f32(values + p * npad, values + p * npad, n);
    bw_widen_f32(values + p * npad, scratch + p * npad, n);
  }
  bs_rows_pairwise(scratch, n, npad, m, per_spline);
}
