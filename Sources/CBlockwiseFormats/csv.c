// Numeric CSV: delimited numbers, one row per line. Each field is copied
// into a terminated buffer before strtod (in the C locale), so a number is
// never read past its line or past the end of the text, and is parsed
// with correct rounding.
#include "CBlockwiseFormats.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static locale_t c_locale;
static pthread_once_t locale_once = PTHREAD_ONCE_INIT;
static void make_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static int is_space(char c) { return c == ' ' || c == '\t'; }

// The next line: [*start, *stop) without '\r\n', and the index after it.
static long next_line(const char *text, long len, long at, long *stop) {
  const char *nl = memchr(text + at, '\n', (size_t)(len - at));
  long e = nl ? nl - text : len;
  long s = e;
  if (s > at && text[s - 1] == '\r') s--;
  *stop = s;
  return nl ? e + 1 : len;
}

static int is_data(const char *text, long at, long stop) {
  while (at < stop && is_space(text[at])) at++;
  return at < stop && text[at] != '#';
}

long bw_csv_count_rows(const char *text, long len, long *lines) {
  long rows = 0, count = 0, at = 0, stop;
  while (at < len) {
    long next = next_line(text, len, at, &stop);
    rows += is_data(text, at, stop);
    count++;
    at = next;
  }
  if (lines) *lines = count;
  return rows;
}

long bw_csv_count_columns(const char *text, long len, char delimiter) {
  long at = 0, stop;
  while (at < len) {
    long next = next_line(text, len, at, &stop);
    if (is_data(text, at, stop)) {
      long fields = 1;
      for (long i = at; i < stop; i++) fields += text[i] == delimiter;
      return fields;
    }
    at = next;
  }
  return 0;
}

long bw_csv_parse(const char *text, long len, char delimiter, long columns, double *out, long max_rows,
                  long *bad_line, long *bad_column) {
  pthread_once(&locale_once, make_locale);
  long rows = 0, line = 0, at = 0, stop;
  while (at < len) {
    long next = next_line(text, len, at, &stop);
    if (is_data(text, at, stop)) {
      long col = 0, i = at;
      for (;;) {
        while (i < stop && is_space(text[i])) i++;
        long fs = i;
        while (i < stop && text[i] != delimiter) i++;
        long fe = i;
        while (fe > fs && is_space(text[fe - 1])) fe--;
        if (fe - fs >= 2 && text[fs] == '"' && text[fe - 1] == '"') { fs++; fe--; }
        char field[128];
        col++;
        if (col > columns || rows >= max_rows) {
          *bad_line = line;
          *bad_column = -col;
          return -1;
        }
        int ok = fe > fs && fe - fs < (long)sizeof(field);
        double v = 0;
        if (ok) {
          memcpy(field, text + fs, (size_t)(fe - fs));
          field[fe - fs] = 0;
          ok = strchr(field, 'x') == NULL && strchr(field, 'X') == NULL;  // no hex floats (Python's float())
          char *end = NULL;
          if (ok) v = c_locale ? strtod_l(field, &end, c_locale) : strtod(field, &end);
          ok = ok && end == field + (fe - fs);
        }
        if (!ok) {
          *bad_line = line;
          *bad_column = col;
          return -1;
        }
        out[rows * columns + col - 1] = v;
        if (i >= stop) break;
        i++;  // the delimiter
      }
      if (col != columns) {
        *bad_line = line;
        *bad_column = -col;
        return -1;
      }
      rows++;
    }
    line++;
    at = next;
  }
  return rows;
}
