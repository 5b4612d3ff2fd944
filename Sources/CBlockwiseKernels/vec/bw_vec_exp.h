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
