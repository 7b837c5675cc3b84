/* Outbox delivery (queued repairs, visits, complaints and releases, in order, exactly once)
 * and direct calls for the screens (status look-ups, visit check-out). */
#include "kiosk_net_internal.h"
#include "lobby_tls_curl.h"

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

/* -------------------------------------------------------------- outbox */

static pending_submit *pending_take(kiosk_net *net, uint64_t seq)
{
  for (pending_submit **p = &net->delivery.pending; *p; p = &(*p)->next) {
    if ((*p)->seq == seq) {
      pending_submit *found = *p;
      *p = found->next;
      return found;
    }
  }
  return NULL;
}

/* Tells the screen its submission is safe in the outbox; status is the
 * answer that kept it there (429: the server asks the kiosk to slow down)
 * or 0 when none came. */
static void report_queued(kiosk_net *net, pending_submit *ps, int status)
{
  LOBBY_INFO("outbox: %s queued", ps->ref);
  kiosk_net__emit_result(net, ps->request_id, KIOSK_RESULT_QUEUED, status, NULL, ps->ref, NULL);
  kiosk_net__emit_outbox(net, ps->ref, NULL);
  free(ps);
}

static void report_all_pending_queued(kiosk_net *net, int status)
{
  while (net->delivery.pending) {
    pending_submit *ps = net->delivery.pending;
    net->delivery.pending = ps->next;
    report_queued(net, ps, status);
  }
}

void kiosk_net__report_expired_pending(kiosk_net *net, int64_t now_ms)
{
  for (pending_submit **p = &net->delivery.pending; *p;) {
    if ((*p)->deadline_ms <= now_ms) {
      pending_submit *ps = *p;
      *p = ps->next;
      /* Waiting out a 429: the screen says so rather than "offline". */
      report_queued(net, ps, now_ms < net->delivery.outbox_hold_until_ms ? 429 : 0);
    } else {
      p = &(*p)->next;
    }
  }
}

void kiosk_net__outbox_start_delivery(kiosk_net *net)
{
  const kiosk_outbox_item *item = kiosk_outbox_at(net->delivery.outbox, 0);
  transfer *t = kiosk_net__transfer_new(net, XFER_OUTBOX, kiosk_submit_kind_path(item->kind),
                                        CALL_RESPONSE_MAX_BYTES, OUTBOX_TIMEOUT_MS);
  lobby_err err = t ? kiosk_net__set_request_body(t, item->body) : LOBBY_ENOMEM;
  if (err == LOBBY_OK)
    err = kiosk_net__add_header_value(t, "Idempotency-Key", item->idempotency_key);
  if (err == LOBBY_OK)
    err = kiosk_net__set_method(t, "POST");
  if (err != LOBBY_OK) {
    kiosk_net__transfer_free(t);
    t = NULL;
  }
  if (!t || kiosk_net__transfer_start(net, t) != LOBBY_OK) {
    LOBBY_ERROR("outbox: could not start a request for %s", item->ref);
    kiosk_net__backoff_fail(net, &net->delivery.outbox_backoff);
    return;
  }
  t->outbox_seq = item->seq;
  net->delivery.outbox_transfer = t;
}

/* 408 and 429 ask for a retry; 401 means the kiosk's token is refused,
 * which says nothing about the item itself, so it waits for the kiosk to
 * be re-enrolled rather than being thrown away.  Every other 4xx is the
 * server's final word on the item. */
static bool outbox_answer_is_final(long status)
{
  return (status >= 200 && status < 300) ||
         (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429);
}

static void log_completion(const kiosk_outbox_item *item, long status, const json_t *body)
{
  if (status >= 200 && status < 300) {
    const char *id = json_string_value(json_object_get(body, kiosk_submit_kind_id_key(item->kind)));
    LOBBY_INFO("outbox: %s delivered as %s (HTTP %ld)", item->ref, id ? id : "?", status);
  } else {
    const char *code = json_string_value(json_object_get(json_object_get(body, "error"), "code"));
    LOBBY_WARN("outbox: %s rejected by the server (HTTP %ld, %s)", item->ref, status,
               code ? code : "no error code");
  }
}

