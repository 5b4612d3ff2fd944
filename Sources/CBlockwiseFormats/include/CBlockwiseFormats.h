#ifndef CBLOCKWISE_FORMATS_H
#define CBLOCKWISE_FORMATS_H

// Parsers of the file formats Blockwise reads (numpy's .npy and .npz, CSV),
// written for untrusted input: every read is bounds-checked against the
// buffer given, every count checked for overflow, and errors are
// returned with a message, never trapped. Fuzzed by `make fuzz`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - .npy headers

#define BW_NPY_MAX_DIMS 64  // numpy 2's NPY_MAXDIMS

typedef struct {
  int major, minor;         // format version (1.0, 2.0 or 3.0)
  long data_offset;         // bytes before the data (magic, length, header)
  char descr[64];           // the dtype string, e.g. "<f8"
  int fortran_order;        // 1 for column-major data
  int ndim;
  int64_t shape[BW_NPY_MAX_DIMS];
  int64_t count;            // product of shape (0 with a zero dimension)
  char error[256];          // what is wrong, when parsing fails
} bw_npy_header;

/// Parses the preamble of a .npy file from its first `len` bytes.
/// Returns 0 when parsed; 1 when more bytes are needed (`data_offset` then
/// holds the preamble's full length, if known, else 0); -1 for a file
/// that is not a valid .npy (`error` says what is wrong).
int bw_npy_parse_header(const uint8_t *buf, long len, bw_npy_header *h);

/// Writes numpy's exact preamble for a C-order array of `descr` and
/// `shape` into out (room for `cap` bytes); returns its length (a multiple
/// of 64; version 1.0, or 2.0 when the header needs it), or -1 when it
/// does not fit in `cap`.
long bw_npy_write_header(const char *descr, const int64_t *shape, int ndim, uint8_t *out, long cap);

// MARK: - Zip archives (.npz)

typedef struct {
  char name[256];           // member name (truncated names are an error)
  int method;               // 0 stored, 8 deflated
  uint32_t crc32;
  uint64_t compressed_size;
  uint64_t uncompressed_size;
  uint64_t data_offset;     // where the member's bytes start in the file
} bw_zip_entry;

/// Reads the central directory of the zip archive in buf[0..<len] (the
/// whole file) into `entries` (room for `cap`); returns the number of
/// members, -1 for a malformed archive (`error`, 256 bytes, says why), or
/// -2 when there are more than `cap` members (the count is in `*needed`).
/// Zip64 archives (as numpy writes) are read; members must lie inside the
/// file.
long bw_zip_read_directory(const uint8_t *buf, long len, bw_zip_entry *entries, long cap, long *needed,
                           char *error);

/// Inflates a raw deflate stream (zlib) into out, which must receive
/// exactly `out_len` bytes; returns 0, or -1 for corrupt or mismatched
/// data (`error`, 256 bytes).
int bw_inflate(const uint8_t *src, long src_len, uint8_t *out, long out_len, char *error);

/// CRC-32 of n bytes (zlib's), for checking members.
uint32_t bw_crc32(const uint8_t *p, long n);

// MARK: - Files

/// Reserves `bytes` for the file open at `fd` (fallocate), so its blocks
/// are allocated before it is written. Returns 0, or ENOSPC/EFBIG when
/// the disk or the file-size limit cannot hold it (other failures, such
/// as a filesystem without fallocate, return 0: the write goes ahead).
int bw_preallocate(int fd, long bytes);

// MARK: - Conversions of numpy dtypes on read

/// Element kinds of the dtypes Blockwise reads.
typedef enum {
  BW_DT_F8 = 0, BW_DT_F4, BW_DT_F2, BW_DT_I1, BW_DT_I2, BW_DT_I4, BW_DT_I8,
  BW_DT_U1, BW_DT_U2, BW_DT_U4, BW_DT_U8, BW_DT_B1
} bw_dtype_kind;

/// Converts n elements of `kind` at src (byte-swapped first when `swap`)
/// into doubles or floats: exact where the value fits, rounded to nearest
/// otherwise (64-bit integers beyond 2^53 into Double, beyond 2^24 into
/// Float; Double into Float).
void bw_convert_to_f64(int kind, int swap, const void *src, double *dst, long n);
void bw_convert_to_f32(int kind, int swap, const void *src, float *dst, long n);

// MARK: - CSV numbers

/// Parses the delimited numbers of the lines in text[0..<len] (no partial
/// last line) into out, `columns` per row, skipping empty lines and lines
/// starting with '#'. Returns the rows parsed, or -1 with *bad_line (0 for
/// the first line of text) and *bad_column (1-based) of the first field
/// that is not a number, or of a row with another number of fields
/// (*bad_column then holds its field count, negated).
long bw_csv_parse(const char *text, long len, char delimiter, long columns, double *out, long max_rows,
                  long *bad_line, long *bad_column);
/// Counts the data lines (not empty, not comments) in text[0..<len], and
/// all its lines into *lines (when not NULL).
long bw_csv_count_rows(const char *text, long len, long *lines);
/// The number of fields of the first data line, or 0.
long bw_csv_count_columns(const char *text, long len, char delimiter);

#ifdef __cplusplus
}
#endif
#endif
