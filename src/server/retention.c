#include "retention.h"

#include "lobby_log.h"
#include "lobby_workday.h"
#include "photo_store.h"

/* A photo file is an orphan only once its upload is surely over. */
#define PHOTO_ORPHAN_AGE_S 3600

static int64_t days_before(int64_t now, int days)
{
  return days > 0 ? now - (int64_t)days * 86400 : 0;
}

void retention_policy(const lobbyd_config *cfg, int64_t now, store_retention *out)
{
  out->idempotency_before = days_before(now, cfg->retention.idempotency_days);
  out->audit_before = days_before(now, cfg->retention.audit_days);
  out->repair_closed_before = days_before(now, cfg->retention.repair_personal_days);
  out->release_expired_before[0] = '\0';
  if (out->repair_closed_before > 0)
    calendar_date_of(out->repair_closed_before, cfg->sla.offset_min, out->release_expired_before);
}

/* A file is named by a repair photo's row or by a notice's picture. */
static lobby_err photo_named(void *ctx, const char *name, bool *is_named)
{
  lobby_store *st = ctx;
  lobby_err err = st->ops->repair_photo_named(st, name, is_named);
  if (err == LOBBY_OK && !*is_named)
    err = st->ops->notice_image_named(st, name, is_named);
  return err;
}

/* The files of photos whose rows the sweep deleted, notices' pictures
 * replaced or removed, and any an upload left behind: every file no row
 * names.  Rows go first, in the store's transaction, so a crash between
 * the two leaves only files, which the next sweep removes. */
static lobby_err sweep_photo_files(lobby_store *st, const lobbyd_config *cfg, int64_t now,
                                   int *removed)
{
  char dir[512];
  lobbyd_config_photo_dir(cfg, dir, sizeof dir);
  lobby_err err = photo_store_sweep(dir, now - PHOTO_ORPHAN_AGE_S, photo_named, st, removed);
  if (err != LOBBY_OK)
    LOBBY_ERROR("retention: the sweep of %s failed: %s", dir, lobby_strerror(err));
  return err;
}

lobby_err retention_sweep(lobby_store *st, const lobbyd_config *cfg, int64_t now,
                          store_retention_counts *out)
{
  store_retention policy;
  retention_policy(cfg, now, &policy);
  lobby_err err = st->ops->retention_run(st, &policy, now, out);
  if (err != LOBBY_OK) {
    LOBBY_ERROR("retention: the sweep failed: %s", lobby_strerror(err));
    return err;
  }
  err = sweep_photo_files(st, cfg, now, &out->photo_files_removed);
  if (err != LOBBY_OK)
    return err;
  LOBBY_INFO("retention: deleted %d idempotency key(s) older than %d days and %d audit "
             "entr%s older than %d days; anonymised %d repair(s), %d complaint(s), %d release "
             "pass(es) and %d renovation(s) finished more than %d days ago",
             out->idempotency_deleted, cfg->retention.idempotency_days, out->audit_deleted,
             out->audit_deleted == 1 ? "y" : "ies", cfg->retention.audit_days,
             out->repairs_anonymised, out->complaints_anonymised, out->releases_anonymised,
             out->renovations_anonymised, cfg->retention.repair_personal_days);
  LOBBY_INFO("retention: %d repair photo(s) deleted with their repairs' names, %d photo or "
             "notice picture file(s) that no record names removed", out->photos_deleted,
             out->photo_files_removed);
  return LOBBY_OK;
}
