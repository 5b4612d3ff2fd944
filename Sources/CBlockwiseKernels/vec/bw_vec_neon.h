// Vector layer, NEON (Advanced SIMD) target on aarch64: 2 doubles, 4
// floats per vector. NEON is in every aarch64 CPU's baseline, so this
// target needs no attribute; it is built only for aarch64.
#ifndef BW_VEC_NEON_H
#define BW_VEC_NEON_H

#define BW_TARGET_NAME neon
#define BW_VD_LANES 2
#define BW_VF_LANES 4
#define BW_V_FMA 1
#define BW_V_TRANSPOSE 0

typedef float64x2_t bw_vd;
typedef float32x4_t bw_vf;
typedef uint64x2_t bw_md;
typedef uint32x4_t bw_mf;

#define BW_VFN static inline __attribute__((always_inline))
#define BW_SPLAT_F(v) {v, v, v, v}

// MARK: double lanes

BW_VFN bw_vd vd_zero(void) { return vdupq_n_f64(0.0); }
BW_VFN bw_vd vd_set1(double x) { return vdupq_n_f64(x); }
BW_VFN bw_vd vd_load(const double *p) { return vld1q_f64(p); }
BW_VFN void vd_store(double *p, bw_vd v) { vst1q_f64(p, v); }
BW_VFN bw_md md_first(long k) {
  uint64_t m[2] = {k > 0 ? ~0ULL : 0, k > 1 ? ~0ULL : 0};
  return vld1q_u64(m);
}
BW_VFN bw_vd vd_load_first(const double *p, long k) {
  if (k >= 2) return vld1q_f64(p);
  return k == 1 ? vsetq_lane_f64(p[0], vdupq_n_f64(0.0), 0) : vdupq_n_f64(0.0);
}
BW_VFN void vd_store_first(double *p, long k, bw_vd v) {
  if (k >= 2) vst1q_f64(p, v);
  else if (k == 1) p[0] = vgetq_lane_f64(v, 0);
}
BW_VFN bw_vd vd_add(bw_vd a, bw_vd b) { return vaddq_f64(a, b); }
BW_VFN bw_vd vd_sub(bw_vd a, bw_vd b) { return vsubq_f64(a, b); }
BW_VFN bw_vd vd_mul(bw_vd a, bw_vd b) { return vmulq_f64(a, b); }
BW_VFN bw_vd vd_div(bw_vd a, bw_vd b) { return vdivq_f64(a, b); }
BW_VFN bw_vd vd_mul_add(bw_vd a, bw_vd b, bw_vd c) { return vfmaq_f64(c, a, b); }
BW_VFN bw_vd vd_neg_mul_add(bw_vd a, bw_vd b, bw_vd c) { return vfmsq_f64(c, a, b); }
// The layer's min/max are x86's (the second operand when either is NaN or
// both are zero): a compare and a select, not NEON's NaN-propagating fmin.
BW_VFN bw_vd vd_min(bw_vd a, bw_vd b) { return vbslq_f64(vcltq_f64(a, b), a, b); }
BW_VFN bw_vd vd_max(bw_vd a, bw_vd b) { return vbslq_f64(vcgtq_f64(a, b), a, b); }
BW_VFN bw_vd vd_abs(bw_vd a) { return vabsq_f64(a); }
BW_VFN bw_vd vd_sqrt(bw_vd a) { return vsqrtq_f64(a); }
BW_VFN bw_vd vd_round(bw_vd a) { return vrndnq_f64(a); }
BW_VFN bw_md md_le(bw_vd a, bw_vd b) { return vcleq_f64(a, b); }
BW_VFN bw_md md_ge(bw_vd a, bw_vd b) { return vcgeq_f64(a, b); }
BW_VFN bw_md md_ne(bw_vd a, bw_vd b) { return vreinterpretq_u64_u32(vmvnq_u32(vreinterpretq_u32_u64(vceqq_f64(a, b)))); }
BW_VFN bw_md md_nan(bw_vd a) { return md_ne(a, a); }
BW_VFN bw_md md_and(bw_md a, bw_md b) { return vandq_u64(a, b); }
BW_VFN bw_md md_or(bw_md a, bw_md b) { return vorrq_u64(a, b); }
BW_VFN bw_md md_none(void) { return vdupq_n_u64(0); }
BW_VFN int md_all(bw_md m) { return (vgetq_lane_u64(m, 0) & vgetq_lane_u64(m, 1)) != 0; }
BW_VFN int md_any(bw_md m) { return (vgetq_lane_u64(m, 0) | vgetq_lane_u64(m, 1)) != 0; }
BW_VFN bw_vd vd_select(bw_md m, bw_vd a, bw_vd b) { return vbslq_f64(m, a, b); }
BW_VFN bw_vd vd_keep(bw_md m, bw_vd a) { return vreinterpretq_f64_u64(vandq_u64(m, vreinterpretq_u64_f64(a))); }
BW_VFN double vd_reduce_add(bw_vd v) { return vgetq_lane_f64(v, 0) + vgetq_lane_f64(v, 1); }
BW_VFN bw_vd vd_load_f32(const float *p) { return vcvt_f64_f32(vld1_f32(p)); }
BW_VFN bw_vd vd_load_f32_first(const float *p, long k) {
  float t[2] = {k > 0 ? p[0] : 0.0f, k > 1 ? p[1] : 0.0f};
  return vcvt_f64_f32(vld1_f32(t));
}
BW_VFN void vd_store_f32(float *p, bw_vd v) { vst1_f32(p, vcvt_f32_f64(v)); }
BW_VFN bw_vd vd_pow2i(bw_vd n) {
  int64x2_t e = vaddq_s64(vcvtq_s64_f64(n), vdupq_n_s64(1023));
  return vreinterpretq_f64_s64(vshlq_n_s64(e, 52));
}