/* Records a final answer and tells the screen: the waiting screen gets a
 * DELIVERED result, and everyone gets the new count and the record. */
static void outbox_complete_item(kiosk_net *net, transfer *t, long status)
{
  const kiosk_outbox_item *item = kiosk_outbox_at(net->delivery.outbox, 0);
  if (!item || item->seq != t->outbox_seq)
    return;
  char ref[KIOSK_OUTBOX_REF_SIZE];
  snprintf(ref, sizeof ref, "%s", item->ref);
  json_t *body = kiosk_net__response_json(t);
  log_completion(item, status, body);
  json_t *record = NULL;
  lobby_err err = kiosk_outbox_complete(net->delivery.outbox, t->outbox_seq, (int)status, body, &record);
  if (err != LOBBY_OK) {
    /* The item stays and is sent again with the same key: the server
     * answers the same ticket, so nothing is duplicated. */
    LOBBY_ERROR("outbox: could not record the answer for %s: %s", ref, lobby_strerror(err));
    json_decref(body);
    kiosk_net__backoff_fail(net, &net->delivery.outbox_backoff);
    return;
  }
  kiosk_net__update_queued_count(net);
  kiosk_net__backoff_reset(&net->delivery.outbox_backoff);
  pending_submit *ps = pending_take(net, t->outbox_seq);
  if (ps) {
    kiosk_net__emit_result(net, ps->request_id, KIOSK_RESULT_DELIVERED, (int)status, body, ref, t->etag);
    free(ps);
  } else {
    json_decref(body);
  }
  kiosk_net__emit_outbox(net, ref, record);
}

/* A final answer counts only when its body is the one lobbyd sends with
 * that status: a 2xx names the ticket, visit, complaint or release, a 4xx carries an error
 * code.  An answer damaged on the way (a 201 whose body was cut or
 * corrupted, or a status that does not match its body) is retried with
 * the same Idempotency-Key, so lobbyd answers with the item it already
 * stored instead of the kiosk losing or duplicating it. */
static bool outbox_answer_is_intact(kiosk_net *net, const transfer *t, long status)
{
  const kiosk_outbox_item *item = kiosk_outbox_at(net->delivery.outbox, 0);
  json_t *body = kiosk_net__response_json(t);
  bool intact;
  if (status >= 200 && status < 300) {
    const char *id_key = kiosk_submit_kind_id_key(item ? item->kind : KIOSK_SUBMIT_VISIT);
    const char *id = json_string_value(json_object_get(body, id_key));
    intact = id && id[0];
  } else {
    intact = json_is_string(json_object_get(json_object_get(body, "error"), "code"));
  }
  json_decref(body);
  return intact;
}

void kiosk_net__outbox_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  exchange_outcome outcome = kiosk_net__classify(rc, status);
  bool final = rc == CURLE_OK && outbox_answer_is_final(status);
  if (final && outbox_answer_is_intact(net, t, status)) {
    kiosk_net__note_exchange_ok(net);
    outbox_complete_item(net, t, status);
    return;
  }
  char why[CURL_ERROR_SIZE + 32];
  if (final)
    snprintf(why, sizeof why, "a damaged answer (HTTP %ld)", status);
  else
    kiosk_net__describe_failure(t, rc, status, why, sizeof why);
  if (outcome == OUTCOME_OK)
    kiosk_net__note_exchange_ok(net); /* 408/429: the server is there but asks us to wait */
  else
    kiosk_net__note_exchange_failed(net, outcome, lobby_tls_curl_failure(rc), why);
  int64_t delay = kiosk_net__backoff_fail(net, &net->delivery.outbox_backoff);
  if (rc == CURLE_OK && status == 429 && t->retry_after_s > 0) {
    /* The server said when: the item stays first in the outbox, with its
     * Idempotency-Key, and goes again then, not sooner. */
    delay = (int64_t)t->retry_after_s * 1000;
    net->delivery.outbox_backoff.next_at_ms = lobby_monotonic_ms() + delay;
    net->delivery.outbox_hold_until_ms = net->delivery.outbox_backoff.next_at_ms;
  }
  const kiosk_outbox_item *item = kiosk_outbox_at(net->delivery.outbox, 0);
  /* One line per outage, not one per attempt. */
  lobby_log(net->delivery.outbox_backoff.failures == 1 ? LOBBY_LOG_INFO : LOBBY_LOG_DEBUG,
            "outbox: %s not delivered yet (%s); retry in %lld s", item ? item->ref : "?", why,
            (long long)(delay + 999) / 1000);
  /* The server did not take the item now, so nobody should stare at a
   * spinner until the answer deadline: tell the screens it is queued. */
  report_all_pending_queued(net, rc == CURLE_OK && status == 429 ? 429 : 0);
}

