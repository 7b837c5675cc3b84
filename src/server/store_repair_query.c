#include "store_repair_query.h"

#include <stdio.h>
#include <string.h>

#define OPEN_LIST "('submitted','accepted','dispatched','on_site')"
#define DONE_LIST "('completed','return_visit','closed')"

static void search_conditions(store_query *q, const store_search_terms *t)
{
  q->searching = t->number || t->phone || t->last4 || t->building || t->name_like;
  if (t->number) {
    store_query_and_text(q, "r.ticket >= ", t->number);
    store_query_and_text(q, "r.ticket < ", t->number_end);
  }
  if (t->phone)
    store_query_and_text(q, "r.phone = ", t->phone);
  if (t->last4)
    store_query_and_text(q, "r.phone_last4 = ", t->last4);
  if (t->building)
    store_query_and_text(q, "r.building = ", t->building);
  if (t->unit)
    store_query_and_text(q, "r.unit = ", t->unit);
  if (t->room)
    store_query_and_text(q, "r.room = ", t->room);
  /* PostgreSQL compares text by its collation, not bytes: LIKE with a
   * fixed start uses the text_pattern_ops index there; SQLite's BINARY
   * order is the bytes', where a range uses the plain index. */
  if (t->name_like && q->dollar) {
    store_query_and_text(q, "r.name LIKE ", t->name_like);
    store_query_put(q, " ESCAPE '\\'");
  } else if (t->name_like) {
    store_query_and_text(q, "r.name >= ", t->name_from);
    store_query_and_text(q, "r.name < ", t->name_end);
  }
}

/* Open, and past due for what its promise is (repair_overdue): on site
 * meets an emergency's promise. */
static void overdue_condition(store_query *q, int64_t now)
{
  store_query_put(q, "r.status IN " OPEN_LIST " AND r.due_at < ");
  store_query_arg_int(q, now);
  store_query_put(q, " AND NOT (r.status = 'on_site' AND r.urgency = 'emergency')");
}

/* " WHERE" and the conditions f sets; with_state adds the status,
 * overdue and follow-up ones (the counts' cards leave them out). */
static void where(store_query *q, const store_repair_filter *f, const store_search_terms *t,
                  int64_t now, bool with_state)
{
  char sites[STORE_SITE_CLAUSE_SIZE];
  store_query_put(q, " WHERE 1 = 1");
  if (f->category)
    store_query_and_text(q, "r.category = ", f->category);
  if (f->urgency)
    store_query_and_text(q, "r.urgency = ", f->urgency);
  if (f->building)
    store_query_and_text(q, "r.building = ", f->building);
  if (f->from)
    store_query_and_int(q, "r.created_at >= ", f->from);
  if (f->to)
    store_query_and_int(q, "r.created_at < ", f->to);
  if (f->technician_id)
    store_query_and_int(q, "r.technician_id = ", f->technician_id);
  if (f->changed_before)
    store_query_and_int(q, "r.updated_at < ", f->changed_before);
  search_conditions(q, t);
  if (store_site_clause(f->sites, "r.site_id", false, sites, sizeof sites) != LOBBY_OK)
    q->overflow = true;
  else
    store_query_put(q, sites);
  if (!with_state)
    return;
  if (f->status && strcmp(f->status, "open") == 0)
    store_query_put(q, " AND r.status IN " OPEN_LIST);
  else if (f->status && strcmp(f->status, "done") == 0)
    store_query_put(q, " AND r.status IN " DONE_LIST);
  else if (f->status)
    store_query_and_text(q, "r.status = ", f->status);
  if (f->overdue_only) {
    store_query_put(q, " AND ");
    overdue_condition(q, now);
  }
  if (f->follow_up_only)
    store_query_put(q, " AND r.follow_up_at IS NOT NULL AND r.status NOT IN ('closed','cancelled')");
}

