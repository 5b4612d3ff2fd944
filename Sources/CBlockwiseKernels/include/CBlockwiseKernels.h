#ifndef CBLOCKWISE_KERNELS_H
#define CBLOCKWISE_KERNELS_H

// Internal C kernels of Blockwise. Not public API: the Swift module wraps
// every entry point with argument checking. All lengths are element counts.

#include <stddef.h>
#include <stdint.h>

#include "bw_opcodes.h"
#include "bw_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Instruction-set dispatch and build facts

/// The calling thread's kernel path: "avx512", "avx2-fma", "neon" or
/// "generic". Chosen once from CPUID and XGETBV (x86-64) or
/// getauxval(AT_HWCAP) (aarch64); `BLOCKWISE_ISA=avx512|avx2|neon|generic`
/// forces one (a path the CPU cannot run falls back to the best it can,
/// with one line on stderr).
const char *bw_isa_name(void);
/// The kernel paths, numbered for tests that run every path in one
/// process (the process-wide choice above is unaffected).
/// Each is the one kernel source compiled for a vector target.
typedef enum { BW_PATH_GENERIC = 0, BW_PATH_AVX2 = 1, BW_PATH_AVX512 = 2, BW_PATH_NEON = 3, BW_PATH_COUNT = 4 } bw_path;
/// "generic", "avx2-fma", "avx512" or "neon"; NULL outside bw_path.
const char *bw_path_name(int path);
/// 1 when this CPU (and build) can run the path.
int bw_path_supported(int path);
/// What this CPU offers, in words ("x86-64 with AVX2 and FMA, no AVX-512").
const char *bw_cpu_summary(void);
/// The calling thread's path (the process-wide one unless switched).
int bw_active_path(void);
/// Switches the calling thread (and the pool's work on its behalf) to
/// `path`, for tests that run every path in one process; returns the
/// previous path, or -1 (nothing changed) for a path this CPU cannot run.
int bw_path_set_for_thread(int path);
/// 1 when this C target was compiled with optimisation (`__OPTIMIZE__`).
/// SwiftPM builds C targets at -O0 in debug, where the kernels run 10-50x
/// slower; the first kernel call of such a build prints
/// `bw_debug_build_notice()` once to stderr unless BLOCKWISE_QUIET_DEBUG=1.
int bw_kernels_optimized(void);
/// Writes one line (and a newline) to stderr: warnings the Swift layer
/// gives without importing Foundation.
void bw_report(const char *line);
const char *bw_debug_build_notice(void);
/// 1 when that notice is due: an unoptimised build, BLOCKWISE_QUIET_DEBUG unset.
int bw_debug_notice_due(void);

// MARK: - Elementwise

void bw_exp_f64(const double *x, double *y, long n);
void bw_exp_f32(const float *x, float *y, long n);
/// The same kernels on a given bw_path (for tests; the path must be supported).
void bw_exp_f64_on(int path, const double *x, double *y, long n);
void bw_exp_f32_on(int path, const float *x, float *y, long n);

/// The arithmetic operators, numbered once here for C and Swift.
typedef enum {
  BW_OP_ADD = 0,
  BW_OP_SUBTRACT = 1,
  BW_OP_MULTIPLY = 2,
  BW_OP_DIVIDE = 3,
} bw_binary_op;

/// y[i * ldy + j] = a[i * a_rs + j * a_cs] op b[i * b_rs + j * b_cs]
/// for i < rows, j < cols: every form of binary arithmetic (same shape,
/// array with scalar, numpy broadcasting of rows or columns) in one kernel.
/// Strides are in elements and may be 0 (a broadcast operand). y may be a
/// or b itself (same layout) for in-place forms. Each result is one IEEE
/// operation, rounded once, never contracted. Returns 0, or -1 for an op
/// outside bw_binary_op (y is then untouched).
int bw_binary2d_f64(int op, const double *a, long a_rs, long a_cs, const double *b, long b_rs,
                    long b_cs, double *y, long ldy, long rows, long cols);
