/* LISTEN/NOTIFY between lobbyd instances (change_relay_pg.h). */
#include "change_relay_pg.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "lobby_complaint.h"
#include "lobby_repair.h"
#include "lobby_log.h"
#include "lobby_text.h"
#include "pg_connect.h"

#define RELAY_CHANNEL "lobby_change"
#define RELAY_RECONNECT_MS 1000
#define ALL_TOPICS ((1u << EV_TOPIC_COUNT) - 1)

struct change_relay {
  char *dsn;
  console_events *ev;
  char origin[17];              /* this instance, in every payload it sends */
  pthread_mutex_t send_lock;    /* guards sender */
  PGconn *sender;
  PGconn *listener;             /* the thread's own */
  pg_connect_outage send_outage, listen_outage;   /* for the log */
  int stop_fd;                  /* eventfd: the thread ends when it is readable */
  pthread_t thread;
};

/* ---- the payload ---------------------------------------------------- */

void change_relay_format(const char *origin, const lobby_change *c,
                         char out[CHANGE_RELAY_PAYLOAD_LEN])
{
  snprintf(out, CHANGE_RELAY_PAYLOAD_LEN, "%s %u %d %d %s", origin, c->topics & ALL_TOPICS,
           c->feed ? 1 : 0, c->all_visits ? 1 : 0, c->item[0] ? c->item : "-");
}

/* The next space-separated word of *p, at most size-1 characters. */
static bool next_word(const char **p, char *out, size_t size)
{
  const char *s = *p, *end = strchr(s, ' ');
  size_t n = end ? (size_t)(end - s) : strlen(s);
  if (n == 0 || n >= size)
    return false;
  memcpy(out, s, n);
  out[n] = '\0';
  *p = end ? end + 1 : s + n;
  return true;
}

static bool word_int(const char **p, int64_t hi, int64_t *out)
{
  char word[24];
  return next_word(p, word, sizeof word) && lobby_parse_int64(word, 0, hi, out) == LOBBY_OK;
}

/* An item is a visit id ("v_" and hex digits), a repair's ticket or a
 * complaint's number: nothing else is taken. */
static bool item_ok(const char *v)
{
  if (repair_ticket_valid(v) || complaint_number_valid(v))
    return true;
  if (strncmp(v, "v_", 2) != 0)
    return false;
  for (const char *c = v + 2; *c; c++)
    if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
      return false;
  return true;
}

lobby_err change_relay_parse(const char *payload, char origin[17], uint64_t *seq,
                             lobby_change *out)
{
  const char *p = payload;
  int64_t n, topics, feed, all;
  char item[CHANGE_ITEM_LEN];
  memset(out, 0, sizeof *out);
  if (!next_word(&p, origin, 17) || !word_int(&p, INT64_MAX, &n) ||
      !word_int(&p, ALL_TOPICS, &topics) || !word_int(&p, 1, &feed) || !word_int(&p, 1, &all) ||
      !next_word(&p, item, sizeof item) || *p)
    return LOBBY_EINVAL;
  if (strcmp(item, "-") != 0) {
    if (!item_ok(item))
      return LOBBY_EINVAL;
    memcpy(out->item, item, sizeof item);
  }
  *seq = (uint64_t)n;
  out->topics = (unsigned)topics;
  out->feed = feed == 1;
  out->all_visits = all == 1;
  return LOBBY_OK;
}

/* ---- sending -------------------------------------------------------- */

static PGconn *connect_to(const char *dsn, pg_connect_outage *outage)
{
  PGconn *c = pg_connect_open(dsn);
  if (c && PQstatus(c) == CONNECTION_OK) {
    pg_connect_succeeded(outage, "change relay");
    return c;
  }
  pg_connect_failed(outage, "change relay", c);
  PQfinish(c);
  return NULL;
}

/* Numbers the change and notifies the others in one statement. */
static lobby_err send_on(PGconn *c, const char *payload, uint64_t *seq)
{
  const char *params[2] = {payload, NULL};
  PGresult *res = PQexecParams(c,
    "WITH s AS (SELECT nextval('lobby_change_seq') AS seq) "
    "SELECT seq, pg_notify('" RELAY_CHANNEL "', "
    "split_part($1, ' ', 1) || ' ' || seq || substr($1, strpos($1, ' '))) FROM s",
    1, NULL, params, NULL, NULL, 0);
  lobby_err err = LOBBY_EUNAVAIL;
  if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
    int64_t n;
    if (lobby_parse_int64(PQgetvalue(res, 0, 0), 1, INT64_MAX, &n) == LOBBY_OK) {
      *seq = (uint64_t)n;
      err = LOBBY_OK;
    }
  }
  PQclear(res);
  return err;
}

static lobby_err relay_send(void *ctx, const lobby_change *change, uint64_t *seq)
{
  change_relay *r = ctx;
  char payload[CHANGE_RELAY_PAYLOAD_LEN];
  change_relay_format(r->origin, change, payload);
  pthread_mutex_lock(&r->send_lock);
  if (r->sender && PQstatus(r->sender) != CONNECTION_OK) {
    PQfinish(r->sender);
    r->sender = NULL;
  }
  if (!r->sender)
    r->sender = connect_to(r->dsn, &r->send_outage);
  lobby_err err = r->sender ? send_on(r->sender, payload, seq) : LOBBY_EUNAVAIL;
  pthread_mutex_unlock(&r->send_lock);
  if (err != LOBBY_OK)
    LOBBY_WARN("change relay: a change could not be announced to the other instances");
  return err;
}

