// W1's limit probe: how fast can 50 bilinear splines on a 50x50 grid be
// summed as sum exp(f_k(x_i, y_i)) over 10^6 random points by hand-written
// C with every shortcut a specialist would take, on this machine?
//
// Shortcuts (all of them outside what Blockwise's general kernels may
// assume): the points are counting-sorted by cell first (included in the
// time), so each cell's four coefficient runs stay in L1 while its points
// are evaluated; coefficient runs are padded to the vector width and the
// padding lanes masked out; exp is a polynomial with no range checks (the
// values lie in [0, 1]); two threads split the sorted points in halves.
// Variants: AVX2+FMA and AVX-512 (where the CPU has it), Double and Float
// (float lanes, sums in double), each the median of 7 runs.
//
//     make bench-limits     (also part of make bench-compare)
//
// Independent of Blockwise's sources: its own layout, exp and threads.
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

enum { N = 50, G = 50, M = 1000000, CELLS = (G - 1) * (G - 1), NP = 64, REPEATS = 7, THREADS = 2 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint64_t rng = 88172645463325252ULL;
static double uniform01(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (double)(rng >> 11) * 0x1p-53;
}

// Inputs and the cell-major coefficients [cell][A B C D][NP].
static double z[N][G][G], xs[M], ys[M];
static double coef_d[CELLS * 4 * NP] __attribute__((aligned(64)));
static float coef_f[CELLS * 4 * NP] __attribute__((aligned(64)));
// Points sorted by cell: offsets within the cell and the cell's start.
static double tx_s[M], ty_s[M];
static int32_t cell_s[M], count[CELLS + 1];

static void sort_points(void) {
  memset(count, 0, sizeof count);
  static int32_t cell_of[M];
  for (long p = 0; p < M; p++) {
    int i = (int)xs[p], j = (int)ys[p];
    if (i > G - 2) i = G - 2;
    if (j > G - 2) j = G - 2;
    cell_of[p] = i * (G - 1) + j;
    count[cell_of[p] + 1]++;
  }
  for (int c = 1; c <= CELLS; c++) count[c] += count[c - 1];
  static int32_t next[CELLS];
  memcpy(next, count, sizeof next);
  for (long p = 0; p < M; p++) {
    int32_t c = cell_of[p], q = next[c]++;
    int i = c / (G - 1), j = c % (G - 1);
    tx_s[q] = xs[p] - i;
    ty_s[q] = ys[p] - j;
    cell_s[q] = c;
  }
}

#if defined(__x86_64__)
#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma")))

// exp on [0, 1] (the probe's values), no range checks: 2^k with k =
// round(x log2 e), r = x - k ln 2 in two parts, degree-11 Taylor in Estrin
// form (truncation below 1e-16 relative on |r| <= ln2/2).
#define EXP_POLY(V, FMA, MUL, ADD, SET1, R)                                                   \
  V r2 = MUL(R, R), r4 = MUL(r2, r2), r8 = MUL(r4, r4);                                      \
  V p01 = FMA(R, SET1(1.0), SET1(1.0)), p23 = FMA(R, SET1(1.0 / 6), SET1(0.5));              \
  V p45 = FMA(R, SET1(1.0 / 120), SET1(1.0 / 24)), p67 = FMA(R, SET1(1.0 / 5040), SET1(1.0 / 720)); \
  V p89 = FMA(R, SET1(1.0 / 362880), SET1(1.0 / 40320)), pab = FMA(R, SET1(1.0 / 39916800), SET1(1.0 / 3628800)); \
  V p03 = FMA(p23, r2, p01), p47 = FMA(p67, r2, p45), p8b = FMA(pab, r2, p89);               \
  V poly = FMA(FMA(p8b, r4, p47), r4, p03);                                                   \
  (void)r8;

AVX2 static inline __m256d exp4(__m256d x) {
  __m256d k = _mm256_round_pd(_mm256_mul_pd(x, _mm256_set1_pd(1.4426950408889634)), _MM_FROUND_TO_NEAREST_INT);
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(6.93147180369123816490e-01), x);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(1.90821492927058770002e-10), r);
  EXP_POLY(__m256d, _mm256_fmadd_pd, _mm256_mul_pd, _mm256_add_pd, _mm256_set1_pd, r)
  __m256i e = _mm256_slli_epi64(_mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(k)), _mm256_set1_epi64x(1023)), 52);
  return _mm256_mul_pd(poly, _mm256_castsi256_pd(e));
}

