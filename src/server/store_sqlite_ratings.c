/* Residents' own return visits, given at a kiosk, in the SQLite store:
 * a completed repair or a replied complaint is rated once, found by its
 * number and the phone's last four digits as a look-up finds it. */
#include "store_sqlite_internal.h"

#include <string.h>

/* The record's id and status when number and phone match one of the sites. */
static lobby_err find_rated(sq_store *s, const char *table, const store_rating *rating,
                            const store_site_set *sites, int64_t *id, char *status, size_t size)
{
  sqlite3_stmt *q;
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT id, status FROM %s WHERE %s = ? AND phone_last4 = ? "
                            "AND phone_last4 <> ''{sites}", table,
           strcmp(table, "repairs") == 0 ? "ticket" : "number");
  lobby_err err = sq__prepare_in_sites(s, sql, sites, "site_id", false, &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, rating->number);
  sq__bind_text(q, 2, rating->phone_last4);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(q, 0);
    snprintf(status, size, "%s", (const char *)sqlite3_column_text(q, 1));
  }
  sqlite3_finalize(q);
  return rc == SQLITE_ROW ? LOBBY_OK : rc == SQLITE_DONE ? LOBBY_ENOTFOUND : LOBBY_EIO;
}

static lobby_err record_repair_rating(sq_store *s, int64_t id, const store_rating *rating,
                                      const lobby_principal *by, int64_t now)
{
  sqlite3_stmt *q;
  int score = complaint_satisfaction_score(rating->satisfaction);
  lobby_err err = sq__prepare(s,
    "INSERT INTO repair_events (repair_id, event, status, actor_role, actor_name, satisfaction, "
    "comment, at) VALUES (?, 'return_visit', 'return_visit', ?, ?, ?, ?, ?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  sq__bind_text(q, 2, lobby_role_name(by->role));
  sq__bind_text(q, 3, by->name);
  sqlite3_bind_int(q, 4, score);
  sq__bind_text(q, 5, rating->comment);
  sqlite3_bind_int64(q, 6, now);
  if ((err = sq__run(s, q, false)))
    return err;
  err = sq__prepare(s, "UPDATE repairs SET status = 'return_visit', satisfaction = ?, "
                       "updated_at = ?, follow_up_at = CASE WHEN ? THEN ? ELSE NULL END "
                       "WHERE id = ?", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int(q, 1, score);
  sqlite3_bind_int64(q, 2, now);
  sqlite3_bind_int(q, 3, rating->satisfaction == COMPLAINT_UNSATISFIED);
  sqlite3_bind_int64(q, 4, now);
  sqlite3_bind_int64(q, 5, id);
  return sq__run(s, q, true);
}

static lobby_err repair_rate(lobby_store *st, const store_rating *rating,
                             const store_site_set *sites, const lobby_principal *by, int64_t now,
                             json_t **out)
{
  sq_store *s = SQ(st);
  int64_t id = 0;
  char status[32] = "";
  repair_status from, to;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = find_rated(s, "repairs", rating, sites, &id, status, sizeof status);
  /* Only a completed repair waits for its return visit. */
  if (err == LOBBY_OK && repair_status_parse(status, &from) != LOBBY_OK)
    err = LOBBY_EIO;
  if (err == LOBBY_OK)
    err = repair_transition(from, REPAIR_EVENT_RETURN_VISIT, &to);
  if (err == LOBBY_OK)
    err = record_repair_rating(s, id, rating, by, now);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  if (err == LOBBY_OK)
    err = st->ops->repair_lookup(st, rating->number, rating->phone_last4, sites, now, out);
  return err;
}

static lobby_err record_complaint_rating(sq_store *s, int64_t id, complaint_status to,
                                         const store_rating *rating, const lobby_principal *by,
                                         int64_t now)
{
  sqlite3_stmt *q;
  const char *level = complaint_satisfaction_name(rating->satisfaction);
  lobby_err err = sq__prepare(s,
    "INSERT INTO complaint_events (complaint_id, event, status, actor_role, actor_name, "
    "satisfaction, comment, at) VALUES (?, 'return_visit', ?, ?, ?, ?, ?, ?)", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, id);
  sq__bind_text(q, 2, complaint_status_name(to));
  sq__bind_text(q, 3, lobby_role_name(by->role));
  sq__bind_text(q, 4, by->name);
  sq__bind_text(q, 5, level);
  sq__bind_text(q, 6, rating->comment);
  sqlite3_bind_int64(q, 7, now);
  if ((err = sq__run(s, q, false)))
    return err;
  err = sq__prepare(s, "UPDATE complaints SET status = ?, satisfaction = ?, updated_at = ? "
                       "WHERE id = ?", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, complaint_status_name(to));
  sq__bind_text(q, 2, level);
  sqlite3_bind_int64(q, 3, now);
  sqlite3_bind_int64(q, 4, id);
  return sq__run(s, q, true);
}

static lobby_err complaint_rate(lobby_store *st, const store_rating *rating,
                                const store_site_set *sites, const lobby_principal *by,
                                int64_t now, json_t **out)
{
  sq_store *s = SQ(st);
  int64_t id = 0;
  char status[32] = "";
  complaint_status from, to;
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = find_rated(s, "complaints", rating, sites, &id, status, sizeof status);
  if (err == LOBBY_OK && complaint_status_parse(status, &from) != LOBBY_OK)
    err = LOBBY_EIO;
  /* The kind does not matter here: every kind's return visit follows a reply. */
  if (err == LOBBY_OK)
    err = complaint_transition(COMPLAINT_KIND_COMPLAINT, from, COMPLAINT_EVENT_RETURN_VISIT,
                               rating->satisfaction, &to);
  if (err == LOBBY_OK)
    err = record_complaint_rating(s, id, to, rating, by, now);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  if (err == LOBBY_OK)
    err = st->ops->complaint_lookup(st, rating->number, rating->phone_last4, sites, now, out);
  return err;
}

void sq__rating_ops(lobby_store_ops *ops)
{
  ops->repair_rate = repair_rate;
  ops->complaint_rate = complaint_rate;
}
