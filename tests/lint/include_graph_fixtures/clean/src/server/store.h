/* The store interface handlers use. */
#ifndef STORE_H
#define STORE_H
#include "lobby_error.h"
typedef struct store store;
lobby_err store_open(const char *path, store **out);
#endif
