// SLEEF (libsleef-dev): the vectorised libm Blockwise uses for the
// transcendental functions it does not tune itself (every u10 function is
// within 1.0 ulp, u05 within 0.5), in the form of each target: scalar
// (generic), 256-bit (AVX2), 512-bit (AVX-512), Advanced SIMD (NEON).
//
// Its x86 vector functions take and return vectors in ymm/zmm registers.
// Blockwise compiles its x86 targets with target attributes (no
// unsafeFlags), and clang fixes the ABI of vector arguments per
// translation unit, so a direct call from C here would pass them in
// memory. The x86 vector functions are therefore only declared, for their
// addresses, and called through the trampolines of sleef_x86_64.S, which
// load the argument registers from arrays and store the result back. The
// NEON functions use the standard AAPCS64 vector ABI and are called
// directly (sleef.h declares them).
#ifndef BW_SLEEF_H
#define BW_SLEEF_H

#include <sleef.h>

// The vector functions the expression kernels call: X(name, accuracy).
#define BW_SLEEF_FUNCTIONS(X)                                                                     \
  X(exp, u10) X(expm1, u10) X(log, u10) X(log2, u10) X(log10, u10) X(log1p, u10) X(sin, u10)     \
  X(cos, u10) X(tan, u10) X(asin, u10) X(acos, u10) X(atan, u10) X(sinh, u10) X(cosh, u10)       \
  X(tanh, u10) X(asinh, u10) X(acosh, u10) X(atanh, u10) X(pow, u10) X(atan2, u10) X(hypot, u05)

#if defined(__x86_64__)
// y[k] = fn(a[k]) over nvec 32-byte (ymm) or 64-byte (zmm) vectors; and
// y[k] = fn(a[k], b[k]) with byte steps of one vector (or 0: a broadcast
// operand) through a and b.
void bw_ymm_apply1(const void *fn, const void *a, void *y, long nvec);
void bw_ymm_apply2(const void *fn, const void *a, long astep, const void *b, long bstep, void *y,
                   long nvec);
void bw_zmm_apply1(const void *fn, const void *a, void *y, long nvec);
void bw_zmm_apply2(const void *fn, const void *a, long astep, const void *b, long bstep, void *y,
                   long nvec);

// Addresses only (see above): never called directly. (A translation unit
// built with -mavx / -mavx512f gets sleef.h's own typed declarations.)
#ifndef __AVX__
#define BW_SLEEF_DECLARE_AVX2(name, u) void Sleef_##name##d4_##u##avx2(void); void Sleef_##name##f8_##u##avx2(void);
BW_SLEEF_FUNCTIONS(BW_SLEEF_DECLARE_AVX2)
#endif
#ifndef __AVX512F__
#define BW_SLEEF_DECLARE_AVX512(name, u) \
  void Sleef_##name##d8_##u##avx512f(void); void Sleef_##name##f16_##u##avx512f(void);
BW_SLEEF_FUNCTIONS(BW_SLEEF_DECLARE_AVX512)
#endif
#endif
#endif
