/* A pass code typed on the code keyboard (code_entry.h in screens.h): the
 * visitor's check-out and the contractor worker's sign-in and -out ask
 * for it the same way. */
#include <string.h>
#include "kiosk_app.h"

/* The button to another way in, under the hint: as tall as a button and
 * its label on one line (it shrinks rather than wraps). */
static void aside_button(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_code_entry *e)
{
  kiosk_widget *w = kiosk_button(app, ui, r, kiosk_s(app, e->aside_key), KIOSK_ACT_GO, e->aside_screen, e->aside_color);
  w->icon = e->aside_icon;
  w->font_px = app->m.body;
  w->flags |= KF_SHRINK;
}

void kiosk_code_entry_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_code_entry *e)
{
  const kiosk_metrics *m = &app->m;
  kiosk_widget *p = kiosk_label(app, ui, kiosk_rect_take_top(&area, m->title * 3 / 2, m->gap / 2),
                                kiosk_s(app, e->prompt_key), m->title, true, KIOSK_C_INK);
  p->flags |= KF_SHRINK | KF_ELLIPSIS;
  p->max_lines = 1;
  if (m->portrait)
    area = kiosk_error_box(app, ui, area);
  area = kiosk_nav(app, ui, area, "nav.cancel", e->submit_key, true);
  int fh = m->small * 3 / 2 + m->gap / 4 + m->button_h;
  int aside_h = e->aside_key ? m->button_h : 0;
  SDL_Rect fields, keys;
  if (m->portrait) {
    fields = kiosk_rect_take_top(&area, fh + m->small * 3, m->gap);
    keys = area;
    if (aside_h)
      aside_button(app, ui, kiosk_rect_take_top(&keys, aside_h, m->gap), e);
  } else {
    fields = kiosk_rect_take_left(&area, area.w * 2 / 5, m->margin);
    fields = kiosk_error_box(app, ui, fields);
    keys = area;
    /* Landscape: at the foot of the column, under the hint. */
    if (aside_h)
      aside_button(app, ui, kiosk_rect_take_bottom(&fields, aside_h, m->gap), e);
  }
  e->code->error = !strcmp(app->form.error_field, "pass_code");
  kiosk_field_widget(app, ui, kiosk_rect_take_top(&fields, fh, m->gap), e->field_key, e->code, 0, true, NULL);
  int hint_h = fields.h < m->small * 3 ? fields.h : m->small * 3;
  kiosk_widget *hint = kiosk_label(app, ui, kiosk_rect_take_top(&fields, hint_h, 0), kiosk_s(app, e->hint_key),
                                   m->small, false, KIOSK_C_MUTED);
  hint->flags |= KF_SHRINK | KF_TOP;
  app->form.focus = e->code;
  const kiosk_input_source *srcs[] = {&kiosk_src_code};
  kiosk_keyboard(app, ui, keys, srcs, 1, 0);
}
