// Vector layer, AVX-512 target (F, DQ, VL): 8 doubles, 16 floats per
// vector, opmask registers for lane masks and masked tails.
//
// Included by target_avx512.c only, inside its
// `target("avx512f,avx512dq,avx512vl,avx2,fma")` region.
#ifndef BW_VEC_AVX512_H
#define BW_VEC_AVX512_H

#define BW_TARGET_NAME avx512
#define BW_VD_LANES 8
#define BW_VF_LANES 16
#define BW_V_FMA 1
#define BW_V_TRANSPOSE 1

typedef __m512d bw_vd;
typedef __m512 bw_vf;
typedef __mmask8 bw_md;
typedef __mmask16 bw_mf;

#define BW_VFN static inline __attribute__((always_inline))
#define BW_SPLAT_F(v) {v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v}

// MARK: double lanes

BW_VFN bw_vd vd_zero(void) { return _mm512_setzero_pd(); }
BW_VFN bw_vd vd_set1(double x) { return _mm512_set1_pd(x); }
BW_VFN bw_vd vd_load(const double *p) { return _mm512_loadu_pd(p); }
BW_VFN void vd_store(double *p, bw_vd v) { _mm512_storeu_pd(p, v); }
BW_VFN bw_md md_first(long k) { return k >= 8 ? (bw_md)0xFF : k <= 0 ? (bw_md)0 : (bw_md)((1u << k) - 1); }
// Masked-off lanes are neither read nor written (no fault past the end).
BW_VFN bw_vd vd_load_first(const double *p, long k) { return _mm512_maskz_loadu_pd(md_first(k), p); }
BW_VFN void vd_store_first(double *p, long k, bw_vd v) { _mm512_mask_storeu_pd(p, md_first(k), v); }
BW_VFN bw_vd vd_add(bw_vd a, bw_vd b) { return _mm512_add_pd(a, b); }
BW_VFN bw_vd vd_sub(bw_vd a, bw_vd b) { return _mm512_sub_pd(a, b); }
BW_VFN bw_vd vd_mul(bw_vd a, bw_vd b) { return _mm512_mul_pd(a, b); }
BW_VFN bw_vd vd_div(bw_vd a, bw_vd b) { return _mm512_div_pd(a, b); }
BW_VFN bw_vd vd_mul_add(bw_vd a, bw_vd b, bw_vd c) { return _mm512_fmadd_pd(a, b, c); }
BW_VFN bw_vd vd_neg_mul_add(bw_vd a, bw_vd b, bw_vd c) { return _mm512_fnmadd_pd(a, b, c); }
// vminpd/vmaxpd: the second operand when either is NaN (or both are zero).
BW_VFN bw_vd vd_min(bw_vd a, bw_vd b) { return _mm512_min_pd(a, b); }
BW_VFN bw_vd vd_max(bw_vd a, bw_vd b) { return _mm512_max_pd(a, b); }
BW_VFN bw_vd vd_abs(bw_vd a) { return _mm512_abs_pd(a); }
BW_VFN bw_vd vd_round(bw_vd a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
BW_VFN bw_md md_le(bw_vd a, bw_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
BW_VFN bw_md md_ge(bw_vd a, bw_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
BW_VFN bw_md md_ne(bw_vd a, bw_vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_UQ); }
BW_VFN bw_md md_nan(bw_vd a) { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }
BW_VFN bw_md md_and(bw_md a, bw_md b) { return a & b; }
BW_VFN bw_md md_or(bw_md a, bw_md b) { return a | b; }
BW_VFN int md_all(bw_md m) { return m == 0xFF; }
BW_VFN int md_any(bw_md m) { return m != 0; }
BW_VFN bw_md md_none(void) { return 0; }
BW_VFN bw_vd vd_select(bw_md m, bw_vd a, bw_vd b) { return _mm512_mask_blend_pd(m, b, a); }
BW_VFN bw_vd vd_keep(bw_md m, bw_vd a) { return _mm512_maskz_mov_pd(m, a); }
/// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
BW_VFN double vd_reduce_add(bw_vd v) {
  double t[8];
  _mm512_storeu_pd(t, v);
  return ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
}
BW_VFN bw_vd vd_load_f32(const float *p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
BW_VFN bw_vd vd_load_f32_first(const float *p, long k) { return _mm512_cvtps_pd(_mm256_maskz_loadu_ps(md_first(k), p)); }
BW_VFN void vd_store_f32(float *p, bw_vd v) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(v)); }
BW_VFN bw_vd vd_pow2i(bw_vd n) {
  __m512i e = _mm512_add_epi64(_mm512_cvtpd_epi64(n), _mm512_set1_epi64(1023));
  return _mm512_castsi512_pd(_mm512_slli_epi64(e, 52));
}
BW_VFN bw_vd vd_sqrt(bw_vd a) { return _mm512_sqrt_pd(a); }

// MARK: float lanes

BW_VFN bw_vf vf_set1(float x) { return _mm512_set1_ps(x); }
BW_VFN bw_vf vf_load(const float *p) { return _mm512_loadu_ps(p); }
BW_VFN void vf_store(float *p, bw_vf v) { _mm512_storeu_ps(p, v); }
BW_VFN bw_vf vf_min(bw_vf a, bw_vf b) { return _mm512_min_ps(a, b); }
BW_VFN bw_vf vf_max(bw_vf a, bw_vf b) { return _mm512_max_ps(a, b); }
BW_VFN bw_vf vf_abs(bw_vf a) { return _mm512_abs_ps(a); }
BW_VFN bw_mf mf_nan(bw_vf a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
BW_VFN bw_mf mf_or(bw_mf a, bw_mf b) { return a | b; }
BW_VFN int mf_any(bw_mf m) { return m != 0; }
BW_VFN bw_mf mf_none(void) { return 0; }
BW_VFN int mf_all(bw_mf m) { return m == 0xFFFF; }
BW_VFN bw_vf vf_zero(void) { return _mm512_setzero_ps(); }
BW_VFN bw_mf mf_first(long k) { return k >= 16 ? (bw_mf)0xFFFF : k <= 0 ? (bw_mf)0 : (bw_mf)((1u << k) - 1); }
BW_VFN bw_vf vf_load_first(const float *p, long k) { return _mm512_maskz_loadu_ps(mf_first(k), p); }
BW_VFN void vf_store_first(float *p, long k, bw_vf v) { _mm512_mask_storeu_ps(p, mf_first(k), v); }
BW_VFN bw_vf vf_add(bw_vf a, bw_vf b) { return _mm512_add_ps(a, b); }
BW_VFN bw_vf vf_sub(bw_vf a, bw_vf b) { return _mm512_sub_ps(a, b); }
BW_VFN bw_vf vf_mul(bw_vf a, bw_vf b) { return _mm512_mul_ps(a, b); }
BW_VFN bw_vf vf_mul_add(bw_vf a, bw_vf b, bw_vf c) { return _mm512_fmadd_ps(a, b, c); }
BW_VFN bw_vf vf_neg_mul_add(bw_vf a, bw_vf b, bw_vf c) { return _mm512_fnmadd_ps(a, b, c); }
BW_VFN bw_vf vf_round(bw_vf a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
BW_VFN bw_mf mf_le(bw_vf a, bw_vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
BW_VFN bw_vf vf_select(bw_mf m, bw_vf a, bw_vf b) { return _mm512_mask_blend_ps(m, b, a); }
BW_VFN bw_vf vf_keep(bw_mf m, bw_vf a) { return _mm512_maskz_mov_ps(m, a); }
BW_VFN bw_vf vf_pow2i(bw_vf n) {
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23));
}
BW_VFN bw_vf vf_pow2_shifted(bw_vf kd) {
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_castps_si512(kd), _mm512_set1_epi32(127)), 23));
}
BW_VFN bw_vd vd_widen_lo(bw_vf a) { return _mm512_cvtps_pd(_mm512_castps512_ps256(a)); }
BW_VFN bw_vd vd_widen_hi(bw_vf a) {
  return _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1)));
}
BW_VFN bw_vf vf_sqrt(bw_vf a) { return _mm512_sqrt_ps(a); }

