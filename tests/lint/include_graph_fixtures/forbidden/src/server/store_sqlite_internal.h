#ifndef STORE_SQLITE_INTERNAL_H
#define STORE_SQLITE_INTERNAL_H
#include <sqlite3.h>
#endif
