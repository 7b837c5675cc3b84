#include "lobby_paths.h"
#include <stdio.h>

lobby_err lobby_paths_share(char *out, int n)
{
  return snprintf(out, n, "%s/share", LOBBY_PREFIX) < n ? LOBBY_OK : LOBBY_EIO;
}
