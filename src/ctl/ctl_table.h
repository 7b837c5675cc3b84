/* Terminal text for lobbyctl: display width of UTF-8 text (a Chinese
 * character takes two columns), truncation with "…", and aligned tables.
 * Kept apart from the HTTP and command code so it can be unit-tested. */
#ifndef CTL_TABLE_H
#define CTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "lobby_error.h"

/* Selects how widths are measured: wcwidth() under a UTF-8 LC_CTYPE when
 * one can be set, else a built-in East Asian Width table.  Returns true
 * when wcwidth() is in use.  Call once at start-up. */
bool ctl_text_init(void);

/* Forces the built-in table (tests use it to check both paths). */
void ctl_text_use_builtin(bool builtin);

/* Columns one code point takes: 0 (combining), 1 or 2 (wide/CJK). */
int ctl_cp_width(uint32_t cp);

/* Columns a UTF-8 string takes.  Invalid bytes count as one column each,
 * because ctl_text_clean shows them as '?'. */
size_t ctl_display_width(const char *s);

/* Copies s into out, cut so it takes at most max_cols columns; a cut
 * string ends with "…" (one column).  Never splits a character.  Returns
 * LOBBY_ETOOBIG when out is too small for the result. */
lobby_err ctl_truncate(const char *s, size_t max_cols, char *out, size_t out_size);

/* Makes server text safe for one table cell: control characters (newline,
 * tab, and ESC that could drive the terminal) become spaces and invalid
 * UTF-8 bytes become '?'.  Returns a malloc'd string or NULL. */
char *ctl_text_clean(const char *s);

typedef struct ctl_table ctl_table;

/* A table with ncols columns and the given header labels (copied). */
lobby_err ctl_table_new(size_t ncols, const char *const *headers, ctl_table **out);
void ctl_table_free(ctl_table *t);

/* Caps a column's width in columns (0 = no cap). */
lobby_err ctl_table_set_max(ctl_table *t, size_t col, size_t max_cols);

/* The one column that shrinks first when the table is wider than the
 * terminal (titles, descriptions). */
lobby_err ctl_table_set_flex(ctl_table *t, size_t col);

/* Appends a row of ncols cells; NULL cells print as "-".  Copies. */
lobby_err ctl_table_add_row(ctl_table *t, const char *const *cells);

size_t ctl_table_rows(const ctl_table *t);

/* Writes the table; term_width 0 means no limit.  Returns LOBBY_EIO on a
 * write error (a closed pipe), so the caller can exit non-zero. */
lobby_err ctl_table_print(const ctl_table *t, FILE *out, size_t term_width);

#endif
