// Vector layer, generic target: 4 double lanes and 8 float lanes held in
// plain arrays, every operation a loop over the lanes in C (the compiler
// vectorises them with the baseline ISA, or not at all). Same lane counts
// as AVX2, so a kernel's accumulators and their order are AVX2's: sums of
// exact operations agree bit for bit with the AVX2 path, and the
// remaining differences are the ones the layer spells out (vd_mul_add
// rounds twice here, exp is the scalar full-range bw_exp1).
//
// This target must give the same bits on every architecture (the aarch64
// harness checks a digest): no fused operations (FP_CONTRACT OFF and
// -ffp-contract=off for GCC), and lanes combined in the fixed order below.
#ifndef BW_VEC_GENERIC_H
#define BW_VEC_GENERIC_H

#define BW_TARGET_NAME generic
// 4 double lanes (AVX2's count). The kernel harness also builds this
// target with BW_GENERIC_LANES=8, AVX-512's counts, to run every kernel's
// logic (tails, masks, lane trees) at that width on any machine.
#ifndef BW_GENERIC_LANES
#define BW_GENERIC_LANES 4
#endif
#define BW_VD_LANES BW_GENERIC_LANES
#define BW_VF_LANES (2 * BW_GENERIC_LANES)
#define BW_V_FMA 0
#define BW_V_TRANSPOSE 0

typedef struct { double v[BW_VD_LANES]; } bw_vd;
typedef struct { float v[BW_VF_LANES]; } bw_vf;
typedef struct { int v[BW_VD_LANES]; } bw_md;
typedef struct { int v[BW_VF_LANES]; } bw_mf;

#define BW_VFN static inline __attribute__((always_inline))
#if BW_GENERIC_LANES == 4
#define BW_SPLAT_F(v) {{v, v, v, v, v, v, v, v}}
#elif BW_GENERIC_LANES == 8
#define BW_SPLAT_F(v) {{v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v}}
#else
#error "BW_GENERIC_LANES: 4 or 8"
#endif
#define BW_LANES4(expr) for (int l = 0; l < BW_VD_LANES; l++) { expr; }
#define BW_LANES8(expr) for (int l = 0; l < BW_VF_LANES; l++) { expr; }

// MARK: double lanes

BW_VFN bw_vd vd_set1(double x) { bw_vd r; BW_LANES4(r.v[l] = x) return r; }
BW_VFN bw_vd vd_zero(void) { return vd_set1(0.0); }
BW_VFN bw_vd vd_load(const double *p) { bw_vd r; BW_LANES4(r.v[l] = p[l]) return r; }
BW_VFN void vd_store(double *p, bw_vd a) { BW_LANES4(p[l] = a.v[l]) }
BW_VFN bw_md md_first(long k) { bw_md m; BW_LANES4(m.v[l] = l < k) return m; }
BW_VFN bw_vd vd_load_first(const double *p, long k) { bw_vd r; BW_LANES4(r.v[l] = l < k ? p[l] : 0.0) return r; }
BW_VFN void vd_store_first(double *p, long k, bw_vd a) { BW_LANES4(if (l < k) p[l] = a.v[l]) }
#define BW_VD_BINARY(NAME, EXPR) \
  BW_VFN bw_vd NAME(bw_vd a, bw_vd b) { bw_vd r; BW_LANES4(double x = a.v[l]; double y = b.v[l]; r.v[l] = (EXPR)) return r; }
BW_VD_BINARY(vd_add, x + y)
BW_VD_BINARY(vd_sub, x - y)
BW_VD_BINARY(vd_mul, x * y)
BW_VD_BINARY(vd_div, x / y)
// x86 semantics: the second operand when either is NaN (or both zero).
BW_VD_BINARY(vd_min, x < y ? x : y)
BW_VD_BINARY(vd_max, x > y ? x : y)
/// a * b + c, two roundings (this target fuses nothing).
BW_VFN bw_vd vd_mul_add(bw_vd a, bw_vd b, bw_vd c) { bw_vd r; BW_LANES4(r.v[l] = a.v[l] * b.v[l] + c.v[l]) return r; }
BW_VFN bw_vd vd_neg_mul_add(bw_vd a, bw_vd b, bw_vd c) { bw_vd r; BW_LANES4(r.v[l] = c.v[l] - a.v[l] * b.v[l]) return r; }
BW_VFN bw_vd vd_abs(bw_vd a) { bw_vd r; BW_LANES4(r.v[l] = fabs(a.v[l])) return r; }
BW_VFN bw_vd vd_sqrt(bw_vd a) { bw_vd r; BW_LANES4(r.v[l] = sqrt(a.v[l])) return r; }
BW_VFN bw_vd vd_round(bw_vd a) { bw_vd r; BW_LANES4(r.v[l] = rint(a.v[l])) return r; }
#define BW_MD_CMP(NAME, EXPR) \
  BW_VFN bw_md NAME(bw_vd a, bw_vd b) { bw_md m; BW_LANES4(double x = a.v[l]; double y = b.v[l]; m.v[l] = (EXPR)) return m; }