/* Writes "+r.status" and "+r.created_at" for SQLite when a search term
 * narrows the statement: the unary plus keeps SQLite's planner off those
 * columns' indexes (documented in its query planner's notes).  Without
 * statistics it takes "status IN (three values)" for a few rows and
 * reads 99,000 closed tickets through the status index, where the search
 * term's own index (phone, room, name, number) finds the few there are.
 * PostgreSQL plans by its statistics and has no unary plus for text. */
static void keep_to_search_index(store_query *q)
{
  static const char *const columns[] = {"r.status ", "r.created_at "};
  char out[sizeof q->sql];
  if (q->dollar || !q->searching)
    return;
  size_t o = 0;
  for (size_t i = 0; i < q->len && !q->overflow;) {
    bool plus = false;
    for (size_t c = 0; c < 2; c++)
      if (strncmp(q->sql + i, columns[c], strlen(columns[c])) == 0 && (i == 0 || q->sql[i - 1] != '+'))
        plus = true;
    if (o + 2 >= sizeof out) {
      q->overflow = true;
      break;
    }
    if (plus)
      out[o++] = '+';
    out[o++] = q->sql[i++];
  }
  if (q->overflow)
    return;
  out[o] = '\0';
  memcpy(q->sql, out, o + 1);
  q->len = o;
}

/* Runs q once its search conditions are kept to their index. */
static lobby_err run_rows(const store_query_runner *run, store_query *q, json_t **out)
{
  keep_to_search_index(q);
  return store_query_rows(run, q, out);
}

static lobby_err run_count(const store_query_runner *run, store_query *q, int64_t *n)
{
  keep_to_search_index(q);
  return store_query_count(run, q, n);
}

/* Appends b's rows to a. */
static void extend(json_t *a, json_t *b)
{
  json_array_extend(a, b);
  json_decref(b);
}

static lobby_err list_newest(const store_query_runner *run, const store_repair_filter *f,
                             const store_search_terms *t, int64_t now, int limit, int offset,
                             const char *extra, json_t **out)
{
  store_query q;
  store_query_init(&q, run->dollar);
  /* The page's ids first: PostgreSQL computes the columns (their
   * subqueries too) of every row an OFFSET skips. */
  store_query_put(&q, "SELECT " STORE_REPAIR_STAFF_COLUMNS " FROM repairs r JOIN (SELECT r.id FROM repairs r");
  where(&q, f, t, now, true);
  store_query_put(&q, extra);
  store_query_put(&q, " ORDER BY r.created_at DESC, r.id DESC LIMIT ");
  store_query_arg_int(&q, limit);
  store_query_put(&q, " OFFSET ");
  store_query_arg_int(&q, offset);
  store_query_put(&q, ") page ON page.id = r.id ORDER BY r.created_at DESC, r.id DESC");
  return run_rows(run, &q, out);
}

/* by_priority: the open tickets that match (few, through the status
 * index) ranked overdue, emergency, the rest, each by due time; then,
 * where the page reaches past them, the others newest first. */
static lobby_err list_by_priority(const store_query_runner *run, const store_repair_filter *f,
                                  const store_search_terms *t, int64_t now, int limit, int offset,
                                  json_t **out)
{
  store_query q;
  int64_t open = 0;
  store_query_init(&q, run->dollar);
  store_query_put(&q, "SELECT count(*) AS n FROM repairs r");
  where(&q, f, t, now, true);
  store_query_put(&q, " AND r.status IN " OPEN_LIST);
  lobby_err err = run_count(run, &q, &open);
  if (err != LOBBY_OK)
    return err;
  json_t *rows = json_array();
  if (!rows)
    return LOBBY_ENOMEM;
  if (offset < open) {
    json_t *part;
    store_query_init(&q, run->dollar);
    store_query_put(&q, "SELECT " STORE_REPAIR_STAFF_COLUMNS " FROM repairs r");
    where(&q, f, t, now, true);
    store_query_put(&q, " AND r.status IN " OPEN_LIST " ORDER BY CASE WHEN ");
    overdue_condition(&q, now);
    store_query_put(&q, " THEN 0 WHEN r.urgency = 'emergency' THEN 1 ELSE 2 END, r.due_at, r.id LIMIT ");
    store_query_arg_int(&q, limit);
    store_query_put(&q, " OFFSET ");
    store_query_arg_int(&q, offset);
    if ((err = run_rows(run, &q, &part)) != LOBBY_OK) {
      json_decref(rows);
      return err;
    }
    extend(rows, part);
  }
  int got = (int)json_array_size(rows);
  if (got < limit) {
    json_t *part;
    int64_t rest_offset = offset > open ? offset - open : 0;
    err = list_newest(run, f, t, now, limit - got, (int)rest_offset,
                      " AND r.status NOT IN " OPEN_LIST, &part);
    if (err != LOBBY_OK) {
      json_decref(rows);
      return err;
    }
    extend(rows, part);
  }
  *out = rows;
  return LOBBY_OK;
}

