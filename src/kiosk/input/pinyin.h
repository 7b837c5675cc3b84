/* Pinyin input for the kiosk's on-screen keyboard, on top of librime.
 *
 * Residents type pinyin letters on the touch keyboard; the engine shows the
 * letters typed so far (the preedit, "wei xiu") and a page of candidates
 * (维修 为 未 ...).  Choosing a candidate commits UTF-8 text that the kiosk
 * appends to the focused field.
 *
 * Life cycle.  Opening deploys the Rime data into the kiosk's own Rime
 * directory on the first start and after an upgrade of the data: it
 * compiles the kiosk's two dictionaries (Luna Pinyin, the essay vocabulary
 * and config/rime/lobby_pinyin.dict.yaml; Luna's characters and
 * lobby_name.dict.yaml; about 3 s and 11 MB together) and only checks
 * a stamp on later starts (about 80 ms with both schemas' sessions).  It is done in two steps so that the kiosk's first
 * frame waits for neither: kiosk_pinyin_check_start forks a child that
 * deploys and checks the data with a deadline, because librime aborts on
 * some damaged files; it returns at once and must be called before the
 * kiosk starts threads of its own.  kiosk_pinyin_open_checked then waits
 * for the child's verdict and starts librime in this process; it may run
 * on a worker thread.  kiosk_pinyin_open does both in one call.  librime
 * itself is loaded (dlopen) only then.  Every other call takes a few
 * milliseconds at most (pinyin_bench: keystroke p99 about 7 ms, wipe
 * about 3.5 ms, a change of mode under 0.01 ms) and may run on the UI
 * thread.  All calls on one engine must
 * come from one thread at a time.
 *
 * librime keeps process-wide state, so at most one engine is open at a
 * time; a second open fails with LOBBY_ECONFLICT.
 *
 * Privacy.  The shipped schema (config/rime/lobby_pinyin.schema.yaml) has
 * no user dictionary, so nothing typed changes later candidates and nothing
 * typed is written to disk.  librime logs errors only (broken data or
 * configuration), to stderr and to user_dir/log of the first engine opened
 * in the process, never to /tmp.  kiosk_pinyin_wipe additionally drops
 * the session with everything it held; call it on the idle timeout and
 * when a form is finished or cancelled. */
#ifndef KIOSK_PINYIN_H
#define KIOSK_PINYIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "lobby_error.h"

/* Longest composition in pinyin letters and separators.  Long enough for a
 * sentence such as "chufangshuilongtouloushui" twice over, short enough to
 * keep every keystroke fast. */
#define KIOSK_PINYIN_INPUT_MAX 64
/* Candidates shown on one page (menu/page_size in the schema may not be
 * larger). */
#define KIOSK_PINYIN_PAGE_MAX 10
/* Bytes for one candidate, the preedit and a commit, NUL included.  A
 * candidate has at most one character per input letter, and a character
 * takes at most 4 bytes. */
#define KIOSK_PINYIN_CANDIDATE_CAP (4 * KIOSK_PINYIN_INPUT_MAX + 1)
#define KIOSK_PINYIN_PREEDIT_CAP (4 * KIOSK_PINYIN_INPUT_MAX + KIOSK_PINYIN_INPUT_MAX + 1)
#define KIOSK_PINYIN_COMMIT_CAP KIOSK_PINYIN_CANDIDATE_CAP
/* How long open waits for deployment and the start-up check (run in a
 * child process) before it gives up. */
#define KIOSK_PINYIN_DEPLOY_TIMEOUT_S 120
/* Room for the reason open failed, for the staff status area. */
#define KIOSK_PINYIN_WHY_CAP 256

/* The key that deletes the last letter of the composition. */
#define KIOSK_PINYIN_BACKSPACE '\b'

typedef struct kiosk_pinyin kiosk_pinyin;

/* Every result must be looked at: the compiler refuses to build a caller
 * that drops one. */
