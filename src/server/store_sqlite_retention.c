/* The retention sweep: what lobbyd stops keeping after a while. */
#include "store_sqlite_internal.h"

/* Runs one statement with two times bound; adds the changed rows. */
static lobby_err run_cutoff(sq_store *s, const char *sql, int64_t cutoff, int64_t now, int *count)
{
  sqlite3_stmt *q;
  if (cutoff <= 0)
    return LOBBY_OK;   /* 0 = keep */
  lobby_err err = sq__prepare(s, sql, &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, cutoff);
  if (sqlite3_bind_parameter_count(q) >= 2)
    sqlite3_bind_int64(q, 2, now);
  err = sq__run(s, q, false);
  if (err == LOBBY_OK)
    *count += sqlite3_changes(s->db);
  return err;
}

/* Release passes that ended (used, refused, cancelled: updated_at is
 * when) before the cutoff, or approved for a day before expired_before,
 * lose the applicant's name and phone; what left and when stays. */
static lobby_err anonymise_releases(sq_store *s, const store_retention *p, int64_t now, int *count)
{
  sqlite3_stmt *q;
  if (p->repair_closed_before <= 0)
    return LOBBY_OK;
  lobby_err err = sq__prepare(s, "UPDATE releases SET name = '—', phone = '', phone_last4 = '', "
                                 "anonymised_at = ?2 WHERE anonymised_at IS NULL AND "
                                 "((status IN ('used', 'refused', 'cancelled') AND updated_at < ?1) "
                                 " OR (status = 'approved' AND date < ?3))", &q);
  if (err != LOBBY_OK)
    return err;
  sqlite3_bind_int64(q, 1, p->repair_closed_before);
  sqlite3_bind_int64(q, 2, now);
  sq__bind_text(q, 3, p->release_expired_before);
  err = sq__run(s, q, false);
  if (err == LOBBY_OK)
    *count += sqlite3_changes(s->db);
  return err;
}

/* Renovations finished or cancelled before the cutoff (updated_at is
 * when), or still active but ended before expired_before, lose their
 * manager's and their workers' names and phones; the unit, company,
 * period and events stay.  The workers go first: the renovation's
 * anonymised_at says which are done. */
#define RENOVATIONS_OLD                                                                    \
  "SELECT id FROM renovations WHERE anonymised_at IS NULL AND "                            \
  "((status IN ('finished', 'cancelled') AND updated_at < ?1) "                            \
  " OR (status = 'active' AND end_date < ?3))"

static lobby_err anonymise_renovations(sq_store *s, const store_retention *p, int64_t now,
                                       int *count)
{
  static const char *const steps[] = {
    "UPDATE worker_passes SET name = '—', phone = '' WHERE renovation_id IN (" RENOVATIONS_OLD ")",
    "UPDATE renovations SET manager = '—', manager_phone = '', anonymised_at = ?2 "
    "WHERE id IN (" RENOVATIONS_OLD ")"};
  if (p->repair_closed_before <= 0)
    return LOBBY_OK;
  lobby_err err = LOBBY_OK;
  for (int i = 0; i < 2 && err == LOBBY_OK; i++) {
    sqlite3_stmt *q;
    if ((err = sq__prepare(s, steps[i], &q)) != LOBBY_OK)
      break;
    sqlite3_bind_int64(q, 1, p->repair_closed_before);
    sqlite3_bind_int64(q, 2, now);
    sq__bind_text(q, 3, p->release_expired_before);
    err = sq__run(s, q, false);
    if (err == LOBBY_OK && i == 1)
      *count += sqlite3_changes(s->db);
  }
  return err;
}

static lobby_err retention_run(lobby_store *st, const store_retention *p, int64_t now,
                               store_retention_counts *out)
{
  sq_store *s = SQ(st);
  store_retention_counts c = {0};
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  if (err == LOBBY_OK)
    err = run_cutoff(s, "DELETE FROM idempotency WHERE created_at < ?1",
                     p->idempotency_before, now, &c.idempotency_deleted);
  if (err == LOBBY_OK)
    err = run_cutoff(s, "DELETE FROM audit WHERE at < ?1", p->audit_before, now, &c.audit_deleted);
  /* Closed and cancelled are final, so updated_at is when it ended.  The
   * photos (a home's inside) go with the name and phone: their rows here,
   * their files at the sweep of the photo directory (retention.c). */
  if (err == LOBBY_OK)
    err = run_cutoff(s, "DELETE FROM repair_photos WHERE repair_id IN (SELECT id FROM repairs "
                        "WHERE anonymised_at IS NULL AND status IN ('closed', 'cancelled') "
                        "AND updated_at < ?1)", p->repair_closed_before, now, &c.photos_deleted);
  if (err == LOBBY_OK)
    err = run_cutoff(s, "UPDATE repairs SET name = '—', phone = '', phone_last4 = '', "
                        "anonymised_at = ?2 WHERE anonymised_at IS NULL "
                        "AND status IN ('closed', 'cancelled') AND updated_at < ?1",
                     p->repair_closed_before, now, &c.repairs_anonymised);
  /* Closed complaints lose the resident's name and phone on the same
   * schedule; what was said and answered stays for the figures. */
  if (err == LOBBY_OK)
    err = run_cutoff(s, "UPDATE complaints SET name = CASE WHEN name IS NULL THEN NULL ELSE '—' END, "
                        "phone = NULL, phone_last4 = '', anonymised_at = ?2 "
                        "WHERE anonymised_at IS NULL AND status = 'closed' AND updated_at < ?1",
                     p->repair_closed_before, now, &c.complaints_anonymised);
  if (err == LOBBY_OK)
    err = anonymise_releases(s, p, now, &c.releases_anonymised);
  if (err == LOBBY_OK)
    err = anonymise_renovations(s, p, now, &c.renovations_anonymised);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  if (err == LOBBY_OK)
    *out = c;
  return err;
}

void sq__retention_ops(lobby_store_ops *ops)
{
  ops->retention_run = retention_run;
}
