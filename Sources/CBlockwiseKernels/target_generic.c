// The generic instance of every kernel: the one kernel source over the
// generic vector layer (4 double lanes in plain C), for any CPU.
#include "bw_target.h"
#include "vec/bw_vec_generic.h"
#include "kernels/bw_kernels.h"
