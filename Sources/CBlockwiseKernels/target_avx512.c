// The AVX-512 instance of every kernel (x86-64 only): the one kernel
// source over vec/bw_vec_avx512.h, compiled for AVX-512 F, DQ and VL (and
// the AVX2 the shared x86 pieces use). isa.c selects it only when CPUID
// reports those and XGETBV shows the OS saving opmask and ZMM state.
#if defined(__x86_64__)
#include "bw_target.h"
#include <immintrin.h>
BW_TARGET_BEGIN("avx512f,avx512dq,avx512vl,avx2,fma")
#include "vec/bw_vec_avx512.h"
#include "kernels/bw_kernels.h"
BW_TARGET_END
#endif
