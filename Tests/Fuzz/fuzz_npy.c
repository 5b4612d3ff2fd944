// libFuzzer target: the .npy header parser (bw_npy_parse_header), fed
// whole files and every prefix length Blockwise reads them in, with the
// writer round-tripped on what parses. Built and run by `make fuzz`.
#include "CBlockwiseFormats.h"

#include <stdlib.h>
#include <string.h>

#define CHECK(c) \
  do {           \
    if (!(c)) abort(); \
  } while (0)

static void check_parsed(const bw_npy_header *h, long len) {
  CHECK(h->data_offset >= 10 && h->data_offset <= len);
  CHECK(h->ndim >= 0 && h->ndim <= BW_NPY_MAX_DIMS);
  CHECK(memchr(h->descr, 0, sizeof(h->descr)) != NULL);
  int zero = 0;
  for (int i = 0; i < h->ndim; i++) {
    CHECK(h->shape[i] >= 0);
    zero |= h->shape[i] == 0;
  }
  CHECK(h->count >= 0 && (zero ? h->count == 0 : h->count >= 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // An exact-size heap copy, so AddressSanitizer sees any read past it.
  uint8_t *buf = malloc(size ? size : 1);
  memcpy(buf, data, size);
  bw_npy_header h;
  int rc = bw_npy_parse_header(buf, (long)size, &h);
  CHECK(rc == 0 || rc == 1 || rc == -1);
  if (rc == -1) CHECK(h.error[0] != 0 && memchr(h.error, 0, sizeof(h.error)) != NULL);
  if (rc == 1) CHECK(h.data_offset == 0 || h.data_offset > (long)size);
  if (rc == 0) {
    check_parsed(&h, (long)size);
    // A prefix ending inside the header asks for more, never succeeds.
    bw_npy_header p;
    int prc = bw_npy_parse_header(buf, h.data_offset - 1, &p);
    CHECK(prc == 1 || prc == -1);
    // What parses writes back (as np.save would) and parses to the same.
    if (!h.fortran_order && h.ndim <= 32) {
      uint8_t out[4096 + 32 * 24];
      long n = bw_npy_write_header(h.descr, h.shape, h.ndim, out, sizeof(out));
      if (n > 0) {
        CHECK(n % 64 == 0);
        bw_npy_header back;
        CHECK(bw_npy_parse_header(out, n, &back) == 0);
        CHECK(back.ndim == h.ndim && back.count == h.count && strcmp(back.descr, h.descr) == 0);
        CHECK(memcmp(back.shape, h.shape, sizeof(int64_t) * (size_t)h.ndim) == 0);
        CHECK(back.data_offset == n);
      }
    }
  }
  free(buf);
  return 0;
}
