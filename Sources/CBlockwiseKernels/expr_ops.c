// The operations of compiled expressions: the public entry points and the
// name tables. The kernels, one per operation and element type, are
// written once in kernels/bw_k_expr_ops.h (with their exactness and error
// bounds) and compiled per target; each call goes through the calling
// thread's (or the named path's) dispatch table.
#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_dispatch.h"

#define BW_OP_NAME(N, S, K) [BW_X_##N] = #S,
static const char *const bw_op_names[BW_X_OP_COUNT] = {BW_OPCODES(BW_OP_NAME)};
const char *bw_expr_op_name(int op) { return op >= 0 && op < BW_X_OP_COUNT ? bw_op_names[op] : NULL; }

#define BW_REDUCTION_NAME(N, S, V) [V] = #S,
static const char *const bw_reduction_names[BW_XR_COUNT] = {BW_REDUCTIONS(BW_REDUCTION_NAME)};
const char *bw_reduction_name(int r) { return r >= 0 && r < BW_XR_COUNT ? bw_reduction_names[r] : NULL; }


void bw_expr_op_f64_on(int path, int op, long n, double *y, const double *a, long as,
                       const double *b, long bs, const double *c, long cs) {
  if (op < 0 || op >= BW_X_OP_COUNT) return;
  bw_kernels_for(path)->expr_f64[op](n, y, a, as, b, bs, c, cs);
}

void bw_expr_op_f32_on(int path, int op, long n, float *y, const float *a, long as,
                       const float *b, long bs, const float *c, long cs) {
  if (op < 0 || op >= BW_X_OP_COUNT) return;
  bw_kernels_for(path)->expr_f32[op](n, y, a, as, b, bs, c, cs);
}

void bw_expr_op_f64(int op, long n, double *y, const double *a, long as, const double *b, long bs,
                    const double *c, long cs) {
  if (op < 0 || op >= BW_X_OP_COUNT) return;
  bw_kernels()->expr_f64[op](n, y, a, as, b, bs, c, cs);
}

void bw_expr_op_f32(int op, long n, float *y, const float *a, long as, const float *b, long bs,
                    const float *c, long cs) {
  if (op < 0 || op >= BW_X_OP_COUNT) return;
  bw_kernels()->expr_f32[op](n, y, a, as, b, bs, c, cs);
}
