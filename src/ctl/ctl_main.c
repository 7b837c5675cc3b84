/* lobbyctl: finds the command in argv and runs it.  Everything a command
 * does is in ctl_cmd_*.c; the HTTP client is ctl_http.c. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_commands.h"
#include "ctl_http.h"
#include "ctl_table.h"
#include "lobby_text.h"

typedef struct {
  const char *group, *verb;
  ctl_cmd_fn fn;
  const char *usage;
} ctl_command;

static const ctl_command commands[] = {
  {"notice", "post", ctl_cmd_notice_post,
   "notice post --title T (--body B | --body-file F) [--category works|outage|fees|safety|community|other]\n"
   "             [--priority 0-3] [--pinned] [--emergency] [--starts ISO] [--ends ISO]\n"
   "             [--building CODE | --group NAME] [--image FILE (a JPEG or PNG poster)]\n"
   "             (--site: for that site only; else every site)"},
  {"notice", "list", ctl_cmd_notice_list, "notice list [--all]"},
  {"notice", "withdraw", ctl_cmd_notice_withdraw, "notice withdraw ID"},
  {"notice", "image", ctl_cmd_notice_image,
   "notice image ID FILE | --remove   (a JPEG or PNG poster shown with the notice)"},
  {"kiosk", "add", ctl_cmd_kiosk_add, "kiosk add NAME --building CODE [--group G]   (prints the token once)"},
  {"kiosk", "list", ctl_cmd_kiosk_list, "kiosk list"},
  {"kiosk", "revoke", ctl_cmd_kiosk_revoke, "kiosk revoke NAME"},
  {"repair", "list", ctl_cmd_repair_list,
   "repair list [--status S] [--category C] [--urgency U] [--building B] [--overdue]"},
  {"repair", "show", ctl_cmd_repair_show, "repair show TICKET"},
  {"repair", "event", ctl_cmd_repair_event,
   "repair event TICKET accept|dispatch|take|decline|on_site|complete|return_visit|close|cancel\n"
   "             [--note N] [--technician NAME (dispatch)] [--satisfaction 1-5] [--comment C]\n"
   "             [--reason R (cancel, decline)]"},
  {"repair", "add", ctl_cmd_repair_add,
   "repair add --building B --unit U --room R --name N --phone P\n"
   "             --category water|electric|door_lock|lift|appliance|public_area|other\n"
   "             --description D [--kind in_unit|public_area|warranty] [--urgency emergency|normal|appointment]\n"
   "             [--from ISO --to ISO (appointment)] [--source phone|front_desk] [--idempotency-key K]"},
  {"complaint", "list", ctl_cmd_complaint_list,
   "complaint list [--status S] [--kind complaint|suggestion|praise|enquiry] [--category C] [--overdue]"},
  {"complaint", "show", ctl_cmd_complaint_show, "complaint show NUMBER"},
  {"complaint", "event", ctl_cmd_complaint_event,
   "complaint event NUMBER accept|assign|reply|return_visit|close|answer_close\n"
   "             [--responsible STAFF (assign)] [--reply TEXT (reply, answer_close)]\n"
   "             [--satisfaction satisfied|basically_satisfied|unsatisfied (return_visit)] [--comment C] [--note N]"},
  {"complaint", "add", ctl_cmd_complaint_add,
   "complaint add --kind complaint|suggestion|praise|enquiry --category C --text T\n"
   "             [--building B --unit U --room R] [--name N --phone P]   (a complaint needs both)\n"
   "             [--source phone|front_desk] [--idempotency-key K]"},
  {"release", "list", ctl_cmd_release_list,
   "release list [--status submitted|approved|refused|used|cancelled] [--date YYYY-MM-DD]"},
  {"release", "approve", ctl_cmd_release_approve,
   "release approve NUMBER --verified [--note N]   (the applicant checked as owner or resident)"},
  {"release", "refuse", ctl_cmd_release_refuse, "release refuse NUMBER --reason TEXT"},
  {"release", "cancel", ctl_cmd_release_cancel, "release cancel NUMBER --reason TEXT"},
  {"renovation", "list", ctl_cmd_renovation_list,
   "renovation list [--status active|finished|cancelled] [--ending-within DAYS]"},
  {"renovation", "add", ctl_cmd_renovation_add,
   "renovation add --building B --unit U --room R --company C --manager M --manager-phone P\n"
   "                 --start YYYY-MM-DD --end YYYY-MM-DD [--works W]   (at most three months)"},
  {"renovation", "extend", ctl_cmd_renovation_extend,
   "renovation extend NUMBER --end YYYY-MM-DD --reason TEXT   (at most three months more)"},
  {"worker", "add", ctl_cmd_worker_add,
   "worker add NUMBER --name N --phone P [--valid-until YYYY-MM-DD]   (prints the pass code)"},
  {"worker", "revoke", ctl_cmd_worker_revoke, "worker revoke ID --reason TEXT"},
  {"calendar", "list", ctl_cmd_calendar_list, "calendar list [--year YYYY]   (holidays and make-up working days)"},
  {"calendar", "set", ctl_cmd_calendar_set, "calendar set DATE holiday|workday [--note N]"},
  {"calendar", "clear", ctl_cmd_calendar_clear, "calendar clear DATE   (back to Monday-Friday)"},
  {"visit", "list", ctl_cmd_visit_list, "visit list [--state S] [--date YYYY-MM-DD]"},
  {"visit", "onsite", ctl_cmd_visit_onsite, "visit onsite"},
  {"visit", "checkout", ctl_cmd_visit_checkout, "visit checkout ID"},
  {"visit", "approve", ctl_cmd_visit_approve, "visit approve ID"},
  {"visit", "refuse", ctl_cmd_visit_refuse, "visit refuse ID --reason R"},
  {"invite", "add", ctl_cmd_invite_add,
   "invite add --name N --phone P --host H --purpose business|family|delivery|interview|other\n"
   "             [--party-size N] [--plate P] [--valid-until ISO]   (prints the invite code)"},
  {"staff", "add", ctl_cmd_staff_add, "staff add NAME --role admin|front_desk|technician|guard [--sites CODE[,CODE...]]   (prints the token once; no --sites: every site)"},
  {"staff", "sites", ctl_cmd_staff_sites,
   "staff sites NAME CODE[,CODE...] | --all   (the sites they work for; --all: every site)"},
  {"site", "list", ctl_cmd_site_list, "site list"},
  {"site", "add", ctl_cmd_site_add,
   "site add CODE --name N [--phone P] [--workday 08:30-18:00]\n"
   "             [--checkout-hours 1-72] [--retention-days 0-3650]   (visitors; default: the company's)"},
  {"site", "set", ctl_cmd_site_set,
   "site set CODE [--name N] [--phone P] [--workday HH:MM-HH:MM | --workday none]\n"
   "             [--checkout-hours 1-72|none] [--retention-days 0-3650|none]   (none: the company's)"},
  {"directory", "show", ctl_cmd_directory_show, "directory show"},
  {"directory", "load", ctl_cmd_directory_load,
   "directory load FILE.json   (replaces the buildings of one site: --site, or your only one)"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *out)
{
  fputs("usage: lobbyctl [--server URL] [--token TOKEN] [--ca-file FILE] [--pin PIN] [--site CODE]\n"
        "                [--json] [--full] COMMAND ...\n\n"
        "Staff tool for the Lobby server (lobbyd).\n\ncommands:\n", out);
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(out, "  %s\n", commands[i].usage);
  fputs("\noptions (anywhere on the line):\n"
        "  --server URL    lobbyd's address, e.g. http://127.0.0.1:8080 (default: $LOBBY_SERVER)\n"
        "  --token TOKEN   staff token, ls_... (default: $LOBBY_TOKEN; prefer the variable:\n"
        "                  other users can see command lines)\n"
        "  --ca-file FILE  check an https:// server's certificate against this CA (PEM)\n"
        "                  instead of the system's (default: $LOBBY_CA_FILE)\n"
        "  --pin PIN       also require the server's public key: sha256//BASE64, as\n"
        "                  curl's --pinnedpubkey (default: $LOBBY_PIN)\n"
        "  --site CODE     one site (compound): lists show only its records, and notices,\n"
        "                  visits, invites and kiosks are created for it (default:\n"
        "                  $LOBBY_SITE; none: every site your token reaches)\n"
        "  --json          print the server's JSON answer instead of a table (on a\n"
        "                  rejected request, the server's error object)\n"
        "  --full          show phone numbers in full (masked by default)\n"
        "  --help          this text; `lobbyctl COMMAND --help` for one command\n"
        "\nexit codes:\n"
        "  0  ok\n"
        "  1  usage: a bad command line, or an argument failed a local check\n"
        "  2  the server rejected the request (HTTP 4xx: invalid field, not found, conflict, ...)\n"
        "  3  cannot reach the server, its TLS certificate is not trusted or its key\n"
        "     does not match --pin, or it failed (HTTP 5xx); also local failures\n"
        "     such as running out of memory or stdout closed\n"
        "  4  authentication: no token, or the server refused it (HTTP 401/403)\n",
        out);
}

static const ctl_command *find_command(const char *group, const char *verb)
{
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i].group, group) == 0 && verb && strcmp(commands[i].verb, verb) == 0)
      return &commands[i];
  return NULL;
}

/* Names the verbs of a known group, so "lobbyctl repair" says what to add. */
static ctl_exit unknown_command(const char *group, const char *verb)
{
  char verbs[128] = "";
  size_t used = 0;
  for (size_t i = 0; group && i < NCOMMANDS; i++) {
    if (strcmp(commands[i].group, group) != 0)
      continue;
    int n = snprintf(verbs + used, sizeof verbs - used, "%s%s", used ? ", " : "", commands[i].verb);
    if (n < 0 || (size_t)n >= sizeof verbs - used)
      break;
    used += (size_t)n;
  }
  if (used && verb)
    fprintf(stderr, "lobbyctl: unknown command '%s %s'; '%s' takes: %s\n", group, verb, group, verbs);
  else if (used)
    fprintf(stderr, "lobbyctl: '%s' needs a command: %s\n", group, verbs);
  else
    fprintf(stderr, "lobbyctl: unknown command '%s'; see lobbyctl --help\n", group ? group : "");
  return CTL_EXIT_USAGE;
}

