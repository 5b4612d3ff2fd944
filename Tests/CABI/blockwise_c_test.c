/*
 * The C ABI's test: every function of blockwise.h against plain C loops
 * (libm exp, bilinear interpolation by hand), and every error a C caller
 * can provoke (null pointers, negative lengths, wrong sizes, wrong
 * handles, bad expressions). `make test-c` builds it with -std=c99
 * -Wall -Wextra -Werror against the header and libBlockwiseC.so.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockwise.h"
#include "bw_opcodes.h"

/* blockwise_reduction (spelled out in the public header) against the one
   list (bw_opcodes.h): a mismatch does not compile. */
#define BW_REDUCTION_VALUE(N, S, V) BWX_##N = V,
enum { BW_REDUCTIONS(BW_REDUCTION_VALUE) };
typedef char reduction_numbering_matches[((int)BLOCKWISE_SUM == (int)BWX_SUM && (int)BLOCKWISE_MIN == (int)BWX_MIN &&
                                          (int)BLOCKWISE_MAX == (int)BWX_MAX &&
                                          (int)BLOCKWISE_SUM_EXP == (int)BWX_SUMEXP &&
                                          (int)BLOCKWISE_LOG_SUM_EXP == (int)BWX_LSE) ? 1 : -1];

static int failures = 0, checks = 0;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    checks++;                                              \
    if (!(cond)) {                                         \
      failures++;                                          \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fprintf(stderr, "\n");                               \
    }                                                      \
  } while (0)

#define OK(call) CHECK((call) == BLOCKWISE_OK, "%s: %s", #call, blockwise_last_error())

/* Expects `status` and a last error containing `text`. */
static void expect_error(blockwise_status got, blockwise_status want, const char *text, const char *what) {
  CHECK(got == want, "%s: status %d, expected %d (%s)", what, (int)got, (int)want, blockwise_last_error());
  CHECK(strstr(blockwise_last_error(), text) != NULL, "%s: message '%s' lacks '%s'", what, blockwise_last_error(), text);
}

static double relative(double a, double b) { return a == b ? 0 : fabs(a - b) / fmax(fabs(a), fabs(b)); }

/* SplitMix64 uniform in [lo, hi). */
static unsigned long long state = 42;
static double uniform(double lo, double hi) {
  unsigned long long z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return lo + (hi - lo) * (double)(z >> 11) * 0x1p-53;
}

/* The bilinear interpolant by hand: the cell of the last knot <= p
   (clamped to the grid, as scipy extrapolates linearly from the edge
   cells), then the weighted corners. */
static long cell(const double *k, long n, double p) {
  long i = 0;
  while (i + 2 < n && k[i + 1] <= p) i++;
  return i;
}
static double bilinear(const double *x, long nx, const double *y, long ny, const double *z, double px, double py) {
  long i = cell(x, nx, px), j = cell(y, ny, py);
  double tx = (px - x[i]) / (x[i + 1] - x[i]), ty = (py - y[j]) / (y[j + 1] - y[j]);
  double z00 = z[i * ny + j], z01 = z[i * ny + j + 1], z10 = z[(i + 1) * ny + j], z11 = z[(i + 1) * ny + j + 1];
  return z00 * (1 - tx) * (1 - ty) + z10 * tx * (1 - ty) + z01 * (1 - tx) * ty + z11 * tx * ty;
}

static void test_info(void) {
  CHECK(strlen(blockwise_version()) >= 5, "version '%s'", blockwise_version());
  const char *isa = blockwise_kernel_isa();
  CHECK(strcmp(isa, "avx2-fma") == 0 || strcmp(isa, "generic") == 0, "kernel path '%s'", isa);
  int64_t threads = blockwise_thread_count(), most = blockwise_max_thread_count();
  CHECK(threads >= 1 && threads <= most, "threads %lld of %lld", (long long)threads, (long long)most);
  OK(blockwise_set_thread_count(1));
  CHECK(blockwise_thread_count() == 1, "set to 1");
  OK(blockwise_set_thread_count(threads));
  expect_error(blockwise_set_thread_count(0), BLOCKWISE_INVALID_ARGUMENT, "thread count", "0 threads");
  expect_error(blockwise_set_thread_count(most + 1), BLOCKWISE_INVALID_ARGUMENT, "thread count", "too many threads");
  CHECK(blockwise_thread_count() == threads, "unchanged by errors");
}

