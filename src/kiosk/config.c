#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kiosk_app.h"
#include "lobby_ini.h"
#include "lobby_log.h"
#include "lobby_paths.h"
#include "lobby_text.h"
#include "lobby_tls.h"

void kiosk_config_defaults(kiosk_config *c)
{
  memset(c, 0, sizeof *c);
  snprintf(c->state_dir, sizeof c->state_dir, "%s", LOBBY_KIOSK_STATEDIR);
  snprintf(c->font.path, sizeof c->font.path, "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
  snprintf(c->font.bold_path, sizeof c->font.bold_path, "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");
  c->font.index = 2; /* Simplified Chinese face of the Noto CJK collection */
  /* A path too long for the buffer leaves it empty: loading then fails
   * with the strings file's name, which says what is missing. */
  (void)lobby_path_data("assets", c->assets_dir, sizeof c->assets_dir);
  snprintf(c->language, sizeof c->language, "zh");
  c->idle_timeout_s = 60;
  c->rotate_s = 8;
  c->utc_offset_min = 480;
  c->display.fullscreen = true;
  /* Auto: software where a window has pixels of its own (X11), which on
   * a PC without a GPU measured a tenth of the idle CPU, a third of the
   * PSS (no libLLVM) and a quarter of the frame time of OpenGL on
   * llvmpipe; OpenGL under cage (Wayland) and on KMSDRM, where SDL 2.26
   * loads it for a window surface anyway (docs/deploy.md, "Renderer"). */
  c->display.renderer = KIOSK_RENDERER_AUTO;
  /* A 21.5-inch 1080x1920 panel, the usual lobby kiosk. */
  c->display.diagonal_in = 21.5;
  c->display.dpi = 0;
  c->input.pinyin = true;
  c->audio.on = true;
  c->audio.volume = 80;
  c->audio.emergency_repeat_s = 60;
  c->audio.quiet_volume = 30;
  snprintf(c->input.rime_shared_dir, sizeof c->input.rime_shared_dir, "/usr/share/rime-data");
  (void)lobby_path_data("rime", c->input.rime_config_dir, sizeof c->input.rime_config_dir);
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

lobby_err kiosk_parse_renderer(const char *s, kiosk_renderer *out)
{
  if (strcmp(s, "auto") == 0)
    *out = KIOSK_RENDERER_AUTO;
  else if (strcmp(s, "software") == 0)
    *out = KIOSK_RENDERER_SOFTWARE;
  else if (strcmp(s, "gpu") == 0)
    *out = KIOSK_RENDERER_GPU;
  else
    return LOBBY_EINVAL;
  return LOBBY_OK;
}

lobby_err kiosk_parse_rotation(const char *s, int *degrees)
{
  int64_t v;
  if (lobby_parse_int64(s, 0, 270, &v) != LOBBY_OK || v % 90 != 0)
    return LOBBY_EINVAL;
  *degrees = (int)v;
  return LOBBY_OK;
}

/* "HH:MM" at s, exactly five characters. */
static bool parse_hhmm(const char *s, int *minutes)
{
  if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' && s[3] >= '0' &&
        s[3] <= '9' && s[4] >= '0' && s[4] <= '9'))
    return false;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0))
    return false;
  *minutes = h * 60 + m;
  return true;
}

lobby_err kiosk_parse_night(const char *s, bool *on, int *start_min, int *end_min)
{
  if (!*s) {
    *on = false;
    return LOBBY_OK;
  }
  int a, b;
  if (strlen(s) != 11 || s[5] != '-' || !parse_hhmm(s, &a) || !parse_hhmm(s + 6, &b))
    return LOBBY_EINVAL;
  /* 24:00 is midnight at the end of a day; a range of no length is
   * surely a mistake, not "never" or "always". */
  a %= 1440;
  b %= 1440;
  if (a == b)
    return LOBBY_EINVAL;
  *on = true;
  *start_min = a;
  *end_min = b;
  return LOBBY_OK;
}

bool kiosk_night_contains(const kiosk_config *c, int minute_of_day)
{
  if (!c->night.on)
    return false;
  int a = c->night.start_min, b = c->night.end_min, t = minute_of_day;
  return a < b ? (t >= a && t < b) : (t >= a || t < b);
}

/* The file being read, the line inih is on (counted by our reader), and
 * the first error in words. */
typedef struct {
  kiosk_config *c;
  const char *path;
  FILE *f;
  int line;
  int err_line;
  char err[768];
  int ca_line, pin_line; /* where each was set, for the TLS check */
} config_reader;

static char *read_line(char *str, int num, void *stream)
{
  config_reader *r = stream;
  char *s = fgets(str, num, r->f);
  if (s)
    r->line++;
  return s;
}

