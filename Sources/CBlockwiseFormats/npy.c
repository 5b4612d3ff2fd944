// .npy headers: numpy's format (NEP 1, numpy/lib/format.py). A header is
// the magic string \x93NUMPY, a version byte pair, a little-endian length
// (2 bytes in 1.0, 4 in 2.0 and 3.0) and a Python dict literal with the
// keys 'descr', 'fortran_order' and 'shape', padded with spaces and a
// newline so that the data start on a 64-byte boundary.
#include "CBlockwiseFormats.h"

#include <stdio.h>
#include <string.h>

static int fail(bw_npy_header *h, const char *fmt, const char *detail) {
  snprintf(h->error, sizeof(h->error), fmt, detail);
  return -1;
}

typedef struct {
  const uint8_t *p, *end;
} cursor;

static void skip_space(cursor *c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

// A quoted Python string ('...' or "..."), no escapes (none occur in the
// keys and dtype strings numpy writes).
static int parse_string(cursor *c, char *out, size_t cap) {
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"')) return -1;
  uint8_t quote = *c->p++;
  size_t n = 0;
  while (c->p < c->end && *c->p != quote) {
    if (*c->p == '\\' || n + 1 >= cap) return -1;
    out[n++] = (char)*c->p++;
  }
  if (c->p >= c->end) return -1;
  c->p++;
  out[n] = 0;
  return 0;
}

static int starts_with(cursor *c, const char *word) {
  size_t n = strlen(word);
  return (size_t)(c->end - c->p) >= n && memcmp(c->p, word, n) == 0;
}

int bw_npy_parse_header(const uint8_t *buf, long len, bw_npy_header *h) {
  memset(h, 0, sizeof(*h));
  if (len < 10) return 1;
  static const uint8_t magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (memcmp(buf, magic, 6) != 0)
    return fail(h, "not a .npy file: it does not start with the magic string \\x93NUMPY%s", "");
  h->major = buf[6];
  h->minor = buf[7];
  if (!((h->major == 1 || h->major == 2 || h->major == 3) && h->minor == 0)) {
    char v[32];
    snprintf(v, sizeof(v), "%d.%d", h->major, h->minor);
    return fail(h, "unknown .npy format version %s (expected 1.0, 2.0 or 3.0)", v);
  }
  long prefix = h->major == 1 ? 10 : 12;
  if (len < prefix) return 1;
  uint64_t hlen = h->major == 1 ? (uint64_t)buf[8] | (uint64_t)buf[9] << 8
                                : (uint64_t)buf[8] | (uint64_t)buf[9] << 8 | (uint64_t)buf[10] << 16 |
                                      (uint64_t)buf[11] << 24;
  h->data_offset = prefix + (long)hlen;
  if (h->data_offset > len) return 1;

  cursor c = {buf + prefix, buf + h->data_offset};
  int have_descr = 0, have_order = 0, have_shape = 0;
  skip_space(&c);
  if (c.p >= c.end || *c.p != '{') return fail(h, "the header is not a dict: expected '{'%s", "");
  c.p++;
  for (;;) {
    skip_space(&c);
    if (c.p < c.end && *c.p == '}') {
      c.p++;
      break;
    }
    char key[32];
    if (parse_string(&c, key, sizeof(key)) != 0)
      return fail(h, "the header dict is malformed: expected a quoted key or '}'%s", "");
    skip_space(&c);
    if (c.p >= c.end || *c.p != ':') return fail(h, "the header dict is malformed: expected ':' after '%s'", key);
    c.p++;
    skip_space(&c);
    if (strcmp(key, "descr") == 0) {
      if (have_descr++) return fail(h, "the header repeats the key '%s'", key);
      if (c.p < c.end && *c.p == '[')
        return fail(h, "structured dtype (a list of fields) is not supported%s", "");
      if (parse_string(&c, h->descr, sizeof(h->descr)) != 0)
        return fail(h, "the header's 'descr' is not a dtype string%s", "");
    } else if (strcmp(key, "fortran_order") == 0) {
      if (have_order++) return fail(h, "the header repeats the key '%s'", key);
      if (starts_with(&c, "True")) {
        h->fortran_order = 1;
        c.p += 4;
      } else if (starts_with(&c, "False")) {
        h->fortran_order = 0;
        c.p += 5;
      } else {
        return fail(h, "the header's 'fortran_order' is not True or False%s", "");
      }
    } else if (strcmp(key, "shape") == 0) {
      if (have_shape++) return fail(h, "the header repeats the key '%s'", key);
      if (c.p >= c.end || *c.p != '(') return fail(h, "the header's 'shape' is not a tuple%s", "");
      c.p++;
      h->ndim = 0;
      h->count = 1;
      for (;;) {
        skip_space(&c);
        if (c.p < c.end && *c.p == ')') {
          c.p++;
          break;
        }
        if (c.p < c.end && *c.p == '-') return fail(h, "the header's 'shape' has a negative dimension%s", "");
        if (c.p >= c.end || *c.p == '}' || *c.p == ']')
          return fail(h, "the header's 'shape' tuple is unbalanced: expected a dimension or ')'%s", "");
        if (*c.p < '0' || *c.p > '9')
          return fail(h, "the header's 'shape' has a dimension that is not an integer%s", "");
        uint64_t v = 0;
        while (c.p < c.end && *c.p >= '0' && *c.p <= '9') {
          uint64_t d = (uint64_t)(*c.p - '0');
          if (v > (UINT64_C(0x7fffffffffffffff) - d) / 10)
            return fail(h, "the header's 'shape' has a dimension too large for a 64-bit count%s", "");
          v = v * 10 + d;
          c.p++;
        }
        if (c.p < c.end && *c.p == 'L') c.p++;  // Python 2 longs
        // "3.5" or "3e2": a digit run followed by more of a number.
        if (c.p < c.end && (*c.p == '.' || *c.p == 'e' || *c.p == 'E' || *c.p == '_' || (*c.p >= '0' && *c.p <= '9')))
          return fail(h, "the header's 'shape' has a dimension that is not an integer%s", "");
        if (h->ndim >= BW_NPY_MAX_DIMS) return fail(h, "the header's 'shape' has more than 64 dimensions%s", "");
        h->shape[h->ndim++] = (int64_t)v;
        skip_space(&c);
        if (c.p < c.end && *c.p == ',') {
          c.p++;
          continue;
        }
        skip_space(&c);
        if (c.p < c.end && *c.p == ')') {
          c.p++;
          break;
        }
        return fail(h, "the header's 'shape' tuple is unbalanced: expected ',' or ')'%s", "");
      }
      // The element count, or an error when it overflows 64 bits (a zero
      // dimension makes it 0, but the others must still be representable).
      uint64_t span = 1;
      int zero = 0;
      for (int i = 0; i < h->ndim; i++) {
        uint64_t d = (uint64_t)h->shape[i];
        if (d == 0) { zero = 1; continue; }
        if (span > UINT64_C(0x7fffffffffffffff) / d)
          return fail(h, "the header's 'shape' has an element count that overflows 64 bits%s", "");
        span *= d;
      }
      h->count = zero ? 0 : (int64_t)span;
    } else {
      return fail(h, "the header has an unexpected key '%s' (expected descr, fortran_order and shape)", key);
    }
    skip_space(&c);
    if (c.p < c.end && *c.p == ',') {
      c.p++;
      continue;
    }
    skip_space(&c);
    if (c.p < c.end && *c.p == '}') {
      c.p++;
      break;
    }
    return fail(h, "the header dict is unbalanced: expected ',' or '}'%s", "");
  }
  skip_space(&c);
  if (c.p != c.end) return fail(h, "the header has text after its dict%s", "");
  if (!have_descr) return fail(h, "the header has no 'descr'%s", "");
  if (!have_order) return fail(h, "the header has no 'fortran_order'%s", "");
  if (!have_shape) return fail(h, "the header has no 'shape'%s", "");
  return 0;
}

long bw_npy_write_header(const char *descr, const int64_t *shape, int ndim, uint8_t *out, long cap) {
  // numpy's _write_array_header: sorted keys, repr() of each value, then
  // room for the first axis to grow to 21 digits, then padding.
  char dict[2048];
  int n = snprintf(dict, sizeof(dict), "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
  for (int i = 0; i < ndim && n < (int)sizeof(dict) - 64; i++)
    n += snprintf(dict + n, sizeof(dict) - n, i == 0 ? "%lld" : ", %lld", (long long)shape[i]);
  n += snprintf(dict + n, sizeof(dict) - n, ndim == 1 ? ",), }" : "), }");
  if (n >= (int)sizeof(dict) - 32) return -1;
  if (ndim > 0) {
    char first[32];
    int digits = snprintf(first, sizeof(first), "%lld", (long long)shape[0]);
    for (int k = digits; k < 21; k++) dict[n++] = ' ';
  }
  long hlen = n + 1;  // with the final newline
  int major = 1;
  long prefix = 10;
  long pad = 64 - ((prefix + hlen) % 64);
  if (hlen + pad > 65535) {
    major = 2;
    prefix = 12;
    pad = 64 - ((prefix + hlen) % 64);
  }
  long total = prefix + hlen + pad;
  if (total > cap) return -1;
  static const uint8_t magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  memcpy(out, magic, 6);
  out[6] = (uint8_t)major;
  out[7] = 0;
  uint64_t stored = (uint64_t)(hlen + pad);
  for (int b = 0; b < (major == 1 ? 2 : 4); b++) out[8 + b] = (uint8_t)(stored >> (8 * b));
  memcpy(out + prefix, dict, (size_t)n);
  memset(out + prefix + n, ' ', (size_t)pad);
  out[total - 1] = '\n';
  return total;
}