int bw_binary2d_f32(int op, const float *a, long a_rs, long a_cs, const float *b, long b_rs,
                    long b_cs, float *y, long ldy, long rows, long cols);

// MARK: - Reductions over one leaf (fixed summation order for a given n)

double bw_sum_f64(const double *x, long n);
double bw_sum_f32(const float *x, long n);          // accumulates in double
/// sum of exp(x[i] - shift), accumulated in double.
double bw_sum_exp_f64(const double *x, long n, double shift);
double bw_sum_exp_f32(const float *x, long n, double shift);
/// max / min; NaN if any element is NaN; n >= 1.
double bw_max_f64(const double *x, long n);
double bw_min_f64(const double *x, long n);
double bw_max_f32(const float *x, long n);
double bw_min_f32(const float *x, long n);
/// One log-sum-exp leaf: writes a shift m and returns sum exp(x[i] - m), so
/// that logsumexp(x) = m + log(result). m is max(x) or within 64 below it;
/// NaN in x gives NaN, +inf a result of +inf, all -inf (m = -inf) 0. n >= 1.
double bw_log_sum_exp_leaf_f64(const double *x, long n, double *max_out);
double bw_log_sum_exp_leaf_f32(const float *x, long n, double *max_out);
/// Pairwise (cascade) sum of n partials, in index order.
double bw_pairwise_sum(const double *p, long n);

/// dst[i] = (double)src[i] and back (rounding to nearest; NaN and
/// infinities kept, Doubles beyond Float's range become infinities).
void bw_widen_f32(const float *src, double *dst, long n);
void bw_narrow_f64(const double *src, float *dst, long n);

// MARK: - Reductions along a strided axis

/// For a block of `rows` rows of `cols` elements, `ld` elements apart:
/// acc[j] += x[r * ld + j] for r = 0, 1, ... in order (one rounding per
/// row; Float input accumulates in double).
void bw_rows_sum_f64(const double *x, long rows, long ld, long cols, double *acc);
void bw_rows_sum_f32(const float *x, long rows, long ld, long cols, double *acc);
/// acc[j] += exp(x[r * ld + j] - shift[j]) in row order; shift may be NULL (0).
void bw_rows_sum_exp_f64(const double *x, long rows, long ld, long cols, const double *shift,
                         double *acc);
void bw_rows_sum_exp_f32(const float *x, long rows, long ld, long cols, const double *shift,
                         double *acc);
/// acc[j] = max (min) of acc[j] and every x[r * ld + j]; NaN propagates
/// (once acc[j] is NaN it stays NaN).
void bw_rows_max_f64(const double *x, long rows, long ld, long cols, double *acc);
void bw_rows_min_f64(const double *x, long rows, long ld, long cols, double *acc);
void bw_rows_max_f32(const float *x, long rows, long ld, long cols, double *acc);
void bw_rows_min_f32(const float *x, long rows, long ld, long cols, double *acc);
/// Adds `count` vectors of `cols` doubles, `count` consecutive runs of
/// parts, pairwise in index order (the tree of bw_pairwise_sum), into
/// parts[0 ..< cols]. The other runs are overwritten.
void bw_pairwise_rows(double *parts, long count, long cols);

// MARK: - Layout (transposes, strided copies)

/// dst[i * ldd + j] = src[i * src_rs + j * src_cs] for i < rows, j < cols,
/// in cache-sized tiles (4x4 / 8x8 AVX2 transposes when src_rs == 1).
void bw_copy2d_f64(const double *src, long src_rs, long src_cs, double *dst, long ldd, long rows,
                   long cols);
void bw_copy2d_f32(const float *src, long src_rs, long src_cs, float *dst, long ldd, long rows,
                   long cols);

// MARK: - Expressions (a register program run chunk by chunk)

