/* Argument parsing and the local checks lobbyctl runs before sending. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ctl_args.h"
#include "ctl_cmd.h"
#include "lobby_repair.h"

typedef struct {
  const char *title, *priority;
  bool pinned;
} fake_opts;

static lobby_err parse(fake_opts *o, ctl_pos *pos, ctl_msg *msg, int argc, char **argv)
{
  bool json = false;
  const ctl_opt mine[] = {{"title", &o->title, NULL}, {"priority", &o->priority, NULL},
                          {"pinned", NULL, &o->pinned}, {NULL, NULL, NULL}};
  const ctl_opt globals[] = {{"json", NULL, &json}, {NULL, NULL, NULL}};
  const ctl_opt *sets[] = {mine, globals, NULL};
  memset(o, 0, sizeof *o);
  return ctl_args_parse(argc, argv, sets, pos, msg);
}

static void test_parse_values_flags_positionals(void **state)
{
  (void)state;
  char *argv[] = {"42", "--title", "停水", "--priority=2", "--pinned", "--json", "--", "--x"};
  fake_opts o;
  ctl_pos pos;
  ctl_msg msg;
  assert_int_equal(parse(&o, &pos, &msg, 8, argv), LOBBY_OK);
  assert_string_equal(o.title, "停水");
  assert_string_equal(o.priority, "2");
  assert_true(o.pinned);
  assert_int_equal(pos.n, 2);
  assert_string_equal(pos.items[0], "42");
  assert_string_equal(pos.items[1], "--x");
}

static void expect_parse_error(int argc, char **argv, const char *fragment)
{
  fake_opts o;
  ctl_pos pos;
  ctl_msg msg;
  assert_int_equal(parse(&o, &pos, &msg, argc, argv), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, fragment));
}

static void test_parse_errors(void **state)
{
  (void)state;
  char *unknown[] = {"--titel", "x"};
  expect_parse_error(2, unknown, "unknown option --titel");
  char *twice[] = {"--title", "a", "--title", "b"};
  expect_parse_error(4, twice, "--title given twice");
  char *missing[] = {"--title"};
  expect_parse_error(1, missing, "--title needs a value");
  char *flagval[] = {"--pinned=yes"};
  expect_parse_error(1, flagval, "takes no value");
  char *many[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
  expect_parse_error(9, many, "too many arguments");
}

static void test_positional_count(void **state)
{
  (void)state;
  ctl_pos pos = {.items = {"a", "b"}, .n = 2};
  ctl_msg msg;
  assert_int_equal(ctl_args_positional(&pos, 2, "u", &msg), LOBBY_OK);
  assert_int_equal(ctl_args_positional(&pos, 3, "lobbyctl x A B C", &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "missing argument; usage: lobbyctl x A B C"));
  assert_int_equal(ctl_args_positional(&pos, 1, "u", &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "unexpected argument 'b'"));
}

static void test_choice_lists_accepted_names(void **state)
{
  (void)state;
  ctl_msg msg;
  assert_int_equal(ctl_check_choice("--category", "water", repair_category_names, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_choice("--category", "Water", repair_category_names, &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "--category: unknown value 'Water'; use one of: water, electric, "
                                "door_lock, lift, appliance, public_area, other");
}

static void test_int_range(void **state)
{
  (void)state;
  ctl_msg msg;
  long v = -1;
  assert_int_equal(ctl_check_int("--priority", "3", 0, 3, &v, &msg), LOBBY_OK);
  assert_int_equal(v, 3);
  assert_int_equal(ctl_check_int("--priority", "0", 0, 3, &v, &msg), LOBBY_OK);
  assert_int_equal(v, 0);
  const char *bad[] = {"4", "-1", "", " 1", "+1", "1x", "99999999999999999999", "二"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(ctl_check_int("--priority", bad[i], 0, 3, &v, &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "--priority: '二' is not a whole number from 0 to 3"));
}

static void test_phone(void **state)
{
  (void)state;
  ctl_msg msg;
  const char *good[] = {"13812345678", "+8613812345678", "010-12345678", "0755-1234567-89"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    assert_int_equal(ctl_check_phone("--phone", good[i], &msg), LOBBY_OK);
  const char *bad[] = {"1381234567", "138 1234 5678", "12812345678", "abc", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(ctl_check_phone("--phone", bad[i], &msg), LOBBY_EINVAL);
  /* The message says how to write it. */
  assert_non_null(strstr(msg.text, "13812345678"));
  assert_non_null(strstr(msg.text, "010-12345678"));
}

