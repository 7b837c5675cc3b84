#ifndef LOBBY_STORE_SQLITE_SCHEMA_H
#define LOBBY_STORE_SQLITE_SCHEMA_H
/* The migration scripts in order; the schema version is their count. */
const char *const *store_sqlite_migrations(int *count);
#endif