static bool set_str(char *dst, size_t n, const char *v)
{
  /* A value that does not fit is refused, never cut. */
  return strlen(v) < n && (snprintf(dst, n, "%s", v), true);
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
  return lobby_ini_bool(v, dst) == LOBBY_OK;
}

#define IS(s, n) (strcmp(section, s) == 0 && strcmp(name, n) == 0)
#define BOOLS "true/false, yes/no, on/off or 1/0"

/* Applies one value; false with what was expected in *want. */
static bool apply(kiosk_config *c, const char *section, const char *name, const char *value,
                  const char **want, bool *known)
{
  *known = true;
  *want = "a path of at most 511 bytes";
  if (IS("server", "url"))
    return *want = "a URL of at most 255 bytes", set_str(c->server.url, sizeof c->server.url, value);
  if (IS("server", "token"))
    return *want = "a kiosk token of at most 159 bytes", set_str(c->server.token, sizeof c->server.token, value);
  if (IS("server", "ca_file"))
    return !*value || set_str(c->server.ca_file, sizeof c->server.ca_file, value);
  if (IS("server", "pin"))
    return *want = "sha256// and the key's base64 SHA-256 (44 characters), several joined by ';'",
           !*value || (lobby_tls_check_pin(value) == LOBBY_OK && set_str(c->server.pin, sizeof c->server.pin, value));
  if (IS("server", "state_dir"))
    return set_str(c->state_dir, sizeof c->state_dir, value);
  if (IS("display", "font"))
    return set_str(c->font.path, sizeof c->font.path, value);
  if (IS("display", "font_bold"))
    return set_str(c->font.bold_path, sizeof c->font.bold_path, value);
  if (IS("display", "font_index"))
    return *want = "a whole number from 0 to 16", set_int(&c->font.index, value, 0, 16);
  if (IS("display", "assets"))
    return !*value || set_str(c->assets_dir, sizeof c->assets_dir, value);
  if (IS("display", "language")) {
    *want = "zh or en";
    return (strcmp(value, "zh") == 0 || strcmp(value, "en") == 0) &&
           set_str(c->language, sizeof c->language, value);
  }
  if (IS("display", "size"))
    return *want = "empty or WIDTHxHEIGHT from 320 to 8192, like 1080x1920",
           !*value || kiosk_parse_size(value, &c->display.width, &c->display.height) == LOBBY_OK;
  if (IS("display", "rotation"))
    return *want = "0, 90, 180 or 270", kiosk_parse_rotation(value, &c->display.rotation) == LOBBY_OK;
  if (IS("display", "renderer"))
    return *want = "auto, software or gpu", kiosk_parse_renderer(value, &c->display.renderer) == LOBBY_OK;
  if (IS("display", "night"))
    return *want = "empty or HH:MM-HH:MM, like 00:00-06:00",
           kiosk_parse_night(value, &c->night.on, &c->night.start_min, &c->night.end_min) == LOBBY_OK;
  if (IS("display", "fullscreen"))
    return *want = BOOLS, set_bool(&c->display.fullscreen, value);
  if (IS("display", "rotate_s"))
    return *want = "a whole number of seconds from 2 to 3600", set_int(&c->rotate_s, value, 2, 3600);
  if (IS("display", "utc_offset_min"))
    return *want = "a whole number of minutes from -720 to 840",
           set_int(&c->utc_offset_min, value, -720, 840);
  if (IS("display", "diagonal_in"))
    return *want = "a number of inches from 5 to 120", set_double(&c->display.diagonal_in, value, 5.0, 120.0);
  if (IS("display", "dpi"))
    return *want = "empty or a number from 0 to 1000", !*value || set_double(&c->display.dpi, value, 0.0, 1000.0);
  if (IS("input", "pinyin"))
    return *want = BOOLS, set_bool(&c->input.pinyin, value);
  if (IS("input", "rime_shared_dir"))
    return set_str(c->input.rime_shared_dir, sizeof c->input.rime_shared_dir, value);
  if (IS("input", "rime_config_dir"))
    return !*value || set_str(c->input.rime_config_dir, sizeof c->input.rime_config_dir, value);
  if (IS("audio", "enabled"))
    return *want = BOOLS, set_bool(&c->audio.on, value);
  if (IS("audio", "volume"))
    return *want = "a whole number from 0 to 100", set_int(&c->audio.volume, value, 0, 100);
  if (IS("audio", "emergency_repeat_s"))
    return *want = "a whole number of seconds from 20 to 3600",
           set_int(&c->audio.emergency_repeat_s, value, 20, 3600);
  if (IS("audio", "quiet"))
    return *want = "empty or HH:MM-HH:MM, like 22:00-07:00",
           kiosk_parse_night(value, &c->audio.quiet_on, &c->audio.quiet_start_min, &c->audio.quiet_end_min) ==
             LOBBY_OK;
  if (IS("audio", "quiet_volume"))
    return *want = "a whole number from 0 to 100", set_int(&c->audio.quiet_volume, value, 0, 100);
  if (IS("privacy", "idle_timeout_s"))
    return *want = "a whole number of seconds from 5 to 3600", set_int(&c->idle_timeout_s, value, 5, 3600);
  *known = false;
  return true;
}

