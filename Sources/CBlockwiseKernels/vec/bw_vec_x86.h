// In-register transposes for the x86 targets (AVX2 and AVX-512 both run
// them: a transpose is bound by loads and stores, and 256-bit blocks keep
// the tile edges short). layout's kernel takes them when BW_V_TRANSPOSE.
#ifndef BW_VEC_X86_H
#define BW_VEC_X86_H

/// d[r][c] = s[c * src_cs + r] for a 4 x 4 block of doubles.
BW_VFN void bw_transpose4x4_f64(const double *s, long src_cs, double *d, long ldd) {
  __m256d r0 = _mm256_loadu_pd(s), r1 = _mm256_loadu_pd(s + src_cs);
  __m256d r2 = _mm256_loadu_pd(s + 2 * src_cs), r3 = _mm256_loadu_pd(s + 3 * src_cs);
  __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
  __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  _mm256_storeu_pd(d, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_storeu_pd(d + ldd, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_storeu_pd(d + 2 * ldd, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_storeu_pd(d + 3 * ldd, _mm256_permute2f128_pd(t1, t3, 0x31));
}

/// The standard 8 x 8 float transpose: unpack pairs, shuffle quads, swap halves.
BW_VFN void bw_transpose8x8_f32(const float *s, long src_cs, float *d, long ldd) {
  __m256 r[8], t[8], u[8];
  for (int k = 0; k < 8; k++) r[k] = _mm256_loadu_ps(s + k * src_cs);
  for (int k = 0; k < 8; k += 2) {
    t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);
    t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);
  }
  for (int h = 0; h < 8; h += 4) {
    u[h] = _mm256_shuffle_ps(t[h], t[h + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[h + 1] = _mm256_shuffle_ps(t[h], t[h + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[h + 2] = _mm256_shuffle_ps(t[h + 1], t[h + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[h + 3] = _mm256_shuffle_ps(t[h + 1], t[h + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int k = 0; k < 4; k++) {
    _mm256_storeu_ps(d + k * ldd, _mm256_permute2f128_ps(u[k], u[k + 4], 0x20));
    _mm256_storeu_ps(d + (k + 4) * ldd, _mm256_permute2f128_ps(u[k], u[k + 4], 0x31));
  }
}

#define BW_TRANSPOSE_F64_BLOCK 4
#define BW_TRANSPOSE_F32_BLOCK 8

/// Prefetch for reading, into every cache level.
#define bw_prefetch(p) __builtin_prefetch((p), 0, 3)

#endif
