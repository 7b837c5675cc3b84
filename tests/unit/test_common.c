/* Unit tests for src/common: text checks, phones, time, the repair
 * ledger's rules and codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lobby_tls.h"
#include "lobby_domain.h"
#include "lobby_feed.h"
#include "lobby_fs.h"
#include "lobby_ini.h"
#include "lobby_repair.h"
#include "lobby_role.h"
#include "lobby_search.h"
#include "lobby_text.h"
#include "lobby_time.h"

static void utf8_accepts_chinese_and_rejects_malformed(void **state)
{
  (void)state;
  assert_true(lobby_utf8_valid("厨房水龙头漏水", strlen("厨房水龙头漏水")));
  assert_true(lobby_utf8_valid("emoji 😀", strlen("emoji 😀")));
  assert_false(lobby_utf8_valid("\xC0\xAF", 2));          /* overlong '/' */
  assert_false(lobby_utf8_valid("\xED\xA0\x80", 3));      /* surrogate */
  assert_false(lobby_utf8_valid("\xF4\x90\x80\x80", 4));  /* past U+10FFFF */
  assert_false(lobby_utf8_valid("\xE5\x8E", 2));          /* truncated */
  assert_false(lobby_utf8_valid("a\0b", 3));              /* NUL */
  assert_int_equal(lobby_utf8_count("张三abc"), 5);
}

static void text_check_counts_characters_not_bytes(void **state)
{
  (void)state;
  assert_int_equal(lobby_text_check("张三", 1, 2, false), LOBBY_OK);
  assert_int_equal(lobby_text_check("张三丰", 1, 2, false), LOBBY_ETOOBIG);
  assert_int_equal(lobby_text_check("   ", 1, 10, false), LOBBY_EINVAL);
  assert_int_equal(lobby_text_check("a\nb", 1, 10, false), LOBBY_EINVAL);
  assert_int_equal(lobby_text_check("a\nb", 1, 10, true), LOBBY_OK);
  assert_int_equal(lobby_text_check("a\x1b[31m", 1, 10, true), LOBBY_EINVAL);
}

static void phone_forms(void **state)
{
  (void)state;
  assert_true(lobby_phone_valid("13812345678"));
  assert_true(lobby_phone_valid("+8613812345678"));
  assert_true(lobby_phone_valid("8613812345678"));
  assert_true(lobby_phone_valid("010-12345678"));
  assert_true(lobby_phone_valid("0755-1234567"));
  assert_true(lobby_phone_valid("0755-1234567-89"));
  assert_true(lobby_phone_valid("01012345678"));
  assert_false(lobby_phone_valid("12812345678"));   /* no 12x mobiles */
  assert_false(lobby_phone_valid("1381234567"));    /* 10 digits */
  assert_false(lobby_phone_valid("138 1234 5678"));
  assert_false(lobby_phone_valid("10-12345678"));
  assert_false(lobby_phone_valid(""));
  char last4[5];
  assert_true(lobby_phone_last4("0755-1234567-89", last4));
  assert_string_equal(last4, "6789");
}

static void phone_and_name_masks(void **state)
{
  (void)state;
  char out[32];
  lobby_phone_mask("13812345678", out, sizeof out);
  assert_string_equal(out, "138****5678");
  lobby_phone_mask("010-12345678", out, sizeof out);
  assert_string_equal(out, "***-****5678");
  lobby_name_mask("张三", out, sizeof out);
  assert_string_equal(out, "张*");
  lobby_name_mask("欧阳娜娜", out, sizeof out);
  assert_string_equal(out, "欧***");
  lobby_name_mask("李", out, sizeof out);
  assert_string_equal(out, "李*");
}

