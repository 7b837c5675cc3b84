#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include "kiosk_app.h"
#include "lobby_log.h"
#include "lobby_paths.h"
#include "lobby_text.h"

void kiosk_config_defaults(kiosk_config *c)
{
  memset(c, 0, sizeof *c);
  snprintf(c->state_dir, sizeof c->state_dir, "%s", LOBBY_KIOSK_STATEDIR);
  snprintf(c->font_path, sizeof c->font_path, "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
  snprintf(c->font_bold_path, sizeof c->font_bold_path, "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");
  c->font_index = 2; /* Simplified Chinese face of the Noto CJK collection */
  /* A path too long for the buffer leaves it empty: loading then fails
   * with the strings file's name, which says what is missing. */
  (void)lobby_path_data("assets", c->assets_dir, sizeof c->assets_dir);
  snprintf(c->language, sizeof c->language, "zh");
  c->idle_timeout_s = 60;
  c->rotate_s = 8;
  c->utc_offset_min = 480;
  c->fullscreen = true;
  /* A 21.5-inch 1080x1920 panel, the usual lobby kiosk. */
  c->diagonal_in = 21.5;
  c->dpi = 0;
  c->pinyin = true;
  snprintf(c->rime_shared_dir, sizeof c->rime_shared_dir, "/usr/share/rime-data");
  (void)lobby_path_data("rime", c->rime_config_dir, sizeof c->rime_config_dir);
}

lobby_err kiosk_parse_size(const char *s, int *w, int *h)
{
  char *end;
  long a = strtol(s, &end, 10);
  if (end == s || (*end != 'x' && *end != 'X'))
    return LOBBY_EINVAL;
  const char *p = end + 1;
  long b = strtol(p, &end, 10);
  if (end == p || *end || a < 320 || b < 320 || a > 8192 || b > 8192)
    return LOBBY_EINVAL;
  *w = (int)a;
  *h = (int)b;
  return LOBBY_OK;
}

static void set_str(char *dst, size_t n, const char *v)
{
  snprintf(dst, n, "%s", v);
}

static bool set_int(int *dst, const char *v, int lo, int hi)
{
  int64_t x;
  if (lobby_parse_int64(v, lo, hi, &x) != LOBBY_OK)
    return false;
  *dst = (int)x;
  return true;
}

static bool set_double(double *dst, const char *v, double lo, double hi)
{
  char *end;
  double x = strtod(v, &end);
  if (end == v || *end || !(x >= lo && x <= hi))
    return false;
  *dst = x;
  return true;
}

static bool set_bool(bool *dst, const char *v)
{
  if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes"))
    *dst = true;
  else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no"))
    *dst = false;
  else
    return false;
  return true;
}

#define IS(s, n) (strcmp(section, s) == 0 && strcmp(name, n) == 0)

static int on_value(void *user, const char *section, const char *name, const char *value)
{
  kiosk_config *c = user;
  bool ok = true;
  if (IS("server", "url"))
    set_str(c->server_url, sizeof c->server_url, value);
  else if (IS("server", "token"))
    set_str(c->token, sizeof c->token, value);
  else if (IS("server", "state_dir"))
    set_str(c->state_dir, sizeof c->state_dir, value);
  else if (IS("display", "font"))
    set_str(c->font_path, sizeof c->font_path, value);
  else if (IS("display", "font_bold"))
    set_str(c->font_bold_path, sizeof c->font_bold_path, value);
  else if (IS("display", "font_index"))
    ok = set_int(&c->font_index, value, 0, 16);
  else if (IS("display", "assets")) {
    if (*value)
      set_str(c->assets_dir, sizeof c->assets_dir, value);
  }
  else if (IS("display", "language"))
    ok = (strcmp(value, "zh") == 0 || strcmp(value, "en") == 0) &&
         (set_str(c->language, sizeof c->language, value), true);
  else if (IS("display", "size"))
    ok = !*value || kiosk_parse_size(value, &c->width, &c->height) == LOBBY_OK;
  else if (IS("display", "fullscreen"))
    c->fullscreen = strcmp(value, "0") != 0 && strcmp(value, "false") != 0;
  else if (IS("display", "rotate_s"))
    ok = set_int(&c->rotate_s, value, 2, 3600);
  else if (IS("display", "utc_offset_min"))
    ok = set_int(&c->utc_offset_min, value, -720, 840);
  else if (IS("display", "diagonal_in"))
    ok = set_double(&c->diagonal_in, value, 5.0, 120.0);
  else if (IS("display", "dpi"))
    ok = !*value || set_double(&c->dpi, value, 0.0, 1000.0);
  else if (IS("input", "pinyin"))
    ok = set_bool(&c->pinyin, value);
  else if (IS("input", "rime_shared_dir"))
    set_str(c->rime_shared_dir, sizeof c->rime_shared_dir, value);
  else if (IS("input", "rime_config_dir")) {
    if (*value)
      set_str(c->rime_config_dir, sizeof c->rime_config_dir, value);
  }
  else if (IS("privacy", "idle_timeout_s"))
    ok = set_int(&c->idle_timeout_s, value, 5, 3600);
  else
    LOBBY_WARN("kiosk.ini: unknown setting [%s] %s ignored", section, name);
  if (!ok)
    LOBBY_ERROR("kiosk.ini: bad value for [%s] %s", section, name);
  return ok ? 1 : 0;
}

lobby_err kiosk_config_load(const char *path, kiosk_config *c)
{
  int rc = ini_parse(path, on_value, c);
  if (rc == -1)
    return LOBBY_ENOTFOUND;
  if (rc != 0) {
    LOBBY_ERROR("%s: error at line %d", path, rc);
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
}
