/* The widget tree's overflow check, shrinking, search and JSON dump, with
 * the real font on a software renderer; and the text cache's LRU. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"
#include "lru.h"
#include "text_cache.h"
#include "widgets.h"

typedef struct {
  SDL_Surface *surf;
  SDL_Renderer *ren;
  kiosk_text *text;
  kiosk_ui ui;
} fixture;

static int setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  kiosk_text_layout_init();
  f->surf = SDL_CreateRGBSurfaceWithFormat(0, 1080, 1920, 32, SDL_PIXELFORMAT_ARGB8888);
  f->ren = SDL_CreateSoftwareRenderer(f->surf);
  if (!f->ren || kiosk_text_new(f->ren, KIOSK_TEST_FONT, NULL, 2, &f->text) != LOBBY_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  kiosk_ui_free(&f->ui);
  kiosk_text_free(f->text);
  SDL_DestroyRenderer(f->ren);
  SDL_FreeSurface(f->surf);
  free(f);
  return 0;
}

static kiosk_widget *add(fixture *f, SDL_Rect r, const char *text, unsigned flags)
{
  kiosk_widget *w = kiosk_ui_add(&f->ui, KW_BUTTON, r, text);
  w->font_px = 40;
  w->flags |= flags;
  w->action = 1;
  return w;
}

static void test_overflow_flags(void **state)
{
  fixture *f = *state;
  kiosk_ui_reset(&f->ui, 1080, 1920, "test");
  add(f, (SDL_Rect){10, 10, 600, 80}, "报修", 0);                       /* fits */
  add(f, (SDL_Rect){10, 100, 100, 60}, "访客登记访客登记访客登记", 0);   /* too long */
  add(f, (SDL_Rect){10, 200, 100, 60}, "访客登记访客登记访客登记", KF_ELLIPSIS); /* cut with … */
  add(f, (SDL_Rect){1000, 10, 200, 80}, "出界", 0);                      /* off screen */
  add(f, (SDL_Rect){10, 300, 120, 70}, "English", KF_SHRINK);            /* shrinks to fit */
  assert_int_equal(kiosk_ui_finish(&f->ui, f->text), LOBBY_OK);
  assert_false(f->ui.w[0].flags & KF_OVERFLOW);
  assert_true(f->ui.w[1].flags & KF_OVERFLOW);
  assert_false(f->ui.w[2].flags & KF_OVERFLOW);
  assert_true(f->ui.w[2].layout.ellipsized);
  assert_true(f->ui.w[3].flags & KF_OVERFLOW);
  assert_false(f->ui.w[4].flags & KF_OVERFLOW);
  assert_true(f->ui.w[4].used_px < 40);
  assert_int_equal(kiosk_ui_overflow_count(&f->ui), 2);
  kiosk_ui_draw(&f->ui, f->ren, f->text);
}

static void test_find_and_hit(void **state)
{
  fixture *f = *state;
  kiosk_ui_reset(&f->ui, 1080, 1920, "test");
  kiosk_widget *label = kiosk_ui_add(&f->ui, KW_LABEL, (SDL_Rect){0, 0, 500, 80}, "报修");
  label->action = 0;
  add(f, (SDL_Rect){0, 100, 500, 80}, "报修", 0)->arg = 7;
  add(f, (SDL_Rect){0, 200, 500, 80}, "进度查询", KF_DISABLED);
  assert_int_equal(kiosk_ui_finish(&f->ui, f->text), LOBBY_OK);
  const kiosk_widget *w = kiosk_ui_find(&f->ui, "报修", true);
  assert_non_null(w);
  assert_int_equal(w->arg, 7);
  assert_null(kiosk_ui_find(&f->ui, "进度查询", true));
  assert_non_null(kiosk_ui_find(&f->ui, "进度", false));
  assert_ptr_equal(kiosk_ui_hit(&f->ui, 10, 110), w);
  assert_null(kiosk_ui_hit(&f->ui, 10, 10));
  assert_null(kiosk_ui_hit(&f->ui, 10, 210));
}

