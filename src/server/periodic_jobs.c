/* lobbyd's periodic jobs on their own thread (periodic_jobs.h). */
#include "periodic_jobs.h"

#include <jansson.h>
#include <stdlib.h>
#include "events.h"
#include "handlers.h"
#include "interval_thread.h"
#include "lobby_log.h"
#include "lobby_time.h"
#include "longpoll.h"
#include "rate_share_pg.h"
#include "retention.h"
#include "service.h"

#define ROUND_INTERVAL_MS 1000
#define VISIT_SWEEP_INTERVAL_S 60
/* Replies are due to the minute; a minute late to escalate is soon enough. */
#define ESCALATION_INTERVAL_S 60
/* The long-poll thread goes round at least once a second; ten seconds
 * without is a thread stuck, well inside systemd's 30 s WatchdogSec. */
#define LONGPOLL_STUCK_MS 10000

/* Everything but `thread` is the thread's own. */
struct periodic_jobs {
  lobbyd *d;
  interval_thread *thread;
  int64_t next_boundary;    /* when a notice next starts or ends, 0 = none */
  int64_t next_sweep;       /* 0: at the first round */
  int64_t next_retention;   /* 0: at the first round */
  int64_t next_escalation;  /* 0: at the first round */
  service_watchdog watchdog;
};

static bool longpoll_alive(longpoll *lp)
{
  return lobby_monotonic_ms() - longpoll_heartbeat_ms(lp) < LONGPOLL_STUCK_MS;
}

/* One site's visitor sweep: its own hours and days where it has them,
 * else the company's; adds what it touched to the counts. */
static void sweep_site_visits(lobbyd *d, json_t *site, int hours, int days, int64_t now,
                              int *signed_out, int *anonymised)
{
  store_site_set one = store_site_one(json_integer_value(json_object_get(site, "id")));
  json_t *own_hours = json_object_get(site, "auto_checkout_hours");
  json_t *own_days = json_object_get(site, "retention_days");
  int count = 0;
  if (json_is_integer(own_hours))
    hours = (int)json_integer_value(own_hours);
  if (json_is_integer(own_days))
    days = (int)json_integer_value(own_days);
  if (d->store->ops->visit_auto_checkout(d->store, &one, now - (int64_t)hours * 3600, now,
                                         &count) == LOBBY_OK)
    *signed_out += count;
  count = 0;
  if (days > 0 && d->store->ops->visit_anonymise(d->store, &one, now - (int64_t)days * 86400, now,
                                                 &count) == LOBBY_OK)
    *anonymised += count;
}

/* Signs out visits left open too long and anonymises old visits, site by
 * site, with the hours and days admins set in the console (a site's own,
 * else the company's; the ini as fallback). */
static void sweep_visits(lobbyd *d, int64_t now)
{
  int hours = settings_auto_checkout_hours(d), days = settings_retention_days(d);
  int signed_out = 0, anonymised = 0;
  json_t *sites = NULL, *site;
  size_t i;
  if (d->store->ops->site_list(d->store, NULL, &sites) != LOBBY_OK)
    return;
  json_array_foreach(sites, i, site) sweep_site_visits(d, site, hours, days, now, &signed_out,
                                                       &anonymised);
  json_decref(sites);
  if (signed_out > 0) {
    LOBBY_INFO("signed out %d visit(s) still open past their site's limit", signed_out);
    events_publish(d->events, &(lobby_change){.topics = EV_VISITS, .all_visits = true});
  }
  if (anonymised > 0) {
    LOBBY_INFO("anonymised %d old visit(s) and invite(s)", anonymised);
    events_publish(d->events, &(lobby_change){.topics = EV_VISITS});
  }
}

/* Overdue complaint replies go up to the managers, once each
 * (complaint_escalate_overdue); the console's lists move with them. */
