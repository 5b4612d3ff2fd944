// Seeded random arrays from Philox4x64-10 (Salmon, Moraes, Dror and Shaw,
// "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the
// counter-based generator behind numpy's `Philox`, JAX and cuRAND.
//
// Counter-based means element i is a pure function of (seed, i): block
// j = i / 4 is Philox4x64-10 of the counter (j, 0, 0, 0) under the key
// (seed, 0), and element i takes word i % 4 of it. Any thread can fill any
// range, so the stream is the same for every thread count and block size,
// and a range can be regenerated on its own.
#include "CBlockwiseKernels.h"

#include <math.h>

#define BW_PHILOX_M0 0xD2E7470EE14C6C93ULL
#define BW_PHILOX_M1 0xCA5A826395121157ULL
#define BW_PHILOX_W0 0x9E3779B97F4A7C15ULL  // golden ratio
#define BW_PHILOX_W1 0xBB67AE8584CAA73BULL  // sqrt(3) - 1

void bw_philox4x64_10(const uint64_t counter[4], const uint64_t key[2], uint64_t out[4]) {
  uint64_t c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
  uint64_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; round++) {
    if (round > 0) {
      k0 += BW_PHILOX_W0;
      k1 += BW_PHILOX_W1;
    }
    __uint128_t p0 = (__uint128_t)BW_PHILOX_M0 * c0;
    __uint128_t p1 = (__uint128_t)BW_PHILOX_M1 * c2;
    uint64_t hi0 = (uint64_t)(p0 >> 64), lo0 = (uint64_t)p0;
    uint64_t hi1 = (uint64_t)(p1 >> 64), lo1 = (uint64_t)p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

static inline void block_words(uint64_t seed, uint64_t block, uint64_t w[4]) {
  const uint64_t counter[4] = {block, 0, 0, 0}, key[2] = {seed, 0};
  bw_philox4x64_10(counter, key, w);
}

// The top 53 bits as a double in [0, 1), as numpy's `random()` does.
static inline double unit53(uint64_t w) { return (double)(w >> 11) * 0x1.0p-53; }

// Box-Muller: words (2p, 2p + 1) of a block give u1 in (0, 1] and u2 in
// [0, 1), and the two normals r cos(2 pi u2) and r sin(2 pi u2) with
// r = sqrt(-2 log u1), for elements 4j + 2p and 4j + 2p + 1.
static inline double normal_of(const uint64_t w[4], uint64_t i) {
  uint64_t p = (i >> 1) & 1;
  double u1 = (double)((w[2 * p] >> 11) + 1) * 0x1.0p-53;
  double u2 = unit53(w[2 * p + 1]);
  double r = sqrt(-2.0 * log(u1));
  double t = 6.283185307179586476925 * u2;
  return (i & 1) ? r * sin(t) : r * cos(t);
}

// One walk over elements first ..< first + n for every fill: a block is
// generated when the walk enters it. Uniform values are a + b u (kept below
// `hi` after rounding to the element type), normal ones a + b z.
static void fill(uint64_t seed, long first, long n, int normal, double a, double b, double hi,
                 double *out64, float *out32) {
  const double top64 = nextafter(hi, -INFINITY);
  const float top32 = nextafterf((float)hi, -INFINITY);
  uint64_t w[4];
  uint64_t loaded = UINT64_MAX;
  for (long k = 0; k < n; k++) {
    uint64_t i = (uint64_t)(first + k);
    if (i >> 2 != loaded) {
      loaded = i >> 2;
      block_words(seed, loaded, w);
    }
    double v = normal ? a + b * normal_of(w, i) : a + b * unit53(w[i & 3]);
    if (out64) {
      out64[k] = normal || v < hi ? v : top64;  // a + b u can round up to hi
    } else {
      float f = (float)v;
      out32[k] = normal || f < (float)hi ? f : top32;
    }
  }
}

void bw_random_uniform_f64(uint64_t seed, long first, long n, double lo, double width, double hi,
                           double *out) {
  fill(seed, first, n, 0, lo, width, hi, out, NULL);
}
void bw_random_uniform_f32(uint64_t seed, long first, long n, double lo, double width, double hi,
                           float *out) {
  fill(seed, first, n, 0, lo, width, hi, NULL, out);
}
void bw_random_normal_f64(uint64_t seed, long first, long n, double mean, double sd, double *out) {
  fill(seed, first, n, 1, mean, sd, INFINITY, out, NULL);
}
void bw_random_normal_f32(uint64_t seed, long first, long n, double mean, double sd, float *out) {
  fill(seed, first, n, 1, mean, sd, INFINITY, NULL, out);
}
