/* Who a token or session belongs to: a kiosk or one of the staff roles,
 * and the names the API, the database and lobbyctl use for them. */
#ifndef LOBBY_ROLE_H
#define LOBBY_ROLE_H

#include "lobby_error.h"

/* A guard (门岗) checks item-release passes at the gate and reaches
 * nothing else: the session endpoints, the gate and the list of sites. */
typedef enum { ROLE_KIOSK, ROLE_ADMIN, ROLE_FRONT_DESK, ROLE_TECHNICIAN, ROLE_GUARD } lobby_role;

/* The staff roles' names, NULL-terminated: what a staff account may be. */
extern const char *const lobby_staff_role_names[];

/* "kiosk", "admin", "front_desk", "technician" or "guard"; "unknown" for any other
 * value. */
const char *lobby_role_name(lobby_role role);

/* A staff role from its name; LOBBY_EINVAL for anything else, "kiosk"
 * included (no account is ever made a kiosk by name). */
lobby_err lobby_role_parse(const char *name, lobby_role *out);

#endif
