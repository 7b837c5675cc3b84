#include "lobby_error.h"
#include "lobby_paths.h"

int main(void)
{
  char share[256];
  return lobby_paths_share(share, sizeof share) == LOBBY_OK ? 0 : 1;
}
