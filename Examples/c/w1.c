/*
 * Seed 001's W1 from C: 50 bilinear splines on one 50x50 grid, summing
 * exp of every spline at a million points, through libBlockwiseC.
 *
 *   make example-c        # builds the library and this file, runs it
 *   cc -std=c99 -I Sources/BlockwiseC/include Examples/c/w1.c \
 *      -L .build/release -lBlockwiseC -Wl,-rpath,$PWD/.build/release -o w1
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "blockwise.h"

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Uniform in [lo, hi) from a 64-bit LCG (the data only need to be spread). */
static double uniform(unsigned long long *s, double lo, double hi) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return lo + (hi - lo) * (double)(*s >> 11) * 0x1p-53;
}

int main(int argc, char **argv) {
  const int64_t splines = 50, grid = 50;
  const int64_t points = argc > 1 ? atol(argv[1]) : 1000000;
  double *axis = malloc(grid * sizeof(double));
  double *z = malloc(splines * grid * grid * sizeof(double));
  double *xi = malloc(points * sizeof(double)), *yi = malloc(points * sizeof(double));
  if (!axis || !z || !xi || !yi) return 1;
  unsigned long long s = 1;
  for (int64_t i = 0; i < grid; i++) axis[i] = (double)i;
  for (int64_t k = 0; k < splines * grid * grid; k++) z[k] = uniform(&s, 0, 1);
  for (int64_t i = 0; i < points; i++) {
    xi[i] = uniform(&s, 0, grid - 1);
    yi[i] = uniform(&s, 0, grid - 1);
  }

  blockwise_spline_stack *stack = NULL;
  if (blockwise_stack_create_f64(axis, grid, axis, grid, z, splines * grid * grid, splines, &stack) != BLOCKWISE_OK) {
    fprintf(stderr, "stack: %s\n", blockwise_last_error());
    return 1;
  }
  double total = 0, best = 1e30;
  for (int run = 0; run < 5; run++) {
    double t0 = seconds();
    if (blockwise_stack_sum_exp_f64(stack, xi, yi, points, &total) != BLOCKWISE_OK) {
      fprintf(stderr, "sum_exp: %s\n", blockwise_last_error());
      return 1;
    }
    double t = seconds() - t0;
    if (t < best) best = t;
  }
  printf("W1: %lld splines x %lld points: sum of exp = %.17g in %.1f ms (best of 5; %s kernels, %lld threads, "
         "Blockwise %s)\n",
         (long long)splines, (long long)points, total, best * 1e3, blockwise_kernel_isa(),
         (long long)blockwise_thread_count(), blockwise_version());
  blockwise_stack_free(stack);
  free(axis); free(z); free(xi); free(yi);
  return 0;
}
