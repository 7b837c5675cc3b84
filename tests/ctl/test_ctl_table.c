/* Display width, truncation and table layout for lobbyctl.  Every width
 * test runs twice: with wcwidth() under a UTF-8 locale and with the
 * built-in East Asian Width table used when no such locale exists. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ctl_table.h"

static int use_locale(void **state)
{
  (void)state;
  if (!ctl_text_init())
    return -1; /* no UTF-8 locale on this machine: cmocka reports the group as failed */
  ctl_text_use_builtin(false);
  return 0;
}

static int use_builtin(void **state)
{
  (void)state;
  ctl_text_use_builtin(true);
  return 0;
}

static void test_width_ascii_and_cjk(void **state)
{
  (void)state;
  assert_int_equal(ctl_display_width(""), 0);
  assert_int_equal(ctl_display_width("abc"), 3);
  assert_int_equal(ctl_display_width("中文"), 4);
  assert_int_equal(ctl_display_width("1号楼"), 5);
  assert_int_equal(ctl_display_width("阳光花园"), 8);
  assert_int_equal(ctl_display_width("（全角）"), 8);   /* fullwidth parentheses */
  assert_int_equal(ctl_display_width("，。"), 4);       /* CJK punctuation */
  assert_int_equal(ctl_display_width("e\xCC\x81"), 1);  /* e + combining acute */
  assert_int_equal(ctl_display_width("\xE2\x80\xA6"), 1); /* … */
}

static void test_width_invalid_bytes(void **state)
{
  (void)state;
  assert_int_equal(ctl_display_width("a\xFF" "b"), 3);
  assert_int_equal(ctl_display_width("\xE4\xB8"), 2); /* cut-off 中: two bad bytes */
  assert_int_equal(ctl_display_width("\xC0\xAF"), 2);  /* overlong '/' */
}

static void check_trunc(const char *in, size_t cols, const char *want)
{
  char out[64];
  assert_int_equal(ctl_truncate(in, cols, out, sizeof out), LOBBY_OK);
  assert_string_equal(out, want);
  assert_true(ctl_display_width(out) <= cols);
}

static void test_truncate(void **state)
{
  (void)state;
  check_trunc("abcdef", 6, "abcdef");
  check_trunc("abcdef", 4, "abc\xE2\x80\xA6");
  check_trunc("阳光花园物业", 12, "阳光花园物业");
  check_trunc("阳光花园物业", 5, "阳光\xE2\x80\xA6");
  /* 6 columns: 阳光 (4) + … (1); 花 would need 2 more, so stop at 5. */
  check_trunc("阳光花园物业", 6, "阳光\xE2\x80\xA6");
  check_trunc("阳光花园物业", 1, "\xE2\x80\xA6");
  check_trunc("阳光花园物业", 0, "");
  check_trunc("a中b", 3, "a\xE2\x80\xA6");
}

static void test_truncate_small_buffer(void **state)
{
  (void)state;
  char out[4];
  assert_int_equal(ctl_truncate("abcdef", 10, out, sizeof out), LOBBY_ETOOBIG);
  assert_int_equal(ctl_truncate("abcdef", 3, out, 0), LOBBY_ETOOBIG);
}

static void test_clean(void **state)
{
  (void)state;
  char *s = ctl_text_clean("a\nb\t\x1B[31mc\xFF");
  assert_non_null(s);
  assert_string_equal(s, "a b  [31mc?");
  free(s);
  s = ctl_text_clean("张三\xC2\x9B"); /* C1 CSI */
  assert_non_null(s);
  assert_string_equal(s, "张三 ");
  free(s);
}

/* Renders a table into a string with open_memstream. */
static char *render(const ctl_table *t, size_t width)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(ctl_table_print(t, f, width), LOBBY_OK);
  assert_int_equal(fclose(f), 0);
  return buf;
}

static void test_table_aligns_by_display_width(void **state)
{
  (void)state;
  static const char *const headers[] = {"NAME", "BUILDING", "NOTE"};
  ctl_table *t;
  assert_int_equal(ctl_table_new(3, headers, &t), LOBBY_OK);
  const char *r1[] = {"张三", "1号楼", "漏水"};
  const char *r2[] = {"Li Lei", "2", NULL};
  assert_int_equal(ctl_table_add_row(t, r1), LOBBY_OK);
  assert_int_equal(ctl_table_add_row(t, r2), LOBBY_OK);
  assert_int_equal(ctl_table_rows(t), 2);
  char *out = render(t, 0);
  assert_string_equal(out,
                      "NAME    BUILDING  NOTE\n"
                      "张三    1号楼     漏水\n"
                      "Li Lei  2         -\n");
  free(out);
  ctl_table_free(t);
}

static void test_table_max_and_flex(void **state)
{
  (void)state;
  static const char *const headers[] = {"ID", "TITLE"};
  ctl_table *t;
  assert_int_equal(ctl_table_new(2, headers, &t), LOBBY_OK);
  const char *r1[] = {"1", "明天上午九点至十二点停水，请提前储水"};
  assert_int_equal(ctl_table_add_row(t, r1), LOBBY_OK);
  assert_int_equal(ctl_table_set_flex(t, 1), LOBBY_OK);
  assert_int_equal(ctl_table_set_flex(t, 2), LOBBY_EINVAL);
  /* 20 columns: "ID" + gap = 4, so the title gets 16: 7 characters + "…". */
  char *out = render(t, 20);
  assert_string_equal(out, "ID  TITLE\n1   明天上午九点至\xE2\x80\xA6\n");
  free(out);
  assert_int_equal(ctl_table_set_max(t, 1, 5), LOBBY_OK);
  out = render(t, 0);
  assert_string_equal(out, "ID  TITLE\n1   明天\xE2\x80\xA6\n");
  free(out);
  ctl_table_free(t);
}

static void test_table_cleans_cells(void **state)
{
  (void)state;
  static const char *const headers[] = {"A", "B"};
  ctl_table *t;
  assert_int_equal(ctl_table_new(2, headers, &t), LOBBY_OK);
  const char *r1[] = {"x\ny", "\x1B]0;pwned\x07"};
  assert_int_equal(ctl_table_add_row(t, r1), LOBBY_OK);
  char *out = render(t, 0);
  assert_null(strchr(out, '\x1B'));
  assert_string_equal(out, "A    B\nx y   ]0;pwned \n");
  free(out);
  ctl_table_free(t);
}

static void test_table_new_rejects_zero_columns(void **state)
{
  (void)state;
  ctl_table *t = (ctl_table *)1;
  assert_int_equal(ctl_table_new(0, NULL, &t), LOBBY_EINVAL);
  assert_null(t);
}

#define BOTH(fn) cmocka_unit_test(fn)

int main(void)
{
  const struct CMUnitTest tests[] = {
    BOTH(test_width_ascii_and_cjk), BOTH(test_width_invalid_bytes), BOTH(test_truncate),
    BOTH(test_truncate_small_buffer), BOTH(test_clean), BOTH(test_table_aligns_by_display_width),
    BOTH(test_table_max_and_flex), BOTH(test_table_cleans_cells),
    BOTH(test_table_new_rejects_zero_columns)};
  int failed = cmocka_run_group_tests_name("wcwidth", tests, use_locale, NULL);
  failed += cmocka_run_group_tests_name("builtin", tests, use_builtin, NULL);
  return failed ? 1 : 0;
}
