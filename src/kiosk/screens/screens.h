/* The state of each screen and the helpers they share.  Included from
 * kiosk_app.h. */
#ifndef KIOSK_SCREENS_H
#define KIOSK_SCREENS_H

#include "kiosk_api.h"

typedef struct {
  int highlight;             /* notice shown emphasised, cycled when idle */
  kiosk_scroller scroll;
  int shown_highlight;       /* the list scrolls to a newly highlighted card */
} kiosk_home_state;

typedef struct {
  json_int_t id;
  kiosk_scroller scroll;
} kiosk_notice_state;

typedef enum {
  REPAIR_STEP_WHERE, REPAIR_STEP_CATEGORY, REPAIR_STEP_URGENCY, REPAIR_STEP_CONTACT,
  REPAIR_STEP_DESC, REPAIR_STEP_REVIEW, REPAIR_STEP_SENDING, REPAIR_STEP_DONE,
  REPAIR_STEP_COUNT
} kiosk_repair_step;

typedef struct {
  kiosk_repair_step step;
  int building, unit, room;  /* indices into the directory; unit -2 = public area */
  int room_page;
  int category, urgency, day, window;
  kiosk_field name, phone, desc;
  int focus;                 /* 0 name, 1 phone */
  int source;
  kiosk_input_source phrases;
  uint64_t req;
  bool queued;
  bool busy;                 /* queued because the server asked to slow down (429) */
  char ticket[32];
  char due_at[40];
  char window_text[96];
  char follow_url[LOBBY_FOLLOW_URL_MAX]; /* the receipt's QR code's link, or "" */
} kiosk_repair_state;

/* A complaint, suggestion, praise or enquiry (screen_complaint.c). */
typedef enum {
  COMPLAINT_STEP_KIND, COMPLAINT_STEP_CATEGORY, COMPLAINT_STEP_DESC, COMPLAINT_STEP_WHERE,
  COMPLAINT_STEP_CONTACT, COMPLAINT_STEP_REVIEW, COMPLAINT_STEP_SENDING, COMPLAINT_STEP_DONE,
  COMPLAINT_STEP_COUNT
} kiosk_complaint_step;

/* What the server or the outbox answered a form sent through the outbox
 * (complaints, releases; kiosk_outbox_answer_* in receipt.c keep it). */
typedef struct {
  bool queued;
  bool busy;                 /* queued because the server asked to slow down (429) */
  char number[32];           /* "C-…", "F-…", or the provisional "Q-…" while queued */
  char follow_url[LOBBY_FOLLOW_URL_MAX]; /* the follow page's link for the QR code, or "" */
} kiosk_outbox_answer;

/* What the server (or the outbox) answered a complaint. */
typedef struct {
  kiosk_outbox_answer sent;
  char reply_due_at[40];
} kiosk_complaint_answer;

typedef struct {
  kiosk_complaint_step step;
  int kind, category;        /* indices into complaint_kind_names / complaint_category_names */
  int building, unit, room, room_page;
  kiosk_field name, phone, desc;
  int focus;                 /* 0 name, 1 phone */
  int source;
  kiosk_input_source phrases;
  uint64_t req;
  kiosk_complaint_answer answer;
} kiosk_complaint_state;

/* An item release (物品放行, screen_release.c). */
typedef enum {
  RELEASE_STEP_WHERE, RELEASE_STEP_ITEMS, RELEASE_STEP_DATE, RELEASE_STEP_PLATE, RELEASE_STEP_CONTACT,
  RELEASE_STEP_REVIEW, RELEASE_STEP_SENDING, RELEASE_STEP_DONE, RELEASE_STEP_COUNT
} kiosk_release_step;

typedef struct {
  kiosk_release_step step;
  int building, unit, room, room_page;
  int day;                   /* the chip chosen: days after today; -1 none */
  char date[16];             /* that day as "YYYY-MM-DD", fixed when it was tapped */
  kiosk_field items, plate, name, phone;
  int focus;                 /* the contact step: 0 name, 1 phone */
  int source;
  kiosk_input_source phrases;
  uint64_t req;
  kiosk_outbox_answer answer;
} kiosk_release_state;

