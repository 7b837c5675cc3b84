/* Line breaking: closers never start a line, mixed Chinese and Latin
 * breaks at sensible places, ellipsis and overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <linebreak.h>
#include "text_layout.h"

/* A fixed-width font: ASCII 10 px, everything else 20 px. */
static int fake_measure(void *ctx, const char *s, size_t len)
{
  (void)ctx;
  int w = 0;
  for (size_t i = 0; i < len;) {
    size_t cl;
    uint32_t cp = kiosk_utf8_decode(s + i, &cl);
    w += cp < 128 ? 10 : 20;
    i += cl;
  }
  return w;
}

static const char *const notice =
  "尊敬的业主：因二次供水设备年度检修，11月28日（星期六）9:00至17:00，1号楼、2号楼将暂停供水。"
  "请提前储水，关好水龙头，以免来水时漫溢。给您带来的不便，敬请谅解！如有疑问，请拨打物业服务中心电话。"
  "「安全第一」，《管理规约》第三条：不得在楼道堆放杂物；违者……";

static void test_no_line_starts_with_closer(void **state)
{
  (void)state;
  int checked = 0;
  for (int w = 60; w <= 600; w += 10) {
    kiosk_layout l;
    assert_int_equal(kiosk_layout_text(notice, w, 0, false, fake_measure, NULL, &l), LOBBY_OK);
    assert_true(l.n_lines > 1);
    for (int i = 1; i < l.n_lines; i++) {
      size_t cl;
      uint32_t cp = kiosk_utf8_decode(notice + l.lines[i].start, &cl);
      if (kiosk_no_line_start(cp))
        fail_msg("width %d: line %d starts with U+%04X", w, i, cp);
      checked++;
    }
    for (int i = 0; i < l.n_lines; i++)
      assert_true(l.lines[i].width <= w);
    kiosk_layout_free(&l);
  }
  assert_true(checked > 100);
}

static void test_closer_check_set(void **state)
{
  (void)state;
  const char *closers[] = {"，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "》", "…"};
  for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++) {
    size_t cl;
    assert_true(kiosk_no_line_start(kiosk_utf8_decode(closers[i], &cl)));
  }
  size_t cl;
  assert_false(kiosk_no_line_start(kiosk_utf8_decode("水", &cl)));
  assert_false(kiosk_no_line_start(kiosk_utf8_decode("（", &cl)));
}

static char *line_text(const char *s, const kiosk_line *l)
{
  return strndup(s + l->start, l->len);
}

static void test_mixed_latin_breaks_between_words(void **state)
{
  (void)state;
  const char *s = "请拨打400-800-1234联系物业 service center，或者访问 www.example.com 查看 notices。";
  for (int w = 120; w <= 500; w += 20) {
    kiosk_layout l;
    assert_int_equal(kiosk_layout_text(s, w, 0, false, fake_measure, NULL, &l), LOBBY_OK);
    for (int i = 0; i < l.n_lines; i++) {
      char *t = line_text(s, &l.lines[i]);
      /* Latin words and the phone number stay whole. */
      if (strstr(t, "servi") && !strstr(t, "service"))
        fail_msg("width %d: 'service' split: [%s]", w, t);
      if (strstr(t, "cent") && !strstr(t, "center"))
        fail_msg("width %d: 'center' split: [%s]", w, t);
      if (strstr(t, "400") && !strstr(t, "400-800-1234") && w >= 160)
        fail_msg("width %d: phone number split: [%s]", w, t);
      /* No trailing spaces are counted. */
      assert_true(l.lines[i].len == 0 || s[l.lines[i].start + l.lines[i].len - 1] != ' ');
      free(t);
    }
    kiosk_layout_free(&l);
  }
}

static void test_chinese_breaks_anywhere(void **state)
{
  (void)state;
  kiosk_layout l;
  /* Ten characters of 20 px in 100 px: two lines of five. */
  assert_int_equal(kiosk_layout_text("一二三四五六七八九十", 100, 0, false, fake_measure, NULL, &l), LOBBY_OK);
  assert_int_equal(l.n_lines, 2);
  assert_int_equal(l.lines[0].width, 100);
  assert_false(l.overflow);
  kiosk_layout_free(&l);
}

static void test_closer_pulls_previous_char(void **state)
{
  (void)state;
  kiosk_layout l;
  /* Exactly five characters fit; the sixth is "，" which may not start a
   * line, so the break moves back one character. */
  const char *s = "一二三四五，六七";
  assert_int_equal(kiosk_layout_text(s, 100, 0, false, fake_measure, NULL, &l), LOBBY_OK);
  assert_int_equal(l.n_lines, 2);
  char *second = line_text(s, &l.lines[1]);
  assert_string_equal(second, "五，六七");
  free(second);
  kiosk_layout_free(&l);
}

static void test_ellipsis(void **state)
{
  (void)state;
  kiosk_layout l;
  assert_int_equal(kiosk_layout_text(notice, 200, 2, true, fake_measure, NULL, &l), LOBBY_OK);
  assert_int_equal(l.n_lines, 2);
  assert_true(l.ellipsized);
  assert_false(l.overflow);
  assert_true(l.lines[1].width <= 200);
  kiosk_layout_free(&l);
  /* Text that fits gets no ellipsis. */
  assert_int_equal(kiosk_layout_text("短通知", 200, 1, true, fake_measure, NULL, &l), LOBBY_OK);
  assert_int_equal(l.n_lines, 1);
  assert_false(l.ellipsized);
  kiosk_layout_free(&l);
}