// MARK: exp's table step

/// The exp constants as whole vectors, and 2^(j/4) repeated twice: the
/// 64-bit permute reads index k & 7, and entry (k & 7) is T_(k & 3).
typedef struct {
  __m512d shifter, log2e4, ln2_4_hi, ln2_4_lo, m8, m7, m6, m5, m4, m3, m2, tail;
  __m512i bits;
} bw_vexp_k;

#define BW_SPLAT_D(v) {v, v, v, v, v, v, v, v}
static const bw_vexp_k bw_vexp_consts __attribute__((aligned(64))) = {
    BW_VEXP_COMMON(BW_SPLAT_D),
    {BW_T4_TAIL_0, BW_T4_TAIL_1, BW_T4_TAIL_2, BW_T4_TAIL_3, BW_T4_TAIL_0, BW_T4_TAIL_1, BW_T4_TAIL_2, BW_T4_TAIL_3},
    {BW_T4_0, BW_T4_1, BW_T4_2, BW_T4_3, BW_T4_0, BW_T4_1, BW_T4_2, BW_T4_3}};

BW_VFN void vd_exp_table(bw_vd kd, const bw_vexp_k *K, bw_vd *sc, bw_vd *tail) {
  __m512i kb = _mm512_castpd_si512(kd);
  __m512i tb = _mm512_permutexvar_epi64(kb, K->bits);
  *tail = _mm512_permutexvar_pd(kb, K->tail);
  *sc = _mm512_castsi512_pd(_mm512_add_epi64(tb, _mm512_slli_epi64(kb, 50)));
}

// MARK: SLEEF

// SLEEF's 512-bit functions through the zmm trampolines of sleef_x86_64.S.
#if !defined(BW_EMULATE_AVX512)
#define BW_SLEEF_VD(name, u) Sleef_##name##d8_##u##avx512f
#define BW_SLEEF_VF(name, u) Sleef_##name##f16_##u##avx512f
#define bw_sleef_map1(fn, a, y, nvec) bw_zmm_apply1((const void *)(fn), a, y, nvec)
#define bw_sleef_map2(fn, a, astep, b, bstep, y, nvec) \
  bw_zmm_apply2((const void *)(fn), a, astep, b, bstep, y, nvec)
#else
// The emulated test build (target_avx512.c) runs on AVX2: each 64-byte
// vector as two 32-byte halves through SLEEF's 256-bit functions (a step
// of one vector becomes one half; 0, a broadcast operand, stays 0).
#define BW_SLEEF_VD(name, u) Sleef_##name##d4_##u##avx2
#define BW_SLEEF_VF(name, u) Sleef_##name##f8_##u##avx2
#define bw_sleef_map1(fn, a, y, nvec) bw_ymm_apply1((const void *)(fn), a, y, 2 * (nvec))
#define bw_sleef_map2(fn, a, astep, b, bstep, y, nvec) \
  bw_ymm_apply2((const void *)(fn), a, (astep) / 2, b, (bstep) / 2, y, 2 * (nvec))
#endif

#include "bw_vec_x86.h"

#endif
