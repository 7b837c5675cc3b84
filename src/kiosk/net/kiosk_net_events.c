/* The network thread's events for the UI thread (a mutex-protected
 * queue), the connectivity it reports, and back-off between retries. */
#include "kiosk_net_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "feed_cache.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_time.h"

/* ---------------------------------------------------------------- events */

void kiosk_net__event_free_payload(kiosk_event *ev)
{
  json_decref(ev->feed);
  json_decref(ev->body);
  ev->feed = NULL;
  ev->body = NULL;
}

/* Queues an event for the UI thread and wakes it.  Takes ownership of the
 * event's JSON; on allocation failure the event is dropped (and logged). */
static bool was_cancelled_locked(const kiosk_net *net, const kiosk_event *ev)
{
  if (ev->kind != KIOSK_EV_RESULT)
    return false;
  for (unsigned i = 0; i < CANCELLED_REMEMBERED; i++)
    if (net->mailbox.cancelled[i] == ev->request_id)
      return true;
  return false;
}

/* Removes the queued events for which matches() is true; the caller
 * holds the lock. */
void kiosk_net__events_remove_locked(kiosk_net *net, bool (*matches)(const kiosk_event *, uint64_t),
                                     uint64_t request_id)
{
  event_node *prev = NULL;
  for (event_node *node = net->mailbox.events_head; node;) {
    event_node *next = node->next;
    if (matches(&node->ev, request_id)) {
      if (prev)
        prev->next = next;
      else
        net->mailbox.events_head = next;
      if (net->mailbox.events_tail == node)
        net->mailbox.events_tail = prev;
      kiosk_net__event_free_payload(&node->ev);
      free(node);
    } else {
      prev = node;
    }
    node = next;
  }
}

static bool is_feed_event(const kiosk_event *ev, uint64_t unused)
{
  (void)unused;
  return ev->kind == KIOSK_EV_FEED;
}

bool kiosk_net__is_result_of(const kiosk_event *ev, uint64_t request_id)
{
  return ev->kind == KIOSK_EV_RESULT && ev->request_id == request_id;
}

static void emit_event(kiosk_net *net, kiosk_event *ev)
{
  event_node *node = malloc(sizeof *node);
  if (!node) {
    LOBBY_ERROR("net: out of memory; an event was dropped");
    kiosk_net__event_free_payload(ev);
    return;
  }
  node->ev = *ev;
  node->next = NULL;
  pthread_mutex_lock(&net->mailbox.lock);
  if (was_cancelled_locked(net, ev)) {
    pthread_mutex_unlock(&net->mailbox.lock);
    kiosk_net__event_free_payload(&node->ev);
    free(node);
    return;
  }
  /* Only the newest feed matters to the screen, so a feed still waiting
   * in the queue is dropped when a newer one arrives: a UI that stalls
   * holds one feed in memory, not one per change. */
  if (ev->kind == KIOSK_EV_FEED)
    kiosk_net__events_remove_locked(net, is_feed_event, 0);
  if (net->mailbox.events_tail)
    net->mailbox.events_tail->next = node;
  else
    net->mailbox.events_head = node;
  net->mailbox.events_tail = node;
  pthread_mutex_unlock(&net->mailbox.lock);
  if (net->settings.wake)
    net->settings.wake(net->settings.wake_ctx);
}

void kiosk_net__emit_result(kiosk_net *net, uint64_t request_id, kiosk_result_state state,
                            int http_status, json_t *body, const char *ref, const char *etag)
{
  kiosk_event ev = {.kind = KIOSK_EV_RESULT, .request_id = request_id, .state = state,
                    .http_status = http_status, .body = body};
  if (ref)
    snprintf(ev.provisional_ref, sizeof ev.provisional_ref, "%s", ref);
  if (etag)
    snprintf(ev.etag, sizeof ev.etag, "%s", etag);
  emit_event(net, &ev);
}

void kiosk_net__emit_image(kiosk_net *net, const char *etag)
{
  kiosk_event ev = {.kind = KIOSK_EV_IMAGE};
  snprintf(ev.etag, sizeof ev.etag, "%s", etag);
  emit_event(net, &ev);
}

void kiosk_net__emit_screenshot(kiosk_net *net, const char *request_id)
{
  kiosk_event ev = {.kind = KIOSK_EV_SCREENSHOT};
  snprintf(ev.etag, sizeof ev.etag, "%s", request_id);
  emit_event(net, &ev);
}

void kiosk_net__emit_outbox(kiosk_net *net, const char *ref, json_t *record)
{
  kiosk_event ev = {.kind = KIOSK_EV_OUTBOX, .queued = atomic_load(&net->queued), .body = record};
  if (ref)
    snprintf(ev.provisional_ref, sizeof ev.provisional_ref, "%s", ref);
  emit_event(net, &ev);
}