static void sweep_escalations(lobbyd *d, int64_t now)
{
  int count = 0;
  lobby_err err = d->store->ops->complaint_escalate_overdue(d->store, now, &count);
  if (err != LOBBY_OK) {
    LOBBY_WARN("complaints: overdue replies were not escalated (%s); the next sweep tries again",
               lobby_strerror(err));
    return;
  }
  if (count > 0) {
    LOBBY_INFO("escalated %d complaint(s) whose reply is overdue", count);
    events_publish(d->events, &(lobby_change){.topics = EV_COMPLAINTS});
  }
}

/* A notice starting or ending changes feeds without any write: when the
 * remembered boundary has passed, rebuild and wake.  The next boundary is
 * looked up from now each round (a MIN over the notices table), so a
 * notice created meanwhile with an earlier time is not missed.  Returns
 * what the store answered. */
static lobby_err watch_notice_times(periodic_jobs *j, int64_t now)
{
  lobbyd *d = j->d;
  int64_t boundary = 0;
  if (j->next_boundary && j->next_boundary <= now)
    events_publish(d->events, &(lobby_change){.feed = true});
  lobby_err err = d->store->ops->notice_next_boundary(d->store, now, &boundary);
  if (err == LOBBY_OK)
    j->next_boundary = boundary;
  return err;
}

/* Old repairs, complaints, releases and renovations anonymised, and with
 * PostgreSQL the shared rate limits' old buckets dropped. */
static void sweep_retention(lobbyd *d, int64_t now)
{
  store_retention_counts counts;
  if (d->rate_share && rate_share_pg_sweep(d->rate_share) != LOBBY_OK)
    LOBBY_WARN("rate limits: old buckets were not swept; the next sweep tries again");
  if (retention_sweep(d->store, d->cfg, now, &counts) == LOBBY_OK &&
      (counts.repairs_anonymised || counts.complaints_anonymised || counts.releases_anonymised ||
       counts.renovations_anonymised))
    events_publish(d->events, &(lobby_change){.topics = EV_REPAIRS | EV_COMPLAINTS | EV_RELEASES |
                                                        EV_RENOVATIONS});
}

static void run_round(void *ctx)
{
  periodic_jobs *j = ctx;
  lobbyd *d = j->d;
  int64_t now = lobby_now();
  lobby_err store = watch_notice_times(j, now);
  /* Pinged from here, systemd's watchdog restarts lobbyd when this
   * thread, the long-poll thread or the store stops answering.  A
   * PostgreSQL that cannot be reached (LOBBY_EUNAVAIL) is not lobbyd
   * stuck: it keeps serving cached feeds and clear 503s and reconnects by
   * itself, where a restart would only fail to start until the database
   * is back. */
  bool store_answered = store == LOBBY_OK || store == LOBBY_EUNAVAIL;
  service_watchdog_tick(&j->watchdog, store_answered && longpoll_alive(d->poll));
  if (now >= j->next_sweep) {
    sweep_visits(d, now);
    screenshot_sweep(d, now);
    j->next_sweep = now + VISIT_SWEEP_INTERVAL_S;
  }
  if (now >= j->next_escalation) {
    sweep_escalations(d, now);
    j->next_escalation = now + ESCALATION_INTERVAL_S;
  }
  if (now >= j->next_retention) {
    sweep_retention(d, now);
    j->next_retention = now + RETENTION_INTERVAL_S;
  }
}

lobby_err periodic_jobs_start(lobbyd *d, periodic_jobs **out)
{
  periodic_jobs *j = calloc(1, sizeof *j);
  if (!j)
    return LOBBY_ENOMEM;
  j->d = d;
  service_watchdog_init(&j->watchdog);
  lobby_err err = interval_thread_start(ROUND_INTERVAL_MS, run_round, j, &j->thread);
  if (err != LOBBY_OK) {
    LOBBY_ERROR("periodic jobs: cannot start their thread");
    free(j);
    return err;
  }
  *out = j;
  return LOBBY_OK;
}

void periodic_jobs_stop(periodic_jobs *j)
{
  if (!j)
    return;
  interval_thread_stop(j->thread);
  free(j);
}
