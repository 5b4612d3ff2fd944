// The expression executor: a compiled program (see Swift's Expression) is
// run over a range of elements one chunk of BW_EXPR_CHUNK at a time; each
// instruction runs over the whole chunk before the next (numexpr's
// design), so an instruction costs one kernel call per chunk, never a call
// per element, and intermediate values live in per-thread scratch
// registers that stay in cache. Inputs are read in place; the last
// instruction writes the output array directly.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

// The register scratch is a slot of its own, so that a block running an
// expression never shares a buffer with other kernels' scratch.
#define BW_EXPR_SCRATCH_SLOT 1

#define BW_EXPR_EXEC(T, SFX)                                                            \
  /* The pointer and stride (0: broadcast) of an operand for the chunk at off. */      \
  static inline const T *ref_##SFX(bw_expr_ref r, const bw_expr_program *p, const T *const *inputs, \
                                   T *regs, T *out, long off, long *stride) {          \
    switch (r.kind) {                                                                  \
      case BW_X_REGISTER: *stride = 1; return regs + (long)r.index * BW_EXPR_CHUNK;    \
      case BW_X_INPUT: *stride = 1; return inputs[r.index] + off;                      \
      case BW_X_CONSTANT: *stride = 0; return (const T *)p->constants + r.index;       \
      default: *stride = 1; return out + off;                                          \
    }                                                                                  \
  }                                                                                    \
  static void run_chunk_##SFX(const bw_expr_program *p, const bw_xk_##SFX *table,       \
                              const T *const *inputs, T *regs, T *out, long off, long len) { \
    for (long k = 0; k < p->ncode; k++) {                                              \
      const bw_expr_ins *ins = &p->code[k];                                            \
      const T *arg[3] = {NULL, NULL, NULL};                                            \
      long st[3] = {0, 0, 0};                                                          \
      for (int j = 0; j < ins->nargs && j < 3; j++)                                    \
        arg[j] = ref_##SFX(ins->arg[j], p, inputs, regs, out, off, &st[j]);            \
      long ignored;                                                                    \
      T *y = (T *)ref_##SFX(ins->dst, p, inputs, regs, out, off, &ignored);            \
      table[ins->op](len, y, arg[0], st[0], arg[1], st[1], arg[2], st[2]);             \
    }                                                                                  \
  }                                                                                    \
  void bw_expr_eval_##SFX(const bw_expr_program *p, const T *const *inputs, long start, long n, \
                          T *out) {                                                    \
    const bw_xk_##SFX *table = bw_kernels()->expr_##SFX;                                  \
    T *regs = (T *)bw_scratch_slot(BW_EXPR_SCRATCH_SLOT,                               \
                                   (size_t)(p->nregs > 0 ? p->nregs : 1) * BW_EXPR_CHUNK * sizeof(T)); \
    for (long off = start; off < start + n; off += BW_EXPR_CHUNK) {                    \
      long len = start + n - off < BW_EXPR_CHUNK ? start + n - off : BW_EXPR_CHUNK;    \
      run_chunk_##SFX(p, table, inputs, regs, out, off, len);                          \
    }                                                                                  \
  }                                                                                    \
  double bw_expr_reduce_##SFX(const bw_expr_program *p, const T *const *inputs, long start, long n, \
                              int reduction, double *shift) {                          \
    const bw_xk_##SFX *table = bw_kernels()->expr_##SFX;                                  \
    T *regs = (T *)bw_scratch_slot(BW_EXPR_SCRATCH_SLOT,                               \
                                   (size_t)(p->nregs > 0 ? p->nregs : 1) * BW_EXPR_CHUNK * sizeof(T)); \
    double acc = 0, m = 0;                                                             \
    int first = 1;                                                                     \
    for (long off = start; off < start + n; off += BW_EXPR_CHUNK) {                    \
      long len = start + n - off < BW_EXPR_CHUNK ? start + n - off : BW_EXPR_CHUNK;    \
      run_chunk_##SFX(p, table, inputs, regs, NULL, off, len);                         \
      long stride;                                                                     \
      const T *v = ref_##SFX(p->result, p, inputs, regs, NULL, off, &stride);          \
      double part, pm = 0;                                                             \
      switch (reduction) {                                                             \
        case BW_XR_SUM: part = bw_sum_##SFX(v, len); break;                            \
        case BW_XR_SUMEXP: part = bw_sum_exp_##SFX(v, len, 0.0); break;                \
        case BW_XR_MIN: part = bw_min_##SFX(v, len); break;                            \
        case BW_XR_MAX: part = bw_max_##SFX(v, len); break;                            \
        default: part = bw_log_sum_exp_leaf_##SFX(v, len, &pm); break;                 \
      }                                                                                \
      if (first) { acc = part; m = pm; first = 0; continue; }                          \
      switch (reduction) {                                                             \
        case BW_XR_MIN: acc = (acc != acc || part != part) ? NAN : (part < acc ? part : acc); break; \
        case BW_XR_MAX: acc = (acc != acc || part != part) ? NAN : (part > acc ? part : acc); break; \
        case BW_XR_LSE: bw_lse_combine(m, acc, pm, part, &m, &acc); break;             \
        default: acc += part; break;                                                   \
      }                                                                                \
    }                                                                                  \
    if (shift) *shift = m;                                                             \
    return acc;                                                                        \
  }

BW_EXPR_EXEC(double, f64)
BW_EXPR_EXEC(float, f32)

void bw_lse_combine(double m1, double s1, double m2, double s2, double *m, double *s) {
  if (m1 != m1 || m2 != m2 || s1 != s1 || s2 != s2) {
    *m = NAN;
    *s = NAN;
    return;
  }
  double mm = m1 > m2 ? m1 : m2;
  if (mm == INFINITY) {
    *m = INFINITY;
    *s = INFINITY;
    return;
  }
  if (mm == -INFINITY) {
    *m = -INFINITY;
    *s = 0;
    return;
  }
  // exp(-inf) = 0 drops an all -inf side; otherwise each factor is <= 1.
  *m = mm;
  *s = s1 * exp(m1 - mm) + s2 * exp(m2 - mm);
}