static void test_arrays(void) {
  enum { N = 100003 };
  double *x = malloc(N * sizeof(double)), *out = malloc(N * sizeof(double));
  float *xf = malloc(N * sizeof(float)), *outf = malloc(N * sizeof(float));
  double naive = 0, worst = 0, maxv = -INFINITY;
  for (long i = 0; i < N; i++) {
    x[i] = uniform(-20, 20);
    xf[i] = (float)x[i];
    naive += exp(x[i]);
    if (x[i] > maxv) maxv = x[i];
  }
  OK(blockwise_exp_f64(x, N, out, N));
  for (long i = 0; i < N; i++) worst = fmax(worst, relative(out[i], exp(x[i])));
  CHECK(worst <= 2.3e-16, "exp_f64 worst relative error %g", worst);
  OK(blockwise_exp_f32(xf, N, outf, N));
  worst = 0;
  for (long i = 0; i < N; i++) worst = fmax(worst, relative(outf[i], (float)exp((double)xf[i])));
  CHECK(worst <= 1.2e-7, "exp_f32 worst relative error %g", worst);
  double s = 0, l = 0;
  OK(blockwise_sum_exp_f64(x, N, &s));
  CHECK(relative(s, naive) < 1e-12, "sum_exp %.17g vs %.17g", s, naive);
  OK(blockwise_log_sum_exp_f64(x, N, &l));
  CHECK(relative(l, log(naive)) < 1e-12, "log_sum_exp %.17g vs %.17g", l, log(naive));
  float sf = 0, lf = 0;
  OK(blockwise_sum_exp_f32(xf, N, &sf));
  OK(blockwise_log_sum_exp_f32(xf, N, &lf));
  CHECK(relative(sf, naive) < 1e-5 && relative(lf, log(naive)) < 1e-5, "f32 sums %g %g", sf, lf);
  /* Empty inputs: NULL is fine with 0 elements. */
  OK(blockwise_sum_exp_f64(NULL, 0, &s));
  CHECK(s == 0, "sum_exp of nothing %g", s);
  OK(blockwise_log_sum_exp_f64(NULL, 0, &l));
  CHECK(isinf(l) && l < 0, "log_sum_exp of nothing %g", l);
  OK(blockwise_exp_f64(NULL, 0, NULL, 0));
  /* Errors. */
  expect_error(blockwise_exp_f64(NULL, 5, out, 5), BLOCKWISE_INVALID_ARGUMENT, "NULL", "null input");
  expect_error(blockwise_exp_f64(x, 5, NULL, 5), BLOCKWISE_INVALID_ARGUMENT, "NULL", "null output");
  expect_error(blockwise_exp_f64(x, -1, out, -1), BLOCKWISE_INVALID_ARGUMENT, "length >= 0", "negative length");
  expect_error(blockwise_exp_f64(x, 5, out, 4), BLOCKWISE_SHAPE_MISMATCH, "out", "short output");
  expect_error(blockwise_sum_exp_f64(x, 5, NULL), BLOCKWISE_INVALID_ARGUMENT, "result", "null result");
  free(x); free(out); free(xf); free(outf);
}

