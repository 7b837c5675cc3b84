/* The kiosk's durable outbox of submissions (repairs, visits, complaints,
 * item releases) and the durable record of what became of each one.
 *
 * Layout under state_dir:
 *   outbox/0000000000000042.json  one file per waiting item, named by its
 *                                 zero-padded sequence number
 *   refs/Q-7K3M9X.json            what happened to a delivered or rejected
 *                                 item, so a provisional ref can be looked
 *                                 up after a restart
 *
 * Only the network thread uses an outbox; it has no lock of its own. */
#ifndef KIOSK_OUTBOX_H
#define KIOSK_OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "kiosk_submit.h"
#include "lobby_error.h"

#define KIOSK_OUTBOX_REF_SIZE 16
#define KIOSK_OUTBOX_KEY_SIZE 33
/* A kiosk that has been offline for days might collect a few hundred
 * items; past this something else is wrong and new items are refused. */
#define KIOSK_OUTBOX_MAX_ITEMS 1000
/* Records of delivered items are kept this long for look-ups. */
#define KIOSK_OUTBOX_RECORD_DAYS 30

typedef struct {
  uint64_t seq;                                 /* delivery order */
  kiosk_submit_kind kind;
  char ref[KIOSK_OUTBOX_REF_SIZE];              /* "Q-7K3M9X" */
  char idempotency_key[KIOSK_OUTBOX_KEY_SIZE];  /* 32 hex characters */
  int64_t created_at;                           /* epoch seconds */
  json_t *body;                                 /* owned by the outbox */
} kiosk_outbox_item;

typedef struct kiosk_outbox kiosk_outbox;

/* Opens (creating if needed) the outbox under state_dir and loads every
 * waiting item.  Leftover "*.tmp" files from an interrupted write are
 * deleted: the append they belonged to never reported success.  A file
 * that cannot be parsed is renamed to "*.corrupt" and skipped, so one bad
 * file never blocks the queue.  Needs sodium_init(). */
lobby_err kiosk_outbox_open(const char *state_dir, kiosk_outbox **out);
void kiosk_outbox_close(kiosk_outbox *ob);

/* Adds an item at the end, with a fresh Idempotency-Key and provisional
 * ref, and returns only after it is on disk (written, fsync'd, renamed,
 * directory fsync'd).  body is copied.  *out (optional) points into the
 * outbox and stays valid until the item is completed. */
lobby_err kiosk_outbox_append(kiosk_outbox *ob, kiosk_submit_kind kind, const json_t *body,
                              const kiosk_outbox_item **out);

size_t kiosk_outbox_count(const kiosk_outbox *ob);

/* The i-th waiting item in delivery order, or NULL. */
const kiosk_outbox_item *kiosk_outbox_at(const kiosk_outbox *ob, size_t i);

/* The waiting item with this provisional ref, or NULL. */
const kiosk_outbox_item *kiosk_outbox_find_ref(const kiosk_outbox *ob, const char *ref);

/* Records the server's final answer for item seq and then removes it.
 * A 2xx answer is recorded as "delivered" with the ticket, visit id and
 * pass code from server_body; anything else as "rejected" with the
 * server's error object.  The record is durable before the item file is
 * unlinked, so a crash in between only causes a harmless redelivery with
 * the same Idempotency-Key.  *record_out (optional) receives the look-up
 * object (see kiosk_outbox_lookup), owned by the caller. */
lobby_err kiosk_outbox_complete(kiosk_outbox *ob, uint64_t seq, int http_status,
                                const json_t *server_body, json_t **record_out);

/* The look-up object for a provisional ref:
 *   {"ref", "state": "queued"|"delivered"|"rejected", "ticket", "visit_id",
 *    "pass_code", "http_status", "error"}
 * (absent values are null).  LOBBY_ENOTFOUND when the ref is unknown. */
lobby_err kiosk_outbox_lookup(const kiosk_outbox *ob, const char *ref, json_t **out);

/* "repair" / "visit" / "complaint" / "release", and the API path an item of that kind
 * is posted to. */
const char *kiosk_submit_kind_name(kiosk_submit_kind kind);
const char *kiosk_submit_kind_path(kiosk_submit_kind kind);
/* The member of a 2xx answer that names what the server made of an item:
 * a repair's "ticket", a visit's "id", a complaint's or a release's
 * "number". */
const char *kiosk_submit_kind_id_key(kiosk_submit_kind kind);

#endif
