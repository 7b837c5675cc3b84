/* For whoever runs lobbyd: /healthz (load balancers, systemd, the demo
 * script) and /metrics (Prometheus). */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>
#include "auth.h"
#include "conn_guard.h"
#include "health.h"
#include "lobby_time.h"
#include "longpoll.h"
#include "metrics.h"
#include "presence.h"

enum MHD_Result handle_healthz(http_request *r)
{
  char reason[256];
  int waiting = longpoll_count(r->d->poll);
  if (!health_check(r->d->health, r->d->store, reason, sizeof reason))
    return http_reply_json(r, 503, json_pack("{s:s, s:s, s:i}", "status", "unhealthy", "reason",
                                             reason, "waiting", waiting));
  return http_reply_json(r, 200, json_pack("{s:s, s:i}", "status", "ok", "waiting", waiting));
}

/* From an allowed address, unless the request came through a proxy (which
 * would make every client look local), or with a staff token. */
static bool metrics_allowed(http_request *r)
{
  const union MHD_ConnectionInfo *info =
    r->conn ? MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
  bool proxied = http_header(r, "X-Forwarded-For") || http_header(r, "Forwarded");
  if (!proxied && info && addr_allow_match(&r->d->cfg->metrics_allow, info->client_addr))
    return true;
  const char *authorization = http_header(r, "Authorization");
  lobby_principal who;
  return authorization &&
         auth_bearer(r->d->store, r->d->tokens, authorization, &who) == LOBBY_OK &&
         who.role != ROLE_KIOSK;
}

static lobby_err kiosks_online(http_request *r, int64_t now, int *online)
{
  json_t *list = NULL;
  lobby_err err = r->d->store->ops->kiosk_list(r->d->store, NULL, &list);
  if (err != LOBBY_OK)
    return err;
  size_t i;
  json_t *k;
  *online = 0;
  json_array_foreach(list, i, k)
    *online += kiosk_row_presence(r->d, k, now);
  json_decref(list);
  return LOBBY_OK;
}

static void gauge(metrics_buf *b, const char *name, const char *help, long long value)
{
  metrics_buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, value);
}

static void counter(metrics_buf *b, const char *name, const char *help, uint64_t value)
{
  metrics_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name,
                     (unsigned long long)value);
}

enum MHD_Result handle_metrics(http_request *r)
{
  if (!metrics_allowed(r))
    return http_fail(r, 403, "forbidden", "metrics are served to the addresses in [metrics] allow "
                                          "or with a staff token");
  int64_t now = lobby_now();
  store_stats st;
  int online = 0;
  char reason[256];
  lobby_err err = r->d->store->ops->stats(r->d->store, now, &st);
  if (err == LOBBY_OK)
    err = kiosks_online(r, now, &online);
  if (err != LOBBY_OK)
    return http_reply_store_error(r, err, "metrics");
  bool healthy = health_check(r->d->health, r->d->store, reason, sizeof reason);
  metrics_buf b = {NULL, 0, 0, false};
  metrics_render_requests(r->d->metrics, &b);
  gauge(&b, "lobbyd_longpoll_waiting", "Requests held open waiting for a change (feeds, "
        "visit status, console events).", longpoll_count(r->d->poll));
  longpoll_stats polls;
  longpoll_read_stats(r->d->poll, &polls);
  counter(&b, "lobbyd_longpoll_checks_total", "Waiting requests asked whether their answer "
          "changed, after a change of what they watch.", polls.checks);
  counter(&b, "lobbyd_longpoll_gone_total", "Waiting requests whose client hung up before the "
          "answer; their connections were closed at once.", polls.gone);
  if (r->d->guard) {
    gauge(&b, "lobbyd_connections", "Open client connections.", conn_guard_count(r->d->guard));
    counter(&b, "lobbyd_connections_shed_total", "Requests still arriving that were closed to "
            "make room ([limits] arriving_connections, or the connection slots nearly full).",
            conn_guard_shed_count(r->d->guard));
  }
  counter(&b, "lobbyd_longpoll_wakes_total", "Changes that woke the long-poll thread: one per "
          "change, whatever keys it touched.", polls.wakes);
  gauge(&b, "lobbyd_kiosks_online", "Enrolled kiosks waiting on the feed or seen in the last "
        "2 minutes.", online);
  gauge(&b, "lobbyd_kiosk_outbox_queued_sum", "Items waiting in kiosks' outboxes, as their last "
        "heartbeats reported, summed over enrolled kiosks.", (long long)st.kiosks_queued_sum);
  gauge(&b, "lobbyd_kiosk_outbox_queued_max", "The most items waiting in one kiosk's outbox.",
        (long long)st.kiosks_queued_max);
  gauge(&b, "lobbyd_repairs_open", "Repairs submitted, accepted, dispatched or on site.",
        (long long)st.repairs_open);
  gauge(&b, "lobbyd_repairs_overdue", "Open repairs past their due time.",
        (long long)st.repairs_overdue);
  gauge(&b, "lobbyd_database_size_bytes", "The database's pages (page_count * page_size).",
        (long long)st.db_bytes);
  gauge(&b, "lobbyd_database_wal_bytes", "The database's write-ahead log file.",
        (long long)st.wal_bytes);
  gauge(&b, "lobbyd_database_writable", "1 while the database takes writes (what /healthz "
        "checks), else 0.", healthy ? 1 : 0);
  if (b.failed) {
    free(b.text);
    return http_fail(r, 500, "internal", "out of memory");
  }
  enum MHD_Result ret = http_reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8",
                                        b.text, b.len, NULL);
  free(b.text);
  return ret;
}
