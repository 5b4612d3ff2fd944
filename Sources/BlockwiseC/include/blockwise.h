/*
 * blockwise.h: the C ABI of Blockwise (libBlockwiseC.so), C99.
 *
 * A thin layer over the Swift library: every function calls its public
 * Swift API, so results are the same bit for bit as from Swift, on every
 * core of the process-wide pool, identical for any thread count.
 *
 * Conventions
 * - Every function that can fail returns a blockwise_status; BLOCKWISE_OK
 *   is 0. On failure, blockwise_last_error() returns the message (the
 *   Swift BlockwiseError's text: what was expected and what came in).
 *   Nothing traps or aborts on any argument a caller can pass: null
 *   pointers, negative lengths and wrong sizes are reported as errors.
 * - Arrays are a pointer and an element count (int64_t), row-major.
 *   Inputs are read in place, never copied, unless the element type must
 *   change (float64 points for a float32 spline, or the reverse: one
 *   converted copy). A null pointer is accepted only with a count of 0.
 * - Outputs go to buffers the caller provides, with their length in
 *   elements; a length other than the one the call produces is an error
 *   (nothing is written).
 * - Functions ending in _f64 take double, _f32 take float.
 *
 * Ownership
 * - Handles (blockwise_spline, blockwise_spline_stack,
 *   blockwise_expression) are created by *_create, which copies what it
 *   needs from its inputs (the caller may free them after the call), and
 *   released by *_free (NULL is accepted). A handle may be used from
 *   several threads at once; it must not be used after it is freed.
 * - Strings returned by this library are owned by it: version and
 *   kernel-path strings live for the process, variable names as long as
 *   their expression, blockwise_last_error() until the next failing call
 *   on the same thread.
 *
 * Threads: calls may come from any thread. The work of each call runs on
 * the calling thread and the pool's workers; concurrent calls share the
 * pool (one busy thread per core in total).
 */
#ifndef BLOCKWISE_H
#define BLOCKWISE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Status, errors, version */

typedef enum blockwise_status {
  BLOCKWISE_OK = 0,
  /* A value out of its domain: a null pointer with elements, a negative
     length, knots not strictly increasing, a non-finite value, a bad
     thread count. */
  BLOCKWISE_INVALID_ARGUMENT = 1,
  /* Lengths or shapes that do not agree (an output buffer of the wrong
     length included). */
  BLOCKWISE_SHAPE_MISMATCH = 2,
  /* An expression that does not parse, or variables missing or unknown. */
  BLOCKWISE_EXPRESSION_ERROR = 3,
  /* An operation that needs elements (min, max) on none. */
  BLOCKWISE_EMPTY = 4,
  /* The system refused memory. */
  BLOCKWISE_OUT_OF_MEMORY = 5,
  /* Any other failure (the message says what). */
  BLOCKWISE_INTERNAL_ERROR = 99
} blockwise_status;

/* The message of the last failing call on this thread ("" if none). */
const char *blockwise_last_error(void);

/* The library's version, "major.minor.patch". */
const char *blockwise_version(void);

/* The kernel path in use: "avx512", "avx2-fma", "neon" or "generic"
   (BLOCKWISE_ISA=avx512|avx2|neon|generic forces one the CPU runs). */
const char *blockwise_kernel_isa(void);

/* MARK: - Threads */

/* Threads the pool uses per call (the calling thread included). */
int64_t blockwise_thread_count(void);

/* Sets the pool's thread count: 1 ... blockwise_max_thread_count(). */
blockwise_status blockwise_set_thread_count(int64_t count);

/* The largest count blockwise_set_thread_count accepts. */
int64_t blockwise_max_thread_count(void);

/* MARK: - Arrays */

/* out[i] = exp(x[i]); out_len must equal n. Within 1 ulp. */
blockwise_status blockwise_exp_f64(const double *x, int64_t n, double *out, int64_t out_len);
blockwise_status blockwise_exp_f32(const float *x, int64_t n, float *out, int64_t out_len);

/* *result = sum_i exp(x[i]), fused (0 for n = 0). */
blockwise_status blockwise_sum_exp_f64(const double *x, int64_t n, double *result);
blockwise_status blockwise_sum_exp_f32(const float *x, int64_t n, float *result);