/// The operations of a compiled expression. Booleans are the element
/// values 1 and 0; every arithmetic result is one IEEE operation, rounded
/// once, never contracted; functions come from SLEEF (u10: within 1 ulp)
/// or are exact (floor, sqrt, abs, ...).
#define BW_X_ENUM_ENTRY(N, S, K) BW_X_##N,
typedef enum { BW_OPCODES(BW_X_ENUM_ENTRY) BW_X_OP_COUNT } bw_expr_op;
#undef BW_X_ENUM_ENTRY
/// The opcode's name as Swift's ExpressionOp spells it ("subtract"); NULL
/// outside bw_expr_op.
const char *bw_expr_op_name(int op);

/// Where an operand lives: a register (a chunk of scratch), an input array
/// (read in place), a constant (broadcast), or the output array.
typedef enum { BW_X_REGISTER = 0, BW_X_INPUT = 1, BW_X_CONSTANT = 2, BW_X_OUTPUT = 3 } bw_expr_kind;

typedef struct {
  int32_t kind;   // bw_expr_kind
  int32_t index;  // register, input or constant number
} bw_expr_ref;

typedef struct {
  int32_t op;     // bw_expr_op
  int32_t nargs;  // 1, 2 or 3
  bw_expr_ref dst;  // a register or the output
  bw_expr_ref arg[3];
} bw_expr_ins;

/// A compiled expression. Constants are of the element type (double or
/// float), as are the inputs and the output.
typedef struct {
  const bw_expr_ins *code;
  long ncode;
  long nregs;
  const void *constants;
  bw_expr_ref result;  // where the value of the whole expression ends up
} bw_expr_program;

// BW_EXPR_CHUNK (elements per register chunk) is in bw_policy.h.

/// Evaluates elements [start, start + n) of the expression into out[start ...].
void bw_expr_eval_f64(const bw_expr_program *p, const double *const *inputs, long start, long n,
                      double *out);
void bw_expr_eval_f32(const bw_expr_program *p, const float *const *inputs, long start, long n,
                      float *out);

/// Reductions of the expression's values over [start, start + n), one chunk
/// at a time, chunk results combined in order (n <= 4 chunks: one leaf).
#define BW_XR_ENUM_ENTRY(N, S, V) BW_XR_##N = V,
typedef enum { BW_REDUCTIONS(BW_XR_ENUM_ENTRY) BW_XR_COUNT = 5 } bw_expr_reduction;
#undef BW_XR_ENUM_ENTRY
/// The reduction's name as the Python package spells it ("sum_exp"); NULL
/// outside bw_expr_reduction.
const char *bw_reduction_name(int reduction);
/// Returns the partial (sum, sum of exp, min or max, NaN-propagating; for
/// BW_XR_LSE the sum of exp(v - *shift) with *shift written), n >= 1.
double bw_expr_reduce_f64(const bw_expr_program *p, const double *const *inputs, long start, long n,
                          int reduction, double *shift);
double bw_expr_reduce_f32(const bw_expr_program *p, const float *const *inputs, long start, long n,
                          int reduction, double *shift);

/// Runs one op over n elements: y[i] = op(a[i*as], b[i*bs], c[i*cs]) with
/// strides 0 or 1 (for tests of every kernel path, and the C ABI).
void bw_expr_op_f64(int op, long n, double *y, const double *a, long as, const double *b, long bs,
                    const double *c, long cs);
void bw_expr_op_f32(int op, long n, float *y, const float *a, long as, const float *b, long bs,
                    const float *c, long cs);
/// The same on a given bw_path (for tests; the path must be supported).
void bw_expr_op_f64_on(int path, int op, long n, double *y, const double *a, long as,
                       const double *b, long bs, const double *c, long cs);
void bw_expr_op_f32_on(int path, int op, long n, float *y, const float *a, long as,
                       const float *b, long bs, const float *c, long cs);

