// The AVX2 + FMA instance of every kernel (x86-64 only): the one kernel
// source over vec/bw_vec_avx2.h, compiled for "avx2,fma".
#if defined(__x86_64__)
#include "bw_target.h"
#include <immintrin.h>
BW_TARGET_BEGIN("avx2,fma")
#include "vec/bw_vec_avx2.h"
#include "kernels/bw_kernels.h"
BW_TARGET_END
#endif