/* *result = log(sum_i exp(x[i])), max-shifted (-inf for n = 0). */
blockwise_status blockwise_log_sum_exp_f64(const double *x, int64_t n, double *result);
blockwise_status blockwise_log_sum_exp_f32(const float *x, int64_t n, float *result);

/* Reductions by code (blockwise_reduction, below): *result = the
   reduction of all n elements (sum and sum_exp 0 for n = 0, log_sum_exp
   -inf, min and max BLOCKWISE_EMPTY). Float32 input accumulates in double
   and rounds once. */
blockwise_status blockwise_reduce_f64(int reduction, const double *x, int64_t n, double *result);
blockwise_status blockwise_reduce_f32(int reduction, const float *x, int64_t n, float *result);

/* The reduction along one axis of a row-major array of shape[0 .. ndim)
   (1 <= ndim <= 32): out receives one value per position of the other
   axes, row-major; out_len must be the product of the other dimensions.
   axis may be negative (counted from the end). Deterministic for any
   thread count; along the last axis each value is bit for bit the
   whole-array reduction of that row. */
blockwise_status blockwise_reduce_axis_f64(int reduction, const double *x, const int64_t *shape, int64_t ndim,
                                           int64_t axis, double *out, int64_t out_len);
blockwise_status blockwise_reduce_axis_f32(int reduction, const float *x, const int64_t *shape, int64_t ndim,
                                           int64_t axis, float *out, int64_t out_len);

/* MARK: - Bilinear spline (scipy RectBivariateSpline, kx = ky = 1) */

typedef struct blockwise_spline blockwise_spline;

/* A spline through z (nx * ny values, row-major: z[i * ny + j] at
   (x[i], y[j])) on strictly increasing knots x (nx >= 2) and y (ny >= 2).
   z_len must be nx * ny. The _f32 form makes a float32 spline. */
blockwise_status blockwise_spline_create_f64(const double *x, int64_t nx, const double *y, int64_t ny,
                                             const double *z, int64_t z_len, blockwise_spline **spline);
blockwise_status blockwise_spline_create_f32(const float *x, int64_t nx, const float *y, int64_t ny,
                                             const float *z, int64_t z_len, blockwise_spline **spline);
void blockwise_spline_free(blockwise_spline *spline);

/* 1 if the spline holds float32 values, 0 for float64 (-1 for NULL). */
int blockwise_spline_is_f32(const blockwise_spline *spline);

/* out[i] = s(xi[i], yi[i]) for n points (scipy's ev); out_len = n. */
blockwise_status blockwise_spline_ev_f64(const blockwise_spline *spline, const double *xi, const double *yi,
                                         int64_t n, double *out, int64_t out_len);
blockwise_status blockwise_spline_ev_f32(const blockwise_spline *spline, const float *xi, const float *yi,
                                         int64_t n, float *out, int64_t out_len);

/* out[i * ngy + j] = s(gx[i], gy[j]) (scipy's __call__ with grid=True);
   out_len = ngx * ngy. */
blockwise_status blockwise_spline_grid_f64(const blockwise_spline *spline, const double *gx, int64_t ngx,
                                           const double *gy, int64_t ngy, double *out, int64_t out_len);
blockwise_status blockwise_spline_grid_f32(const blockwise_spline *spline, const float *gx, int64_t ngx,
                                           const float *gy, int64_t ngy, float *out, int64_t out_len);

/* *result = sum_i exp(s(xi[i], yi[i])), fused. */
blockwise_status blockwise_spline_sum_exp_f64(const blockwise_spline *spline, const double *xi,
                                              const double *yi, int64_t n, double *result);
blockwise_status blockwise_spline_sum_exp_f32(const blockwise_spline *spline, const float *xi,
                                              const float *yi, int64_t n, float *result);

/* MARK: - Stack of bilinear splines on one grid */

typedef struct blockwise_spline_stack blockwise_spline_stack;

/* count splines on the grid x by y; z holds count * nx * ny values,
   spline k's at z[k * nx * ny ...] row-major; z_len must be
   count * nx * ny. */
blockwise_status blockwise_stack_create_f64(const double *x, int64_t nx, const double *y, int64_t ny,
                                            const double *z, int64_t z_len, int64_t count,
                                            blockwise_spline_stack **stack);
