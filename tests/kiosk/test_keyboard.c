/* The on-screen keyboard: the key size rule, every layout at the three
 * supported sizes, pinyin composition and its backspace, the privacy wipe,
 * hold-to-repeat, committing a pending composition, and partial redraws
 * that match full ones.  One kiosk app with one pinyin engine serves every
 * test (librime allows one engine per process). */
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

static kiosk_app app;

static int setup(void **state)
{
  (void)state;
  kiosk_config cfg;
  kiosk_test_config(&cfg);
  snprintf(cfg.state_dir, sizeof cfg.state_dir, "%s", KIOSK_TEST_WORK_DIR);
  if (kiosk_app_init(&app, &cfg) != LOBBY_OK)
    return -1;
  if (kiosk_keyboard_open(&app.kb) != LOBBY_OK) {
    fprintf(stderr, "pinyin engine: %s\n", app.kb.why);
    return -1;
  }
  json_t *feed = kiosk_test_demo_feed();
  if (!feed)
    return -1;
  kiosk_app_set_feed(&app, feed, 0);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  kiosk_app_free(&app);
  return 0;
}

static void frame(void)
{
  assert_int_equal(kiosk_app_frame(&app, false), LOBBY_OK);
}

/* From the notice board to the repair description, with pinyin showing. */
static void open_description(void)
{
  kiosk_app_go(&app, KIOSK_SCREEN_HOME);
  kiosk_app_action(&app, KIOSK_ACT_GO, KIOSK_SCREEN_REPAIR);
  kiosk_app_action(&app, KIOSK_ACT_PICK_BUILDING, 0);
  kiosk_app_action(&app, KIOSK_ACT_PICK_UNIT, 0);
  kiosk_app_action(&app, KIOSK_ACT_PICK_ROOM, 0);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  kiosk_app_action(&app, KIOSK_ACT_CATEGORY, 0);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  kiosk_app_action(&app, KIOSK_ACT_URGENCY, 1);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  app.screens.repair.step = REPAIR_STEP_DESC;
  app.screens.repair.source = 0;
  app.dirty = true;
  frame();
  assert_ptr_equal(app.form.source, &kiosk_src_pinyin);
}

static const kiosk_widget *key_widget(const char *label)
{
  for (int i = 0; i < app.ui.n; i++)
    if (app.ui.w[i].role == KW_KEY && app.ui.w[i].action == KIOSK_ACT_KEY && !strcmp(app.ui.w[i].text, label))
      return &app.ui.w[i];
  fail_msg("no key %s", label);
  return NULL;
}

static void press(const char *label)
{
  kiosk_app_action(&app, KIOSK_ACT_KEY, key_widget(label)->arg);
  frame();
}

static void type_keys(const char *letters)
{
  char one[2] = {0, 0};
  for (const char *p = letters; *p; p++) {
    one[0] = *p;
    press(one);
  }
}

static void choose_layout(kiosk_layout_id id)
{
  for (int i = 0; i < app.kb.n_tabs; i++)
    if (app.kb.tabs[i] == kiosk_layout_source(id)) {
      kiosk_app_action(&app, KIOSK_ACT_SOURCE, i);
      frame();
      return;
    }
  fail_msg("layout %d not offered", (int)id);
}

static void test_key_size_rule(void **state)
{
  (void)state;
  /* The default 21.5-inch 1080x1920 panel: about 102 dpi, 4 px a mm, so
   * the 64 px rule is the larger. */
  double ppm = kiosk_px_per_mm(0, 21.5, 1080, 1920);
  assert_true(ppm > 4.0 && ppm < 4.1);
  assert_int_equal(kiosk_key_min_px(1080, 1920, ppm), 64);
  assert_int_equal(kiosk_key_min_px(1920, 1080, ppm), 64);
  /* A 10.1-inch 1280x800 tablet: 9 mm is 53 px, more than 64 px scaled. */
  ppm = kiosk_px_per_mm(0, 10.1, 1280, 800);
  assert_int_equal(kiosk_key_min_px(1280, 800, ppm), 53);
  /* dpi wins over the diagonal. */
  ppm = kiosk_px_per_mm(254, 21.5, 1080, 1920);
  assert_int_equal(kiosk_key_min_px(1080, 1920, ppm), 90);
  /* kiosk.ini: [display] diagonal_in and dpi, [input]. */
  kiosk_config c;
  kiosk_config_defaults(&c);
  assert_true(c.display.diagonal_in == 21.5);
  assert_true(c.input.pinyin);
  assert_string_equal(c.input.rime_shared_dir, "/usr/share/rime-data");
  char path[] = "/tmp/kiosk-kb-ini-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  const char *ini = "[display]\ndiagonal_in = 15.6\ndpi = 141\n[input]\npinyin = 0\n"
                    "rime_shared_dir = /opt/rime\nrime_config_dir = /opt/kiosk-rime\n";
  assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
  close(fd);
  assert_int_equal(kiosk_config_load(path, &c), LOBBY_OK);
  assert_true(c.display.diagonal_in == 15.6 && c.display.dpi == 141);
  assert_false(c.input.pinyin);
  assert_string_equal(c.input.rime_shared_dir, "/opt/rime");
  assert_string_equal(c.input.rime_config_dir, "/opt/kiosk-rime");
  unlink(path);
}

