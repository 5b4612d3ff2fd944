// Array storage: aligned allocation, huge pages for large arrays, and a
// bounded cache of large freed buffers.
//
// A fresh large buffer costs more than the kernel that fills it: Linux
// hands out zeroed pages on first touch, so `a + v` of 800 MB spent more
// time in page faults and zeroing than in the addition (dev machine: 112 ms
// against 47 ms of memory traffic). Large buffers freed by arrays are
// therefore kept, up to a limit, and handed to the next array of about the
// same size: the loops numeric code is made of (a temporary per iteration,
// the same size every time) then touch no new pages.
#include "CBlockwiseKernels.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BW_LARGE ((size_t)4 << 20)   // 4 MiB: huge pages and caching from here
#define BW_HUGE_ALIGN ((size_t)2 << 20)
#define BW_CACHE_SLOTS 16

typedef struct {
  void *p;
  size_t bytes;
} bw_block;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static bw_block cache[BW_CACHE_SLOTS];  // oldest first
static int cache_count = 0;
static size_t cache_bytes = 0;
static size_t cache_limit = 0;
static pthread_once_t limit_once = PTHREAD_ONCE_INIT;

// Default: an eighth of physical memory, at most 4 GiB;
// BLOCKWISE_ARRAY_CACHE_MB overrides (0 turns the cache off).
static void read_limit(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  size_t phys = pages > 0 && page > 0 ? (size_t)pages * (size_t)page : 0;
  size_t lim = phys / 8;
  if (lim > ((size_t)4 << 30)) lim = (size_t)4 << 30;
  const char *env = getenv("BLOCKWISE_ARRAY_CACHE_MB");
  if (env && *env) {
    char *end = NULL;
    long long mb = strtoll(env, &end, 10);
    if (end && *end == 0 && mb >= 0) lim = (size_t)mb << 20;
    else bw_report("blockwise: BLOCKWISE_ARRAY_CACHE_MB is not a size in MiB; using the default");
  }
  cache_limit = lim;
}

// Fork: the child gets the cache's blocks (its copy of the address space)
// and a usable lock.
static void cache_prepare(void) { pthread_mutex_lock(&cache_lock); }
static void cache_parent(void) { pthread_mutex_unlock(&cache_lock); }
static void cache_child(void) { pthread_mutex_init(&cache_lock, NULL); }
static pthread_once_t cache_atfork_once = PTHREAD_ONCE_INIT;
static void cache_install_atfork(void) { pthread_atfork(cache_prepare, cache_parent, cache_child); }

static size_t rounded(size_t bytes) { return (bytes + BW_HUGE_ALIGN - 1) & ~(BW_HUGE_ALIGN - 1); }

void *bw_alloc(size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes < BW_LARGE) {
    void *p = NULL;
    return posix_memalign(&p, 64, bytes) == 0 ? p : NULL;
  }
  size_t want = rounded(bytes);
  if (want < bytes) return NULL;  // size_t overflow
  pthread_once(&limit_once, read_limit);
  pthread_once(&cache_atfork_once, cache_install_atfork);
  pthread_mutex_lock(&cache_lock);
  // Best fit among blocks at most a quarter larger than asked for.
  int best = -1;
  for (int i = 0; i < cache_count; i++) {
    if (cache[i].bytes >= want && cache[i].bytes - want <= want / 4 &&
        (best < 0 || cache[i].bytes < cache[best].bytes))
      best = i;
  }
  if (best >= 0) {
    void *p = cache[best].p;
    cache_bytes -= cache[best].bytes;
    memmove(cache + best, cache + best + 1, (size_t)(cache_count - best - 1) * sizeof(bw_block));
    cache_count--;
    pthread_mutex_unlock(&cache_lock);
    return p;
  }
  pthread_mutex_unlock(&cache_lock);
  // Large arrays: 2 MiB aligned and marked for transparent huge pages, as
  // numpy does for arrays of 4 MiB and more (Debian's THP setting is
  // "madvise": without the advice every 4 KiB page faults on its own).
  void *p = NULL;
  if (posix_memalign(&p, BW_HUGE_ALIGN, want) != 0) return NULL;
#ifdef MADV_HUGEPAGE
  madvise(p, want, MADV_HUGEPAGE);
#endif
  return p;
}

void bw_free(void *p, size_t bytes) {
  if (!p) return;
  if (bytes < BW_LARGE) {
    free(p);
    return;
  }
  size_t have = rounded(bytes);
  pthread_once(&limit_once, read_limit);
  void *evicted[BW_CACHE_SLOTS];
  int n_evicted = 0;
  int kept = 0;
  pthread_mutex_lock(&cache_lock);
  if (have <= cache_limit) {
    // Oldest blocks make room.
    while (cache_count > 0 && (cache_bytes + have > cache_limit || cache_count == BW_CACHE_SLOTS)) {
      evicted[n_evicted++] = cache[0].p;
      cache_bytes -= cache[0].bytes;
      memmove(cache, cache + 1, (size_t)(cache_count - 1) * sizeof(bw_block));
      cache_count--;
    }
    cache[cache_count++] = (bw_block){p, have};
    cache_bytes += have;
    kept = 1;
  }
  pthread_mutex_unlock(&cache_lock);
  for (int i = 0; i < n_evicted; i++) free(evicted[i]);
  if (!kept) free(p);
}

size_t bw_alloc_cache_bytes(void) {
  pthread_mutex_lock(&cache_lock);
  size_t b = cache_bytes;
  pthread_mutex_unlock(&cache_lock);
  return b;
}

size_t bw_alloc_cache_limit(void) {
  pthread_once(&limit_once, read_limit);
  return cache_limit;
}

void bw_alloc_cache_release(void) {
  pthread_mutex_lock(&cache_lock);
  bw_block drop[BW_CACHE_SLOTS];
  int n = cache_count;
  memcpy(drop, cache, (size_t)n * sizeof(bw_block));
  cache_count = 0;
  cache_bytes = 0;
  pthread_mutex_unlock(&cache_lock);
  for (int i = 0; i < n; i++) free(drop[i].p);
}
