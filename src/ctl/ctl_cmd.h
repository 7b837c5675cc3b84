/* Helpers shared by the ctl_cmd_*.c files: parsing with the global
 * options, one call to the server with error reporting, reading fields
 * out of the server's JSON, and printing. */
#ifndef CTL_CMD_H
#define CTL_CMD_H

#include <jansson.h>
#include "ctl.h"
#include "ctl_args.h"
#include "ctl_http.h"
#include "ctl_table.h"

/* The longest site code the server takes. */
#define CTL_SITE_CODE_MAX 16

/* Parses a command's words against its options plus the global ones
 * (--server, --token, --ca-file, --pin, --site, --json, --full) and
 * checks the positional count.  Prints the problem and returns
 * CTL_EXIT_USAGE on error. */
ctl_exit ctl_parse(ctl_ctx *ctx, int argc, char **argv, const ctl_opt *opts, size_t npos,
                   const char *usage, ctl_pos *pos);
/* The same for a command taking min_pos to max_pos positional words. */
ctl_exit ctl_parse_between(ctl_ctx *ctx, int argc, char **argv, const ctl_opt *opts,
                           size_t min_pos, size_t max_pos, const char *usage, ctl_pos *pos);

/* The global --site: "site=CODE" on a list's query, "site": "CODE" in a
 * create's body; nothing when no site was chosen (every site reached). */
void ctl_path_site(const ctl_ctx *ctx, ctl_path *path);
lobby_err ctl_json_add_site(const ctl_ctx *ctx, json_t *body);
/* A record's "site" for a table: its code, "all" for null (a notice for
 * every site), NULL when missing. */
const char *ctl_site_cell(const json_t *record);

/* A record's unit for a table, "1-2-301" from {"unit": {"building",
 * "unit", "room"}} (or the same keys at the top level), just the
 * building for a public area; NULL when it has none. */
const char *ctl_unit_cell(const json_t *record, char *buf, size_t size);

/* Prints "lobbyctl: <msg>" and returns CTL_EXIT_USAGE. */
ctl_exit ctl_usage_error(ctl_ctx *ctx, const ctl_msg *msg);

/* Checks a lobby_err from a local check: LOBBY_OK gives CTL_EXIT_OK,
 * anything else prints msg and gives CTL_EXIT_USAGE. */
ctl_exit ctl_checked(ctl_ctx *ctx, lobby_err err, const ctl_msg *msg);

/* One request.  body (may be NULL) is serialised, not consumed.  On
 * failure the error is printed (and with --json the server's error JSON
 * goes to stdout too) and the exit code returned; resp must be freed with
 * ctl_http_response_free in every case. */
ctl_exit ctl_call(ctl_ctx *ctx, const char *method, const ctl_path *path, const json_t *body,
                  const char *idempotency_key, ctl_http_response *resp);

/* The same with len bytes of content_type as the body (a picture). */
ctl_exit ctl_call_bytes(ctl_ctx *ctx, const char *method, const ctl_path *path,
                        const char *content_type, const void *data, size_t len,
                        ctl_http_response *resp);

/* Prints the server's JSON as it came (for --json). */
ctl_exit ctl_print_json(ctl_ctx *ctx, const ctl_http_response *resp);

/* Prints a table to ctx->out and frees it. */
ctl_exit ctl_print_table(ctl_ctx *ctx, ctl_table *t);

/* How a list is printed as a table: its headers, the widest some columns
 * may get (max_cols, ended by a zero width), and the column that takes
 * what is left of the terminal's width (-1: none). */
typedef struct {
  size_t col, width;
} ctl_col_max;
typedef struct {
  const char *const *headers;
  size_t ncols;
  int flex;
  const ctl_col_max *max_cols;
} ctl_list_shape;
/* Adds the row of one element of the list. */
typedef lobby_err (*ctl_row_fn)(const ctl_ctx *ctx, ctl_table *t, const json_t *item);
/* Prints items (a JSON array; anything else prints the headers only) as
 * a table, one row per element. */
ctl_exit ctl_print_list(ctl_ctx *ctx, const json_t *items, const ctl_list_shape *shape,
                        ctl_row_fn row);

/* printf to ctx->out; a failed write (a closed pipe, a full disk) is
 * reported and gives a non-zero exit, so scripts never take a cut-off
 * answer for a whole one. */
__attribute__((format(printf, 2, 3)))
ctl_exit ctl_printf(ctl_ctx *ctx, const char *fmt, ...);

/* Prints "label: value" lines; fails like printf. */
ctl_exit ctl_print_kv(ctl_ctx *ctx, const char *label, const char *value);

/* The list in an answer: the answer itself when it is an array, else the
 * member `key` (servers wrap lists as {"notices": […]}). */
const json_t *ctl_json_list(const json_t *root, const char *key);

/* A member as display text in buf: strings as they are, numbers in
 * decimal, true/false as yes/no, null/missing as NULL. */
const char *ctl_json_text(const json_t *obj, const char *key, char *buf, size_t size);

/* "2026-11-26T18:00:00+08:00" -> "11-26 18:00" for tables; other text is
 * copied as it is.  NULL in gives NULL. */
const char *ctl_short_time(const char *iso, char *buf, size_t size);

/* A time member for a table ("11-26 18:00").  Takes ISO text, or epoch
 * seconds (shown in China's +08:00) should an answer carry those. */
const char *ctl_json_time(const json_t *obj, const char *key, char *buf, size_t size);

/* A phone for a table: masked unless --full. */
const char *ctl_phone_cell(const ctl_ctx *ctx, const char *phone, char *buf, size_t size);

/* Adds an int member; json errors come back as LOBBY_ENOMEM. */
lobby_err ctl_json_set_int(json_t *obj, const char *key, long value);
/* Adds the optional string members given as key, value pairs (ended by a
 * NULL key), skipping those whose value is NULL: the options a user left
 * out.  A NULL obj (a failed json_pack) gives LOBBY_ENOMEM. */
__attribute__((sentinel)) lobby_err ctl_json_add_optional(json_t *obj, ...);

/* For failures that are ours, not the server's (out of memory). */
ctl_exit ctl_internal_error(ctl_ctx *ctx, lobby_err err);

#endif