/* Every key and candidate of every layout on screen, at least the minimum
 * size, with its label fitting. */
static void check_keys(const char *what)
{
  int keys = 0;
  for (int i = 0; i < app.ui.n; i++) {
    const kiosk_widget *w = &app.ui.w[i];
    bool key = w->role == KW_KEY || w->action == KIOSK_ACT_CANDIDATE;
    if (!key || (w->flags & KF_HIDDEN))
      continue;
    keys++;
    SDL_Rect screen = {0, 0, app.m.w, app.m.h};
    if (!kiosk_rect_inside(w->rect, screen) || w->rect.w < app.m.key_min || w->rect.h < app.m.key_min ||
        (w->flags & KF_OVERFLOW))
      fail_msg("%s at %dx%d: key \"%s\" %dx%d at %d,%d (minimum %d)%s", what, app.m.w, app.m.h, w->text, w->rect.w,
               w->rect.h, w->rect.x, w->rect.y, app.m.key_min, (w->flags & KF_OVERFLOW) ? " overflows" : "");
  }
  assert_true(keys >= 30);
}

static void test_layouts_fit_every_size(void **state)
{
  (void)state;
  static const int sizes[3][2] = {{1080, 1920}, {1920, 1080}, {1280, 800}};
  for (int s = 0; s < 3; s++) {
    for (int lang = 0; lang < 2; lang++) {
      kiosk_app_set_size(&app, sizes[s][0], sizes[s][1]);
      kiosk_app_set_lang(&app, lang);
      open_description();
      type_keys("shuilongtou");
      assert_true(kiosk_keyboard_composing(&app.kb));
      check_keys("pinyin");
      choose_layout(KIOSK_LAYOUT_ABC);
      assert_false(kiosk_keyboard_composing(&app.kb));
      check_keys("ABC");
      choose_layout(KIOSK_LAYOUT_NUM);
      check_keys("123");
      choose_layout(KIOSK_LAYOUT_SYMBOLS);
      check_keys("symbols");
      assert_int_equal(kiosk_ui_overflow_count(&app.ui), 0);
    }
  }
  kiosk_app_set_lang(&app, 0);
  kiosk_app_set_size(&app, 1080, 1920);
}

static void test_backspace_through_composition(void **state)
{
  (void)state;
  open_description();
  type_keys("weixiu");
  assert_string_equal(kiosk_keyboard_view(&app.kb)->candidates[0], "维修");
  press("删除");
  assert_true(kiosk_keyboard_composing(&app.kb));
  assert_string_equal(kiosk_keyboard_view(&app.kb)->preedit, "wei xi");
  type_keys("u");
  /* Chosen by the tap, as a resident would. */
  for (int i = 0; i < app.ui.n; i++)
    if (app.ui.w[i].action == KIOSK_ACT_CANDIDATE && !strcmp(app.ui.w[i].text, "维修")) {
      kiosk_app_action(&app, KIOSK_ACT_CANDIDATE, app.ui.w[i].arg);
      break;
    }
  frame();
  assert_string_equal(app.screens.repair.desc.buf, "维修");
  type_keys("ab");
  press("删除");
  press("删除");
  assert_false(kiosk_keyboard_composing(&app.kb));
  assert_string_equal(app.screens.repair.desc.buf, "维修");
  /* With nothing composed, backspace deletes from the field. */
  press("删除");
  assert_string_equal(app.screens.repair.desc.buf, "维");
  /* Space with nothing composed is a space; with a composition it commits
   * the first candidate. */
  type_keys("shuilongtou");
  press("空格");
  assert_string_equal(app.screens.repair.desc.buf, "维水龙头");
}

