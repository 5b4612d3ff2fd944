// The persistent worker pool.
//
// Own pthreads rather than libdispatch: a job here is "n blocks, claimed by
// an atomic counter", and the caller runs blocks too, so exactly `threads`
// threads are busy and none is parked in a queue. concurrentPerform would
// give the same shape but sizes its width from the whole machine, not from
// the affinity mask or the cgroup quota, and offers no way to cap a call at
// k threads for the determinism tests.
#include "CBlockwiseKernels.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BW_MAX_THREADS 512

// MARK: machine facts

static int cgroup_cpu_limit(void) {
  FILE *f = fopen("/sys/fs/cgroup/cpu.max", "r");
  if (!f) return 0;
  char quota[64] = {0};
  long period = 0;
  int got = fscanf(f, "%63s %ld", quota, &period);
  fclose(f);
  if (got != 2 || strcmp(quota, "max") == 0 || period <= 0) return 0;
  long q = atol(quota);
  if (q <= 0) return 0;
  return (int)((q + period - 1) / period);
}

static int machine_threads(void) {
  int n = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) n = CPU_COUNT(&set);
  if (n <= 0) n = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (n <= 0) n = 1;
  int quota = cgroup_cpu_limit();
  if (quota > 0 && quota < n) n = quota;
  return n > BW_MAX_THREADS ? BW_MAX_THREADS : n;
}

// An unusable BLOCKWISE_NUM_THREADS is said once per process, not at every
// query: the default is read again on each call.
static atomic_int env_reported = 0;

int bw_default_threads(void) {
  int machine = machine_threads();
  const char *env = getenv("BLOCKWISE_NUM_THREADS");
  if (!env || !*env) return machine;
  char *end = NULL;
  errno = 0;
  long v = strtol(env, &end, 10);
  while (end && (*end == ' ' || *end == '\t' || *end == '\n')) end++;
  int parsed = errno == 0 && end != env && end && *end == 0;
  if (parsed && v >= 1 && v <= BW_MAX_THREADS) return (int)v;
  int used = parsed && v > BW_MAX_THREADS ? BW_MAX_THREADS : machine;
  if (atomic_exchange(&env_reported, 1) == 0) {
    fprintf(stderr,
            "blockwise: BLOCKWISE_NUM_THREADS=\"%s\" is not a thread count from 1 to %d; "
            "using %d threads\n",
            env, BW_MAX_THREADS, used);
  }
  return used;
}

int bw_max_threads(void) { return BW_MAX_THREADS; }

long bw_l2_cache_bytes(void) {
  long v = sysconf(_SC_LEVEL2_CACHE_SIZE);
  if (v > 0) return v;
  FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index2/size", "r");
  if (f) {
    long kb = 0;
    char unit = 0;
    if (fscanf(f, "%ld%c", &kb, &unit) >= 1 && kb > 0) v = (unit == 'M') ? kb << 20 : kb << 10;
    fclose(f);
    if (v > 0) return v;
  }
  return 512L * 1024;  // fallback: a typical per-core L2 of current x86 servers
}

// MARK: state

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;   // one job at a time
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER; // guards the fields below
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static unsigned long generation = 0;
static int spawned = 0;      // worker threads alive; worker w has slot w + 1
static int active = 0;       // participating workers still on the current job
static bw_block_fn job_fn;
static void *job_ctx;
static long job_blocks;
static int job_workers;      // workers (not counting the caller) on this job
static int job_path;         // the submitting thread's kernel path
static atomic_long next_block;
static atomic_int configured = 0;  // 0: not yet read
// The generation current when each worker was spawned: a worker created for
// a job must still see that job's generation bump as new work.
static unsigned long start_generation[BW_MAX_THREADS];

static _Thread_local int in_block = 0;
static _Thread_local int thread_limit = 0;

int bw_pool_in_block(void) { return in_block; }

// MARK: fork

// A child forked while the pool runs has only the forking thread: the
// workers it remembers do not exist there, and a job would wait for them
// forever. The handlers take the pool's locks around fork (so no job is
// half-published) and give the child a fresh, empty pool; its first job
// spawns workers of its own, as numexpr re-creates its pool when the pid
// changes. A fork from inside a block (which holds no pool lock of its own
// thread's making) skips the locking.
static _Thread_local int fork_locked = 0;
static void atfork_prepare(void) {
  if (in_block) return;
  pthread_mutex_lock(&job_lock);
  pthread_mutex_lock(&state_lock);
  fork_locked = 1;
}
static void atfork_parent(void) {
  if (!fork_locked) return;
  fork_locked = 0;
  pthread_mutex_unlock(&state_lock);
  pthread_mutex_unlock(&job_lock);
}
static void atfork_child(void) {
  fork_locked = 0;
  pthread_mutex_init(&job_lock, NULL);
  pthread_mutex_init(&state_lock, NULL);
  pthread_cond_init(&work_cv, NULL);
  pthread_cond_init(&done_cv, NULL);
  spawned = 0;
  active = 0;
  job_workers = 0;
  generation = 0;
}
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
static void install_atfork(void) { pthread_atfork(atfork_prepare, atfork_parent, atfork_child); }

int bw_pool_effective_threads(void) {
  if (in_block) return 1;
  int threads = bw_pool_threads();
  if (thread_limit > 0) threads = thread_limit;
  return threads < 1 ? 1 : threads;
}
int bw_thread_limit_get(void) { return thread_limit; }
void bw_thread_limit_set(int n) { thread_limit = n < 0 ? 0 : n; }

