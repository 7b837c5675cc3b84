/* Versioned schema migrations.  Each entry moves the schema from version i
 * to i+1 and runs in its own transaction with the version bump, so a crash
 * mid-migration leaves the previous version intact. */
#include "store_sqlite_schema.h"

static const char *const migrations[] = {
  /* 1: the first schema. */
  "CREATE TABLE buildings ("
  "  code TEXT PRIMARY KEY, name TEXT NOT NULL,"
  "  requires_approval INTEGER NOT NULL DEFAULT 0, sort INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE units ("
  "  building TEXT NOT NULL REFERENCES buildings(code) ON DELETE CASCADE,"
  "  code TEXT NOT NULL, sort INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (building, code));"
  "CREATE TABLE rooms ("
  "  building TEXT NOT NULL, unit TEXT NOT NULL, code TEXT NOT NULL,"
  "  sort INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (building, unit, code),"
  "  FOREIGN KEY (building, unit) REFERENCES units(building, code) ON DELETE CASCADE);"
  "CREATE TABLE staff ("
  "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
  "  password_hash TEXT, created_at INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE kiosks ("
  "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, building TEXT NOT NULL,"
  "  grp TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, revoked_at INTEGER,"
  "  last_seen INTEGER, version TEXT, feed_version TEXT, queued INTEGER);"
  "CREATE TABLE tokens ("
  "  hash BLOB PRIMARY KEY, kind TEXT NOT NULL, owner_id INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL, revoked_at INTEGER);"
  "CREATE TABLE notices ("
  "  id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, category TEXT NOT NULL,"
  "  priority INTEGER NOT NULL, pinned INTEGER NOT NULL, emergency INTEGER NOT NULL,"
  "  starts_at INTEGER NOT NULL, ends_at INTEGER, target_type TEXT NOT NULL,"
  "  target_value TEXT NOT NULL, author_id INTEGER, created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL, withdrawn_at INTEGER);"
  "CREATE TABLE repairs ("
  "  id INTEGER PRIMARY KEY, ticket TEXT NOT NULL UNIQUE, building TEXT NOT NULL,"
  "  unit TEXT NOT NULL, room TEXT NOT NULL, name TEXT NOT NULL, phone TEXT NOT NULL,"
  "  phone_last4 TEXT NOT NULL, category TEXT NOT NULL, kind TEXT NOT NULL,"
  "  urgency TEXT NOT NULL, window_from INTEGER, window_to INTEGER,"
  "  description TEXT NOT NULL, source TEXT NOT NULL, source_detail TEXT,"
  "  status TEXT NOT NULL, technician_id INTEGER, first_contact_id INTEGER,"
  "  satisfaction INTEGER, created_at INTEGER NOT NULL, due_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE INDEX repairs_status ON repairs(status, due_at);"
  "CREATE INDEX repairs_created ON repairs(created_at);"
  "CREATE TABLE repair_events ("
  "  id INTEGER PRIMARY KEY, repair_id INTEGER NOT NULL REFERENCES repairs(id),"
  "  event TEXT NOT NULL, status TEXT NOT NULL, actor_role TEXT NOT NULL,"
  "  actor_name TEXT NOT NULL, note TEXT, technician TEXT, satisfaction INTEGER,"
  "  comment TEXT, reason TEXT, at INTEGER NOT NULL);"
  "CREATE INDEX repair_events_repair ON repair_events(repair_id, id);"
  "CREATE TABLE ticket_seq (day TEXT PRIMARY KEY, last INTEGER NOT NULL);"
  "CREATE TABLE visits ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL, host TEXT NOT NULL,"
  "  purpose TEXT NOT NULL, party_size INTEGER NOT NULL, plate TEXT, state TEXT NOT NULL,"
  "  pass_code TEXT, reason TEXT, kiosk TEXT, invite_code TEXT, created_at INTEGER NOT NULL,"
  "  checked_in_at INTEGER, checked_out_at INTEGER, auto_checked_out INTEGER NOT NULL DEFAULT 0,"
  "  decided_by TEXT, decided_at INTEGER);"
  "CREATE UNIQUE INDEX visits_live_pass ON visits(pass_code) WHERE state = 'approved';"
  "CREATE INDEX visits_created ON visits(created_at);"
  "CREATE TABLE invites ("
  "  code TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL, host TEXT NOT NULL,"
  "  purpose TEXT NOT NULL, party_size INTEGER NOT NULL, plate TEXT, created_by TEXT,"
  "  created_at INTEGER NOT NULL, valid_until INTEGER NOT NULL, used_at INTEGER, visit_id TEXT);"
  "CREATE TABLE idempotency ("
  "  scope TEXT NOT NULL, key TEXT NOT NULL, request_hash BLOB NOT NULL,"
  "  response TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (scope, key));",

  /* 2: the staff console: sessions, the audit log, settings, retention. */
  "CREATE TABLE sessions ("
  "  hash BLOB PRIMARY KEY, staff_id INTEGER NOT NULL REFERENCES staff(id),"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
  "CREATE INDEX sessions_staff ON sessions(staff_id);"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
  "  actor_role TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,"
  "  detail TEXT NOT NULL, address TEXT NOT NULL);"
  "CREATE TABLE settings (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
  "ALTER TABLE visits ADD COLUMN anonymised_at INTEGER;"
  "ALTER TABLE invites ADD COLUMN anonymised_at INTEGER;",

  /* 3: operations: the health probe's row, retention of repairs' personal
   * data, and indexes for the retention sweep's deletes. */
  "CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), probed_at INTEGER NOT NULL);"
  "ALTER TABLE repairs ADD COLUMN anonymised_at INTEGER;"
  "CREATE INDEX idempotency_created ON idempotency(created_at);"
  "CREATE INDEX audit_at ON audit(at);",

  /* 4: visits belong to the kiosk that made them (NULL: made by staff), so
   * one kiosk cannot read, sign out or cancel another's.  Visits made
   * before keep their kiosk through the name they recorded. */
  "ALTER TABLE visits ADD COLUMN kiosk_id INTEGER;"
  "UPDATE visits SET kiosk_id = (SELECT k.id FROM kiosks k WHERE k.name = visits.kiosk) "
  "WHERE kiosk IS NOT NULL;"
  "CREATE INDEX visits_pass_code ON visits(pass_code);",

  /* 5: sites (compounds).  Everything a database held before belongs to
   * site 1, "main", whose name and phone stay "" so that lobbyd keeps
   * showing the ini's [site] until staff set them; notices made before
   * stay for every site, which for one site is what they were.  Staff
   * without rows in staff_sites work for every site.  SQLite cannot add a
   * column with both REFERENCES and a default, so site_id columns carry
   * no foreign key here: sites are never deleted, and every site_id is
   * one the store read from sites. */
  "CREATE TABLE sites ("
  "  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '',"
  "  service_phone TEXT NOT NULL DEFAULT '', workday_start_min INTEGER,"
  "  workday_end_min INTEGER, auto_checkout_hours INTEGER, retention_days INTEGER,"
  "  created_at INTEGER NOT NULL);"
  "INSERT INTO sites (id, code, created_at) VALUES (1, 'main', CAST(strftime('%s', 'now') AS INTEGER));"
  "CREATE TABLE staff_sites ("
  "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
  "  site_id INTEGER NOT NULL REFERENCES sites(id), PRIMARY KEY (staff_id, site_id));"
  "ALTER TABLE buildings ADD COLUMN site_id INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE kiosks ADD COLUMN site_id INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE repairs ADD COLUMN site_id INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE visits ADD COLUMN site_id INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE invites ADD COLUMN site_id INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE notices ADD COLUMN site_id INTEGER;"
  "CREATE INDEX repairs_site ON repairs(site_id, created_at);"
  "CREATE INDEX visits_site ON visits(site_id, created_at);",

  /* 6: complaints and suggestions (投诉建议) with their append-only
   * events and daily numbers, and the working-day calendar: only dates
   * that override Monday to Friday are kept, and calendar_years records
   * which shipped years were loaded once, so staff edits stay; and when
   * a resident's unhappy rating of a repair asked the desk to follow up. */
  "CREATE TABLE complaints ("
  "  id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, site_id INTEGER NOT NULL,"
  "  kind TEXT NOT NULL, category TEXT NOT NULL, description TEXT NOT NULL,"
  "  building TEXT, unit TEXT, room TEXT, name TEXT, phone TEXT,"
  "  phone_last4 TEXT NOT NULL DEFAULT '', source TEXT NOT NULL, source_detail TEXT,"
  "  status TEXT NOT NULL, responsible_id INTEGER, reply TEXT, replied_at INTEGER,"
  "  first_replied_at INTEGER, satisfaction TEXT, reply_due_at INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, anonymised_at INTEGER);"
  "CREATE INDEX complaints_site ON complaints(site_id, created_at);"
  "CREATE INDEX complaints_status ON complaints(status, reply_due_at);"
  "CREATE TABLE complaint_events ("
  "  id INTEGER PRIMARY KEY, complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
  "  event TEXT NOT NULL, status TEXT NOT NULL, actor_role TEXT NOT NULL,"
  "  actor_name TEXT NOT NULL, note TEXT, responsible TEXT, reply TEXT, satisfaction TEXT,"
  "  comment TEXT, at INTEGER NOT NULL);"
  "CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);"
  "CREATE TABLE complaint_seq (day TEXT PRIMARY KEY, last INTEGER NOT NULL);"
  "CREATE TABLE calendar_days ("
  "  day TEXT PRIMARY KEY, workday INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE calendar_years (year INTEGER PRIMARY KEY, seeded_at INTEGER NOT NULL);"
  /* A repair a resident rated unsatisfied at a kiosk waits for the desk. */
  "ALTER TABLE repairs ADD COLUMN follow_up_at INTEGER;",

  /* 7: item-release passes (物品放行) with their append-only events and
   * daily F- numbers.  code is set at approval; the gate finds a pass by
   * it, so it is indexed (not unique: a used pass keeps its old code). */
  "CREATE TABLE releases ("
  "  id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, site_id INTEGER NOT NULL,"
  "  building TEXT NOT NULL, unit TEXT NOT NULL, room TEXT NOT NULL, items TEXT NOT NULL,"
  "  date TEXT NOT NULL, plate TEXT, name TEXT NOT NULL, phone TEXT NOT NULL,"
  "  phone_last4 TEXT NOT NULL, source TEXT NOT NULL, source_detail TEXT,"
  "  status TEXT NOT NULL, code TEXT, reason TEXT, decided_by TEXT, decided_at INTEGER,"
  "  used_at INTEGER, used_by TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  anonymised_at INTEGER);"
  "CREATE INDEX releases_site ON releases(site_id, created_at);"
  "CREATE INDEX releases_code ON releases(code);"
  "CREATE INDEX releases_status ON releases(status, date);"
  "CREATE TABLE release_events ("
  "  id INTEGER PRIMARY KEY, release_id INTEGER NOT NULL REFERENCES releases(id),"
  "  event TEXT NOT NULL, status TEXT NOT NULL, actor_role TEXT NOT NULL,"
  "  actor_name TEXT NOT NULL, note TEXT, reason TEXT, at INTEGER NOT NULL);"
  "CREATE INDEX release_events_release ON release_events(release_id, id);"
  "CREATE TABLE release_seq (day TEXT PRIMARY KEY, last INTEGER NOT NULL);",

  /* 8: renovations (装修登记) with their append-only events and daily Z-
   * numbers, their workers' passes (临时出入证), the passes' check-ins
   * and check-outs at kiosks and the refused check-ins the desk is told
   * of.  A pass code is unique among live passes (active, or its worker
   * still on site); the visitors' live codes are checked by the store. */
  "CREATE TABLE renovations ("
  "  id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, site_id INTEGER NOT NULL,"
  "  building TEXT NOT NULL, unit TEXT NOT NULL, room TEXT NOT NULL, company TEXT NOT NULL,"
  "  manager TEXT NOT NULL, manager_phone TEXT NOT NULL, works TEXT NOT NULL,"
  "  start_date TEXT NOT NULL, end_date TEXT NOT NULL, status TEXT NOT NULL,"
  "  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  anonymised_at INTEGER);"
  "CREATE INDEX renovations_site ON renovations(site_id, status, end_date);"
  "CREATE TABLE renovation_events ("
  "  id INTEGER PRIMARY KEY, renovation_id INTEGER NOT NULL REFERENCES renovations(id),"
  "  event TEXT NOT NULL, status TEXT NOT NULL, actor_role TEXT NOT NULL,"
  "  actor_name TEXT NOT NULL, note TEXT, reason TEXT, old_end TEXT, new_end TEXT,"
  "  at INTEGER NOT NULL);"
  "CREATE INDEX renovation_events_renovation ON renovation_events(renovation_id, id);"
  "CREATE TABLE renovation_seq (day TEXT PRIMARY KEY, last INTEGER NOT NULL);"
  "CREATE TABLE worker_passes ("
  "  id INTEGER PRIMARY KEY, renovation_id INTEGER NOT NULL REFERENCES renovations(id),"
  "  site_id INTEGER NOT NULL, name TEXT NOT NULL, phone TEXT NOT NULL,"
  "  pass_code TEXT NOT NULL, valid_until TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,"
  "  on_site INTEGER NOT NULL DEFAULT 0, last_in INTEGER, last_out INTEGER,"
  "  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE UNIQUE INDEX worker_passes_live ON worker_passes(pass_code) "
  "  WHERE status = 'active' OR on_site = 1;"
  "CREATE INDEX worker_passes_code ON worker_passes(pass_code);"
  "CREATE INDEX worker_passes_renovation ON worker_passes(renovation_id, id);"
  "CREATE INDEX worker_passes_on_site ON worker_passes(site_id, on_site);"
  "CREATE TABLE worker_attendance ("
  "  id INTEGER PRIMARY KEY, worker_id INTEGER NOT NULL REFERENCES worker_passes(id),"
  "  site_id INTEGER NOT NULL, action TEXT NOT NULL, kiosk TEXT NOT NULL, at INTEGER NOT NULL);"
  "CREATE INDEX worker_attendance_worker ON worker_attendance(worker_id, id);"
  "CREATE TABLE worker_refusals ("
  "  id INTEGER PRIMARY KEY, worker_id INTEGER NOT NULL REFERENCES worker_passes(id),"
  "  site_id INTEGER NOT NULL, kiosk TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL);"
  "CREATE INDEX worker_refusals_site ON worker_refusals(site_id, at);",

  /* 9: when a complaint's overdue reply was escalated to the managers
   * (NULL: never); set once by lobbyd's sweep, never cleared. */
  "ALTER TABLE complaints ADD COLUMN escalated_at INTEGER;",

  /* 10: the repair desk's search box finds a resident's tickets by phone,
   * its last four digits, the room or the name's start without reading
   * every ticket. */
  "CREATE INDEX repairs_phone ON repairs(phone);"
  "CREATE INDEX repairs_phone_last4 ON repairs(phone_last4);"
  "CREATE INDEX repairs_room ON repairs(building, unit, room);"
  "CREATE INDEX repairs_name ON repairs(name);",

  /* 11: the evacuation roll-call's marks, one per person on site
   * (store.h rollcall_mark); since ties a mark to one presence.  And when
   * the desk revoked an invite (NULL: never). */
  "CREATE TABLE rollcall_marks ("
  "  kind TEXT NOT NULL, ref TEXT NOT NULL, site_id INTEGER NOT NULL, since INTEGER NOT NULL,"
  "  marked_at INTEGER NOT NULL, marked_by TEXT NOT NULL, PRIMARY KEY (kind, ref));"
  "CREATE INDEX rollcall_marks_site ON rollcall_marks(site_id);"
  "ALTER TABLE invites ADD COLUMN revoked_at INTEGER;",

  /* 12: when the technician took the job (NULL: not taken, or handed
   * back); the completion photos, whose pictures are files in the photo
   * directory (photo_store.h), one row each, at most three a ticket
   * (store.h repair_photo_add); and the audit log filtered by who. */
  "ALTER TABLE repairs ADD COLUMN taken_at INTEGER;"
  "CREATE TABLE repair_photos ("
  "  id INTEGER PRIMARY KEY, repair_id INTEGER NOT NULL REFERENCES repairs(id),"
  "  file TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL, width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL, bytes INTEGER NOT NULL, by_name TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, UNIQUE (repair_id, sha256));"
  "CREATE INDEX audit_actor ON audit(actor, id);",

  /* 13: a notice's picture (a poster): its file in the photo directory
   * (photo_store.h, "notice-…jpg", shared by notices showing the same
   * JPEG), the kept JPEG's SHA-256 (its ETag), the upload's (a retried
   * upload is known without decoding it) and its size; NULL for a
   * text-only notice.  The directory's sweep asks by file. */
  "ALTER TABLE notices ADD COLUMN image_file TEXT;"
  "ALTER TABLE notices ADD COLUMN image_sha256 TEXT;"
  "ALTER TABLE notices ADD COLUMN image_upload_sha256 TEXT;"
  "ALTER TABLE notices ADD COLUMN image_width INTEGER;"
  "ALTER TABLE notices ADD COLUMN image_height INTEGER;"
  "ALTER TABLE notices ADD COLUMN image_bytes INTEGER;"
  "CREATE INDEX notices_image_file ON notices(image_file);",

  /* 14: what a kiosk's heartbeat says of itself besides its version and
   * queue: how long it has run, the free space where it keeps its state
   * (MB) and its sound ("ok", "none", "off"); NULL until it reports them. */
  "ALTER TABLE kiosks ADD COLUMN uptime_s INTEGER;"
  "ALTER TABLE kiosks ADD COLUMN disk_free_mb INTEGER;"
  "ALTER TABLE kiosks ADD COLUMN audio TEXT;",

  /* 15: remote screenshots: a kiosk's latest request and, once taken,
   * the picture's size; the picture is a file in the photo directory
   * (screenshot_file.h).  Short-lived ([screenshots] keep_seconds), so
   * `lobbyd migrate` does not copy it. */
  "CREATE TABLE screenshots ("
  "  kiosk_id INTEGER PRIMARY KEY REFERENCES kiosks(id),"
  "  request_id TEXT NOT NULL UNIQUE, requested_at INTEGER NOT NULL,"
  "  requested_by TEXT NOT NULL, taken_at INTEGER, width INTEGER, height INTEGER,"
  "  blanked INTEGER);",

  /* 16: the follow page's token of a repair and a complaint, and the
   * pass page's of a visit (lobby_follow.h), made with the row; NULL for
   * rows made before. */
  "ALTER TABLE repairs ADD COLUMN follow_token TEXT;"
  "CREATE UNIQUE INDEX repairs_follow_token ON repairs(follow_token);"
  "ALTER TABLE visits ADD COLUMN follow_token TEXT;"
  "CREATE UNIQUE INDEX visits_follow_token ON visits(follow_token);"
  "ALTER TABLE complaints ADD COLUMN follow_token TEXT;"
  "CREATE UNIQUE INDEX complaints_follow_token ON complaints(follow_token);",
};

const char *const *store_sqlite_migrations(int *count)
{
  *count = (int)(sizeof migrations / sizeof migrations[0]);
  return migrations;
}
