// Blockwise's Float exp (float lanes, vec/bw_vec_exp.h) on EVERY float in
// [-104, 89] (all of exp's finite, non-zero float range, about 2.2e9
// arguments), on every kernel path this CPU runs, against double exp: the
// worst error in ulps of the float nearest exp(x) (of 2^-149 for subnormal
// results). The documented bound is below 1 ulp, so every result is the
// correctly rounded float or a neighbour of it. double exp carries 29 more
// bits than a float; its own error is far below the resolution that
// matters. Two threads per path (each switched to the path).
//
//     make expf-exhaustive     # part of make test; about 50 s per path on
//                              # the 2-core dev machine
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CBlockwiseKernels.h"

static double ulp_error_f32(float y, float x) {
  double ref = exp((double)x);
  float rounded = (float)ref;
  if (isinf(rounded)) return y == rounded ? 0 : INFINITY;
  float a = fabsf(rounded);
  double ulp = a < 0x1p-126f ? 0x1p-149 : (double)(nextafterf(a, INFINITY) - a);
  if (a >= 0x1p-126f && (double)a > fabs(ref) && a == ldexpf(1.0f, ilogbf(a))) ulp = (double)(a - nextafterf(a, 0));
  return fabs((double)y - ref) / ulp;
}

typedef struct {
  int path, sign;
  double worst;
  float at;
  long count;
} job;

// One sign's floats, by bits: non-negative up to 89, or negative down to -104.
static void *run(void *arg) {
  job *j = arg;
  enum { B = 1 << 16 };
  static __thread float x[B], y[B];
  bw_path_set_for_thread(j->path);
  uint32_t top = j->sign ? 0x42D00000u : 0x42B20000u;
  for (uint64_t b0 = 0; b0 <= top; b0 += B) {
    long len = 0;
    for (uint64_t b = b0; b <= top && len < B; b++, len++) {
      uint32_t bits = (uint32_t)b | (j->sign ? 0x80000000u : 0);
      memcpy(&x[len], &bits, 4);
    }
    bw_exp_f32(x, y, len);
    for (long i = 0; i < len; i++) {
      double e = ulp_error_f32(y[i], x[i]);
      if (e > j->worst) { j->worst = e; j->at = x[i]; }
    }
    j->count += len;
  }
  return NULL;
}

// An argument names the one path to run (make test-avx512-emulated).
int main(int argc, char **argv) {
  const char *only = argc > 1 ? argv[1] : NULL;
  int ok = 1, checked = 0;
  for (int path = 0; path < BW_PATH_COUNT; path++) {
    if (only && strcmp(only, bw_path_name(path)) != 0) continue;
    if (!bw_path_supported(path)) {
      printf("exp Float, kernels: %s: not run on this CPU\n", bw_path_name(path));
      continue;
    }
    job jobs[2] = {{path, 0, 0, 0, 0}, {path, 1, 0, 0, 0}};
    pthread_t t[2];
    for (int k = 0; k < 2; k++) pthread_create(&t[k], NULL, run, &jobs[k]);
    for (int k = 0; k < 2; k++) pthread_join(t[k], NULL);
    job *w = jobs[0].worst >= jobs[1].worst ? &jobs[0] : &jobs[1];
    int pass = w->worst < 1.0;
    printf("exp Float, kernels: %s; every float in [-104, 89] (%ld): worst %.4f ulp (x = %.9g)%s\n",
           bw_path_name(path), jobs[0].count + jobs[1].count, w->worst, (double)w->at, pass ? "" : "  FAIL");
    ok &= pass;
    checked++;
  }
  printf("Float exp exhaustive: %d passed, %d failed\n", ok ? checked : 0, ok ? 0 : 1);
  return ok ? 0 : 1;
}
