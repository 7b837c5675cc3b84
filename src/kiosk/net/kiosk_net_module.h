/* The network thread as a loadable module.
 *
 * libcurl and the TLS, Kerberos, LDAP and SSH libraries under it take
 * about 7 ms to map and relocate, longer than the rest of the kiosk's
 * libraries together.  So lobby-kiosk does not link them: kiosk_net.c and
 * kiosk_outbox.c are built into lobby-kiosk-net.so, which the kiosk loads
 * (kiosk_net_loader.c) on a worker thread after its first frame.  The
 * module exports one symbol, a table of the kiosk_net.h functions; the
 * executable's kiosk_net_* functions call through it. */
#ifndef KIOSK_NET_MODULE_H
#define KIOSK_NET_MODULE_H

#include "kiosk_net.h"

#define KIOSK_NET_MODULE_FILE "lobby-kiosk-net.so"
#define KIOSK_NET_MODULE_SYMBOL "kiosk_net_module_ops"

typedef struct {
  /* The kiosk version the module was built for: a module from another
   * build may disagree on the layout of kiosk_event. */
  const char *version;
  size_t event_size;
  lobby_err (*start)(const kiosk_net_config *cfg, kiosk_net **out);
  void (*stop)(kiosk_net *net);
  lobby_err (*submit)(kiosk_net *net, kiosk_submit_kind kind, json_t *body, uint64_t *request_id);
  lobby_err (*call)(kiosk_net *net, const char *method, const char *path, json_t *body,
                    const char *etag, int wait_s, uint64_t *request_id);
  lobby_err (*lookup_provisional)(kiosk_net *net, const char *ref, uint64_t *request_id);
  void (*cancel)(kiosk_net *net, uint64_t request_id);
  bool (*poll)(kiosk_net *net, kiosk_event *ev);
  int (*queued)(kiosk_net *net);
} kiosk_net_ops;

#endif