#define KIOSK_PINYIN_MUST_CHECK __attribute__((warn_unused_result))

typedef struct {
  /* Where the distribution installed Rime data: /usr/share/rime-data. */
  const char *shared_data_dir;
  /* The YAML files the kiosk ships (config/rime in the source tree). */
  const char *kiosk_config_dir;
  /* The kiosk's own Rime directory, outside the source tree, such as
   * "$state_dir/rime".  Created when missing; deployed data, the deploy
   * stamp and librime's log directory live here. */
  const char *user_dir;
  /* libpinyin's model, for the second opinion on sentences
   * (bigram_sentence.h); NULL: where Debian's libpinyin-data puts it. */
  const char *bigram_data_dir;
} kiosk_pinyin_paths;

/* What open did, for the status page and the benchmark. */
typedef struct {
  bool deployed;       /* false when the stamp showed the data was current */
  double deploy_ms;    /* time spent deploying; 0 when not deployed */
  double open_ms;      /* from the check's start to a working session */
} kiosk_pinyin_open_info;

/* What the keyboard shows.  Everything here is user text: the engine wipes
 * its own copy on kiosk_pinyin_wipe; callers that copy it must wipe their
 * copies too. */
typedef struct {
  bool composing;                                  /* letters are pending */
  char preedit[KIOSK_PINYIN_PREEDIT_CAP];          /* "wei xiu"; "维修shui long tou" after a partial choice */
  int candidate_count;                             /* on this page */
  char candidates[KIOSK_PINYIN_PAGE_MAX][KIOSK_PINYIN_CANDIDATE_CAP];
  int page_no;                                     /* 0 for the first page */
  bool last_page;
} kiosk_pinyin_view;

/* A data check running in a child process. */
typedef struct {
  pid_t pid;           /* 0: none running */
  int fd;              /* the child's report */
  double started_ms;   /* monotonic, for the deadline and open_ms */
} kiosk_pinyin_check;

/* Forks the child that prepares the user directory, deploys when the
 * stamp is stale and probes a session.  Returns at once.  Call while the
 * process has no threads of its own that may hold locks (before the
 * network thread starts).  On success the check must be passed to
 * kiosk_pinyin_open_checked or kiosk_pinyin_check_abandon. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_check_start(const kiosk_pinyin_paths *paths,
                                                           kiosk_pinyin_check *check, char *why,
                                                           size_t why_size);
/* Waits for the check (until KIOSK_PINYIN_DEPLOY_TIMEOUT_S after it
 * started, or until cancel_fd, when not -1, becomes readable: then
 * LOBBY_ECONFLICT), then loads librime and starts a session as
 * kiosk_pinyin_open does.  The check is finished either way. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_open_checked(const kiosk_pinyin_paths *paths,
                                                            kiosk_pinyin_check *check,
                                                            int cancel_fd, kiosk_pinyin **out,
                                                            kiosk_pinyin_open_info *info,
                                                            char *why, size_t why_size);
/* Stops a check that will not be used: kills and reaps the child.  A
 * finished or never started check is left alone. */
void kiosk_pinyin_check_abandon(kiosk_pinyin_check *check);

/* Deploys the data when needed and starts a session.  On failure *out is
 * NULL and why (may be NULL) holds a one-line reason for staff, such as a
 * missing dictionary; the kiosk then offers only its ABC and 123 keyboards.
 * info may be NULL. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_open(const kiosk_pinyin_paths *paths,
                                                    kiosk_pinyin **out,
                                                    kiosk_pinyin_open_info *info, char *why,
                                                    size_t why_size);

/* Wipes and frees the engine.  NULL is allowed. */
void kiosk_pinyin_close(kiosk_pinyin *engine);