static void emit_connectivity(kiosk_net *net)
{
  kiosk_event ev = {.kind = KIOSK_EV_CONNECTIVITY, .online = net->seen.online,
                    .last_ok_at = net->seen.last_ok_at, .tls_failure = net->seen.tls_failure};
  net->seen.connectivity_emitted_ms = lobby_monotonic_ms();
  emit_event(net, &ev);
}

void kiosk_net__emit_feed(kiosk_net *net, json_t *feed, bool from_cache, int64_t fetched_at)
{
  kiosk_event ev = {.kind = KIOSK_EV_FEED, .feed = feed, .from_cache = from_cache,
                    .fetched_at = fetched_at};
  snprintf(ev.etag, sizeof ev.etag, "%s", net->feed.feed_etag);
  emit_event(net, &ev);
}

void kiosk_net__update_queued_count(kiosk_net *net)
{
  atomic_store(&net->queued, (int)kiosk_outbox_count(net->delivery.outbox));
}

/* --------------------------------------------------------- connectivity */

void kiosk_net__note_exchange_ok(kiosk_net *net)
{
  net->seen.last_ok_at = lobby_now();
  if (net->seen.unauthorized)
    LOBBY_INFO("net: the server accepts the kiosk token again");
  net->seen.unauthorized = false;
  net->seen.tls_failure = LOBBY_TLS_FAIL_NONE;
  bool changed = !net->seen.online || !net->seen.connectivity_known;
  if (changed)
    LOBBY_INFO("net: server reachable");
  net->seen.online = true;
  net->seen.connectivity_known = true;
  if (changed || lobby_monotonic_ms() - net->seen.connectivity_emitted_ms >= CONNECTIVITY_REFRESH_MS)
    emit_connectivity(net);
}

/* Another exchange just worked, so the server is back: whatever waits in
 * the outbox should go now rather than at the end of its back-off.  (Not
 * used for the outbox's own answers, or a 429 would never back off.) */
void kiosk_net__retry_outbox_now(kiosk_net *net)
{
  net->delivery.outbox_backoff.failures = 0;
  net->delivery.outbox_backoff.next_at_ms = 0;
}

void kiosk_net__note_exchange_failed(kiosk_net *net, exchange_outcome outcome, lobby_tls_failure tls,
                                     const char *why)
{
  /* A new TLS reason (or its end) is news for staff even while offline. */
  bool tls_changed = net->seen.tls_failure != tls;
  if (tls_changed && tls != LOBBY_TLS_FAIL_NONE)
    LOBBY_ERROR("net: TLS refused the server (%s): check [server] ca_file and pin in kiosk.ini "
                "against the server's certificate; nothing is sent in clear", why);
  net->seen.tls_failure = tls;
  if (outcome == OUTCOME_UNAUTHORIZED && !net->seen.unauthorized)
    LOBBY_ERROR("net: the server refused the kiosk token (401): the kiosk was revoked or its "
                "token is wrong; re-enrol it with lobbyctl and update kiosk.ini");
  net->seen.unauthorized = outcome == OUTCOME_UNAUTHORIZED;
  bool changed = net->seen.online || !net->seen.connectivity_known || tls_changed;
  if (changed && outcome != OUTCOME_UNAUTHORIZED)
    LOBBY_WARN("net: server unreachable (%s)", why);
  net->seen.online = false;
  net->seen.connectivity_known = true;
  net->feed.feed_etag_live = false;
  if (changed)
    emit_connectivity(net);
}

/* ------------------------------------------------------------- back-off */

static int64_t backoff_delay_ms(const kiosk_net *net, int failures)
{
  int64_t cap_ms = (int64_t)net->settings.backoff_max_s * 1000;
  int64_t delay = 1000;
  for (int i = 1; i < failures && delay < cap_ms; i++)
    delay *= 2;
  if (delay > cap_ms)
    delay = cap_ms;
  /* Jitter in [delay/2, delay] keeps a building full of kiosks from
   * hammering a restarted server in lockstep. */
  int64_t half = delay / 2;
  return half + (int64_t)randombytes_uniform((uint32_t)(half + 1));
}

/* Schedules the next attempt and returns its delay in milliseconds.  A
 * revoked token retries at the cap: nothing will change soon, and the
 * kiosk must not hammer the server. */
int64_t kiosk_net__backoff_fail(kiosk_net *net, backoff *b)
{
  b->failures++;
  int64_t delay = net->seen.unauthorized ? (int64_t)net->settings.backoff_max_s * 1000
                                    : backoff_delay_ms(net, b->failures);
  b->next_at_ms = lobby_monotonic_ms() + delay;
  return delay;
}

void kiosk_net__backoff_reset(backoff *b)
{
  b->failures = 0;
  b->next_at_ms = 0;
}