static int on_value(void *user, const char *section, const char *name, const char *raw)
{
  config_reader *r = user;
  char value[1024];
  const char *want = "a value of at most 1023 bytes";
  bool known = true;
  bool cleaned = lobby_ini_value(raw, value, sizeof value) == LOBBY_OK;
  bool ok = cleaned && apply(r->c, section, name, value, &want, &known);
  if (ok && strcmp(section, "server") == 0) {
    if (strcmp(name, "ca_file") == 0)
      r->ca_line = r->line;
    else if (strcmp(name, "pin") == 0)
      r->pin_line = r->line;
  }
  if (!known)
    LOBBY_WARN("%s line %d: unknown setting [%s] %s ignored", r->path, r->line, section, name);
  if (!ok && !r->err_line) {
    r->err_line = r->line;
    snprintf(r->err, sizeof r->err, "%s line %d: [%s] %s = \"%s\": expected %s", r->path, r->line, section,
             name, cleaned ? value : raw, want);
  }
  return ok ? 1 : 0;
}

lobby_err kiosk_config_check_tls(const kiosk_config *c, const char *origin, char *why, size_t why_size)
{
  lobby_tls_problem problem;
  if (lobby_tls_check(c->server.url, c->server.ca_file, c->server.pin, &problem) == LOBBY_OK)
    return LOBBY_OK;
  int saved_errno = errno; /* why the CA file cannot be read */
  switch (problem) {
  case LOBBY_TLS_CA_NOT_HTTPS:
  case LOBBY_TLS_PIN_NOT_HTTPS:
    snprintf(why, why_size, "%s: [server] %s is set but the server url \"%s\" is not https://: "
             "nothing would be checked, and the kiosk never talks plain http when told to check TLS",
             origin, problem == LOBBY_TLS_CA_NOT_HTTPS ? "ca_file" : "pin", c->server.url);
    break;
  case LOBBY_TLS_CA_UNREADABLE:
    snprintf(why, why_size, "%s: [server] ca_file = \"%s\": cannot be read: %s", origin, c->server.ca_file,
             strerror(saved_errno));
    break;
  default:
    snprintf(why, why_size, "%s: [server] pin: expected sha256// and the key's base64 SHA-256", origin);
    break;
  }
  return LOBBY_EINVAL;
}

/* The TLS check once the whole file is read, naming the line of the
 * setting at fault. */
static lobby_err check_tls_lines(const config_reader *r, char *why, size_t why_size)
{
  lobby_tls_problem problem;
  if (lobby_tls_check(r->c->server.url, r->c->server.ca_file, r->c->server.pin, &problem) == LOBBY_OK)
    return LOBBY_OK;
  int line = problem == LOBBY_TLS_CA_NOT_HTTPS || problem == LOBBY_TLS_CA_UNREADABLE ? r->ca_line
                                                                                       : r->pin_line;
  char origin[600];
  snprintf(origin, sizeof origin, "%s line %d", r->path, line);
  return kiosk_config_check_tls(r->c, origin, why, why_size);
}

lobby_err kiosk_config_load_why(const char *path, kiosk_config *c, char *why, size_t why_size)
{
  config_reader r = {.c = c, .path = path};
  r.f = fopen(path, "r");
  if (!r.f) {
    snprintf(why, why_size, "cannot read %s: %s", path, strerror(errno));
    return errno == ENOENT ? LOBBY_ENOTFOUND : LOBBY_EIO;
  }
  int rc = ini_parse_stream(read_line, &r, on_value, &r);
  fclose(r.f);
  if (rc == 0)
    return check_tls_lines(&r, why, why_size);
  /* inih returns the first bad line: a value the handler refused, or a
   * line that is neither a section nor a setting. */
  if (rc == r.err_line)
    snprintf(why, why_size, "%s", r.err);
  else
    snprintf(why, why_size, "%s line %d: expected [section] or key = value", path, rc);
  return LOBBY_EINVAL;
}

lobby_err kiosk_config_load(const char *path, kiosk_config *c)
{
  char why[768];
  lobby_err err = kiosk_config_load_why(path, c, why, sizeof why);
  if (err != LOBBY_OK)
    LOBBY_ERROR("%s", why);
  return err;
}