static int terminal_width(void)
{
  struct winsize ws;
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  /* A pipe: do not cut, scripts may grep (unless COLUMNS says a width). */
  int64_t n;
  return lobby_parse_int64(getenv("COLUMNS"), 1, 10000, &n) == LOBBY_OK ? (int)n : 0;
}

static bool wants_help(int argc, char **argv)
{
  for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return true;
  return false;
}

/* Splits argv into the two command words and everything else, so global
 * options may come before the command ("lobbyctl --json repair list"). */
static int split_command(int argc, char **argv, const char **words, char **rest)
{
  int nrest = 0, nwords = 0;
  for (int i = 1; i < argc; i++) {
    const char *w = argv[i];
    bool takes_value = (strcmp(w, "--server") == 0 || strcmp(w, "--token") == 0 ||
                        strcmp(w, "--ca-file") == 0 || strcmp(w, "--pin") == 0 ||
                        strcmp(w, "--site") == 0);
    if (nwords < 2 && w[0] != '-') {
      words[nwords++] = w;
      continue;
    }
    rest[nrest++] = argv[i];
    if (nwords < 2 && takes_value && i + 1 < argc)
      rest[nrest++] = argv[++i];
  }
  return nrest;
}

static ctl_exit run(int argc, char **argv)
{
  const char *words[2] = {NULL, NULL};
  char **rest = calloc((size_t)argc + 1, sizeof *rest);
  if (!rest)
    return CTL_EXIT_UNREACHABLE;
  int nrest = split_command(argc, argv, words, rest);
  ctl_exit code = CTL_EXIT_OK;
  const ctl_command *cmd = words[0] ? find_command(words[0], words[1]) : NULL;
  if (!words[0] && (wants_help(nrest, rest) || argc == 1)) {
    print_help(argc == 1 ? stderr : stdout);
    code = argc == 1 ? CTL_EXIT_USAGE : CTL_EXIT_OK;
  } else if (!words[0] && nrest == 1 && strcmp(rest[0], "--version") == 0) {
    printf("lobbyctl %s\n", CTL_VERSION);
  } else if (!cmd) {
    code = unknown_command(words[0], words[1]);
  } else if (wants_help(nrest, rest)) {
    printf("usage: lobbyctl %s\n(see lobbyctl --help for options and exit codes)\n", cmd->usage);
  } else {
    ctl_ctx ctx = {.server = getenv("LOBBY_SERVER"), .token = getenv("LOBBY_TOKEN"),
                   .ca_file = getenv("LOBBY_CA_FILE"), .pin = getenv("LOBBY_PIN"),
                   .site = getenv("LOBBY_SITE"),
                   .term_width = terminal_width(), .out = stdout, .err = stderr};
    code = cmd->fn(&ctx, nrest, rest);
  }
  free(rest);
  return code;
}

int main(int argc, char **argv)
{
  ctl_text_init();
  if (ctl_http_global_init() != LOBBY_OK) {
    fputs("lobbyctl: cannot initialise libcurl\n", stderr);
    return CTL_EXIT_UNREACHABLE;
  }
  ctl_exit code = run(argc, argv);
  ctl_http_global_cleanup();
  return (int)code;
}