static const kiosk_widget *focused_field(void)
{
  for (int i = 0; i < app.ui.n; i++)
    if (app.ui.w[i].role == KW_FIELD && (app.ui.w[i].flags & KF_FOCUSED))
      return &app.ui.w[i];
  fail_msg("no focused field");
  return NULL;
}

/* The composition shows in the field at the caret, marked, and leaves it
 * when chosen: the field then holds only what was committed. */
static void test_composition_shows_in_field(void **state)
{
  (void)state;
  open_description();
  type_keys("loushui");
  press("空格");
  type_keys("weixiu");
  const kiosk_widget *w = focused_field();
  assert_string_equal(w->text, "漏水wei xiu");
  assert_int_equal(w->marked_len, (int)strlen("wei xiu"));
  press("空格");
  w = focused_field();
  assert_string_equal(w->text, "漏水维修");
  assert_int_equal(w->marked_len, 0);
  assert_string_equal(app.screens.repair.desc.buf, "漏水维修");
}

/* The name field opens on pinyin in Chinese and on ABC in English. */
static void test_name_field_opens_on_abc_in_english(void **state)
{
  (void)state;
  kiosk_app_go(&app, KIOSK_SCREEN_HOME);
  kiosk_app_action(&app, KIOSK_ACT_GO, KIOSK_SCREEN_REPAIR);
  kiosk_app_action(&app, KIOSK_ACT_PICK_BUILDING, 0);
  kiosk_app_action(&app, KIOSK_ACT_PICK_UNIT, 0);
  kiosk_app_action(&app, KIOSK_ACT_PICK_ROOM, 0);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  kiosk_app_action(&app, KIOSK_ACT_CATEGORY, 0);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  kiosk_app_action(&app, KIOSK_ACT_URGENCY, 1);
  kiosk_app_action(&app, KIOSK_ACT_NEXT, 0);
  frame();
  assert_int_equal(app.screens.repair.step, REPAIR_STEP_CONTACT);
  assert_ptr_equal(app.form.source, &kiosk_src_pinyin);
  kiosk_app_set_lang(&app, 1);
  frame();
  assert_ptr_equal(app.form.source, &kiosk_src_abc);
  type_keys("anna");
  assert_string_equal(app.screens.repair.name.buf, "anna");
  kiosk_app_set_lang(&app, 0);
  frame();
}

static void test_pending_composition_commits_first_candidate(void **state)
{
  (void)state;
  open_description();
  type_keys("loushui");
  char first[KIOSK_PINYIN_CANDIDATE_CAP];
  snprintf(first, sizeof first, "%s", kiosk_keyboard_view(&app.kb)->candidates[0]);
  assert_string_equal(first, "漏水");
  choose_layout(KIOSK_LAYOUT_NUM);
  assert_false(kiosk_keyboard_composing(&app.kb));
  assert_string_equal(app.screens.repair.desc.buf, "漏水");
  press("3");
  assert_string_equal(app.screens.repair.desc.buf, "漏水3");
  /* Punctuation commits the composition first, then itself. */
  choose_layout(KIOSK_LAYOUT_PINYIN);
  type_keys("tian");
  press("\xEF\xBC\x8C"); /* the full-width comma key */
  assert_string_equal(app.screens.repair.desc.buf, "漏水3天\xEF\xBC\x8C");
  /* 完成 commits and moves on like the form's next button. */
  type_keys("xiexie");
  press("完成");
  assert_int_equal(app.screens.repair.step, REPAIR_STEP_REVIEW);
  assert_string_equal(app.screens.repair.desc.buf, "漏水3天\xEF\xBC\x8C谢谢");
}

/* The idle timeout wipes the composition and the bar, and the next person
 * typing the same letters gets the engine's own order. */