static void time_round_trip_in_site_offset(void **state)
{
  (void)state;
  int64_t t;
  char buf[LOBBY_ISO_LEN];
  assert_int_equal(lobby_time_parse("2026-11-26T18:00:00+08:00", &t), LOBBY_OK);
  assert_int_equal(t, 1795687200);
  lobby_time_format(t, 480, buf);
  assert_string_equal(buf, "2026-11-26T18:00:00+08:00");
  assert_int_equal(lobby_time_parse("2026-11-26T10:00:00Z", &t), LOBBY_OK);
  assert_int_equal(t, 1795687200);
  assert_int_equal(lobby_time_parse("2026-02-30T10:00:00Z", &t), LOBBY_EINVAL);
  assert_int_equal(lobby_time_parse("2026-11-26 10:00:00", &t), LOBBY_EINVAL);
  assert_int_equal(lobby_time_parse("2026-11-26T10:00:00+8", &t), LOBBY_EINVAL);
  char day[9];
  lobby_time_local_date(1795687200 + 6 * 3600, 480, day); /* 00:00 local next day */
  assert_string_equal(day, "20261127");
}

static void ticket_numbers(void **state)
{
  (void)state;
  char buf[24];
  repair_ticket_format("20261126", 42, buf, sizeof buf);
  assert_string_equal(buf, "R-20261126-0042");
  assert_true(repair_ticket_valid(buf));
  repair_ticket_format("20261126", 12345, buf, sizeof buf);
  assert_string_equal(buf, "R-20261126-12345");
  assert_true(repair_ticket_valid(buf));
  assert_false(repair_ticket_valid("R-2026112-0042"));
  assert_false(repair_ticket_valid("X-20261126-0042"));
  assert_false(repair_ticket_valid("R-20261126-00a2"));
}

static void sla_due_times(void **state)
{
  (void)state;
  repair_sla_policy p;
  repair_sla_default(&p);
  int64_t morning, evening, due, window_end;
  lobby_time_parse("2026-11-26T10:00:00+08:00", &morning);
  lobby_time_parse("2026-11-26T17:00:00+08:00", &evening);
  char buf[LOBBY_ISO_LEN];

  assert_int_equal(repair_sla_due(&p, REPAIR_URGENCY_EMERGENCY, morning, 0, &due), LOBBY_OK);
  assert_int_equal(due - morning, 30 * 60);

  assert_int_equal(repair_sla_due(&p, REPAIR_URGENCY_NORMAL, morning, 0, &due), LOBBY_OK);
  lobby_time_format(due, 480, buf);
  assert_string_equal(buf, "2026-11-26T18:00:00+08:00");

  /* Filed after the 16:00 cut-off: due by the end of the next working day. */
  assert_int_equal(repair_sla_due(&p, REPAIR_URGENCY_NORMAL, evening, 0, &due), LOBBY_OK);
  lobby_time_format(due, 480, buf);
  assert_string_equal(buf, "2026-11-27T18:00:00+08:00");

  lobby_time_parse("2026-11-27T12:00:00+08:00", &window_end);
  assert_int_equal(repair_sla_due(&p, REPAIR_URGENCY_APPOINTMENT, morning, window_end, &due), LOBBY_OK);
  assert_int_equal(due, window_end);
  assert_int_equal(repair_sla_due(&p, REPAIR_URGENCY_APPOINTMENT, morning, morning - 1, &due),
                   LOBBY_EINVAL);
}

/* Every (status, event) pair of the ledger, allowed or refused, for each
 * role.  Each row is a status; each column an event in repair_event order
 * (submit, accept, dispatch, on_site, complete, return_visit, close,
 * cancel, take, decline); a letter is the status the event leads to (the initials in
 * STATUS_LETTERS), '-' means the status refuses it (LOBBY_ECONFLICT) and
 * 'x' that the role may not record it at all (LOBBY_EPERM).  Changing any
 * rule, such as the front desk's accepted -> on_site shortcut or what a
 * technician may record, changes a cell here. */
#define STATUS_LETTERS "SADOCRXZ" /* submitted ... closed (X), cancelled (Z) */
#define LEDGER(row_s, row_a, row_d, row_o, row_c, row_r, row_x, row_z)                                  \
  {[REPAIR_STATUS_SUBMITTED] = row_s, [REPAIR_STATUS_ACCEPTED] = row_a, [REPAIR_STATUS_DISPATCHED] = row_d, \
   [REPAIR_STATUS_ON_SITE] = row_o, [REPAIR_STATUS_COMPLETED] = row_c, [REPAIR_STATUS_RETURN_VISIT] = row_r, \
   [REPAIR_STATUS_CLOSED] = row_x, [REPAIR_STATUS_CANCELLED] = row_z}
