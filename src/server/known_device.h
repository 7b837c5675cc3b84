/* Known devices: a browser that has signed in as a staff member carries a
 * cookie saying so, so that sign-ins from it are not held back by the
 * per-name limit an attacker elsewhere can spend.  The value is the staff
 * id and an expiry with a libsodium crypto_auth tag under a key made at
 * start: lobbyd stores nothing, a client cannot forge or alter one, and a
 * restart forgets every device (its owner then signs in under the ordinary
 * limits once and gets a new cookie). */
#ifndef LOBBYD_KNOWN_DEVICE_H
#define LOBBYD_KNOWN_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

#define KNOWN_DEVICE_COOKIE "lobby_device"
#define KNOWN_DEVICE_TTL_S (90 * 24 * 3600)
/* Hex of 8 bytes of id, 8 of expiry and a 32-byte tag, and the NUL. */
#define KNOWN_DEVICE_LEN (2 * (8 + 8 + 32) + 1)

typedef struct known_devices known_devices;

/* A fresh random key. */
lobby_err known_device_create(known_devices **out);
void known_device_free(known_devices *kd);

/* The cookie's value for staff_id, valid until now + KNOWN_DEVICE_TTL_S. */
void known_device_issue(const known_devices *kd, int64_t staff_id, int64_t now,
                        char out[KNOWN_DEVICE_LEN]);

/* The staff id a cookie value vouches for: LOBBY_EINVAL when it is
 * malformed, forged or expired. */
lobby_err known_device_check(const known_devices *kd, const char *value, int64_t now,
                             int64_t *staff_id);

#endif