blockwise_status blockwise_stack_create_f32(const float *x, int64_t nx, const float *y, int64_t ny,
                                            const float *z, int64_t z_len, int64_t count,
                                            blockwise_spline_stack **stack);
void blockwise_stack_free(blockwise_spline_stack *stack);

/* The number of splines (-1 for NULL). */
int64_t blockwise_stack_count(const blockwise_spline_stack *stack);
/* 1 if the stack holds float32 values, 0 for float64 (-1 for NULL). */
int blockwise_stack_is_f32(const blockwise_spline_stack *stack);

/* out[k * n + i] = f_k(xi[i], yi[i]); out_len = count * n. */
blockwise_status blockwise_stack_ev_f64(const blockwise_spline_stack *stack, const double *xi,
                                        const double *yi, int64_t n, double *out, int64_t out_len);
blockwise_status blockwise_stack_ev_f32(const blockwise_spline_stack *stack, const float *xi, const float *yi,
                                        int64_t n, float *out, int64_t out_len);

/* *result = sum_k sum_i exp(f_k(xi[i], yi[i])), fused, in Double. */
blockwise_status blockwise_stack_sum_exp_f64(const blockwise_spline_stack *stack, const double *xi,
                                             const double *yi, int64_t n, double *result);
blockwise_status blockwise_stack_sum_exp_f32(const blockwise_spline_stack *stack, const float *xi,
                                             const float *yi, int64_t n, float *result);

/* out[k] = sum_i exp(f_k(xi[i], yi[i])); out_len = count. */
blockwise_status blockwise_stack_sum_exp_per_spline_f64(const blockwise_spline_stack *stack, const double *xi,
                                                        const double *yi, int64_t n, double *out,
                                                        int64_t out_len);
blockwise_status blockwise_stack_sum_exp_per_spline_f32(const blockwise_spline_stack *stack, const float *xi,
                                                        const float *yi, int64_t n, float *out,
                                                        int64_t out_len);

/* MARK: - Smooth splines (scipy RectBivariateSpline, s = 0, degrees 1-5) */

typedef struct blockwise_bspline blockwise_bspline;
typedef struct blockwise_bspline_stack blockwise_bspline_stack;

/* An interpolating tensor-product spline of degrees kx, ky (1 ... 5)
   through z (nx * ny values, row-major) on strictly increasing x
   (nx >= kx + 1) and y (ny >= ky + 1): scipy's knots and coefficients.
   The _f32 form keeps float32 values. */
blockwise_status blockwise_bspline_create_f64(const double *x, int64_t nx, const double *y, int64_t ny,
                                              const double *z, int64_t z_len, int kx, int ky,
                                              blockwise_bspline **spline);
blockwise_status blockwise_bspline_create_f32(const float *x, int64_t nx, const float *y, int64_t ny,
                                              const float *z, int64_t z_len, int kx, int ky,
                                              blockwise_bspline **spline);
void blockwise_bspline_free(blockwise_bspline *spline);
/* 1 if the spline holds float32 values, 0 for float64 (-1 for NULL). */
int blockwise_bspline_is_f32(const blockwise_bspline *spline);

/* out[i] = the (dx, dy) partial derivative at (xi[i], yi[i]) (0 <= dx <=
   kx, 0 <= dy <= ky; 0, 0 for values), points outside clamped to the grid
   as scipy's; out_len = n. */
blockwise_status blockwise_bspline_ev_f64(const blockwise_bspline *spline, const double *xi, const double *yi,
                                          int64_t n, int dx, int dy, double *out, int64_t out_len);
blockwise_status blockwise_bspline_ev_f32(const blockwise_bspline *spline, const float *xi, const float *yi,
                                          int64_t n, int dx, int dy, float *out, int64_t out_len);
/* out[i * ngy + j] = s(gx[i], gy[j]); out_len = ngx * ngy. */
blockwise_status blockwise_bspline_grid_f64(const blockwise_bspline *spline, const double *gx, int64_t ngx,
                                            const double *gy, int64_t ngy, double *out, int64_t out_len);
blockwise_status blockwise_bspline_grid_f32(const blockwise_bspline *spline, const float *gx, int64_t ngx,
                                            const float *gy, int64_t ngy, float *out, int64_t out_len);
