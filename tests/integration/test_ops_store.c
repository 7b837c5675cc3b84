/* lobbyd operations at the store: the backup made before a schema
 * migration, and the retention sweep with exact counts.  A real database
 * file; rows are back-dated with SQL in the set-up. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include "addr_allow.h"
#include "config.h"
#include "lobby_fs.h"
#include "retention.h"
#include "store.h"
#include "store_sqlite_schema.h"

static char dir[64];
static char db_path[128];

static int setup(void **state)
{
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/lobby-opstest.XXXXXX");
  if (!mkdtemp(dir))
    return -1;
  snprintf(db_path, sizeof db_path, "%s/lobby.db", dir);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  if (!getenv("LOBBY_KEEP_TMP"))
    (void)lobby_fs_remove_tree(dir);
  return 0;
}

static sqlite3 *open_raw(const char *path)
{
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  return db;
}

static void exec(sqlite3 *db, const char *sql)
{
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
    fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

static int64_t scalar_at(const char *path, const char *sql)
{
  sqlite3 *db = open_raw(path);
  int64_t v = scalar(db, sql);
  sqlite3_close(db);
  return v;
}

/* Names of the files in dir starting with prefix; returns how many. */
static int files_with_prefix(const char *prefix, char *first, size_t size)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  assert_non_null(d);
  while ((e = readdir(d))) {
    if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
      continue;
    if (n++ == 0 && first)
      snprintf(first, size, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  return n;
}

/* A database exactly as the lobbyd before schema version 3 left it: the
 * migration scripts up to version 2, with a staff member and a repair. */
static void make_v2_database(void)
{
  int count;
  const char *const *steps = store_sqlite_migrations(&count);
  assert_true(count >= 3);
  sqlite3 *db = open_raw(db_path);
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, steps[0]);
  exec(db, steps[1]);
  exec(db, "PRAGMA user_version = 2");
  exec(db, "INSERT INTO staff (name, role, created_at) VALUES ('admin', 'admin', 1700000000)");
  exec(db, "INSERT INTO repairs (ticket, building, unit, room, name, phone, phone_last4, category,"
           " kind, urgency, description, source, status, created_at, due_at, updated_at) VALUES"
           " ('R-20261101-0001', '1', '2', '301', '张三', '13812345678', '5678', 'water',"
           " 'in_unit', 'normal', '漏水', 'kiosk', 'submitted', 1700000000, 1700003600, 1700000000)");
  sqlite3_close(db);
}

static void migration_backup(void **state)
{
  (void)state;
  char backup[400];
  lobby_store *st;
  make_v2_database();
  assert_int_equal(files_with_prefix("lobby.db.pre-migration-", NULL, 0), 0);
  assert_int_equal(store_sqlite_open(db_path, &st), LOBBY_OK);
  st->ops->close(st);
  /* One copy, named after the old version, holding the old schema and rows. */
  assert_int_equal(files_with_prefix("lobby.db.pre-migration-v2-", backup, sizeof backup), 1);
  assert_int_equal(files_with_prefix("lobby.db.pre-migration-", NULL, 0), 1);
  assert_int_equal(scalar_at(backup, "PRAGMA user_version"), 2);
  assert_int_equal(scalar_at(backup, "SELECT count(*) FROM repairs WHERE ticket = 'R-20261101-0001'"), 1);
  assert_int_equal(scalar_at(backup, "SELECT count(*) FROM sqlite_master WHERE name = 'health'"), 0);
  /* The database itself moved on. */
  assert_int_equal(scalar_at(db_path, "PRAGMA user_version"), store_sqlite_schema_version());
  assert_int_equal(scalar_at(db_path, "SELECT count(*) FROM repairs"), 1);
  /* Opening a current database copies nothing. */
  assert_int_equal(store_sqlite_open(db_path, &st), LOBBY_OK);
  st->ops->close(st);
  assert_int_equal(files_with_prefix("lobby.db.pre-migration-", NULL, 0), 1);
}

/* Schema 4 gives visits the kiosk that made them: a visit a kiosk made
 * before keeps it (through the kiosk's name), one staff made has none; a
 * kiosk then reaches only its own visits, staff every visit. */
