#include "lobby_error.h"

const char *lobby_strerror(lobby_err err)
{
  return err == LOBBY_OK ? "ok" : "i/o error";
}
