// The central directory of zip archives, enough to read numpy's .npz
// files (np.savez: stored members; np.savez_compressed: deflated; both
// written with zip64 local headers) and others' zips of .npy files. The
// archive is read from memory (a mapping of the file), every offset and
// size checked against it.
#include "CBlockwiseFormats.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

#define FAIL(...)                                \
  do {                                           \
    snprintf(error, 256, __VA_ARGS__);           \
    return -1;                                   \
  } while (0)

long bw_zip_read_directory(const uint8_t *buf, long len, bw_zip_entry *entries, long cap, long *needed,
                           char *error) {
  if (len < 22) FAIL("not a zip archive: %ld bytes, shorter than an end-of-directory record", len);
  // The end-of-central-directory record: the last one in the final 64 KiB.
  long eocd = -1;
  long lowest = len - 22 - 65535 > 0 ? len - 22 - 65535 : 0;
  for (long p = len - 22; p >= lowest; p--) {
    if (rd32(buf + p) == 0x06054b50u && p + 22 + (long)rd16(buf + p + 20) <= len) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) FAIL("not a zip archive: no end-of-central-directory record%s", "");
  uint64_t count = rd16(buf + eocd + 10);
  uint64_t cd_size = rd32(buf + eocd + 12);
  uint64_t cd_offset = rd32(buf + eocd + 16);
  // Zip64: a locator just before the record points at the zip64 record.
  if (eocd >= 20 && rd32(buf + eocd - 20) == 0x07064b50u) {
    uint64_t z = rd64(buf + eocd - 20 + 8);
    if (z > (uint64_t)len || (uint64_t)len - z < 56 || rd32(buf + z) != 0x06064b50u)
      FAIL("malformed zip64 end-of-directory record%s", "");
    count = rd64(buf + z + 32);
    cd_size = rd64(buf + z + 40);
    cd_offset = rd64(buf + z + 48);
  }
  if (cd_offset > (uint64_t)len || cd_size > (uint64_t)len - cd_offset)
    FAIL("the central directory (offset %llu) lies outside the file", (unsigned long long)cd_offset);
  if (count > (uint64_t)cap) {
    *needed = count > (uint64_t)1 << 40 ? (long)1 << 40 : (long)count;
    return -2;
  }
  const uint8_t *p = buf + cd_offset, *end = buf + cd_offset + cd_size;
  for (uint64_t k = 0; k < count; k++) {
    if (end - p < 46 || rd32(p) != 0x02014b50u) FAIL("member %llu: malformed central directory entry", (unsigned long long)k);
    uint16_t flags = rd16(p + 8), method = rd16(p + 10);
    uint32_t crc = rd32(p + 16);
    uint64_t csize = rd32(p + 20), usize = rd32(p + 24);
    uint16_t nlen = rd16(p + 28), xlen = rd16(p + 30), clen = rd16(p + 32);
    uint64_t local = rd32(p + 42);
    if (end - p - 46 < (long)nlen + xlen + clen) FAIL("member %llu: its name runs past the directory", (unsigned long long)k);
    bw_zip_entry *e = &entries[k];
    if (nlen >= sizeof(e->name)) FAIL("member %llu: a name longer than 255 bytes", (unsigned long long)k);
    memcpy(e->name, p + 46, nlen);
    e->name[nlen] = 0;
    // Zip64 extra field: the 64-bit values of the fields set to all ones.
    const uint8_t *x = p + 46 + nlen, *xend = x + xlen;
    while (xend - x >= 4) {
      uint16_t id = rd16(x), size = rd16(x + 2);
      if (xend - x - 4 < size) FAIL("member '%s': malformed extra field", e->name);
      if (id == 0x0001) {
        const uint8_t *v = x + 4, *vend = v + size;
        if (usize == 0xffffffffu) { if (vend - v < 8) FAIL("member '%s': short zip64 field", e->name); usize = rd64(v); v += 8; }
        if (csize == 0xffffffffu) { if (vend - v < 8) FAIL("member '%s': short zip64 field", e->name); csize = rd64(v); v += 8; }
        if (local == 0xffffffffu) { if (vend - v < 8) FAIL("member '%s': short zip64 field", e->name); local = rd64(v); v += 8; }
      }
      x += 4 + size;
    }
    if (flags & 1) FAIL("member '%s' is encrypted", e->name);
    if (method != 0 && method != 8) FAIL("member '%s' uses compression method %u (expected stored or deflated)", e->name, method);
    if (method == 0 && csize != usize) FAIL("member '%s' is stored with different sizes", e->name);
    // Its local header gives where the data start.
    if (local > (uint64_t)len || (uint64_t)len - local < 30 || rd32(buf + local) != 0x04034b50u)
      FAIL("member '%s': no local header at offset %llu", e->name, (unsigned long long)local);
    uint64_t data = local + 30 + rd16(buf + local + 26) + rd16(buf + local + 28);
    if (data > (uint64_t)len || csize > (uint64_t)len - data)
      FAIL("member '%s': its %llu bytes run past the end of the file", e->name, (unsigned long long)csize);
    e->method = method;
    e->crc32 = crc;
    e->compressed_size = csize;
    e->uncompressed_size = usize;
    e->data_offset = data;
    p += 46 + nlen + xlen + clen;
  }
  return (long)count;
}

int bw_inflate(const uint8_t *src, long src_len, uint8_t *out, long out_len, char *error) {
  z_stream s;
  memset(&s, 0, sizeof(s));
  if (inflateInit2(&s, -15) != Z_OK) FAIL("zlib could not start inflating%s", "");
  long in_done = 0, out_done = 0;
  int rc = Z_OK;
  while (rc == Z_OK) {
    // zlib counts in 32-bit units: feed at most 1 GiB at a time.
    long in_chunk = src_len - in_done > (1L << 30) ? (1L << 30) : src_len - in_done;
    long out_chunk = out_len - out_done > (1L << 30) ? (1L << 30) : out_len - out_done;
    s.next_in = (Bytef *)(src + in_done);
    s.avail_in = (uInt)in_chunk;
    s.next_out = out + out_done;
    s.avail_out = (uInt)out_chunk;
    if (out_chunk == 0 && in_chunk == 0) break;
    rc = inflate(&s, Z_NO_FLUSH);
    in_done += in_chunk - (long)s.avail_in;
    out_done += out_chunk - (long)s.avail_out;
    if (rc == Z_BUF_ERROR && (out_done == out_len || in_done == src_len)) break;
  }
  inflateEnd(&s);
  if (rc != Z_STREAM_END) FAIL("the compressed data are corrupt or truncated (zlib code %d)", rc);
  if (out_done != out_len) FAIL("the member inflates to %ld bytes, not the size its directory entry gives", out_done);
  return 0;
}

uint32_t bw_crc32(const uint8_t *p, long n) {
  uLong c = crc32(0L, Z_NULL, 0);
  while (n > 0) {
    uInt chunk = n > (1L << 30) ? (1u << 30) : (uInt)n;
    c = crc32(c, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return (uint32_t)c;
}