AVX2 static inline __m256 exp8f(__m256 x) {
  __m256 k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT);
  __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693145751953125f), x);
  r = _mm256_fnmadd_ps(k, _mm256_set1_ps(1.428606765330187e-06f), r);
  __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(1.0f / 720), r, _mm256_set1_ps(1.0f / 120));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

AVX512 static inline __m512d exp8(__m512d x) {
  __m512d k = _mm512_roundscale_pd(_mm512_mul_pd(x, _mm512_set1_pd(1.4426950408889634)), _MM_FROUND_TO_NEAREST_INT);
  __m512d r = _mm512_fnmadd_pd(k, _mm512_set1_pd(6.93147180369123816490e-01), x);
  r = _mm512_fnmadd_pd(k, _mm512_set1_pd(1.90821492927058770002e-10), r);
  EXP_POLY(__m512d, _mm512_fmadd_pd, _mm512_mul_pd, _mm512_add_pd, _mm512_set1_pd, r)
  return _mm512_scalef_pd(poly, k);
}

AVX512 static inline __m512 exp16f(__m512 x) {
  __m512 k = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT);
  __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(0.693145751953125f), x);
  r = _mm512_fnmadd_ps(k, _mm512_set1_ps(1.428606765330187e-06f), r);
  __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(1.0f / 720), r, _mm512_set1_ps(1.0f / 120));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_scalef_ps(p, k);
}

// One thread's share of the sorted points [p0, p1): the stack's total.
AVX2 static double run_avx2_d(long p0, long p1) {
  __m256d acc = _mm256_setzero_pd();
  const __m256d tail = _mm256_castsi256_pd(_mm256_setr_epi64x(-1, -1, 0, 0));  // lanes 48, 49 of 48..51
  for (long q = p0; q < p1; q++) {
    const double *A = coef_d + (long)cell_s[q] * 4 * NP, *B = A + NP, *C = B + NP, *D = C + NP;
    __m256d tx = _mm256_set1_pd(tx_s[q]), ty = _mm256_set1_pd(ty_s[q]);
    for (int k = 0; k < 52; k += 4) {
      __m256d lo = _mm256_fmadd_pd(ty, _mm256_load_pd(C + k), _mm256_load_pd(A + k));
      __m256d hi = _mm256_fmadd_pd(ty, _mm256_load_pd(D + k), _mm256_load_pd(B + k));
      __m256d e = exp4(_mm256_fmadd_pd(tx, hi, lo));
      acc = _mm256_add_pd(acc, k == 48 ? _mm256_and_pd(e, tail) : e);
    }
  }
  double t[4];
  _mm256_storeu_pd(t, acc);
  return (t[0] + t[1]) + (t[2] + t[3]);
}

AVX2 static double run_avx2_f(long p0, long p1) {
  __m256d acc0 = _mm256_setzero_pd(), acc1 = acc0;
  const __m256 tail = _mm256_castsi256_ps(_mm256_setr_epi32(-1, -1, 0, 0, 0, 0, 0, 0));  // lanes 48, 49 of 48..55
  for (long q = p0; q < p1; q++) {
    const float *A = coef_f + (long)cell_s[q] * 4 * NP, *B = A + NP, *C = B + NP, *D = C + NP;
    __m256 tx = _mm256_set1_ps((float)tx_s[q]), ty = _mm256_set1_ps((float)ty_s[q]);
    for (int k = 0; k < 56; k += 8) {
      __m256 lo = _mm256_fmadd_ps(ty, _mm256_load_ps(C + k), _mm256_load_ps(A + k));
      __m256 hi = _mm256_fmadd_ps(ty, _mm256_load_ps(D + k), _mm256_load_ps(B + k));
      __m256 e = exp8f(_mm256_fmadd_ps(tx, hi, lo));
      if (k == 48) e = _mm256_and_ps(e, tail);
      acc0 = _mm256_add_pd(acc0, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
      acc1 = _mm256_add_pd(acc1, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
    }
  }
  double t[4];
  _mm256_storeu_pd(t, _mm256_add_pd(acc0, acc1));
  return (t[0] + t[1]) + (t[2] + t[3]);
}

AVX512 static double run_avx512_d(long p0, long p1) {
  __m512d acc = _mm512_setzero_pd();
  for (long q = p0; q < p1; q++) {
    const double *A = coef_d + (long)cell_s[q] * 4 * NP, *B = A + NP, *C = B + NP, *D = C + NP;
    __m512d tx = _mm512_set1_pd(tx_s[q]), ty = _mm512_set1_pd(ty_s[q]);
    for (int k = 0; k < 56; k += 8) {
      __m512d lo = _mm512_fmadd_pd(ty, _mm512_load_pd(C + k), _mm512_load_pd(A + k));
      __m512d hi = _mm512_fmadd_pd(ty, _mm512_load_pd(D + k), _mm512_load_pd(B + k));
      __m512d e = exp8(_mm512_fmadd_pd(tx, hi, lo));
      acc = k == 48 ? _mm512_mask_add_pd(acc, 0x03, acc, e) : _mm512_add_pd(acc, e);
    }
  }
  return _mm512_reduce_add_pd(acc);
}

AVX512 static double run_avx512_f(long p0, long p1) {
  __m512d acc0 = _mm512_setzero_pd(), acc1 = acc0;
  for (long q = p0; q < p1; q++) {
    const float *A = coef_f + (long)cell_s[q] * 4 * NP, *B = A + NP, *C = B + NP, *D = C + NP;
    __m512 tx = _mm512_set1_ps((float)tx_s[q]), ty = _mm512_set1_ps((float)ty_s[q]);
    for (int k = 0; k < 64; k += 16) {
      __m512 lo = _mm512_fmadd_ps(ty, _mm512_load_ps(C + k), _mm512_load_ps(A + k));
      __m512 hi = _mm512_fmadd_ps(ty, _mm512_load_ps(D + k), _mm512_load_ps(B + k));
      __m512 e = exp16f(_mm512_fmadd_ps(tx, hi, lo));
      if (k == 48) e = _mm512_maskz_mov_ps(0x0003, e);
      acc0 = _mm512_add_pd(acc0, _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
      acc1 = _mm512_add_pd(acc1, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(e), 1))));
    }
  }
  return _mm512_reduce_add_pd(_mm512_add_pd(acc0, acc1));
}

