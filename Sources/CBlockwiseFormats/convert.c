// numpy dtypes into Double and Float on read: byte order fixed first,
// then an exact conversion where the value fits, rounding to nearest
// otherwise (the hardware's int-to-float conversion).
#include "CBlockwiseFormats.h"

#include <math.h>
#include <string.h>

static void swap_bytes(uint8_t *p, int size) {
  for (int i = 0; i < size / 2; i++) {
    uint8_t t = p[i];
    p[i] = p[size - 1 - i];
    p[size - 1 - i] = t;
  }
}

// IEEE half to float, exactly (every half is a float).
static float half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  uint32_t bits;
  if (e == 0) {
    if (m == 0) {
      bits = sign;
    } else {  // subnormal half: normalise
      int shift = 0;
      while (!(m & 0x400)) { m <<= 1; shift++; }
      m &= 0x3ff;
      bits = sign | (uint32_t)(127 - 15 + 1 - shift) << 23 | m << 13;
    }
  } else if (e == 31) {
    bits = sign | 0x7f800000u | m << 13;  // inf or NaN (payload kept)
  } else {
    bits = sign | (e - 15 + 127) << 23 | m << 13;
  }
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

static int size_of(int kind) {
  switch (kind) {
    case BW_DT_F8: case BW_DT_I8: case BW_DT_U8: return 8;
    case BW_DT_F4: case BW_DT_I4: case BW_DT_U4: return 4;
    case BW_DT_F2: case BW_DT_I2: case BW_DT_U2: return 2;
    default: return 1;
  }
}

#define BW_CONVERT(NAME, T)                                                     \
  void NAME(int kind, int swap, const void *src, T *dst, long n) {              \
    const uint8_t *s = src;                                                     \
    int size = size_of(kind);                                                   \
    for (long i = 0; i < n; i++, s += size) {                                   \
      uint8_t b[8];                                                             \
      memcpy(b, s, (size_t)size);                                               \
      if (swap) swap_bytes(b, size);                                            \
      switch (kind) {                                                           \
        case BW_DT_F8: { double v; memcpy(&v, b, 8); dst[i] = (T)v; break; }    \
        case BW_DT_F4: { float v; memcpy(&v, b, 4); dst[i] = (T)v; break; }     \
        case BW_DT_F2: { uint16_t v; memcpy(&v, b, 2); dst[i] = (T)half_to_float(v); break; } \
        case BW_DT_I1: dst[i] = (T)(int8_t)b[0]; break;                         \
        case BW_DT_I2: { int16_t v; memcpy(&v, b, 2); dst[i] = (T)v; break; }   \
        case BW_DT_I4: { int32_t v; memcpy(&v, b, 4); dst[i] = (T)v; break; }   \
        case BW_DT_I8: { int64_t v; memcpy(&v, b, 8); dst[i] = (T)v; break; }   \
        case BW_DT_U1: dst[i] = (T)b[0]; break;                                 \
        case BW_DT_U2: { uint16_t v; memcpy(&v, b, 2); dst[i] = (T)v; break; }  \
        case BW_DT_U4: { uint32_t v; memcpy(&v, b, 4); dst[i] = (T)v; break; }  \
        case BW_DT_U8: { uint64_t v; memcpy(&v, b, 8); dst[i] = (T)v; break; }  \
        default: dst[i] = (T)(b[0] != 0); break;                                \
      }                                                                         \
    }                                                                           \
  }

BW_CONVERT(bw_convert_to_f64, double)
BW_CONVERT(bw_convert_to_f32, float)
