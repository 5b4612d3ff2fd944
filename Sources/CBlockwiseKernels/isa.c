// Run-time selection of the kernel path (CPUID and XGETBV on x86-64,
// getauxval(AT_HWCAP) on aarch64), the one dispatch table per path, and
// the build facts every kernel call may need to report. Every x86
// instruction and builtin here is behind `defined(__x86_64__)`, so the
// file builds for any target.
#include "CBlockwiseKernels.h"
#include "bw_dispatch.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

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

// MARK: what the CPU and the OS support

typedef struct {
  int avx2_fma;  // AVX2 and FMA, with the OS saving YMM state
  int avx512;    // AVX-512 F, DQ, VL, with the OS saving opmask and ZMM state
  int neon;      // Advanced SIMD (every aarch64 CPU)
} bw_cpu;

static bw_cpu bw_cpu_detect(void) {
  bw_cpu f = {0, 0, 0};
#if defined(__x86_64__)
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
  if (!osxsave || !avx) return f;  // no XGETBV, or no AVX state to save
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  unsigned long long xcr0 = ((unsigned long long)hi << 32) | lo;
  int ymm_state = (xcr0 & 0x6) == 0x6;     // XMM and YMM registers saved by the OS
  int zmm_state = (xcr0 & 0xe6) == 0xe6;   // ... and opmask, ZMM_Hi256, Hi16_ZMM
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return f;
  int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512vl = (b >> 31) & 1;
  f.avx2_fma = ymm_state && avx2 && fma;
  f.avx512 = f.avx2_fma && zmm_state && avx512f && avx512dq && avx512vl;
#if defined(BW_EMULATE_AVX512)
  // Test builds only: the AVX-512 kernels are emulated on AVX2 (target_avx512.c).
  f.avx512 = f.avx2_fma;
#endif
#elif defined(__aarch64__) && defined(__linux__)
  f.neon = (getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0;
#elif defined(__aarch64__)
  f.neon = 1;
#endif
  return f;
}

static bw_cpu bw_cpu_features;
static pthread_once_t bw_cpu_once = PTHREAD_ONCE_INIT;
static void bw_cpu_init(void) { bw_cpu_features = bw_cpu_detect(); }
static bw_cpu bw_cpu_get(void) {
  pthread_once(&bw_cpu_once, bw_cpu_init);
  return bw_cpu_features;
}

const char *bw_cpu_summary(void) {
  bw_cpu f = bw_cpu_get();
#if defined(BW_EMULATE_AVX512)
  if (f.avx512) return "x86-64 with AVX2 and FMA, AVX-512 emulated (test build)";
#endif
  if (f.avx512) return "x86-64 with AVX-512 (F, DQ, VL), AVX2, FMA";
  if (f.avx2_fma) return "x86-64 with AVX2 and FMA, no AVX-512";
  if (f.neon) return "aarch64 with Advanced SIMD (NEON)";
#if defined(__x86_64__)
  return "x86-64 without AVX2+FMA";
#else
  return "a CPU without a vector path of this build";
#endif
}

// MARK: choosing the path

// The process-wide path: chosen once from the CPU and BLOCKWISE_ISA.
static int bw_default_path = BW_PATH_GENERIC;

// The best path this build and CPU run.
static int bw_best_path(void) {
  for (int p = BW_PATH_COUNT - 1; p > BW_PATH_GENERIC; p--)
    if (bw_path_supported(p)) return p;
  return BW_PATH_GENERIC;
}

static void bw_isa_detect(void) {
  // Every kernel entry point dispatches through here, so this is the first
  // kernel call of the process: the place to say the build is unoptimised.
  if (bw_debug_notice_due()) bw_report(bw_debug_build_notice());
  int path = bw_best_path();
  const char *forced = getenv("BLOCKWISE_ISA");
  if (forced && *forced) {
    // The names users write, each a path; one this CPU (or build) cannot
    // run falls back to the best it can, and one line says so.
    static const struct { const char *name; int path; } names[] = {
        {"generic", BW_PATH_GENERIC}, {"avx2", BW_PATH_AVX2}, {"avx2-fma", BW_PATH_AVX2},
        {"avx512", BW_PATH_AVX512}, {"neon", BW_PATH_NEON}};
    int found = -2;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
      if (strcmp(forced, names[k].name) == 0) found = names[k].path;
    char line[256];
    if (found == -2) {
      snprintf(line, sizeof line, "blockwise: BLOCKWISE_ISA=%s: expected avx512, avx2, neon or generic; using %s",
               forced, bw_path_name(path));
      bw_report(line);
    } else if (!bw_path_supported(found)) {
      snprintf(line, sizeof line, "blockwise: BLOCKWISE_ISA=%s: this CPU (%s) cannot run it; using %s", forced,
               bw_cpu_summary(), bw_path_name(path));
      bw_report(line);
    } else {
      path = found;
    }
  }
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
    // A path this build or CPU cannot run gets the generic kernels (it is
    // never selected: bw_path_supported says no).
    bw_fill_generic(t);
    if (bw_path_supported(p)) {
#if defined(__x86_64__)
      if (p == BW_PATH_AVX2) bw_fill_avx2(t);
      if (p == BW_PATH_AVX512) bw_fill_avx512(t);
#endif
#if defined(__aarch64__)
      if (p == BW_PATH_NEON) bw_fill_neon(t);
#endif
    }
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
  case BW_PATH_AVX512: return "avx512";
  case BW_PATH_NEON: return "neon";
  default: return NULL;
  }
}

int bw_path_supported(int path) {
  switch (path) {
  case BW_PATH_GENERIC: return 1;
  case BW_PATH_AVX2: return bw_cpu_get().avx2_fma;  // x86-64 builds only (never set elsewhere)
  case BW_PATH_AVX512: return bw_cpu_get().avx512;
  case BW_PATH_NEON: return bw_cpu_get().neon;      // aarch64 builds only
  default: return 0;
  }
}