int bw_pool_threads(void) {
  int n = atomic_load(&configured);
  if (n == 0) {
    int d = bw_default_threads();
    int expected = 0;
    atomic_compare_exchange_strong(&configured, &expected, d);
    n = atomic_load(&configured);
  }
  return n;
}

void bw_pool_set_threads(int n) {
  if (n < 1) n = 1;
  if (n > BW_MAX_THREADS) n = BW_MAX_THREADS;
  atomic_store(&configured, n);
}

int bw_pool_spawned_workers(void) {
  pthread_mutex_lock(&state_lock);
  int s = spawned;
  pthread_mutex_unlock(&state_lock);
  return s;
}

static void run_blocks(bw_block_fn fn, void *ctx, long nblocks, long slot) {
  long b;
  while ((b = atomic_fetch_add_explicit(&next_block, 1, memory_order_relaxed)) < nblocks)
    fn(ctx, b, slot);
}

static void *worker_main(void *arg) {
  int index = (int)(long)arg;  // 0-based worker index; slot = index + 1
  unsigned long seen = 0;
  in_block = 1;  // anything a block calls from a worker runs inline
  pthread_mutex_lock(&state_lock);
  seen = start_generation[index];
  for (;;) {
    while (generation == seen) pthread_cond_wait(&work_cv, &state_lock);
    seen = generation;
    if (index >= job_workers) continue;
    bw_block_fn fn = job_fn;
    void *ctx = job_ctx;
    long nb = job_blocks;
    int path = job_path;
    pthread_mutex_unlock(&state_lock);
    // The submitting thread's kernel path (the same for every job unless a
    // test switched that thread).
    if (bw_active_path() != path) bw_path_set_for_thread(path);
    run_blocks(fn, ctx, nb, index + 1);
    pthread_mutex_lock(&state_lock);
    if (--active == 0) pthread_cond_signal(&done_cv);
  }
  return NULL;
}

// Called with job_lock held (so never concurrently) and state_lock not held.
static void ensure_workers(int want) {
  pthread_once(&atfork_once, install_atfork);
  pthread_mutex_lock(&state_lock);
  while (spawned < want) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    start_generation[spawned] = generation;
    int rc = pthread_create(&t, &attr, worker_main, (void *)(long)spawned);
    pthread_attr_destroy(&attr);
    if (rc != 0) break;  // run with the workers we have
    spawned++;
  }
  pthread_mutex_unlock(&state_lock);
}

void bw_pool_run(long nblocks, bw_block_fn fn, void *ctx, int max_threads) {
  if (nblocks <= 0) return;
  int threads = bw_pool_threads();
  if (thread_limit > 0) threads = thread_limit;
  if (max_threads > 0 && max_threads < threads) threads = max_threads;
  if (threads > nblocks) threads = (int)nblocks;
  if (in_block || threads <= 1) {
    int outer = in_block;
    in_block = 1;
    for (long b = 0; b < nblocks; b++) fn(ctx, b, 0);
    in_block = outer;
    return;
  }
  pthread_mutex_lock(&job_lock);
  ensure_workers(threads - 1);
  pthread_mutex_lock(&state_lock);
  int workers = threads - 1 < spawned ? threads - 1 : spawned;
  job_fn = fn;
  job_ctx = ctx;
  job_blocks = nblocks;
  job_workers = workers;
  job_path = bw_active_path();
  active = workers;
  atomic_store(&next_block, 0);
  generation++;
  pthread_cond_broadcast(&work_cv);
  pthread_mutex_unlock(&state_lock);

  in_block = 1;
  run_blocks(fn, ctx, nblocks, 0);
  in_block = 0;

  pthread_mutex_lock(&state_lock);
  while (active > 0) pthread_cond_wait(&done_cv, &state_lock);
  pthread_mutex_unlock(&state_lock);
  pthread_mutex_unlock(&job_lock);
}

// MARK: per-thread scratch

// Growable buffers per thread, freed when the thread exits: kernels that
// need working space per block (widened Float points, staging rows,
// expression registers) take it from here, so a block never allocates once
// its thread has warmed up. Slots keep different users apart.
#define BW_SCRATCH_SLOTS 2
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
typedef struct { void *ptr[BW_SCRATCH_SLOTS]; size_t bytes[BW_SCRATCH_SLOTS]; } bw_scratch_t;

static void scratch_free(void *p) {
  bw_scratch_t *s = p;
  if (s) {
    for (int i = 0; i < BW_SCRATCH_SLOTS; i++) free(s->ptr[i]);
    free(s);
  }
}
static void scratch_init(void) { pthread_key_create(&scratch_key, scratch_free); }

void *bw_scratch_slot(int slot, size_t bytes) {
  if (slot < 0 || slot >= BW_SCRATCH_SLOTS) return NULL;
  pthread_once(&scratch_once, scratch_init);
  bw_scratch_t *s = pthread_getspecific(scratch_key);
  if (!s) {
    s = calloc(1, sizeof(*s));
    if (!s) return NULL;
    pthread_setspecific(scratch_key, s);
  }
  if (s->bytes[slot] < bytes) {
    void *p = NULL;
    size_t want = bytes < 4096 ? 4096 : bytes;
    if (posix_memalign(&p, 64, want) != 0) return NULL;
    free(s->ptr[slot]);
    s->ptr[slot] = p;
    s->bytes[slot] = want;
  }
  return s->ptr[slot];
}

void *bw_scratch(size_t bytes) { return bw_scratch_slot(0, bytes); }
