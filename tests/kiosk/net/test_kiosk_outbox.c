/* Unit tests of the durable outbox: items survive a "crash" (closing and
 * reopening the directory), come back in order, leave when completed, and
 * leftovers of interrupted writes never become items. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk_outbox.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_text.h"

typedef struct {
  char dir[64];
} fixture;

static int setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  snprintf(f->dir, sizeof f->dir, "/tmp/kiosk-outbox-XXXXXX");
  if (!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  assert_int_equal(lobby_fs_remove_tree(f->dir), LOBBY_OK);
  free(f);
  return 0;
}

static json_t *repair_body(const char *room)
{
  return json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:n, s:s}", "unit", "building",
                   "1", "unit", "2", "room", room, "name", "张三", "phone", "13812345678",
                   "category", "water", "kind", "in_unit", "urgency", "normal", "preferred_time",
                   "description", "厨房水龙头漏水");
}

static kiosk_outbox *open_outbox(const fixture *f)
{
  kiosk_outbox *ob = NULL;
  assert_int_equal(kiosk_outbox_open(f->dir, &ob), LOBBY_OK);
  assert_non_null(ob);
  return ob;
}

static void append_repair(kiosk_outbox *ob, const char *room, char ref_out[KIOSK_OUTBOX_REF_SIZE])
{
  json_t *body = repair_body(room);
  const kiosk_outbox_item *item = NULL;
  assert_int_equal(kiosk_outbox_append(ob, KIOSK_SUBMIT_REPAIR, body, &item), LOBBY_OK);
  json_decref(body);
  assert_non_null(item);
  if (ref_out)
    snprintf(ref_out, KIOSK_OUTBOX_REF_SIZE, "%s", item->ref);
}

static const char *room_of(const kiosk_outbox_item *item)
{
  return json_string_value(json_object_get(json_object_get(item->body, "unit"), "room"));
}

static void write_file(const fixture *f, const char *rel, const char *text)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", f->dir, rel);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

static bool file_exists(const fixture *f, const char *rel)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", f->dir, rel);
  return access(path, F_OK) == 0;
}

static void test_append_assigns_ref_and_key(void **state)
{
  kiosk_outbox *ob = open_outbox(*state);
  char ref_a[KIOSK_OUTBOX_REF_SIZE], ref_b[KIOSK_OUTBOX_REF_SIZE];
  append_repair(ob, "301", ref_a);
  append_repair(ob, "302", ref_b);
  const kiosk_outbox_item *a = kiosk_outbox_at(ob, 0), *b = kiosk_outbox_at(ob, 1);
  assert_int_equal(strlen(a->ref), 8);
  assert_memory_equal(a->ref, "Q-", 2);
  assert_string_not_equal(a->ref, b->ref);
  assert_true(lobby_idempotency_key_valid(a->idempotency_key));
  assert_string_not_equal(a->idempotency_key, b->idempotency_key);
  assert_true(a->seq < b->seq);
  assert_int_equal(kiosk_outbox_count(ob), 2);
  kiosk_outbox_close(ob);
}

static void test_reopen_keeps_items_in_order(void **state)
{
  fixture *f = *state;
  kiosk_outbox *ob = open_outbox(f);
  const char *rooms[] = {"101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111"};
  char keys[11][KIOSK_OUTBOX_KEY_SIZE];
  for (int i = 0; i < 11; i++) {
    append_repair(ob, rooms[i], NULL);
    snprintf(keys[i], sizeof keys[i], "%s", kiosk_outbox_at(ob, (size_t)i)->idempotency_key);
  }
  /* Closing without any other step is what a crash leaves behind. */
  kiosk_outbox_close(ob);
  ob = open_outbox(f);
  assert_int_equal(kiosk_outbox_count(ob), 11);
  for (int i = 0; i < 11; i++) {
    const kiosk_outbox_item *item = kiosk_outbox_at(ob, (size_t)i);
    assert_string_equal(room_of(item), rooms[i]);
    /* A retry after a crash must use the same key. */
    assert_string_equal(item->idempotency_key, keys[i]);
  }
  kiosk_outbox_close(ob);
}

static void test_sequence_continues_after_reopen(void **state)
{
  fixture *f = *state;
  kiosk_outbox *ob = open_outbox(f);
  append_repair(ob, "301", NULL);
  append_repair(ob, "302", NULL);
  kiosk_outbox_close(ob);
  ob = open_outbox(f);
  append_repair(ob, "303", NULL);
  assert_int_equal(kiosk_outbox_count(ob), 3);
  assert_string_equal(room_of(kiosk_outbox_at(ob, 2)), "303");
  assert_true(kiosk_outbox_at(ob, 1)->seq < kiosk_outbox_at(ob, 2)->seq);
  kiosk_outbox_close(ob);
}

