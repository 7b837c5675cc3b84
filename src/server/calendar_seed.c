/* Loads the shipped working-day calendar of this year and the next into
 * the store, once per year (store's calendar_seed), at start-up. */
#include "calendar_seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_paths.h"
#include "lobby_time.h"

/* A calendar file is a few hundred lines; anything bigger is not one. */
#define CALENDAR_FILE_MAX (64 * 1024)

/* A missing or unreadable file is logged and left to staff: only the
 * store failing to write is an error. */
static lobby_err seed_year(lobby_store *st, const char *dir, int year, int64_t now)
{
  char path[1100], why[160] = "";
  char *text = NULL;
  size_t len = 0, count = 0;
  lobby_calendar_day *days = NULL;
  struct stat sb;
  snprintf(path, sizeof path, "%s/cn-%d.txt", dir, year);
  if (stat(path, &sb) != 0)
    return LOBBY_OK; /* not shipped: staff enter that year's days */
  lobby_err err = lobby_fs_read_all(path, CALENDAR_FILE_MAX, &text, &len);
  if (err == LOBBY_OK)
    err = calendar_file_parse(text, len, year, &days, &count, why, sizeof why);
  free(text);
  if (err != LOBBY_OK) {
    LOBBY_WARN("calendar: %s not loaded (staff can enter its days): %s", path,
               why[0] ? why : lobby_strerror(err));
    return LOBBY_OK;
  }
  bool seeded = false;
  err = st->ops->calendar_seed(st, year, days, count, now, &seeded);
  free(days);
  if (err == LOBBY_OK && seeded)
    LOBBY_INFO("calendar: loaded %zu days of %d from %s", count, year, path);
  return err;
}

lobby_err calendar_seed_shipped(lobby_store *st, int offset_min)
{
  char dir[1024];
  lobby_civil today;
  int64_t now = lobby_now();
  lobby_err err = lobby_path_data("assets/calendar", dir, sizeof dir);
  if (err != LOBBY_OK)
    return err;
  lobby_time_local(now, offset_min, &today);
  for (int year = today.year; err == LOBBY_OK && year <= today.year + 1; year++)
    err = seed_year(st, dir, year, now);
  return err;
}