static const struct {
  lobby_role role;
  const char *table[REPAIR_STATUS_COUNT];
} ledger_by_role[] = {
  /*                           sub acc dis ons com rv  clo can tak dec */
  {ROLE_ADMIN,       LEDGER("xA-----Z--", "x-DO---Z--", "x-DO---ZDA", "x---C--Z--",
                            "x----R----", "x-----X---", "x---------", "x---------")},
  {ROLE_FRONT_DESK,  LEDGER("xA-----Z--", "x-DO---Z--", "x-DO---ZDA", "x---C--Z--",
                            "x----R----", "x-----X---", "x---------", "x---------")},
  {ROLE_TECHNICIAN,  LEDGER("xxx--xxx--", "xxxO-xxx--", "xxxO-xxxDA", "xxx-Cxxx--",
                            "xxx--xxx--", "xxx--xxx--", "xxx--xxx--", "xxx--xxx--")},
  {ROLE_KIOSK,       LEDGER("xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx",
                            "xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx")},
  {ROLE_GUARD,       LEDGER("xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx",
                            "xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxxxxxxx")},
};

static void check_ledger_cell(lobby_role role, int from, int ev, char want)
{
  repair_status to = REPAIR_STATUS_COUNT;
  lobby_err err = repair_transition_as(role, (repair_status)from, (repair_event)ev, &to);
  lobby_err want_err = want == 'x' ? LOBBY_EPERM : want == '-' ? LOBBY_ECONFLICT : LOBBY_OK;
  char got = err == LOBBY_EPERM ? 'x' : err == LOBBY_ECONFLICT ? '-' : err == LOBBY_OK ? STATUS_LETTERS[to] : '?';
  if (err != want_err || (err == LOBBY_OK && got != want))
    fail_msg("%s, from %s, %s: got '%c', want '%c'", lobby_role_name(role), repair_status_name((repair_status)from),
             repair_event_name((repair_event)ev), got, want);
  if (err != LOBBY_OK)
    assert_int_equal(to, REPAIR_STATUS_COUNT); /* untouched when refused */
}

static void transitions_follow_the_ledger(void **state)
{
  (void)state;
  for (size_t r = 0; r < sizeof ledger_by_role / sizeof ledger_by_role[0]; r++) {
    for (int from = 0; from < REPAIR_STATUS_COUNT; from++) {
      const char *row = ledger_by_role[r].table[from];
      assert_int_equal(strlen(row), REPAIR_EVENT_COUNT);
      for (int ev = 0; ev < REPAIR_EVENT_COUNT; ev++)
        check_ledger_cell(ledger_by_role[r].role, from, ev, row[ev]);
    }
  }
  repair_status to;
  assert_int_equal(repair_transition(REPAIR_STATUS_COUNT, REPAIR_EVENT_CANCEL, &to), LOBBY_ECONFLICT);
  assert_int_equal(repair_transition(REPAIR_STATUS_ACCEPTED, REPAIR_EVENT_COUNT, &to), LOBBY_ECONFLICT);
}

static void overdue_rule(void **state)
{
  (void)state;
  /* An emergency's promise is a technician on site in time. */
  assert_true(repair_overdue(REPAIR_STATUS_DISPATCHED, REPAIR_URGENCY_EMERGENCY, 100, 101));
  assert_false(repair_overdue(REPAIR_STATUS_ON_SITE, REPAIR_URGENCY_EMERGENCY, 100, 101));
  assert_true(repair_overdue(REPAIR_STATUS_ON_SITE, REPAIR_URGENCY_NORMAL, 100, 101));
  assert_false(repair_overdue(REPAIR_STATUS_COMPLETED, REPAIR_URGENCY_NORMAL, 100, 101));
  assert_false(repair_overdue(REPAIR_STATUS_SUBMITTED, REPAIR_URGENCY_NORMAL, 100, 100));
}

