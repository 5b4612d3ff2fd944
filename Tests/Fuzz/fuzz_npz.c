// libFuzzer target: the zip central-directory reader behind .npz
// (bw_zip_read_directory) and the inflate of each member, as
// NpzArchive uses them. Built and run by `make fuzz`.
#include "CBlockwiseFormats.h"

#include <stdlib.h>
#include <string.h>

#define CHECK(c) \
  do {           \
    if (!(c)) abort(); \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *buf = malloc(size ? size : 1);
  memcpy(buf, data, size);
  long len = (long)size;
  char error[256];
  bw_zip_entry entries[16];
  long needed = 0;
  long n = bw_zip_read_directory(buf, len, entries, 16, &needed, error);
  CHECK(n >= -2);
  if (n == -1) CHECK(memchr(error, 0, sizeof(error)) != NULL && error[0] != 0);
  if (n == -2) CHECK(needed > 16);
  for (long k = 0; k < n; k++) {
    bw_zip_entry *e = &entries[k];
    CHECK(memchr(e->name, 0, sizeof(e->name)) != NULL);
    CHECK(e->method == 0 || e->method == 8);
    // Every member lies inside the file.
    CHECK(e->data_offset <= (uint64_t)len && e->compressed_size <= (uint64_t)len - e->data_offset);
    const uint8_t *member = buf + e->data_offset;
    if (e->method == 0) {
      (void)bw_crc32(member, (long)e->compressed_size);
      bw_npy_header h;
      (void)bw_npy_parse_header(member, (long)e->compressed_size, &h);
    } else if (e->uncompressed_size <= (1u << 20)) {
      // Inflate into an exact-size buffer: zlib must never write past it.
      uint8_t *out = malloc(e->uncompressed_size ? e->uncompressed_size : 1);
      if (bw_inflate(member, (long)e->compressed_size, out, (long)e->uncompressed_size, error) == 0) {
        (void)bw_crc32(out, (long)e->uncompressed_size);
        bw_npy_header h;
        (void)bw_npy_parse_header(out, (long)e->uncompressed_size, &h);
      } else {
        CHECK(error[0] != 0);
      }
      free(out);
    }
  }
  free(buf);
  return 0;
}
