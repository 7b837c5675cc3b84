/* The statement builder both stores' list queries share. */
#include "store_query.h"

#include <stdio.h>
#include <string.h>

void store_query_init(store_query *q, bool dollar)
{
  q->len = 0;
  q->sql[0] = '\0';
  q->dollar = dollar;
  q->argc = 0;
  q->overflow = false;
  q->searching = false;
}

void store_query_put(store_query *q, const char *text)
{
  size_t n = strlen(text);
  if (q->len + n >= sizeof q->sql) {
    q->overflow = true;
    return;
  }
  memcpy(q->sql + q->len, text, n + 1);
  q->len += n;
}

/* A placeholder for the next value. */
static store_query_arg *placeholder(store_query *q)
{
  char mark[16];
  if (q->argc >= STORE_QUERY_ARGS) {
    q->overflow = true;
    return NULL;
  }
  snprintf(mark, sizeof mark, "%c%d", q->dollar ? '$' : '?', q->argc + 1);
  store_query_put(q, mark);
  return &q->argv[q->argc++];
}

void store_query_arg_text(store_query *q, const char *value)
{
  store_query_arg *a = placeholder(q);
  if (a)
    *a = (store_query_arg){.is_text = true, .text = value};
}

void store_query_arg_int(store_query *q, int64_t value)
{
  store_query_arg *a = placeholder(q);
  if (a)
    *a = (store_query_arg){.num = value};
}

void store_query_and_text(store_query *q, const char *sql, const char *value)
{
  store_query_put(q, " AND ");
  store_query_put(q, sql);
  store_query_arg_text(q, value);
}

void store_query_and_int(store_query *q, const char *sql, int64_t value)
{
  store_query_put(q, " AND ");
  store_query_put(q, sql);
  store_query_arg_int(q, value);
}

lobby_err store_query_rows(const store_query_runner *run, const store_query *q, json_t **out)
{
  *out = NULL;
  if (q->overflow)
    return LOBBY_EINVAL;
  return run->rows(run->ctx, q, out);
}

lobby_err store_query_count(const store_query_runner *run, const store_query *q, int64_t *n)
{
  json_t *rows;
  lobby_err err = store_query_rows(run, q, &rows);
  if (err != LOBBY_OK)
    return err;
  *n = json_integer_value(json_object_get(json_array_get(rows, 0), "n"));
  json_decref(rows);
  return LOBBY_OK;
}
