// libFuzzer target: the numeric CSV parser (bw_csv_*), with the first
// byte choosing the delimiter. Built and run by `make fuzz`.
#include "CBlockwiseFormats.h"

#include <stdlib.h>
#include <string.h>

#define CHECK(c) \
  do {           \
    if (!(c)) abort(); \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const char delimiters[4] = {',', ';', '\t', ' '};
  char delimiter = delimiters[data[0] & 3];
  long len = (long)size - 1;
  char *text = malloc(len ? (size_t)len : 1);
  memcpy(text, data + 1, (size_t)len);
  long lines = 0;
  long rows = bw_csv_count_rows(text, len, &lines);
  CHECK(rows >= 0 && rows <= lines && lines <= len + 1);
  long columns = bw_csv_count_columns(text, len, delimiter);
  CHECK(columns >= 0 && columns <= len + 1);
  if (rows > 0 && columns > 0 && rows * columns <= (1 << 20)) {
    double *out = malloc(sizeof(double) * (size_t)(rows * columns));
    long bad_line = -1, bad_column = 0;
    long parsed = bw_csv_parse(text, len, delimiter, columns, out, rows, &bad_line, &bad_column);
    CHECK(parsed == rows || (parsed == -1 && bad_line >= 0 && bad_line < lines && bad_column != 0));
    free(out);
  }
  free(text);
  return 0;
}
