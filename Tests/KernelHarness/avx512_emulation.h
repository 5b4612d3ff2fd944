// The AVX-512 intrinsics in portable form, for running the AVX-512 target
// of the kernels on a CPU without AVX-512 (make test-avx512-emulated).
//
// Included by target_avx512.c when it is built with BW_EMULATE_AVX512,
// -mavx2 -mfma and this folder on the include path: the kernels, the vector layer and
// their intrinsics stay exactly as the AVX-512 build has them, and each
// intrinsic comes from SIMDe (libsimde-dev, the field's standard for x86
// intrinsics on other hardware; what it buys: an implementation of every
// 512-bit operation, mask and permute written independently of ours, so a
// misread of an intrinsic's semantics in bw_vec_avx512.h shows up as a
// wrong result here). SIMDe splits each 512-bit operation into two native
// 256-bit ones where it can, so fused multiply-adds stay fused and the
// emulated exp must give AVX2's bits (checked).
//
// Debian's SIMDe (0.7.4) lacks nine of the intrinsics the layer uses; they
// are written below lane by lane from Intel's descriptions. Test builds
// only: no library build defines BW_EMULATE_AVX512.
#ifndef BW_AVX512_EMULATION_H
#define BW_AVX512_EMULATION_H

#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define BW_EMU static inline __attribute__((always_inline))

// Masked loads read only the selected lanes (no fault past the end) and
// zero the rest; masked stores write only the selected lanes.
BW_EMU simde__m512d bw_emu_mm512_maskz_loadu_pd(simde__mmask8 k, const void *p) {
  double v[8];
  for (int i = 0; i < 8; i++) v[i] = (k >> i) & 1 ? ((const double *)p)[i] : 0.0;
  return simde_mm512_loadu_pd(v);
}
BW_EMU simde__m512 bw_emu_mm512_maskz_loadu_ps(simde__mmask16 k, const void *p) {
  float v[16];
  for (int i = 0; i < 16; i++) v[i] = (k >> i) & 1 ? ((const float *)p)[i] : 0.0f;
  return simde_mm512_loadu_ps(v);
}
BW_EMU simde__m256 bw_emu_mm256_maskz_loadu_ps(simde__mmask8 k, const void *p) {
  float v[8];
  for (int i = 0; i < 8; i++) v[i] = (k >> i) & 1 ? ((const float *)p)[i] : 0.0f;
  return simde_mm256_loadu_ps(v);
}
BW_EMU void bw_emu_mm512_mask_storeu_pd(void *p, simde__mmask8 k, simde__m512d a) {
  double v[8];
  simde_mm512_storeu_pd(v, a);
  for (int i = 0; i < 8; i++)
    if ((k >> i) & 1) ((double *)p)[i] = v[i];
}
BW_EMU void bw_emu_mm512_mask_storeu_ps(void *p, simde__mmask16 k, simde__m512 a) {
  float v[16];
  simde_mm512_storeu_ps(v, a);
  for (int i = 0; i < 16; i++)
    if ((k >> i) & 1) ((float *)p)[i] = v[i];
}

// Conversions lane by lane, in the current rounding mode (to nearest, even
// on ties); an out-of-range or NaN argument to an integer conversion gives
// the "integer indefinite" value.
#define BW_EMU_CONVERT(NAME, VOUT, VIN, TOUT, TIN, N, STORE_IN, LOAD_OUT, LANE) \
  BW_EMU VOUT NAME(VIN a) {                                                    \
    TIN v[N];                                                                  \
    TOUT r[N];                                                                 \
    STORE_IN(v, a);                                                            \
    for (int i = 0; i < N; i++) r[i] = LANE(v[i]);                             \
    return LOAD_OUT(r);                                                        \
  }
#define BW_EMU_I64(x) (fabs(x) < 0x1p63 ? (int64_t)nearbyint(x) : INT64_MIN)
#define BW_EMU_I32(x) (fabsf(x) < 0x1p31f ? (int32_t)nearbyintf(x) : INT32_MIN)
BW_EMU_CONVERT(bw_emu_mm512_cvtpd_epi64, simde__m512i, simde__m512d, int64_t, double, 8, simde_mm512_storeu_pd,
               simde_mm512_loadu_si512, BW_EMU_I64)
BW_EMU_CONVERT(bw_emu_mm512_cvtps_epi32, simde__m512i, simde__m512, int32_t, float, 16, simde_mm512_storeu_ps,
               simde_mm512_loadu_si512, BW_EMU_I32)
BW_EMU_CONVERT(bw_emu_mm512_cvtpd_ps, simde__m256, simde__m512d, float, double, 8, simde_mm512_storeu_pd,
               simde_mm256_loadu_ps, (float))
BW_EMU_CONVERT(bw_emu_mm512_cvtps_pd, simde__m512d, simde__m256, double, float, 8, simde_mm256_storeu_ps,
               simde_mm512_loadu_pd, (double))

#define _mm512_maskz_loadu_pd bw_emu_mm512_maskz_loadu_pd
#define _mm512_maskz_loadu_ps bw_emu_mm512_maskz_loadu_ps
#define _mm256_maskz_loadu_ps bw_emu_mm256_maskz_loadu_ps
#define _mm512_mask_storeu_pd bw_emu_mm512_mask_storeu_pd
#define _mm512_mask_storeu_ps bw_emu_mm512_mask_storeu_ps
#define _mm512_cvtpd_epi64 bw_emu_mm512_cvtpd_epi64
#define _mm512_cvtps_epi32 bw_emu_mm512_cvtps_epi32
#define _mm512_cvtpd_ps bw_emu_mm512_cvtpd_ps
#define _mm512_cvtps_pd bw_emu_mm512_cvtps_pd

#endif
