/* kiosk_api.c against the fake network thread: the exact paths and bodies
 * it sends (values URL-encoded, keys in the server's order), and answers
 * of the wrong shape refused with an error rather than trusted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "fake_net.h"
#include "kiosk_api.h"

static int reset(void **state)
{
  (void)state;
  fake_net_reset();
  return 0;
}

/* The last body sent, compact, in the order it was built. */
static char *last_body_text(void)
{
  return json_dumps(fake_net.last_body, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

static kiosk_event answer(kiosk_result_state state, int status, json_t *body)
{
  kiosk_event ev;
  memset(&ev, 0, sizeof ev);
  ev.kind = KIOSK_EV_RESULT;
  ev.state = state;
  ev.http_status = status;
  ev.body = body;
  return ev;
}

static void test_lookup_path_is_encoded(void **state)
{
  (void)state;
  uint64_t id = 0;
  assert_int_equal(kiosk_api_repair_lookup(fake_net_handle(), "R-20261126-0042", "5678", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_method, "GET");
  assert_string_equal(fake_net.last_path, "/api/v1/repairs/lookup?ticket=R-20261126-0042&phone_last4=5678");
  assert_int_equal(id, fake_net.last_id);
  /* Characters that would end the value, start another or be taken as a
   * path, a fragment or an escape are sent escaped; so is UTF-8. */
  assert_int_equal(kiosk_api_repair_lookup(fake_net_handle(), "R-1 2/3&x=1?#%~._", "12+4", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_path,
                      "/api/v1/repairs/lookup?ticket=R-1%202%2F3%26x%3D1%3F%23%25~._&phone_last4=12%2B4");
  assert_int_equal(kiosk_api_repair_lookup(fake_net_handle(), "单\r\n", "", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_path, "/api/v1/repairs/lookup?ticket=%E5%8D%95%0D%0A&phone_last4=");
  assert_int_equal(fake_net.calls, 3);
}

static void test_refused_requests_send_nothing(void **state)
{
  (void)state;
  uint64_t id = 0;
  char long_ticket[200];
  memset(long_ticket, '/', sizeof long_ticket - 1);
  long_ticket[sizeof long_ticket - 1] = '\0';
  /* 199 slashes are 597 bytes escaped: too long for a path, refused. */
  assert_int_equal(kiosk_api_repair_lookup(fake_net_handle(), long_ticket, "1234", &id), LOBBY_EINVAL);
  assert_int_equal(kiosk_api_repair_lookup(fake_net_handle(), NULL, "1234", &id), LOBBY_EINVAL);
  assert_int_equal(kiosk_api_visit_status(fake_net_handle(), "", NULL, 50, &id), LOBBY_EINVAL);
  assert_int_equal(kiosk_api_visit_cancel(fake_net_handle(), NULL, &id), LOBBY_EINVAL);
  assert_int_equal(kiosk_api_visit_checkout(fake_net_handle(), NULL, &id), LOBBY_EINVAL);
  assert_int_equal(fake_net.calls, 0);
  /* No network yet: nothing to send with. */
  assert_int_equal(kiosk_api_repair_lookup(NULL, "R-20261126-0042", "5678", &id), LOBBY_EIO);
  assert_int_equal(kiosk_api_visit_checkout(NULL, "K7M3QX4A", &id), LOBBY_EIO);
  assert_int_equal(kiosk_api_ref_lookup(NULL, "Q-7K3M9X", &id), LOBBY_EIO);
  kiosk_api_visit v = {"李四", "13900001111", "ACME", "business", 1, NULL};
  assert_int_equal(kiosk_api_visit_submit(NULL, &v, &id), LOBBY_EIO);
  assert_int_equal(fake_net.calls + fake_net.submits + fake_net.lookups, 0);
}

static void test_visit_paths_and_long_poll(void **state)
{
  (void)state;
  uint64_t id = 0;
  assert_int_equal(kiosk_api_visit_status(fake_net_handle(), "v_0123456789abcdef", "", 50, &id), LOBBY_OK);
  assert_string_equal(fake_net.last_method, "GET");
  assert_string_equal(fake_net.last_path, "/api/v1/visits/v_0123456789abcdef/status");
  assert_string_equal(fake_net.last_etag, "");
  assert_int_equal(fake_net.last_wait, 0);
  assert_int_equal(kiosk_api_visit_status(fake_net_handle(), "v_0123456789abcdef", "\"pending\"", 50, &id), LOBBY_OK);
  assert_string_equal(fake_net.last_etag, "\"pending\"");
  assert_int_equal(fake_net.last_wait, 50);
  /* An id from the server is one path segment, whatever it holds. */
  assert_int_equal(kiosk_api_visit_cancel(fake_net_handle(), "../kiosks/x?y", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_method, "POST");
  assert_string_equal(fake_net.last_path, "/api/v1/visits/..%2Fkiosks%2Fx%3Fy/cancel");
  assert_null(fake_net.last_body);
  assert_int_equal(kiosk_api_visit_checkout(fake_net_handle(), "K7M3QX4A", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_path, "/api/v1/visits/checkout");
  char *text = last_body_text();
  assert_string_equal(text, "{\"pass_code\":\"K7M3QX4A\"}");
  free(text);
  assert_int_equal(kiosk_api_invite_checkin(fake_net_handle(), "ABCD3467", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_path, "/api/v1/visits/invite-checkin");
  text = last_body_text();
  assert_string_equal(text, "{\"invite_code\":\"ABCD3467\"}");
  free(text);
  assert_int_equal(kiosk_api_ref_lookup(fake_net_handle(), "Q-7K3M9X", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_ref, "Q-7K3M9X");
}

static void test_submission_bodies(void **state)
{
  (void)state;
  uint64_t id = 0;
  kiosk_api_repair r = {.building = "1", .unit = "2", .room = "301", .name = "张三", .phone = "13812345678",
                        .category = "water", .kind = "in_unit", .urgency = "appointment",
                        .preferred_from = "2026-11-27T09:00:00+08:00", .preferred_to = "2026-11-27T12:00:00+08:00",
                        .description = "厨房水龙头漏水"};
  assert_int_equal(kiosk_api_repair_submit(fake_net_handle(), &r, &id), LOBBY_OK);
  assert_int_equal(fake_net.last_kind, KIOSK_SUBMIT_REPAIR);
  char *text = last_body_text();
  assert_string_equal(text, "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"张三\","
                            "\"phone\":\"13812345678\",\"category\":\"water\",\"kind\":\"in_unit\","
                            "\"urgency\":\"appointment\",\"preferred_time\":{\"from\":\"2026-11-27T09:00:00+08:00\","
                            "\"to\":\"2026-11-27T12:00:00+08:00\"},\"description\":\"厨房水龙头漏水\"}");
  free(text);
  r.preferred_from = r.preferred_to = NULL;
  r.urgency = "normal";
  assert_int_equal(kiosk_api_repair_submit(fake_net_handle(), &r, &id), LOBBY_OK);
  assert_true(json_is_null(json_object_get(fake_net.last_body, "preferred_time")));
  kiosk_api_visit v = {"李四", "13900001111", "1-2-301", "family", 2, ""};
  assert_int_equal(kiosk_api_visit_submit(fake_net_handle(), &v, &id), LOBBY_OK);
  assert_int_equal(fake_net.last_kind, KIOSK_SUBMIT_VISIT);
  text = last_body_text();
  assert_string_equal(text, "{\"name\":\"李四\",\"phone\":\"13900001111\",\"host\":\"1-2-301\",\"purpose\":\"family\","
                            "\"party_size\":2,\"plate\":null}");
  free(text);
  v.plate = "粤B12345";
  assert_int_equal(kiosk_api_visit_submit(fake_net_handle(), &v, &id), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(fake_net.last_body, "plate")), "粤B12345");
  assert_int_equal(fake_net.submits, 4);
}

static void test_receipt(void **state)
{
  (void)state;
  kiosk_api_repair_receipt rc;
  kiosk_event ev = answer(KIOSK_RESULT_DELIVERED, 201,
                          json_pack("{s:s, s:s}", "ticket", "R-20261126-0042", "due_at", "2026-11-26T18:00:00+08:00"));
  assert_int_equal(kiosk_api_parse_repair_receipt(&ev, &rc), LOBBY_OK);
  assert_string_equal(rc.ticket, "R-20261126-0042");
  assert_string_equal(rc.due_at, "2026-11-26T18:00:00+08:00");
  json_decref(ev.body);
  /* No ticket, a ticket of another type, a list, no body, an error. */
  const char *bad[] = {"{\"status\":\"submitted\"}", "{\"ticket\":42}", "[\"R-20261126-0042\"]", "\"R-1\""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ev = answer(KIOSK_RESULT_DELIVERED, 201, json_loads(bad[i], JSON_DECODE_ANY, NULL));
    assert_non_null(ev.body);
    assert_int_equal(kiosk_api_parse_repair_receipt(&ev, &rc), LOBBY_EINVAL);
    assert_string_equal(rc.ticket, "");
    json_decref(ev.body);
  }
  ev = answer(KIOSK_RESULT_DELIVERED, 201, NULL);
  assert_int_equal(kiosk_api_parse_repair_receipt(&ev, &rc), LOBBY_EINVAL);
  ev = answer(KIOSK_RESULT_DELIVERED, 400, json_pack("{s:s}", "ticket", "R-20261126-0042"));
  assert_int_equal(kiosk_api_parse_repair_receipt(&ev, &rc), LOBBY_EINVAL);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_QUEUED, 0, NULL);
  assert_int_equal(kiosk_api_parse_repair_receipt(&ev, &rc), LOBBY_EINVAL);
  assert_int_equal(kiosk_api_parse_repair_receipt(NULL, &rc), LOBBY_EINVAL);
}

/* Complaints: the body in the server's order (unit null and no contact
 * when anonymous), the look-up's path encoded, the receipt and the public
 * status read, and answers of another shape refused. */
static void test_complaints(void **state)
{
  (void)state;
  uint64_t id = 0;
  kiosk_api_complaint in = {.kind = "complaint", .category = "noise_neighbours", .description = "楼上噪音",
                            .building = "1", .unit = "2", .room = "301", .name = "王女士", .phone = "13800138000"};
  assert_int_equal(kiosk_api_complaint_submit(fake_net_handle(), &in, &id), LOBBY_OK);
  assert_int_equal(fake_net.last_kind, KIOSK_SUBMIT_COMPLAINT);
  char *text = last_body_text();
  assert_string_equal(text, "{\"kind\":\"complaint\",\"category\":\"noise_neighbours\",\"description\":\"楼上噪音\","
                            "\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"name\":\"王女士\","
                            "\"phone\":\"13800138000\"}");
  free(text);
  kiosk_api_complaint anon = {.kind = "suggestion", .category = "parking", .description = "多装充电桩"};
  assert_int_equal(kiosk_api_complaint_submit(fake_net_handle(), &anon, &id), LOBBY_OK);
  text = last_body_text();
  assert_string_equal(text, "{\"kind\":\"suggestion\",\"category\":\"parking\",\"description\":\"多装充电桩\",\"unit\":null}");
  free(text);
  anon.kind = NULL;
  assert_int_equal(kiosk_api_complaint_submit(fake_net_handle(), &anon, &id), LOBBY_EINVAL);
  assert_int_equal(fake_net.submits, 2);
  assert_int_equal(kiosk_api_complaint_lookup(fake_net_handle(), "C-20261202-0001", "8 0&", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_path, "/api/v1/complaints/lookup?number=C-20261202-0001&phone_last4=8%200%26");

  kiosk_api_complaint_receipt rc;
  kiosk_event ev = answer(KIOSK_RESULT_DELIVERED, 201,
                          json_pack("{s:s, s:s}", "number", "C-20261202-0001", "reply_due_at", "2026-12-03T10:15:00+08:00"));
  assert_int_equal(kiosk_api_parse_complaint_receipt(&ev, &rc), LOBBY_OK);
  assert_string_equal(rc.number, "C-20261202-0001");
  assert_string_equal(rc.reply_due_at, "2026-12-03T10:15:00+08:00");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 201, json_pack("{s:s}", "ticket", "R-20261126-0042"));
  assert_int_equal(kiosk_api_parse_complaint_receipt(&ev, &rc), LOBBY_EINVAL);
  json_decref(ev.body);

  kiosk_api_complaint_status cs;
  ev = answer(KIOSK_RESULT_DELIVERED, 200,
              json_pack("{s:s, s:s, s:s, s:s, s:n, s:n, s:s}", "number", "C-20261202-0001", "kind", "complaint",
                        "category", "fees", "status", "accepted", "reply", "replied_at", "reply_due_at",
                        "2026-12-03T10:15:00+08:00"));
  assert_int_equal(kiosk_api_parse_complaint_status(&ev, &cs), LOBBY_OK);
  assert_string_equal(cs.status, "accepted");
  assert_string_equal(cs.category, "fees");
  assert_string_equal(cs.reply, "");
  assert_string_equal(cs.replied_at, "");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("[s]", "C-20261202-0001"));
  assert_int_equal(kiosk_api_parse_complaint_status(&ev, &cs), LOBBY_EINVAL);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 404, json_pack("{s:s}", "number", "C-20261202-0001"));
  assert_int_equal(kiosk_api_parse_complaint_status(&ev, &cs), LOBBY_EINVAL);
  json_decref(ev.body);
}

/* Item releases: the body in the server's order (the plate null when
 * none), every required member checked before anything is sent, the
 * look-up's path encoded, the receipt and the public status read (a null
 * code is ""), and answers of another shape refused. */
static void test_releases(void **state)
{
  (void)state;
  uint64_t id = 0;
  kiosk_api_release in = {.building = "1", .unit = "2", .room = "301", .items = "旧沙发一张", .date = "2026-12-05",
                          .plate = "粤B12345", .name = "王女士", .phone = "13800138000"};
  assert_int_equal(kiosk_api_release_submit(fake_net_handle(), &in, &id), LOBBY_OK);
  assert_int_equal(fake_net.last_kind, KIOSK_SUBMIT_RELEASE);
  char *text = last_body_text();
  assert_string_equal(text, "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"items\":\"旧沙发一张\","
                            "\"date\":\"2026-12-05\",\"plate\":\"粤B12345\",\"name\":\"王女士\","
                            "\"phone\":\"13800138000\"}");
  free(text);
  in.plate = "";
  assert_int_equal(kiosk_api_release_submit(fake_net_handle(), &in, &id), LOBBY_OK);
  text = last_body_text();
  assert_non_null(strstr(text, "\"plate\":null"));
  free(text);
  in.date = NULL;
  assert_int_equal(kiosk_api_release_submit(fake_net_handle(), &in, &id), LOBBY_EINVAL);
  in.date = "2026-12-05";
  in.room = NULL;
  assert_int_equal(kiosk_api_release_submit(fake_net_handle(), &in, &id), LOBBY_EINVAL);
  assert_int_equal(fake_net.submits, 2);
  assert_int_equal(kiosk_api_release_submit(NULL, &in, &id), LOBBY_EINVAL);
  in.room = "301";
  assert_int_equal(kiosk_api_release_submit(NULL, &in, &id), LOBBY_EIO);
  assert_int_equal(kiosk_api_release_lookup(fake_net_handle(), "F-20261203-0001", "8 0&", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_method, "GET");
  assert_string_equal(fake_net.last_path, "/api/v1/releases/lookup?number=F-20261203-0001&phone_last4=8%200%26");

  kiosk_api_release_receipt rc;
  kiosk_event ev = answer(KIOSK_RESULT_DELIVERED, 201,
                          json_pack("{s:s, s:s, s:s}", "number", "F-20261203-0001", "status", "submitted", "date",
                                    "2026-12-05"));
  assert_int_equal(kiosk_api_parse_release_receipt(&ev, &rc), LOBBY_OK);
  assert_string_equal(rc.number, "F-20261203-0001");
  assert_string_equal(rc.date, "2026-12-05");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 201, json_pack("{s:s}", "ticket", "R-20261126-0042"));
  assert_int_equal(kiosk_api_parse_release_receipt(&ev, &rc), LOBBY_EINVAL);
  json_decref(ev.body);

  kiosk_api_release_status rs;
  ev = answer(KIOSK_RESULT_DELIVERED, 200,
              json_pack("{s:s, s:s, s:s, s:s, s:n, s:s, s:n, s:b, s:n, s:s}", "number", "F-20261203-0001", "status",
                        "approved", "date", "2026-12-05", "items", "旧沙发一张", "plate", "code", "482915", "reason",
                        "expired", 0, "used_at", "created_at", "2026-12-03T10:00:05+08:00"));
  assert_int_equal(kiosk_api_parse_release_status(&ev, &rs), LOBBY_OK);
  assert_string_equal(rs.number, "F-20261203-0001");
  assert_string_equal(rs.status, "approved");
  assert_string_equal(rs.date, "2026-12-05");
  assert_string_equal(rs.items, "旧沙发一张");
  assert_string_equal(rs.plate, "");
  assert_string_equal(rs.code, "482915");
  assert_string_equal(rs.reason, "");
  assert_false(rs.expired);
  assert_string_equal(rs.used_at, "");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 200,
              json_pack("{s:s, s:s, s:b, s:s}", "number", "F-20261201-0003", "status", "approved", "expired", 1,
                        "reason", "住户来电取消"));
  assert_int_equal(kiosk_api_parse_release_status(&ev, &rs), LOBBY_OK);
  assert_true(rs.expired);
  assert_string_equal(rs.code, "");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:s}", "number", "F-20261203-0001")); /* no status */
  assert_int_equal(kiosk_api_parse_release_status(&ev, &rs), LOBBY_EINVAL);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 404, json_pack("{s:s, s:s}", "number", "F-20261203-0001", "status", "used"));
  assert_int_equal(kiosk_api_parse_release_status(&ev, &rs), LOBBY_EINVAL);
  json_decref(ev.body);
}

static void test_status_and_timeline(void **state)
{
  (void)state;
  kiosk_api_repair_status st;
  json_t *tl = json_array();
  for (int i = 0; i < 100; i++)
    json_array_append_new(tl, json_pack("{s:s, s:s}", "status", i == 99 ? "on_site" : "accepted", "at",
                                        "2026-11-26T10:02:00+08:00"));
  json_array_append_new(tl, json_string("not an entry"));
  char long_ticket[128];
  for (int i = 0; i < 40; i++)
    memcpy(long_ticket + 3 * i, "单", 3);
  long_ticket[120] = '\0';
  kiosk_event ev = answer(KIOSK_RESULT_DELIVERED, 200,
                          json_pack("{s:s, s:s, s:i, s:b, s:o}", "ticket", long_ticket, "status", "on_site",
                                    "category", 7, "overdue", 1, "timeline", tl));
  assert_int_equal(kiosk_api_parse_repair_status(&ev, &st), LOBBY_OK);
  /* Cut on a character boundary: ten 3-byte characters fit in 31 bytes. */
  assert_int_equal(strlen(st.ticket), 30);
  assert_string_equal(st.status, "on_site");
  assert_string_equal(st.category, "");
  assert_true(st.overdue);
  /* The newest entries are kept, and one that is no entry reads empty. */
  assert_int_equal(st.n_timeline, KIOSK_API_TIMELINE_MAX);
  assert_string_equal(st.timeline[KIOSK_API_TIMELINE_MAX - 2].status, "on_site");
  assert_string_equal(st.timeline[KIOSK_API_TIMELINE_MAX - 1].status, "");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:s, s:s}", "ticket", "R-1", "timeline", "none"));
  assert_int_equal(kiosk_api_parse_repair_status(&ev, &st), LOBBY_OK);
  assert_int_equal(st.n_timeline, 0);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_array());
  assert_int_equal(kiosk_api_parse_repair_status(&ev, &st), LOBBY_EINVAL);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 404, json_object());
  assert_int_equal(kiosk_api_parse_repair_status(&ev, &st), LOBBY_EINVAL);
  json_decref(ev.body);
}

