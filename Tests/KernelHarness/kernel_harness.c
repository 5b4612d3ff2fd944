/*
 * The C kernels on their own, for any target: `make test-aarch64`
 * cross-compiles this file with the kernels (Debian's gcc-aarch64-linux-gnu)
 * and runs it under qemu-aarch64-static, and builds it natively too; the
 * two runs' determinism digests must be equal.
 *
 * Checks, on every kernel path the CPU runs (switched in process):
 * - exp (the array kernels, Double and Float) against long double over
 *   sweeps of the whole range, within the documented 1 ulp;
 * - sum, sumExp, min, max and the log-sum-exp leaf against naive loops in
 *   long double, within their documented bounds, NaN and infinities
 *   included;
 * - bilinear spline values against the formula evaluated by hand; stacks of
 *   21 splines (Double and Float coefficients) against the single-spline
 *   kernel spline by spline: values, sums and per-spline sums; and
 *   tensor-product B-splines of degree 1 to 5: partition of unity (all
 *   coefficients 1 give 1) and linear precision (Greville coefficients give
 *   x), each to 1e-13;
 * - bilinear and B-spline values against scipy's, from the committed
 *   fixtures (argv[2]: flatten_fixtures.py's output), to 1e-13 and 1e-12;
 * - determinism: the same input gives the same bits on a second call, and
 *   the portable path's results are printed as one FNV-1a digest of their
 *   bits, which must be the same on every architecture.
 * Ends with "<label>: N passed, N failed".
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CBlockwiseKernels.h"

static int passed = 0, failed = 0;
#define CHECK(cond, ...)                              \
  do {                                                \
    if (cond) {                                       \
      passed++;                                       \
    } else {                                          \
      failed++;                                       \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                   \
      fprintf(stderr, "\n");                          \
    }                                                 \
  } while (0)

#define RNG_SEED 0x2026120600ULL
static uint64_t rng = RNG_SEED;
static uint64_t next64(void) {
  uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
static double uni(double lo, double hi) { return lo + (hi - lo) * ((next64() >> 11) * 0x1p-53); }

// FNV-1a over the bits of the portable path's results.
static uint64_t digest = 1469598103934665603ULL;
static void fold(double v) {
  uint64_t b;
  memcpy(&b, &v, 8);
  for (int k = 0; k < 8; k++) {
    digest ^= (b >> (8 * k)) & 0xff;
    digest *= 1099511628211ULL;
  }
}

// The same over each vector path's exp results: exp is one source over the
// vector layer with one rounding per fused multiply-add on every vector
// target (AVX2, AVX-512, NEON), so these digests must agree across paths
// and architectures.
static uint64_t exp_digest[BW_PATH_COUNT];
static void fold_into(uint64_t *h, double v) {
  uint64_t b;
  memcpy(&b, &v, 8);
  for (int k = 0; k < 8; k++) {
    *h ^= (b >> (8 * k)) & 0xff;
    *h *= 1099511628211ULL;
  }
}

static double ulps(double y, long double ref, int is_float) {
  double r = is_float ? (double)(float)ref : (double)ref;
  if (isnan(ref)) return isnan(y) ? 0 : INFINITY;
  if (isinf(r) || isinf(y)) return y == r ? 0 : INFINITY;
  double spacing;
  if (is_float) {
    float f = (float)r;
    spacing = f == 0 ? FLT_TRUE_MIN : fmaxf(nextafterf(fabsf(f), INFINITY) - fabsf(f), FLT_TRUE_MIN);
  } else {
    spacing = r == 0 ? DBL_TRUE_MIN : fmax(nextafter(fabs(r), INFINITY) - fabs(r), DBL_TRUE_MIN);
    if (fabsl(ref) < fabs(r)) spacing = fabs(r) - nextafter(fabs(r), 0);
  }
  return (double)(fabsl((long double)y - ref) / spacing);
}

// MARK: exp

static void test_exp(int portable) {
  enum { M = 40000 };
  static double x[M], y[M];
  static float xf[M], yf[M];
  for (long i = 0; i < M; i++) {
    double v;
    switch (i % 4) {
      case 0: v = uni(-708, 708); break;
      case 1: v = uni(-746, -700); break;   // subnormal results and underflow
      case 2: v = uni(700, 710); break;     // near and past overflow
      default: v = uni(-1, 1) * exp2(uni(-60, 3)); break;
    }
    x[i] = v;
    xf[i] = (float)(i % 4 == 2 ? uni(80, 89) : i % 4 == 1 ? uni(-104, -80) : v / 8);
  }
  x[0] = NAN; x[1] = INFINITY; x[2] = -INFINITY; x[3] = 0.0; x[4] = -0.0; x[5] = 709.782712893384;
  bw_exp_f64(x, y, M);
  bw_exp_f32(xf, yf, M);
  double worst = 0, worstf = 0;
  for (long i = 0; i < M; i++) {
    worst = fmax(worst, ulps(y[i], expl((long double)x[i]), 0));
    worstf = fmax(worstf, ulps(yf[i], (long double)exp((double)xf[i]), 1));
    if (portable) { fold(y[i]); fold(yf[i]); }
    else { fold_into(&exp_digest[bw_active_path()], y[i]); fold_into(&exp_digest[bw_active_path()], yf[i]); }
  }
  CHECK(worst <= 1.0, "exp Double on %s: worst %.3f ulp", bw_isa_name(), worst);
  CHECK(worstf <= 1.0, "exp Float on %s: worst %.3f ulp", bw_isa_name(), worstf);
  printf("  exp on %s: Double worst %.3f ulp, Float worst %.3f ulp (%d arguments each)\n", bw_isa_name(), worst,
         worstf, M);
}

// MARK: reductions

static void test_reductions(int portable) {
  static const long sizes[] = {1, 3, 31, 32, 33, 4095, 4096, 4097, 10007};
  static double x[10007];
  static float xf[10007];
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    long n = sizes[s];
    for (long i = 0; i < n; i++) { x[i] = uni(-20, 20); xf[i] = (float)x[i]; }
    long double sum = 0, sumexp = 0, sumf = 0, mx = -INFINITY, mn = INFINITY;
    for (long i = 0; i < n; i++) {
      sum += x[i];
      sumexp += expl((long double)x[i]);
      sumf += xf[i];
      mx = x[i] > mx ? x[i] : mx;
      mn = x[i] < mn ? x[i] : mn;
    }
    double a = bw_sum_f64(x, n), e = bw_sum_exp_f64(x, n, 0.0), af = bw_sum_f32(xf, n);
    long double abs_sum = 0;
    for (long i = 0; i < n; i++) abs_sum += fabs(x[i]);
    // Bounds: a sum of n terms in any fixed order is within (n - 1) u of the
    // sum of magnitudes; the exp terms are each within 1 ulp and positive.
    double u = 0x1p-53;
    CHECK(fabsl(a - sum) <= (n * u) * abs_sum, "sum n=%ld on %s", n, bw_isa_name());
    CHECK(fabsl(af - sumf) <= (n * u) * abs_sum, "sum Float n=%ld on %s", n, bw_isa_name());
    CHECK(fabsl(e - sumexp) <= ((n + 2) * u) * sumexp, "sumExp n=%ld on %s: %.17g vs %.17Lg", n, bw_isa_name(), e,
          sumexp);
    CHECK(bw_max_f64(x, n) == (double)mx && bw_min_f64(x, n) == (double)mn, "min/max n=%ld", n);
    CHECK(bw_max_f32(xf, n) == (double)(float)mx && bw_min_f32(xf, n) == (double)(float)mn, "min/max Float n=%ld", n);
    double m;
    double s1 = bw_log_sum_exp_leaf_f64(x, n, &m);
    long double lse = logl(sumexp);
    CHECK(fabsl((logl((long double)s1) + m) - lse) <= 4 * u * fabsl(lse) + 4 * u, "logSumExp leaf n=%ld", n);
    // The same call, the same bits.
    CHECK(bw_sum_f64(x, n) == a && bw_sum_exp_f64(x, n, 0.0) == e, "repeatable n=%ld", n);
    if (portable) { fold(a); fold(e); fold(af); fold(s1); fold(m); }
  }
  // Special values.
  double sp[5] = {1, NAN, 2, 3, 4};
  CHECK(isnan(bw_max_f64(sp, 5)) && isnan(bw_min_f64(sp, 5)), "NaN wins min/max");
  double inf[3] = {1, INFINITY, 2};
  CHECK(bw_sum_exp_f64(inf, 3, 0.0) == INFINITY, "exp(inf) sums to inf");
  double lo[3] = {-INFINITY, -INFINITY, -INFINITY}, m;
  CHECK(bw_log_sum_exp_leaf_f64(lo, 3, &m) == 0.0 && m == -INFINITY, "all -inf leaf");
  // Pairwise combination in index order.
  double parts[11];
  for (int k = 0; k < 11; k++) parts[k] = uni(0, 1);
  // 11 partials split 5 + 6, each run added in index order.
  double left = parts[0], right = parts[5];
  for (int k = 1; k < 5; k++) left += parts[k];
  for (int k = 6; k < 11; k++) right += parts[k];
  CHECK(bw_pairwise_sum(parts, 11) == left + right, "pairwise tree of 11 = (5 in order) + (6 in order)");
}

// MARK: splines

static void uniform_axis(bw_axis *a, double *knots, double *inv_width, long n, double lo, double h) {
  for (long i = 0; i < n; i++) knots[i] = lo + h * (double)i;
  for (long i = 0; i + 1 < n; i++) inv_width[i] = 1.0 / (knots[i + 1] - knots[i]);
  a->knots = knots;
  a->inv_width = inv_width;
  a->n = n;
  a->lo = knots[0];
  a->hi = knots[n - 1];
  a->uniform = 1;
  a->inv_h = (double)(n - 1) / (a->hi - a->lo);
  a->bucket = NULL;
  a->nbuckets = 0;
  a->inv_bucket = 0;
}

static void test_bilinear(int portable) {
  enum { NX = 7, NY = 5, M = 3000 };
  double kx[NX], ky[NY], wx[NX], wy[NY], z[NX][NY], coef[(NX - 1) * (NY - 1) * 4];
  bw_axis ax, ay;
  uniform_axis(&ax, kx, wx, NX, -1.0, 0.5);
  uniform_axis(&ay, ky, wy, NY, 2.0, 0.25);
  for (int i = 0; i < NX; i++)
    for (int j = 0; j < NY; j++) z[i][j] = uni(-2, 2);
  // (a, b, c, d) per cell: value = a + b tx + c ty + d tx ty.
  for (int i = 0; i + 1 < NX; i++)
    for (int j = 0; j + 1 < NY; j++) {
      double *c = coef + ((long)i * (NY - 1) + j) * 4;
      c[0] = z[i][j];
      c[1] = z[i + 1][j] - z[i][j];
      c[2] = z[i][j + 1] - z[i][j];
      c[3] = z[i + 1][j + 1] - z[i + 1][j] - z[i][j + 1] + z[i][j];
    }
  static double xi[M], yi[M], out[M];
  for (int p = 0; p < M; p++) { xi[p] = uni(-1.5, 2.5); yi[p] = uni(1.8, 3.2); }
  bw_spline_eval(&ax, &ay, coef, xi, yi, out, M);
  double worst = 0;
  for (int p = 0; p < M; p++) {
    double x = fmin(fmax(xi[p], kx[0]), kx[NX - 1]), y = fmin(fmax(yi[p], ky[0]), ky[NY - 1]);
    int i = (int)floor((x - kx[0]) / 0.5), j = (int)floor((y - ky[0]) / 0.25);
    if (i > NX - 2) i = NX - 2;
    if (j > NY - 2) j = NY - 2;
    double tx = (x - kx[i]) / 0.5, ty = (y - ky[j]) / 0.25;
    double v = z[i][j] * (1 - tx) * (1 - ty) + z[i + 1][j] * tx * (1 - ty) + z[i][j + 1] * (1 - tx) * ty +
               z[i + 1][j + 1] * tx * ty;
    worst = fmax(worst, fabs(out[p] - v));
    if (portable) fold(out[p]);
  }
  CHECK(worst <= 1e-13, "bilinear values on %s: worst %.3g", bw_isa_name(), worst);
  double s = bw_spline_sum_exp(&ax, &ay, coef, xi, yi, M);
  long double ref = 0;
  for (int p = 0; p < M; p++) ref += expl((long double)out[p]);
  CHECK(fabsl(s - ref) <= 1e-12 * ref, "bilinear sumExp on %s", bw_isa_name());
  if (portable) fold(s);
}

// Stacks of S splines on one grid, Double and Float coefficients, against
// the single-spline kernel spline by spline (S = 21: whole vectors and a
// partial one at every width from 2 to 16 lanes).
static void test_stacks(int portable) {
  enum { NX = 6, NY = 9, S = 21, NP = 24, M = 700 };
  double kx[NX], ky[NY], wx[NX], wy[NY];
  bw_axis ax, ay;
  uniform_axis(&ax, kx, wx, NX, 0.0, 1.0);
  uniform_axis(&ay, ky, wy, NY, -2.0, 0.5);
  static double z[S][NX][NY], one[(NX - 1) * (NY - 1) * 4], cd[(NX - 1) * (NY - 1) * 4 * NP];
  static float cf[(NX - 1) * (NY - 1) * 4 * NP];
  for (int k = 0; k < S; k++)
    for (int i = 0; i < NX; i++)
      for (int j = 0; j < NY; j++) z[k][i][j] = uni(-3, 3);
  memset(cd, 0, sizeof cd);
  memset(cf, 0, sizeof cf);
  for (int i = 0; i + 1 < NX; i++)
    for (int j = 0; j + 1 < NY; j++)
      for (int k = 0; k < S; k++) {
        double *run = cd + ((long)i * (NY - 1) + j) * 4 * NP;
        run[k] = z[k][i][j];
        run[NP + k] = z[k][i + 1][j] - z[k][i][j];
        run[2 * NP + k] = z[k][i][j + 1] - z[k][i][j];
        run[3 * NP + k] = (z[k][i + 1][j + 1] - z[k][i + 1][j]) - (z[k][i][j + 1] - z[k][i][j]);
        for (int r = 0; r < 4; r++) cf[(run - cd) + r * NP + k] = (float)run[r * NP + k];
      }
  static double xi[M], yi[M], vals[S][M], ref[S][M], per[2 * S], perf[2 * S];
  static float valsf[S][M];
  for (int p = 0; p < M; p++) { xi[p] = uni(-0.5, 5.5); yi[p] = uni(-2.5, 2.5); }
  xi[7] = NAN;
  bw_stack_eval(&ax, &ay, cd, S, NP, xi, yi, M, &vals[0][0], M);
  bw_stack_eval_f32(&ax, &ay, cf, S, NP, xi, yi, M, &valsf[0][0], M);
  double worst = 0, worstf = 0;
  long double total = 0;
  long double per_ref[S];
  for (int k = 0; k < S; k++) {
    per_ref[k] = 0;
    for (int i = 0; i + 1 < NX; i++)
      for (int j = 0; j + 1 < NY; j++) {
        double *c = one + ((long)i * (NY - 1) + j) * 4;
        c[0] = z[k][i][j];
        c[1] = z[k][i + 1][j] - z[k][i][j];
        c[2] = z[k][i][j + 1] - z[k][i][j];
        c[3] = (z[k][i + 1][j + 1] - z[k][i + 1][j]) - (z[k][i][j + 1] - z[k][i][j]);
      }
    bw_spline_eval(&ax, &ay, one, xi, yi, ref[k], M);
    for (int p = 0; p < M; p++) {
      if (p == 7) {
        CHECK(isnan(vals[k][p]) && isnan(valsf[k][p]), "stack value at a NaN point on %s", bw_isa_name());
        continue;
      }
      worst = fmax(worst, fabs(vals[k][p] - ref[k][p]));
      worstf = fmax(worstf, fabs((double)valsf[k][p] - ref[k][p]));
      total += expl((long double)ref[k][p]);
      per_ref[k] += expl((long double)ref[k][p]);
      if (portable) { fold(vals[k][p]); fold(valsf[k][p]); }
    }
  }
  CHECK(worst <= 1e-13, "stack values on %s: worst %.3g", bw_isa_name(), worst);
  CHECK(worstf <= 3e-6, "Float stack values on %s: worst %.3g", bw_isa_name(), worstf);
  // Sums over the points without the NaN one (7): two ranges.
  double s = bw_stack_sum_exp(&ax, &ay, cd, S, NP, 1, xi, yi, 7) +
             bw_stack_sum_exp(&ax, &ay, cd, S, NP, 0, xi + 8, yi + 8, M - 8);
  double sf = bw_stack_sum_exp_f32(&ax, &ay, cf, S, NP, 1, xi, yi, 7) +
              bw_stack_sum_exp_f32(&ax, &ay, cf, S, NP, 0, xi + 8, yi + 8, M - 8);
  CHECK(fabsl(s - total) <= 1e-12 * total, "stack sumExp on %s", bw_isa_name());
  CHECK(fabsl(sf - total) <= 1e-6 * total, "Float stack sumExp on %s: relative %.3g", bw_isa_name(),
        (double)(fabsl(sf - total) / total));
  CHECK(isnan(bw_stack_sum_exp_f32(&ax, &ay, cf, S, NP, 1, xi, yi, M)), "Float stack sumExp with a NaN point");
  double worst_per = 0, worst_perf = 0;
  double per_b[2 * S], perf_b[2 * S];
  bw_stack_sum_exp_per_spline(&ax, &ay, cd, S, NP, 1, xi, yi, 7, per);
  bw_stack_sum_exp_per_spline(&ax, &ay, cd, S, NP, 0, xi + 8, yi + 8, M - 8, per_b);
  bw_stack_sum_exp_per_spline_f32(&ax, &ay, cf, S, NP, 1, xi, yi, 7, perf);
  bw_stack_sum_exp_per_spline_f32(&ax, &ay, cf, S, NP, 0, xi + 8, yi + 8, M - 8, perf_b);
  for (int k = 0; k < S; k++) {
    worst_per = fmax(worst_per, (double)(fabsl(per[k] + per_b[k] - per_ref[k]) / per_ref[k]));
    worst_perf = fmax(worst_perf, (double)(fabsl(perf[k] + perf_b[k] - per_ref[k]) / per_ref[k]));
    if (portable) { fold(per[k] + per_b[k]); fold(perf[k] + perf_b[k]); }
  }
  CHECK(worst_per <= 1e-13, "stack per-spline sums on %s: worst relative %.3g", bw_isa_name(), worst_per);
  CHECK(worst_perf <= 1e-6, "Float stack per-spline sums on %s: worst relative %.3g", bw_isa_name(), worst_perf);
  if (portable) { fold(s); fold(sf); }
  printf("  stacks on %s: values %.2g (Float %.2g), sums relative %.2g (Float %.2g)\n", bw_isa_name(), worst, worstf,
         (double)(fabsl(s - total) / total), (double)(fabsl(sf - total) / total));
}

static void test_bspline(int portable) {
  for (int k = 1; k <= BW_BSPLINE_MAX_DEGREE; k++) {
    // Clamped knots on [0, 4] with 4 interior breakpoints at uneven places.
    double brk[6] = {0, 0.5, 1.25, 2, 3.1, 4}, inv_w[5];
    for (int i = 0; i < 5; i++) inv_w[i] = 1.0 / (brk[i + 1] - brk[i]);
    // A non-uniform axis with one lookup bucket (the search covers every cell).
    int32_t bucket[2] = {0, 4};
    bw_axis breaks = {brk, inv_w, 6, 0.0, 4.0, 0, 0.0, bucket, 1, 1.0 / 4.0};
    double t[6 + 2 * BW_BSPLINE_MAX_DEGREE];
    long n = 0;
    for (int r = 0; r < k; r++) t[n++] = 0;
    for (int i = 0; i < 6; i++) t[n++] = brk[i];
    for (int r = 0; r < k; r++) t[n++] = 4;
    bw_bspline_axis a = {t, n, k, &breaks, NULL};
    long nc = n - k - 1;
    double ones[144], greville_x[144], greville_y[144];  // nc <= 10 coefficients per axis
    for (long i = 0; i < nc; i++) {
      double g = 0;
      for (int j = 1; j <= k; j++) g += t[i + j];
      g /= k;
      for (long j = 0; j < nc; j++) {
        ones[i * nc + j] = 1;
        greville_x[i * nc + j] = g;  // s(x, y) = x
      }
      for (long j = 0; j < nc; j++) greville_y[j * nc + i] = g;  // s(x, y) = y
    }
    enum { M = 500 };
    double xi[M], yi[M], o1[M], ox[M], oy[M];
    for (int p = 0; p < M; p++) { xi[p] = uni(0, 4); yi[p] = uni(0, 4); }
    xi[0] = 0; xi[1] = 4; yi[2] = 1.25;
    bw_bspline2d_eval(&a, &a, ones, xi, yi, o1, M);
    bw_bspline2d_eval(&a, &a, greville_x, xi, yi, ox, M);
    bw_bspline2d_eval(&a, &a, greville_y, xi, yi, oy, M);
    double w1 = 0, wx = 0, wy = 0;
    for (int p = 0; p < M; p++) {
      w1 = fmax(w1, fabs(o1[p] - 1));
      wx = fmax(wx, fabs(ox[p] - xi[p]));
      wy = fmax(wy, fabs(oy[p] - yi[p]));
      if (portable) { fold(o1[p]); fold(ox[p]); }
    }
    CHECK(w1 <= 1e-13 && wx <= 1e-13 && wy <= 1e-13,
          "B-spline degree %d on %s: unity %.2g, x %.2g, y %.2g", k, bw_isa_name(), w1, wx, wy);
  }
}

// MARK: arithmetic, conversions and axis reductions

// Each result of the binary kernel is one IEEE operation (bit-exact against
// C), conversions are C's casts, the row folds add (or compare) one row at
// a time in order (bit-exact against the naive loop), and their exp sums
// are within the exp kernels' bound; shapes cover lengths below, at and
// past the vector widths, with every broadcast form and padded rows.
static double op_apply(int op, double a, double b) {
  volatile double r = op == BW_OP_ADD ? a + b : op == BW_OP_SUBTRACT ? a - b : op == BW_OP_MULTIPLY ? a * b : a / b;
  return r;
}
static float op_applyf(int op, float a, float b) {
  volatile float r = op == BW_OP_ADD ? a + b : op == BW_OP_SUBTRACT ? a - b : op == BW_OP_MULTIPLY ? a * b : a / b;
  return r;
}

static void test_arrays(int portable) {
  enum { R = 37, C = 23, LD = 29 };
  static double a[R * LD], b[R * LD], y[R * LD], acc[C], want[C];
  static float af[R * LD], bf[R * LD], yf[R * LD];
  for (int i = 0; i < R * LD; i++) {
    a[i] = uni(-4, 4); b[i] = uni(0.5, 3); af[i] = (float)a[i]; bf[i] = (float)b[i];
  }
  // (a_rs, a_cs, b_rs, b_cs): same shape, scalar, row and column broadcasts.
  static const long forms[4][4] = {{LD, 1, LD, 1}, {LD, 1, 0, 0}, {LD, 1, 0, 1}, {LD, 1, 1, 0}};
  static const long shapes[][2] = {{1, 1}, {3, 5}, {17, 23}, {37, 7}, {2, 16}};
  int bad = 0, badf = 0, cases = 0;
  for (int op = BW_OP_ADD; op <= BW_OP_DIVIDE; op++)
    for (int f = 0; f < 4; f++)
      for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++) {
        long rows = shapes[sh][0], cols = shapes[sh][1];
        for (int i = 0; i < R * LD; i++) { y[i] = -99; yf[i] = -99; }
        bw_binary2d_f64(op, a, forms[f][0], forms[f][1], b, forms[f][2], forms[f][3], y, LD, rows, cols);
        bw_binary2d_f32(op, af, forms[f][0], forms[f][1], bf, forms[f][2], forms[f][3], yf, LD, rows, cols);
        for (long i = 0; i < rows; i++)
          for (long j = 0; j < LD; j++) {
            double w = j < cols ? op_apply(op, a[i * forms[f][0] + j * forms[f][1]], b[i * forms[f][2] + j * forms[f][3]]) : -99;
            float wf = j < cols ? op_applyf(op, af[i * forms[f][0] + j * forms[f][1]], bf[i * forms[f][2] + j * forms[f][3]]) : -99;
            bad += memcmp(&w, &y[i * LD + j], sizeof w) != 0;
            badf += memcmp(&wf, &yf[i * LD + j], sizeof wf) != 0;
            if (portable && j < cols) { fold(y[i * LD + j]); fold(yf[i * LD + j]); }
          }
        cases++;
      }
  CHECK(bad == 0 && badf == 0, "binary arithmetic on %s: %d Double and %d Float results differ from C (%d cases)",
        bw_isa_name(), bad, badf, cases);
  CHECK(bw_binary2d_f64(7, a, 1, 1, b, 1, 1, y, 1, 1, 1) == -1, "binary arithmetic: an unknown op is refused");

  // Conversions, with values past Float's range, infinities and NaN.
  enum { N = 1000 };
  static double d[N], back[N];
  static float fl[N], fw[N];
  for (int i = 0; i < N; i++) d[i] = uni(-1, 1) * exp2(uni(-160, 140));
  d[3] = INFINITY; d[4] = -INFINITY; d[5] = NAN; d[6] = -0.0; d[7] = 0x1p-149 * 0.75;
  bw_narrow_f64(d, fl, N);
  bw_widen_f32(fl, back, N);
  int badc = 0;
  for (int i = 0; i < N; i++) {
    float wf = (float)d[i];
    double wd = (double)fl[i];
    badc += isnan(d[i]) ? !(isnan(fl[i]) && isnan(back[i])) : (memcmp(&wf, &fl[i], sizeof wf) || memcmp(&wd, &back[i], sizeof wd));
    if (portable) fold(back[i]);
  }
  CHECK(badc == 0, "Double <-> Float conversions on %s: %d differ from C's casts", bw_isa_name(), badc);

  // Row folds along a strided axis (acc starts from earlier values).
  static const long col_counts[] = {1, 3, 4, 8, 17, 23};
  int bad_rows = 0;
  double worst_exp = 0, worst_expf = 0;
  for (size_t cc = 0; cc < sizeof col_counts / sizeof col_counts[0]; cc++) {
    long cols = col_counts[cc];
    static double shift[C];
    for (long j = 0; j < cols; j++) shift[j] = uni(-1, 1);
    // sum, Double and Float input
    for (int t = 0; t < 2; t++) {
      for (long j = 0; j < cols; j++) acc[j] = want[j] = uni(-1, 1);
      if (t == 0) bw_rows_sum_f64(a, R, LD, cols, acc); else bw_rows_sum_f32(af, R, LD, cols, acc);
      for (long r = 0; r < R; r++)
        for (long j = 0; j < cols; j++) want[j] += t == 0 ? a[r * LD + j] : (double)af[r * LD + j];
      for (long j = 0; j < cols; j++) bad_rows += memcmp(&acc[j], &want[j], sizeof(double)) != 0;
    }
    // max / min, with a NaN in the last column
    a[5 * LD + cols - 1] = NAN; af[5 * LD + cols - 1] = NAN;
    for (int t = 0; t < 4; t++) {
      for (long j = 0; j < cols; j++) acc[j] = want[j] = t < 2 ? -1e300 : 1e300;
      switch (t) {
        case 0: bw_rows_max_f64(a, R, LD, cols, acc); break;
        case 1: bw_rows_max_f32(af, R, LD, cols, acc); break;
        case 2: bw_rows_min_f64(a, R, LD, cols, acc); break;
        default: bw_rows_min_f32(af, R, LD, cols, acc); break;
      }
      for (long j = 0; j < cols; j++) {
        for (long r = 0; r < R; r++) {
          double v = (t & 1) ? (double)af[r * LD + j] : a[r * LD + j];
          if (isnan(v) || isnan(want[j])) want[j] = NAN;
          else if (t < 2 ? v > want[j] : v < want[j]) want[j] = v;
        }
        bad_rows += isnan(want[j]) ? !isnan(acc[j]) : memcmp(&acc[j], &want[j], sizeof(double)) != 0;
      }
    }
    a[5 * LD + cols - 1] = 0.5; af[5 * LD + cols - 1] = 0.5f;
    // exp sums, with and without a shift
    for (int t = 0; t < 4; t++) {
      const double *sh = (t & 2) ? shift : NULL;
      long double ref[C];
      for (long j = 0; j < cols; j++) { acc[j] = 1.0; ref[j] = 1.0L; }
      if (t & 1) bw_rows_sum_exp_f32(af, R, LD, cols, sh, acc); else bw_rows_sum_exp_f64(a, R, LD, cols, sh, acc);
      for (long r = 0; r < R; r++)
        for (long j = 0; j < cols; j++)
          ref[j] += expl((long double)((t & 1) ? (double)af[r * LD + j] : a[r * LD + j]) - (sh ? sh[j] : 0));
      for (long j = 0; j < cols; j++) {
        double e = (double)(fabsl(acc[j] - ref[j]) / ref[j]);
        if (t & 1) worst_expf = fmax(worst_expf, e); else worst_exp = fmax(worst_exp, e);
        if (portable) fold(acc[j]);
      }
    }
  }
  CHECK(bad_rows == 0, "row folds (sum, max, min) on %s: %d results differ from the naive loops", bw_isa_name(), bad_rows);
  CHECK(worst_exp <= 1e-14, "row exp sums on %s: worst relative %.3g", bw_isa_name(), worst_exp);
  CHECK(worst_expf <= 1e-6, "Float row exp sums on %s: worst relative %.3g", bw_isa_name(), worst_expf);
  // Float sum of exp (float lanes, double sums) against long double.
  long double ref = 0;
  for (int i = 0; i < R * LD; i++) ref += expl((long double)af[i] - 0.25L);
  double sf = bw_sum_exp_f32(af, R * LD, 0.25);
  CHECK(fabsl(sf - ref) <= 1e-6 * ref, "Float sumExp on %s: relative %.3g", bw_isa_name(), (double)(fabsl(sf - ref) / ref));
  if (portable) fold(sf);
  printf("  arithmetic, conversions, row folds on %s: %d binary cases exact; row exp sums relative %.2g (Float %.2g)\n",
         bw_isa_name(), cases, worst_exp, worst_expf);
}

// MARK: B-spline stacks

// A stack of S splines against S single splines (values, Double and Float
// coefficients, contiguous and strided output), and its fused and
// per-spline exp-sums against long double sums of the single splines'
// values; the bounded form (no range pass) must give the unbounded one's
// bits. Degree pairs with equal and unequal degrees; enough points for
// several chunks and for pairs of points sharing a cell.
static void test_bspline_stack(int portable) {
  static const int degrees[][2] = {{3, 3}, {1, 2}, {5, 4}};
  enum { S = 13, NP = 16, M = 300 };
  double worst = 0, worstf = 0, worst_sum = 0, worst_sumf = 0, worst_per = 0;
  for (size_t d = 0; d < sizeof degrees / sizeof degrees[0]; d++) {
    int kx = degrees[d][0], ky = degrees[d][1];
    double brk[6] = {0, 0.5, 1.25, 2, 3.1, 4}, inv_w[5];
    for (int i = 0; i < 5; i++) inv_w[i] = 1.0 / (brk[i + 1] - brk[i]);
    int32_t bucket[2] = {0, 4};
    bw_axis breaks = {brk, inv_w, 6, 0.0, 4.0, 0, 0.0, bucket, 1, 1.0 / 4.0};
    double tx[6 + 2 * BW_BSPLINE_MAX_DEGREE], ty[6 + 2 * BW_BSPLINE_MAX_DEGREE];
    long nx = 0, ny = 0;
    for (int r = 0; r < kx; r++) tx[nx++] = 0;
    for (int r = 0; r < ky; r++) ty[ny++] = 0;
    for (int i = 0; i < 6; i++) { tx[nx++] = brk[i]; ty[ny++] = brk[i]; }
    for (int r = 0; r < kx; r++) tx[nx++] = 4;
    for (int r = 0; r < ky; r++) ty[ny++] = 4;
    bw_bspline_axis ax = {tx, nx, kx, &breaks, NULL}, ay = {ty, ny, ky, &breaks, NULL};
    long ncx = nx - kx - 1, ncy = ny - ky - 1;
    static double coef[10 * 10 * NP], one[10 * 10], ref[S][M], vals[M * S], strided[S * M], per[S], scratch_d[M * NP];
    static float coeff[10 * 10 * NP], valsf[M * S];
    for (long c = 0; c < ncx * ncy; c++)
      for (int s = 0; s < NP; s++) {
        coef[c * NP + s] = s < S ? uni(-3, 3) : 0;
        coeff[c * NP + s] = (float)coef[c * NP + s];
      }
    double xi[M], yi[M];
    for (int p = 0; p < M; p++) { xi[p] = uni(-0.3, 4.3); yi[p] = uni(-0.3, 4.3); }  // some clamped
    xi[0] = 0; yi[1] = 4; xi[2] = 1.25;
    long double total = 0, per_ref[S];
    for (int s = 0; s < S; s++) {
      for (long c = 0; c < ncx * ncy; c++) one[c] = coef[c * NP + s];
      bw_bspline2d_eval(&ax, &ay, one, xi, yi, ref[s], M);
      per_ref[s] = 0;
      for (int p = 0; p < M; p++) { total += expl((long double)ref[s][p]); per_ref[s] += expl((long double)ref[s][p]); }
    }
    bw_bspline_stack_values(&ax, &ay, coef, S, NP, xi, yi, M, vals, S, 1);
    bw_bspline_stack_values(&ax, &ay, coef, S, NP, xi, yi, M, strided, 1, M);
    bw_bspline_stack_values_f32(&ax, &ay, coeff, S, NP, xi, yi, M, valsf, S, 1);
    int differ = 0;
    for (int s = 0; s < S; s++)
      for (int p = 0; p < M; p++) {
        differ += memcmp(&vals[p * S + s], &strided[s * M + p], sizeof(double)) != 0;
        worst = fmax(worst, fabs(vals[p * S + s] - ref[s][p]));
        worstf = fmax(worstf, fabs((double)valsf[p * S + s] - ref[s][p]));
        if (portable) { fold(vals[p * S + s]); fold(valsf[p * S + s]); }
      }
    CHECK(differ == 0, "B-spline stack values (%d, %d): %d differ between strided and contiguous output on %s", kx, ky,
          differ, bw_isa_name());
    long bytes = bw_bspline_stack_sum_exp_scratch(&ax, &ay, S, NP, M);
    double *scratch = malloc((size_t)bytes);
    double sum = bw_bspline_stack_sum_exp(&ax, &ay, coef, S, NP, 0, xi, yi, M, scratch);
    double sum_b = bw_bspline_stack_sum_exp(&ax, &ay, coef, S, NP, 1, xi, yi, M, scratch);
    double sumf = bw_bspline_stack_sum_exp_f32(&ax, &ay, coeff, S, NP, 0, xi, yi, M, scratch);
    CHECK(memcmp(&sum, &sum_b, sizeof sum) == 0, "B-spline stack sumExp bounded %.17g vs not %.17g on %s", sum_b, sum,
          bw_isa_name());
    worst_sum = fmax(worst_sum, (double)(fabsl(sum - total) / total));
    worst_sumf = fmax(worst_sumf, (double)(fabsl(sumf - total) / total));
    double xn[M];
    memcpy(xn, xi, sizeof xn);
    xn[M / 2] = NAN;
    CHECK(isnan(bw_bspline_stack_sum_exp(&ax, &ay, coef, S, NP, 1, xn, yi, M, scratch)),
          "B-spline stack sumExp with a NaN point on %s", bw_isa_name());
    free(scratch);
    bw_bspline_stack_sum_exp_per_spline(&ax, &ay, coef, S, NP, xi, yi, M, scratch_d, per);
    for (int s = 0; s < S; s++) worst_per = fmax(worst_per, (double)(fabsl(per[s] - per_ref[s]) / per_ref[s]));
    if (portable) { fold(sum); fold(sumf); }
  }
  CHECK(worst <= 1e-13, "B-spline stack values on %s: worst %.3g", bw_isa_name(), worst);
  CHECK(worstf <= 3e-6, "Float B-spline stack values on %s: worst %.3g", bw_isa_name(), worstf);
  CHECK(worst_sum <= 1e-12, "B-spline stack sumExp on %s: relative %.3g", bw_isa_name(), worst_sum);
  CHECK(worst_sumf <= 1e-6, "Float B-spline stack sumExp on %s: relative %.3g", bw_isa_name(), worst_sumf);
  CHECK(worst_per <= 1e-13, "B-spline stack per-spline sums on %s: relative %.3g", bw_isa_name(), worst_per);
  printf("  B-spline stacks on %s: values %.2g (Float %.2g), sums relative %.2g (Float %.2g)\n", bw_isa_name(),
         worst, worstf, worst_sum, worst_sumf);
}

// MARK: scipy's values (the committed fixtures, flattened by flatten_fixtures.py)

static double *read_doubles(FILE *f, long n) {
  double *v = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
  char word[64];
  for (long i = 0; i < n; i++) {
    if (fscanf(f, "%63s", word) != 1) { free(v); return NULL; }
    v[i] = strtod(word, NULL);
  }
  return v;
}

// A non-uniform axis over strictly increasing knots, searched whole.
static void search_axis(bw_axis *a, const double *knots, long n, double *inv_width, int32_t *bucket) {
  for (long i = 0; i + 1 < n; i++) inv_width[i] = 1.0 / (knots[i + 1] - knots[i]);
  bucket[0] = 0;
  bucket[1] = (int32_t)(n - 2);
  bw_axis ax = {knots, inv_width, n, knots[0], knots[n - 1], 0, 0.0, bucket, 1, 1.0 / (knots[n - 1] - knots[0])};
  *a = ax;
}

static double relative_error(double got, double want) {
  if (isnan(want)) return isnan(got) ? 0 : INFINITY;
  return fabs(got - want) / fmax(1.0, fabs(want));
}

static void test_fixtures(const char *path, int portable) {
  FILE *f = fopen(path, "r");
  CHECK(f != NULL, "cannot read %s", path);
  if (!f) return;
  char kind[32], name[128];
  int cases = 0;
  while (fscanf(f, "%31s %127s", kind, name) == 2) {
    double worst = 0;
    long m = 0;
    if (strcmp(kind, "bilinear") == 0) {
      long nx, ny;
      if (fscanf(f, "%ld", &nx) != 1) break;
      double *x = read_doubles(f, nx);
      if (fscanf(f, "%ld", &ny) != 1) break;
      double *y = read_doubles(f, ny), *z = read_doubles(f, nx * ny);
      if (fscanf(f, "%ld", &m) != 1) break;
      double *xi = read_doubles(f, m), *yi = read_doubles(f, m), *ev = read_doubles(f, m);
      double *wx = malloc(nx * sizeof(double)), *wy = malloc(ny * sizeof(double));
      double *coef = malloc((size_t)(nx - 1) * (ny - 1) * 4 * sizeof(double)), *out = malloc(m * sizeof(double));
      int32_t bx[2], by[2];
      bw_axis ax, ay;
      search_axis(&ax, x, nx, wx, bx);
      search_axis(&ay, y, ny, wy, by);
      for (long i = 0; i + 1 < nx; i++)
        for (long j = 0; j + 1 < ny; j++) {
          double *c = coef + (i * (ny - 1) + j) * 4;
          double z00 = z[i * ny + j], z10 = z[(i + 1) * ny + j], z01 = z[i * ny + j + 1], z11 = z[(i + 1) * ny + j + 1];
          c[0] = z00; c[1] = z10 - z00; c[2] = z01 - z00; c[3] = z11 - z10 - z01 + z00;
        }
      bw_spline_eval(&ax, &ay, coef, xi, yi, out, m);
      for (long p = 0; p < m; p++) {
        worst = fmax(worst, relative_error(out[p], ev[p]));
        if (portable) fold(out[p]);
      }
      CHECK(worst <= 1e-13, "bilinear %s on %s: %.3g from scipy", name, bw_isa_name(), worst);
      free(x); free(y); free(z); free(xi); free(yi); free(ev); free(wx); free(wy); free(coef); free(out);
    } else if (strcmp(kind, "bspline") == 0) {
      int kx, ky;
      long ntx, nty;
      if (fscanf(f, "%d %d %ld", &kx, &ky, &ntx) != 3) break;
      double *tx = read_doubles(f, ntx);
      if (fscanf(f, "%ld", &nty) != 1) break;
      double *ty = read_doubles(f, nty);
      long ncx = ntx - kx - 1, ncy = nty - ky - 1;
      double *coef = read_doubles(f, ncx * ncy);
      if (fscanf(f, "%ld", &m) != 1) break;
      double *xi = read_doubles(f, m), *yi = read_doubles(f, m), *ev = read_doubles(f, m);
      long nbx = ntx - 2 * kx, nby = nty - 2 * ky;  // distinct breakpoints t[k .. n-k-1]
      double *wx = malloc(nbx * sizeof(double)), *wy = malloc(nby * sizeof(double)), *out = malloc(m * sizeof(double));
      int32_t bx[2], by[2];
      bw_axis brx, bry;
      search_axis(&brx, tx + kx, nbx, wx, bx);
      search_axis(&bry, ty + ky, nby, wy, by);
      bw_bspline_axis ax = {tx, ntx, kx, &brx, NULL}, ay = {ty, nty, ky, &bry, NULL};
      bw_bspline2d_eval(&ax, &ay, coef, xi, yi, out, m);
      for (long p = 0; p < m; p++) {
        worst = fmax(worst, relative_error(out[p], ev[p]));
        if (portable) fold(out[p]);
      }
      CHECK(worst <= 1e-12, "B-spline %s (degrees %d, %d) on %s: %.3g from scipy", name, kx, ky, bw_isa_name(), worst);
      free(tx); free(ty); free(coef); free(xi); free(yi); free(ev); free(wx); free(wy); free(out);
    } else {
      CHECK(0, "unknown fixture kind %s", kind);
      break;
    }
    cases++;
  }
  fclose(f);
  CHECK(cases >= 50, "%d fixture cases read from %s", cases, path);
  printf("  scipy fixtures on %s: %d spline cases\n", bw_isa_name(), cases);
}

int main(int argc, char **argv) {
  const char *label = argc > 1 ? argv[1] : "kernel harness";
  const char *fixtures = argc > 2 ? argv[2] : NULL;
  printf("%s: %s, on %s\n", label, bw_cpu_summary(), bw_isa_name());
  for (int path = 0; path < BW_PATH_COUNT; path++) {
    if (!bw_path_supported(path)) {
      printf("  path %s: not run on this CPU\n", bw_path_name(path));
      continue;
    }
    bw_path_set_for_thread(path);
    // The same inputs on every path, whichever paths ran before it, so the
    // vector exp digests compare (AVX2 runs second here, AVX-512 third).
    rng = RNG_SEED;
    int portable = path == BW_PATH_GENERIC;
    test_exp(portable);
    test_reductions(portable);
    test_bilinear(portable);
    test_stacks(portable);
    test_bspline(portable);
    test_bspline_stack(portable);
    test_arrays(portable);
    if (fixtures) test_fixtures(fixtures, portable);
  }
  printf("%s: portable-path digest %016llx\n", label, (unsigned long long)digest);
  for (int path = 0; path < BW_PATH_COUNT; path++)
    if (path != BW_PATH_GENERIC && bw_path_supported(path))
      printf("%s: vector exp digest %016llx (%s)\n", label, (unsigned long long)exp_digest[path], bw_path_name(path));
  printf("%s: %d passed, %d failed\n", label, passed, failed);
  return failed ? 1 : 0;
}