static void test_clip_hides_outside(void **state)
{
  fixture *f = *state;
  kiosk_ui_reset(&f->ui, 1080, 1920, "test");
  int clip = kiosk_ui_clip(&f->ui, (SDL_Rect){0, 0, 1080, 500});
  kiosk_widget *in = add(f, (SDL_Rect){0, 450, 500, 100}, "半露", 0);
  in->clip = clip;
  kiosk_widget *out = add(f, (SDL_Rect){0, 600, 500, 100}, "看不见", 0);
  out->clip = clip;
  assert_int_equal(kiosk_ui_finish(&f->ui, f->text), LOBBY_OK);
  assert_false(f->ui.w[0].flags & KF_HIDDEN);
  assert_true(f->ui.w[1].flags & KF_HIDDEN);
  assert_null(kiosk_ui_find(&f->ui, "看不见", false));
  /* The visible part is tappable, the clipped part is not. */
  assert_non_null(kiosk_ui_hit(&f->ui, 10, 460));
  assert_null(kiosk_ui_hit(&f->ui, 10, 520));
}

static void test_dump_json(void **state)
{
  fixture *f = *state;
  kiosk_ui_reset(&f->ui, 1080, 1920, "home");
  add(f, (SDL_Rect){10, 100, 100, 60}, "访客登记访客登记访客登记", 0);
  add(f, (SDL_Rect){10, 300, 600, 100}, "报修", 0);
  assert_int_equal(kiosk_ui_finish(&f->ui, f->text), LOBBY_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  assert_int_equal(kiosk_ui_dump_json(&f->ui, mem), LOBBY_OK);
  fclose(mem);
  json_error_t je;
  json_t *root = json_loads(buf, 0, &je);
  assert_non_null(root);
  assert_string_equal(json_string_value(json_object_get(root, "screen")), "home");
  assert_int_equal(json_integer_value(json_object_get(root, "overflow_count")), 1);
  json_t *ws = json_object_get(root, "widgets");
  assert_int_equal(json_array_size(ws), 2);
  json_t *w0 = json_array_get(ws, 0);
  assert_string_equal(json_string_value(json_object_get(w0, "role")), "button");
  assert_true(json_is_true(json_object_get(w0, "overflow")));
  assert_int_equal(json_integer_value(json_array_get(json_object_get(w0, "rect"), 2)), 100);
  assert_true(json_is_false(json_object_get(json_array_get(ws, 1), "overflow")));
  json_decref(root);
  free(buf);
}

static int freed;
static void count_free(void *v)
{
  (void)v;
  freed++;
}

static void test_lru(void **state)
{
  (void)state;
  kiosk_lru *l;
  assert_int_equal(kiosk_lru_new(3, 0, count_free, &l), LOBBY_OK);
  static int a, b, c, d;
  freed = 0;
  assert_int_equal(kiosk_lru_put(l, "a", 1, &a, 1, false), LOBBY_OK);
  assert_int_equal(kiosk_lru_put(l, "b", 1, &b, 1, true), LOBBY_OK);
  assert_int_equal(kiosk_lru_put(l, "c", 1, &c, 1, false), LOBBY_OK);
  assert_ptr_equal(kiosk_lru_get(l, "a", 1), &a); /* a is now the most recent */
  assert_int_equal(kiosk_lru_put(l, "d", 1, &d, 1, false), LOBBY_OK);
  assert_null(kiosk_lru_get(l, "b", 1)); /* b was the least recent */
  assert_int_equal(freed, 1);
  assert_int_equal(kiosk_lru_put(l, "b", 1, &b, 1, true), LOBBY_OK);
  kiosk_lru_purge_private(l);
  assert_null(kiosk_lru_get(l, "b", 1));
  assert_non_null(kiosk_lru_get(l, "d", 1));
  /* Private entries at both ends of the list, one replaced by a public
   * value under the same key: the purge still finds every private one. */
  static int x, y, z;
  assert_int_equal(kiosk_lru_put(l, "x", 1, &x, 1, true), LOBBY_OK);
  assert_int_equal(kiosk_lru_put(l, "y", 1, &y, 1, true), LOBBY_OK);
  assert_int_equal(kiosk_lru_put(l, "y", 1, &y, 1, false), LOBBY_OK);
  assert_int_equal(kiosk_lru_put(l, "z", 1, &z, 1, true), LOBBY_OK);
  kiosk_lru_purge_private(l);
  assert_null(kiosk_lru_get(l, "x", 1));
  assert_null(kiosk_lru_get(l, "z", 1));
  assert_ptr_equal(kiosk_lru_get(l, "y", 1), &y);
  assert_int_equal(kiosk_lru_count(l), 1);
  kiosk_lru_free(l);
}

/* A field being typed in shows the end of its text, where the caret is;
 * the same text unfocused is cut at the end with an ellipsis. */
static void test_focused_field_shows_its_end(void **state)
{
  fixture *f = *state;
  char text[1024] = "";
  for (int i = 0; i < 60; i++)
    strcat(text, i == 59 ? "尾" : "漏水");
  kiosk_ui_reset(&f->ui, 1080, 1920, "test");
  kiosk_widget *typing = add(f, (SDL_Rect){10, 10, 600, 130}, text, KF_TAIL | KF_FOCUSED | KF_TOP);
  typing->role = KW_FIELD;
  add(f, (SDL_Rect){10, 200, 600, 130}, text, KF_ELLIPSIS | KF_TOP);
  assert_int_equal(kiosk_ui_finish(&f->ui, f->text), LOBBY_OK);
  const kiosk_layout *tail = &f->ui.w[0].layout, *head = &f->ui.w[1].layout;
  assert_true(tail->n_lines >= 1 && tail->n_lines == head->n_lines);
  const kiosk_line *last = &tail->lines[tail->n_lines - 1];
  assert_int_equal(last->start + last->len, strlen(text));
  assert_false(tail->ellipsized);
  assert_int_equal(head->lines[0].start, 0);
  assert_true(head->ellipsized);
  assert_false(f->ui.w[0].flags & KF_OVERFLOW);
  kiosk_ui_draw(&f->ui, f->ren, f->text);
}

static bool damage_has(const kiosk_damage *d, SDL_Rect r)
{
  for (int i = 0; i < d->n; i++)
    if (SDL_RectEquals(&d->r[i], &r))
      return true;
  return false;
}

/* Damage is a few rectangles: those that overlap or touch become one, the
 * others stay apart, and when the slots run out the two closest merge
 * (not everything into one box, which made a language switch redraw the
 * whole screen). */
static void test_damage_rectangles(void **state)
{
  (void)state;
  kiosk_damage d = {0};
  kiosk_damage_add(&d, (SDL_Rect){0, 0, 10, 10});
  kiosk_damage_add(&d, (SDL_Rect){5, 5, 10, 10});
  assert_int_equal(d.n, 1);
  assert_true(damage_has(&d, (SDL_Rect){0, 0, 15, 15}));
  kiosk_damage_add(&d, (SDL_Rect){15, 0, 5, 5}); /* touches */
  assert_int_equal(d.n, 1);
  kiosk_damage_add(&d, (SDL_Rect){0, 100, 10, 10});
  kiosk_damage_add(&d, (SDL_Rect){0, 0, 0, 10}); /* empty: ignored */
  assert_int_equal(d.n, 2);
  /* A rectangle joining two merges all three. */
  kiosk_damage_add(&d, (SDL_Rect){0, 14, 4, 90});
  assert_int_equal(d.n, 1);
  assert_true(damage_has(&d, (SDL_Rect){0, 0, 20, 110}));
  /* Rows of small rectangles far apart: the slots fill, and the nearest
   * two merge, never the lot. */
  kiosk_damage e = {0};
  for (int i = 0; i < 2 * KIOSK_DAMAGE_RECTS; i++)
    kiosk_damage_add(&e, (SDL_Rect){0, i * 100 + (i % 2 ? 40 : 0), 10, 10});
  assert_true(e.n > 1 && e.n < KIOSK_DAMAGE_RECTS);
  long total = 0;
  for (int i = 0; i < e.n; i++) {
    total += (long)e.r[i].w * e.r[i].h;
    for (int j = i + 1; j < e.n; j++)
      assert_false(SDL_HasIntersection(&e.r[i], &e.r[j]));
  }
  assert_true(total < 10L * 100 * 2 * KIOSK_DAMAGE_RECTS / 2);
}

int main(void)
{
  if (SDL_Init(0) != 0)
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_overflow_flags),
    cmocka_unit_test(test_find_and_hit),
    cmocka_unit_test(test_clip_hides_outside),
    cmocka_unit_test(test_dump_json),
    cmocka_unit_test(test_lru),
    cmocka_unit_test(test_focused_field_shows_its_end),
    cmocka_unit_test(test_damage_rectangles),
  };
  int rc = cmocka_run_group_tests(tests, setup, teardown);
  SDL_Quit();
  return rc;
}
