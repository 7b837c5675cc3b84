/* Text fields and input sources, and kiosk.ini parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kiosk_app.h"
#include "kiosk_test.h"

static void test_field_filters_and_limits(void **state)
{
  (void)state;
  kiosk_field f;
  kiosk_field_init(&f, KIOSK_FIELD_PHONE, 20);
  assert_int_equal(kiosk_field_commit(&f, "138 1234-5678x"), LOBBY_OK);
  assert_string_equal(f.buf, "1381234-5678");
  kiosk_field_init(&f, KIOSK_FIELD_DIGITS, 4);
  assert_int_equal(kiosk_field_commit(&f, "12a34"), LOBBY_OK);
  assert_int_equal(kiosk_field_commit(&f, "5"), LOBBY_ETOOBIG);
  assert_string_equal(f.buf, "1234");
  kiosk_field_init(&f, KIOSK_FIELD_CODE, 6);
  /* Lower case is accepted and upper-cased; 0, O, 1, I, 5, S are not in the
   * alphabet. */
  assert_int_equal(kiosk_field_commit(&f, "k7m0O1I5S3qx"), LOBBY_OK);
  assert_string_equal(f.buf, "K7M3QX");
  kiosk_field_init(&f, KIOSK_FIELD_TEXT, 3);
  assert_int_equal(kiosk_field_commit(&f, "张三丰X"), LOBBY_ETOOBIG);
  assert_string_equal(f.buf, "张三丰");
  assert_int_equal(kiosk_field_chars(&f), 3);
  kiosk_field_backspace(&f);
  assert_string_equal(f.buf, "张三");
  kiosk_field_init(&f, KIOSK_FIELD_PLATE, 10);
  assert_int_equal(kiosk_field_commit(&f, "粤b-12345"), LOBBY_OK);
  assert_string_equal(f.buf, "粤B12345");
  kiosk_field_wipe(&f);
  for (size_t i = 0; i < sizeof f.buf; i++)
    assert_int_equal(f.buf[i], 0);
}

static void test_phrase_lists(void **state)
{
  (void)state;
  char item[64];
  assert_int_equal(kiosk_list_count("水龙头漏水|下水道堵塞|马桶漏水"), 3);
  assert_true(kiosk_list_item("水龙头漏水|下水道堵塞|马桶漏水", 1, item, sizeof item));
  assert_string_equal(item, "下水道堵塞");
  assert_false(kiosk_list_item("a|b", 2, item, sizeof item));
  assert_int_equal(kiosk_list_count(""), 0);
  /* Two phrases in one field are joined by the separator. */
  kiosk_input_source src;
  kiosk_src_phrases(&src, "src.phrases", "水龙头漏水|马桶漏水", "，");
  kiosk_field f;
  kiosk_field_init(&f, KIOSK_FIELD_TEXT, 500);
  src.press(&src, NULL, 0, &f);
  src.press(&src, NULL, 1, &f);
  assert_string_equal(f.buf, "水龙头漏水，马桶漏水");
  src.press(&src, NULL, 2, &f); /* the key after the phrases deletes */
  assert_string_equal(f.buf, "水龙头漏水，马桶漏");
}

static void test_digit_keypad(void **state)
{
  (void)state;
  kiosk_field f;
  kiosk_field_init(&f, KIOSK_FIELD_DIGITS, 13);
  /* Keys: 1..9, clear, 0, backspace. */
  kiosk_src_digits.press(&kiosk_src_digits, NULL, 0, &f);
  kiosk_src_digits.press(&kiosk_src_digits, NULL, 10, &f);
  kiosk_src_digits.press(&kiosk_src_digits, NULL, 8, &f);
  assert_string_equal(f.buf, "109");
  kiosk_src_digits.press(&kiosk_src_digits, NULL, 11, &f);
  assert_string_equal(f.buf, "10");
  kiosk_src_digits.press(&kiosk_src_digits, NULL, 9, &f);
  assert_string_equal(f.buf, "");
}

