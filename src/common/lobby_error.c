#include "lobby_error.h"

const char *lobby_strerror(lobby_err err)
{
  switch (err) {
  case LOBBY_OK: return "ok";
  case LOBBY_ENOMEM: return "out of memory";
  case LOBBY_EINVAL: return "invalid input";
  case LOBBY_ENOTFOUND: return "not found";
  case LOBBY_ECONFLICT: return "conflict with current state";
  case LOBBY_EDUP: return "already exists";
  case LOBBY_EIO: return "input/output error";
  case LOBBY_EPERM: return "not permitted";
  case LOBBY_ETOOBIG: return "too large";
  case LOBBY_ENOSPC: return "no space left on the disk";
  case LOBBY_EUNAVAIL: return "the database is unavailable";
  }
  return "unknown error";
}
