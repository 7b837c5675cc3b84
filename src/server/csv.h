/* CSV that Excel opens correctly: UTF-8 with a byte-order mark, CRLF line
 * ends, every text cell quoted with inner quotes doubled, and cells that
 * start like a formula (= + - @, tab, CR) prefixed with a quote so a
 * spreadsheet shows them as text instead of running them. */
#ifndef LOBBYD_CSV_H
#define LOBBYD_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include "lobby_error.h"

typedef struct {
  char *data;
  size_t len, cap;
  bool row_started;
  bool failed;          /* an allocation failed; the buffer is unusable */
} csv_buffer;

/* Starts the buffer with the UTF-8 byte-order mark. */
lobby_err csv_init(csv_buffer *b);
void csv_free(csv_buffer *b);

void csv_text(csv_buffer *b, const char *text);   /* NULL writes an empty cell */
void csv_int(csv_buffer *b, long long value);
void csv_end_row(csv_buffer *b);

#endif
