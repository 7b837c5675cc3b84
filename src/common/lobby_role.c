#include "lobby_role.h"

#include <string.h>

static const char *const role_names[] = {"kiosk", "admin", "front_desk", "technician", "guard", NULL};

/* The staff roles are role_names without the kiosk. */
const char *const lobby_staff_role_names[] = {"admin", "front_desk", "technician", "guard", NULL};

const char *lobby_role_name(lobby_role role)
{
  return (unsigned)role <= ROLE_GUARD ? role_names[role] : "unknown";
}

lobby_err lobby_role_parse(const char *name, lobby_role *out)
{
  for (int i = ROLE_ADMIN; role_names[i]; i++)
    if (name && strcmp(name, role_names[i]) == 0) {
      *out = (lobby_role)i;
      return LOBBY_OK;
    }
  return LOBBY_EINVAL;
}
