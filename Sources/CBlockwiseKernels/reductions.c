// Reductions over one leaf: the public entry points. The kernels are
// written once in kernels/bw_k_reductions.h and compiled per target; each
// call goes to the calling thread's target through the dispatch table.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

double bw_sum_f64(const double *x, long n) { return bw_kernels()->sum_f64(x, n); }

// Float sums accumulate in double: eight running sums (one per x[i], i mod
// 8) added as ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)), the same
// association on every target and compiler.
double bw_sum_f32(const float *x, long n) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  long i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; k++) s[k] += (double)x[i + k];
  for (int k = 0; i < n; i++, k++) s[k] += (double)x[i];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

double bw_sum_exp_f64(const double *x, long n, double shift) { return bw_kernels()->sum_exp_f64(x, n, shift); }
double bw_sum_exp_f32(const float *x, long n, double shift) { return bw_kernels()->sum_exp_f32(x, n, shift); }

double bw_max_f64(const double *x, long n) { return bw_kernels()->max_f64(x, n); }
double bw_min_f64(const double *x, long n) { return bw_kernels()->min_f64(x, n); }
double bw_max_f32(const float *x, long n) { return bw_kernels()->max_f32(x, n); }
double bw_min_f32(const float *x, long n) { return bw_kernels()->min_f32(x, n); }

double bw_log_sum_exp_leaf_f64(const double *x, long n, double *max_out) {
  return bw_kernels()->lse_leaf_f64(x, n, max_out);
}

// Float leaves: two passes (the maximum, then the shifted sum in double).
double bw_log_sum_exp_leaf_f32(const float *x, long n, double *max_out) {
  double m = bw_max_f32(x, n);
  *max_out = m;
  if (m != m) return m;  // NaN
  if (m == INFINITY) return INFINITY;
  if (m == -INFINITY) return 0.0;  // all -inf
  return bw_sum_exp_f32(x, n, m);
}

// MARK: pairwise

double bw_pairwise_sum(const double *p, long n) {
  if (n <= 0) return 0.0;
  if (n <= BW_PAIRWISE_RUN) {
    double s = p[0];
    for (long i = 1; i < n; i++) s += p[i];
    return s;
  }
  long half = n / 2;
  return bw_pairwise_sum(p, half) + bw_pairwise_sum(p + half, n - half);
}
