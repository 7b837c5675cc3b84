#include "kiosk_input.h"

#include <ctype.h>
#include <string.h>
#include "kiosk_app.h"
#include "text_layout.h"

void kiosk_field_init(kiosk_field *f, kiosk_field_kind kind, size_t max_chars)
{
  kiosk_wipe(f, sizeof *f);
  f->kind = kind;
  f->max_chars = max_chars;
}

void kiosk_field_wipe(kiosk_field *f)
{
  kiosk_wipe(f->buf, sizeof f->buf);
  f->error = false;
}

size_t kiosk_field_chars(const kiosk_field *f)
{
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)f->buf; *p; p++)
    if ((*p & 0xC0) != 0x80)
      n++;
  return n;
}

static bool accepts(kiosk_field_kind kind, uint32_t cp)
{
  static const char code_alphabet[] = "34679ACDEFGHJKMNPQRTUVWXY";
  switch (kind) {
  case KIOSK_FIELD_DIGITS: return cp >= '0' && cp <= '9';
  case KIOSK_FIELD_PHONE: return (cp >= '0' && cp <= '9') || cp == '+' || cp == '-';
  case KIOSK_FIELD_CODE: return cp < 128 && cp && strchr(code_alphabet, toupper((int)cp));
  case KIOSK_FIELD_PLATE: return cp > 127 || isalnum((int)cp);
  case KIOSK_FIELD_TEXT: return cp >= 0x20 && cp != 0x7F;
  }
  return false;
}

lobby_err kiosk_field_commit(kiosk_field *f, const char *utf8)
{
  size_t used = strlen(f->buf), chars = kiosk_field_chars(f);
  const char *p = utf8;
  while (*p) {
    size_t cl;
    uint32_t cp = kiosk_utf8_decode(p, &cl);
    if (accepts(f->kind, cp)) {
      if (chars >= f->max_chars || used + cl + 1 > sizeof f->buf)
        return LOBBY_ETOOBIG;
      memcpy(f->buf + used, p, cl);
      if (f->kind == KIOSK_FIELD_CODE || f->kind == KIOSK_FIELD_PLATE)
        f->buf[used] = (char)toupper((unsigned char)f->buf[used]);
      used += cl;
      chars++;
      f->buf[used] = '\0';
    }
    p += cl;
  }
  f->error = false;
  return LOBBY_OK;
}

void kiosk_field_backspace(kiosk_field *f)
{
  size_t n = strlen(f->buf);
  while (n > 0) {
    n--;
    unsigned char c = (unsigned char)f->buf[n];
    f->buf[n] = '\0';
    if ((c & 0xC0) != 0x80)
      break;
  }
  f->error = false;
}

int kiosk_list_count(const char *list)
{
  if (!list || !*list)
    return 0;
  int n = 1;
  for (const char *p = list; *p; p++)
    n += *p == '|';
  return n;
}

bool kiosk_list_item(const char *list, int n, char *out, size_t out_size)
{
  if (!list || !*list || n < 0)
    return false;
  const char *p = list;
  for (int i = 0; i < n; i++) {
    p = strchr(p, '|');
    if (!p)
      return false;
    p++;
  }
  const char *e = strchr(p, '|');
  size_t len = e ? (size_t)(e - p) : strlen(p);
  snprintf(out, out_size, "%.*s", (int)len, p);
  return true;
}

/* Key tables: labels in order; special keys use string keys. */
#define KEY_BACKSPACE "key.backspace"
#define KEY_CLEAR "key.clear"
#define KEY_SPACE "key.space"

static const char *const digit_keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", KEY_CLEAR, "0", KEY_BACKSPACE};
static const char *const code_keys[] = {
  "3", "4", "6", "7", "9", "A", "C", "D", "E", "F", "G", "H", "J", "K", "M",
  "N", "P", "Q", "R", "T", "U", "V", "W", "X", "Y", KEY_CLEAR, KEY_BACKSPACE};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void press_key(kiosk_app *app, const char *label, kiosk_field *f)
{
  (void)app;
  if (!f)
    return;
  if (strcmp(label, KEY_BACKSPACE) == 0)
    kiosk_field_backspace(f);
  else if (strcmp(label, KEY_CLEAR) == 0)
    kiosk_field_wipe(f);
  else if (strcmp(label, KEY_SPACE) == 0)
    (void)kiosk_field_commit(f, " ");
  else
    (void)kiosk_field_commit(f, label);
}

static const char *key_label(kiosk_app *app, const char *k)
{
  return strncmp(k, "key.", 4) == 0 ? kiosk_s(app, k) : k;
}

