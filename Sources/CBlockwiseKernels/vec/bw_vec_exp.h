// exp over the vector layer, written once for every target (the table
// step, vd_exp_table, is the only per-target piece). Included after the
// target's layer header.
//
// The method (bw_internal.h has the constants and their derivation):
// exp(x) = 2^(k/4) exp(r), k = round(4x / ln 2), r = x - k ln2/4 with
// ln2/4 split Cody-Waite style, exp(r) = 1 + r + r^2 q(r) with q of degree
// 6, 2^(k/4) = 2^(k >> 2) T_(k & 3) from a four-entry table whose rounding
// error `tail` is folded into the polynomial. Error bound (every vector
// target; measured worst 0.69 ulp over 4M arguments in [-708, 708] against
// long double, and the edge table of Tests/.../edges.json): below 1 ulp.
// The generic target's exp is the scalar bw_exp1 lane by lane (worst 0.77
// ulp measured), which covers every input itself.
#ifndef BW_VEC_EXP_H
#define BW_VEC_EXP_H

#if defined(BW_V_EXP_SCALAR)

BW_VFN bw_vd vd_exp_core_k(bw_vd x, const bw_vexp_k *K) {
  (void)K;
  bw_vd r;
  for (int l = 0; l < BW_VD_LANES; l++) r.v[l] = bw_exp1(x.v[l]);
  return r;
}
BW_VFN bw_vd vd_exp(bw_vd x) { return vd_exp_core_k(x, &bw_vexp_consts); }
BW_VFN bw_vd vd_exp_for_f32(bw_vd x) {
  bw_vd r;
  for (int l = 0; l < BW_VD_LANES; l++) r.v[l] = bw_exp1_for_f32(x.v[l]);
  return r;
}

#else

/// exp of each lane with |x| <= BW_EXP_FAST (708), or NaN (NaN out).
/// Callers check the range: per vector (vd_exp), per chunk (the array
/// kernels) or once per spline stack, whose values its grid bounds.
BW_VFN bw_vd vd_exp_core_k(bw_vd x, const bw_vexp_k *K) {
  bw_vd kd = vd_mul_add(x, K->log2e4, K->shifter);
  bw_vd k = vd_sub(kd, K->shifter);
  bw_vd r = vd_neg_mul_add(k, K->ln2_4_hi, x);  // exact
  r = vd_neg_mul_add(k, K->ln2_4_lo, r);
  bw_vd sc, tail;
  vd_exp_table(kd, K, &sc, &tail);
  // q(r) in three short independent pieces joined by r^2. The kernel runs
  // well below the FMA ports' rate (Zen 3 issues 256-bit FMAs at full
  // rate: 7.3 per ns measured), and both the operation count and the
  // dependency chain have mattered. Dev machine (AVX2), exp of an
  // in-cache array: a degree-11 polynomial without a table took 2.06 ns
  // with Horner and 1.25 ns with Estrin; this takes 0.95 ns. A further
  // Estrin split (one more multiply, four cycles less chain) measured no
  // faster.
  bw_vd r2 = vd_mul(r, r);
  bw_vd a = vd_mul_add(vd_mul_add(K->m8, r, K->m7), r, K->m6);
  bw_vd b = vd_mul_add(K->m5, r, K->m4);
  bw_vd c = vd_mul_add(K->m3, r, K->m2);
  bw_vd q = vd_mul_add(vd_mul_add(a, r2, b), r2, c);
  bw_vd p = vd_mul_add(q, r2, vd_add(r, tail));
  return vd_mul_add(sc, p, sc);  // 2^n T_j (1 + p), one rounding
}

/// True when every lane satisfies the fast path's |x| <= 708 (false for NaN).
BW_VFN int vd_exp_in_range(bw_vd x) { return md_all(md_le(vd_abs(x), vd_set1(BW_EXP_FAST))); }

/// exp of each lane, any input. Lanes outside the fast range (overflow,
/// subnormal results, infinities, NaN) are rare and go through bw_exp1;
/// the others keep the fast path's result, so each lane's result depends
/// on its own argument alone (not on its neighbours, nor on the vector
/// width): every vector target gives the same bits.
BW_VFN bw_vd vd_exp(bw_vd x) {
  bw_vd y = vd_exp_core_k(x, &bw_vexp_consts);
  if (__builtin_expect(vd_exp_in_range(x), 1)) return y;
  double t[BW_VD_LANES], u[BW_VD_LANES];
  vd_store(t, x);
  vd_store(u, y);
  for (int l = 0; l < BW_VD_LANES; l++)
    if (!(fabs(t[l]) <= BW_EXP_FAST)) u[l] = bw_exp1(t[l]);
  return vd_load(u);
}

