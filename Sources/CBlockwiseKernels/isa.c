// Run-time selection between the AVX2+FMA kernels and the portable ones,
// and the build facts every kernel call may need to report.
#include "CBlockwiseKernels.h"
#include "bw_dispatch.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

// The process-wide path: chosen once from the CPU and BLOCKWISE_ISA.
static int bw_default_path = BW_PATH_GENERIC;

static void bw_isa_detect(void) {
  // Every kernel entry point dispatches through here, so this is the first
  // kernel call of the process: the place to say the build is unoptimised.
  if (bw_debug_notice_due()) bw_report(bw_debug_build_notice());
  int path = bw_path_supported(BW_PATH_AVX2) ? BW_PATH_AVX2 : BW_PATH_GENERIC;
  const char *forced = getenv("BLOCKWISE_ISA");
  if (forced && strcmp(forced, "generic") == 0) path = BW_PATH_GENERIC;
  bw_default_path = path;
}

// Each thread's path: the process-wide one unless a test switched this
// thread (bw_path_set_for_thread). The pool hands the submitting thread's
// path to its workers with each job, so a switched thread's calls run on
// its path all the way through, while other threads are unaffected.
static _Thread_local int bw_thread_path = -1;

int bw_active_path(void) {
  int p = bw_thread_path;
  if (__builtin_expect(p >= 0, 1)) return p;
  pthread_once(&bw_isa_once, bw_isa_detect);
  return bw_thread_path = bw_default_path;
}

int bw_path_set_for_thread(int path) {
  int previous = bw_active_path();
  if (!bw_path_supported(path)) return -1;
  bw_thread_path = path;
  return previous;
}

const char *bw_isa_name(void) { return bw_path_name(bw_active_path()); }

// MARK: the dispatch table

static bw_kernel_table bw_tables[BW_PATH_COUNT];
static pthread_once_t bw_tables_once = PTHREAD_ONCE_INIT;

static void bw_tables_fill(void) {
  for (int p = 0; p < BW_PATH_COUNT; p++) {
    bw_kernel_table *t = &bw_tables[p];
    // A path this build has no kernels for gets the portable ones (it is
    // never selected: bw_path_supported says no).
    t->path = bw_path_supported(p) ? p : BW_PATH_GENERIC;
    bw_fill_reductions(t);
    bw_fill_elementwise(t);
    bw_fill_axis(t);
    bw_fill_layout(t);
    bw_fill_spline(t);
    bw_fill_bspline(t);
    bw_fill_expr_ops(t);
    t->path = p;
  }
}

const bw_kernel_table *bw_kernels_for(int path) {
  pthread_once(&bw_tables_once, bw_tables_fill);
  if (path < 0 || path >= BW_PATH_COUNT || !bw_path_supported(path)) path = BW_PATH_GENERIC;
  return &bw_tables[path];
}

// The calling thread's table, cached per thread (one TLS read per kernel
// call once warm); a thread that switches path refreshes it.
static _Thread_local const bw_kernel_table *bw_thread_table = NULL;

const bw_kernel_table *bw_kernels(void) {
  const bw_kernel_table *t = bw_thread_table;
  if (__builtin_expect(t != NULL && t->path == bw_thread_path, 1)) return t;
  return bw_thread_table = bw_kernels_for(bw_active_path());
}

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