static void migration_visit_kiosk(void **state)
{
  (void)state;
  int count;
  lobby_store *st;
  json_t *v = NULL;
  const char *const *steps = store_sqlite_migrations(&count);
  assert_true(count >= 4);
  sqlite3 *db = open_raw(db_path);
  exec(db, "PRAGMA journal_mode = WAL");
  for (int i = 0; i < 3; i++)
    exec(db, steps[i]);
  exec(db, "PRAGMA user_version = 3");
  exec(db, "INSERT INTO kiosks (id, name, building, created_at) VALUES (7, 'lobby-1', '1', 1700000000)");
  exec(db, "INSERT INTO visits (id, name, phone, host, purpose, party_size, state, pass_code, kiosk,"
           " created_at) VALUES ('v_00000000000000a1', '李四', '13900001111', '1-2-301', 'family', 1,"
           " 'approved', 'K7M3QX', 'lobby-1', 1700000000)");
  exec(db, "INSERT INTO visits (id, name, phone, host, purpose, party_size, state, pass_code, kiosk,"
           " created_at) VALUES ('v_00000000000000b2', '王五', '13900002222', '1-2-302', 'family', 1,"
           " 'approved', 'K7M3QY', NULL, 1700000000)");
  sqlite3_close(db);
  assert_int_equal(store_sqlite_open(db_path, &st), LOBBY_OK);
  assert_int_equal(st->ops->visit_get(st, "v_00000000000000a1", 7, NULL, &v), LOBBY_OK);
  json_decref(v);
  assert_int_equal(st->ops->visit_get(st, "v_00000000000000a1", 8, NULL, &v), LOBBY_ENOTFOUND);
  assert_int_equal(st->ops->visit_get(st, "v_00000000000000a1", 0, NULL, &v), LOBBY_OK);
  json_decref(v);
  assert_int_equal(st->ops->visit_get(st, "v_00000000000000b2", 7, NULL, &v), LOBBY_ENOTFOUND);
  /* The old code signs out at its own kiosk only; staff's visit at any. */
  assert_int_equal(st->ops->visit_checkout(st, NULL, "K7M3QX", 8, NULL, 1700000100, NULL, &v), LOBBY_ENOTFOUND);
  assert_int_equal(st->ops->visit_checkout(st, NULL, "K7M3QX", 7, NULL, 1700000100, NULL, &v), LOBBY_OK);
  json_decref(v);
  assert_int_equal(st->ops->visit_checkout(st, NULL, "K7M3QY", 8, NULL, 1700000100, NULL, &v), LOBBY_OK);
  json_decref(v);
  st->ops->close(st);
  assert_int_equal(scalar_at(db_path, "SELECT kiosk_id FROM visits WHERE id = 'v_00000000000000a1'"), 7);
  assert_int_equal(scalar_at(db_path, "SELECT kiosk_id IS NULL FROM visits WHERE id = 'v_00000000000000b2'"), 1);
}

static void new_database_no_backup(void **state)
{
  (void)state;
  lobby_store *st;
  assert_int_equal(store_sqlite_open(db_path, &st), LOBBY_OK);
  st->ops->close(st);
  assert_int_equal(files_with_prefix("lobby.db.pre-migration-", NULL, 0), 0);
}

#define DAY 86400
#define NOW 1800000000LL

/* A repair with a status and the time it last changed. */
static void add_repair(sqlite3 *db, int n, const char *status, int64_t updated_at)
{
  char sql[640];
  snprintf(sql, sizeof sql,
           "INSERT INTO repairs (ticket, building, unit, room, name, phone, phone_last4, category,"
           " kind, urgency, description, source, status, satisfaction, created_at, due_at,"
           " updated_at) VALUES ('R-%04d', '1', '2', '301', '住户%d', '1381234%04d', '%04d',"
           " 'water', 'in_unit', 'normal', '漏水', 'kiosk', '%s', 4, %lld, %lld, %lld)",
           n, n, n, n, status, (long long)(updated_at - 3 * DAY),
           (long long)(updated_at - 2 * DAY), (long long)updated_at);
  exec(db, sql);
}