/* ---- listening ------------------------------------------------------ */

static lobby_err last_seq(PGconn *c, uint64_t *out)
{
  PGresult *res = PQexec(c, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END "
                               "FROM lobby_change_seq");
  int64_t n;
  lobby_err err = LOBBY_EUNAVAIL;
  if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
      lobby_parse_int64(PQgetvalue(res, 0, 0), 0, INT64_MAX, &n) == LOBBY_OK) {
    *out = (uint64_t)n;
    err = LOBBY_OK;
  }
  PQclear(res);
  return err;
}

static lobby_err listen_on(PGconn *c)
{
  PGresult *res = PQexec(c, "LISTEN " RELAY_CHANNEL);
  lobby_err err = res && PQresultStatus(res) == PGRES_COMMAND_OK ? LOBBY_OK : LOBBY_EUNAVAIL;
  PQclear(res);
  return err;
}

static void deliver(change_relay *r, const char *payload)
{
  char origin[17];
  uint64_t seq;
  lobby_change change;
  if (change_relay_parse(payload, origin, &seq, &change) != LOBBY_OK) {
    LOBBY_WARN("change relay: ignored a malformed notification");
    return;
  }
  if (strcmp(origin, r->origin) != 0)   /* our own were announced when made */
    events_apply_remote(r->ev, &change, seq);
}

static void drain(change_relay *r)
{
  PGnotify *n;
  while ((n = PQnotifies(r->listener)) != NULL) {
    deliver(r, n->extra);
    PQfreemem(n);
  }
}

/* Waits for input on the listener or for the stop signal; true to go on. */
static bool wait_input(change_relay *r, int timeout_ms)
{
  struct pollfd fds[2] = {{.fd = r->stop_fd, .events = POLLIN},
                          {.fd = r->listener ? PQsocket(r->listener) : -1, .events = POLLIN}};
  int n = poll(fds, 2, timeout_ms);
  return !(n > 0 && (fds[0].revents & POLLIN));
}

/* Back after a lost connection: whatever changed meanwhile is unknown,
 * so every feed, list and visit waiter is told to look again. */
static lobby_err reconnect(change_relay *r)
{
  uint64_t seq;
  PQfinish(r->listener);
  r->listener = connect_to(r->dsn, &r->listen_outage);
  if (!r->listener || listen_on(r->listener) != LOBBY_OK || last_seq(r->listener, &seq) != LOBBY_OK)
    return LOBBY_EUNAVAIL;
  lobby_change all = {.topics = ALL_TOPICS, .feed = true, .all_visits = true};
  events_apply_remote(r->ev, &all, seq);
  LOBBY_INFO("change relay: listening again; every list and feed is refreshed");
  return LOBBY_OK;
}

static void *listen_thread(void *arg)
{
  change_relay *r = arg;
  for (;;) {
    bool up = r->listener && PQstatus(r->listener) == CONNECTION_OK;
    if (!up && reconnect(r) != LOBBY_OK) {
      if (!wait_input(r, RELAY_RECONNECT_MS))
        break;
      continue;
    }
    if (!wait_input(r, -1))
      break;
    if (!PQconsumeInput(r->listener)) {
      LOBBY_WARN("change relay: lost the database connection: %s", PQerrorMessage(r->listener));
      continue;   /* PQstatus is now bad: reconnect */
    }
    drain(r);
  }
  return NULL;
}

/* ---- start and stop ------------------------------------------------- */

static void relay_free(change_relay *r)
{
  if (r->stop_fd >= 0)
    close(r->stop_fd);
  PQfinish(r->listener);
  PQfinish(r->sender);
  pthread_mutex_destroy(&r->send_lock);
  free(r->dsn);
  free(r);
}

static lobby_err relay_connect(change_relay *r, uint64_t *start_seq)
{
  r->listener = connect_to(r->dsn, &r->listen_outage);
  if (!r->listener || listen_on(r->listener) != LOBBY_OK || last_seq(r->listener, start_seq) != LOBBY_OK)
    return LOBBY_EUNAVAIL;
  return LOBBY_OK;
}

lobby_err change_relay_pg_start(const char *dsn, console_events *ev, change_relay **out)
{
  change_relay *r = calloc(1, sizeof *r);
  if (!r)
    return LOBBY_ENOMEM;
  pthread_mutex_init(&r->send_lock, NULL);
  r->ev = ev;
  r->dsn = strdup(dsn);
  r->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  uint8_t raw[8];
  randombytes_buf(raw, sizeof raw);
  for (size_t i = 0; i < sizeof raw; i++)
    snprintf(r->origin + 2 * i, 3, "%02x", raw[i]);
  uint64_t start_seq = 0;
  lobby_err err = !r->dsn || r->stop_fd < 0 ? LOBBY_ENOMEM : relay_connect(r, &start_seq);
  if (err == LOBBY_OK && pthread_create(&r->thread, NULL, listen_thread, r) != 0)
    err = LOBBY_ENOMEM;
  if (err != LOBBY_OK) {
    relay_free(r);
    return err;
  }
  events_set_relay(ev, &(events_relay){.send = relay_send, .ctx = r}, start_seq);
  *out = r;
  return LOBBY_OK;
}

void change_relay_pg_stop(change_relay *r)
{
  if (!r)
    return;
  events_set_relay(r->ev, NULL, 0);
  uint64_t one = 1;
  if (write(r->stop_fd, &one, sizeof one) != sizeof one)
    LOBBY_WARN("change relay: could not signal the listener to stop");
  pthread_join(r->thread, NULL);
  relay_free(r);
}