static void build_grid(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const char *const *keys, int n,
                       int cols, int last_row_span)
{
  int rows = (n - last_row_span + cols - 1) / cols + (last_row_span ? 1 : 0);
  int gap = app->m.gap / 2;
  for (int i = 0; i < n; i++) {
    SDL_Rect r;
    if (last_row_span && i == n - 1)
      r = (SDL_Rect){area.x, area.y + (rows - 1) * (area.h + gap) / rows, area.w,
                     (area.h + gap) / rows - gap};
    else
      r = kiosk_grid_cell(area, cols, rows, i, gap);
    kiosk_widget *w = kiosk_ui_add(ui, KW_KEY, r, key_label(app, keys[i]));
    w->action = KIOSK_ACT_KEY;
    w->arg = i;
    w->bg = kiosk_rgb(strncmp(keys[i], "key.", 4) == 0 ? 0xE5E7EB : 0xFFFFFF);
    w->border = kiosk_rgb(0xC7C3BA);
    w->border_w = 2;
    w->radius = app->m.radius / 2;
    w->align = KA_CENTER;
    w->font_px = app->m.body;
    w->bold = true;
    w->flags |= KF_SHRINK;
  }
}

static void digits_build(const kiosk_input_source *src, kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  (void)src;
  build_grid(app, ui, area, digit_keys, N(digit_keys), 3, 0);
}

static void digits_press(const kiosk_input_source *src, kiosk_app *app, int key, kiosk_field *f)
{
  (void)src;
  if (key >= 0 && key < N(digit_keys))
    press_key(app, digit_keys[key], f);
}

static void code_build(const kiosk_input_source *src, kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  (void)src;
  build_grid(app, ui, area, code_keys, N(code_keys), app->m.portrait ? 6 : 7, 0);
}

static void code_press(const kiosk_input_source *src, kiosk_app *app, int key, kiosk_field *f)
{
  (void)src;
  if (key >= 0 && key < N(code_keys))
    press_key(app, code_keys[key], f);
}

static void phrases_build(const kiosk_input_source *src, kiosk_app *app, kiosk_ui *ui, SDL_Rect area)
{
  int n = kiosk_list_count(src->phrases);
  /* Short items (surnames) pack densely; phrases get wide cells. */
  char item[256];
  size_t longest = 0;
  for (int i = 0; i < n; i++)
    if (kiosk_list_item(src->phrases, i, item, sizeof item) && strlen(item) > longest)
      longest = strlen(item);
  /* Single characters get keys about a button high and a little wider;
   * phrases get two or three wide columns. */
  int cols = longest <= 9 ? area.w * 10 / (app->m.button_h * 11) : (area.w > 1100 ? 3 : 2);
  if (cols < 4)
    cols = 4;
  if (cols > 8)
    cols = 8;
  int rows = (n + 1 + cols - 1) / cols;
  int gap = app->m.gap / 2;
  for (int i = 0; i <= n; i++) {
    SDL_Rect r = kiosk_grid_cell(area, cols, rows, i, gap);
    const char *label = item;
    if (i == n)
      label = kiosk_s(app, KEY_BACKSPACE);
    else if (!kiosk_list_item(src->phrases, i, item, sizeof item))
      continue;
    kiosk_widget *w = kiosk_ui_add(ui, KW_KEY, r, label);
    w->action = KIOSK_ACT_KEY;
    w->arg = i;
    w->bg = kiosk_rgb(i == n ? 0xE5E7EB : 0xFFFFFF);
    w->border = kiosk_rgb(0xC7C3BA);
    w->border_w = 2;
    w->radius = app->m.radius / 2;
    w->align = KA_CENTER;
    w->font_px = app->m.body;
    w->flags |= KF_SHRINK;
  }
}

static void phrases_press(const kiosk_input_source *src, kiosk_app *app, int key, kiosk_field *f)
{
  (void)app;
  if (!f)
    return;
  if (key == kiosk_list_count(src->phrases)) {
    kiosk_field_backspace(f);
    return;
  }
  char item[256];
  if (!kiosk_list_item(src->phrases, key, item, sizeof item))
    return;
  if (f->buf[0] && src->separator && *src->separator)
    (void)kiosk_field_commit(f, src->separator);
  (void)kiosk_field_commit(f, item);
}

const kiosk_input_source kiosk_src_digits = {"src.digits", digits_build, digits_press, NULL, NULL};
const kiosk_input_source kiosk_src_code = {"src.code", code_build, code_press, NULL, NULL};

void kiosk_src_phrases(kiosk_input_source *src, const char *label_key, const char *phrases,
                       const char *separator)
{
  src->label_key = label_key;
  src->build = phrases_build;
  src->press = phrases_press;
  src->phrases = phrases;
  src->separator = separator;
}
