// Vector layer, AVX2 + FMA target: 4 doubles, 8 floats per vector.
//
// Included by target_avx2.c only, inside its `target("avx2,fma")` region
// (every function here gets the attribute from the pragma). The
// operations and their semantics are the layer's contract, listed in
// vec/README.md; each target header defines the same names.
#ifndef BW_VEC_AVX2_H
#define BW_VEC_AVX2_H

#define BW_TARGET_NAME avx2
#define BW_VD_LANES 4
#define BW_VF_LANES 8
// vd_mul_add rounds once.
#define BW_V_FMA 1
// The in-register transposes of layout.c exist (vec/bw_vec_x86.h).
#define BW_V_TRANSPOSE 1

typedef __m256d bw_vd;
typedef __m256 bw_vf;
typedef __m256d bw_md;  // lane masks: all ones or all zeros per double lane
typedef __m256 bw_mf;

#define BW_VFN static inline __attribute__((always_inline))
#define BW_SPLAT_F(v) {v, v, v, v, v, v, v, v}

// MARK: double lanes

BW_VFN bw_vd vd_zero(void) { return _mm256_setzero_pd(); }
BW_VFN bw_vd vd_set1(double x) { return _mm256_set1_pd(x); }
BW_VFN bw_vd vd_load(const double *p) { return _mm256_loadu_pd(p); }
BW_VFN void vd_store(double *p, bw_vd v) { _mm256_storeu_pd(p, v); }
/// Lanes l < k (k may exceed the lane count) as a mask.
BW_VFN bw_md md_first(long k) {
  return _mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_set1_epi64x(k), _mm256_set_epi64x(3, 2, 1, 0)));
}
/// The first k lanes from p (the rest 0); nothing past p[k - 1] is read.
BW_VFN bw_vd vd_load_first(const double *p, long k) {
  return _mm256_maskload_pd(p, _mm256_castpd_si256(md_first(k)));
}
BW_VFN void vd_store_first(double *p, long k, bw_vd v) {
  _mm256_maskstore_pd(p, _mm256_castpd_si256(md_first(k)), v);
}
BW_VFN bw_vd vd_add(bw_vd a, bw_vd b) { return _mm256_add_pd(a, b); }
BW_VFN bw_vd vd_sub(bw_vd a, bw_vd b) { return _mm256_sub_pd(a, b); }
BW_VFN bw_vd vd_mul(bw_vd a, bw_vd b) { return _mm256_mul_pd(a, b); }
BW_VFN bw_vd vd_div(bw_vd a, bw_vd b) { return _mm256_div_pd(a, b); }
BW_VFN bw_vd vd_mul_add(bw_vd a, bw_vd b, bw_vd c) { return _mm256_fmadd_pd(a, b, c); }
BW_VFN bw_vd vd_neg_mul_add(bw_vd a, bw_vd b, bw_vd c) { return _mm256_fnmadd_pd(a, b, c); }
BW_VFN bw_vd vd_min(bw_vd a, bw_vd b) { return _mm256_min_pd(a, b); }
BW_VFN bw_vd vd_max(bw_vd a, bw_vd b) { return _mm256_max_pd(a, b); }
BW_VFN bw_vd vd_abs(bw_vd a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
BW_VFN bw_vd vd_round(bw_vd a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
BW_VFN bw_md md_le(bw_vd a, bw_vd b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
BW_VFN bw_md md_ge(bw_vd a, bw_vd b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
BW_VFN bw_md md_ne(bw_vd a, bw_vd b) { return _mm256_cmp_pd(a, b, _CMP_NEQ_UQ); }
BW_VFN bw_md md_nan(bw_vd a) { return _mm256_cmp_pd(a, a, _CMP_UNORD_Q); }
BW_VFN bw_md md_and(bw_md a, bw_md b) { return _mm256_and_pd(a, b); }
BW_VFN bw_md md_or(bw_md a, bw_md b) { return _mm256_or_pd(a, b); }
BW_VFN int md_all(bw_md m) { return _mm256_movemask_pd(m) == 0xF; }
BW_VFN int md_any(bw_md m) { return _mm256_movemask_pd(m) != 0; }
/// m ? a : b per lane.
BW_VFN bw_vd vd_select(bw_md m, bw_vd a, bw_vd b) { return _mm256_blendv_pd(b, a, m); }
/// a where m, +0 elsewhere.
BW_VFN bw_vd vd_keep(bw_md m, bw_vd a) { return _mm256_and_pd(m, a); }
/// The lanes added in a fixed tree: (l0 + l1) + (l2 + l3).
BW_VFN double vd_reduce_add(bw_vd v) {
  double t[4];
  _mm256_storeu_pd(t, v);
  return (t[0] + t[1]) + (t[2] + t[3]);
}
/// 4 floats from p, widened (exact).
BW_VFN bw_vd vd_load_f32(const float *p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
/// The first k (<= 4) floats from p, widened (the rest 0; nothing past p[k-1] read).
BW_VFN bw_vd vd_load_f32_first(const float *p, long k) {
  int kk = k > 4 ? 4 : (int)k;
  __m128i m = _mm_cmpgt_epi32(_mm_set1_epi32(kk), _mm_set_epi32(3, 2, 1, 0));
  return _mm256_cvtps_pd(_mm_maskload_ps(p, m));
}
/// v rounded to float, stored to p[0..3].
BW_VFN void vd_store_f32(float *p, bw_vd v) { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }
/// 2^n for integral n in the normal exponent range (exact).
BW_VFN bw_vd vd_pow2i(bw_vd n) {
  __m128i ni = _mm256_cvtpd_epi32(n);
  return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_cvtepi32_epi64(_mm_add_epi32(ni, _mm_set1_epi32(1023))), 52));
}

// MARK: float lanes

BW_VFN bw_vf vf_set1(float x) { return _mm256_set1_ps(x); }
BW_VFN bw_vf vf_load(const float *p) { return _mm256_loadu_ps(p); }
BW_VFN void vf_store(float *p, bw_vf v) { _mm256_storeu_ps(p, v); }
BW_VFN bw_vf vf_min(bw_vf a, bw_vf b) { return _mm256_min_ps(a, b); }
BW_VFN bw_vf vf_max(bw_vf a, bw_vf b) { return _mm256_max_ps(a, b); }
BW_VFN bw_vf vf_abs(bw_vf a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
BW_VFN bw_mf mf_nan(bw_vf a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
BW_VFN bw_mf mf_or(bw_mf a, bw_mf b) { return _mm256_or_ps(a, b); }
BW_VFN int mf_any(bw_mf m) { return _mm256_movemask_ps(m) != 0; }
BW_VFN bw_mf mf_none(void) { return _mm256_setzero_ps(); }
BW_VFN int mf_all(bw_mf m) { return _mm256_movemask_ps(m) == 0xFF; }
BW_VFN bw_vf vf_zero(void) { return _mm256_setzero_ps(); }
BW_VFN bw_mf mf_first(long k) {
  int kk = k > 8 ? 8 : (int)k;
  return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(kk), _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0)));
}
BW_VFN bw_vf vf_load_first(const float *p, long k) { return _mm256_maskload_ps(p, _mm256_castps_si256(mf_first(k))); }
BW_VFN void vf_store_first(float *p, long k, bw_vf v) { _mm256_maskstore_ps(p, _mm256_castps_si256(mf_first(k)), v); }
BW_VFN bw_vf vf_add(bw_vf a, bw_vf b) { return _mm256_add_ps(a, b); }
BW_VFN bw_vf vf_sub(bw_vf a, bw_vf b) { return _mm256_sub_ps(a, b); }
BW_VFN bw_vf vf_mul(bw_vf a, bw_vf b) { return _mm256_mul_ps(a, b); }
BW_VFN bw_vf vf_mul_add(bw_vf a, bw_vf b, bw_vf c) { return _mm256_fmadd_ps(a, b, c); }
BW_VFN bw_vf vf_neg_mul_add(bw_vf a, bw_vf b, bw_vf c) { return _mm256_fnmadd_ps(a, b, c); }
BW_VFN bw_vf vf_round(bw_vf a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
BW_VFN bw_mf mf_le(bw_vf a, bw_vf b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
BW_VFN bw_vf vf_select(bw_mf m, bw_vf a, bw_vf b) { return _mm256_blendv_ps(b, a, m); }
BW_VFN bw_vf vf_keep(bw_mf m, bw_vf a) { return _mm256_and_ps(m, a); }
BW_VFN bw_vf vf_pow2i(bw_vf n) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23));
}
BW_VFN bw_vf vf_pow2_shifted(bw_vf kd) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_castps_si256(kd), _mm256_set1_epi32(127)), 23));
}
BW_VFN bw_vd vd_widen_lo(bw_vf a) { return _mm256_cvtps_pd(_mm256_castps256_ps128(a)); }
BW_VFN bw_vd vd_widen_hi(bw_vf a) { return _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1)); }
BW_VFN bw_vf vf_sqrt(bw_vf a) { return _mm256_sqrt_ps(a); }
BW_VFN bw_vd vd_sqrt(bw_vd a) { return _mm256_sqrt_pd(a); }
BW_VFN bw_md md_none(void) { return _mm256_setzero_pd(); }