/* Knots of axis 0 (x) or 1 (y), and the x-major coefficients, as double
   (scipy's get_knots and get_coeffs); counts are -1 for a bad handle. */
int64_t blockwise_bspline_knot_count(const blockwise_bspline *spline, int axis);
blockwise_status blockwise_bspline_knots(const blockwise_bspline *spline, int axis, double *out, int64_t out_len);
int64_t blockwise_bspline_coefficient_count(const blockwise_bspline *spline);
blockwise_status blockwise_bspline_coefficients(const blockwise_bspline *spline, double *out, int64_t out_len);
/* *result = the integral over [xa, xb] x [ya, yb] (xa < xb, ya < yb,
   clamped to the grid). */
blockwise_status blockwise_bspline_integral(const blockwise_bspline *spline, double xa, double xb, double ya,
                                            double yb, double *result);
/* *result = sum_i exp(s(xi[i], yi[i])), fused. */
blockwise_status blockwise_bspline_sum_exp_f64(const blockwise_bspline *spline, const double *xi, const double *yi,
                                               int64_t n, double *result);
blockwise_status blockwise_bspline_sum_exp_f32(const blockwise_bspline *spline, const float *xi, const float *yi,
                                               int64_t n, float *result);

/* count smooth splines on one grid (z: count * nx * ny values). */
blockwise_status blockwise_bspline_stack_create_f64(const double *x, int64_t nx, const double *y, int64_t ny,
                                                    const double *z, int64_t z_len, int64_t count, int kx, int ky,
                                                    blockwise_bspline_stack **stack);
blockwise_status blockwise_bspline_stack_create_f32(const float *x, int64_t nx, const float *y, int64_t ny,
                                                    const float *z, int64_t z_len, int64_t count, int kx, int ky,
                                                    blockwise_bspline_stack **stack);
void blockwise_bspline_stack_free(blockwise_bspline_stack *stack);
int64_t blockwise_bspline_stack_count(const blockwise_bspline_stack *stack);
/* out[k * n + i] = f_k(xi[i], yi[i]); out_len = count * n. */
blockwise_status blockwise_bspline_stack_ev_f64(const blockwise_bspline_stack *stack, const double *xi,
                                                const double *yi, int64_t n, double *out, int64_t out_len);
blockwise_status blockwise_bspline_stack_ev_f32(const blockwise_bspline_stack *stack, const float *xi,
                                                const float *yi, int64_t n, float *out, int64_t out_len);
/* *result = sum_k sum_i exp(f_k(xi[i], yi[i])), fused, in double, points
   in cell order inside fixed leaves: the same bits for any thread count. */
blockwise_status blockwise_bspline_stack_sum_exp_f64(const blockwise_bspline_stack *stack, const double *xi,
                                                     const double *yi, int64_t n, double *result);
blockwise_status blockwise_bspline_stack_sum_exp_f32(const blockwise_bspline_stack *stack, const float *xi,
                                                     const float *yi, int64_t n, float *result);
/* out[k] = sum_i exp(f_k(xi[i], yi[i])); out_len = count. */
blockwise_status blockwise_bspline_stack_sum_exp_per_spline_f64(const blockwise_bspline_stack *stack,
                                                                const double *xi, const double *yi, int64_t n,
                                                                double *out, int64_t out_len);
blockwise_status blockwise_bspline_stack_sum_exp_per_spline_f32(const blockwise_bspline_stack *stack,
                                                                const float *xi, const float *yi, int64_t n,
                                                                float *out, int64_t out_len);

/* MARK: - Partials (one process's bits from pieces: Dask, MPI, Ray) */

/* Elements per leaf of the array reductions, and points per leaf of a
   stack's sum_exp (smooth = 0: bilinear stacks, 1: smooth stacks). */
int64_t blockwise_reduction_leaf(void);
int64_t blockwise_stack_sum_exp_leaf(int smooth);
/* The leaf partials of BLOCKWISE_SUM or BLOCKWISE_SUM_EXP (one double per
   leaf) or BLOCKWISE_LOG_SUM_EXP (a (shift, sum) pair per leaf) over n
   elements: out_len = ceil(n / leaf) (twice that for log_sum_exp). The
   partials of pieces that start at multiples of the leaf, concatenated
   in index order, are those of the whole. */
