#include "lobby_a.h"

int lobby_a(void)
{
  return lobby_b() + lobby_c();
}