static void add_complaint(sqlite3 *db, int n, const char *status, const char *name, int64_t updated_at)
{
  char sql[640];
  snprintf(sql, sizeof sql,
           "INSERT INTO complaints (number, site_id, kind, category, description, building, unit,"
           " room, name, phone, phone_last4, source, status, reply, reply_due_at, created_at,"
           " updated_at) VALUES ('C-%04d', 1, 'complaint', 'noise_neighbours', '楼上噪音', '1', '2',"
           " '301', %s%s%s, %s, '%s', 'kiosk', '%s', '已处理', %lld, %lld, %lld)",
           n, name ? "'" : "", name ? name : "NULL", name ? "'" : "",
           name ? "'13800138000'" : "NULL", name ? "8000" : "", status,
           (long long)(updated_at - 2 * DAY), (long long)(updated_at - 3 * DAY), (long long)updated_at);
  exec(db, sql);
}

static void add_release(sqlite3 *db, int n, const char *status, const char *date, int64_t updated_at)
{
  char sql[640];
  snprintf(sql, sizeof sql,
           "INSERT INTO releases (number, site_id, building, unit, room, items, date, name, phone,"
           " phone_last4, source, status, created_at, updated_at) VALUES ('F-%04d', 1, '1', '2',"
           " '301', '旧沙发', '%s', '王芳', '13800138000', '8000', 'kiosk', '%s', %lld, %lld)",
           n, date, status, (long long)(updated_at - DAY), (long long)updated_at);
  exec(db, sql);
}

/* A renovation of status ending on end_date, with one worker's pass. */
static void add_renovation(sqlite3 *db, int n, const char *status, const char *end_date,
                           int64_t updated_at)
{
  char sql[900];
  snprintf(sql, sizeof sql,
           "INSERT INTO renovations (id, number, site_id, building, unit, room, company, manager,"
           " manager_phone, works, start_date, end_date, status, created_by, created_at, updated_at)"
           " VALUES (%d, 'Z-%04d', 1, '1', '2', '301', '美家装饰', '李强', '13900139000', '',"
           " '2026-01-01', '%s', '%s', 'desk', %lld, %lld);"
           "INSERT INTO worker_passes (renovation_id, site_id, name, phone, pass_code, valid_until,"
           " status, created_by, created_at, updated_at) VALUES (%d, 1, '王建国', '13700137000',"
           " 'CODE%04d', '%s', 'active', 'desk', %lld, %lld)",
           n, n, end_date, status, (long long)(updated_at - DAY), (long long)updated_at, n, n,
           end_date, (long long)(updated_at - DAY), (long long)updated_at);
  exec(db, sql);
}

#define HEX32 "0123456789abcdef0123456789abcdef"

/* A photo file in the photo directory, last changed at mtime, and (for
 * repair_id > 0) its row. */
static void add_photo(sqlite3 *db, const char *photo_dir, int repair_id, const char *file, int64_t mtime)
{
  char path[256], sql[400];
  snprintf(path, sizeof path, "%s/%s", photo_dir, file);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("not really a JPEG", f);
  assert_int_equal(fclose(f), 0);
  struct timeval times[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
  assert_int_equal(utimes(path, times), 0);
  if (repair_id <= 0)
    return;
  snprintf(sql, sizeof sql, "INSERT INTO repair_photos (repair_id, file, sha256, width, height,"
                            " bytes, by_name, created_at) VALUES (%d, '%s', '%s', 10, 10, 17,"
                            " '李师傅', %lld)", repair_id, file, file, (long long)mtime);
  exec(db, sql);
}

/* A notice's picture file, and, when named, a notice whose picture it is. */
static void add_notice_picture(sqlite3 *db, const char *photo_dir, bool named, const char *file,
                               int64_t mtime)
{
  char sql[600];
  add_photo(db, photo_dir, 0, file, mtime);
  if (!named)
    return;
  snprintf(sql, sizeof sql, "INSERT INTO notices (title, body, category, priority, pinned,"
                            " emergency, starts_at, target_type, target_value, created_at,"
                            " updated_at, image_file, image_sha256, image_upload_sha256,"
                            " image_width, image_height, image_bytes) VALUES ('海报', '', 'other',"
                            " 1, 0, 0, %lld, 'all', '', %lld, %lld, '%s', '" HEX32 HEX32 "', '"
                            HEX32 HEX32 "', 10, 10, 17)", (long long)mtime, (long long)mtime,
           (long long)mtime, file);
  exec(db, sql);
}

static bool photo_left(const char *photo_dir, const char *file)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", photo_dir, file);
  return access(path, F_OK) == 0;
}