/* One key: 'a'..'z' (upper case is folded), '\'' between syllables, or
 * KIOSK_PINYIN_BACKSPACE.  Returns LOBBY_EINVAL for any other key,
 * LOBBY_ETOOBIG when the composition is full, and LOBBY_ENOTFOUND for a
 * backspace with nothing composed: the caller then deletes from its field.
 * An apostrophe with nothing composed does nothing. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_key(kiosk_pinyin *engine, char key);

/* The composition and candidates after the last call.  The pointer stays
 * valid until the engine is closed; its content changes with every call. */
const kiosk_pinyin_view *kiosk_pinyin_view_get(const kiosk_pinyin *engine);

/* Makes what the last call left for later: in text, on a first page
 * with nothing chosen, sentences that keep librime's first words and
 * differ in a later one (收据补开 next to 收据不开), placed after the other
 * alternatives, as many as fill the page's first five places, the last
 * of which goes to libpinyin's sentence when it differs from all of them
 * (bigram_sentence.h; three characters or more).  It costs several translations (a
 * few milliseconds), so the kiosk calls it when no input is waiting, after
 * drawing the keystroke's candidates; any other call drops it.  *changed
 * tells whether the page grew. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_refine(kiosk_pinyin *engine, bool *changed);

/* Whether kiosk_pinyin_refine has something to do. */
bool kiosk_pinyin_refine_due(const kiosk_pinyin *engine);

/* Moves the candidate list by one page; LOBBY_ENOTFOUND when there is no
 * such page or nothing is composed. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_next_page(kiosk_pinyin *engine);
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_prev_page(kiosk_pinyin *engine);

/* Chooses the index-th candidate on the current page.  committed (at least
 * KIOSK_PINYIN_COMMIT_CAP bytes) receives the text to append to the field.
 * When the candidate covers only part of the input (维修 for
 * "weixiushuilongtou"), committed is "" and the rest stays composing with
 * the chosen part at the front of the preedit; choosing for the rest then
 * commits the whole phrase.  LOBBY_ENOTFOUND when there is no such
 * candidate. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_choose(kiosk_pinyin *engine, int index,
                                                      char *committed, size_t committed_size);

/* What the field being typed into holds, and so which schema the engine
 * uses: the general one (config/rime/lobby_pinyin.*: Luna Pinyin and the
 * kiosk's vocabulary) or the one for personal names (lobby_name.*:
 * surnames, given names and titles over Luna's characters, so "hexinyi"
 * gives 何欣怡 rather than 核心一).  In names the first page also holds,
 * after librime's whole names, the same name with homophone surnames and
 * other given names (name_alternatives.h; 许博文 next to 徐博文).  In
 * text, while nothing is chosen, the first page holds after librime's
 * sentence up to two other sentences that start with another of its
 * parts (sentence_alternatives.h; 电梯停在半层 next to 电梯厅在半层), and
 * after kiosk_pinyin_refine sentences that differ in a later word.  So a
 * page may hold more than the schema's page_size; choosing an
 * alternative commits it whole.  An engine opens in KIOSK_PINYIN_TEXT; the mode outlasts
 * kiosk_pinyin_wipe. */
typedef enum { KIOSK_PINYIN_TEXT, KIOSK_PINYIN_NAMES } kiosk_pinyin_mode;

/* Switches the schema.  A change drops the composition, as moving to
 * another field does; setting the current mode does nothing. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_set_mode(kiosk_pinyin *engine,
                                                        kiosk_pinyin_mode mode);

/* Drops the composition without committing anything. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_clear(kiosk_pinyin *engine);

/* Forgets everything the session holds: composition, chosen parts, options
 * and any history, by replacing the session with a fresh one, and wipes
 * the engine's copies of user text.  On failure the composition is still
 * cleared; close the engine and offer ABC and 123 only. */
KIOSK_PINYIN_MUST_CHECK lobby_err kiosk_pinyin_wipe(kiosk_pinyin *engine);

/* Zeroes a view the caller copied. */
void kiosk_pinyin_view_wipe(kiosk_pinyin_view *view);

#endif
