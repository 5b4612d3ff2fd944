// Worst error of Blockwise's Double exp against long double expl, over 4M
// random arguments in each of four ranges, on every kernel path this CPU
// runs, and for the scalar routine used for exceptional lanes; then the
// Float exp (float lanes) over EVERY float in [-104, 89] (all of exp's
// finite, non-zero float range, about 2.2e9 arguments) against double exp.
//
//     make exp-accuracy        # every path this CPU runs, about 10 s
//
// The unit is the ulp of the correctly rounded result (of 2^-1074 for
// subnormal results). expl carries 11 more bits than double, enough to
// resolve errors to about 0.001 ulp.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CBlockwiseKernels.h"
#include "bw_internal.h"

static uint64_t state = 7;
static double uniform(void) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(state >> 11) * 0x1p-53;
}

static double ulp_error(double y, double x) {
  long double ref = expl((long double)x);
  double rounded = (double)ref;
  if (isinf(rounded)) return y == rounded ? 0 : INFINITY;
  double a = fabs(rounded);
  double ulp = a < 0x1p-1022 ? 0x1p-1074 : nextafter(a, INFINITY) - a;
  // Just below a power of two the spacing is half as large.
  if (a >= 0x1p-1022 && (long double)a > fabsl(ref) && a == ldexp(1.0, ilogb(a)))
    ulp = a - nextafter(a, 0);
  return (double)(fabsl((long double)y - ref) / ulp);
}

// The error of y against exp(x) in ulps of the float nearest exp(x) (of
// 2^-149 for subnormal results). double exp carries 29 more bits than a
// float; its own error is far below the resolution that matters here.
static double ulp_error_f32(float y, float x) {
  double ref = exp((double)x);
  float rounded = (float)ref;
  if (isinf(rounded)) return y == rounded ? 0 : INFINITY;
  float a = fabsf(rounded);
  double ulp = a < 0x1p-126f ? 0x1p-149 : (double)(nextafterf(a, INFINITY) - a);
  if (a >= 0x1p-126f && (double)a > fabs(ref) && a == ldexpf(1.0f, ilogbf(a))) ulp = (double)(a - nextafterf(a, 0));
  return fabs((double)y - ref) / ulp;
}

// Every float in [-104, 89], a block of 2^20 at a time, per path.
static int exp_f32_exhaustive(void) {
  enum { B = 1 << 20 };
  float *x = malloc(B * sizeof(float)), *y = malloc(B * sizeof(float));
  int ok = 1;
  for (int path = 0; path < BW_PATH_COUNT; path++) {
    if (!bw_path_supported(path)) continue;
    bw_path_set_for_thread(path);
    double worst = 0;
    float at = 0;
    long count = 0;
    // Non-negative floats up to 89, then negative ones down to -104, by bits.
    for (int sign = 0; sign < 2; sign++) {
      uint32_t top = sign ? 0x42D00000u : 0x42B20000u;  // 104, 89
      for (uint32_t b0 = 0; b0 <= top; b0 += B) {
        long len = 0;
        for (uint32_t b = b0; b <= top && len < B; b++, len++) {
          uint32_t bits = b | (sign ? 0x80000000u : 0);
          memcpy(&x[len], &bits, 4);
        }
        bw_exp_f32(x, y, len);
        for (long i = 0; i < len; i++) {
          double e = ulp_error_f32(y[i], x[i]);
          if (e > worst) { worst = e; at = x[i]; }
        }
        count += len;
      }
    }
    printf("exp Float, kernels: %s; every float in [-104, 89] (%ld): worst %.4f ulp (x = %.9g)\n", bw_isa_name(),
           count, worst, (double)at);
    ok &= worst <= 1.0;
  }
  free(x);
  free(y);
  return ok ? 0 : 1;
}

int main(void) {
  const long n = 4000000;
  double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double));
  const char *names[] = {"[-708, 708]", "[-1, 1]", "subnormal results", "edges [-746,-708] U [708,709.78]"};
  for (int path = 0; path < BW_PATH_COUNT; path++) {
  if (!bw_path_supported(path)) {
    printf("exp Double, kernels: %s: not run on this CPU\n", bw_path_name(path));
    continue;
  }
  bw_path_set_for_thread(path);
  printf("exp Double, kernels: %s; %ld arguments per range\n", bw_isa_name(), n);
  for (int range = 0; range < 4; range++) {
    for (long i = 0; i < n; i++) {
      double u = uniform();
      x[i] = range == 0 ? -708 + 1416 * u
           : range == 1 ? -1 + 2 * u
           : range == 2 ? -745.13 + (745.13 - 708.4) * u
           : (i & 1) ? -746 + 38 * u : 708 + 1.78 * u;
    }
    bw_exp_f64(x, y, n);
    double worst = 0, at = 0, worst1 = 0, at1 = 0;
    for (long i = 0; i < n; i++) {
      double e = ulp_error(y[i], x[i]);
      if (e > worst) { worst = e; at = x[i]; }
      e = ulp_error(bw_exp1(x[i]), x[i]);
      if (e > worst1) { worst1 = e; at1 = x[i]; }
    }
    printf("  %-34s array kernel %.4f ulp (x = %.17g); scalar %.4f ulp (x = %.17g)\n", names[range], worst, at,
           worst1, at1);
  }
  }
  free(x);
  free(y);
  return exp_f32_exhaustive();
}
