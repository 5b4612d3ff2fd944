// The operations of compiled expressions, one kernel per operation and
// element type, written once (compiled per target by target_*.c). A kernel
// computes y[i] = op(a[i*as], b[i*bs], c[i*cs]) for i < n, with each stride
// 0 (a broadcast constant) or 1; y may be one of its operands (a register
// reused in place).
//
// Exactness: + - * /, comparisons, logic, minimum/maximum, copysign, abs,
// floor/ceil/trunc/round, sign, sqrt, square and the predicates are exact
// IEEE operations (bit for bit numpy's, on every target: no FMA
// contraction, no reassociation). exp (Double) is Blockwise's own (below 1
// ulp, vec/bw_vec_exp.h); every other function is SLEEF's at the target's
// width (scalar, AVX2, AVX-512 or Advanced SIMD forms): u10 functions
// within 1.0 ulp of the exact result, hypot within 0.5001 ulp, fmod exact.
// Where a SLEEF routine's good range is narrower than the type's (see each
// guard below: log1p, sinh, cosh, tanh, arcsinh, arccosh, arctanh, pow,
// arctan2), the arguments outside it are recomputed from libm in a wider
// type, on every target and for broadcast operands alike, so the bounds
// hold on the whole domain; Tests/BlockwiseTests/EdgeValueTests checks
// every function at its edges on every target against mpmath.

#define BW_XK_ARGS(T) long n, T *y, const T *a, long as, const T *b, long bs, const T *c, long cs
#define BW_XK_PASS n, y, a, as, b, bs, c, cs

// MARK: exact unary operations

