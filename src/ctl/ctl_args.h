/* Command-line parsing and the local checks lobbyctl runs before it sends
 * anything, so a typo costs no round trip and the message can say how to
 * fix it.  No I/O here: errors are written into a ctl_msg for the caller. */
#ifndef CTL_ARGS_H
#define CTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include "lobby_error.h"

typedef struct {
  char text[512];
} ctl_msg;

/* One "--name" option.  A flag sets *flag; a value option stores the next
 * word (or the part after '=') in *value. */
typedef struct {
  const char *name;   /* without the leading "--"; NULL ends a list */
  const char **value; /* value options */
  bool *flag;         /* flags */
} ctl_opt;

#define CTL_MAX_POS 8

typedef struct {
  const char *items[CTL_MAX_POS];
  size_t n;
} ctl_pos;

/* Parses argv[0..argc) against one or more option lists (sets is
 * NULL-terminated), so global options work after the command words.
 * Words not starting with "--" and all words after "--" are positional.
 * Unknown, repeated or value-less options are errors. */
lobby_err ctl_args_parse(int argc, char **argv, const ctl_opt *const *sets, ctl_pos *pos,
                         ctl_msg *msg);

/* Exactly `want` positional words named by `names` (for the message). */
lobby_err ctl_args_positional(const ctl_pos *pos, size_t want, const char *usage, ctl_msg *msg);

/* Each check returns LOBBY_OK or LOBBY_EINVAL with a message that names
 * the argument as the user wrote it ("--phone", or "ID" for a positional)
 * and says what is accepted. */
lobby_err ctl_check_choice(const char *opt, const char *value, const char *const *names,
                           ctl_msg *msg);
lobby_err ctl_check_int(const char *opt, const char *value, long min, long max, long *out,
                        ctl_msg *msg);
lobby_err ctl_check_phone(const char *opt, const char *value, ctl_msg *msg);
lobby_err ctl_check_text(const char *opt, const char *value, size_t min, size_t max,
                         bool multiline, ctl_msg *msg);
lobby_err ctl_check_code(const char *opt, const char *value, size_t max, ctl_msg *msg);
lobby_err ctl_check_time(const char *opt, const char *value, long long *out, ctl_msg *msg);
lobby_err ctl_check_date(const char *opt, const char *value, ctl_msg *msg);
lobby_err ctl_check_ticket(const char *value, ctl_msg *msg);
lobby_err ctl_check_complaint_number(const char *value, ctl_msg *msg);
lobby_err ctl_check_required(const char *opt, const char *value, ctl_msg *msg);
/* --name and --phone of a resident or visitor: both given, a name of at
 * most PERSON_NAME_MAX characters and a phone number. */
lobby_err ctl_check_contact(const char *name, const char *phone, ctl_msg *msg);
/* A site's service phone as people dial it: 3 to 32 digits, spaces, '+'
 * and '-' ("400-800-1234", "0755 8888 6666"). */
lobby_err ctl_check_service_phone(const char *opt, const char *value, ctl_msg *msg);
/* A site's working hours, "08:30-18:00": two 24-hour HH:MM times, the
 * start before the end.  On success start and end hold the two times
 * ("08:30", "18:00"). */
lobby_err ctl_check_workday(const char *opt, const char *value, char start[6], char end[6],
                            ctl_msg *msg);
/* "a,b,c": 1 to max_items codes (ctl_check_code, each at most code_max
 * long) joined by commas, none twice. */
lobby_err ctl_check_code_list(const char *opt, const char *value, size_t code_max,
                              size_t max_items, ctl_msg *msg);
lobby_err ctl_check_server_url(const char *value, ctl_msg *msg);
/* --ca-file (readable, when given) and --pin ("sha256//" and 44 base64
 * characters, several joined by ';'); either needs an https:// server,
 * since over http:// nothing would be checked. */
lobby_err ctl_check_tls(const char *server, const char *ca_file, const char *pin, ctl_msg *msg);

/* "a, b, c" from a NULL-terminated list, for messages. */
void ctl_join_names(const char *const *names, char *out, size_t out_size);

#endif
