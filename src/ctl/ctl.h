/* lobbyctl: shared types for the command layer.
 *
 * The tool is split like curl's lib/ and src/: ctl_http.c talks to the
 * server and maps answers to exit codes, ctl_table.c renders text for a
 * terminal, ctl_args.c parses and checks arguments, and the ctl_cmd_*.c
 * files turn one command line into one request. */
#ifndef CTL_H
#define CTL_H

#include <stdbool.h>
#include <stdio.h>
#include "lobby_paths.h"

/* Exit codes, documented in `lobbyctl --help`.  Scripts branch on them, so
 * they never change meaning. */
typedef enum {
  CTL_EXIT_OK = 0,
  CTL_EXIT_USAGE = 1,       /* bad command line or a local check failed */
  CTL_EXIT_REJECTED = 2,    /* the server answered 4xx (other than auth) */
  CTL_EXIT_UNREACHABLE = 3, /* no answer, or the server answered 5xx */
  CTL_EXIT_AUTH = 4         /* no token, or the server answered 401/403 */
} ctl_exit;

#define CTL_VERSION LOBBY_VERSION /* the project version, from CMake */

/* Everything a command needs besides its own arguments. */
typedef struct {
  const char *server;  /* from LOBBY_SERVER, or --server (wins) */
  const char *token;   /* from LOBBY_TOKEN, or --token (wins) */
  const char *server_opt, *token_opt; /* the flags, when given */
  const char *ca_file; /* CA to check an https:// server with: LOBBY_CA_FILE, --ca-file */
  const char *pin;     /* "sha256//BASE64" public-key pin: LOBBY_PIN, --pin */
  const char *ca_file_opt, *pin_opt;
  /* The site (compound) lists narrow to and creates go to: LOBBY_SITE,
   * --site (wins); NULL = every site the token reaches. */
  const char *site, *site_opt;
  bool json;           /* print the server's JSON instead of a table */
  bool full;           /* show personal data (phones) unmasked */
  int term_width;      /* columns available, 0 = unlimited (not a tty) */
  FILE *out;
  FILE *err;
} ctl_ctx;

/* A command handler gets the words after "<group> <verb>". */
typedef ctl_exit (*ctl_cmd_fn)(ctl_ctx *ctx, int argc, char **argv);

#endif
