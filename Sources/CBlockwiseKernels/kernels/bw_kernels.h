// Every kernel, written once over the vector layer, and this target's
// dispatch table entries. Included once by each target_*.c after its
// layer header (vec/bw_vec_<target>.h), which fixes the vector width,
// whether multiply-add is fused, and SLEEF's form; nothing here asks which
// target it is compiled for.
#include "../vec/bw_vec_exp.h"
#include "bw_k_reductions.h"
#include "bw_k_elementwise.h"
#include "bw_k_axis.h"
#include "bw_k_layout.h"
#include "bw_k_spline.h"
#include "bw_k_bspline.h"
#include "bw_k_expr_ops.h"

#define BW_CAT_(a, b) a##b
#define BW_CAT(a, b) BW_CAT_(a, b)

/// This target's entries of the dispatch table (isa.c calls it once).
void BW_CAT(bw_fill_, BW_TARGET_NAME)(bw_kernel_table *t) {
#define BW_SET(member) t->member = k_##member;
  BW_KERNEL_MEMBERS(BW_SET)
#undef BW_SET
  t->transpose_f64 = BW_K_TRANSPOSE_F64;
  t->transpose_f32 = BW_K_TRANSPOSE_F32;
  t->expr_f64 = k_expr_f64;
  t->expr_f32 = k_expr_f32;
}