static void test_visit_and_ref_answers(void **state)
{
  (void)state;
  kiosk_api_visit_record v;
  kiosk_event ev = answer(KIOSK_RESULT_DELIVERED, 201,
                          json_pack("{s:s, s:s, s:n, s:s}", "id", "v_9", "state", "refused", "pass_code", "reason",
                                    "not expected"));
  assert_int_equal(kiosk_api_parse_visit(&ev, &v), LOBBY_OK);
  assert_string_equal(v.id, "v_9");
  assert_int_equal(v.state, KIOSK_API_VISIT_REFUSED);
  assert_string_equal(v.pass_code, "");
  assert_string_equal(v.reason, "not expected");
  json_decref(ev.body);
  const char *states[] = {"pending", "approved", "checked_out", "cancelled", "whatever"};
  const kiosk_api_visit_state want[] = {KIOSK_API_VISIT_PENDING, KIOSK_API_VISIT_APPROVED, KIOSK_API_VISIT_ENDED,
                                        KIOSK_API_VISIT_ENDED, KIOSK_API_VISIT_ENDED};
  for (size_t i = 0; i < 5; i++) {
    ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:s}", "state", states[i]));
    assert_int_equal(kiosk_api_parse_visit(&ev, &v), LOBBY_OK);
    assert_int_equal(v.state, want[i]);
    json_decref(ev.body);
  }
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:i}", "state", 3));
  assert_int_equal(kiosk_api_parse_visit(&ev, &v), LOBBY_OK);
  assert_int_equal(v.state, KIOSK_API_VISIT_UNSTATED);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_string("approved"));
  assert_int_equal(kiosk_api_parse_visit(&ev, &v), LOBBY_EINVAL);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_FAILED, 0, NULL);
  assert_int_equal(kiosk_api_parse_visit(&ev, &v), LOBBY_EINVAL);
  assert_int_equal(kiosk_api_parse_checkout(&ev), LOBBY_EINVAL);
  ev = answer(KIOSK_RESULT_DELIVERED, 200, NULL);
  assert_int_equal(kiosk_api_parse_checkout(&ev), LOBBY_OK);
  /* A provisional ref: as a look-up's answer and in an outbox event. */
  kiosk_api_ref_status ref;
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:s, s:s, s:n}", "ref", "Q-7K3M9X", "state", "queued", "ticket"));
  assert_int_equal(kiosk_api_parse_ref_status(&ev, &ref), LOBBY_OK);
  assert_string_equal(ref.ref, "Q-7K3M9X");
  assert_int_equal(ref.state, KIOSK_API_REF_QUEUED);
  assert_string_equal(ref.ticket, "");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:s, s:s, s:s}", "ref", "Q-7K3M9X", "state", "delivered",
                                                     "pass_code", "K7M3QX4A"));
  ev.kind = KIOSK_EV_OUTBOX;
  ev.state = KIOSK_RESULT_DELIVERED;
  assert_int_equal(kiosk_api_parse_ref_status(&ev, &ref), LOBBY_OK);
  assert_int_equal(ref.state, KIOSK_API_REF_DELIVERED);
  assert_string_equal(ref.pass_code, "K7M3QX4A");
  json_decref(ev.body);
  ev.body = NULL;
  assert_int_equal(kiosk_api_parse_ref_status(&ev, &ref), LOBBY_EINVAL);
}