static void test_complete_delivered_removes_and_records(void **state)
{
  fixture *f = *state;
  kiosk_outbox *ob = open_outbox(f);
  char ref[KIOSK_OUTBOX_REF_SIZE];
  append_repair(ob, "301", ref);
  append_repair(ob, "302", NULL);
  json_t *answer = json_pack("{s:s, s:s}", "ticket", "R-20261126-0042", "status", "submitted");
  json_t *record = NULL;
  assert_int_equal(kiosk_outbox_complete(ob, kiosk_outbox_at(ob, 0)->seq, 201, answer, &record),
                   LOBBY_OK);
  json_decref(answer);
  assert_string_equal(json_string_value(json_object_get(record, "state")), "delivered");
  assert_string_equal(json_string_value(json_object_get(record, "ticket")), "R-20261126-0042");
  json_decref(record);
  assert_int_equal(kiosk_outbox_count(ob), 1);
  assert_string_equal(room_of(kiosk_outbox_at(ob, 0)), "302");
  kiosk_outbox_close(ob);

  ob = open_outbox(f);
  assert_int_equal(kiosk_outbox_count(ob), 1);
  json_t *found = NULL;
  assert_int_equal(kiosk_outbox_lookup(ob, ref, &found), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(found, "state")), "delivered");
  assert_string_equal(json_string_value(json_object_get(found, "ticket")), "R-20261126-0042");
  assert_true(json_is_null(json_object_get(found, "visit_id")));
  json_decref(found);
  kiosk_outbox_close(ob);
}

static void test_complete_visit_records_pass_code(void **state)
{
  kiosk_outbox *ob = open_outbox(*state);
  json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:i, s:n}", "name", "李四", "phone",
                           "13900001111", "host", "1-2-301", "purpose", "family", "party_size", 1,
                           "plate");
  const kiosk_outbox_item *item = NULL;
  assert_int_equal(kiosk_outbox_append(ob, KIOSK_SUBMIT_VISIT, body, &item), LOBBY_OK);
  json_decref(body);
  char ref[KIOSK_OUTBOX_REF_SIZE];
  snprintf(ref, sizeof ref, "%s", item->ref);
  json_t *answer = json_pack("{s:s, s:s, s:s}", "id", "v_12", "state", "approved", "pass_code", "K7M3QX");
  assert_int_equal(kiosk_outbox_complete(ob, item->seq, 201, answer, NULL), LOBBY_OK);
  json_decref(answer);
  json_t *found = NULL;
  assert_int_equal(kiosk_outbox_lookup(ob, ref, &found), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(found, "visit_id")), "v_12");
  assert_string_equal(json_string_value(json_object_get(found, "pass_code")), "K7M3QX");
  assert_true(json_is_null(json_object_get(found, "ticket")));
  json_decref(found);
  kiosk_outbox_close(ob);
}

/* A complaint survives a restart as a complaint, goes to its own path,
 * and its record keeps the "C-" number the server gave as the ticket. */
static void test_complaint_kind_reloads_and_records_number(void **state)
{
  kiosk_outbox *ob = open_outbox(*state);
  json_t *body = json_pack("{s:s, s:s, s:s, s:n}", "kind", "suggestion", "category", "parking", "description",
                           "希望增加充电桩", "unit");
  const kiosk_outbox_item *item = NULL;
  assert_int_equal(kiosk_outbox_append(ob, KIOSK_SUBMIT_COMPLAINT, body, &item), LOBBY_OK);
  json_decref(body);
  char ref[KIOSK_OUTBOX_REF_SIZE];
  snprintf(ref, sizeof ref, "%s", item->ref);
  kiosk_outbox_close(ob);
  ob = open_outbox(*state);
  assert_int_equal(kiosk_outbox_count(ob), 1);
  item = kiosk_outbox_at(ob, 0);
  assert_int_equal(item->kind, KIOSK_SUBMIT_COMPLAINT);
  assert_string_equal(kiosk_submit_kind_name(item->kind), "complaint");
  assert_string_equal(kiosk_submit_kind_path(item->kind), "/api/v1/complaints");
  assert_string_equal(kiosk_submit_kind_id_key(item->kind), "number");
  assert_string_equal(json_string_value(json_object_get(item->body, "description")), "希望增加充电桩");
  json_t *answer = json_pack("{s:s, s:s, s:s}", "number", "C-20261202-0001", "status", "submitted", "kind",
                             "suggestion");
  assert_int_equal(kiosk_outbox_complete(ob, item->seq, 201, answer, NULL), LOBBY_OK);
  json_decref(answer);
  json_t *found = NULL;
  assert_int_equal(kiosk_outbox_lookup(ob, ref, &found), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(found, "state")), "delivered");
  assert_string_equal(json_string_value(json_object_get(found, "ticket")), "C-20261202-0001");
  assert_true(json_is_null(json_object_get(found, "visit_id")));
  json_decref(found);
  kiosk_outbox_close(ob);
}