BW_MD_CMP(md_le, x <= y)
BW_MD_CMP(md_ge, x >= y)
BW_MD_CMP(md_ne, x != y)
BW_VFN bw_md md_nan(bw_vd a) { bw_md m; BW_LANES4(m.v[l] = a.v[l] != a.v[l]) return m; }
BW_VFN bw_md md_and(bw_md a, bw_md b) { bw_md m; BW_LANES4(m.v[l] = a.v[l] & b.v[l]) return m; }
BW_VFN bw_md md_or(bw_md a, bw_md b) { bw_md m; BW_LANES4(m.v[l] = a.v[l] | b.v[l]) return m; }
BW_VFN bw_md md_none(void) { bw_md m; BW_LANES4(m.v[l] = 0) return m; }
BW_VFN int md_all(bw_md m) { int r = 1; BW_LANES4(r &= m.v[l]) return r; }
BW_VFN int md_any(bw_md m) { int r = 0; BW_LANES4(r |= m.v[l]) return r; }
BW_VFN bw_vd vd_select(bw_md m, bw_vd a, bw_vd b) { bw_vd r; BW_LANES4(r.v[l] = m.v[l] ? a.v[l] : b.v[l]) return r; }
BW_VFN bw_vd vd_keep(bw_md m, bw_vd a) { bw_vd r; BW_LANES4(r.v[l] = m.v[l] ? a.v[l] : 0.0) return r; }
/// Adjacent pairs first: (l0 + l1) + (l2 + l3), and pairs of those for 8.
BW_VFN double vd_reduce_add(bw_vd a) {
  for (int w = 1; w < BW_VD_LANES; w *= 2)
    for (int l = 0; l + w < BW_VD_LANES; l += 2 * w) a.v[l] += a.v[l + w];
  return a.v[0];
}
BW_VFN bw_vd vd_load_f32(const float *p) { bw_vd r; BW_LANES4(r.v[l] = (double)p[l]) return r; }
BW_VFN bw_vd vd_load_f32_first(const float *p, long k) { bw_vd r; BW_LANES4(r.v[l] = l < k ? (double)p[l] : 0.0) return r; }
BW_VFN void vd_store_f32(float *p, bw_vd a) { BW_LANES4(p[l] = (float)a.v[l]) }

// MARK: float lanes

BW_VFN bw_vf vf_set1(float x) { bw_vf r; BW_LANES8(r.v[l] = x) return r; }
BW_VFN bw_vf vf_load(const float *p) { bw_vf r; BW_LANES8(r.v[l] = p[l]) return r; }
BW_VFN void vf_store(float *p, bw_vf a) { BW_LANES8(p[l] = a.v[l]) }
BW_VFN bw_vf vf_min(bw_vf a, bw_vf b) { bw_vf r; BW_LANES8(r.v[l] = a.v[l] < b.v[l] ? a.v[l] : b.v[l]) return r; }
BW_VFN bw_vf vf_max(bw_vf a, bw_vf b) { bw_vf r; BW_LANES8(r.v[l] = a.v[l] > b.v[l] ? a.v[l] : b.v[l]) return r; }
BW_VFN bw_vf vf_abs(bw_vf a) { bw_vf r; BW_LANES8(r.v[l] = fabsf(a.v[l])) return r; }
BW_VFN bw_vf vf_sqrt(bw_vf a) { bw_vf r; BW_LANES8(r.v[l] = sqrtf(a.v[l])) return r; }
BW_VFN bw_mf mf_nan(bw_vf a) { bw_mf m; BW_LANES8(m.v[l] = a.v[l] != a.v[l]) return m; }
BW_VFN bw_mf mf_or(bw_mf a, bw_mf b) { bw_mf m; BW_LANES8(m.v[l] = a.v[l] | b.v[l]) return m; }
BW_VFN bw_mf mf_none(void) { bw_mf m; BW_LANES8(m.v[l] = 0) return m; }
BW_VFN int mf_any(bw_mf m) { int r = 0; BW_LANES8(r |= m.v[l]) return r; }
BW_VFN int mf_all(bw_mf m) { int r = 1; BW_LANES8(r &= m.v[l]) return r; }
BW_VFN bw_vf vf_zero(void) { return vf_set1(0.0f); }
BW_VFN bw_mf mf_first(long k) { bw_mf m; BW_LANES8(m.v[l] = l < k) return m; }
BW_VFN bw_vf vf_load_first(const float *p, long k) { bw_vf r; BW_LANES8(r.v[l] = l < k ? p[l] : 0.0f) return r; }
BW_VFN void vf_store_first(float *p, long k, bw_vf a) { BW_LANES8(if (l < k) p[l] = a.v[l]) }
#define BW_VF_BINARY(NAME, EXPR) \
  BW_VFN bw_vf NAME(bw_vf a, bw_vf b) { bw_vf r; BW_LANES8(float x = a.v[l]; float y = b.v[l]; r.v[l] = (EXPR)) return r; }
