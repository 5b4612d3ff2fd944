// The one dispatch table: every kernel is reached through a
// bw_kernel_table, filled once per path from that target's instance of the
// one kernel source (target_*.c) and chosen per thread (bw_kernels(): the
// calling thread's path, which the pool hands on to its workers). No
// kernel asks which instruction set it runs on.
#ifndef BW_DISPATCH_H
#define BW_DISPATCH_H

#include "CBlockwiseKernels.h"

typedef void (*bw_xk_f64)(long n, double *y, const double *a, long as, const double *b, long bs,
                          const double *c, long cs);
typedef void (*bw_xk_f32)(long n, float *y, const float *a, long as, const float *b, long bs,
                          const float *c, long cs);

typedef struct bw_kernel_table {
  int path;  // bw_path
  // reductions.c: one leaf each.
  double (*sum_f64)(const double *x, long n);
  double (*sum_exp_f64)(const double *x, long n, double shift);
  double (*sum_exp_f32)(const float *x, long n, double shift);
  double (*max_f64)(const double *x, long n);
  double (*min_f64)(const double *x, long n);
  double (*max_f32)(const float *x, long n);
  double (*min_f32)(const float *x, long n);
  double (*lse_leaf_f64)(const double *x, long n, double *max_out);
  // elementwise.c
  void (*exp_f64)(const double *x, double *y, long n);
  void (*exp_f32)(const float *x, float *y, long n);
  void (*binary2d_f64)(int op, const double *a, long a_rs, long a_cs, const double *b, long b_rs, long b_cs,
                       double *y, long ldy, long rows, long cols);
  void (*binary2d_f32)(int op, const float *a, long a_rs, long a_cs, const float *b, long b_rs, long b_cs,
                       float *y, long ldy, long rows, long cols);
  void (*widen_f32)(const float *src, double *dst, long n);
  void (*narrow_f64)(const double *src, float *dst, long n);
  // axis.c
  void (*rows_sum_f64)(const double *x, long rows, long ld, long cols, double *acc);
  void (*rows_sum_f32)(const float *x, long rows, long ld, long cols, double *acc);
  void (*rows_sum_exp_f64)(const double *x, long rows, long ld, long cols, const double *shift, double *acc);
  void (*rows_sum_exp_f32)(const float *x, long rows, long ld, long cols, const double *shift, double *acc);
  void (*rows_max_f64)(const double *x, long rows, long ld, long cols, double *acc);
  void (*rows_min_f64)(const double *x, long rows, long ld, long cols, double *acc);
  void (*rows_max_f32)(const float *x, long rows, long ld, long cols, double *acc);
  void (*rows_min_f32)(const float *x, long rows, long ld, long cols, double *acc);
  // layout.c: the transpose of column-major tiles (NULL: the scalar copy).
  void (*transpose_f64)(const double *src, long src_cs, double *dst, long ldd, long rows, long cols);
  void (*transpose_f32)(const float *src, long src_cs, float *dst, long ldd, long rows, long cols);
  // spline.c: bilinear stacks.
  void (*stack_eval)(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                     const double *xi, const double *yi, long m, double *out, long ldo);
  double (*stack_sum_exp)(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                          int bounded, const double *xi, const double *yi, long m);
  void (*stack_per_spline)(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                           int bounded, const double *xi, const double *yi, long m, double *per_spline);
  void (*stack_eval_f32)(const bw_axis *ax, const bw_axis *ay, const float *coef, long n, long npad,
                         const double *xi, const double *yi, long m, float *out, long ldo);
  double (*stack_sum_exp_f32)(const bw_axis *ax, const bw_axis *ay, const float *coef, long n, long npad,
                              int bounded, const double *xi, const double *yi, long m);
  void (*stack_per_spline_f32)(const bw_axis *ax, const bw_axis *ay, const float *coef, long n, long npad,
                               int bounded, const double *xi, const double *yi, long m, double *per_spline);
  // bspline.c: tensor-product B-spline stacks.
  void (*bspline_stack_values)(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef, long n,
                               long npad, const double *xi, const double *yi, long m, double *out, long ldp,
                               long lds);
  double (*bspline_stack_sum_exp)(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                                  long n, long npad, int bounded, const double *xi, const double *yi, long m,
                                  double *scratch);
  void (*bspline_stack_values_f32)(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const float *coef, long n,
                                   long npad, const double *xi, const double *yi, long m, float *out, long ldp,
                                   long lds);
  double (*bspline_stack_sum_exp_f32)(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const float *coef,
                                      long n, long npad, int bounded, const double *xi, const double *yi, long m,
                                      double *scratch);
  // expr_ops.c: one kernel per expression op (indexed by bw_expr_op).
  const bw_xk_f64 *expr_f64;
  const bw_xk_f32 *expr_f32;
} bw_kernel_table;

/// The calling thread's table.
const bw_kernel_table *bw_kernels(void);
/// The table of a path this CPU runs (the portable one for any other).
const bw_kernel_table *bw_kernels_for(int path);

// The members every target fills with its kernel k_<member> (the one
// kernel source, kernels/*.h); transpose_* and expr_* are set apart (a
// target may have no transposes; the expression ops are tables).
#define BW_KERNEL_MEMBERS(X)                                                                  \
  X(sum_f64) X(sum_exp_f64) X(sum_exp_f32) X(max_f64) X(min_f64) X(max_f32) X(min_f32)          \
  X(lse_leaf_f64) X(exp_f64) X(exp_f32) X(binary2d_f64) X(binary2d_f32) X(widen_f32)            \
  X(narrow_f64) X(rows_sum_f64) X(rows_sum_f32) X(rows_sum_exp_f64) X(rows_sum_exp_f32)         \
  X(rows_max_f64) X(rows_min_f64) X(rows_max_f32) X(rows_min_f32) X(stack_eval)                 \
  X(stack_sum_exp) X(stack_per_spline) X(stack_eval_f32) X(stack_sum_exp_f32) X(stack_per_spline_f32)      \
  X(bspline_stack_values) X(bspline_stack_sum_exp) X(bspline_stack_values_f32) X(bspline_stack_sum_exp_f32)

// Each target file (target_<name>.c) fills a table with its instance of
// every kernel; isa.c calls these once. The x86 targets exist on x86-64
// builds only, NEON on aarch64 builds only.
void bw_fill_generic(bw_kernel_table *t);
#if defined(__x86_64__)
void bw_fill_avx2(bw_kernel_table *t);
void bw_fill_avx512(bw_kernel_table *t);
#endif
#if defined(__aarch64__)
void bw_fill_neon(bw_kernel_table *t);
#endif

#endif