/* An item release (物品放行) survives a restart as a release, goes to its
 * own path, and its record keeps the "F-" number as the ticket. */
static void test_release_kind_reloads_and_records_number(void **state)
{
  kiosk_outbox *ob = open_outbox(*state);
  json_t *body = json_pack("{s:{s:s, s:s, s:s}, s:s, s:s, s:n, s:s, s:s}", "unit", "building", "1", "unit", "2",
                           "room", "301", "items", "旧沙发一张", "date", "2026-12-03", "plate", "name", "王女士",
                           "phone", "13800138000");
  const kiosk_outbox_item *item = NULL;
  assert_int_equal(kiosk_outbox_append(ob, KIOSK_SUBMIT_RELEASE, body, &item), LOBBY_OK);
  json_decref(body);
  char ref[KIOSK_OUTBOX_REF_SIZE];
  snprintf(ref, sizeof ref, "%s", item->ref);
  kiosk_outbox_close(ob);
  ob = open_outbox(*state);
  assert_int_equal(kiosk_outbox_count(ob), 1);
  item = kiosk_outbox_at(ob, 0);
  assert_int_equal(item->kind, KIOSK_SUBMIT_RELEASE);
  assert_string_equal(kiosk_submit_kind_name(item->kind), "release");
  assert_string_equal(kiosk_submit_kind_path(item->kind), "/api/v1/releases");
  assert_string_equal(kiosk_submit_kind_id_key(item->kind), "number");
  assert_string_equal(json_string_value(json_object_get(item->body, "items")), "旧沙发一张");
  json_t *answer = json_pack("{s:s, s:s, s:s, s:s}", "number", "F-20261202-0001", "status", "submitted", "date",
                             "2026-12-03", "created_at", "2026-12-02T10:00:00+08:00");
  assert_int_equal(kiosk_outbox_complete(ob, item->seq, 201, answer, NULL), LOBBY_OK);
  json_decref(answer);
  json_t *found = NULL;
  assert_int_equal(kiosk_outbox_lookup(ob, ref, &found), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(found, "state")), "delivered");
  assert_string_equal(json_string_value(json_object_get(found, "ticket")), "F-20261202-0001");
  assert_true(json_is_null(json_object_get(found, "visit_id")));
  json_decref(found);
  kiosk_outbox_close(ob);
}

static void test_complete_rejected_keeps_error(void **state)
{
  kiosk_outbox *ob = open_outbox(*state);
  char ref[KIOSK_OUTBOX_REF_SIZE];
  append_repair(ob, "301", ref);
  json_t *answer = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "invalid_field", "message",
                             "phone: not a mainland mobile or landline number", "field", "phone");
  assert_int_equal(kiosk_outbox_complete(ob, kiosk_outbox_at(ob, 0)->seq, 400, answer, NULL), LOBBY_OK);
  json_decref(answer);
  assert_int_equal(kiosk_outbox_count(ob), 0);
  json_t *found = NULL;
  assert_int_equal(kiosk_outbox_lookup(ob, ref, &found), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(found, "state")), "rejected");
  assert_int_equal(json_integer_value(json_object_get(found, "http_status")), 400);
  json_t *error = json_object_get(found, "error");
  assert_string_equal(json_string_value(json_object_get(error, "code")), "invalid_field");
  assert_string_equal(json_string_value(json_object_get(error, "field")), "phone");
  json_decref(found);
  kiosk_outbox_close(ob);
}

static void test_lookup_queued_and_unknown(void **state)
{
  kiosk_outbox *ob = open_outbox(*state);
  char ref[KIOSK_OUTBOX_REF_SIZE];
  append_repair(ob, "301", ref);
  json_t *found = NULL;
  assert_int_equal(kiosk_outbox_lookup(ob, ref, &found), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(found, "state")), "queued");
  json_decref(found);
  /* Typed on a keypad in lower case. */
  char lower[KIOSK_OUTBOX_REF_SIZE];
  snprintf(lower, sizeof lower, "q-%s", ref + 2);
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  assert_int_equal(kiosk_outbox_lookup(ob, lower, &found), LOBBY_OK);
  json_decref(found);
  assert_int_equal(kiosk_outbox_lookup(ob, "Q-333333", &found), LOBBY_ENOTFOUND);
  assert_int_equal(kiosk_outbox_lookup(ob, "../../etc/passwd", &found), LOBBY_ENOTFOUND);
  assert_int_equal(kiosk_outbox_lookup(ob, "", &found), LOBBY_ENOTFOUND);
  kiosk_outbox_close(ob);
}