/// Combines two log-sum-exp partials (shift m, sum s of exp(x - m)) into
/// (*m, *s) at the larger shift; NaN, +inf and all -inf carried through.
void bw_lse_combine(double m1, double s1, double m2, double s2, double *m, double *s);

// MARK: - Random arrays (Philox4x64-10, counter-based)

/// One Philox4x64-10 block: 4 words from a 256-bit counter and a 128-bit key.
void bw_philox4x64_10(const uint64_t counter[4], const uint64_t key[2], uint64_t out[4]);
/// Elements first ..< first + n of the stream of `seed`: element i takes
/// word i % 4 of block (counter (i / 4, 0, 0, 0), key (seed, 0)), so the
/// stream does not depend on how it is split. Uniform: lo + width * u with
/// u the word's top 53 bits over 2^53, kept below hi. Normal: Box-Muller on
/// word pairs, mean + sd * z.
void bw_random_uniform_f64(uint64_t seed, long first, long n, double lo, double width, double hi,
                           double *out);
void bw_random_uniform_f32(uint64_t seed, long first, long n, double lo, double width, double hi,
                           float *out);
void bw_random_normal_f64(uint64_t seed, long first, long n, double mean, double sd, double *out);
void bw_random_normal_f32(uint64_t seed, long first, long n, double mean, double sd, float *out);

// MARK: - Bilinear splines (double data; Float inputs are widened by the caller)

/// One axis of a spline grid, prepared for cell lookup.
typedef struct {
  const double *knots;      // n strictly increasing finite knots
  const double *inv_width;  // n-1 values 1/(knots[i+1]-knots[i])
  long n;
  double lo, hi;            // knots[0], knots[n-1]
  int uniform;              // knots equally spaced (to 1e-3 of a cell)
  double inv_h;             // (n-1)/(hi-lo) when uniform
  const int32_t *bucket;    // nbuckets+1 cell indices (non-uniform axes)
  long nbuckets;
  double inv_bucket;        // nbuckets/(hi-lo)
} bw_axis;

/// Single spline; coef holds 4 doubles (a, b, c, d) per cell, cells row-major
/// over (nx-1, ny-1): value = a + b*tx + c*ty + d*tx*ty.
void bw_spline_eval(const bw_axis *ax, const bw_axis *ay, const double *coef,
                    const double *xi, const double *yi, double *out, long m);
double bw_spline_sum_exp(const bw_axis *ax, const bw_axis *ay, const double *coef,
                         const double *xi, const double *yi, long m);

/// Stack of n splines on one grid; coef holds, per cell, four runs of npad
/// doubles (A, B, C, D), npad a multiple of 4, padded with zeros (ignored).
/// out[k * ldo + i] = f_k(xi[i], yi[i]).
void bw_stack_eval(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                   const double *xi, const double *yi, long m, double *out, long ldo);
/// A bilinear value is a convex combination of four grid values, so when
/// every grid value has |z| <= BW_STACK_EXP_BOUND the exp kernels need no
/// range check (the fast path holds to |x| <= 708; the margin covers the
/// rounding of the coefficient form). Callers pass `bounded` = 1 then.
#define BW_STACK_EXP_BOUND 704.0
/// Sum over k < n and i < m of exp(f_k(xi[i], yi[i])).
double bw_stack_sum_exp(const bw_axis *ax, const bw_axis *ay, const double *coef, long n, long npad,
                        int bounded, const double *xi, const double *yi, long m);
/// per_spline[k] = sum over i < m of exp(f_k(xi[i], yi[i])), k < n, with
/// compensated (Kahan) accumulation; per_spline needs room for 2n doubles
/// (the second half is working space).
void bw_stack_sum_exp_per_spline(const bw_axis *ax, const bw_axis *ay, const double *coef, long n,
                                 long npad, int bounded, const double *xi, const double *yi, long m,
                                 double *per_spline);