blockwise_status blockwise_partials_f64(int reduction, const double *x, int64_t n, double *out, int64_t out_len);
blockwise_status blockwise_partials_f32(int reduction, const float *x, int64_t n, double *out, int64_t out_len);
/* *result = count partial values combined pairwise in index order: bit for
   bit the whole input's reduction when they are its leaves' partials. */
blockwise_status blockwise_partials_total(int reduction, const double *values, int64_t count, double *result);
/* A stack's sum_exp leaf sums (stack: a blockwise_spline_stack or a
   blockwise_bspline_stack): out_len = ceil(n / its leaf); combine with
   blockwise_partials_total(BLOCKWISE_SUM_EXP, ...). */
blockwise_status blockwise_stack_partials_f64(const void *stack, const double *xi, const double *yi, int64_t n,
                                              double *out, int64_t out_len);
blockwise_status blockwise_stack_partials_f32(const void *stack, const float *xi, const float *yi, int64_t n,
                                              double *out, int64_t out_len);

/* MARK: - Expressions (numexpr's syntax) */

typedef struct blockwise_expression blockwise_expression;

/* Compiles source ("exp(-x*x/2) * cos(3*y)") for float64 (f32 = 0) or
   float32 (f32 = 1) arrays. A syntax error is BLOCKWISE_EXPRESSION_ERROR
   with the column in the message. */
blockwise_status blockwise_expression_create(const char *source, int f32, blockwise_expression **expression);
void blockwise_expression_free(blockwise_expression *expression);

/* The variables the expression reads, in the order its evaluate and
   reduce functions take their inputs (-1 / NULL for a bad handle or
   index). */
int64_t blockwise_expression_variable_count(const blockwise_expression *expression);
const char *blockwise_expression_variable_name(const blockwise_expression *expression, int64_t index);

/* Evaluates elementwise: inputs[v] (lengths[v] elements) binds variable
   v; every input has length n or 1 (a scalar that broadcasts), and n is
   the common length of the others (1 if all are scalars). out_len = n.
   n_inputs must equal blockwise_expression_variable_count. */
blockwise_status blockwise_expression_evaluate_f64(const blockwise_expression *expression,
                                                   const double *const *inputs, const int64_t *lengths,
                                                   int64_t n_inputs, double *out, int64_t out_len);
blockwise_status blockwise_expression_evaluate_f32(const blockwise_expression *expression,
                                                   const float *const *inputs, const int64_t *lengths,
                                                   int64_t n_inputs, float *out, int64_t out_len);

/* Reductions over the values, fused (no array of values is formed):
   deterministic for any thread count. */
typedef enum blockwise_reduction {
  BLOCKWISE_SUM = 0,          /* 0 for no elements */
  BLOCKWISE_MIN = 1,          /* BLOCKWISE_EMPTY for no elements */
  BLOCKWISE_MAX = 2,          /* BLOCKWISE_EMPTY for no elements */
  BLOCKWISE_SUM_EXP = 3,      /* 0 for no elements */
  BLOCKWISE_LOG_SUM_EXP = 4   /* -inf for no elements */
} blockwise_reduction;

/* numexpr's reduction around a whole source ("sum(x * y)"): 1, the
   reduction's name ("sum", "min", "max", "sum_exp", "logsumexp", "prod";
   NUL-terminated into name, name_len bytes of room) and the argument's
   UTF-8 byte range [*start, *end) in source; 0 when the source is not one
   such call (found by the expression tokenizer, as the parser sees it). */
int blockwise_expression_outer_reduction(const char *source, char *name, int64_t name_len, int64_t *start,
                                         int64_t *end);

/* The name of a reduction code as the Python package spells it ("sum",
   "min", "max", "sum_exp", "logsumexp"); NULL for another value. */
const char *blockwise_reduction_name(int reduction);

blockwise_status blockwise_expression_reduce_f64(const blockwise_expression *expression,
                                                 blockwise_reduction reduction, const double *const *inputs,
                                                 const int64_t *lengths, int64_t n_inputs, double *result);
blockwise_status blockwise_expression_reduce_f32(const blockwise_expression *expression,
                                                 blockwise_reduction reduction, const float *const *inputs,
                                                 const int64_t *lengths, int64_t n_inputs, float *result);

#ifdef __cplusplus
}
#endif

#endif /* BLOCKWISE_H */