static void codes_use_unambiguous_characters(void **state)
{
  (void)state;
  char code[9];
  for (int i = 0; i < 200; i++) {
    lobby_code_random(code, 8);
    assert_int_equal(strlen(code), 8);
    assert_true(lobby_code_alphabet_valid(code, 8));
    assert_null(strpbrk(code, "01OILZ2S5B8"));
  }
  assert_false(lobby_code_alphabet_valid("ABCD0OIL", 8));
  assert_true(lobby_code_alphabet_valid("k7m3qx", 6));
  /* Pass codes: the 8-character form, and the 6-character one of visits
   * made before; nothing else. */
  assert_int_equal(LOBBY_PASS_CODE_LEN, 8);
  assert_true(lobby_pass_code_valid("K7M3QX4A"));
  assert_true(lobby_pass_code_valid("k7m3qx"));
  assert_false(lobby_pass_code_valid("K7M3QX4"));
  assert_false(lobby_pass_code_valid("K7M3QX4AC"));
  assert_false(lobby_pass_code_valid("K7M3QX40"));
  assert_false(lobby_pass_code_valid(""));
  assert_true(lobby_idempotency_key_valid("abc-DEF_123"));
  assert_false(lobby_idempotency_key_valid("short"));
  assert_false(lobby_idempotency_key_valid("has space in it"));
}

/* rm -r removes everything below, follows no symbolic link out of the
 * tree, and a tree that is not there is already removed. */
static void remove_tree_stays_inside(void **state)
{
  (void)state;
  char top[] = "/tmp/lobby-fs-XXXXXX", outside[] = "/tmp/lobby-fs-out-XXXXXX";
  assert_non_null(mkdtemp(top));
  assert_non_null(mkdtemp(outside));
  char path[256], kept[256];
  snprintf(path, sizeof path, "%s/a/b/c", top);
  assert_int_equal(lobby_fs_mkdirs(path), LOBBY_OK);
  snprintf(path, sizeof path, "%s/a/b/c/file", top);
  assert_int_equal(lobby_fs_write_atomic(path, "x", 1), LOBBY_OK);
  snprintf(kept, sizeof kept, "%s/kept", outside);
  assert_int_equal(lobby_fs_write_atomic(kept, "y", 1), LOBBY_OK);
  snprintf(path, sizeof path, "%s/a/link", top);
  assert_int_equal(symlink(outside, path), 0);

  assert_int_equal(lobby_fs_remove_tree(top), LOBBY_OK);
  struct stat st;
  assert_int_equal(lstat(top, &st), -1);
  assert_int_equal(stat(kept, &st), 0);
  assert_int_equal(lobby_fs_remove_tree(top), LOBBY_OK);
  assert_int_equal(lobby_fs_remove_tree(outside), LOBBY_OK);
}

/* Local calendar fields: the hour, the date and the weekday move with the
 * offset (2026-11-26 16:30 UTC is Friday 27 November 00:30 in Beijing). */
static void local_fields_follow_the_offset(void **state)
{
  (void)state;
  int64_t t;
  assert_int_equal(lobby_time_parse("2026-11-26T16:30:00Z", &t), LOBBY_OK);
  lobby_civil c;
  lobby_time_local(t, 480, &c);
  assert_int_equal(c.year, 2026);
  assert_int_equal(c.month, 11);
  assert_int_equal(c.day, 27);
  assert_int_equal(c.hour, 0);
  assert_int_equal(c.minute, 30);
  assert_int_equal(c.weekday, 5);
  lobby_time_local(t, 0, &c);
  assert_int_equal(c.day, 26);
  assert_int_equal(c.hour, 16);
  assert_int_equal(c.weekday, 4);
}