/// Float stacks: the same with float coefficients (half the memory
/// traffic), values and exp in float lanes, sums in double.
/// BW_STACK_EXP_BOUND_F32 plays BW_STACK_EXP_BOUND's part for the float exp
/// (fast path |x| <= 87).
#define BW_STACK_EXP_BOUND_F32 86.0
void bw_stack_eval_f32(const bw_axis *ax, const bw_axis *ay, const float *coef, long n, long npad,
                       const double *xi, const double *yi, long m, float *out, long ldo);
double bw_stack_sum_exp_f32(const bw_axis *ax, const bw_axis *ay, const float *coef, long n, long npad,
                            int bounded, const double *xi, const double *yi, long m);
void bw_stack_sum_exp_per_spline_f32(const bw_axis *ax, const bw_axis *ay, const float *coef, long n,
                                     long npad, int bounded, const double *xi, const double *yi, long m,
                                     double *per_spline);

// MARK: - Tensor-product B-splines of degree 1 to 5 (double coefficients)

#define BW_BSPLINE_MAX_DEGREE 5

/// One axis of a B-spline: n knots t (non-decreasing, end knots repeated
/// k + 1 times), degree k, and the distinct breakpoints t[k ..< n - k]
/// prepared for cell lookup. Coordinates are clamped to [t[k], t[n-k-1]].
/// inv_span (optional, NULL to divide) holds per breakpoint interval c the
/// k(k+1)/2 reciprocals 1/(t[l+i] - t[l+i-j]), l = c + k, for j = 1..k,
/// i = 1..j in that order: de Boor's recursion then needs no division.
typedef struct {
  const double *t;
  long n;
  int k;
  const bw_axis *breaks;
  const double *inv_span;
} bw_bspline_axis;

/// The k + 1 B-splines non-zero at x (clamped to the axis) into h; returns
/// the index of the first, so h[j] weights coefficient first + j.
long bw_bspline_basis(const bw_bspline_axis *a, double x, double *h);
/// One spline, coefficients coef[i][j] (i < ncx = ax.n - ax.k - 1, j < ncy):
/// out[p] = s(xi[p], yi[p]); NaN for a NaN coordinate.
void bw_bspline2d_eval(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                       const double *xi, const double *yi, double *out, long m);
/// Sum over p < m of exp(s(xi[p], yi[p])), in a fixed order for a given m.
double bw_bspline2d_sum_exp(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                            const double *xi, const double *yi, long m);
/// A stack of n splines, coefficients coef[i][j][s] (s < npad, npad a
/// multiple of 4, padding lanes zero): out[p * ldp + s * lds] = f_s(p),
/// s < n (nothing else is written).
void bw_bspline_stack_values(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef, long n,
                             long npad, const double *xi, const double *yi, long m, double *out, long ldp,
                             long lds);
/// Sum over s < n, p < m of exp(f_s(p)), the points taken in cell order
/// (a stable counting sort of the m points: fixed for given points), in
/// chunks of 64 points whose exp-sums are added pairwise. scratch holds
/// bw_bspline_stack_sum_exp_scratch(...) bytes. A B-spline value is a
/// convex combination of coefficients, so `bounded` = 1 when every
/// coefficient has |c| <= BW_STACK_EXP_BOUND: the exp sums then skip their
/// range pass (the same bits).
long bw_bspline_stack_sum_exp_scratch(const bw_bspline_axis *ax, const bw_bspline_axis *ay, long n, long npad,
                                      long m);
double bw_bspline_stack_sum_exp(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef, long n,
                                long npad, int bounded, const double *xi, const double *yi, long m,
                                double *scratch);
/// per_spline[s] = sum over p < m of exp(f_s(p)), the m terms added
/// pairwise; scratch holds m * npad doubles.
void bw_bspline_stack_sum_exp_per_spline(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const double *coef,
                                         long n, long npad, const double *xi, const double *yi, long m,
                                         double *scratch, double *per_spline);