BW_VF_BINARY(vf_add, x + y)
BW_VF_BINARY(vf_sub, x - y)
BW_VF_BINARY(vf_mul, x * y)
BW_VFN bw_vf vf_mul_add(bw_vf a, bw_vf b, bw_vf c) { bw_vf r; BW_LANES8(r.v[l] = a.v[l] * b.v[l] + c.v[l]) return r; }
BW_VFN bw_vf vf_neg_mul_add(bw_vf a, bw_vf b, bw_vf c) { bw_vf r; BW_LANES8(r.v[l] = c.v[l] - a.v[l] * b.v[l]) return r; }
BW_VFN bw_vf vf_round(bw_vf a) { bw_vf r; BW_LANES8(r.v[l] = rintf(a.v[l])) return r; }
BW_VFN bw_mf mf_le(bw_vf a, bw_vf b) { bw_mf m; BW_LANES8(m.v[l] = a.v[l] <= b.v[l]) return m; }
BW_VFN bw_vf vf_select(bw_mf m, bw_vf a, bw_vf b) { bw_vf r; BW_LANES8(r.v[l] = m.v[l] ? a.v[l] : b.v[l]) return r; }
BW_VFN bw_vf vf_keep(bw_mf m, bw_vf a) { bw_vf r; BW_LANES8(r.v[l] = m.v[l] ? a.v[l] : 0.0f) return r; }
/// 2^n for integral n in [-126, 127] (exact).
BW_VFN bw_vf vf_pow2i(bw_vf n) {
  bw_vf r;
  BW_LANES8(uint32_t b = (uint32_t)((int32_t)n.v[l] + 127) << 23; memcpy(&r.v[l], &b, 4))
  return r;
}
/// 2^n from kd = n + 1.5 * 2^23 (n in kd's low mantissa bits, |n| <= 126):
/// the exponent field n + 127 built from kd's bits (exact).
BW_VFN bw_vf vf_pow2_shifted(bw_vf kd) {
  bw_vf r;
  BW_LANES8(uint32_t b; memcpy(&b, &kd.v[l], 4); b = (b + 127u) << 23; memcpy(&r.v[l], &b, 4))
  return r;
}
/// The low and high halves of a float vector, widened (exact).
BW_VFN bw_vd vd_widen_lo(bw_vf a) { bw_vd r; BW_LANES4(r.v[l] = (double)a.v[l]) return r; }
BW_VFN bw_vd vd_widen_hi(bw_vf a) { bw_vd r; BW_LANES4(r.v[l] = (double)a.v[l + BW_VD_LANES]) return r; }

// MARK: exp

// This target's exp body is the scalar full-range bw_exp1 (and
// bw_exp1_for_f32), lane by lane: no table step, no fast-range split.
#define BW_V_EXP_SCALAR 1
typedef struct { int unused; } bw_vexp_k;
static const bw_vexp_k bw_vexp_consts = {0};

// MARK: SLEEF

// SLEEF's scalar functions, one element at a time ("vectors" of one).
#define BW_SLEEF_VD(name, u) Sleef_##name##_##u
#define BW_SLEEF_VF(name, u) Sleef_##name##f_##u
#define BW_SLEEF_SCALAR 1

#define bw_prefetch(p) __builtin_prefetch((p), 0, 3)

#endif