static void test_idle_wipe_forgets(void **state)
{
  (void)state;
  open_description();
  type_keys("shi");
  const kiosk_pinyin_view *v = kiosk_keyboard_view(&app.kb);
  char before[5][KIOSK_PINYIN_CANDIDATE_CAP];
  assert_true(v->candidate_count >= 5);
  for (int i = 0; i < 5; i++)
    snprintf(before[i], sizeof before[i], "%s", v->candidates[i]);
  /* Choose the fourth candidate twice and leave a composition pending. */
  kiosk_app_action(&app, KIOSK_ACT_CANDIDATE, 3);
  type_keys("shi");
  kiosk_app_action(&app, KIOSK_ACT_CANDIDATE, 3);
  type_keys("yan");
  frame();
  assert_true(kiosk_keyboard_composing(&app.kb));
  app.clock.idle_shift_ms += (int64_t)app.cfg.idle_timeout_s * 1000 + 1000;
  kiosk_app_tick(&app);
  frame();
  assert_int_equal(app.screen, KIOSK_SCREEN_HOME);
  assert_false(kiosk_keyboard_composing(&app.kb));
  assert_int_equal(kiosk_keyboard_view(&app.kb)->candidate_count, 0);
  assert_int_equal(app.kb.bar.parts, 0);
  assert_false(kiosk_test_contains(app.ui.arena, app.ui.arena_used, "yan"));
  open_description();
  assert_string_equal(app.screens.repair.desc.buf, "");
  type_keys("shi");
  v = kiosk_keyboard_view(&app.kb);
  for (int i = 0; i < 5; i++)
    assert_string_equal(v->candidates[i], before[i]);
}

/* Backspace held: one at once, then after 500 ms about 12 a second. */
static void test_backspace_repeats_when_held(void **state)
{
  (void)state;
  open_description();
  kiosk_app_type(&app, "0123456789012345678901234567890123456789");
  frame();
  const kiosk_widget *bs = key_widget("删除");
  int x = bs->rect.x + bs->rect.w / 2, y = bs->rect.y + bs->rect.h / 2;
  kiosk_app_pointer(&app, SDL_MOUSEBUTTONDOWN, x, y);
  assert_int_equal(kiosk_field_chars(&app.screens.repair.desc), 39);
  /* 1 s held: the press, then repeats at 500, 583, ... 998 ms. */
  for (int t = 0; t < 1000; t += 20) {
    app.clock.idle_shift_ms += 20;
    kiosk_app_tick(&app);
    frame();
  }
  kiosk_app_pointer(&app, SDL_MOUSEBUTTONUP, x, y);
  frame();
  assert_int_equal(kiosk_field_chars(&app.screens.repair.desc), 40 - 1 - 7);
  /* After the release nothing repeats. */
  app.clock.idle_shift_ms += 1000;
  kiosk_app_tick(&app);
  assert_int_equal(kiosk_field_chars(&app.screens.repair.desc), 32);
}

/* The headless surface redraws only what changed; the result must be the
 * pixels a full redraw gives. */
static void test_partial_redraw_matches_full(void **state)
{
  (void)state;
  open_description();
  SDL_Surface *s = app.display.surface;
  size_t bytes = (size_t)s->pitch * (size_t)s->h;
  unsigned char *partial = malloc(bytes);
  assert_non_null(partial);
  const char *steps[] = {"z", "h", "a", "n", "g", "删除", "g", "空格", "w", "e", "i"};
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    const kiosk_widget *k = key_widget(steps[i]);
    int x = k->rect.x + k->rect.w / 2, y = k->rect.y + k->rect.h / 2;
    kiosk_app_pointer(&app, SDL_MOUSEBUTTONDOWN, x, y);
    frame(); /* the pressed key darkens */
    kiosk_app_pointer(&app, SDL_MOUSEBUTTONUP, x, y);
    frame();
    memcpy(partial, s->pixels, bytes);
    app.display.frame_kept = false;
    frame();
    if (memcmp(partial, s->pixels, bytes) != 0)
      fail_msg("after key %s the partial redraw differs from a full one", steps[i]);
  }
  free(partial);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_key_size_rule),
    cmocka_unit_test(test_layouts_fit_every_size),
    cmocka_unit_test(test_backspace_through_composition),
    cmocka_unit_test(test_composition_shows_in_field),
    cmocka_unit_test(test_name_field_opens_on_abc_in_english),
    cmocka_unit_test(test_pending_composition_commits_first_candidate),
    cmocka_unit_test(test_idle_wipe_forgets),
    cmocka_unit_test(test_backspace_repeats_when_held),
    cmocka_unit_test(test_partial_redraw_matches_full),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