static void test_text(void **state)
{
  (void)state;
  ctl_msg msg;
  assert_int_equal(ctl_check_text("--name", "欧阳娜娜", 1, 32, false, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_text("--name", "   ", 1, 32, false, &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_text("--name", "a\nb", 1, 32, false, &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_text("--description", "a\nb", 1, 500, true, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_text("--name", "\xFF", 1, 32, false, &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "UTF-8"));
  char long_name[34 * 3 + 1] = "";
  for (int i = 0; i < 33; i++)
    memcpy(long_name + i * 3, "张", 3);
  long_name[33 * 3] = '\0';
  assert_int_equal(ctl_check_text("--name", long_name, 1, 32, false, &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "--name: too long (33 characters); at most 32");
}

static void test_dates_and_times(void **state)
{
  (void)state;
  ctl_msg msg;
  long long t;
  assert_int_equal(ctl_check_date("--date", "2026-11-26", &msg), LOBBY_OK);
  assert_int_equal(ctl_check_date("--date", "2024-02-29", &msg), LOBBY_OK);
  const char *bad[] = {"2026-02-29", "2026-13-01", "2026-00-10", "2026-11-31", "26-11-26",
                       "2026/11/26", "2026-11-26T00:00"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(ctl_check_date("--date", bad[i], &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_time("--starts", "2026-11-26T18:00:00+08:00", &t, &msg), LOBBY_OK);
  assert_int_equal(t, 1795687200LL);
  assert_int_equal(ctl_check_time("--starts", "tomorrow", &t, &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "2026-11-26T18:00:00+08:00"));
}

static void test_codes_tickets_urls(void **state)
{
  (void)state;
  ctl_msg msg;
  assert_int_equal(ctl_check_code("--building", "1", 16, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_code("--building", "A-3_b", 16, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_code("--building", "1号楼", 16, &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_code("--building", "../x", 16, &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_code("--building", "-x", 16, &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_ticket("R-20261126-0042", &msg), LOBBY_OK);
  assert_int_equal(ctl_check_ticket("R-2026-42", &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "R-20261126-0042"));
  assert_int_equal(ctl_check_server_url("http://127.0.0.1:8080", &msg), LOBBY_OK);
  assert_int_equal(ctl_check_server_url("https://lobby.example.cn/", &msg), LOBBY_OK);
  assert_int_equal(ctl_check_server_url("127.0.0.1:8080", &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_server_url("http://a b", &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_server_url(NULL, &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "LOBBY_SERVER"));
  assert_int_equal(ctl_check_required("--title", "x", &msg), LOBBY_OK);
  assert_int_equal(ctl_check_required("--title", NULL, &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "--title is required");
}

static void test_tls_options(void **state)
{
  (void)state;
  ctl_msg msg;
  const char *pin = "sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI=";
  const char *two = "sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI=;"
                    "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  assert_int_equal(ctl_check_tls("https://h:1", NULL, NULL, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_tls("https://h:1", "/dev/null", pin, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_tls("https://h:1", NULL, two, &msg), LOBBY_OK);
  /* Empty values (an exported but empty variable) are no option. */
  assert_int_equal(ctl_check_tls("http://h:1", "", "", &msg), LOBBY_OK);
  assert_int_equal(ctl_check_tls("http://h:1", NULL, pin, &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "is not https://: nothing would be checked"));
  assert_int_equal(ctl_check_tls("http://h:1", "/dev/null", NULL, &msg), LOBBY_EINVAL);
  assert_int_equal(ctl_check_tls("https://h:1", "/nonexistent/ca.crt", NULL, &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "--ca-file /nonexistent/ca.crt cannot be read");
  const char *bad[] = {"sha256//short=", "sha1//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI=",
                       "sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDIx",
                       "sha256//0pwTzqkZVZW2H2dF KI+DM1tTLZD4k5Lk4uUThl1NDI=",
                       "sha256//0pwTzqkZVZW2H2dFDKI+DM1tTLZD4k5Lk4uUThl1NDI=;", NULL};
  for (size_t i = 0; bad[i]; i++)
    assert_int_equal(ctl_check_tls("https://h:1", NULL, bad[i], &msg), LOBBY_EINVAL);
}

static void test_join_names_truncates_safely(void **state)
{
  (void)state;
  static const char *const names[] = {"alpha", "beta", "gamma", NULL};
  char out[12];
  ctl_join_names(names, out, sizeof out);
  assert_string_equal(out, "alpha, beta");
}

static void test_workday(void **state)
{
  (void)state;
  ctl_msg msg;
  char start[6] = "", end[6] = "";
  assert_int_equal(ctl_check_workday("--workday", "08:30-18:00", start, end, &msg), LOBBY_OK);
  assert_string_equal(start, "08:30");
  assert_string_equal(end, "18:00");
  assert_int_equal(ctl_check_workday("--workday", "00:00-23:59", start, end, &msg), LOBBY_OK);
  const char *bad[] = {"8:30-18:00", "08:30 - 18:00", "08:30-24:00", "08:60-18:00", "0830-1800",
                       "08:30", "none", "", "08:30-18:00x", "０8:30-18:00"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(ctl_check_workday("--workday", bad[i], start, end, &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "--workday: '０8:30-18:00' is not working hours; write them as "
                                "08:30-18:00 (24-hour clock)");
  assert_int_equal(ctl_check_workday("--workday", "18:00-08:30", start, end, &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "--workday: the end 08:30 must be after the start 18:00");
  assert_int_equal(ctl_check_workday("--workday", "09:00-09:00", start, end, &msg), LOBBY_EINVAL);
}

static void test_service_phone(void **state)
{
  (void)state;
  ctl_msg msg;
  const char *good[] = {"400-800-1234", "0755 8888 6666", "+86 755 88886666", "110"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    assert_int_equal(ctl_check_service_phone("--phone", good[i], &msg), LOBBY_OK);
  const char *bad[] = {"", "12", "400-800-1234 转 2", "0755.8888", "123456789012345678901234567890123"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(ctl_check_service_phone("--phone", bad[i], &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "--phone: '123456789012345678901234567890123' is not a service phone; "
                                "use 3 to 32 digits, spaces, '+' or '-', e.g. 400-800-1234");
}

static void test_code_list(void **state)
{
  (void)state;
  ctl_msg msg;
  assert_int_equal(ctl_check_code_list("CODE", "north", 16, 32, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_code_list("CODE", "north,south,east-2", 16, 32, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_code_list("CODE", "a,ab,abc", 16, 3, &msg), LOBBY_OK);
  assert_int_equal(ctl_check_code_list("CODE", "a,b,c,d", 16, 3, &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "CODE: at most 3 codes");
  assert_int_equal(ctl_check_code_list("CODE", "north,south,north", 16, 32, &msg), LOBBY_EINVAL);
  assert_string_equal(msg.text, "CODE: 'north' is listed twice");
  assert_int_equal(ctl_check_code_list("CODE", "ab,a", 16, 32, &msg), LOBBY_OK);
  const char *bad[] = {"", ",", "north,", ",north", "north,,south", "north, south", "北区"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(ctl_check_code_list("CODE", bad[i], 16, 32, &msg), LOBBY_EINVAL);
  assert_non_null(strstr(msg.text, "'北区' is not a valid code"));
}

/* The global --site: LOBBY_SITE (preset in the context) unless --site is
 * given; an empty value is no site; a bad code is a usage error. */
static ctl_exit parse_site(const char *env_site, int argc, char **argv, ctl_ctx *ctx)
{
  memset(ctx, 0, sizeof *ctx);
  ctx->site = env_site;
  ctx->out = stdout;
  ctx->err = fopen("/dev/null", "w");
  ctl_pos pos;
  ctl_exit code = ctl_parse(ctx, argc, argv, NULL, 0, "lobbyctl x", &pos);
  fclose(ctx->err);
  return code;
}

static void test_global_site(void **state)
{
  (void)state;
  ctl_ctx ctx;
  char *none[] = {"--json"};
  assert_int_equal(parse_site(NULL, 1, none, &ctx), CTL_EXIT_OK);
  assert_null(ctx.site);
  assert_int_equal(parse_site("north", 1, none, &ctx), CTL_EXIT_OK);
  assert_string_equal(ctx.site, "north");
  char *given[] = {"--site", "south"};
  assert_int_equal(parse_site("north", 2, given, &ctx), CTL_EXIT_OK);
  assert_string_equal(ctx.site, "south");
  char *eq[] = {"--site=east"};
  assert_int_equal(parse_site(NULL, 1, eq, &ctx), CTL_EXIT_OK);
  assert_string_equal(ctx.site, "east");
  assert_int_equal(parse_site("", 1, none, &ctx), CTL_EXIT_OK);
  assert_null(ctx.site);
  char *bad[] = {"--site", "北区"};
  assert_int_equal(parse_site(NULL, 2, bad, &ctx), CTL_EXIT_USAGE);
  assert_int_equal(parse_site("../x", 1, none, &ctx), CTL_EXIT_USAGE);
  char *twice[] = {"--site", "a", "--site", "b"};
  assert_int_equal(parse_site(NULL, 4, twice, &ctx), CTL_EXIT_USAGE);
}

static void test_site_query_and_body(void **state)
{
  (void)state;
  ctl_ctx ctx = {.site = "north"};
  ctl_path path;
  ctl_path_init(&path, "/api/v1/repairs");
  ctl_path_query(&path, "status", "submitted");
  ctl_path_site(&ctx, &path);
  assert_int_equal(ctl_path_done(&path), LOBBY_OK);
  assert_string_equal(path.buf, "/api/v1/repairs?status=submitted&site=north");
  json_t *body = json_object();
  assert_int_equal(ctl_json_add_site(&ctx, body), LOBBY_OK);
  assert_string_equal(json_string_value(json_object_get(body, "site")), "north");
  ctx.site = NULL;
  ctl_path_init(&path, "/api/v1/kiosks");
  ctl_path_site(&ctx, &path);
  assert_string_equal(path.buf, "/api/v1/kiosks");
  json_t *plain = json_object();
  assert_int_equal(ctl_json_add_site(&ctx, plain), LOBBY_OK);
  assert_int_equal(json_object_size(plain), 0);
  json_t *notice = json_pack("{s:n}", "site");
  assert_string_equal(ctl_site_cell(notice), "all");
  assert_string_equal(ctl_site_cell(body), "north");
  assert_null(ctl_site_cell(plain));
  json_decref(body);
  json_decref(plain);
  json_decref(notice);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_parse_values_flags_positionals), cmocka_unit_test(test_parse_errors),
    cmocka_unit_test(test_positional_count), cmocka_unit_test(test_choice_lists_accepted_names),
    cmocka_unit_test(test_int_range), cmocka_unit_test(test_phone), cmocka_unit_test(test_text),
    cmocka_unit_test(test_dates_and_times), cmocka_unit_test(test_codes_tickets_urls),
    cmocka_unit_test(test_tls_options), cmocka_unit_test(test_join_names_truncates_safely),
    cmocka_unit_test(test_workday), cmocka_unit_test(test_code_list), cmocka_unit_test(test_service_phone),
    cmocka_unit_test(test_global_site), cmocka_unit_test(test_site_query_and_body)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
