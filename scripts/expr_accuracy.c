// Worst error of every expression function over its whole domain, on the
// kernel path in use (BLOCKWISE_ISA=generic forces the portable one), for
// Double and Float: `make expression-accuracy`, run by `make test`.
//
// Reference: glibc's long double functions (64-bit significand, about 2^11
// times finer than a Double ulp) for Double; the double functions for
// Float. Error is |y - ref| in ulps of the correctly rounded result. Each
// function gets 10^6 arguments: log-uniform magnitudes over the whole
// exponent range with both signs, and dense samples where results are
// hard (near 0, near 1, near domain edges, near the overflow and underflow
// thresholds). Exits non-zero when a function exceeds 1 ulp or gets a
// special value wrong.
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CBlockwiseKernels.h"

#ifndef N
#define N 1000000  // arguments per function (the aarch64 harness under qemu uses fewer)
#endif

static uint64_t rng_state = 0x2026112314ULL;
static uint64_t next64(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
static double uni(double lo, double hi) { return lo + (hi - lo) * ((next64() >> 11) * 0x1p-53); }

typedef long double (*ref1)(long double);
typedef long double (*ref2)(long double, long double);

typedef struct {
  const char *name;
  int op;
  ref1 f1;
  ref2 f2;
  double lo, hi;     // dense range
  double edge_lo, edge_hi;  // hard region (e.g. near overflow)
} fn_t;




static const fn_t fns[] = {
    {"exp", BW_X_EXP, expl, NULL, -50, 50, 700, 710},
    {"expm1", BW_X_EXPM1, expm1l, NULL, -1, 1, 700, 710},
    {"log", BW_X_LOG, logl, NULL, 0.5, 2, 0, 1e-300},
    {"log2", BW_X_LOG2, log2l, NULL, 0.5, 2, 0, 1e-300},
    {"log10", BW_X_LOG10, log10l, NULL, 0.5, 2, 0, 1e-300},
    {"log1p", BW_X_LOG1P, log1pl, NULL, -1, 1, 1e300, DBL_MAX},
    {"sin", BW_X_SIN, sinl, NULL, -10, 10, 1e5, 1e22},
    {"cos", BW_X_COS, cosl, NULL, -10, 10, 1e5, 1e22},
    {"tan", BW_X_TAN, tanl, NULL, -10, 10, 1e5, 1e22},
    {"arcsin", BW_X_ASIN, asinl, NULL, -1, 1, 0.99, 1},
    {"arccos", BW_X_ACOS, acosl, NULL, -1, 1, 0.99, 1},
    {"arctan", BW_X_ATAN, atanl, NULL, -10, 10, 1e10, 1e300},
    {"sinh", BW_X_SINH, sinhl, NULL, -10, 10, 700, 711},
    {"cosh", BW_X_COSH, coshl, NULL, -10, 10, 700, 711},
    {"tanh", BW_X_TANH, tanhl, NULL, -5, 5, 10, 30},
    {"arcsinh", BW_X_ASINH, asinhl, NULL, -10, 10, 1e300, DBL_MAX},
    {"arccosh", BW_X_ACOSH, acoshl, NULL, 1, 10, 1e300, DBL_MAX},
    {"arctanh", BW_X_ATANH, atanhl, NULL, -1, 1, 0.999, 1},
    {"arctan2", BW_X_ATAN2, NULL, atan2l, -10, 10, 1e-300, 1e300},
    {"hypot", BW_X_HYPOT, NULL, hypotl, -10, 10, 1e300, DBL_MAX},
    {"pow", BW_X_POW, NULL, powl, 0, 10, 0.5, 2},
    {"fmod", BW_X_FMOD, NULL, fmodl, -10, 10, 1e300, DBL_MAX},
};

// An argument of the whole domain, by kind of sample.
static double argument(const fn_t *f, long i, int is_float) {
  double maxv = is_float ? FLT_MAX : DBL_MAX;
  double minexp = is_float ? -149 : -1074, maxexp = is_float ? 127.9 : 1023.9;
  double edge_lo = f->edge_lo, edge_hi = f->edge_hi;
  if (is_float) {  // the same hard regions, at Float's scale
    if (edge_hi == DBL_MAX) edge_hi = FLT_MAX;
    if (edge_lo >= 1e30) edge_lo = 1e30;
    if (edge_lo == 700) { edge_lo = 85; edge_hi = 89.5; }
    if (edge_hi == 1e22) edge_hi = 1e9;
    if (edge_hi == 1e300) edge_hi = 1e30;
    if (edge_lo == 1e300) edge_lo = 1e30;
    if (edge_hi == 1e-300) edge_hi = 1e-30;
    if (edge_lo == 1e-300) edge_lo = 1e-30;
  }
  switch (i % 4) {
    case 0: return uni(f->lo, f->hi);
    case 1: return uni(edge_lo, edge_hi) * ((i & 8) && f->lo < 0 ? -1 : 1);
    case 2: return (next64() & 1 ? -1 : 1) * exp2(uni(minexp, maxexp));
    default: {
      double v = uni(-1, 1) * exp2(uni(-60, 12));
      return v > maxv ? maxv : v;
    }
  }
}

static double ulp_of(long double ref, int is_float) {
  if (is_float) {
    float r = (float)ref;
    if (r == 0 || !isfinite(r)) return FLT_TRUE_MIN;
    return fmaxf(nextafterf(fabsf(r), INFINITY) - fabsf(r), FLT_TRUE_MIN);
  }
  double r = (double)ref;
  if (r == 0 || !isfinite(r)) return DBL_TRUE_MIN;
  // Just below a power of two the spacing below is half the spacing above.
  double up = nextafter(fabs(r), INFINITY) - fabs(r);
  double down = fabs(r) - nextafter(fabs(r), 0);
  return fabsl(ref) < fabs(r) ? down : up;
}

static double error_ulp(double y, long double ref, int is_float) {
  double rounded = is_float ? (double)(float)ref : (double)ref;
  if (isnan(ref)) return isnan(y) ? 0 : INFINITY;
  if (isinf(rounded) || isinf(y)) return y == rounded ? 0 : INFINITY;
  if (isnan(y)) return INFINITY;
  return (double)(fabsl((long double)y - ref) / ulp_of(ref, is_float));
}

static double *x64, *b64, *y64;
static float *x32, *b32, *y32;

static int run(const fn_t *f, int is_float) {
  int two = f->f2 != NULL;
  for (long i = 0; i < N; i++) {
    double a = argument(f, i, is_float), b = 1;
    if (two) {
      b = argument(f, i + 1, is_float);
      if (f->op == BW_X_POW) {  // powers that stay finite mostly: base > 0, moderate exponent
        a = fabs(a);
        b = uni(-30, 30);
        if (i % 5 == 0) { a = uni(0.5, 2); b = uni(-1000, 1000); }
      }
    }
    if (is_float) { x32[i] = (float)a; b32[i] = (float)b; } else { x64[i] = a; b64[i] = b; }
  }
  if (is_float) bw_expr_op_f32(f->op, N, y32, x32, 1, b32, 1, b32, 1);
  else bw_expr_op_f64(f->op, N, y64, x64, 1, b64, 1, b64, 1);
  double worst = 0, at = 0, at_b = 0;
  for (long i = 0; i < N; i++) {
    long double a = is_float ? x32[i] : x64[i], b = is_float ? b32[i] : b64[i];
    long double ref = two ? f->f2(a, b) : f->f1(a);
    if (is_float) ref = (long double)(two ? (double)f->f2(a, b) : (double)f->f1(a));
    double y = is_float ? y32[i] : y64[i];
    double e = error_ulp(y, ref, is_float);
    if (e > worst || e != e) { worst = e; at = (double)a; at_b = (double)b; }
  }
  int ok = worst <= 1.0;
  if (two) printf("  %-8s %-6s worst %.3f ulp at (%.17g, %.17g)%s\n", f->name, is_float ? "Float" : "Double", worst, at, at_b, ok ? "" : "  FAIL");
  else printf("  %-8s %-6s worst %.3f ulp at %.17g%s\n", f->name, is_float ? "Float" : "Double", worst, at, ok ? "" : "  FAIL");
  return ok;
}

// An argument names the one path to run (make test-avx512-emulated).
int main(int argc, char **argv) {
  const char *only = argc > 1 ? argv[1] : NULL;
  x64 = malloc(N * sizeof(double)); b64 = malloc(N * sizeof(double)); y64 = malloc(N * sizeof(double));
  x32 = malloc(N * sizeof(float)); b32 = malloc(N * sizeof(float)); y32 = malloc(N * sizeof(float));
  int ok = 1;
  // Every kernel path this CPU runs, switched in process.
  for (int path = 0; path < BW_PATH_COUNT; path++) {
    if (only && strcmp(only, bw_path_name(path)) != 0) continue;
    if (!bw_path_supported(path)) {
      printf("expression functions on the %s path: not run on this CPU\n", bw_path_name(path));
      continue;
    }
    bw_path_set_for_thread(path);
    printf("expression functions on the %s path, %d arguments each\n", bw_isa_name(), N);
    for (size_t k = 0; k < sizeof(fns) / sizeof(fns[0]); k++) {
      ok &= run(&fns[k], 0);
      ok &= run(&fns[k], 1);
    }
  }
  printf(ok ? "all within 1 ulp\n" : "SOME FUNCTION EXCEEDS 1 ULP\n");
  return ok ? 0 : 1;
}
