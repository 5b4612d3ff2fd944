// Reductions over one leaf, written once over the vector layer (compiled
// per target by target_*.c). Each uses a fixed set of accumulators
// combined in a fixed order, so the result depends on n and the target
// alone; the Swift layer cuts arrays into leaves of a fixed length and
// adds the leaf partials pairwise, which keeps results independent of
// threads.

// MARK: sum

/// Vector accumulators of the plain sum: enough independent adds in
/// flight to cover the add latency (4 vectors: 16 doubles per step on
/// AVX2, 32 on AVX-512).
#define BW_SUM_ACCUMULATORS 4

/// sum of x[0..n): BW_SUM_ACCUMULATORS vectors over whole steps, the rest
/// (masked, the last vector partial) into the first; the accumulators
/// added as (a0 + a1) + (a2 + a3), then the lanes by vd_reduce_add.
/// Error: at most (n / (4 L) + 6) roundings per term's magnitude (L lanes),
/// the usual bound of blocked summation.
static double k_sum_f64(const double *x, long n) {
  const long L = BW_VD_LANES, step = BW_SUM_ACCUMULATORS * BW_VD_LANES;
  bw_vd s0 = vd_zero(), s1 = s0, s2 = s0, s3 = s0;
  long i = 0;
  for (; i + step <= n; i += step) {
    s0 = vd_add(s0, vd_load(x + i));
    s1 = vd_add(s1, vd_load(x + i + L));
    s2 = vd_add(s2, vd_load(x + i + 2 * L));
    s3 = vd_add(s3, vd_load(x + i + 3 * L));
  }
  for (; i < n; i += L) s0 = vd_add(s0, vd_load_first(x + i, n - i));
  return vd_reduce_add(vd_add(vd_add(s0, s1), vd_add(s2, s3)));
}

// MARK: sum of exp

// The checked path of one chunk, out of line so that the hot loop keeps its
// constants and accumulator in registers (inlined, the compiler spilled the
// accumulators of the fast loop to the stack).
__attribute__((noinline)) static bw_vd k_sum_exp_checked(const double *x, long n, bw_vd sh, bw_vd acc) {
  for (long i = 0; i < n; i += BW_VD_LANES) acc = vd_add(acc, vd_exp(vd_sub(vd_load(x + i), sh)));
  return acc;
}

/// sum of exp(x[i] - shift): one vector accumulator (an add per exp is far
/// from the add latency), chunks of BW_EXP_CHUNK checked for exp's fast
/// range once (`check`, a constant per instance: 0 where the caller knows
/// every x[i] - shift is in it), the rest masked (masked-off lanes read as
/// -inf and add exp(-inf) = 0).
BW_VFN double k_sum_exp_f64_impl(const double *x, long n, double shift, const int check) {
  bw_vd sh = vd_set1(shift);
  bw_vd acc = vd_zero();
  long i = 0;
  for (; i + BW_EXP_CHUNK <= n; i += BW_EXP_CHUNK) {
    // The same accumulator and order on both branches (and without the
    // check: the same bits as with it, for arguments in range).
    if (!check || __builtin_expect(vd_chunk_in_range(x + i, BW_EXP_CHUNK, sh), 1)) {
      for (long k = i; k < i + BW_EXP_CHUNK; k += BW_VD_LANES)
        acc = vd_add(acc, vd_exp_core(vd_sub(vd_load(x + k), sh)));
    } else {
      acc = k_sum_exp_checked(x + i, BW_EXP_CHUNK, sh, acc);
    }
  }
  for (; i < n; i += BW_VD_LANES) {
    bw_vd v = vd_select(md_first(n - i), vd_load_first(x + i, n - i), vd_set1(-INFINITY));
    acc = vd_add(acc, vd_exp(vd_sub(v, sh)));
  }
  return vd_reduce_add(acc);
}
static double k_sum_exp_f64(const double *x, long n, double shift) { return k_sum_exp_f64_impl(x, n, shift, 1); }
/// The same with every x[i] known to satisfy |x[i]| <= BW_EXP_FAST (a
/// bounded spline stack's values): no range pass over the data.
static double k_sum_exp_f64_bounded(const double *x, long n) { return k_sum_exp_f64_impl(x, n, 0.0, 0); }

