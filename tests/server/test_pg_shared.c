/* What several lobbyd instances on one PostgreSQL share, tested as two
 * "instances" in one process against a real PostgreSQL (run under
 * tests/support/with_postgres.sh): the change relay (LISTEN/NOTIFY) and
 * the rate limits' buckets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "auth.h"
#include "change_relay_pg.h"
#include "events.h"
#include "rate_share_pg.h"
#include "ratelimit.h"
#include "store.h"

static char dsn[256];

static int group_setup(void **state)
{
  (void)state;
  const char *pg = getenv("LOBBY_TEST_PG");
  if (!pg)
    return -1;
  char cmd[512];
  snprintf(cmd, sizeof cmd, "'%s' createdb '%s' shared_%d", PG_CLUSTER_PATH, pg, (int)getpid());
  FILE *p = popen(cmd, "r");
  if (!p || !fgets(dsn, sizeof dsn, p))
    return -1;
  dsn[strcspn(dsn, "\n")] = '\0';
  if (pclose(p) != 0)
    return -1;
  lobby_store *st;
  if (store_pg_open(dsn, &st) != LOBBY_OK)   /* the schema */
    return -1;
  st->ops->close(st);
  return 0;
}

static void sleep_ms(int ms)
{
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

typedef struct {
  auth_cache *tokens;
  console_events *ev;
  change_relay *relay;
} instance;

static void instance_start(instance *in)
{
  assert_int_equal(auth_cache_create(&in->tokens), LOBBY_OK);
  assert_int_equal(events_create(NULL, in->tokens, &in->ev), LOBBY_OK);
  assert_int_equal(change_relay_pg_start(dsn, in->ev, &in->relay), LOBBY_OK);
}

static void instance_stop(instance *in)
{
  change_relay_pg_stop(in->relay);
  events_free(in->ev);
  auth_cache_free(in->tokens);
}

/* Waits up to 5 s for ev's sequence to reach at least seq. */
static bool reaches(console_events *ev, uint64_t seq)
{
  events_snapshot now;
  for (int i = 0; i < 500; i++) {
    events_read(ev, &now);
    if (now.total >= seq)
      return true;
    sleep_ms(10);
  }
  return false;
}

static void a_change_on_one_instance_moves_the_other(void **state)
{
  (void)state;
  instance a, b;
  instance_start(&a);
  instance_start(&b);
  events_snapshot before_a, before_b, after_a, after_b;
  events_read(a.ev, &before_a);
  events_read(b.ev, &before_b);
  assert_int_equal(before_a.total, before_b.total);

  events_publish(a.ev, &(lobby_change){.topics = EV_REPAIRS});
  events_read(a.ev, &after_a);
  assert_true(after_a.total > before_a.total);
  assert_true(reaches(b.ev, after_a.total));
  events_read(b.ev, &after_b);
  /* The same numbers on both: a console may poll either. */
  assert_int_equal(after_b.total, after_a.total);
  assert_int_equal(after_b.topic[0], after_a.topic[0]);
  assert_int_equal(after_b.topic[1], before_b.topic[1]);   /* visits untouched */

  events_publish(b.ev, &(lobby_change){.topics = EV_VISITS, .item = "v_0123abcd"});
  events_read(b.ev, &after_b);
  assert_true(reaches(a.ev, after_b.total));
  events_read(a.ev, &after_a);
  assert_int_equal(after_a.topic[1], after_b.topic[1]);
  instance_stop(&a);
  instance_stop(&b);
}

static void malformed_payloads_are_refused(void **state)
{
  (void)state;
  char origin[17];
  uint64_t seq;
  lobby_change c;
  char wire[CHANGE_RELAY_PAYLOAD_LEN];
  change_relay_format("00ff", &(lobby_change){.topics = EV_NOTICES, .feed = true}, wire);
  assert_string_equal(wire, "00ff 4 1 0 -");
  assert_int_equal(change_relay_parse("00ff 17 4 1 0 -", origin, &seq, &c), LOBBY_OK);
  assert_int_equal(seq, 17);
  assert_int_equal(c.topics, EV_NOTICES);
  assert_true(c.feed);
  assert_int_equal(change_relay_parse("00ff 17 4 1 0 v_12ab", origin, &seq, &c), LOBBY_OK);
  assert_string_equal(c.item, "v_12ab");
  /* A repair's ticket: its follow pages' waiters wake on every instance. */
  assert_int_equal(change_relay_parse("00ff 17 1 0 0 R-20261201-0042", origin, &seq, &c), LOBBY_OK);
  assert_string_equal(c.item, "R-20261201-0042");
  const char *bad[] = {"", "00ff", "00ff 17 4 1 0", "00ff 17 4 1 0 - extra", "00ff x 4 1 0 -",
                       "00ff 17 999 1 0 -", "00ff 17 4 2 0 -", "00ff 17 4 1 0 v_../x",
                       "00ff -1 4 1 0 -", "01234567890123456789 1 4 1 0 -", "00ff 17 4 1 0 V_1",
                       "00ff 17 1 0 0 R-2026120-0042", "00ff 17 1 0 0 R-20261201-00x2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(change_relay_parse(bad[i], origin, &seq, &c), LOBBY_EINVAL);
}

/* Two instances' limiters on one shared bucket: 3 tries a minute in all,
 * not 3 each. */
static void rate_limits_hold_across_instances(void **state)
{
  (void)state;
  rate_share_pg *s1, *s2;
  rate_limiter *l1, *l2;
  assert_int_equal(rate_share_pg_create(dsn, &s1), LOBBY_OK);
  assert_int_equal(rate_share_pg_create(dsn, &s2), LOBBY_OK);
  assert_int_equal(rate_limiter_create(3, &l1), LOBBY_OK);
  assert_int_equal(rate_limiter_create(3, &l2), LOBBY_OK);
  rate_share sh1 = rate_share_pg_share(s1), sh2 = rate_share_pg_share(s2);
  rate_limiter_share(l1, &sh1, "signin_name");
  rate_limiter_share(l2, &sh2, "signin_name");
  assert_true(rate_limiter_allow(l1, "name:王师傅", 1));
  assert_true(rate_limiter_allow(l2, "name:王师傅", 1));
  assert_true(rate_limiter_allow(l1, "name:王师傅", 1));
  int64_t retry = 0;
  assert_false(rate_limiter_take(l2, "name:王师傅", 1, &retry));
  assert_true(retry > 0 && retry <= 20001);   /* one try refills in 20 s */
  assert_true(rate_limiter_allow(l2, "name:李工", 1));   /* another key, its own bucket */
  rate_limiter_refund(l1, "name:王师傅", 1);
  assert_true(rate_limiter_allow(l2, "name:王师傅", 1));
  assert_false(rate_limiter_allow(l1, "name:王师傅", 1));
  assert_int_equal(rate_share_pg_sweep(s1), LOBBY_OK);
  rate_limiter_free(l1);
  rate_limiter_free(l2);
  rate_share_pg_free(s1);
  rate_share_pg_free(s2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(malformed_payloads_are_refused),
    cmocka_unit_test(a_change_on_one_instance_moves_the_other),
    cmocka_unit_test(rate_limits_hold_across_instances),
  };
  return cmocka_run_group_tests_name("pg_shared", tests, group_setup, NULL);
}