/* A contractor worker's sign-in or -out: POST /api/v1/workers/attendance
 * at once (never the outbox); the answer with the name masked again, the
 * unit's codes and the time; the three refusals and nothing else taken
 * for one. */
static void test_worker_attendance(void **state)
{
  (void)state;
  uint64_t id = 0;
  assert_int_equal(kiosk_api_worker_attendance(fake_net_handle(), "K7M3QX4A", &id), LOBBY_OK);
  assert_string_equal(fake_net.last_method, "POST");
  assert_string_equal(fake_net.last_path, "/api/v1/workers/attendance");
  char *text = last_body_text();
  assert_string_equal(text, "{\"pass_code\":\"K7M3QX4A\"}");
  free(text);
  assert_int_equal(fake_net.calls, 1);
  assert_int_equal(fake_net.submits, 0);
  assert_int_equal(id, fake_net.last_id);
  assert_int_equal(kiosk_api_worker_attendance(fake_net_handle(), NULL, &id), LOBBY_EINVAL);
  assert_int_equal(kiosk_api_worker_attendance(NULL, "K7M3QX4A", &id), LOBBY_EIO);
  assert_int_equal(fake_net.calls, 1);

  kiosk_api_attendance a;
  kiosk_event ev = answer(KIOSK_RESULT_DELIVERED, 200,
                          json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:s}", "action", "in", "name", "欧阳娜娜",
                                    "company", "安居装饰", "unit", "building", "1", "unit", "2", "room", "301",
                                    "valid_until", "2026-12-31", "at", "2026-12-03T10:05:00+08:00"));
  assert_int_equal(kiosk_api_parse_attendance(&ev, &a), LOBBY_OK);
  assert_true(a.in);
  assert_string_equal(a.name, "欧***");
  assert_string_equal(a.company, "安居装饰");
  assert_string_equal(a.building, "1");
  assert_string_equal(a.unit, "2");
  assert_string_equal(a.room, "301");
  assert_string_equal(a.valid_until, "2026-12-31");
  assert_string_equal(a.at, "2026-12-03T10:05:00+08:00");
  json_decref(ev.body);
  /* A time as epoch seconds is made ISO; what is missing is "". */
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:s, s:s, s:I}", "action", "out", "name", "王*", "at",
                                                     (json_int_t)1796263200));
  assert_int_equal(kiosk_api_parse_attendance(&ev, &a), LOBBY_OK);
  assert_false(a.in);
  assert_string_equal(a.name, "王*");
  assert_string_equal(a.at, "2026-12-03T02:00:00+00:00");
  assert_string_equal(a.company, "");
  assert_string_equal(a.building, "");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 200, json_pack("{s:s}", "action", "toggle"));
  assert_int_equal(kiosk_api_parse_attendance(&ev, &a), LOBBY_EINVAL);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 201, json_pack("{s:s}", "action", "in"));
  assert_int_equal(kiosk_api_parse_attendance(&ev, &a), LOBBY_EINVAL);
  json_decref(ev.body);

  kiosk_api_attendance_refusal r;
  static const char *const codes[] = {"worker_pass_expired", "worker_pass_revoked", "renovation_not_active"};
  static const kiosk_api_refusal_reason reasons[] = {KIOSK_API_REFUSED_EXPIRED, KIOSK_API_REFUSED_REVOKED,
                                                     KIOSK_API_REFUSED_NOT_ACTIVE};
  for (size_t i = 0; i < 3; i++) {
    ev = answer(KIOSK_RESULT_DELIVERED, 409, json_pack("{s:{s:s, s:s}, s:s}", "error", "code", codes[i], "message",
                                                       "…", "contact", "400-800-1234"));
    assert_int_equal(kiosk_api_parse_attendance_refusal(&ev, &r), LOBBY_OK);
    assert_int_equal(r.reason, reasons[i]);
    assert_string_equal(r.contact, "400-800-1234");
    assert_int_equal(kiosk_api_parse_attendance(&ev, &a), LOBBY_EINVAL);
    json_decref(ev.body);
  }
  ev = answer(KIOSK_RESULT_DELIVERED, 409,
              json_pack("{s:{s:s, s:s}}", "error", "code", "worker_pass_revoked", "contact", "0755-1234567"));
  assert_int_equal(kiosk_api_parse_attendance_refusal(&ev, &r), LOBBY_OK);
  assert_string_equal(r.contact, "0755-1234567");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 409, json_pack("{s:{s:s}}", "error", "code", "conflict"));
  assert_int_equal(kiosk_api_parse_attendance_refusal(&ev, &r), LOBBY_EINVAL);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 404, json_pack("{s:{s:s}}", "error", "code", "worker_pass_expired"));
  assert_int_equal(kiosk_api_parse_attendance_refusal(&ev, &r), LOBBY_EINVAL);
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_FAILED, 0, NULL);
  assert_int_equal(kiosk_api_parse_attendance_refusal(&ev, &r), LOBBY_EINVAL);
  assert_int_equal(kiosk_api_parse_attendance(&ev, &a), LOBBY_EINVAL);
}

