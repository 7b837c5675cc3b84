/* A staff write and its audit entry are one transaction: with the audit
 * table gone (renamed in the database file of a real lobbyd, so that the
 * entry's insert fails), a staff member's notice, repair, settings change
 * and kiosk revocation all fail with 500 and leave nothing behind, while
 * a kiosk's repair, which is not audited, is stored as before.  With the
 * table back, a notice and its entry are committed together.
 *
 *   test_audit_tx */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "test_server.h"

static test_server server;

#define NOTICE_BODY "{\"title\":\"停水通知\",\"body\":\"11月28日9:00-12:00停水\"}"
#define REPAIR_BODY                                                                 \
  "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\"," \
  "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","           \
  "\"urgency\":\"normal\",\"description\":\"厨房水龙头漏水\"}"

static int setup(void **state)
{
  (void)state;
  memset(&server, 0, sizeof server);
  return test_server_start(&server);
}

static int teardown(void **state)
{
  (void)state;
  return test_server_stop(&server);
}

/* Runs sql on lobbyd's database through a connection of the test's own. */
static void db_exec(const char *sql)
{
  sqlite3 *db;
  assert_int_equal(sqlite3_open(server.db, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

static long long db_count(const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_open(server.db, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  long long n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}

static long post_status(const char *method, const char *path, const char *token,
                        const char *body, const char *key)
{
  char header[80];
  snprintf(header, sizeof header, "Idempotency-Key: %s", key ? key : "");
  const char *h[] = {header, NULL};
  test_response r;
  assert_int_equal(test_http(&server, method, path, token, body, key ? h : NULL, &r), 0);
  long status = r.status;
  test_response_free(&r);
  return status;
}

static void a_refused_audit_entry_undoes_the_write(void **state)
{
  (void)state;
  char kiosk[64];
  assert_int_equal(test_kiosk(&server, "lobby-2", "1", "east", kiosk), 0);
  long long audit = db_count("SELECT COUNT(*) FROM audit");
  db_exec("ALTER TABLE audit RENAME TO audit_away");

  assert_int_equal(post_status("POST", "/api/v1/notices", server.admin_token, NOTICE_BODY, NULL),
                   500);
  assert_int_equal(db_count("SELECT COUNT(*) FROM notices"), 0);
  assert_int_equal(post_status("POST", "/api/v1/repairs", server.admin_token, REPAIR_BODY,
                               "audit-tx-staff"), 500);
  assert_int_equal(db_count("SELECT COUNT(*) FROM repairs"), 0);
  assert_int_equal(db_count("SELECT COUNT(*) FROM idempotency"), 0);
  assert_int_equal(post_status("PUT", "/api/v1/settings", server.admin_token,
                               "{\"auto_checkout_hours\":7}", NULL), 500);
  assert_int_equal(db_count("SELECT COUNT(*) FROM settings"), 0);
  assert_int_equal(post_status("POST", "/api/v1/kiosks/lobby-2/revoke", server.admin_token, "",
                               NULL), 500);
  assert_int_equal(db_count("SELECT COUNT(*) FROM kiosks WHERE revoked_at IS NOT NULL"), 0);
  /* A kiosk's write is not audited: the trigger never fires for it. */
  assert_int_equal(post_status("POST", "/api/v1/repairs", kiosk, REPAIR_BODY, "audit-tx-kiosk"),
                   201);
  assert_int_equal(db_count("SELECT COUNT(*) FROM repairs"), 1);
  db_exec("ALTER TABLE audit_away RENAME TO audit");
  assert_int_equal(db_count("SELECT COUNT(*) FROM audit"), audit);

  json_t *notice = test_admin(&server, "POST", "/api/v1/notices", NOTICE_BODY, 201);
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(notice, "id")));
  json_decref(notice);
  assert_int_equal(db_count("SELECT COUNT(*) FROM notices"), 1);
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit WHERE action = 'notice.create' "
                            "AND target = '%s' AND actor_role = 'admin'", id);
  assert_int_equal(db_count(sql), 1);
  assert_int_equal(db_count("SELECT COUNT(*) FROM audit"), audit + 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(a_refused_audit_entry_undoes_the_write)};
  return cmocka_run_group_tests(tests, setup, teardown);
}
