/* Site settings in the SQLite store: a small key/value table whose values
 * override the ini file, so admins can change them from the console. */
#include "store_sqlite_internal.h"

static lobby_err setting_get(lobby_store *st, const char *key, int64_t *out)
{
  sq_store *s = SQ(st);
  sqlite3_stmt *q;
  SQ_LOCK(s);
  lobby_err err = sq__prepare(s, "SELECT value FROM settings WHERE key = ?", &q);
  if (err == LOBBY_OK) {
    sq__bind_text(q, 1, key);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
      *out = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
      err = LOBBY_EIO;
    sqlite3_finalize(q);
  }
  SQ_UNLOCK(s);
  return err;
}

static lobby_err setting_put(sq_store *s, const store_setting *setting)
{
  sqlite3_stmt *q;
  lobby_err err = sq__prepare(s, "INSERT INTO settings (key, value) VALUES (?, ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", &q);
  if (err != LOBBY_OK)
    return err;
  sq__bind_text(q, 1, setting->key);
  sqlite3_bind_int64(q, 2, setting->value);
  return sq__run(s, q, false);
}

static lobby_err settings_set(lobby_store *st, const store_setting *settings, size_t count,
                              const store_audit_entry *audit)
{
  sq_store *s = SQ(st);
  SQ_LOCK(s);
  lobby_err err = sq__begin(s);
  for (size_t i = 0; err == LOBBY_OK && i < count; i++)
    err = setting_put(s, &settings[i]);
  if (err == LOBBY_OK)
    err = sq__audit_insert(s, audit, NULL);
  err = sq__end(s, err);
  SQ_UNLOCK(s);
  return err;
}

void sq__settings_ops(lobby_store_ops *ops)
{
  ops->setting_get = setting_get;
  ops->settings_set = settings_set;
}