/// Float stacks: the same with float coefficients (half the memory
/// traffic), values and exp in float lanes, sums in double. Values are
/// floats; the fused sum takes the same scratch; the per-spline sums take
/// m * npad doubles and then m * npad floats of scratch.
void bw_bspline_stack_values_f32(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const float *coef, long n,
                                 long npad, const double *xi, const double *yi, long m, float *out, long ldp,
                                 long lds);
double bw_bspline_stack_sum_exp_f32(const bw_bspline_axis *ax, const bw_bspline_axis *ay, const float *coef, long n,
                                    long npad, int bounded, const double *xi, const double *yi, long m,
                                    double *scratch);
void bw_bspline_stack_sum_exp_per_spline_f32(const bw_bspline_axis *ax, const bw_bspline_axis *ay,
                                             const float *coef, long n, long npad, const double *xi,
                                             const double *yi, long m, double *scratch, double *per_spline);

// MARK: - Thread pool

/// Called once per block: ctx, block index, worker slot (0 ..< threads).
typedef void (*bw_block_fn)(void *ctx, long block, long worker);

/// Threads the pool uses by default: the CPUs this process may run on
/// (sched_getaffinity), capped by a cgroup v2 CPU quota, overridden by
/// BLOCKWISE_NUM_THREADS.
int bw_default_threads(void);
/// The largest thread count the pool accepts (512).
int bw_max_threads(void);
/// The count in force (>= 1). Setting it spawns workers lazily; callers
/// pass 1 ... bw_max_threads() (the Swift layer checks).
int bw_pool_threads(void);
void bw_pool_set_threads(int n);
/// Runs fn for every block in [0, nblocks) on at most max_threads threads
/// (<= 0: the pool's count); returns when all are done. Inline, on the
/// calling thread, when nblocks < 2, max_threads == 1, or when called from
/// inside a running block (nested calls never deadlock). Concurrent callers
/// from different threads take turns.
void bw_pool_run(long nblocks, bw_block_fn fn, void *ctx, int max_threads);
/// 1 when the calling thread is running a block of the pool.
int bw_pool_in_block(void);
/// The threads a job started by the calling thread may use now (1 inside
/// a block, where jobs run inline; else the count or this thread's limit).
/// Worker slots of such a job are in 0 ..< this count. The pool survives
/// fork: the child gets an empty pool whose first job spawns workers.
int bw_pool_effective_threads(void);
/// Worker threads spawned so far (excluding callers).
int bw_pool_spawned_workers(void);

/// Array storage: 64-byte aligned; from 4 MiB, 2 MiB aligned with
/// transparent huge pages requested, and served from a bounded cache of
/// freed large buffers when one of about the size is there (no fresh
/// zeroed pages). NULL when the system refuses the memory. Release with
/// bw_free(p, bytes), `bytes` as allocated.
void *bw_alloc(size_t bytes);
void bw_free(void *p, size_t bytes);
/// Bytes held by the cache now, its limit (BLOCKWISE_ARRAY_CACHE_MB, default
/// an eighth of memory up to 4 GiB), and a way to give it all back.
size_t bw_alloc_cache_bytes(void);
size_t bw_alloc_cache_limit(void);
void bw_alloc_cache_release(void);

/// Per-core L2 data cache in bytes, read at run time; 512 KiB fallback.
long bw_l2_cache_bytes(void);
/// A 64-byte aligned buffer of at least `bytes`, owned by the calling
/// thread and reused by its next call (contents not preserved on growth);
/// NULL when memory is exhausted.
void *bw_scratch(size_t bytes);
/// The same, from one of a few separate per-thread buffers (slot 0 is
/// bw_scratch's, slot 1 the expression registers'); NULL for a bad slot.
void *bw_scratch_slot(int slot, size_t bytes);
/// Thread-local override of the thread count for calls made by this thread
/// (0: none). Used by `ComputePool.withThreadCount`.
int bw_thread_limit_get(void);
void bw_thread_limit_set(int n);

#ifdef __cplusplus
}
#endif
#endif
