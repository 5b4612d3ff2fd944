// What every target_*.c includes before its target region: the system and
// library headers (declared outside the region, so the target attribute
// applies to the kernels only) and the scalar pieces the kernels share.
#ifndef BW_TARGET_H
#define BW_TARGET_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "CBlockwiseKernels.h"
#include "bw_internal.h"
#include "bw_sleef.h"
#include "bw_dispatch.h"

// Opening and closing a region of functions compiled for a target: the
// pragma form of __attribute__((target(...))) (no unsafeFlags; GCC and
// clang spell it differently).
#if defined(__clang__)
#define BW_TARGET_BEGIN(spec) _Pragma(BW_TARGET_STR(clang attribute push(__attribute__((target(spec))), apply_to = function)))
#define BW_TARGET_END _Pragma("clang attribute pop")
#else
#define BW_TARGET_BEGIN(spec) _Pragma("GCC push_options") _Pragma(BW_TARGET_STR(GCC target(spec)))
#define BW_TARGET_END _Pragma("GCC pop_options")
#endif
#define BW_TARGET_STR(x) #x

#endif
