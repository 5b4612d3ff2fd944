// The Advanced SIMD (NEON) instance of every kernel (aarch64 only; NEON is
// in the aarch64 baseline, so no target attribute): the one kernel source
// over vec/bw_vec_neon.h.
#if defined(__aarch64__)
#include "bw_target.h"
#include <arm_neon.h>
#include "vec/bw_vec_neon.h"
#include "kernels/bw_kernels.h"
#endif
