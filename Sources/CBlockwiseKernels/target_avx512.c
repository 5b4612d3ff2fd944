// The AVX-512 instance of every kernel (x86-64 only): the one kernel
// source over vec/bw_vec_avx512.h, compiled for AVX-512 F, DQ and VL (and
// the AVX2 the shared x86 pieces use). isa.c selects it only when CPUID
// reports those and XGETBV shows the OS saving opmask and ZMM state.
#if defined(__x86_64__)
#include "bw_target.h"
#if defined(BW_EMULATE_AVX512)
// Test builds only (make test-avx512-emulated, built with -mavx2 -mfma and
// Tests/KernelHarness on the include path): the same kernels and layer,
// their intrinsics emulated, the code AVX2, so the path runs on a CPU
// without AVX-512.
#include "avx512_emulation.h"
#define BW_AVX512_TARGET "avx2,fma"
#else
#include <immintrin.h>
#define BW_AVX512_TARGET "avx512f,avx512dq,avx512vl,avx2,fma"
#endif
BW_TARGET_BEGIN(BW_AVX512_TARGET)
#include "vec/bw_vec_avx512.h"
#include "kernels/bw_kernels.h"
BW_TARGET_END
#endif