static void test_errors(void **state)
{
  (void)state;
  kiosk_api_error e;
  kiosk_api_parse_error(NULL, &e);
  assert_string_equal(e.code, "network");
  kiosk_event ev = answer(KIOSK_RESULT_FAILED, 0, NULL);
  kiosk_api_parse_error(&ev, &e);
  assert_string_equal(e.code, "network");
  assert_string_equal(e.field, "");
  ev = answer(KIOSK_RESULT_DELIVERED, 400, json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "invalid_field", "field",
                                                     "phone", "message", "phone: bad"));
  kiosk_api_parse_error(&ev, &e);
  assert_string_equal(e.code, "invalid_field");
  assert_string_equal(e.field, "phone");
  assert_int_equal(e.http_status, 400);
  json_decref(ev.body);
  /* Without an error object the status says what happened. */
  ev = answer(KIOSK_RESULT_DELIVERED, 404, json_pack("{s:s}", "error", "not found"));
  kiosk_api_parse_error(&ev, &e);
  assert_string_equal(e.code, "not_found");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 502, json_string("<html>"));
  kiosk_api_parse_error(&ev, &e);
  assert_string_equal(e.code, "server");
  json_decref(ev.body);
  ev = answer(KIOSK_RESULT_DELIVERED, 418, NULL);
  kiosk_api_parse_error(&ev, &e);
  assert_string_equal(e.code, "generic");
}