/// exp for results that will be rounded to float: evaluated in double,
/// degree 8 (truncation below 2e-10 relative, 0.003 ulp of a float), one
/// scale factor (n in [-151, 129]).
BW_VFN bw_vd vd_exp_for_f32(bw_vd x) {
  x = vd_min(vd_set1(89.0), vd_max(vd_set1(-104.0), x));
  bw_vd n = vd_round(vd_mul(x, vd_set1(BW_LOG2E)));
  bw_vd r = vd_neg_mul_add(n, vd_set1(BW_LN2_HI), x);
  r = vd_neg_mul_add(n, vd_set1(BW_LN2_LO), r);
  bw_vd r2 = vd_mul(r, r);
  bw_vd p23 = vd_mul_add(vd_set1(BW_C3), r, vd_set1(BW_C2));
  bw_vd p45 = vd_mul_add(vd_set1(BW_C5), r, vd_set1(BW_C4));
  bw_vd p67 = vd_mul_add(vd_set1(BW_C7), r, vd_set1(BW_C6));
  bw_vd q = vd_mul_add(vd_mul_add(vd_set1(BW_C8), r2, p67), vd_mul(r2, r2), vd_mul_add(p45, r2, p23));
  bw_vd e = vd_add(vd_set1(1.0), vd_mul_add(q, r2, r));
  return vd_mul(e, vd_pow2i(n));
}

#endif

// MARK: Float exp in float lanes

// exp(x) = 2^n exp(r), n = round(x / ln 2), r = x - n ln2 with ln2 split
// Cody-Waite style (BW_LN2_HI_F has 16 significant bits, so n * hi is
// exact for |n| < 2^8), |r| <= ln2/2; exp(r) = 1 + (r_hi + (r^2 q(r) - c))
// with q of degree 4, near-minimax for the relative error of the result
// (Lawson's weighted least squares; with its float coefficients, below
// 3.8e-9 relative on |r| <= ln2/2, 0.063 ulp of a float). Every target
// computes it in float lanes (8 per AVX2 vector, 16 per AVX-512, 4 per
// NEON); the generic target rounds its products apart. Error bound,
// measured over every float in [-104, 89] (`make expf-exhaustive`, part of
// `make test`): 0.903 ulp (AVX2) and 0.906 ulp (generic) of the exact
// result at worst, so every result is the correctly rounded float or a
// neighbour of it.
#define BW_LOG2E_F 1.44269504088896341f
#define BW_SHIFTER_F 12582912.0f  // 1.5 * 2^23
#define BW_EXPF_Q0 0.49999994f
#define BW_EXPF_Q1 0.16666521f
#define BW_EXPF_Q2 0.04166839f
#define BW_EXPF_Q3 0.0083687175f
#define BW_EXPF_Q4 0.001381459f
#define BW_LN2_HI_F 0.693145751953125f
#define BW_LN2_LO_F 1.42860682030941723e-6f
// |x| up to this keeps n in [-126, 126]: 2^n and the result are normal.
#define BW_EXPF_FAST 87.0f

/// The float exp's constants as whole vectors. The stack kernels take
/// them through vf_exp_consts_opaque() (memory operands: with the values
/// kept live the AVX2 loop otherwise spilled and shuffled registers).
typedef struct {
  bw_vf log2e, shifter, ln2_hi, neg_ln2_lo, q0, q1, q2, q3, q4;
} bw_vfexp_k;
static const bw_vfexp_k bw_vfexp_consts __attribute__((aligned(64))) = {
    BW_SPLAT_F(BW_LOG2E_F), BW_SPLAT_F(BW_SHIFTER_F), BW_SPLAT_F(BW_LN2_HI_F), BW_SPLAT_F(-BW_LN2_LO_F),
    BW_SPLAT_F(BW_EXPF_Q0), BW_SPLAT_F(BW_EXPF_Q1),   BW_SPLAT_F(BW_EXPF_Q2),  BW_SPLAT_F(BW_EXPF_Q3),
    BW_SPLAT_F(BW_EXPF_Q4)};

