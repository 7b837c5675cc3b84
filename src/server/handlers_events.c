/* GET /api/v1/events?since=N&wait=S: the console's change feed.  The
 * answer carries a sequence and one counter per topic; with `since` equal
 * to the current sequence the request waits (long-poll) until some change
 * happens or the wait ends, so a repair filed at a kiosk reaches the front
 * desk as soon as it is stored. */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "events.h"
#include "lobby_text.h"
#include "longpoll.h"

#define EVENTS_WAIT_MAX_S 60

static enum MHD_Result events_reply(http_request *r)
{
  events_snapshot now;
  events_read(r->d->events, &now);
  json_t *out = json_pack("{s:I}", "seq", (json_int_t)now.total);
  for (int i = 0; i < EV_TOPIC_COUNT; i++)
    json_object_set_new(out, events_topic_names[i], json_integer((json_int_t)now.topic[i]));
  return http_reply_json(r, 200, out);
}

/* poll_etag holds the sequence the client already has. */
static bool events_ready(http_request *r)
{
  events_snapshot now;
  events_read(r->d->events, &now);
  return strtoull(r->poll.etag, NULL, 10) != now.total;
}

static enum MHD_Result events_answer(http_request *r)
{
  return events_reply(r);
}

static bool parse_count(const char *text, long long max, long long *out)
{
  int64_t v;
  if (lobby_parse_int64(text, 0, max, &v) != LOBBY_OK)
    return false;
  *out = v;
  return true;
}

enum MHD_Result handle_events(http_request *r)
{
  const char *since_text = http_query(r, "since");
  long long since = -1;
  int wait_s;
  enum MHD_Result ret;
  if (since_text && !parse_count(since_text, (long long)1 << 62, &since))
    return http_fail(r, 400, "invalid_field", "since: must be a sequence number");
  if (!longpoll_query_wait(r, EVENTS_WAIT_MAX_S, &wait_s, &ret))
    return ret;
  events_snapshot now;
  events_read(r->d->events, &now);
  if (since < 0 || wait_s == 0 || (unsigned long long)since != now.total)
    return events_reply(r);
  snprintf(r->poll.etag, sizeof r->poll.etag, "%lld", since);
  r->poll.ready = events_ready;
  r->poll.answer = events_answer;
  return longpoll_wait(r->d->poll, r, WATCH_EVENTS, (int64_t)wait_s * 1000);
}
