// Bilinear spline kernels. Points are located once; for a stack of splines
// on one grid, the n values of a point come from four contiguous runs of
// per-cell coefficients, so the inner loop is a broadcast of (tx, ty) and
// unit-stride loads over the splines, with exp fused and no gathers.
//
// Layout choice: cell-major runs [cell][A|B|C|D][spline] keep every load
// unit-stride, so a point's n values cost n/4 vector evaluations and no
// gathers (L doubles per vector of the target: 4 on AVX2, 8 on AVX-512,
// 2 on NEON). A point touches 4 x npad x 8 bytes (1.8 KB, 28 lines, for W1's 50
// splines); for random points those lines come from L3, so the kernel
// prefetches the next point's cell while computing the current one.
// Measured on the 2-core AMD EPYC dev machine (C harness, quiet periods),
// W1 single thread: 1.7-1.85 ns per spline-point, against 0.85-0.95 ns for
// exp alone in cache. Prefetching is worth 3-5%; points all in one cell
// (every load an L1 hit) run about 7% faster than random ones, which bounds
// what sorting points by cell could gain before paying for the sort (an
// extra pass over all points and their cells), so it was not done.
// Values of a stack whose grid lies within +-BW_STACK_EXP_BOUND need no
// range check in exp (see the header); the checked exp costs about 10%
// more per spline-point.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

// MARK: single spline

void bw_spline_eval(const bw_axis *ax, const bw_axis *ay, const double *coef,
                    const double *xi, const double *yi, double *out, long m) {
  for (long p = 0; p < m; p++) {
    long c;
    double tx, ty;
    if (!bw_locate(ax, ay, xi[p], yi[p], &c, &tx, &ty)) { out[p] = NAN; continue; }
    const double *k = coef + 4 * c;
    out[p] = (k[0] + ty * k[2]) + tx * (k[1] + ty * k[3]);
  }
}

double bw_spline_sum_exp(const bw_axis *ax, const bw_axis *ay, const double *coef,
                         const double *xi, const double *yi, long m) {
  return BW_CHUNKED_SUM_EXP(bw_spline_eval, ax, ay, coef, xi, yi, m);
}

// MARK: stacks
// The stack kernels are written once in kernels/bw_k_spline.h and compiled
// per target; these entry points go through the dispatch table.


void bw_stack_eval(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                   const double *xi, const double *yi, long m, double *out, long ldo) {
  bw_kernels()->stack_eval(ax, ay, coef, n, npad, xi, yi, m, out, ldo);
}

double bw_stack_sum_exp(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                        int bounded, const double *xi, const double *yi, long m) {
  return bw_kernels()->stack_sum_exp(ax, ay, coef, n, npad, bounded, xi, yi, m);
}

void bw_stack_sum_exp_per_spline(const bw_axis *ax, const bw_axis *ay, const double *coef, long n,
                                 long npad, int bounded, const double *xi, const double *yi, long m,
                                 double *per_spline) {
  bw_kernels()->stack_per_spline(ax, ay, coef, n, npad, bounded, xi, yi, m, per_spline);
}

void bw_stack_eval_f32(const bw_axis *ax, const bw_axis *ay, const float *coef, long n, long npad,
                       const double *xi, const double *yi, long m, float *out, long ldo) {
  bw_kernels()->stack_eval_f32(ax, ay, coef, n, npad, xi, yi, m, out, ldo);
}

double bw_stack_sum_exp_f32(const bw_axis *ax, const bw_axis *ay, const float *coef, long n, long npad,
                            int bounded, const double *xi, const double *yi, long m) {
  return bw_kernels()->stack_sum_exp_f32(ax, ay, coef, n, npad, bounded, xi, yi, m);
}

void bw_stack_sum_exp_per_spline_f32(const bw_axis *ax, const bw_axis *ay, const float *coef, long n,
                                     long npad, int bounded, const double *xi, const double *yi, long m,
                                     double *per_spline) {
  bw_kernels()->stack_per_spline_f32(ax, ay, coef, n, npad, bounded, xi, yi, m, per_spline);
}
