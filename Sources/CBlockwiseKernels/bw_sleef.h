// SLEEF (libsleef-dev): the vectorised libm Blockwise uses for the
// transcendental functions it does not tune itself (every u10 function is
// within 1.0 ulp, u05 within 0.5).
//
// Its 256-bit functions take and return vectors in ymm registers. Blockwise
// compiles its AVX2 paths with per-function target attributes (no
// unsafeFlags), and clang fixes the ABI of vector arguments per translation
// unit, so a direct call from C here would pass them in memory. The
// functions are therefore only declared, for their addresses, and called
// through the trampolines of sleef_x86_64.S, which load ymm0/ymm1 from
// arrays and store ymm0 back.
#ifndef BW_SLEEF_H
#define BW_SLEEF_H

#include <sleef.h>
#if defined(__x86_64__)
// y[k] = fn(a[k]) over nvec 32-byte vectors; and y[k] = fn(a[k], b[k])
// with byte steps of 32 (or 0: a broadcast operand) through a and b.
void bw_ymm_apply1(const void *fn, const void *a, void *y, long nvec);
void bw_ymm_apply2(const void *fn, const void *a, long astep, const void *b, long bstep, void *y,
                   long nvec);

// Addresses only (see above): never called directly. (A translation unit
// built with -mavx gets sleef.h's own typed declarations instead.)
#ifndef __AVX__

void Sleef_expd4_u10avx2(void);
void Sleef_expf8_u10avx2(void);
void Sleef_expm1d4_u10avx2(void);
void Sleef_expm1f8_u10avx2(void);
void Sleef_logd4_u10avx2(void);
void Sleef_logf8_u10avx2(void);
void Sleef_log2d4_u10avx2(void);
void Sleef_log2f8_u10avx2(void);
void Sleef_log10d4_u10avx2(void);
void Sleef_log10f8_u10avx2(void);
void Sleef_log1pd4_u10avx2(void);
void Sleef_log1pf8_u10avx2(void);
void Sleef_sind4_u10avx2(void);
void Sleef_sinf8_u10avx2(void);
void Sleef_cosd4_u10avx2(void);
void Sleef_cosf8_u10avx2(void);
void Sleef_tand4_u10avx2(void);
void Sleef_tanf8_u10avx2(void);
void Sleef_asind4_u10avx2(void);
void Sleef_asinf8_u10avx2(void);
void Sleef_acosd4_u10avx2(void);
void Sleef_acosf8_u10avx2(void);
void Sleef_atand4_u10avx2(void);
void Sleef_atanf8_u10avx2(void);
void Sleef_sinhd4_u10avx2(void);
void Sleef_sinhf8_u10avx2(void);
void Sleef_coshd4_u10avx2(void);
void Sleef_coshf8_u10avx2(void);
void Sleef_tanhd4_u10avx2(void);
void Sleef_tanhf8_u10avx2(void);
void Sleef_asinhd4_u10avx2(void);
void Sleef_asinhf8_u10avx2(void);
void Sleef_acoshd4_u10avx2(void);
void Sleef_acoshf8_u10avx2(void);
void Sleef_atanhd4_u10avx2(void);
void Sleef_atanhf8_u10avx2(void);
void Sleef_powd4_u10avx2(void);
void Sleef_powf8_u10avx2(void);
void Sleef_atan2d4_u10avx2(void);
void Sleef_atan2f8_u10avx2(void);
void Sleef_hypotd4_u05avx2(void);
void Sleef_hypotf8_u05avx2(void);
#endif
#endif
#endif