static void test_feed_views(void **state)
{
  (void)state;
  json_t *feed = json_loads("{\"site\": {\"name\": \"阳光花园\", \"service_phone\": 4008001234},"
                            " \"notices\": [{\"id\": 3, \"title\": \"停水通知\", \"pinned\": true}, 7],"
                            " \"emergency\": [], \"directory\": [{\"code\": \"1\", \"units\":"
                            " [{\"code\": \"2\", \"rooms\": [\"301\", 302]}]}, \"x\"]}",
                            0, NULL);
  assert_non_null(feed);
  assert_string_equal(kiosk_api_feed_str(feed, "site", "name"), "阳光花园");
  assert_string_equal(kiosk_api_feed_str(feed, "site", "service_phone"), "");
  assert_string_equal(kiosk_api_feed_str(NULL, "site", "name"), "");
  assert_null(kiosk_api_feed_emergency(feed));
  json_t *notices = kiosk_api_feed_notices(feed);
  kiosk_api_notice n;
  assert_int_equal(kiosk_api_notice_view(json_array_get(notices, 0), &n), LOBBY_OK);
  assert_int_equal(n.id, 3);
  assert_string_equal(n.title, "停水通知");
  assert_string_equal(n.body, "");
  assert_null(n.category);
  assert_true(n.pinned);
  assert_int_equal(kiosk_api_notice_count(notices), 2);
  assert_int_equal(kiosk_api_notice_at(notices, 1, &n), LOBBY_EINVAL);
  assert_string_equal(n.title, "");
  assert_int_equal(n.id, 0);
  assert_int_equal(kiosk_api_notice_at(notices, 2, &n), LOBBY_ENOTFOUND);
  assert_int_equal(kiosk_api_notice_count(NULL), 0);
  json_t *dir = kiosk_api_feed_directory(feed);
  assert_int_equal(kiosk_api_dir_count(dir), 2);
  kiosk_api_building b;
  assert_int_equal(kiosk_api_dir_building(dir, 0, &b), LOBBY_OK);
  assert_string_equal(b.code, "1");
  assert_null(b.name);
  assert_int_equal(b.n_units, 1);
  assert_int_equal(kiosk_api_dir_building(dir, 1, &b), LOBBY_OK);
  assert_null(b.code);
  assert_int_equal(kiosk_api_dir_building(dir, 2, &b), LOBBY_ENOTFOUND);
  kiosk_api_unit u;
  assert_int_equal(kiosk_api_dir_unit(dir, 0, 0, &u), LOBBY_OK);
  assert_int_equal(u.n_rooms, 2);
  assert_string_equal(kiosk_api_dir_room(dir, 0, 0, 0), "301");
  assert_null(kiosk_api_dir_room(dir, 0, 0, 1));
  assert_int_equal(kiosk_api_dir_unit(dir, 1, 0, &u), LOBBY_ENOTFOUND);
  json_decref(feed);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(test_lookup_path_is_encoded, reset),
    cmocka_unit_test_setup(test_refused_requests_send_nothing, reset),
    cmocka_unit_test_setup(test_visit_paths_and_long_poll, reset),
    cmocka_unit_test_setup(test_submission_bodies, reset),
    cmocka_unit_test_setup(test_receipt, reset),
    cmocka_unit_test_setup(test_complaints, reset),
    cmocka_unit_test_setup(test_releases, reset),
    cmocka_unit_test_setup(test_status_and_timeline, reset),
    cmocka_unit_test_setup(test_visit_and_ref_answers, reset),
    cmocka_unit_test_setup(test_worker_attendance, reset),
    cmocka_unit_test_setup(test_errors, reset),
    cmocka_unit_test_setup(test_feed_views, reset),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  fake_net_reset();
  return failed;
}