/* Numbers from options and query strings: the whole text, in range. */
static void integers_parse_whole_and_in_range(void **state)
{
  (void)state;
  int64_t v = -1;
  assert_int_equal(lobby_parse_int64("60", 1, 86400, &v), LOBBY_OK);
  assert_int_equal(v, 60);
  assert_int_equal(lobby_parse_int64("-5", -10, 10, &v), LOBBY_OK);
  assert_int_equal(v, -5);
  static const char *const bad[] = {"", "10x", "abc", "0", "86401", "99999999999999999999",
                                    " 5", "+5", "-", "5 "};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    v = 7;
    assert_int_equal(lobby_parse_int64(bad[i], 1, 86400, &v), LOBBY_EINVAL);
    assert_int_equal(v, 7);
  }
  assert_int_equal(lobby_parse_int64(NULL, 1, 2, &v), LOBBY_EINVAL);
  /* Beyond int64_t is refused, not clamped into range. */
  assert_int_equal(lobby_parse_int64("99999999999999999999", 0, INT64_MAX, &v), LOBBY_EINVAL);
}

static void ini_values_drop_trailing_comments(void **state)
{
  (void)state;
  char v[32];
  assert_int_equal(lobby_ini_value("t.db  # the db", v, sizeof v), LOBBY_OK);
  assert_string_equal(v, "t.db");
  assert_int_equal(lobby_ini_value("t.db\t; the db", v, sizeof v), LOBBY_OK);
  assert_string_equal(v, "t.db");
  assert_int_equal(lobby_ini_value("# all comment", v, sizeof v), LOBBY_OK);
  assert_string_equal(v, "");
  /* A marker inside a word is part of the value. */
  assert_int_equal(lobby_ini_value("3#楼;东", v, sizeof v), LOBBY_OK);
  assert_string_equal(v, "3#楼;东");
  assert_int_equal(lobby_ini_value("http://h/#x", v, sizeof v), LOBBY_OK);
  assert_string_equal(v, "http://h/#x");
  assert_int_equal(lobby_ini_value("0123456789", v, 10), LOBBY_ETOOBIG);
}

static void ini_booleans_are_strict(void **state)
{
  (void)state;
  bool b = false;
  const char *yes[] = {"1", "true", "yes", "on", "TRUE", "On"};
  const char *no[] = {"0", "false", "no", "off", "No"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    b = false;
    assert_int_equal(lobby_ini_bool(yes[i], &b), LOBBY_OK);
    assert_true(b);
  }
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
    b = true;
    assert_int_equal(lobby_ini_bool(no[i], &b), LOBBY_OK);
    assert_false(b);
  }
  assert_int_equal(lobby_ini_bool("maybe", &b), LOBBY_EINVAL);
  assert_int_equal(lobby_ini_bool("", &b), LOBBY_EINVAL);
  assert_int_equal(lobby_ini_bool("2", &b), LOBBY_EINVAL);
}

static void utf8_sanitize_replaces_bad_bytes_only(void **state)
{
  (void)state;
  char out[32];
  lobby_utf8_sanitize("不在家", out, sizeof out);
  assert_string_equal(out, "不在家");
  lobby_utf8_sanitize("/api/\xff/x", out, sizeof out);
  assert_string_equal(out, "/api/\xEF\xBF\xBD/x");
  /* A character cut at the end, and an overlong '/'. */
  lobby_utf8_sanitize("ab\xE5\x8E", out, sizeof out);
  assert_string_equal(out, "ab\xEF\xBF\xBD\xEF\xBF\xBD");
  lobby_utf8_sanitize("\xC0\xAF", out, sizeof out);
  assert_true(lobby_utf8_valid(out, strlen(out)));
  /* Too small for the next character: it is left out whole. */
  lobby_utf8_sanitize("a不", out, 3);
  assert_string_equal(out, "a");
}

