#ifndef STORE_H
#define STORE_H
#include <sqlite3.h>
#endif