// MARK: float lanes

BW_VFN bw_vf vf_set1(float x) { return vdupq_n_f32(x); }
BW_VFN bw_vf vf_load(const float *p) { return vld1q_f32(p); }
BW_VFN void vf_store(float *p, bw_vf v) { vst1q_f32(p, v); }
BW_VFN bw_vf vf_min(bw_vf a, bw_vf b) { return vbslq_f32(vcltq_f32(a, b), a, b); }
BW_VFN bw_vf vf_max(bw_vf a, bw_vf b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
BW_VFN bw_vf vf_abs(bw_vf a) { return vabsq_f32(a); }
BW_VFN bw_vf vf_sqrt(bw_vf a) { return vsqrtq_f32(a); }
BW_VFN bw_mf mf_nan(bw_vf a) { return vmvnq_u32(vceqq_f32(a, a)); }
BW_VFN bw_mf mf_or(bw_mf a, bw_mf b) { return vorrq_u32(a, b); }
BW_VFN bw_mf mf_none(void) { return vdupq_n_u32(0); }
BW_VFN int mf_any(bw_mf m) { return vmaxvq_u32(m) != 0; }
BW_VFN int mf_all(bw_mf m) { return vminvq_u32(m) != 0; }
BW_VFN bw_vf vf_zero(void) { return vdupq_n_f32(0.0f); }
BW_VFN bw_mf mf_first(long k) {
  uint32_t m[4] = {k > 0 ? ~0u : 0, k > 1 ? ~0u : 0, k > 2 ? ~0u : 0, k > 3 ? ~0u : 0};
  return vld1q_u32(m);
}
BW_VFN bw_vf vf_load_first(const float *p, long k) {
  if (k >= 4) return vld1q_f32(p);
  float t[4] = {0, 0, 0, 0};
  for (long l = 0; l < k; l++) t[l] = p[l];
  return vld1q_f32(t);
}
BW_VFN void vf_store_first(float *p, long k, bw_vf v) {
  if (k >= 4) { vst1q_f32(p, v); return; }
  float t[4];
  vst1q_f32(t, v);
  for (long l = 0; l < k; l++) p[l] = t[l];
}
BW_VFN bw_vf vf_add(bw_vf a, bw_vf b) { return vaddq_f32(a, b); }
BW_VFN bw_vf vf_sub(bw_vf a, bw_vf b) { return vsubq_f32(a, b); }
BW_VFN bw_vf vf_mul(bw_vf a, bw_vf b) { return vmulq_f32(a, b); }
BW_VFN bw_vf vf_mul_add(bw_vf a, bw_vf b, bw_vf c) { return vfmaq_f32(c, a, b); }
BW_VFN bw_vf vf_neg_mul_add(bw_vf a, bw_vf b, bw_vf c) { return vfmsq_f32(c, a, b); }
BW_VFN bw_vf vf_round(bw_vf a) { return vrndnq_f32(a); }
BW_VFN bw_mf mf_le(bw_vf a, bw_vf b) { return vcleq_f32(a, b); }
BW_VFN bw_vf vf_select(bw_mf m, bw_vf a, bw_vf b) { return vbslq_f32(m, a, b); }
BW_VFN bw_vf vf_keep(bw_mf m, bw_vf a) { return vreinterpretq_f32_u32(vandq_u32(m, vreinterpretq_u32_f32(a))); }
BW_VFN bw_vf vf_pow2i(bw_vf n) {
  return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(vcvtnq_s32_f32(n), vdupq_n_s32(127)), 23));
}
BW_VFN bw_vf vf_pow2_shifted(bw_vf kd) {
  return vreinterpretq_f32_u32(vshlq_n_u32(vaddq_u32(vreinterpretq_u32_f32(kd), vdupq_n_u32(127)), 23));
}
BW_VFN bw_vd vd_widen_lo(bw_vf a) { return vcvt_f64_f32(vget_low_f32(a)); }
BW_VFN bw_vd vd_widen_hi(bw_vf a) { return vcvt_high_f64_f32(a); }