static void add_audit(sqlite3 *db, int64_t at)
{
  char sql[256];
  snprintf(sql, sizeof sql, "INSERT INTO audit (at, actor, actor_role, action, target, detail,"
                            " address) VALUES (%lld, 'admin', 'admin', 'notice.create', '1', '',"
                            " '127.0.0.1')", (long long)at);
  exec(db, sql);
}

static void add_key(sqlite3 *db, int n, int64_t at)
{
  char sql[256];
  snprintf(sql, sizeof sql, "INSERT INTO idempotency (scope, key, request_hash, response,"
                            " created_at) VALUES ('kiosk:1', 'key-%d', zeroblob(32), '{}', %lld)",
           n, (long long)at);
  exec(db, sql);
}

/* Defaults: keys 30 days, audit 365 days, repairs' personal data 180
 * days after they ended; exactly the older rows go. */
static void retention_defaults(void **state)
{
  (void)state;
  lobby_store *st;
  lobbyd_config cfg;
  store_retention_counts c;
  lobbyd_config_defaults(&cfg);
  assert_int_equal(cfg.retention.audit_days, 365);
  assert_int_equal(cfg.retention.repair_personal_days, 180);
  assert_int_equal(cfg.retention.idempotency_days, 30);
  assert_int_equal(store_sqlite_open(db_path, &st), LOBBY_OK);
  sqlite3 *db = open_raw(db_path);
  add_repair(db, 1, "closed", NOW - 181 * DAY);      /* anonymised */
  add_repair(db, 2, "cancelled", NOW - 200 * DAY);   /* anonymised */
  add_repair(db, 3, "closed", NOW - 179 * DAY);      /* too recent */
  add_repair(db, 4, "completed", NOW - 400 * DAY);   /* not finished: kept */
  add_repair(db, 5, "submitted", NOW - 400 * DAY);   /* open: kept */
  add_repair(db, 6, "closed", NOW - 180 * DAY + 1);  /* just inside the window */
  add_complaint(db, 1, "closed", "王芳", NOW - 181 * DAY);     /* anonymised */
  add_complaint(db, 2, "closed", NULL, NOW - 181 * DAY);       /* anonymous: nothing to remove */
  add_complaint(db, 3, "replied", "李雷", NOW - 400 * DAY);    /* not closed: kept */
  add_complaint(db, 4, "closed", "韩梅梅", NOW - 179 * DAY);   /* too recent */
  /* The cutoff, 180 days before 2027-01-15 16:00 (+08:00), is 2026-07-19. */
  add_release(db, 1, "used", "2026-07-01", NOW - 181 * DAY);       /* anonymised */
  add_release(db, 2, "refused", "2026-07-01", NOW - 200 * DAY);    /* anonymised */
  add_release(db, 3, "cancelled", "2026-07-30", NOW - 179 * DAY);  /* too recent */
  add_release(db, 4, "approved", "2026-07-18", NOW - 300 * DAY);   /* expired long ago */
  add_release(db, 5, "approved", "2026-07-19", NOW - 300 * DAY);   /* expired 179 days ago */
  add_release(db, 6, "submitted", "2026-01-01", NOW - 400 * DAY);  /* never decided: kept */
  add_renovation(db, 1, "finished", "2026-07-01", NOW - 181 * DAY);   /* anonymised */
  add_renovation(db, 2, "cancelled", "2026-09-01", NOW - 179 * DAY);  /* too recent */
  add_renovation(db, 3, "active", "2026-07-18", NOW - 300 * DAY);     /* expired long ago */
  add_renovation(db, 4, "active", "2026-07-19", NOW - 300 * DAY);     /* ended 179 days ago */
  add_audit(db, NOW - 366 * DAY);
  add_audit(db, NOW - 400 * DAY);
  add_audit(db, NOW - 1000 * DAY);
  add_audit(db, NOW - 364 * DAY);
  add_audit(db, NOW);
  add_key(db, 1, NOW - 31 * DAY);
  add_key(db, 2, NOW - 29 * DAY);
  add_key(db, 3, NOW);
  exec(db, "INSERT INTO repair_events (repair_id, event, status, actor_role, actor_name, at)"
           " SELECT id, 'close', status, 'admin', 'admin', updated_at FROM repairs");
  /* Photos: the anonymised repair's go, row and file; the recent one's
   * stay; a file no row names goes once an hour old; the rest is left. */
  char photos[128];
  snprintf(photos, sizeof photos, "%s/photos", dir);
  assert_int_equal(lobby_fs_mkdirs(photos), LOBBY_OK);
  snprintf(cfg.server.photo_dir, sizeof cfg.server.photo_dir, "%s", photos);
  add_photo(db, photos, 1, "R-20260701-0001-" HEX32 ".jpg", NOW - 181 * DAY);
  add_photo(db, photos, 3, "R-20260701-0003-" HEX32 ".jpg", NOW - 179 * DAY);
  add_photo(db, photos, 0, "R-20260701-0009-" HEX32 ".jpg", NOW - 2 * 3600);  /* orphan */
  add_photo(db, photos, 0, "R-20260701-0010-" HEX32 ".jpg", NOW - 60);        /* uploading */
  add_photo(db, photos, 0, "notes.txt", NOW - 400 * DAY);                     /* not a photo */
  /* Notices' pictures: one a notice shows stays however old; one no
   * notice names any more (replaced, removed) goes once an hour old. */
  add_notice_picture(db, photos, true, "notice-" HEX32 ".jpg", NOW - 400 * DAY);
  add_notice_picture(db, photos, false, "notice-fedcba9876543210fedcba9876543210.jpg", NOW - 2 * 3600);
  add_notice_picture(db, photos, false, "notice-00000000000000000000000000000000.jpg", NOW - 60);

  assert_int_equal(retention_sweep(st, &cfg, NOW, &c), LOBBY_OK);
  assert_int_equal(c.photos_deleted, 1);
  assert_int_equal(c.photo_files_removed, 3);
  assert_true(photo_left(photos, "notice-" HEX32 ".jpg"));
  assert_false(photo_left(photos, "notice-fedcba9876543210fedcba9876543210.jpg"));
  assert_true(photo_left(photos, "notice-00000000000000000000000000000000.jpg"));
  assert_int_equal(scalar(db, "SELECT count(*) FROM repair_photos WHERE repair_id = 3"), 1);
  assert_int_equal(scalar(db, "SELECT count(*) FROM repair_photos"), 1);
  assert_false(photo_left(photos, "R-20260701-0001-" HEX32 ".jpg"));
  assert_true(photo_left(photos, "R-20260701-0003-" HEX32 ".jpg"));
  assert_false(photo_left(photos, "R-20260701-0009-" HEX32 ".jpg"));
  assert_true(photo_left(photos, "R-20260701-0010-" HEX32 ".jpg"));
  assert_true(photo_left(photos, "notes.txt"));
  assert_int_equal(c.repairs_anonymised, 2);
  assert_int_equal(c.complaints_anonymised, 2);
  assert_int_equal(c.releases_anonymised, 3);
  assert_int_equal(c.renovations_anonymised, 2);
  assert_int_equal(scalar(db, "SELECT count(*) FROM renovations WHERE manager = '—'"
                              " AND manager_phone = '' AND anonymised_at = 1800000000"
                              " AND number IN ('Z-0001', 'Z-0003')"), 2);
  assert_int_equal(scalar(db, "SELECT count(*) FROM worker_passes WHERE name = '—' AND phone = ''"
                              " AND renovation_id IN (1, 3)"), 2);
  assert_int_equal(scalar(db, "SELECT count(*) FROM worker_passes WHERE name = '王建国'"), 2);
  assert_int_equal(scalar(db, "SELECT count(*) FROM renovations WHERE company = '美家装饰'"), 4);
  assert_int_equal(scalar(db, "SELECT count(*) FROM releases WHERE name = '—' AND phone = ''"
                              " AND phone_last4 = '' AND anonymised_at = 1800000000"
                              " AND number IN ('F-0001', 'F-0002', 'F-0004')"), 3);
  assert_int_equal(scalar(db, "SELECT count(*) FROM releases WHERE name = '王芳'"), 3);
  assert_int_equal(scalar(db, "SELECT count(*) FROM releases WHERE items = '旧沙发'"), 6);
  assert_int_equal(scalar(db, "SELECT count(*) FROM complaints WHERE phone IS NULL"), 2);
  assert_int_equal(scalar(db, "SELECT count(*) FROM complaints WHERE name = '—'"), 1);
  assert_int_equal(scalar(db, "SELECT count(*) FROM complaints WHERE phone_last4 = '8000'"), 2);
  assert_int_equal(scalar(db, "SELECT count(*) FROM complaints WHERE reply = '已处理'"), 4);
  assert_int_equal(c.audit_deleted, 3);
  assert_int_equal(c.idempotency_deleted, 1);

  assert_int_equal(scalar(db, "SELECT count(*) FROM repairs WHERE anonymised_at = 1800000000"), 2);
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_prepare_v2(db, "SELECT ticket, name, phone, phone_last4, category,"
                                          " status, satisfaction, created_at, updated_at"
                                          " FROM repairs ORDER BY ticket", -1, &q, NULL), SQLITE_OK);
  static const char *const anonymised[] = {"R-0001", "R-0002"};
  int row = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *ticket = (const char *)sqlite3_column_text(q, 0);
    bool anon = strcmp(ticket, anonymised[0]) == 0 || strcmp(ticket, anonymised[1]) == 0;
    char name[32];
    snprintf(name, sizeof name, "住户%d", row + 1);
    assert_string_equal(sqlite3_column_text(q, 1), anon ? "—" : name);
    assert_int_equal(strlen((const char *)sqlite3_column_text(q, 2)), anon ? 0 : 11);
    assert_int_equal(strlen((const char *)sqlite3_column_text(q, 3)), anon ? 0 : 4);
    /* The ledger's facts stay. */
    assert_string_equal(sqlite3_column_text(q, 4), "water");
    assert_int_equal(sqlite3_column_int(q, 6), 4);
    assert_int_equal(sqlite3_column_int64(q, 8) - sqlite3_column_int64(q, 7), 3 * DAY);
    row++;
  }
  sqlite3_finalize(q);
  assert_int_equal(row, 6);
  assert_int_equal(scalar(db, "SELECT count(*) FROM repair_events"), 6);
  assert_int_equal(scalar(db, "SELECT count(*) FROM audit"), 2);
  assert_int_equal(scalar(db, "SELECT min(at) FROM audit"), NOW - 364 * DAY);
  assert_int_equal(scalar(db, "SELECT count(*) FROM idempotency"), 2);
  assert_int_equal(scalar(db, "SELECT count(*) FROM idempotency WHERE key = 'key-1'"), 0);

  /* A second sweep finds nothing more. */
  assert_int_equal(retention_sweep(st, &cfg, NOW, &c), LOBBY_OK);
  assert_int_equal(c.repairs_anonymised + c.audit_deleted + c.idempotency_deleted, 0);
  assert_int_equal(c.complaints_anonymised, 0);
  sqlite3_close(db);
  st->ops->close(st);
}