// MARK: exp's table step

/// The exp constants as whole vectors (see bw_vec_exp.h), plus the table
/// of 2^(j/4) in the form this target's lookup wants: vpermd picks 32-bit
/// words, so lane j = k & 3 reads words (2j, 2j + 1) of `bits`.
typedef struct {
  __m256d shifter, log2e4, ln2_4_hi, ln2_4_lo, m8, m7, m6, m5, m4, m3, m2, tail;
  __m256i bits, word_hi;
} bw_vexp_k;

#define BW_SPLAT_D(v) {v, v, v, v}
static const bw_vexp_k bw_vexp_consts __attribute__((aligned(64))) = {
    BW_VEXP_COMMON(BW_SPLAT_D),
    {BW_T4_TAIL_0, BW_T4_TAIL_1, BW_T4_TAIL_2, BW_T4_TAIL_3},
    {BW_T4_0, BW_T4_1, BW_T4_2, BW_T4_3},
    {1LL << 32, 1LL << 32, 1LL << 32, 1LL << 32}};

/// From kd = x * 4 log2(e) + 1.5 * 2^52 (k in its low mantissa bits):
/// *sc = 2^n T_j (k = 4n + j) and *tail = the relative error of T_j.
BW_VFN void vd_exp_table(bw_vd kd, const bw_vexp_k *K, bw_vd *sc, bw_vd *tail) {
  __m256i kb = _mm256_castpd_si256(kd);
  __m256i w = _mm256_shuffle_epi32(_mm256_slli_epi64(kb, 1), _MM_SHUFFLE(2, 2, 0, 0));
  __m256i idx = _mm256_add_epi32(w, K->word_hi);
  __m256i tb = _mm256_permutevar8x32_epi32(K->bits, idx);
  *tail = _mm256_castsi256_pd(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(K->tail), idx));
  // (k << 50) wraps to the two's complement k; added to the table's bits it
  // gives 2^n T_j, a normal double for |x| <= 708.
  *sc = _mm256_castsi256_pd(_mm256_add_epi64(tb, _mm256_slli_epi64(kb, 50)));
}

// MARK: SLEEF

// SLEEF's 256-bit functions, through the register-ABI trampolines of
// sleef_x86_64.S (see bw_sleef.h): y[k] = fn(a[k]) over whole vectors.
#define BW_SLEEF_VD(name, u) Sleef_##name##d4_##u##avx2
#define BW_SLEEF_VF(name, u) Sleef_##name##f8_##u##avx2
#define bw_sleef_map1(fn, a, y, nvec) bw_ymm_apply1((const void *)(fn), a, y, nvec)
#define bw_sleef_map2(fn, a, astep, b, bstep, y, nvec) \
  bw_ymm_apply2((const void *)(fn), a, astep, b, bstep, y, nvec)

#include "bw_vec_x86.h"

#endif
