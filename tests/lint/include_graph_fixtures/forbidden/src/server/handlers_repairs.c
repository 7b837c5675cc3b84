#include "http.h"
#include "store.h"
#include <sqlite3.h>
#include "store_sqlite_internal.h"