/* 0 keeps everything of that kind. */
static void retention_zero_keeps(void **state)
{
  (void)state;
  lobby_store *st;
  lobbyd_config cfg;
  store_retention_counts c;
  lobbyd_config_defaults(&cfg);
  cfg.retention.audit_days = 0;
  cfg.retention.repair_personal_days = 0;
  cfg.retention.idempotency_days = 0;
  assert_int_equal(store_sqlite_open(db_path, &st), LOBBY_OK);
  sqlite3 *db = open_raw(db_path);
  add_repair(db, 1, "closed", NOW - 3000 * DAY);
  add_audit(db, NOW - 3000 * DAY);
  add_key(db, 1, NOW - 3000 * DAY);
  assert_int_equal(retention_sweep(st, &cfg, NOW, &c), LOBBY_OK);
  assert_int_equal(c.repairs_anonymised + c.audit_deleted + c.idempotency_deleted, 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM repairs WHERE name = '住户1'"), 1);
  assert_int_equal(scalar(db, "SELECT count(*) FROM audit"), 1);
  assert_int_equal(scalar(db, "SELECT count(*) FROM idempotency"), 1);
  sqlite3_close(db);
  st->ops->close(st);
}

static bool allowed(const addr_allow *a, const char *address)
{
  struct sockaddr_in v4 = {.sin_family = AF_INET};
  struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
  if (inet_pton(AF_INET, address, &v4.sin_addr) == 1)
    return addr_allow_match(a, (const struct sockaddr *)&v4);
  assert_int_equal(inet_pton(AF_INET6, address, &v6.sin6_addr), 1);
  return addr_allow_match(a, (const struct sockaddr *)&v6);
}

/* [metrics] allow: addresses and networks, v4 and v6. */
static void addr_allow_lists(void **state)
{
  (void)state;
  addr_allow a;
  addr_allow_loopback(&a);
  assert_true(allowed(&a, "127.0.0.1"));
  assert_true(allowed(&a, "::1"));
  assert_true(allowed(&a, "::ffff:127.0.0.1"));
  assert_false(allowed(&a, "127.0.0.2"));
  assert_false(allowed(&a, "10.0.0.1"));
  assert_int_equal(addr_allow_parse(" 127.0.0.1,::1 , 10.0.0.0/8,fd00::/8,192.168.1.64/26", &a),
                   LOBBY_OK);
  assert_int_equal(a.count, 5);
  assert_true(allowed(&a, "10.255.3.4"));
  assert_false(allowed(&a, "11.0.0.1"));
  assert_true(allowed(&a, "fd12:3456::1"));
  assert_false(allowed(&a, "fe80::1"));
  assert_true(allowed(&a, "192.168.1.127"));
  assert_false(allowed(&a, "192.168.1.128"));
  assert_false(allowed(&a, "192.168.1.63"));
  assert_true(allowed(&a, "::ffff:10.1.2.3"));
  /* Typos are refused, not widened. */
  addr_allow keep = a;
  assert_int_equal(addr_allow_parse("10.0.0.1/8", &a), LOBBY_EINVAL);
  assert_int_equal(addr_allow_parse("10.0.0.0/33", &a), LOBBY_EINVAL);
  assert_int_equal(addr_allow_parse("localhost", &a), LOBBY_EINVAL);
  assert_int_equal(addr_allow_parse("10.0.0.0/", &a), LOBBY_EINVAL);
  assert_int_equal(addr_allow_parse("1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,"
                                    "1.1.1.8,1.1.1.9,1.1.1.10,1.1.1.11,1.1.1.12,1.1.1.13,"
                                    "1.1.1.14,1.1.1.15,1.1.1.16,1.1.1.17", &a), LOBBY_ETOOBIG);
  assert_memory_equal(&a, &keep, sizeof a);
  /* An empty list allows nobody (staff tokens still work). */
  assert_int_equal(addr_allow_parse("", &a), LOBBY_OK);
  assert_int_equal(a.count, 0);
  assert_false(allowed(&a, "127.0.0.1"));
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(migration_backup, setup, teardown),
    cmocka_unit_test_setup_teardown(migration_visit_kiosk, setup, teardown),
    cmocka_unit_test_setup_teardown(new_database_no_backup, setup, teardown),
    cmocka_unit_test_setup_teardown(retention_defaults, setup, teardown),
    cmocka_unit_test_setup_teardown(retention_zero_keeps, setup, teardown),
    cmocka_unit_test(addr_allow_lists),
  };
  if (argc > 1)
    cmocka_set_test_filter(argv[1]);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