lobby_err store_repair_list_run(const store_query_runner *run, const store_repair_filter *f,
                                int64_t now, json_t **out)
{
  store_search_terms t;
  store_search_terms_of(f->search, &t);
  int limit = f->limit > 0 ? f->limit : 500;
  int offset = f->offset > 0 ? f->offset : 0;
  if (f->by_priority)
    return list_by_priority(run, f, &t, now, limit, offset, out);
  return list_newest(run, f, &t, now, limit, offset, "", out);
}

lobby_err store_repair_counts_run(const store_query_runner *run, const store_repair_filter *f,
                                  int64_t now, int64_t today_from, store_repair_counts *out)
{
  store_search_terms t;
  store_query q;
  json_t *rows;
  store_search_terms_of(f->search, &t);
  memset(out, 0, sizeof *out);
  /* The open tickets' cards in one pass over the status index's open
   * range. */
  store_query_init(&q, run->dollar);
  store_query_put(&q, "SELECT count(*) AS open, "
          "count(*) FILTER (WHERE r.status = 'submitted') AS submitted, "
          "count(*) FILTER (WHERE r.status IN ('accepted','dispatched','on_site')) AS in_progress, "
          "count(*) FILTER (WHERE r.due_at < ");
  store_query_arg_int(&q, now);
  store_query_put(&q, " AND NOT (r.status = 'on_site' AND r.urgency = 'emergency')) AS overdue, "
          "count(*) FILTER (WHERE r.urgency = 'emergency') AS emergency FROM repairs r");
  where(&q, f, &t, now, false);
  store_query_put(&q, " AND r.status IN " OPEN_LIST);
  lobby_err err = run_rows(run, &q, &rows);
  if (err != LOBBY_OK)
    return err;
  json_t *row = json_array_get(rows, 0);
  out->open = json_integer_value(json_object_get(row, "open"));
  out->submitted = json_integer_value(json_object_get(row, "submitted"));
  out->in_progress = json_integer_value(json_object_get(row, "in_progress"));
  out->overdue = json_integer_value(json_object_get(row, "overdue"));
  out->emergency = json_integer_value(json_object_get(row, "emergency"));
  json_decref(rows);
  store_query_init(&q, run->dollar);
  store_query_put(&q, "SELECT count(*) AS n FROM repairs r");
  where(&q, f, &t, now, false);
  store_query_put(&q, " AND r.status IN " DONE_LIST);
  if ((err = run_count(run, &q, &out->completed)) != LOBBY_OK)
    return err;
  store_query_init(&q, run->dollar);
  store_query_put(&q, "SELECT count(*) AS n FROM repairs r");
  where(&q, f, &t, now, false);
  store_query_and_int(&q, "r.created_at >= ", today_from);
  if ((err = run_count(run, &q, &out->today)) != LOBBY_OK)
    return err;
  store_query_init(&q, run->dollar);
  store_query_put(&q, "SELECT count(*) AS n FROM repairs r");
  where(&q, f, &t, now, true);
  return run_count(run, &q, &out->total);
}