static void test_overflow_without_ellipsis(void **state)
{
  (void)state;
  kiosk_layout l;
  assert_int_equal(kiosk_layout_text(notice, 200, 2, false, fake_measure, NULL, &l), LOBBY_OK);
  assert_true(l.overflow);
  assert_true(l.n_lines > 2);
  kiosk_layout_free(&l);
  /* A word longer than the line is cut but reported. */
  assert_int_equal(kiosk_layout_text("Supercalifragilistic", 100, 0, false, fake_measure, NULL, &l), LOBBY_OK);
  assert_true(l.overflow);
  for (int i = 0; i < l.n_lines; i++)
    assert_true(l.lines[i].width <= 100);
  kiosk_layout_free(&l);
}

static void test_newlines(void **state)
{
  (void)state;
  kiosk_layout l;
  assert_int_equal(kiosk_layout_text("紧急\n漏水、断电", 400, 0, false, fake_measure, NULL, &l), LOBBY_OK);
  assert_int_equal(l.n_lines, 2);
  assert_int_equal(l.lines[0].len, strlen("紧急"));
  kiosk_layout_free(&l);
  assert_int_equal(kiosk_layout_text("", 400, 0, false, fake_measure, NULL, &l), LOBBY_OK);
  assert_int_equal(l.n_lines, 0);
}

/* fake_measure that counts its calls. */
static int counting_measure(void *ctx, const char *s, size_t len)
{
  ++*(int *)ctx;
  return fake_measure(NULL, s, len);
}

/* The line breaking rule written the plain way, one measurement per break
 * opportunity, to hold the kiosk's faster search to the same answers. */
static size_t reference_line_end(const char *s, size_t n, const char *brks, size_t start, int max_w)
{
  size_t best = 0;
  for (size_t i = start; i < n; i++) {
    if (brks[i] != LINEBREAK_MUSTBREAK && brks[i] != LINEBREAK_ALLOWBREAK)
      continue;
    size_t vis = i + 1;
    while (vis > start && (s[vis - 1] == ' ' || s[vis - 1] == '\n'))
      vis--;
    if (vis > start && fake_measure(NULL, s + start, vis - start) > max_w)
      break;
    if (brks[i] == LINEBREAK_MUSTBREAK)
      return i + 1;
    size_t cl;
    if (i + 1 >= n || !kiosk_no_line_start(kiosk_utf8_decode(s + i + 1, &cl)))
      best = i + 1;
  }
  return best;
}

static void test_matches_plain_search(void **state)
{
  (void)state;
  static const char *const pieces[] = {"物", "业", "停", "水", "，", "。", "！", "」", "「", "（", "）",
                                       "water ", "supply ", "B2", " ", "\n", "……", "9:00", "、"};
  unsigned seed = 12345;
  for (int round = 0; round < 400; round++) {
    char text[1024] = "";
    size_t used = 0;
    int parts = 1 + (int)(seed % 120);
    for (int k = 0; k < parts; k++) {
      seed = seed * 1103515245u + 12345u;
      const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
      size_t pl = strlen(p);
      if (used + pl >= sizeof text)
        break;
      memcpy(text + used, p, pl);
      used += pl;
    }
    text[used] = '\0';
    int max_w = 60 + (int)((seed >> 8) % 400);
    kiosk_layout l;
    assert_int_equal(kiosk_layout_text(text, max_w, 0, false, fake_measure, NULL, &l), LOBBY_OK);
    char brks[1024];
    set_linebreaks_utf8((const utf8_t *)text, used, "zh", brks);
    for (int i = 0; i < l.n_lines; i++) {
      size_t expect = reference_line_end(text, used, brks, l.lines[i].start, max_w);
      size_t next = i + 1 < l.n_lines ? l.lines[i + 1].start : used;
      /* Where the plain rule finds a break, the line ends there (the next
       * line starts after any spaces it dropped). */
      if (expect) {
        size_t after = expect;
        while (after < used && text[after] == ' ')
          after++;
        assert_int_equal(next, after);
      }
    }
    kiosk_layout_free(&l);
  }
}

static void test_few_measurements_per_line(void **state)
{
  (void)state;
  char text[4096] = "";
  while (strlen(text) + strlen(notice) < sizeof text)
    strcat(text, notice);
  int calls = 0;
  kiosk_layout l;
  assert_int_equal(kiosk_layout_text(text, 800, 0, false, counting_measure, &calls, &l), LOBBY_OK);
  assert_true(l.n_lines > 20);
  /* Measuring at every break opportunity took about 40 calls a line here. */
  assert_true(calls <= 6 * l.n_lines);
  kiosk_layout_free(&l);
}

int main(void)
{
  kiosk_text_layout_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_no_line_starts_with_closer),
    cmocka_unit_test(test_closer_check_set),
    cmocka_unit_test(test_mixed_latin_breaks_between_words),
    cmocka_unit_test(test_chinese_breaks_anywhere),
    cmocka_unit_test(test_closer_pulls_previous_char),
    cmocka_unit_test(test_ellipsis),
    cmocka_unit_test(test_overflow_without_ellipsis),
    cmocka_unit_test(test_newlines),
    cmocka_unit_test(test_matches_plain_search),
    cmocka_unit_test(test_few_measurements_per_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
