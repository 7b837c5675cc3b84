#include "lobby_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static lobby_log_level min_level = LOBBY_LOG_INFO;

void lobby_log_set_level(lobby_log_level level)
{
  min_level = level;
}

void lobby_log(lobby_log_level level, const char *fmt, ...)
{
  static const char *const names[] = {"debug", "info", "warn", "error"};
  if (level < min_level)
    return;
  char stamp[32];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  /* One fprintf per line keeps lines from different threads whole. */
  fprintf(stderr, "%s %s %s\n", stamp, names[level], line);
}