// MARK: exp's table step

typedef struct {
  float64x2_t shifter, log2e4, ln2_4_hi, ln2_4_lo, m8, m7, m6, m5, m4, m3, m2;
} bw_vexp_k;

#define BW_SPLAT_D(v) {v, v}
static const bw_vexp_k bw_vexp_consts = {BW_VEXP_COMMON(BW_SPLAT_D)};
static const int64_t bw_vexp_bits[4] = {BW_T4_0, BW_T4_1, BW_T4_2, BW_T4_3};
static const double bw_vexp_tail[4] = {BW_T4_TAIL_0, BW_T4_TAIL_1, BW_T4_TAIL_2, BW_T4_TAIL_3};

// Two lanes: the table is read with two scalar loads per vector.
BW_VFN void vd_exp_table(bw_vd kd, const bw_vexp_k *K, bw_vd *sc, bw_vd *tail) {
  (void)K;
  int64x2_t kb = vreinterpretq_s64_f64(kd);
  int64_t j0 = vgetq_lane_s64(kb, 0) & 3, j1 = vgetq_lane_s64(kb, 1) & 3;
  int64x2_t tb = vsetq_lane_s64(bw_vexp_bits[j1], vdupq_n_s64(bw_vexp_bits[j0]), 1);
  *tail = vsetq_lane_f64(bw_vexp_tail[j1], vdupq_n_f64(bw_vexp_tail[j0]), 1);
  *sc = vreinterpretq_f64_s64(vaddq_s64(tb, vshlq_n_s64(kb, 50)));
}

// MARK: SLEEF

// SLEEF's Advanced SIMD functions take and return NEON vectors in
// registers (the standard AAPCS64 vector ABI): called directly.
#define BW_SLEEF_VD(name, u) Sleef_##name##d2_##u##advsimd
#define BW_SLEEF_VF(name, u) Sleef_##name##f4_##u##advsimd
#define BW_SLEEF_DIRECT 1

#define bw_prefetch(p) __builtin_prefetch((p), 0, 3)

#endif