/// Float inputs: exp(x - shift) in float lanes (vf_exp; the shift is
/// rounded to float and subtracted in float), each vector of results
/// widened and summed in double (two accumulators, the low and high
/// halves), the remainder masked; so the sum adds no Float rounding.
static double k_sum_exp_f32(const float *x, long n, double shift) {
  bw_vf sh = vf_set1((float)shift);
  bw_vd s0 = vd_zero(), s1 = s0;
  long i = 0;
  for (; i + BW_VF_LANES <= n; i += BW_VF_LANES) {
    bw_vf e = vf_exp(vf_sub(vf_load(x + i), sh));
    s0 = vd_add(s0, vd_widen_lo(e));
    s1 = vd_add(s1, vd_widen_hi(e));
  }
  if (i < n) {
    bw_vf e = vf_keep(mf_first(n - i), vf_exp(vf_sub(vf_load_first(x + i, n - i), sh)));
    s0 = vd_add(s0, vd_widen_lo(e));
    s1 = vd_add(s1, vd_widen_hi(e));
  }
  return vd_reduce_add(vd_add(s0, s1));
}

// MARK: min / max (NaN-propagating)

// Four vector extrema and a NaN check per step, the remainder as masked
// vectors, then the lanes. The layer's vd_max returns its second operand when either is
// NaN, so NaNs never enter the extrema and the flag reports them. Which
// zero wins between -0 and +0 is unspecified.
#define BW_PICK_MAX(a, b) ((b) > (a) ? (b) : (a))
#define BW_PICK_MIN(a, b) ((b) < (a) ? (b) : (a))
#define BW_K_EXTREMUM(NAME, T, V, L, LOAD, SET1, OP, NAN_MASK, OR, ANY, STORE, PICK, SELECT, MFIRST, LOAD_FIRST) \
  static double NAME(const T *x, long n) {                                                \
    V m0 = SET1(x[0]), m1 = m0, m2 = m0, m3 = m0;                                         \
    long i = 0;                                                                           \
    for (; i + 4 * L <= n; i += 4 * L) {                                                  \
      V a = LOAD(x + i), b = LOAD(x + i + L), c = LOAD(x + i + 2 * L), d = LOAD(x + i + 3 * L); \
      if (ANY(OR(OR(NAN_MASK(a), NAN_MASK(b)), OR(NAN_MASK(c), NAN_MASK(d))))) return NAN; \
      m0 = OP(a, m0);                                                                     \
      m1 = OP(b, m1);                                                                     \
      m2 = OP(c, m2);                                                                     \
      m3 = OP(d, m3);                                                                     \
    }                                                                                     \
    /* The rest a vector at a time, lanes past n keeping the running extremum. */       \
    for (; i < n; i += L) {                                                               \
      V a = SELECT(MFIRST(n - i), LOAD_FIRST(x + i, n - i), m0);                          \
      if (ANY(NAN_MASK(a))) return NAN;                                                   \
      m0 = OP(a, m0);                                                                     \
    }                                                                                     \
    T lanes[L];                                                                           \
    STORE(lanes, OP(OP(m0, m1), OP(m2, m3)));                                             \
    double best = (double)lanes[0];                                                       \
    for (int l = 1; l < L; l++) best = PICK(best, (double)lanes[l]);                      \
    return best;                                                                          \
  }

BW_K_EXTREMUM(k_max_f64, double, bw_vd, BW_VD_LANES, vd_load, vd_set1, vd_max, md_nan, md_or, md_any, vd_store,
              BW_PICK_MAX, vd_select, md_first, vd_load_first)
BW_K_EXTREMUM(k_min_f64, double, bw_vd, BW_VD_LANES, vd_load, vd_set1, vd_min, md_nan, md_or, md_any, vd_store,
              BW_PICK_MIN, vd_select, md_first, vd_load_first)
BW_K_EXTREMUM(k_max_f32, float, bw_vf, BW_VF_LANES, vf_load, vf_set1, vf_max, mf_nan, mf_or, mf_any, vf_store,
              BW_PICK_MAX, vf_select, mf_first, vf_load_first)