typedef enum {
  STATUS_STEP_ENTRY, STATUS_STEP_WAIT, STATUS_STEP_RESULT,
  STATUS_STEP_RATE,          /* the level chosen, an optional comment */
  STATUS_STEP_RATING,        /* waiting for the server's answer */
  STATUS_STEP_RATED,         /* the thank-you */
  STATUS_STEP_COUNT
} kiosk_status_step;

/* A resident's rating of the record looked up (status_rating.c). */
typedef struct {
  int level;                 /* index into complaint_satisfaction_names; -1 none */
  kiosk_field comment;
  int source;                /* the comment keyboard's active tab */
  kiosk_input_source phrases;
  uint64_t req;
  bool closed;               /* the server refused it for good (409, 404) */
  char closed_key[40];       /* the strings key of why, shown where the levels were */
  kiosk_api_rating_answer answer; /* STATUS_STEP_RATED */
} kiosk_status_rating;

typedef struct {
  kiosk_status_step step;
  bool provisional;          /* looking up a "Q-" ref */
  bool complaint;            /* looking up a "C-" complaint number */
  bool release;              /* looking up an "F-" release number */
  kiosk_field ticket, last4;
  int focus;
  uint64_t req;
  kiosk_api_repair_status found;  /* the ticket looked up (STATUS_STEP_RESULT) */
  kiosk_api_ref_status queued;    /* the provisional ref looked up (STATUS_STEP_RESULT) */
  kiosk_api_complaint_status complaint_found; /* the complaint looked up (STATUS_STEP_RESULT) */
  kiosk_api_release_status release_found;     /* the release looked up (STATUS_STEP_RESULT) */
  char ref[32];
  kiosk_status_rating rating;
} kiosk_status_state;

typedef enum {
  VISIT_STEP_START, VISIT_STEP_CONTACT, VISIT_STEP_HOST, VISIT_STEP_DETAILS, VISIT_STEP_PLATE, VISIT_STEP_REVIEW,
  VISIT_STEP_SENDING, VISIT_STEP_WAITING, VISIT_STEP_PASS, VISIT_STEP_REFUSED, VISIT_STEP_QUEUED,
  VISIT_STEP_INVITE, VISIT_STEP_CANCELLED, VISIT_STEP_COUNT
} kiosk_visit_step;

/* Whom a visitor comes to see. */
typedef struct {
  int mode;                  /* 0 resident (unit picker), 1 company */
  int building, unit, room, room_page;
} kiosk_visit_host;

/* Waiting for the front desk's approval: the status long-poll. */
typedef struct {
  uint64_t poll_req;
  int64_t poll_sent_ms, wait_started_ms;
  int shown_wait_s;          /* the waiting screen counts seconds */
  char etag[72];             /* the status long-poll's If-None-Match */
} kiosk_visit_approval;

/* What the server (or the outbox) answered. */
typedef struct {
  char visit_id[64];
  char pass_code[16];
  char reason[256];
  char provisional[32];
  bool busy;                 /* queued because the server asked to slow down (429) */
  /* The pass page's link for the pass's QR code, or "": only the filing's
   * answer has it, so later answers (the approval's) leave it be. */
  char follow_url[LOBBY_FOLLOW_URL_MAX];
} kiosk_visit_answer;

typedef struct {
  kiosk_visit_step step;
  kiosk_field name, phone, company, plate, invite;
  int focus;                 /* per step: which field has the keyboard */
  int source;
  kiosk_visit_host host;
  int purpose, party;
  uint64_t req;
  bool from_invite;
  kiosk_visit_approval approval;
  kiosk_visit_answer answer;
} kiosk_visit_state;

