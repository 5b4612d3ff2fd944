#ifndef CBLOCKWISE_KERNELS_H
#define CBLOCKWISE_KERNELS_H

// Internal C kernels of Blockwise. Not public API: the Swift module wraps
// every entry point with argument checking. All lengths are element counts.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Instruction-set dispatch

/// 1 when the AVX2+FMA kernels are in use, 0 for the portable ones.
/// Chosen once from CPUID; `BLOCKWISE_ISA=generic` forces the portable path.
int bw_isa_is_avx2(void);
/// "avx2-fma" or "generic".
const char *bw_isa_name(void);

// MARK: - Elementwise

void bw_exp_f64(const double *x, double *y, long n);
void bw_exp_f32(const float *x, float *y, long n);

/// op: 0 add, 1 subtract, 2 multiply, 3 divide.
void bw_binary_f64(int op, const double *a, const double *b, double *y, long n);
void bw_binary_f32(int op, const float *a, const float *b, float *y, long n);
/// y[i] = a[i] op s (scalar_on_left == 0) or s op a[i] (scalar_on_left != 0).
void bw_binary_scalar_f64(int op, const double *a, double s, int scalar_on_left, double *y, long n);
void bw_binary_scalar_f32(int op, const float *a, float s, int scalar_on_left, float *y, long n);

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

/// dst[i] = (double)src[i] and back (rounding to nearest).
void bw_widen_f32(const float *src, double *dst, long n);
void bw_narrow_f64(const double *src, float *dst, long n);

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

// MARK: - Thread pool

/// Called once per block: ctx, block index, worker slot (0 ..< threads).
typedef void (*bw_block_fn)(void *ctx, long block, long worker);

/// Threads the pool uses by default: the CPUs this process may run on
/// (sched_getaffinity), capped by a cgroup v2 CPU quota, overridden by
/// BLOCKWISE_NUM_THREADS.
int bw_default_threads(void);
/// The count in force (>= 1). Setting it spawns workers lazily.
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
/// Worker threads spawned so far (excluding callers).
int bw_pool_spawned_workers(void);

/// Per-core L2 data cache in bytes, read at run time; 512 KiB fallback.
long bw_l2_cache_bytes(void);
/// A 64-byte aligned buffer of at least `bytes`, owned by the calling
/// thread and reused by its next call (contents not preserved on growth);
/// NULL when memory is exhausted.
void *bw_scratch(size_t bytes);
/// Thread-local override of the thread count for calls made by this thread
/// (0: none). Used by `ComputePool.withThreadCount`.
int bw_thread_limit_get(void);
void bw_thread_limit_set(int n);

#ifdef __cplusplus
}
#endif
#endif