static void test_spline(void) {
  enum { NX = 7, NY = 5, M = 20011 };
  double x[NX], y[NY], z[NX * NY];
  float xf[NX], yf[NY], zf[NX * NY];
  for (int i = 0; i < NX; i++) x[i] = i * 1.5 + (i > 3 ? 0.25 : 0);
  for (int j = 0; j < NY; j++) y[j] = -2 + j * j * 0.5;
  for (int k = 0; k < NX * NY; k++) z[k] = uniform(-1, 1);
  for (int i = 0; i < NX; i++) xf[i] = (float)x[i];
  for (int j = 0; j < NY; j++) yf[j] = (float)y[j];
  for (int k = 0; k < NX * NY; k++) zf[k] = (float)z[k];
  blockwise_spline *s = NULL, *sf = NULL;
  OK(blockwise_spline_create_f64(x, NX, y, NY, z, NX * NY, &s));
  OK(blockwise_spline_create_f32(xf, NX, yf, NY, zf, NX * NY, &sf));
  CHECK(blockwise_spline_is_f32(s) == 0 && blockwise_spline_is_f32(sf) == 1 && blockwise_spline_is_f32(NULL) == -1, "is_f32");

  double *xi = malloc(M * sizeof(double)), *yi = malloc(M * sizeof(double)), *out = malloc(M * sizeof(double));
  float *xif = malloc(M * sizeof(float)), *yif = malloc(M * sizeof(float)), *outf = malloc(M * sizeof(float));
  double naive = 0, worst = 0;
  for (long i = 0; i < M; i++) {
    xi[i] = uniform(x[0], x[NX - 1]);
    yi[i] = uniform(y[0], y[NY - 1]);
    xif[i] = (float)xi[i];
    yif[i] = (float)yi[i];
    naive += exp(bilinear(x, NX, y, NY, z, xi[i], yi[i]));
  }
  OK(blockwise_spline_ev_f64(s, xi, yi, M, out, M));
  for (long i = 0; i < M; i++) worst = fmax(worst, fabs(out[i] - bilinear(x, NX, y, NY, z, xi[i], yi[i])));
  CHECK(worst < 1e-14, "spline_ev worst absolute error %g", worst);
  double total = 0;
  OK(blockwise_spline_sum_exp_f64(s, xi, yi, M, &total));
  CHECK(relative(total, naive) < 1e-12, "spline sum_exp %.17g vs %.17g", total, naive);
  /* float32 points on a float64 spline: converted once, then the same. */
  OK(blockwise_spline_ev_f32(s, xif, yif, M, outf, M));
  worst = 0;
  for (long i = 0; i < M; i++) worst = fmax(worst, fabs(outf[i] - bilinear(x, NX, y, NY, z, xif[i], yif[i])));
  CHECK(worst < 1e-6, "f32 points on an f64 spline: worst %g", worst);
  /* A float32 spline at float64 points. */
  OK(blockwise_spline_ev_f64(sf, xi, yi, M, out, M));
  worst = 0;
  for (long i = 0; i < M; i++) worst = fmax(worst, fabs(out[i] - bilinear(x, NX, y, NY, z, xi[i], yi[i])));
  CHECK(worst < 1e-5, "f32 spline: worst %g", worst);
  /* The grid. */
  double gx[3] = {0.1, 4.0, 9.0}, gy[4] = {-2.0, -1.0, 0.5, 6.0}, grid[12];
  OK(blockwise_spline_grid_f64(s, gx, 3, gy, 4, grid, 12));
  worst = 0;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++) worst = fmax(worst, fabs(grid[i * 4 + j] - bilinear(x, NX, y, NY, z, gx[i], gy[j])));
  CHECK(worst < 1e-14, "grid worst %g", worst);
  /* Errors. */
  double bad[NX];
  memcpy(bad, x, sizeof(bad));
  bad[3] = bad[2];
  blockwise_spline *none = (blockwise_spline *)1;
  expect_error(blockwise_spline_create_f64(bad, NX, y, NY, z, NX * NY, &none), BLOCKWISE_INVALID_ARGUMENT,
               "strictly increasing", "repeated knot");
  CHECK(none == NULL, "a failed create leaves NULL");
  expect_error(blockwise_spline_create_f64(x, NX, y, NY, z, NX * NY - 1, &none), BLOCKWISE_SHAPE_MISMATCH, "z",
               "short z");
  expect_error(blockwise_spline_create_f64(x, 1, y, NY, z, NY, &none), BLOCKWISE_INVALID_ARGUMENT, "knots",
               "one knot");
  expect_error(blockwise_spline_create_f64(x, NX, y, NY, z, NX * NY, NULL), BLOCKWISE_INVALID_ARGUMENT, "spline",
               "null out-pointer");
  z[4] = NAN;
  expect_error(blockwise_spline_create_f64(x, NX, y, NY, z, NX * NY, &none), BLOCKWISE_INVALID_ARGUMENT, "finite",
               "NaN value");
  expect_error(blockwise_spline_ev_f64(NULL, xi, yi, M, out, M), BLOCKWISE_INVALID_ARGUMENT, "NULL", "null handle");
  expect_error(blockwise_spline_ev_f64(s, xi, yi, M, out, M - 1), BLOCKWISE_SHAPE_MISMATCH, "out", "short out");
  expect_error(blockwise_spline_ev_f64(s, xi, NULL, M, out, M), BLOCKWISE_INVALID_ARGUMENT, "yi", "null yi");
  expect_error(blockwise_spline_grid_f64(s, gx, 3, gy, 4, grid, 11), BLOCKWISE_SHAPE_MISMATCH, "out", "short grid");
  blockwise_spline_free(s);
  blockwise_spline_free(sf);
  blockwise_spline_free(NULL);
  free(xi); free(yi); free(out); free(xif); free(yif); free(outf);
}