typedef enum { CHECKOUT_STEP_ENTRY, CHECKOUT_STEP_SENDING, CHECKOUT_STEP_DONE } kiosk_checkout_step;

typedef struct {
  kiosk_checkout_step step;
  kiosk_field code;
  uint64_t req;
} kiosk_checkout_state;

/* A contractor worker signing in or out with the pass code
 * (screen_worker.c). */
typedef enum {
  WORKER_STEP_ENTRY, WORKER_STEP_SENDING,
  WORKER_STEP_DONE,          /* signed in or out: the answer, large */
  WORKER_STEP_REFUSED,       /* the pass or the renovation does not allow a sign-in */
  WORKER_STEP_OFFLINE,       /* the server could not be reached */
  WORKER_STEP_COUNT
} kiosk_worker_step;

typedef struct {
  kiosk_worker_step step;
  kiosk_field code;
  uint64_t req;
  kiosk_api_attendance answer;          /* WORKER_STEP_DONE */
  kiosk_api_attendance_refusal refusal; /* WORKER_STEP_REFUSED */
} kiosk_worker_state;

/* The screen with that id (screen_table.c); home for an unknown id. */
const kiosk_screen *kiosk_screen_get(kiosk_screen_id id);
/* The screen drawn over whatever screen is current, or NULL: the
 * emergency takeover while the feed has an emergency, else the night
 * screen while it is dark.  Overlays only build; taps go to the screen. */
const kiosk_screen *kiosk_screen_overlay(const kiosk_app *app);
/* What the app builds and names this frame: the overlay, else the
 * current screen. */
const kiosk_screen *kiosk_screen_shown(const kiosk_app *app);

extern const kiosk_screen kiosk_screen_home, kiosk_screen_notice, kiosk_screen_repair,
  kiosk_screen_status, kiosk_screen_visit, kiosk_screen_checkout, kiosk_screen_complaint, kiosk_screen_release,
  kiosk_screen_worker;
/* The emergency takeover (screen_emergency.c) and the night screen
 * ([display] night, screen_night.c): overlays, not in the id table. */
extern const kiosk_screen kiosk_screen_emergency, kiosk_screen_night;

/* A receipt for something filed through the outbox (receipt.c): a
 * heading, the number (or the queue number while it waits), a promise in
 * a banner, a detail line, the phone masked, a hint and a QR code of the
 * number; the QR
 * goes beside the text in landscape. */
typedef struct {
  bool queued, busy;         /* waiting in the outbox; because of a 429 */
  const char *number;
  const char *heading_key;   /* delivered; the queued and busy headings are shared */
  const char *number_label_key;
  const char *promise;       /* the banner's text, already in the user's language */
  const char *detail;        /* a line under the banner (NULL for none) */
  const char *phone;         /* shown masked on a line of its own; NULL or "" for none */
  const char *hint_key;      /* under the code */
  const char *qr_prefix;     /* the QR's payload is "<prefix> <number>"... */
  const char *follow_url;    /* ...or, when not NULL or "", this follow link */
} kiosk_receipt;
void kiosk_receipt_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_receipt *r);
/* A receipt's QR code, a square in r: the follow page's link when there
 * is one (follow_url not NULL or ""), else "<prefix> <number>". */
void kiosk_receipt_qr(kiosk_ui *ui, SDL_Rect r, const char *follow_url, const char *prefix,
                      const char *number);
/* ev is the outbox's news that the item queued as a->number went
 * through: a->number becomes the server's number.  True when ev was about
 * that item (the caller is done with ev). */
bool kiosk_outbox_answer_delivered(kiosk_outbox_answer *a, const kiosk_event *ev);
/* ev says the item was queued (ev->state KIOSK_RESULT_QUEUED): a shows
 * its provisional number, and whether a 429 put it there. */
void kiosk_outbox_answer_queued(kiosk_outbox_answer *a, const kiosk_event *ev);
/* The complaint's receipt (complaint_receipt.c): its number, a QR code,
 * the promise of an answer within a working day and the phone masked. */
