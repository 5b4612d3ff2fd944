// Run-time selection between the AVX2+FMA kernels and the portable ones.
#include "CBlockwiseKernels.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int bw_isa_avx2 = 0;
static pthread_once_t bw_isa_once = PTHREAD_ONCE_INIT;

static void bw_isa_detect(void) {
  __builtin_cpu_init();
  int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const char *forced = getenv("BLOCKWISE_ISA");
  if (forced && strcmp(forced, "generic") == 0) avx2 = 0;
  bw_isa_avx2 = avx2;
}

int bw_isa_is_avx2(void) {
  pthread_once(&bw_isa_once, bw_isa_detect);
  return bw_isa_avx2;
}

const char *bw_isa_name(void) { return bw_isa_is_avx2() ? "avx2-fma" : "generic"; }