static void test_stack(void) {
  enum { NX = 6, NY = 9, K = 5, M = 7001 };
  double x[NX], y[NY], z[K * NX * NY];
  for (int i = 0; i < NX; i++) x[i] = i;
  for (int j = 0; j < NY; j++) y[j] = j * 0.5;
  for (int k = 0; k < K * NX * NY; k++) z[k] = uniform(-3, 3);
  blockwise_spline_stack *st = NULL;
  OK(blockwise_stack_create_f64(x, NX, y, NY, z, K * NX * NY, K, &st));
  CHECK(blockwise_stack_count(st) == K && blockwise_stack_is_f32(st) == 0 && blockwise_stack_count(NULL) == -1, "count");
  double *xi = malloc(M * sizeof(double)), *yi = malloc(M * sizeof(double)), *out = malloc(K * M * sizeof(double));
  double per[K], naive[K], total_naive = 0;
  for (long i = 0; i < M; i++) {
    xi[i] = uniform(0, NX - 1);
    yi[i] = uniform(0, (NY - 1) * 0.5);
  }
  OK(blockwise_stack_ev_f64(st, xi, yi, M, out, K * M));
  double worst = 0;
  for (int k = 0; k < K; k++) {
    naive[k] = 0;
    for (long i = 0; i < M; i++) {
      double v = bilinear(x, NX, y, NY, z + k * NX * NY, xi[i], yi[i]);
      worst = fmax(worst, fabs(out[k * M + i] - v));
      naive[k] += exp(v);
    }
    total_naive += naive[k];
  }
  CHECK(worst < 1e-13, "stack_ev worst %g", worst);
  OK(blockwise_stack_sum_exp_per_spline_f64(st, xi, yi, M, per, K));
  for (int k = 0; k < K; k++) CHECK(relative(per[k], naive[k]) < 1e-12, "per spline %d: %g vs %g", k, per[k], naive[k]);
  double total = 0;
  OK(blockwise_stack_sum_exp_f64(st, xi, yi, M, &total));
  CHECK(relative(total, total_naive) < 1e-12, "stack sum_exp %.17g vs %.17g", total, total_naive);
  expect_error(blockwise_stack_create_f64(x, NX, y, NY, z, K * NX * NY, K + 1, &st), BLOCKWISE_SHAPE_MISMATCH, "z",
               "count disagrees with z_len");
  CHECK(st == NULL, "a failed create leaves NULL");
  OK(blockwise_stack_create_f64(x, NX, y, NY, z, K * NX * NY, K, &st));
  expect_error(blockwise_stack_sum_exp_per_spline_f64(st, xi, yi, M, per, K - 1), BLOCKWISE_SHAPE_MISMATCH, "out",
               "short per-spline output");
  /* A spline handle where a stack is expected. */
  blockwise_spline *s = NULL;
  OK(blockwise_spline_create_f64(x, NX, y, NY, z, NX * NY, &s));
  expect_error(blockwise_stack_sum_exp_f64((const blockwise_spline_stack *)s, xi, yi, M, &total),
               BLOCKWISE_INVALID_ARGUMENT, "handle", "a spline passed as a stack");
  blockwise_spline_free(s);
  blockwise_stack_free(st);
  free(xi); free(yi); free(out);
}