BW_K_EXTREMUM(k_min_f32, float, bw_vf, BW_VF_LANES, vf_load, vf_set1, vf_min, mf_nan, mf_or, mf_any, vf_store,
              BW_PICK_MIN, vf_select, mf_first, vf_load_first)

// MARK: log-sum-exp leaves

// A leaf is summed as s = sum exp(x - shift) for a shift of the kernel's
// choosing (reported in *max_out); the caller combines leaves as (shift,
// s) pairs. Short or non-finite leaves take two passes: shift = max(x),
// then the shifted sum (every special value with the documented
// precedence). Longer finite leaves take one: the shift follows the
// running maximum chunk by chunk, moving only when a chunk's maximum
// exceeds it by more than BW_LSE_SLACK (terms stay below e^64, far from
// overflow, and the sum is rescaled at most a few times per leaf rather
// than at every new maximum). A large array is then read once, like
// sumExp, instead of once for the max and again for the sum.
#define BW_LSE_SLACK 64.0

static double k_lse_leaf_two_pass(const double *x, long n, double *max_out) {
  double m = k_max_f64(x, n);
  *max_out = m;
  if (m != m) return m;                // NaN
  if (m == INFINITY) return INFINITY;
  if (m == -INFINITY) return 0.0;      // all -inf
  return k_sum_exp_f64(x, n, m);
}

static double k_lse_leaf_f64(const double *x, long n, double *max_out) {
  if (n < BW_EXP_CHUNK) return k_lse_leaf_two_pass(x, n, max_out);
  const long L = BW_VD_LANES;
  double shift = 0;
  int started = 0;
  bw_vd acc = vd_zero();
  for (long i = 0; i < n; i += BW_EXP_CHUNK) {
    long len = n - i < BW_EXP_CHUNK ? n - i : BW_EXP_CHUNK;
    // The chunk's extremes (lanes past the leaf read as +-inf, neutral);
    // NaN is ignored here and reaches the sum.
    double lo = INFINITY, hi = -INFINITY;
    {
      bw_vd vlo = vd_set1(INFINITY), vhi = vd_set1(-INFINITY);
      long k = 0;
      // Whole vectors with plain loads (every chunk but a leaf's last),
      // then the masked rest.
      for (; k + L <= len; k += L) {
        bw_vd v = vd_load(x + i + k);
        vlo = vd_min(v, vlo);
        vhi = vd_max(v, vhi);
      }
      for (; k < len; k += L) {
        bw_md in = md_first(len - k);
        bw_vd v = vd_load_first(x + i + k, len - k);
        vlo = vd_min(vd_select(in, v, vd_set1(INFINITY)), vlo);
        vhi = vd_max(vd_select(in, v, vd_set1(-INFINITY)), vhi);
      }
      double l4[BW_VD_LANES], h4[BW_VD_LANES];
      vd_store(l4, vlo);
      vd_store(h4, vhi);
      for (int l = 0; l < L; l++) {
        lo = l4[l] < lo ? l4[l] : lo;
        hi = h4[l] > hi ? h4[l] : hi;
      }
    }
    if (!(hi > -INFINITY && hi < INFINITY)) return k_lse_leaf_two_pass(x, n, max_out);
    if (!started) {
      shift = hi;
      started = 1;
    } else if (hi > shift + BW_LSE_SLACK) {
      acc = vd_mul(acc, vd_set1(bw_exp1(shift - hi)));
      shift = hi;
    }
    bw_vd sh = vd_set1(shift);
    long full = len - len % L;
    if (lo - shift >= -BW_EXP_FAST) {
      for (long k = 0; k < full; k += L) acc = vd_add(acc, vd_exp_core(vd_sub(vd_load(x + i + k), sh)));
    } else {
      acc = k_sum_exp_checked(x + i, full, sh, acc);
    }
    if (full < len) {
      // The last partial vector: lanes past the leaf read as -inf (exp 0).
      bw_md in = md_first(len - full);
      bw_vd v = vd_select(in, vd_load_first(x + i + full, len - full), vd_set1(-INFINITY));
      acc = vd_add(acc, vd_exp(vd_sub(v, sh)));
    }
  }
  *max_out = shift;
  return vd_reduce_add(acc);
}
