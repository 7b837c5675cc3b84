#include "lobby_log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "lobby_text.h"

static atomic_int min_level = LOBBY_LOG_INFO;

/* Where stderr goes: not yet looked at, a terminal or file, the journal. */
enum { SINK_UNKNOWN, SINK_PLAIN, SINK_JOURNAL };
static atomic_int sink = SINK_UNKNOWN;

void lobby_log_set_level(lobby_log_level level)
{
  atomic_store(&min_level, (int)level);
}

lobby_log_level lobby_log_get_level(void)
{
  return (lobby_log_level)atomic_load(&min_level);
}

const char *lobby_log_level_name(lobby_log_level level)
{
  static const char *const names[] = {"debug", "info", "warn", "error"};
  return level >= LOBBY_LOG_DEBUG && level <= LOBBY_LOG_ERROR ? names[level] : "?";
}

/* systemd sets JOURNAL_STREAM=DEV:INODE for a service whose stderr is a
 * stream to journald; stderr is that stream only if fstat agrees (a child
 * that redirected stderr inherits the variable but not the stream). */
static int detect_sink(void)
{
  const char *env = getenv("JOURNAL_STREAM");
  const char *colon = env ? strchr(env, ':') : NULL;
  char dev_text[32];
  int64_t dev, ino;
  struct stat st;
  if (!colon || (size_t)(colon - env) >= sizeof dev_text)
    return SINK_PLAIN;
  memcpy(dev_text, env, (size_t)(colon - env));
  dev_text[colon - env] = '\0';
  if (lobby_parse_int64(dev_text, 0, INT64_MAX, &dev) != LOBBY_OK ||
      lobby_parse_int64(colon + 1, 0, INT64_MAX, &ino) != LOBBY_OK || fstat(2, &st) != 0)
    return SINK_PLAIN;
  return (uint64_t)st.st_dev == (uint64_t)dev && (uint64_t)st.st_ino == (uint64_t)ino
           ? SINK_JOURNAL : SINK_PLAIN;
}

bool lobby_log_to_journal(void)
{
  int s = atomic_load(&sink);
  if (s == SINK_UNKNOWN) {
    /* Threads racing here compute the same answer. */
    s = detect_sink();
    atomic_store(&sink, s);
  }
  return s == SINK_JOURNAL;
}

void lobby_log(lobby_log_level level, const char *fmt, ...)
{
  /* syslog priorities: debug 7, info 6, warning 4, err 3. */
  static const int priorities[] = {7, 6, 4, 3};
  if ((int)level < atomic_load(&min_level) || level >= LOBBY_LOG_OFF)
    return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  /* One fprintf per line keeps lines from different threads whole. */
  if (lobby_log_to_journal()) {
    /* journald reads the level from the prefix and stamps the time. */
    fprintf(stderr, "<%d>%s\n", priorities[level], line);
    return;
  }
  char stamp[32];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  fprintf(stderr, "%s %s %s\n", stamp, lobby_log_level_name(level), line);
}
