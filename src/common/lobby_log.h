/* Logging to stderr.  On a terminal or file each line carries a UTC
 * timestamp and the level; when stderr is the systemd journal
 * (JOURNAL_STREAM names it) each line starts with its syslog priority,
 * `<3>` error, `<4>` warn, `<6>` info, `<7>` debug, and no timestamp:
 * journald stamps and filters by those.  Callers must never pass personal
 * data (names, phones, plates): log ticket numbers and ids. */
#ifndef LOBBY_LOG_H
#define LOBBY_LOG_H

#include <stdbool.h>

/* LOBBY_LOG_OFF is only a threshold (nothing is logged at it): the
 * fuzzers set it so that millions of refused inputs print nothing. */
typedef enum {
  LOBBY_LOG_DEBUG, LOBBY_LOG_INFO, LOBBY_LOG_WARN, LOBBY_LOG_ERROR, LOBBY_LOG_OFF
} lobby_log_level;

/* The least severe level written; safe to change from any thread. */
void lobby_log_set_level(lobby_log_level level);
lobby_log_level lobby_log_get_level(void);
/* "debug", "info", "warn", "error". */
const char *lobby_log_level_name(lobby_log_level level);
/* Whether lines go to the journal with priority prefixes. */
bool lobby_log_to_journal(void);
void lobby_log(lobby_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOBBY_DEBUG(...) lobby_log(LOBBY_LOG_DEBUG, __VA_ARGS__)
#define LOBBY_INFO(...) lobby_log(LOBBY_LOG_INFO, __VA_ARGS__)
#define LOBBY_WARN(...) lobby_log(LOBBY_LOG_WARN, __VA_ARGS__)
#define LOBBY_ERROR(...) lobby_log(LOBBY_LOG_ERROR, __VA_ARGS__)

#endif