static int has_avx512(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 27) & 1)) return 0;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xe6) != 0xe6) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 31) & 1);
}
#endif

typedef double (*kernel_fn)(long, long);
typedef struct { kernel_fn fn; long p0, p1; double sum; } job;
static void *worker(void *arg) {
  job *j = arg;
  j->sum = j->fn(j->p0, j->p1);
  return NULL;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

// Median over REPEATS of: sort the points by cell, then the kernel on
// THREADS threads.
static void measure(const char *name, kernel_fn fn) {
  double times[REPEATS], sum = 0;
  for (int r = 0; r < REPEATS; r++) {
    double t0 = now();
    sort_points();
    pthread_t th[THREADS];
    job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
      jobs[t] = (job){fn, (long)M * t / THREADS, (long)M * (t + 1) / THREADS, 0};
      pthread_create(&th[t], NULL, worker, &jobs[t]);
    }
    sum = 0;
    for (int t = 0; t < THREADS; t++) {
      pthread_join(th[t], NULL);
      sum += jobs[t].sum;
    }
    times[r] = now() - t0;
  }
  qsort(times, REPEATS, sizeof times[0], compare);
  printf("W1 limit probe, %-16s %7.1f ms (median of %d, %d threads; sum %.10e)\n", name, times[REPEATS / 2] * 1e3,
         REPEATS, THREADS, sum);
}

int main(void) {
  for (int k = 0; k < N; k++)
    for (int i = 0; i < G; i++)
      for (int j = 0; j < G; j++) z[k][i][j] = uniform01();
  for (long p = 0; p < M; p++) { xs[p] = uniform01() * (G - 1); ys[p] = uniform01() * (G - 1); }
  for (int i = 0; i + 1 < G; i++)
    for (int j = 0; j + 1 < G; j++)
      for (int k = 0; k < N; k++) {
        double *run = coef_d + ((long)i * (G - 1) + j) * 4 * NP;
        run[k] = z[k][i][j];
        run[NP + k] = z[k][i + 1][j] - z[k][i][j];
        run[2 * NP + k] = z[k][i][j + 1] - z[k][i][j];
        run[3 * NP + k] = (z[k][i + 1][j + 1] - z[k][i + 1][j]) - (z[k][i][j + 1] - z[k][i][j]);
      }
  for (long i = 0; i < CELLS * 4 * NP; i++) coef_f[i] = (float)coef_d[i];
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    measure("AVX2 Double:", run_avx2_d);
    measure("AVX2 Float:", run_avx2_f);
  }
  if (has_avx512()) {
    measure("AVX-512 Double:", run_avx512_d);
    measure("AVX-512 Float:", run_avx512_f);
  } else {
    printf("W1 limit probe, AVX-512: not run on this CPU\n");
  }
#else
  printf("W1 limit probe: x86-64 only\n");
#endif
  return 0;
}