void kiosk_complaint_receipt_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area);
/* The release's receipt (release_receipt.c): its number, a QR code, the
 * promise that the code is read at 进度查询 once the desk approves. */
void kiosk_release_receipt_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area);
/* A release looked up on the status screen (release_status.c): its
 * status and, once approved, the code large with its QR; in is the
 * result card's inside. */
void kiosk_release_status_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect in);
/* A complaint looked up on the status screen (complaint_status.c): its
 * status, and the answer when there is one; in is the result card's
 * inside. */
void kiosk_complaint_status_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect in);

/* Rating what was looked up on the status screen (status_rating.c).
 * Whether the record takes a rating: a completed repair, an answered
 * complaint not rated yet. */
bool kiosk_status_rateable(const kiosk_app *app);
/* The question and the three levels (or why there are none after a
 * refusal), at the foot of the result card in portrait and in a column
 * on its right in landscape; in is the card's inside, and what is left
 * for the record is returned. */
SDL_Rect kiosk_status_rating_block(kiosk_app *app, kiosk_ui *ui, SDL_Rect in);
/* The steps STATUS_STEP_RATE, _RATING and _RATED in area. */
void kiosk_status_rating_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area);
/* Resets the rating (the comment field sized); on entering and leaving. */
void kiosk_status_rating_reset(kiosk_app *app);
/* Actions while rating; true when taken. */
bool kiosk_status_rating_action(kiosk_app *app, int action, int arg);
/* The server's answer to the rating; true when it was that. */
bool kiosk_status_rating_result(kiosk_app *app, const kiosk_event *ev);

/* A pass code typed on the code keyboard (code_entry.c), as the
 * visitor's check-out and the worker's sign-in ask for it: the prompt,
 * the field (red when the error names "pass_code") and a hint beside or
 * above the keyboard, cancel and submit at the foot, and optionally a
 * button to another screen (the worker's way in from the check-out)
 * under the hint. */
typedef struct {
  const char *prompt_key, *field_key, *hint_key, *submit_key;
  kiosk_field *code;
  const char *aside_key;     /* NULL: no button */
  kiosk_screen_id aside_screen;
  unsigned aside_color;
  kiosk_icon aside_icon;
} kiosk_code_entry;
void kiosk_code_entry_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_code_entry *e);
/* The button that takes a contractor worker to the sign-in screen, as
 * the visitor's screens offer it. */
#define KIOSK_WORKER_COLOR 0x92400Eu

/* Shared pieces of screens (form_common.c). */
SDL_Rect kiosk_frame(kiosk_app *app, kiosk_ui *ui, const char *title_key, bool back);
/* The white card a result (ticket, pass, status) sits on; returns its
 * inside. */
SDL_Rect kiosk_result_card(kiosk_app *app, kiosk_ui *ui, SDL_Rect area);
void kiosk_offline_banner(kiosk_app *app, kiosk_ui *ui, SDL_Rect *area);
SDL_Rect kiosk_error_box(kiosk_app *app, kiosk_ui *ui, SDL_Rect area);
kiosk_widget *kiosk_button(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *text, int action,
                           int arg, unsigned color);
kiosk_widget *kiosk_choice(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *text, int action,
                           int arg, bool selected);
/* The strings key of why TLS refused the server while offline, or NULL. */
const char *kiosk_tls_reason_key(const kiosk_app *app);
kiosk_widget *kiosk_label(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *text, int px,
                          bool bold, unsigned color);
/* A labelled field; masked shows a phone masked (review pages). */
SDL_Rect kiosk_field_widget(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *label_key,
                            kiosk_field *f, int field_id, bool focused, const char *placeholder_key);
/* Fields above the keyboard (portrait) or beside it (landscape, where the
 * error message goes above the fields so the keys keep their height). */