BW_VFN const bw_vfexp_k *vf_exp_consts_opaque(void) {
  const bw_vfexp_k *k = &bw_vfexp_consts;
  __asm__("" : "+r"(k));
  return k;
}

/// exp of each float lane with |x| <= BW_EXPF_FAST, or NaN (NaN out).
BW_VFN bw_vf vf_exp_core_k(bw_vf x, const bw_vfexp_k *K) {
  // kd = x log2(e) + 1.5 * 2^23 rounds to an integer n held in kd's low
  // mantissa bits; n = kd - shifter exactly.
  bw_vf kd = vf_mul_add(x, K->log2e, K->shifter);
  bw_vf n = vf_sub(kd, K->shifter);
  bw_vf r_hi = vf_neg_mul_add(n, K->ln2_hi, x);  // exact
  bw_vf c = vf_mul(n, K->neg_ln2_lo);            // tiny: |c| < 2e-4
  // r rounded feeds only the polynomial; the exact r_hi and c enter the
  // sum apart, so the rounding of r (up to 0.3 ulp of the result) is not
  // carried into it.
  bw_vf r = vf_add(r_hi, c);
  bw_vf r2 = vf_mul(r, r);
  // q = q0 + q1 r + q2 r^2 + q3 r^3 + q4 r^4, Estrin's split (a shorter
  // chain than Horner's).
  bw_vf lo = vf_mul_add(K->q1, r, K->q0);
  bw_vf hi = vf_mul_add(vf_mul_add(K->q4, r, K->q3), r, K->q2);
  bw_vf q = vf_mul_add(hi, r2, lo);
  bw_vf p = vf_add(r_hi, vf_mul_add(q, r2, c));  // exp(r) - 1
  bw_vf sc = vf_pow2_shifted(kd);                 // 2^n
  return vf_mul_add(sc, p, sc);                   // 2^n (1 + p): sc p is exact, one rounding
}

BW_VFN bw_vf vf_exp_core(bw_vf x) { return vf_exp_core_k(x, &bw_vfexp_consts); }

/// exp of each float lane, any input: lanes outside the fast range
/// (overflow, subnormal results, infinities, NaN) from the scalar
/// bw_exp1_for_f32 (double evaluation, rounded once), the others from the
/// core: each lane's result depends on its own argument alone.
BW_VFN bw_vf vf_exp(bw_vf x) {
  bw_vf y = vf_exp_core(x);
  if (__builtin_expect(mf_all(mf_le(vf_abs(x), vf_set1(BW_EXPF_FAST))), 1)) return y;
  float t[BW_VF_LANES], u[BW_VF_LANES];
  vf_store(t, x);
  vf_store(u, y);
  for (int l = 0; l < BW_VF_LANES; l++)
    if (!(fabsf(t[l]) <= BW_EXPF_FAST)) u[l] = (float)bw_exp1_for_f32((double)t[l]);
  return vf_load(u);
}

/// The fast path with the constants visible to the compiler.
BW_VFN bw_vd vd_exp_core(bw_vd x) { return vd_exp_core_k(x, &bw_vexp_consts); }

/// `&bw_vexp_consts`, hidden from the optimiser. Kernels that keep many
/// values live (the spline stacks) take the constants through this, so the
/// compiler uses them as memory operands instead of broadcasting each into
/// one of the 16 vector registers; in the AVX2 stack loop that removed a
/// spill and a dozen register moves per vector (3-5% faster W1 on the dev
/// machine).
BW_VFN const bw_vexp_k *vd_exp_consts_opaque(void) {
  const bw_vexp_k *k = &bw_vexp_consts;
  __asm__("" : "+r"(k));
  return k;
}

/// Whether x[i] - shift lies in the fast range for every i < len (len a
/// multiple of the lane count). NaN elements are ignored: the fast path
/// returns NaN for them, as it should. Subtraction rounds monotonically,
/// so bounding the extremes bounds every element.
BW_VFN int vd_chunk_in_range(const double *x, long len, bw_vd shift) {
  bw_vd lo = shift, hi = shift;
  for (long k = 0; k < len; k += BW_VD_LANES) {
    bw_vd v = vd_load(x + k);
    lo = vd_min(v, lo);  // the second operand when v is NaN
    hi = vd_max(v, hi);
  }
  return md_all(md_and(md_le(vd_sub(hi, shift), vd_set1(BW_EXP_FAST)),
                       md_ge(vd_sub(lo, shift), vd_set1(-BW_EXP_FAST))));
}

#endif