static void test_complete_unknown_seq(void **state)
{
  kiosk_outbox *ob = open_outbox(*state);
  assert_int_equal(kiosk_outbox_complete(ob, 99, 201, NULL, NULL), LOBBY_ENOTFOUND);
  kiosk_outbox_close(ob);
}

static void test_torn_temp_file_is_ignored(void **state)
{
  fixture *f = *state;
  kiosk_outbox *ob = open_outbox(f);
  append_repair(ob, "301", NULL);
  kiosk_outbox_close(ob);
  /* What a power cut in the middle of lobby_fs_write_atomic leaves. */
  write_file(f, "outbox/0000000000000002.json.tmp", "{\"seq\":2,\"kind\":\"rep");
  write_file(f, "refs/Q-777777.json.tmp", "{\"ref\":");
  ob = open_outbox(f);
  assert_int_equal(kiosk_outbox_count(ob), 1);
  assert_string_equal(room_of(kiosk_outbox_at(ob, 0)), "301");
  assert_false(file_exists(f, "outbox/0000000000000002.json.tmp"));
  assert_false(file_exists(f, "refs/Q-777777.json.tmp"));
  kiosk_outbox_close(ob);
}

static void test_corrupt_item_is_moved_aside(void **state)
{
  fixture *f = *state;
  kiosk_outbox *ob = open_outbox(f);
  append_repair(ob, "301", NULL);
  kiosk_outbox_close(ob);
  write_file(f, "outbox/0000000000000007.json", "not json at all");
  write_file(f, "outbox/0000000000000008.json", "{\"kind\":\"repair\",\"ref\":\"../x\"}");
  write_file(f, "outbox/notes.txt", "ignored");
  ob = open_outbox(f);
  assert_int_equal(kiosk_outbox_count(ob), 1);
  assert_true(file_exists(f, "outbox/0000000000000007.json.corrupt"));
  assert_true(file_exists(f, "outbox/0000000000000008.json.corrupt"));
  /* New items still go after the damaged ones' numbers. */
  append_repair(ob, "302", NULL);
  assert_string_equal(room_of(kiosk_outbox_at(ob, 1)), "302");
  assert_true(kiosk_outbox_at(ob, 1)->seq > 8);
  kiosk_outbox_close(ob);
}

static void test_append_rejects_bad_input(void **state)
{
  kiosk_outbox *ob = open_outbox(*state);
  json_t *not_object = json_string("x");
  assert_int_equal(kiosk_outbox_append(ob, KIOSK_SUBMIT_REPAIR, not_object, NULL), LOBBY_EINVAL);
  assert_int_equal(kiosk_outbox_append(ob, KIOSK_SUBMIT_REPAIR, NULL, NULL), LOBBY_EINVAL);
  json_decref(not_object);
  assert_int_equal(kiosk_outbox_count(ob), 0);
  kiosk_outbox_close(ob);
}

static void test_append_fails_cleanly_without_directory(void **state)
{
  fixture *f = *state;
  kiosk_outbox *ob = open_outbox(f);
  char outbox_dir[128];
  snprintf(outbox_dir, sizeof outbox_dir, "%s/outbox", f->dir);
  assert_int_equal(rmdir(outbox_dir), 0);
  json_t *body = repair_body("301");
  assert_int_not_equal(kiosk_outbox_append(ob, KIOSK_SUBMIT_REPAIR, body, NULL), LOBBY_OK);
  json_decref(body);
  assert_int_equal(kiosk_outbox_count(ob), 0);
  kiosk_outbox_close(ob);
}

int main(void)
{
  if (sodium_init() < 0)
    return 1;
  lobby_log_set_level(LOBBY_LOG_ERROR);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_append_assigns_ref_and_key, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reopen_keeps_items_in_order, setup, teardown),
    cmocka_unit_test_setup_teardown(test_sequence_continues_after_reopen, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complete_delivered_removes_and_records, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complete_visit_records_pass_code, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complaint_kind_reloads_and_records_number, setup, teardown),
    cmocka_unit_test_setup_teardown(test_release_kind_reloads_and_records_number, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complete_rejected_keeps_error, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lookup_queued_and_unknown, setup, teardown),
    cmocka_unit_test_setup_teardown(test_complete_unknown_seq, setup, teardown),
    cmocka_unit_test_setup_teardown(test_torn_temp_file_is_ignored, setup, teardown),
    cmocka_unit_test_setup_teardown(test_corrupt_item_is_moved_aside, setup, teardown),
    cmocka_unit_test_setup_teardown(test_append_rejects_bad_input, setup, teardown),
    cmocka_unit_test_setup_teardown(test_append_fails_cleanly_without_directory, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
