#include "config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_log.h"
#include "lobby_paths.h"
#include "lobby_text.h"

void lobbyd_config_defaults(lobbyd_config *cfg)
{
  memset(cfg, 0, sizeof *cfg);
  snprintf(cfg->listen_addr, sizeof cfg->listen_addr, "127.0.0.1");
  cfg->listen_port = 8080;
  snprintf(cfg->db_path, sizeof cfg->db_path, "%s/lobby.db", LOBBY_STATEDIR);
  snprintf(cfg->site_name, sizeof cfg->site_name, "Lobby");
  snprintf(cfg->service_phone, sizeof cfg->service_phone, "400-000-0000");
  repair_sla_default(&cfg->sla);
  cfg->visit_auto_checkout_hours = 4;
  cfg->lookup_rate_per_minute = 20;
  cfg->max_connections = 10000;
  /* The console installed with this lobbyd (in the build tree, a link to
   * the source's copy); too long a path leaves it empty, which start-up
   * reports. */
  (void)lobby_path_data("console", cfg->console_dir, sizeof cfg->console_dir);
}

static lobby_err parse_hhmm(const char *v, int *minutes)
{
  int h, m;
  if (sscanf(v, "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
    return LOBBY_EINVAL;
  *minutes = h * 60 + m;
  return LOBBY_OK;
}

static lobby_err parse_int(const char *v, int lo, int hi, int *out)
{
  int64_t n;
  lobby_err err = lobby_parse_int64(v, lo, hi, &n);
  if (err == LOBBY_OK)
    *out = (int)n;
  return err;
}

static lobby_err parse_bool(const char *v, bool *out)
{
  if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
    *out = true;
  else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
    *out = false;
  else
    return LOBBY_EINVAL;
  return LOBBY_OK;
}

lobby_err lobbyd_config_set_listen(lobbyd_config *cfg, const char *value)
{
  const char *colon = strrchr(value, ':');
  if (!colon || colon - value >= (long)sizeof cfg->listen_addr)
    return LOBBY_EINVAL;
  int port;
  if (parse_int(colon + 1, 0, 65535, &port))
    return LOBBY_EINVAL;
  snprintf(cfg->listen_addr, sizeof cfg->listen_addr, "%.*s", (int)(colon - value), value);
  if (cfg->listen_addr[0] == '\0')
    snprintf(cfg->listen_addr, sizeof cfg->listen_addr, "0.0.0.0");
  cfg->listen_port = port;
  return LOBBY_OK;
}

#define COPY(dst, v) (snprintf(dst, sizeof dst, "%s", v) < (int)sizeof dst ? LOBBY_OK : LOBBY_EINVAL)

static lobby_err apply(lobbyd_config *c, const char *section, const char *name, const char *v)
{
  if (strcmp(section, "server") == 0) {
    if (strcmp(name, "listen") == 0) return lobbyd_config_set_listen(c, v);
    if (strcmp(name, "database") == 0) return COPY(c->db_path, v);
    if (strcmp(name, "console_dir") == 0) return COPY(c->console_dir, v);
    if (strcmp(name, "cookie_secure") == 0) return parse_bool(v, &c->cookie_secure);
    if (strcmp(name, "max_connections") == 0) return parse_int(v, 16, 100000, &c->max_connections);
    if (strcmp(name, "threads") == 0) return parse_int(v, 0, 64, &c->threads);
  } else if (strcmp(section, "site") == 0) {
    if (strcmp(name, "name") == 0) return COPY(c->site_name, v);
    if (strcmp(name, "service_phone") == 0) return COPY(c->service_phone, v);
    if (strcmp(name, "utc_offset_minutes") == 0) return parse_int(v, -720, 840, &c->sla.offset_min);
  } else if (strcmp(section, "repairs") == 0) {
    if (strcmp(name, "workday_end") == 0) return parse_hhmm(v, &c->sla.workday_end_min);
    if (strcmp(name, "same_day_cutoff") == 0) return parse_hhmm(v, &c->sla.same_day_cutoff_min);
    if (strcmp(name, "emergency_minutes") == 0) return parse_int(v, 5, 240, &c->sla.emergency_minutes);
    if (strcmp(name, "lookup_rate_per_minute") == 0) return parse_int(v, 1, 10000, &c->lookup_rate_per_minute);
  } else if (strcmp(section, "visits") == 0) {
    if (strcmp(name, "auto_checkout_hours") == 0) return parse_int(v, 1, 72, &c->visit_auto_checkout_hours);
  }
  return LOBBY_ENOTFOUND;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
  lobby_err err = apply(user, section, name, value);
  if (err == LOBBY_ENOTFOUND)
    LOBBY_ERROR("config: unknown setting [%s] %s", section, name);
  else if (err)
    LOBBY_ERROR("config: bad value for [%s] %s: %s", section, name, value);
  return err == LOBBY_OK;
}

lobby_err lobbyd_config_load(lobbyd_config *cfg, const char *path)
{
  int rc = ini_parse(path, on_entry, cfg);
  if (rc < 0) {
    LOBBY_ERROR("config: cannot read %s", path);
    return LOBBY_EIO;
  }
  if (rc > 0) {
    LOBBY_ERROR("config: %s: error on line %d", path, rc);
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
}