void kiosk_form_split(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, int fields_h, SDL_Rect *fields, SDL_Rect *keys);
/* The name and phone step that repair requests and visitor check-in
 * share: the two fields, and below or beside them the keyboard for the
 * focused one (surnames, pinyin, ABC for the name; the digit keypad for
 * the phone).  Both screens number these fields KIOSK_CONTACT_NAME and
 * KIOSK_CONTACT_PHONE. */
enum { KIOSK_CONTACT_NAME = 0, KIOSK_CONTACT_PHONE = 1 };
typedef struct {
  kiosk_field *name, *phone;
  int *focus;                   /* the field with the keyboard */
  kiosk_input_source *surnames; /* the screen's quick surname list */
  int source;                   /* the name keyboard's active tab */
} kiosk_contact;
/* Builds the step in area (below the prompt, above the navigation). */
void kiosk_contact_build(kiosk_app *app, kiosk_ui *ui, SDL_Rect area, const kiosk_contact *c);
/* Checks both fields; on a problem shows it in the resident's language,
 * moves the focus to that field and returns false. */
bool kiosk_contact_valid(kiosk_app *app, const kiosk_contact *c);
/* The keyboard area (form_keyboard.c).  The height the keyboard takes
 * with that source active; 0 when it takes all it is given (keypads and
 * phrase lists). */
int kiosk_keyboard_height(const kiosk_app *app, const kiosk_input_source *const *srcs, int n, int active);
/* Tabs for the sources, then the active source's keys. */
void kiosk_keyboard(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const kiosk_input_source *const *srcs,
                    int n, int active);
/* The 朗读 / Read aloud button, or 停止朗读 while it reads; the screen's
 * action for KIOSK_ACT_READ_ALOUD says what is read.  Only where
 * kiosk_app_can_read_aloud. */
kiosk_widget *kiosk_read_aloud_button(kiosk_app *app, kiosk_ui *ui, SDL_Rect r);
/* Back and next buttons along the bottom of r; returns the rest. */
SDL_Rect kiosk_nav(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, const char *back_key, const char *next_key,
                   bool next_enabled);
void kiosk_step_dots(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, int step, int count);
/* A grid of n cells in r with the given column count; returns cell i. */
SDL_Rect kiosk_grid_cell(SDL_Rect r, int cols, int rows, int i, int gap);
SDL_Rect kiosk_rect_take_top(SDL_Rect *r, int h, int gap);
SDL_Rect kiosk_rect_take_bottom(SDL_Rect *r, int h, int gap);
SDL_Rect kiosk_rect_take_left(SDL_Rect *r, int w, int gap);
SDL_Rect kiosk_rect_inset(SDL_Rect r, int d);
/* Building -> unit -> room pickers from the feed's directory.  Returns true
 * when a room (or the public area) is chosen. */
bool kiosk_unit_picker(kiosk_app *app, kiosk_ui *ui, SDL_Rect r, int building, int unit, int room,
                       int page, bool allow_public);
/* The chosen flat in words, e.g. building 1, unit 2, room 301. */
void kiosk_unit_text(kiosk_app *app, int building, int unit, int room, char *out, size_t n);
/* The same from the directory's codes (a server's answer): "" without a
 * building; a unit "" is the building's public area. */
void kiosk_unit_text_of_codes(kiosk_app *app, const char *building, const char *unit, const char *room, char *out,
                              size_t n);
bool kiosk_unit_codes(kiosk_app *app, int building, int unit, int room, const char **b,
                      const char **u, const char **r);
/* A local time from the server as month, day and hh:mm in the user language. */
void kiosk_time_text(kiosk_app *app, const char *iso, char *out, size_t n);
/* A day "YYYY-MM-DD" as month, day and the short weekday in the user
 * language ("12月3日 周四"); "" for anything else. */
void kiosk_date_text(kiosk_app *app, const char *ymd, char *out, size_t n);
/* A short key for the idempotent submission bodies. */
void kiosk_scroller_tick(kiosk_scroller *s, float dt);

#endif
