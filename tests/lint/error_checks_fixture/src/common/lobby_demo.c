/* A fixture for error_checks_selftest.sh: lines 9, 11, 15 and 17 break the
 * rule; the others keep it. */
#include "lobby_demo.h"

int demo(void)
{
  lobby_err err = lobby_demo_step(1);
  if (err != LOBBY_OK) return 1;
  if (err) return 2;
  if (err == LOBBY_OK) err = lobby_demo_step(2);
  if (!err && err == 0) return 3;
  if (lobby_demo_step(3) != LOBBY_OK ||
      lobby_demo_step(4) == LOBBY_OK)
    return 4;
  if (lobby_demo_step(5) ||
      lobby_demo_step(6) != LOBBY_OK) return 5;
  return err ? 6 : 0;
}
