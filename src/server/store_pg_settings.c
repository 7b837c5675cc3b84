/* Site settings in the PostgreSQL store, as in store_sqlite_settings.c: a
 * small key/value table whose values override the ini file, so admins can
 * change them from the console. */
#include "store_pg_internal.h"

/* A missing key leaves *out alone. */
static lobby_err setting_get(lobby_store *st, const char *key, int64_t *out)
{
  pq_store *s = PQ(st);
  pq_conn *c;
  pq_params p = {0};
  int64_t value;
  pq__text(&p, key);
  lobby_err err = pq__acquire(s, &c);
  if (err != LOBBY_OK)
    return err;
  err = pq__int64(c, "SELECT value FROM settings WHERE key = $1", &p, &value);
  pq__release(s, c);
  if (err == LOBBY_OK)
    *out = value;
  return err == LOBBY_ENOTFOUND ? LOBBY_OK : err;
}

static lobby_err setting_put(pq_conn *c, const store_setting *setting)
{
  pq_params p = {0};
  pq__text(&p, setting->key);
  pq__int(&p, setting->value);
  return pq__run(c, "INSERT INTO settings (key, value) VALUES ($1, $2) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", &p, false);
}

typedef struct {
  const store_setting *settings;
  size_t count;
  const store_audit_entry *audit;
} settings_change;

static lobby_err settings_set_tx(pq_conn *c, void *arg)
{
  const settings_change *a = arg;
  lobby_err err = LOBBY_OK;
  for (size_t i = 0; err == LOBBY_OK && i < a->count; i++)
    err = setting_put(c, &a->settings[i]);
  if (err == LOBBY_OK)
    err = pq__audit_insert(c, a->audit, NULL);
  return err;
}

/* All of them or none, with their audit entry. */
static lobby_err settings_set(lobby_store *st, const store_setting *settings, size_t count,
                              const store_audit_entry *audit)
{
  settings_change a = {.settings = settings, .count = count, .audit = audit};
  return pq__transaction(PQ(st), settings_set_tx, &a);
}

void pq__settings_ops(lobby_store_ops *ops)
{
  ops->setting_get = setting_get;
  ops->settings_set = settings_set;
}
