#include "handlers.h"
#include "store.h"

int handle_notices(store *s)
{
  return s != NULL;
}