static void test_expression(void) {
  enum { N = 50001 };
  blockwise_expression *e = NULL;
  OK(blockwise_expression_create("x * y + 2 * c", 0, &e));
  CHECK(blockwise_expression_variable_count(e) == 3, "3 variables");
  const char *order[3];
  for (int v = 0; v < 3; v++) order[v] = blockwise_expression_variable_name(e, v);
  CHECK(blockwise_expression_variable_name(e, 3) == NULL && blockwise_expression_variable_name(NULL, 0) == NULL, "bad index");
  double *x = malloc(N * sizeof(double)), *y = malloc(N * sizeof(double)), *out = malloc(N * sizeof(double));
  double c = 0.75;
  for (long i = 0; i < N; i++) {
    x[i] = uniform(-1, 1);
    y[i] = uniform(-1, 1);
  }
  const double *inputs[3];
  int64_t lengths[3];
  for (int v = 0; v < 3; v++) {
    inputs[v] = strcmp(order[v], "x") == 0 ? x : strcmp(order[v], "y") == 0 ? y : &c;
    lengths[v] = strcmp(order[v], "c") == 0 ? 1 : N;
  }
  OK(blockwise_expression_evaluate_f64(e, inputs, lengths, 3, out, N));
  long wrong = 0;
  double sum = 0, lo = INFINITY, hi = -INFINITY;
  for (long i = 0; i < N; i++) {
    volatile double p = x[i] * y[i];  /* rounded, as numpy does: no fused multiply-add */
    double v = p + 2 * c;
    wrong += out[i] != v;
    sum += v;
    lo = fmin(lo, v);
    hi = fmax(hi, v);
  }
  CHECK(wrong == 0, "%ld values differ from numpy's arithmetic", wrong);
  double r;
  OK(blockwise_expression_reduce_f64(e, BLOCKWISE_SUM, inputs, lengths, 3, &r));
  CHECK(relative(r, sum) < 1e-12, "sum %.17g vs %.17g", r, sum);
  OK(blockwise_expression_reduce_f64(e, BLOCKWISE_MIN, inputs, lengths, 3, &r));
  CHECK(r == lo, "min");
  OK(blockwise_expression_reduce_f64(e, BLOCKWISE_MAX, inputs, lengths, 3, &r));
  CHECK(r == hi, "max");
  /* Errors: syntax (with the column), wrong input counts and lengths. */
  blockwise_expression *bad = NULL;
  expect_error(blockwise_expression_create("exp(x * (y + 1)", 0, &bad), BLOCKWISE_EXPRESSION_ERROR, "column",
               "unbalanced parenthesis");
  expect_error(blockwise_expression_create(NULL, 0, &bad), BLOCKWISE_INVALID_ARGUMENT, "NULL", "null source");
  expect_error(blockwise_expression_create("x", 2, &bad), BLOCKWISE_INVALID_ARGUMENT, "f32", "bad element type");
  expect_error(blockwise_expression_evaluate_f64(e, inputs, lengths, 2, out, N), BLOCKWISE_SHAPE_MISMATCH,
               "one per variable", "too few inputs");
  lengths[0] = N - 1;
  expect_error(blockwise_expression_evaluate_f64(e, inputs, lengths, 3, out, N), BLOCKWISE_SHAPE_MISMATCH,
               order[0], "inputs of different lengths");
  lengths[0] = strcmp(order[0], "c") == 0 ? 1 : N;
  expect_error(blockwise_expression_reduce_f64(e, (blockwise_reduction)9, inputs, lengths, 3, &r),
               BLOCKWISE_INVALID_ARGUMENT, "reduction", "unknown reduction");
  expect_error(blockwise_expression_evaluate_f64(e, NULL, NULL, 3, out, N), BLOCKWISE_INVALID_ARGUMENT, "NULL",
               "null inputs");
  blockwise_expression_free(e);

  /* A float32 expression fed float64 arrays: converted once. */
  OK(blockwise_expression_create("exp(x)", 1, &e));
  const double *one[1] = {x};
  int64_t len[1] = {N};
  OK(blockwise_expression_evaluate_f64(e, one, len, 1, out, N));
  double worst = 0;
  for (long i = 0; i < N; i++) worst = fmax(worst, relative(out[i], expf((float)x[i])));
  CHECK(worst < 1.2e-7, "float32 expression worst %g", worst);
  OK(blockwise_expression_reduce_f64(e, BLOCKWISE_MIN, one, len, 0 + 1, &r));
  len[0] = 0;
  expect_error(blockwise_expression_reduce_f64(e, BLOCKWISE_MAX, one, len, 1, &r), BLOCKWISE_EMPTY, "", "max of nothing");
  blockwise_expression_free(e);
  free(x); free(y); free(out);
}