/* --------------------------------------------------------- direct calls */

/* A long-polling call carries its wait in the query; a path that already
 * names one is left as it is. */
static lobby_err call_path(const command *cmd, char *buf, size_t size)
{
  bool long_poll = cmd->wait_s > 0 && cmd->etag && cmd->etag[0] && !strstr(cmd->path, "wait=");
  int n = long_poll ? snprintf(buf, size, "%s%cwait=%d", cmd->path,
                               strchr(cmd->path, '?') ? '&' : '?', cmd->wait_s)
                    : snprintf(buf, size, "%s", cmd->path);
  return n < 0 || (size_t)n >= size ? LOBBY_EINVAL : LOBBY_OK;
}

void kiosk_net__call_start(kiosk_net *net, command *cmd)
{
  long timeout_ms = cmd->wait_s > 0 ? (long)(cmd->wait_s + LONG_POLL_GRACE_S) * 1000L : CALL_TIMEOUT_MS;
  char path[NET_PATH_MAX];
  transfer *t = call_path(cmd, path, sizeof path) == LOBBY_OK
                  ? kiosk_net__transfer_new(net, XFER_CALL, path, CALL_RESPONSE_MAX_BYTES, timeout_ms)
                  : NULL;
  lobby_err err = t ? LOBBY_OK : LOBBY_ENOMEM;
  if (err == LOBBY_OK && cmd->body)
    err = kiosk_net__set_request_body(t, cmd->body);
  if (err == LOBBY_OK && cmd->etag && cmd->etag[0])
    err = kiosk_net__add_header_value(t, "If-None-Match", cmd->etag);
  if (err == LOBBY_OK)
    err = kiosk_net__set_method(t, cmd->method);
  if (err != LOBBY_OK) {
    kiosk_net__transfer_free(t);
    t = NULL;
  }
  if (!t || kiosk_net__transfer_start(net, t) != LOBBY_OK) {
    kiosk_net__emit_result(net, cmd->request_id, KIOSK_RESULT_FAILED, 0, NULL, NULL, NULL);
    return;
  }
  t->request_id = cmd->request_id;
}

void kiosk_net__call_finished(kiosk_net *net, transfer *t, CURLcode rc, long status)
{
  exchange_outcome outcome = kiosk_net__classify(rc, status);
  char why[CURL_ERROR_SIZE + 32];
  kiosk_net__describe_failure(t, rc, status, why, sizeof why);
  if (outcome == OUTCOME_OK) {
    kiosk_net__note_exchange_ok(net);
    kiosk_net__retry_outbox_now(net);
  } else {
    kiosk_net__note_exchange_failed(net, outcome, lobby_tls_curl_failure(rc), why);
  }
  if (rc != CURLE_OK) {
    LOBBY_INFO("net: call %llu failed (%s)", (unsigned long long)t->request_id, why);
    kiosk_net__emit_result(net, t->request_id, KIOSK_RESULT_FAILED, 0, NULL, NULL, NULL);
    return;
  }
  kiosk_net__emit_result(net, t->request_id, KIOSK_RESULT_DELIVERED, (int)status,
                         kiosk_net__response_json(t), NULL, t->etag);
}

void kiosk_net__call_cancel(kiosk_net *net, uint64_t request_id)
{
  for (transfer *t = net->transfers; t; t = t->next) {
    if (t->role == XFER_CALL && t->request_id == request_id) {
      kiosk_net__transfer_unlink(net, t);
      kiosk_net__transfer_free(t);
      return;
    }
  }
}
