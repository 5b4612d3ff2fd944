// Run-time selection between the AVX2+FMA kernels and the portable ones,
// and the build facts every kernel call may need to report.
#include "CBlockwiseKernels.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bw_isa_avx2 = 0;
static pthread_once_t bw_isa_once = PTHREAD_ONCE_INIT;

int bw_kernels_optimized(void) {
#ifdef __OPTIMIZE__
  return 1;
#else
  return 0;
#endif
}

const char *bw_debug_build_notice(void) {
  return "blockwise: the C kernels were built without optimisation (a debug build) and run "
         "10-50x slower; build with `swift build -c release`, or keep debug Swift and add "
         "`-Xcc -O2` (BLOCKWISE_QUIET_DEBUG=1 silences this line)";
}

void bw_report(const char *line) {
  fputs(line, stderr);
  fputc('\n', stderr);
}

int bw_debug_notice_due(void) {
  if (bw_kernels_optimized()) return 0;
  const char *quiet = getenv("BLOCKWISE_QUIET_DEBUG");
  return !(quiet && strcmp(quiet, "1") == 0);
}

static void bw_isa_detect(void) {
  // Every kernel entry point dispatches through here, so this is the first
  // kernel call of the process: the place to say the build is unoptimised.
  if (bw_debug_notice_due()) bw_report(bw_debug_build_notice());
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

const char *bw_path_name(int path) {
  switch (path) {
  case BW_PATH_GENERIC: return "generic";
  case BW_PATH_AVX2: return "avx2-fma";
  default: return NULL;
  }
}

int bw_path_supported(int path) {
  switch (path) {
  case BW_PATH_GENERIC: return 1;
  case BW_PATH_AVX2:
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
  default: return 0;
  }
}