/* The last error is per thread: a failure on one thread leaves another's. */
static void *fail_on_other_thread(void *arg) {
  (void)arg;
  blockwise_set_thread_count(0);
  return strstr(blockwise_last_error(), "thread count") ? (void *)1 : NULL;
}

static void test_thread_local_errors(void) {
  double r;
  expect_error(blockwise_sum_exp_f64(NULL, 3, &r), BLOCKWISE_INVALID_ARGUMENT, "NULL", "null on this thread");
  pthread_t t;
  void *seen = NULL;
  pthread_create(&t, NULL, fail_on_other_thread, NULL);
  pthread_join(t, &seen);
  CHECK(seen != NULL, "the other thread saw its own error");
  CHECK(strstr(blockwise_last_error(), "NULL") != NULL, "this thread's error is unchanged: '%s'", blockwise_last_error());
}

/* Every entry point with each pointer made NULL (with elements to read or
   write), each length made negative and each output length made wrong, in
   turn: the status and a message that names the argument, and nothing
   written. */
static int checks_run = 0;
#define SWEEP(call, want, name)                                                                       \
  do {                                                                                                \
    checks_run++;                                                                                     \
    expect_error((call), (want), (name), #call);                                                      \
  } while (0)

static void test_argument_sweep(void) {
  enum { N = 6, NX = 3, NY = 4 };
  double x[NX] = {0, 1, 2}, y[NY] = {0, 1, 2, 3}, z[2 * NX * NY] = {0}, p[N] = {0.5, 1, 1.5, 0.2, 0.3, 0.4};
  float xf[NX] = {0, 1, 2}, yf[NY] = {0, 1, 2, 3}, zf[2 * NX * NY] = {0}, pf[N] = {0.5f, 1, 1.5f, 0.2f, 0.3f, 0.4f};
  double out[2 * N], r;
  float outf[2 * N], rf;
  const blockwise_status IA = BLOCKWISE_INVALID_ARGUMENT, SM = BLOCKWISE_SHAPE_MISMATCH;
  blockwise_spline *s = NULL, *sf = NULL, *none = NULL;
  blockwise_spline_stack *st = NULL, *stf = NULL, *nostack = NULL;
  OK(blockwise_spline_create_f64(x, NX, y, NY, z, NX * NY, &s));
  OK(blockwise_spline_create_f32(xf, NX, yf, NY, zf, NX * NY, &sf));
  OK(blockwise_stack_create_f64(x, NX, y, NY, z, 2 * NX * NY, 2, &st));
  OK(blockwise_stack_create_f32(xf, NX, yf, NY, zf, 2 * NX * NY, 2, &stf));

  /* Arrays. */
  SWEEP(blockwise_exp_f64(NULL, N, out, N), IA, "x");
  SWEEP(blockwise_exp_f64(p, -1, out, N), IA, "n");
  SWEEP(blockwise_exp_f64(p, N, NULL, N), IA, "out");
  SWEEP(blockwise_exp_f64(p, N, out, N - 1), SM, "out");
  SWEEP(blockwise_exp_f32(NULL, N, outf, N), IA, "x");
  SWEEP(blockwise_exp_f32(pf, N, outf, N + 1), SM, "out");
  SWEEP(blockwise_sum_exp_f64(NULL, N, &r), IA, "x");
  SWEEP(blockwise_sum_exp_f64(p, -3, &r), IA, "n");
  SWEEP(blockwise_sum_exp_f64(p, N, NULL), IA, "result");
  SWEEP(blockwise_sum_exp_f32(pf, N, NULL), IA, "result");
  SWEEP(blockwise_log_sum_exp_f64(NULL, 1, &r), IA, "x");
  SWEEP(blockwise_log_sum_exp_f32(pf, -1, &rf), IA, "n");

  /* Spline creation. */
  SWEEP(blockwise_spline_create_f64(NULL, NX, y, NY, z, NX * NY, &none), IA, "x");
  SWEEP(blockwise_spline_create_f64(x, NX, NULL, NY, z, NX * NY, &none), IA, "y");
  SWEEP(blockwise_spline_create_f64(x, NX, y, NY, NULL, NX * NY, &none), IA, "z");
  SWEEP(blockwise_spline_create_f64(x, -NX, y, NY, z, NX * NY, &none), IA, "nx");
  SWEEP(blockwise_spline_create_f64(x, NX, y, -NY, z, NX * NY, &none), IA, "ny");
  SWEEP(blockwise_spline_create_f64(x, NX, y, NY, z, NX * NY - 1, &none), SM, "z");
  SWEEP(blockwise_spline_create_f64(x, NX, y, NY, z, -1, &none), IA, "z_len");
  SWEEP(blockwise_spline_create_f32(xf, NX, yf, NY, zf, NX * NY, NULL), IA, "spline");
  SWEEP(blockwise_spline_create_f32(xf, 1, yf, NY, zf, NY, &none), IA, "x");
  CHECK(none == NULL, "failed creates leave NULL");

  /* Spline calls. */
  SWEEP(blockwise_spline_ev_f64(NULL, p, p, N, out, N), IA, "spline");
  SWEEP(blockwise_spline_ev_f64(s, NULL, p, N, out, N), IA, "xi");
  SWEEP(blockwise_spline_ev_f64(s, p, NULL, N, out, N), IA, "yi");
  SWEEP(blockwise_spline_ev_f64(s, p, p, -N, out, N), IA, "n");
  SWEEP(blockwise_spline_ev_f64(s, p, p, N, NULL, N), IA, "out");
  SWEEP(blockwise_spline_ev_f64(s, p, p, N, out, 2 * N), SM, "out");
  SWEEP(blockwise_spline_ev_f32(sf, pf, pf, N, outf, N - 1), SM, "out");
  SWEEP(blockwise_spline_grid_f64(s, NULL, 2, p, 3, out, 6), IA, "gx");
  SWEEP(blockwise_spline_grid_f64(s, p, 2, NULL, 3, out, 6), IA, "gy");
  SWEEP(blockwise_spline_grid_f64(s, p, -2, p, 3, out, 6), IA, "ngx");
  SWEEP(blockwise_spline_grid_f64(s, p, 2, p, -3, out, 6), IA, "ngy");
  SWEEP(blockwise_spline_grid_f64(s, p, 2, p, 3, out, 5), SM, "out");
  SWEEP(blockwise_spline_grid_f32(sf, pf, 2, pf, 3, NULL, 6), IA, "out");
  SWEEP(blockwise_spline_sum_exp_f64(s, NULL, p, N, &r), IA, "xi");
  SWEEP(blockwise_spline_sum_exp_f64(s, p, p, N, NULL), IA, "result");
  SWEEP(blockwise_spline_sum_exp_f32(NULL, pf, pf, N, &rf), IA, "spline");

  /* Stacks. */
  SWEEP(blockwise_stack_create_f64(x, NX, y, NY, z, 2 * NX * NY, -2, &nostack), IA, "count");
  SWEEP(blockwise_stack_create_f64(x, NX, y, NY, z, NX * NY, 2, &nostack), SM, "z");
  SWEEP(blockwise_stack_create_f64(x, NX, y, NY, NULL, 2 * NX * NY, 2, &nostack), IA, "z");
  SWEEP(blockwise_stack_create_f32(xf, NX, yf, NY, zf, 2 * NX * NY, 2, NULL), IA, "stack");
  CHECK(nostack == NULL, "failed stack creates leave NULL");
  SWEEP(blockwise_stack_ev_f64(NULL, p, p, N, out, 2 * N), IA, "stack");
  SWEEP(blockwise_stack_ev_f64(st, NULL, p, N, out, 2 * N), IA, "xi");
  SWEEP(blockwise_stack_ev_f64(st, p, p, N, out, N), SM, "out");
  SWEEP(blockwise_stack_ev_f32(stf, pf, NULL, N, outf, 2 * N), IA, "yi");
  SWEEP(blockwise_stack_sum_exp_f64(st, p, p, -1, &r), IA, "n");
  SWEEP(blockwise_stack_sum_exp_f64(st, p, p, N, NULL), IA, "result");
  SWEEP(blockwise_stack_sum_exp_f32(stf, NULL, pf, N, &rf), IA, "xi");
  SWEEP(blockwise_stack_sum_exp_per_spline_f64(st, p, p, N, out, 3), SM, "out");
  SWEEP(blockwise_stack_sum_exp_per_spline_f64(st, p, p, N, NULL, 2), IA, "out");
  SWEEP(blockwise_stack_sum_exp_per_spline_f32(stf, pf, NULL, N, outf, 2), IA, "yi");
  /* A handle of the other kind. */
  SWEEP(blockwise_stack_ev_f64((blockwise_spline_stack *)s, p, p, N, out, 2 * N), IA, "stack");

  /* Expressions. */
  blockwise_expression *e = NULL, *noexpr = NULL;
  OK(blockwise_expression_create("x * y", 0, &e));
  const double *in2[2] = {p, p};
  int64_t len2[2] = {N, N};
  SWEEP(blockwise_expression_create(NULL, 0, &noexpr), IA, "source");
  SWEEP(blockwise_expression_create("x", 0, NULL), IA, "expression");
  SWEEP(blockwise_expression_create("x", 2, &noexpr), IA, "f32");
  SWEEP(blockwise_expression_evaluate_f64(NULL, in2, len2, 2, out, N), IA, "expression");
  SWEEP(blockwise_expression_evaluate_f64(e, NULL, len2, 2, out, N), IA, "inputs");
  SWEEP(blockwise_expression_evaluate_f64(e, in2, NULL, 2, out, N), IA, "inputs");
  SWEEP(blockwise_expression_evaluate_f64(e, in2, len2, -2, out, N), IA, "n_inputs");
  SWEEP(blockwise_expression_evaluate_f64(e, in2, len2, 1, out, N), SM, "inputs");
  SWEEP(blockwise_expression_evaluate_f64(e, in2, len2, 2, out, N - 1), SM, "out");
  SWEEP(blockwise_expression_evaluate_f64(e, in2, len2, 2, NULL, N), IA, "out");
  const double *in_null[2] = {p, NULL};
  SWEEP(blockwise_expression_evaluate_f64(e, in_null, len2, 2, out, N), IA, "y");
  int64_t len_neg[2] = {N, -1};
  SWEEP(blockwise_expression_evaluate_f64(e, in2, len_neg, 2, out, N), IA, "y");
  int64_t len_bad[2] = {N, N - 2};
  SWEEP(blockwise_expression_evaluate_f64(e, in2, len_bad, 2, out, N), SM, "y");
  SWEEP(blockwise_expression_reduce_f64(e, (blockwise_reduction)9, in2, len2, 2, &r), IA, "reduction");
  SWEEP(blockwise_expression_reduce_f64(e, BLOCKWISE_SUM, in2, len2, 2, NULL), IA, "result");
  const float *in2f[2] = {pf, NULL};
  SWEEP(blockwise_expression_reduce_f32(e, BLOCKWISE_SUM, in2f, len2, 2, &rf), IA, "y");
  SWEEP(blockwise_expression_reduce_f32((blockwise_expression *)st, BLOCKWISE_SUM, in2f, len2, 2, &rf), IA,
        "expression");

  blockwise_expression_free(e);
  blockwise_spline_free(s);
  blockwise_spline_free(sf);
  blockwise_stack_free(st);
  blockwise_stack_free(stf);
}

int main(void) {
  test_info();
  test_arrays();
  test_spline();
  test_stack();
  test_expression();
  test_thread_local_errors();
  test_argument_sweep();
  printf("blockwise C ABI: %d passed, %d failed (%s kernels, %lld threads; %d bad-argument cases)\n",
         checks - failures, failures, blockwise_kernel_isa(), (long long)blockwise_thread_count(), checks_run);
  if (failures) return 1;
  return 0;
}