static char *write_tmp(const char *text)
{
  char *path = strdup("/tmp/kiosk-ini-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  return path;
}

static void test_config(void **state)
{
  (void)state;
  kiosk_config c;
  kiosk_config_defaults(&c);
  assert_int_equal(c.idle_timeout_s, 60);
  assert_string_equal(c.language, "zh");
  char *p = write_tmp("[server]\nurl = http://10.0.0.2:8080\ntoken = lk_abc\nstate_dir = /tmp/k\n"
                      "[display]\nlanguage = en\nsize = 1280x800\nfont_index = 2\n"
                      "[privacy]\nidle_timeout_s = 90\n");
  assert_int_equal(kiosk_config_load(p, &c), LOBBY_OK);
  assert_string_equal(c.server.url, "http://10.0.0.2:8080");
  assert_string_equal(c.server.token, "lk_abc");
  assert_string_equal(c.language, "en");
  assert_int_equal(c.display.width, 1280);
  assert_int_equal(c.display.height, 800);
  assert_int_equal(c.idle_timeout_s, 90);
  unlink(p);
  free(p);
  p = write_tmp("[privacy]\nidle_timeout_s = soon\n");
  assert_int_equal(kiosk_config_load(p, &c), LOBBY_EINVAL);
  unlink(p);
  free(p);
  assert_int_equal(kiosk_config_load("/nonexistent/kiosk.ini", &c), LOBBY_ENOTFOUND);
  int w, h;
  assert_int_equal(kiosk_parse_size("1080x1920", &w, &h), LOBBY_OK);
  assert_int_equal(h, 1920);
  assert_int_equal(kiosk_parse_size("1080*1920", &w, &h), LOBBY_EINVAL);
  assert_int_equal(kiosk_parse_size("10x10", &w, &h), LOBBY_EINVAL);
}

/* [display] night: a range that may cross midnight, 24:00 as the end of
 * the day, nothing else; [display] rotation: quarter turns only. */
static void test_night_and_rotation_values(void **state)
{
  (void)state;
  kiosk_config c;
  kiosk_config_defaults(&c);
  assert_false(c.night.on);
  assert_int_equal(c.display.rotation, 0);
  assert_int_equal(kiosk_parse_night("23:30-06:00", &c.night.on, &c.night.start_min, &c.night.end_min), LOBBY_OK);
  assert_true(c.night.on);
  assert_int_equal(c.night.start_min, 23 * 60 + 30);
  assert_int_equal(c.night.end_min, 6 * 60);
  assert_true(kiosk_night_contains(&c, 23 * 60 + 30));
  assert_true(kiosk_night_contains(&c, 0));
  assert_true(kiosk_night_contains(&c, 5 * 60 + 59));
  assert_false(kiosk_night_contains(&c, 6 * 60));
  assert_false(kiosk_night_contains(&c, 23 * 60 + 29));
  assert_int_equal(kiosk_parse_night("01:00-24:00", &c.night.on, &c.night.start_min, &c.night.end_min), LOBBY_OK);
  assert_true(kiosk_night_contains(&c, 23 * 60 + 59));
  assert_false(kiosk_night_contains(&c, 0));
  assert_false(kiosk_night_contains(&c, 59));
  assert_int_equal(kiosk_parse_night("", &c.night.on, &c.night.start_min, &c.night.end_min), LOBBY_OK);
  assert_false(c.night.on);
  assert_false(kiosk_night_contains(&c, 120));
  const char *bad[] = {"00:00-00:00", "24:00-00:00", "1:00-06:00", "01:00-6:00", "01:00 06:00", "25:00-06:00",
                       "01:60-06:00", "01:00-06:00x", "24:01-06:00", "night"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(kiosk_parse_night(bad[i], &c.night.on, &c.night.start_min, &c.night.end_min), LOBBY_EINVAL);
  int r = -1;
  assert_int_equal(kiosk_parse_rotation("270", &r), LOBBY_OK);
  assert_int_equal(r, 270);
  assert_int_equal(kiosk_parse_rotation("0", &r), LOBBY_OK);
  assert_int_equal(r, 0);
  assert_int_equal(kiosk_parse_rotation("45", &r), LOBBY_EINVAL);
  assert_int_equal(kiosk_parse_rotation("360", &r), LOBBY_EINVAL);
  assert_int_equal(kiosk_parse_rotation("-90", &r), LOBBY_EINVAL);
  assert_int_equal(kiosk_parse_rotation("90 ", &r), LOBBY_EINVAL);
}

static void test_shipped_config_parses(void **state)
{
  (void)state;
  kiosk_config c;
  kiosk_config_defaults(&c);
  assert_int_equal(kiosk_config_load(KIOSK_TEST_SOURCE_DIR "/config/kiosk.ini", &c), LOBBY_OK);
  assert_int_equal(c.font.index, 2);
  assert_int_equal(c.idle_timeout_s, 60);
}

/* A half-filled form left alone: back home after the idle timeout, and
 * the typed name and phone are gone from the form, the widget tree's
 * memory and the rendered-text cache. */
static void test_idle_wipes_form(void **state)
{
  (void)state;
  kiosk_config cfg;
  kiosk_test_config(&cfg);
  static kiosk_app app;
  assert_int_equal(kiosk_app_init(&app, &cfg), LOBBY_OK);
  json_t *feed = kiosk_test_demo_feed();
  assert_non_null(feed);
  kiosk_app_set_feed(&app, feed, 0);
  kiosk_app_action(&app, KIOSK_ACT_GO, KIOSK_SCREEN_REPAIR);
  kiosk_app_action(&app, KIOSK_ACT_PICK_BUILDING, 0);
  kiosk_app_action(&app, KIOSK_ACT_PICK_UNIT, 0);
  kiosk_app_action(&app, KIOSK_ACT_PICK_ROOM, 0);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  kiosk_app_action(&app, KIOSK_ACT_CATEGORY, 0);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  kiosk_app_action(&app, KIOSK_ACT_URGENCY, 1);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  assert_int_equal(app.screens.repair.step, REPAIR_STEP_CONTACT);
  assert_int_equal(kiosk_app_frame(&app, false), LOBBY_OK);
  kiosk_app_type(&app, "Zhuge Liang");
  kiosk_app_action(&app, KIOSK_ACT_FIELD, 1);
  assert_int_equal(kiosk_app_frame(&app, false), LOBBY_OK);
  kiosk_app_type(&app, "13899990000");
  assert_int_equal(kiosk_app_frame(&app, false), LOBBY_OK);
  assert_string_equal(app.screens.repair.name.buf, "Zhuge Liang");
  assert_true(kiosk_test_contains(app.ui.arena, app.ui.arena_used, "13899990000"));
  /* 59 s: still there. */
  app.clock.idle_shift_ms += 59000;
  kiosk_app_tick(&app);
  assert_int_equal(app.screen, KIOSK_SCREEN_REPAIR);
  /* 61 s: home, and wiped. */
  app.clock.idle_shift_ms += 2000;
  kiosk_app_tick(&app);
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_false(kiosk_test_contains(&app.screens.repair, sizeof app.screens.repair, "13899990000"));
  assert_false(kiosk_test_contains(&app.screens.repair, sizeof app.screens.repair, "Zhuge"));
  assert_false(kiosk_test_contains(app.ui.arena, 256 * 1024, "13899990000"));
  assert_int_equal(kiosk_app_frame(&app, false), LOBBY_OK);
  assert_false(kiosk_test_contains(app.ui.arena, app.ui.arena_used, "Zhuge"));
  kiosk_app_free(&app);
}

/* The keyboard runs on its environment alone, with no app: strings come
 * from the lookup, keys type into the focused field, a held key repeats
 * on the caller's clock, and the bar splits a page by the widths given. */
static const char *fake_text(void *ctx, const char *key)
{
  (void)ctx;
  return strcmp(key, "symbols.fullwidth") == 0 ? "，|。|？" : key;
}

static void press_layout_key(kiosk_keyboard_state *kb, kiosk_layout_id id, const char *label)
{
  int n;
  const kiosk_key_def *keys = kiosk_layout_keys(id, &n);
  for (int i = 0; i < n; i++)
    if (keys[i].label && strcmp(keys[i].label, label) == 0) {
      const kiosk_input_source *src = kiosk_layout_source(id);
      src->press(src, kb, i, NULL);
      return;
    }
  fail_msg("no key %s", label);
}

static void test_keyboard_without_app(void **state)
{
  (void)state;
  static kiosk_keyboard_state kb;
  kiosk_field field;
  kiosk_field_init(&field, KIOSK_FIELD_TEXT, 20);
  kiosk_field *focus = &field;
  uint64_t action_t0 = 0;
  const kiosk_keyboard_env env = {.text = fake_text, .focus = &focus, .action_t0 = &action_t0};
  kiosk_keyboard_init(&kb, &env);
  assert_int_equal(kiosk_keyboard_open(&kb), LOBBY_ENOTFOUND);
  assert_string_equal(kb.why, "input.pinyin_off");
  const kiosk_input_source *srcs[KIOSK_TEXT_SOURCES_MAX];
  assert_int_equal(kiosk_text_sources(&kb, srcs, NULL), 3);
  /* Shift is for one letter; the symbols come from the strings. */
  press_layout_key(&kb, KIOSK_LAYOUT_ABC, KIOSK_KEY_SHIFT);
  press_layout_key(&kb, KIOSK_LAYOUT_ABC, "h");
  press_layout_key(&kb, KIOSK_LAYOUT_ABC, "i");
  press_layout_key(&kb, KIOSK_LAYOUT_ABC, KIOSK_KEY_SPACE);
  press_layout_key(&kb, KIOSK_LAYOUT_SYMBOLS, "sym.1");
  assert_string_equal(field.buf, "Hi 。");
  assert_int_equal(kiosk_keyboard_backspace(&kb), LOBBY_OK);
  assert_string_equal(field.buf, "Hi ");
  /* With no field focused the keys type nowhere. */
  focus = NULL;
  press_layout_key(&kb, KIOSK_LAYOUT_ABC, "x");
  assert_string_equal(field.buf, "Hi ");
  /* A held key repeats 500 ms after the press, then every 83 ms. */
  int key = -1;
  kiosk_keyboard_hold(&kb, 7, 1000);
  assert_int_equal(kiosk_keyboard_next_repeat(&kb, 1499), 1);
  assert_false(kiosk_keyboard_repeat_due(&kb, 1499, &key));
  assert_true(kiosk_keyboard_repeat_due(&kb, 1500, &key));
  assert_int_equal(key, 7);
  assert_false(kiosk_keyboard_repeat_due(&kb, 1582, &key));
  assert_true(kiosk_keyboard_repeat_due(&kb, 1583, &key));
  kiosk_keyboard_release(&kb);
  assert_false(kiosk_keyboard_repeat_due(&kb, 9999, &key));
  assert_int_equal(kiosk_keyboard_next_repeat(&kb, 9999), -1);
  /* 40 and 50 fit in 100 with a gap of 5; 30 and 60 make the next part.
   * After paging back (part -1) the last part shows. */
  const int widths[] = {40, 50, 30, 60};
  kiosk_keyboard_split_parts(&kb, widths, 4, 100, 5);
  assert_int_equal(kb.bar.parts, 2);
  assert_int_equal(kb.bar.part_first[0], 0);
  assert_int_equal(kb.bar.part_first[1], 2);
  assert_int_equal(kb.bar.part_first[2], 4);
  assert_int_equal(kb.bar.part, 0);
  kb.bar.part = -1;
  kiosk_keyboard_split_parts(&kb, widths, 4, 100, 5);
  assert_int_equal(kb.bar.part, 1);
  kiosk_keyboard_close(&kb);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_field_filters_and_limits),
    cmocka_unit_test(test_phrase_lists),
    cmocka_unit_test(test_digit_keypad),
    cmocka_unit_test(test_keyboard_without_app),
    cmocka_unit_test(test_config),
    cmocka_unit_test(test_night_and_rotation_values),
    cmocka_unit_test(test_shipped_config_parses),
    cmocka_unit_test(test_idle_wipes_form),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