/* The TLS settings' rules shared by lobbyctl and the kiosk. */
static void tls_settings_follow_the_rules(void **state)
{
  (void)state;
  const char *pin = "sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI=";
  lobby_tls_problem p;
  assert_int_equal(lobby_tls_check_pin(pin), LOBBY_OK);
  assert_int_equal(lobby_tls_check_pin("sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI=;"
                                       "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), LOBBY_OK);
  const char *bad[] = {"", "sha256//short=", "sha1//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI=",
                       "sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI", /* no padding */
                       "sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1ND!=",
                       "sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI=;", NULL};
  for (int i = 0; bad[i]; i++)
    assert_int_equal(lobby_tls_check_pin(bad[i]), LOBBY_EINVAL);
  assert_int_equal(lobby_tls_check("https://h:1", NULL, NULL, &p), LOBBY_OK);
  assert_int_equal(lobby_tls_check("https://h:1", "/dev/null", pin, &p), LOBBY_OK);
  assert_int_equal(lobby_tls_check("http://h:1", "", "", &p), LOBBY_OK);
  assert_int_equal(lobby_tls_check("http://h:1", "/dev/null", NULL, &p), LOBBY_EINVAL);
  assert_int_equal(p, LOBBY_TLS_CA_NOT_HTTPS);
  assert_int_equal(lobby_tls_check("HTTP://h:1", NULL, pin, &p), LOBBY_EINVAL);
  assert_int_equal(p, LOBBY_TLS_PIN_NOT_HTTPS);
  assert_int_equal(lobby_tls_check("https://h:1", "/nonexistent/ca.crt", NULL, &p), LOBBY_EINVAL);
  assert_int_equal(p, LOBBY_TLS_CA_UNREADABLE);
  assert_int_equal(lobby_tls_check("https://h:1", NULL, "sha256//x", &p), LOBBY_EINVAL);
  assert_int_equal(p, LOBBY_TLS_PIN_BAD);
}

/* The version is BLAKE2b-64 of the compact, key-sorted content without
 * server_time, kiosk and version (the value is from Python's hashlib on
 * the same text); the kiosk's check fails on any change to the content. */
/* Role names round-trip for staff; a kiosk is never a staff role by name. */
static void role_names_round_trip(void **state)
{
  (void)state;
  lobby_role role = ROLE_KIOSK;
  for (int i = 0; lobby_staff_role_names[i]; i++) {
    assert_int_equal(lobby_role_parse(lobby_staff_role_names[i], &role), LOBBY_OK);
    assert_string_equal(lobby_role_name(role), lobby_staff_role_names[i]);
  }
  assert_string_equal(lobby_role_name(ROLE_KIOSK), "kiosk");
  assert_string_equal(lobby_role_name(ROLE_FRONT_DESK), "front_desk");
  assert_string_equal(lobby_role_name(ROLE_GUARD), "guard");
  assert_int_equal(lobby_role_parse("guard", &role), LOBBY_OK);
  assert_int_equal(role, ROLE_GUARD);
  assert_string_equal(lobby_role_name((lobby_role)9), "unknown");
  assert_int_equal(lobby_role_parse("kiosk", &role), LOBBY_EINVAL);
  assert_int_equal(lobby_role_parse("Admin", &role), LOBBY_EINVAL);
  assert_int_equal(lobby_role_parse(NULL, &role), LOBBY_EINVAL);
}

static void feed_version_hashes_the_content_only(void **state)
{
  (void)state;
  json_t *feed = json_loads("{\"version\":\"3eeab4e35f774266\",\"server_time\":\"t1\","
                            "\"kiosk\":{\"name\":\"k\"},\"site\":{\"name\":\"L\"},"
                            "\"notices\":[{\"title\":\"停水\"}]}", 0, NULL);
  assert_non_null(feed);
  char v[LOBBY_FEED_VERSION_SIZE];
  assert_int_equal(lobby_feed_version(feed, v), LOBBY_OK);
  assert_string_equal(v, "3eeab4e35f774266");
  assert_int_equal(lobby_feed_verify(feed), LOBBY_OK);
  json_object_set_new(feed, "server_time", json_string("t2"));
  assert_int_equal(lobby_feed_verify(feed), LOBBY_OK);
  json_object_set_new(json_object_get(feed, "site"), "name", json_string("M"));
  assert_int_equal(lobby_feed_verify(feed), LOBBY_EINVAL);
  json_object_del(feed, "version");
  assert_int_equal(lobby_feed_verify(feed), LOBBY_EINVAL);
  json_decref(feed);
  json_t *list = json_array();
  assert_int_equal(lobby_feed_version(list, v), LOBBY_EINVAL);
  assert_int_equal(lobby_feed_verify(list), LOBBY_EINVAL);
  json_decref(list);
}

/* What the desk types in the one search box is told apart by its shape. */
static void search_box_text_is_classified(void **state)
{
  (void)state;
  static const struct {
    const char *q;
    lobby_search_kind kind;
  } cases[] = {
    {"R-20261203-0042", LOBBY_SEARCH_NUMBER}, {"R-2026", LOBBY_SEARCH_NUMBER},
    {"  C-20261203-0001 ", LOBBY_SEARCH_NUMBER}, {"13800138000", LOBBY_SEARCH_PHONE},
    {"8000", LOBBY_SEARCH_LAST4}, {"1-2-301", LOBBY_SEARCH_ROOM}, {"A-10-1003", LOBBY_SEARCH_ROOM},
    {"A-10", LOBBY_SEARCH_ROOM}, {"王", LOBBY_SEARCH_TEXT}, {"漏水", LOBBY_SEARCH_TEXT},
    {"301", LOBBY_SEARCH_TEXT}, {"1-2-3-4", LOBBY_SEARCH_TEXT}, {"12800138000", LOBBY_SEARCH_TEXT},
    {"", LOBBY_SEARCH_NONE}, {"   ", LOBBY_SEARCH_NONE},
  };
  lobby_search s;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    assert_int_equal(lobby_search_parse(cases[i].q, &s), LOBBY_OK);
    if (s.kind != cases[i].kind)
      fprintf(stderr, "\"%s\": kind %d, expected %d\n", cases[i].q, s.kind, cases[i].kind);
    assert_int_equal(s.kind, cases[i].kind);
  }
  assert_int_equal(lobby_search_parse("1-2-301", &s), LOBBY_OK);
  assert_string_equal(s.building, "1");
  assert_string_equal(s.unit, "2");
  assert_string_equal(s.room, "301");
  assert_int_equal(lobby_search_parse("a\x01b", &s), LOBBY_EINVAL);
  assert_int_equal(lobby_search_parse("\xff\xfe", &s), LOBBY_EINVAL);
  char long_text[80];
  memset(long_text, 'x', sizeof long_text - 1);
  long_text[sizeof long_text - 1] = '\0';
  assert_int_equal(lobby_search_parse(long_text, &s), LOBBY_EINVAL);
  assert_int_equal(s.kind, LOBBY_SEARCH_NONE);
  char escaped[32];
  lobby_search_like_escape("50%_a\\b", escaped, sizeof escaped);
  assert_string_equal(escaped, "50\\%\\_a\\\\b");
}

int main(void)
{
  if (sodium_init() < 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(utf8_accepts_chinese_and_rejects_malformed),
    cmocka_unit_test(text_check_counts_characters_not_bytes),
    cmocka_unit_test(phone_forms),
    cmocka_unit_test(phone_and_name_masks),
    cmocka_unit_test(time_round_trip_in_site_offset),
    cmocka_unit_test(ticket_numbers),
    cmocka_unit_test(sla_due_times),
    cmocka_unit_test(transitions_follow_the_ledger),
    cmocka_unit_test(overdue_rule),
    cmocka_unit_test(codes_use_unambiguous_characters),
    cmocka_unit_test(remove_tree_stays_inside),
    cmocka_unit_test(role_names_round_trip),
    cmocka_unit_test(local_fields_follow_the_offset),
    cmocka_unit_test(integers_parse_whole_and_in_range),
    cmocka_unit_test(ini_values_drop_trailing_comments),
    cmocka_unit_test(ini_booleans_are_strict),
    cmocka_unit_test(utf8_sanitize_replaces_bad_bytes_only),
    cmocka_unit_test(tls_settings_follow_the_rules),
    cmocka_unit_test(feed_version_hashes_the_content_only),
    cmocka_unit_test(search_box_text_is_classified),
  };
  return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
