/* Logging to stderr with a timestamp and level.  Callers must never pass
 * personal data (names, phones, plates): log ticket numbers and ids. */
#ifndef LOBBY_LOG_H
#define LOBBY_LOG_H

typedef enum { LOBBY_LOG_DEBUG, LOBBY_LOG_INFO, LOBBY_LOG_WARN, LOBBY_LOG_ERROR } lobby_log_level;

void lobby_log_set_level(lobby_log_level level);
void lobby_log(lobby_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOBBY_DEBUG(...) lobby_log(LOBBY_LOG_DEBUG, __VA_ARGS__)
#define LOBBY_INFO(...) lobby_log(LOBBY_LOG_INFO, __VA_ARGS__)
#define LOBBY_WARN(...) lobby_log(LOBBY_LOG_WARN, __VA_ARGS__)
#define LOBBY_ERROR(...) lobby_log(LOBBY_LOG_ERROR, __VA_ARGS__)

#endif
