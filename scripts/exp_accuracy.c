// Worst error of Blockwise's Double exp against long double expl, over 4M
// random arguments in each of four ranges, on every kernel path this CPU
// runs, and for the scalar routine used for exceptional lanes. (The Float
// exp is checked on every float: scripts/expf_exhaustive.c.)
//
//     make exp-accuracy        # every path this CPU runs, about 10 s
//
// The unit is the ulp of the correctly rounded result (of 2^-1074 for
// subnormal results). expl carries 11 more bits than double, enough to
// resolve errors to about 0.001 ulp.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
  return 0;
}