// EXPR of v; a broadcast operand (as == 0) is computed once.
#define BW_XK_UNARY(NAME, T, EXPR)                                                     \
  BW_INLINE void NAME##_body(BW_XK_ARGS(T)) {                                          \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    if (as == 0) {                                                                     \
      T v = a[0];                                                                      \
      T r = (EXPR);                                                                    \
      for (long i = 0; i < n; i++) y[i] = r;                                           \
      return;                                                                          \
    }                                                                                  \
    BW_IVDEP for (long i = 0; i < n; i++) { T v = a[i]; y[i] = (EXPR); }               \
  }                                                                                    \
  static void NAME(BW_XK_ARGS(T)) { NAME##_body(BW_XK_PASS); }

// numpy's sign: -1, +1, +0 for both zeros, NaN for NaN.
#define BW_SIGN(v) ((v) > 0 ? 1 : ((v) < 0 ? -1 : ((v) == (v) ? 0 : (v))))
#define BW_UNARY_EXACT(T, SFX, FABS, FLOOR, CEIL, TRUNC, RINT, SIGNBIT)                \
  BW_XK_UNARY(x_copy_##SFX, T, v)                                                      \
  BW_XK_UNARY(x_neg_##SFX, T, -v)                                                      \
  BW_XK_UNARY(x_abs_##SFX, T, FABS(v))                                                 \
  BW_XK_UNARY(x_floor_##SFX, T, FLOOR(v))                                              \
  BW_XK_UNARY(x_ceil_##SFX, T, CEIL(v))                                                \
  BW_XK_UNARY(x_trunc_##SFX, T, TRUNC(v))                                              \
  BW_XK_UNARY(x_round_##SFX, T, RINT(v))                                               \
  BW_XK_UNARY(x_sign_##SFX, T, (T)BW_SIGN(v))                                          \
  BW_XK_UNARY(x_isnan_##SFX, T, (T)(v != v))                                           \
  BW_XK_UNARY(x_isinf_##SFX, T, (T)(FABS(v) == (T)INFINITY))                           \
  BW_XK_UNARY(x_isfinite_##SFX, T, (T)(FABS(v) < (T)INFINITY))                         \
  BW_XK_UNARY(x_signbit_##SFX, T, (T)(SIGNBIT(v) != 0))                                \
  BW_XK_UNARY(x_not_##SFX, T, (T)(v == 0))                                             \
  BW_XK_UNARY(x_square_##SFX, T, v * v)                                                \
  BW_XK_UNARY(x_reciprocal_##SFX, T, (T)1 / v)

BW_UNARY_EXACT(double, f64, fabs, floor, ceil, trunc, rint, signbit)
BW_UNARY_EXACT(float, f32, fabsf, floorf, ceilf, truncf, rintf, signbit)

// sqrt is correctly rounded on every target (the instruction, or the C
// function lane by lane); a broadcast operand is computed once.
#define BW_XK_SQRT(T, SFX, V, L, LOAD, STORE, VSQRT, SQRT, LOAD_FIRST, STORE_FIRST)   \
  static void x_sqrt_##SFX(BW_XK_ARGS(T)) {                                            \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    if (as == 0) { T r = SQRT(a[0]); for (long i = 0; i < n; i++) y[i] = r; return; }  \
    long i = 0;                                                                        \
    for (; i + L <= n; i += L) STORE(y + i, VSQRT(LOAD(a + i)));                       \
    if (i < n) STORE_FIRST(y + i, n - i, VSQRT(LOAD_FIRST(a + i, n - i)));             \
  }
BW_XK_SQRT(double, f64, bw_vd, BW_VD_LANES, vd_load, vd_store, vd_sqrt, sqrt, vd_load_first, vd_store_first)
BW_XK_SQRT(float, f32, bw_vf, BW_VF_LANES, vf_load, vf_store, vf_sqrt, sqrtf, vf_load_first, vf_store_first)

// MARK: exact binary and ternary operations

// EXPR of (u, v), with the stride patterns that occur spelled out so each
// loop vectorises.
#define BW_XK_BINARY(NAME, T, EXPR)                                                    \
  BW_INLINE void NAME##_body(BW_XK_ARGS(T)) {                                          \
    (void)c; (void)cs;                                                                 \
    if (as == 1 && bs == 1) {                                                          \
      BW_IVDEP for (long i = 0; i < n; i++) { T u = a[i], v = b[i]; y[i] = (EXPR); }   \
    } else if (as == 1) {                                                              \
      const T v = b[0];                                                                \
      BW_IVDEP for (long i = 0; i < n; i++) { T u = a[i]; y[i] = (EXPR); }             \
    } else if (bs == 1) {                                                              \
      const T u = a[0];                                                                \
      BW_IVDEP for (long i = 0; i < n; i++) { T v = b[i]; y[i] = (EXPR); }             \
    } else {                                                                           \
      const T u = a[0], v = b[0];                                                      \
      const T r = (EXPR);                                                              \
      for (long i = 0; i < n; i++) y[i] = r;                                           \
    }                                                                                  \
  }                                                                                    \
  static void NAME(BW_XK_ARGS(T)) { NAME##_body(BW_XK_PASS); }

// numpy's minimum / maximum: a NaN on either side gives NaN; between equal
// values (+0 and -0) the second operand.
#define BW_BINARY_EXACT(T, SFX, COPYSIGN)                                              \
  BW_XK_BINARY(x_add_##SFX, T, u + v)                                                  \
  BW_XK_BINARY(x_sub_##SFX, T, u - v)                                                  \
  BW_XK_BINARY(x_mul_##SFX, T, u * v)                                                  \
  BW_XK_BINARY(x_div_##SFX, T, u / v)                                                  \
  BW_XK_BINARY(x_lt_##SFX, T, (T)(u < v))                                              \
  BW_XK_BINARY(x_le_##SFX, T, (T)(u <= v))                                             \
  BW_XK_BINARY(x_gt_##SFX, T, (T)(u > v))                                              \
  BW_XK_BINARY(x_ge_##SFX, T, (T)(u >= v))                                             \
  BW_XK_BINARY(x_eq_##SFX, T, (T)(u == v))                                             \
  BW_XK_BINARY(x_ne_##SFX, T, (T)(u != v))                                             \
  BW_XK_BINARY(x_and_##SFX, T, (T)((u != 0) & (v != 0)))                               \
  BW_XK_BINARY(x_or_##SFX, T, (T)((u != 0) | (v != 0)))                                \
  BW_XK_BINARY(x_minimum_##SFX, T, (u < v || u != u) ? u : v)                          \
  BW_XK_BINARY(x_maximum_##SFX, T, (u > v || u != u) ? u : v)                          \
  BW_XK_BINARY(x_copysign_##SFX, T, COPYSIGN(u, v))

BW_BINARY_EXACT(double, f64, copysign)
BW_BINARY_EXACT(float, f32, copysignf)

// where(cond, p, q) and clip(x, lo, hi) = minimum(maximum(x, lo), hi).
#define BW_XK_TERNARY(NAME, T, EXPR)                                                   \
  BW_INLINE void NAME##_body(BW_XK_ARGS(T)) {                                          \
    if (as == 1 && bs == 1 && cs == 1) {                                               \
      BW_IVDEP for (long i = 0; i < n; i++) { T u = a[i], v = b[i], w = c[i]; y[i] = (EXPR); } \
    } else if (as == 1 && bs == 0 && cs == 0) {                                        \
      const T v = b[0], w = c[0];                                                      \
      BW_IVDEP for (long i = 0; i < n; i++) { T u = a[i]; y[i] = (EXPR); }             \
    } else {                                                                           \
      for (long i = 0; i < n; i++) { T u = a[i * as], v = b[i * bs], w = c[i * cs]; y[i] = (EXPR); } \
    }                                                                                  \
  }                                                                                    \
  static void NAME(BW_XK_ARGS(T)) { NAME##_body(BW_XK_PASS); }

#define BW_CLIP(u, v, w) BW_CLIP_MIN(BW_CLIP_MAX(u, v), w)
#define BW_CLIP_MAX(u, v) (((u) > (v) || (u) != (u)) ? (u) : (v))
#define BW_CLIP_MIN(t, w) (((t) < (w) || (t) != (t)) ? (t) : (w))
BW_XK_TERNARY(x_where_f64, double, u != 0 ? v : w)
BW_XK_TERNARY(x_where_f32, float, u != 0 ? v : w)
BW_XK_TERNARY(x_clip_f64, double, BW_CLIP(u, v, w))
BW_XK_TERNARY(x_clip_f32, float, BW_CLIP(u, v, w))

// MARK: SLEEF functions

// Where SLEEF's u10 functions leave 1 ulp (measured by
// scripts/expr_accuracy.c over 10^6 arguments each): log1p, arcsinh and
// arccosh overflow for huge arguments, sinh and cosh overflow below the
// true threshold, tanh and arctanh round tiny arguments one ulp the wrong
// way (as arcsinh and sinh do for Float; arcsinh and arccosh square their
// argument: they overflow from about 1e154 for Double, 1e19 for Float).
// Each function has a range of |x| where SLEEF is used; the rare lanes
// outside it are recomputed one by one from libm (long double for Double,
// double for Float; both about 2^11 times finer than the result), which
// are then correctly rounded in practice. A call checks its operand with
// one vectorised pass for the smallest and largest |x| (NaN ignored).
#define BW_TINY_D 0x1p-26
#define BW_TINY_F 0x1p-12

// The smallest and largest |a[i]|, NaN ignored (vd_min/vd_max return the
// accumulator, their second operand, when a lane is NaN).
#define BW_K_ABS_RANGE(NAME, T, V, L, LOAD, SET1, ABS, MIN, MAX, STORE, SELECT, MFIRST, LOAD_FIRST) \
  static void NAME(const T *a, long n, double *lo, double *hi) {                          \
    V vlo = SET1(INFINITY), vhi = SET1(0);                                                \
    long i = 0;                                                                           \
    for (; i < n; i += L) {                                                               \
      /* Lanes past n repeat a[0] (neutral for both extremes). */                         \
      V v = ABS(i + L <= n ? LOAD(a + i) : SELECT(MFIRST(n - i), LOAD_FIRST(a + i, n - i), SET1(a[0]))); \
      vlo = MIN(v, vlo);                                                                  \
      vhi = MAX(v, vhi);                                                                  \
    }                                                                                     \
    T l[L], h[L];                                                                         \
    STORE(l, vlo);                                                                        \
    STORE(h, vhi);                                                                        \
    double mn = INFINITY, mx = 0;                                                         \
    for (int k = 0; k < L; k++) {                                                         \
      mn = l[k] < mn ? l[k] : mn;                                                         \
      mx = h[k] > mx ? h[k] : mx;                                                         \
    }                                                                                     \
    *lo = mn;                                                                             \
    *hi = mx;                                                                             \
  }
BW_K_ABS_RANGE(k_abs_range_f64, double, bw_vd, BW_VD_LANES, vd_load, vd_set1, vd_abs, vd_min, vd_max, vd_store,
               vd_select, md_first, vd_load_first)
BW_K_ABS_RANGE(k_abs_range_f32, float, bw_vf, BW_VF_LANES, vf_load, vf_set1, vf_abs, vf_min, vf_max, vf_store,
               vf_select, mf_first, vf_load_first)

// y[i] = FN(a[i]) for i < n at the target's SLEEF width: whole vectors,
// then the tail through a copy padded with PAD (the padding lanes are
// computed and dropped; no floating-point exception traps).
#if defined(BW_SLEEF_SCALAR)
#define BW_SLEEF_MAP1(T, L, V, LOAD, STORE, FN, a, y, n) \
  for (long i_ = 0; i_ < (n); i_++) (y)[i_] = FN((a)[i_]);
#define BW_SLEEF_MAP2(T, L, V, LOAD, STORE, SET1, FN, a, as, b, bs, y, n) \
  for (long i_ = 0; i_ < (n); i_++) (y)[i_] = FN((a)[i_ * (as)], (b)[i_ * (bs)]);
#else
#if defined(BW_SLEEF_DIRECT)
// Vector arguments in registers: a plain call per vector.
#define BW_SLEEF_VEC1(V, LOAD, STORE, FN, a, y, nvec) \
  for (long v_ = 0; v_ < (nvec); v_++) STORE((y) + v_ * L_, FN(LOAD((a) + v_ * L_)));
#define BW_SLEEF_VEC2(V, LOAD, STORE, FN, a, astep, b, bstep, y, nvec)                          \
  for (long v_ = 0; v_ < (nvec); v_++)                                                           \
    STORE((y) + v_ * L_, FN(LOAD((a) + v_ * (astep) / (long)sizeof(*(a))), LOAD((b) + v_ * (bstep) / (long)sizeof(*(b)))));
#else
// Through the trampolines (bw_sleef.h): the vector ABI of this translation
// unit is not SLEEF's.
#define BW_SLEEF_VEC1(V, LOAD, STORE, FN, a, y, nvec) bw_sleef_map1(FN, a, y, nvec);
#define BW_SLEEF_VEC2(V, LOAD, STORE, FN, a, astep, b, bstep, y, nvec) \
  bw_sleef_map2(FN, a, astep, b, bstep, y, nvec);
#endif
#define BW_SLEEF_MAP1(T, L, V, LOAD, STORE, FN, a, y, n)                          \
  do {                                                                           \
    const long L_ = (L);                                                         \
    long full_ = (n) / L_;                                                       \
    BW_SLEEF_VEC1(V, LOAD, STORE, FN, a, y, full_)                               \
    if (full_ * L_ < (n)) {                                                      \
      T t_[L];                                                                   \
      for (long k_ = 0; k_ < L_; k_++) t_[k_] = 0;                               \
      for (long k_ = full_ * L_; k_ < (n); k_++) t_[k_ - full_ * L_] = (a)[k_];  \
      BW_SLEEF_VEC1(V, LOAD, STORE, FN, t_, t_, 1)                               \
      for (long k_ = full_ * L_; k_ < (n); k_++) (y)[k_] = t_[k_ - full_ * L_];  \
    }                                                                            \
  } while (0);
// A broadcast operand is splat into a vector read at every step.
#define BW_SLEEF_MAP2(T, L, V, LOAD, STORE, SET1, FN, a, as, b, bs, y, n)                       \
  do {                                                                                         \
    const long L_ = (L);                                                                       \
    T sa_[L], sb_[L];                                                                          \
    for (long l_ = 0; l_ < L_; l_++) { sa_[l_] = (a)[0]; sb_[l_] = (b)[0]; }                  \
    long full_ = (n) / L_;                                                                     \
    const long vb_ = L_ * (long)sizeof(T);                                                     \
    BW_SLEEF_VEC2(V, LOAD, STORE, FN, (as) ? (a) : sa_, (as) ? vb_ : 0, (bs) ? (b) : sb_,      \
                  (bs) ? vb_ : 0, y, full_)                                                    \
    if (full_ * L_ < (n)) {                                                                    \
      T t_[L], u_[L];                                                                          \
      for (long l_ = 0; l_ < L_; l_++) { t_[l_] = 1; u_[l_] = 1; }                            \
      for (long k_ = full_ * L_; k_ < (n); k_++) {                                             \
        t_[k_ - full_ * L_] = (a)[k_ * (as)];                                                  \
        u_[k_ - full_ * L_] = (b)[k_ * (bs)];                                                  \
      }                                                                                        \
      BW_SLEEF_VEC2(V, LOAD, STORE, FN, t_, 0, u_, 0, t_, 1)                                   \
      for (long k_ = full_ * L_; k_ < (n); k_++) (y)[k_] = t_[k_ - full_ * L_];                \
    }                                                                                          \
  } while (0);
#endif

// One element (a broadcast operand): SLEEF's scalar function inside
// [LO, HI], else the reference. Arrays: SLEEF at the target's width over
// all, then the lanes outside [LO, HI] from the reference.
#define BW_XK_SLEEF_UNARY(NAME, SN, U, RD, RF, DLO, DHI, FLO, FHI)                       \
  static inline double NAME##_f64_one(double v) {                                      \
    double m = fabs(v);                                                                \
    return (m < DLO || m > DHI) ? (double)RD((long double)v) : Sleef_##SN##_##U(v);    \
  }                                                                                    \
  static inline float NAME##_f32_one(float v) {                                        \
    double m = fabsf(v);                                                               \
    return (m < FLO || m > FHI) ? (float)RF((double)v) : Sleef_##SN##f_##U(v);         \
  }                                                                                    \
  __attribute__((unused)) static void x_##NAME##_f64(BW_XK_ARGS(double)) {             \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    if (as == 0) { double r = NAME##_f64_one(a[0]); for (long i = 0; i < n; i++) y[i] = r; return; } \
    BW_SLEEF_MAP1(double, BW_VD_LANES, bw_vd, vd_load, vd_store, BW_SLEEF_VD(SN, U), a, y, n) \
    if (DLO > 0 || DHI < INFINITY) {                                                   \
      double lo, hi;                                                                   \
      k_abs_range_f64(a, n, &lo, &hi);                                                 \
      if (lo < DLO || hi > DHI)                                                        \
        for (long i = 0; i < n; i++) {                                                 \
          double v = fabs(a[i]);                                                       \
          if (v < DLO || v > DHI) y[i] = (double)RD((long double)a[i]);                \
        }                                                                              \
    }                                                                                  \
  }                                                                                    \
  static void x_##NAME##_f32(BW_XK_ARGS(float)) {                                      \
    (void)b; (void)bs; (void)c; (void)cs;                                              \
    if (as == 0) { float r = NAME##_f32_one(a[0]); for (long i = 0; i < n; i++) y[i] = r; return; } \
    BW_SLEEF_MAP1(float, BW_VF_LANES, bw_vf, vf_load, vf_store, BW_SLEEF_VF(SN, U), a, y, n) \
    if (FLO > 0 || FHI < INFINITY) {                                                   \
      double lo, hi;                                                                   \
      k_abs_range_f32(a, n, &lo, &hi);                                                 \
      if (lo < FLO || hi > FHI)                                                        \
        for (long i = 0; i < n; i++) {                                                 \
          double v = fabsf(a[i]);                                                      \
          if (v < FLO || v > FHI) y[i] = (float)RF((double)a[i]);                      \
        }                                                                              \
    }                                                                                  \
  }

// Functions SLEEF computes within 1 ulp everywhere: no guard.
#define BW_XK_SLEEF_UNARY_ALL(NAME, SN, RD, RF) BW_XK_SLEEF_UNARY(NAME, SN, u10, RD, RF, 0, INFINITY, 0, INFINITY)
BW_XK_SLEEF_UNARY_ALL(expm1, expm1, expm1l, expm1)
BW_XK_SLEEF_UNARY_ALL(log, log, logl, log)
BW_XK_SLEEF_UNARY_ALL(log2, log2, log2l, log2)
BW_XK_SLEEF_UNARY_ALL(log10, log10, log10l, log10)
BW_XK_SLEEF_UNARY(log1p, log1p, u10, log1pl, log1p, 0, 1e300, 0, 1e37)
BW_XK_SLEEF_UNARY_ALL(sin, sin, sinl, sin)
BW_XK_SLEEF_UNARY_ALL(cos, cos, cosl, cos)
BW_XK_SLEEF_UNARY_ALL(tan, tan, tanl, tan)
BW_XK_SLEEF_UNARY_ALL(arcsin, asin, asinl, asin)
BW_XK_SLEEF_UNARY_ALL(arccos, acos, acosl, acos)
BW_XK_SLEEF_UNARY_ALL(arctan, atan, atanl, atan)
BW_XK_SLEEF_UNARY(sinh, sinh, u10, sinhl, sinh, BW_TINY_D, 709, BW_TINY_F, 88)
BW_XK_SLEEF_UNARY(cosh, cosh, u10, coshl, cosh, 0, 709, 0, 88)
BW_XK_SLEEF_UNARY(tanh, tanh, u10, tanhl, tanh, BW_TINY_D, INFINITY, BW_TINY_F, INFINITY)
BW_XK_SLEEF_UNARY(arcsinh, asinh, u10, asinhl, asinh, BW_TINY_D, 1e150, BW_TINY_F, 1e18)
BW_XK_SLEEF_UNARY(arccosh, acosh, u10, acoshl, acosh, 0, 1e150, 0, 1e18)
BW_XK_SLEEF_UNARY(arctanh, atanh, u10, atanhl, atanh, BW_TINY_D, INFINITY, BW_TINY_F, INFINITY)
BW_XK_SLEEF_UNARY_ALL(expf_sleef, exp, expl, exp)

// exp: Blockwise's own kernel for Double (k_exp_f64, below 1 ulp); SLEEF's
// for Float (a float lane per element instead of a double).
static void x_exp_f64(BW_XK_ARGS(double)) {
  (void)b; (void)bs; (void)c; (void)cs;
  if (as == 0) {
    double r = bw_exp1(a[0]);
    for (long i = 0; i < n; i++) y[i] = r;
    return;
  }
  k_exp_f64(a, y, n);
}
#define x_exp_f32 x_expf_sleef_f32

// Two-argument functions.
#define BW_XK_SLEEF_BINARY(NAME, SN, U)                                                \
  static void x_##NAME##_f64(BW_XK_ARGS(double)) {                                     \
    (void)c; (void)cs;                                                                 \
    BW_SLEEF_MAP2(double, BW_VD_LANES, bw_vd, vd_load, vd_store, vd_set1, BW_SLEEF_VD(SN, U), a, as, b, bs, y, n) \
  }                                                                                    \
  static void x_##NAME##_f32(BW_XK_ARGS(float)) {                                      \
    (void)c; (void)cs;                                                                 \
    BW_SLEEF_MAP2(float, BW_VF_LANES, bw_vf, vf_load, vf_store, vf_set1, BW_SLEEF_VF(SN, U), a, as, b, bs, y, n) \
  }

BW_XK_SLEEF_BINARY(pow_sleef, pow, u10)

// pow whose result is near or past overflow or underflow: SLEEF's pow
// overflows early (it returned +inf for results a few hundred ulps below
// DBL_MAX) and loses subnormal results, so results of magnitude outside
// [2^-1000, 2^1000] (2^-120, 2^120 for Float), and NaN results, are
// recomputed from libm in wider precision (long double, double for Float)
// and rounded once; libm's pow gives C99's special values, as numpy does.
// Results are thereby within 1 ulp on the whole domain. The check is one
// compare per element; the recomputed lanes are rare in real data.
#define BW_POW(T, SFX, LIM, REF, WIDE)                                                 \
  static void x_pow_##SFX(BW_XK_ARGS(T)) {                                             \
    x_pow_sleef_##SFX(BW_XK_PASS);                                                     \
    for (long i = 0; i < n; i++) {                                                     \
      T m = y[i] < 0 ? -y[i] : y[i];                                                   \
      if (!(m >= (T)(1 / LIM) && m <= (T)LIM))                                         \
        y[i] = (T)REF((WIDE)a[i * as], (WIDE)b[i * bs]);                               \
    }                                                                                  \
  }
BW_POW(double, f64, 0x1p1000, powl, long double)
BW_POW(float, f32, 0x1p120f, pow, double)
BW_XK_SLEEF_BINARY(arctan2_sleef, atan2, u10)

// arctan2 whose result is near or below the smallest normal (a tiny y
// over a larger x): SLEEF's scalar form rounds those subnormal results up
// to 1.4 ulp off, so they are recomputed from libm on every target.
#define BW_ARCTAN2(T, SFX, TINY, REF, WIDE)                                            \
  static void x_arctan2_##SFX(BW_XK_ARGS(T)) {                                         \
    x_arctan2_sleef_##SFX(BW_XK_PASS);                                                 \
    for (long i = 0; i < n; i++)                                                       \
      if (fabs((double)y[i]) < TINY) y[i] = (T)REF((WIDE)a[i * as], (WIDE)b[i * bs]);  \
  }
BW_ARCTAN2(double, f64, 0x1p-1020, atan2l, long double)
BW_ARCTAN2(float, f32, 0x1p-124, atan2, double)
BW_XK_SLEEF_BINARY(hypot, hypot, u05)

// fmod is exact; SLEEF's loses the result when x / y passes about 2^1000,
// so every target uses the C library's (exact by definition).
#define BW_XK_BINARY_CALL(NAME, T, FN)                                                 \
  static void NAME(BW_XK_ARGS(T)) {                                                    \
    (void)c; (void)cs;                                                                 \
    for (long i = 0; i < n; i++) y[i] = FN(a[i * as], b[i * bs]);                     \
  }
BW_XK_BINARY_CALL(x_fmod_f64, double, fmod)
BW_XK_BINARY_CALL(x_fmod_f32, float, fmodf)

// Every opcode's kernel, by the one list (bw_opcodes.h): entry op is
// x_<kernel base>_<type>.
#define BW_XK_F64_ENTRY(N, S, K) [BW_X_##N] = x_##K##_f64,
#define BW_XK_F32_ENTRY(N, S, K) [BW_X_##N] = x_##K##_f32,
static const bw_xk_f64 k_expr_f64[BW_X_OP_COUNT] = {BW_OPCODES(BW_XK_F64_ENTRY)};
static const bw_xk_f32 k_expr_f32[BW_X_OP_COUNT] = {BW_OPCODES(BW_XK_F32_ENTRY)};
