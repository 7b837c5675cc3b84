/* The route handlers. */
#ifndef HANDLERS_H
#define HANDLERS_H
#include "store.h"
int handle_notices(store *s);
#endif
