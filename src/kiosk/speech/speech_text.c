/* Times, phone numbers, codes and years rewritten as spoken (see
 * speech_text.h).  The text is scanned once; at each digit (or a ticket's
 * letter) not inside a word the patterns are tried in order, most
 * specific first, and whatever matches none is copied as it is. */
#include "speech_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "lobby_text.h"

/* A number of this many digits or more is read digit by digit: phone
 * numbers (7 to 12 digits), hotlines written in groups, ticket numbers. */
#define DIGITS_AS_CODE 7
#define MAX_GROUPS 6

typedef struct {
  char *buf;
  size_t size, len;
  bool full; /* a piece did not fit: nothing more is written */
} spoken;

typedef struct {
  const char *start[MAX_GROUPS];
  int len[MAX_GROUPS];
  int n, digits;
  const char *end;
} digit_groups;

typedef struct {
  int hour, minute;
  const char *end;
} clock_time;

static const char *const ZH_DIGIT[10] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
/* In a phone number or code 1 is 幺, which cannot be misheard as 七. */
static const char *const ZH_CODE_DIGIT[10] = {"零", "幺", "二", "三", "四", "五", "六", "七", "八", "九"};
/* How a Chinese speaker says a Latin capital in a ticket number. */
static const char *const ZH_LETTER[26] = {
  "诶", "比", "西", "迪", "伊", "艾弗", "吉", "艾尺", "艾", "杰", "开", "艾勒", "艾姆",
  "恩", "欧", "皮", "丘", "阿尔", "艾斯", "提", "优", "维", "达布留", "艾克斯", "歪", "贼德"};
static const char *const EN_MONTH[12] = {"January", "February", "March", "April", "May", "June",
                                         "July", "August", "September", "October", "November",
                                         "December"};

static void put_n(spoken *s, const char *piece, size_t n)
{
  if (s->full || s->len + n >= s->size) {
    s->full = true;
    return;
  }
  memcpy(s->buf + s->len, piece, n);
  s->len += n;
  s->buf[s->len] = '\0';
}

static void put(spoken *s, const char *piece)
{
  put_n(s, piece, strlen(piece));
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
  return c >= 'A' && c <= 'Z';
}

static bool is_alnum(char c)
{
  return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z');
}

static int digits_value(const char *p, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (p[i] - '0');
  return v;
}

/* Bytes of the UTF-8 character that starts with lead (the text is valid). */
static size_t char_len(unsigned char lead)
{
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/* 0 to 99 in Chinese words: 十五, 二十, 三十一. */
static void put_zh_number(spoken *s, int n)
{
  if (n < 10) {
    put(s, ZH_DIGIT[n]);
    return;
  }
  if (n >= 20)
    put(s, ZH_DIGIT[n / 10]);
  put(s, "十");
  if (n % 10)
    put(s, ZH_DIGIT[n % 10]);
}

/* One digit after another; groups apart by a pause. */
static void put_code(spoken *s, const digit_groups *g, kiosk_speech_lang lang)
{
  for (int i = 0; i < g->n; i++) {
    if (i > 0)
      put(s, lang == KIOSK_SPEECH_ZH ? "，" : ", ");
    for (int k = 0; k < g->len[i]; k++) {
      int d = g->start[i][k] - '0';
      if (lang == KIOSK_SPEECH_ZH) {
        put(s, ZH_CODE_DIGIT[d]);
      } else {
        if (k > 0)
          put(s, " ");
        put_n(s, &g->start[i][k], 1);
      }
    }
  }
}

/* Digit groups from p joined by one '-' or space: "400-800-1234",
 * "138 0013 8000". */
static void read_groups(const char *p, digit_groups *g)
{
  memset(g, 0, sizeof *g);
  for (;;) {
    const char *q = p;
    while (is_digit(*q))
      q++;
    g->start[g->n] = p;
    g->len[g->n] = (int)(q - p);
    g->digits += g->len[g->n];
    g->n++;
    g->end = q;
    if (g->n == MAX_GROUPS || (*q != '-' && *q != ' ') || !is_digit(q[1]))
      return;
    p = q + 1;
  }
}

/* H:MM or HH:MM from 0:00 to 24:00, not part of a longer number. */
static bool read_time(const char *p, clock_time *t)
{
  int h = 0;
  const char *q = p;
  while (is_digit(*q) && q - p < 3)
    h = h * 10 + (*q++ - '0');
  if (q - p < 1 || q - p > 2 || *q != ':' || !is_digit(q[1]) || !is_digit(q[2]) || is_digit(q[3]) ||
      q[3] == ':')
    return false;
  int m = digits_value(q + 1, 2);
  if (h > 24 || m > 59 || (h == 24 && m != 0))
    return false;
  t->hour = h;
  t->minute = m;
  t->end = q + 3;
  return true;
}

static void put_zh_time(spoken *s, const clock_time *t)
{
  /* 2 o'clock is 两点, never 二点. */
  if (t->hour == 2)
    put(s, "两");
  else
    put_zh_number(s, t->hour);
  put(s, "点");
  if (t->minute == 30) {
    put(s, "半");
  } else if (t->minute > 0) {
    if (t->minute < 10)
      put(s, "零");
    put_zh_number(s, t->minute);
    put(s, "分");
  }
}

/* 9 AM, 2 30 PM, 12 noon, 12 midnight; 9:05 is "9 oh 5".  ("a.m." would
 * end a sentence in two full stops.) */
static void put_en_time(spoken *s, const clock_time *t)
{
  char piece[32];
  int h = t->hour % 12 == 0 ? 12 : t->hour % 12;
  if (t->minute == 0 && (t->hour == 12 || t->hour % 24 == 0)) {
    put(s, t->hour == 12 ? "12 noon" : "12 midnight");
    return;
  }
  if (t->minute == 0)
    snprintf(piece, sizeof piece, "%d", h);
  else if (t->minute < 10)
    snprintf(piece, sizeof piece, "%d oh %d", h, t->minute);
  else
    snprintf(piece, sizeof piece, "%d %d", h, t->minute);
  put(s, piece);
  put(s, t->hour < 12 || t->hour == 24 ? " AM" : " PM");
}

static void put_time(spoken *s, const clock_time *t, kiosk_speech_lang lang)
{
  if (lang == KIOSK_SPEECH_ZH)
    put_zh_time(s, t);
  else
    put_en_time(s, t);
}

/* After a time, a dash or tilde to another time reads "to"; 至 and 到 are
 * words already and are copied. */
static const char *range_dash(const char *p)
{
  static const char *const DASHES[] = {"-", "~", "～", "–", "—"};
  const char *q = p;
  while (*q == ' ')
    q++;
  for (size_t i = 0; i < sizeof DASHES / sizeof DASHES[0]; i++) {
    size_t n = strlen(DASHES[i]);
    if (strncmp(q, DASHES[i], n) == 0) {
      q += n;
      while (*q == ' ')
        q++;
      return q;
    }
  }
  return NULL;
}

static const char *speak_times(spoken *s, const clock_time *first, kiosk_speech_lang lang)
{
  put_time(s, first, lang);
  const char *next = range_dash(first->end);
  clock_time second;
  if (!next || !is_digit(*next) || !read_time(next, &second))
    return first->end;
  put(s, lang == KIOSK_SPEECH_ZH ? "到" : " to ");
  put_time(s, &second, lang);
  return second.end;
}

/* 2026-12-01: a date, not a phone number. */
static bool is_iso_date(const digit_groups *g)
{
  if (g->n != 3 || g->len[0] != 4 || g->len[1] != 2 || g->len[2] != 2 || g->start[1][-1] != '-' ||
      g->start[2][-1] != '-')
    return false;
  int month = digits_value(g->start[1], 2), day = digits_value(g->start[2], 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* A year is read digit by digit in Chinese: 二零二六年. */
static void put_zh_year_digits(spoken *s, const char *p, int n)
{
  for (int i = 0; i < n; i++)
    put(s, ZH_DIGIT[p[i] - '0']);
}

static void speak_date(spoken *s, const digit_groups *g, kiosk_speech_lang lang)
{
  int month = digits_value(g->start[1], 2), day = digits_value(g->start[2], 2);
  char piece[48];
  if (lang == KIOSK_SPEECH_ZH) {
    put_zh_year_digits(s, g->start[0], 4);
    snprintf(piece, sizeof piece, "年%d月%d日", month, day);
  } else {
    snprintf(piece, sizeof piece, "%s %d, %.4s", EN_MONTH[month - 1], day, g->start[0]);
  }
  put(s, piece);
}

/* A number that starts at p: returns where the text goes on. */
static const char *speak_number(spoken *s, const char *p, kiosk_speech_lang lang)
{
  clock_time t;
  if (read_time(p, &t))
    return speak_times(s, &t, lang);
  digit_groups g;
  read_groups(p, &g);
  if (is_iso_date(&g)) {
    speak_date(s, &g, lang);
    return g.end;
  }
  if (g.digits >= DIGITS_AS_CODE) {
    put_code(s, &g, lang);
    return g.end;
  }
  if (lang == KIOSK_SPEECH_ZH && g.len[0] == 4 && strncmp(g.start[0] + 4, "年", strlen("年")) == 0) {
    put_zh_year_digits(s, p, 4);
    return g.start[0] + 4;
  }
  if (g.n == 2 && g.start[1][-1] == '-') {
    /* 1-2号楼, 3-5 days: a range. */
    put_n(s, g.start[0], (size_t)g.len[0]);
    put(s, lang == KIOSK_SPEECH_ZH ? "到" : " to ");
    put_n(s, g.start[1], (size_t)g.len[1]);
    return g.end;
  }
  put_n(s, p, (size_t)g.len[0]);
  return p + g.len[0];
}

/* R-20261201-0001: the letter, a pause, the digits one by one.  NULL when
 * p is not such a ticket number. */
static const char *speak_ticket(spoken *s, const char *p, kiosk_speech_lang lang)
{
  if (p[1] != '-' || !is_digit(p[2]))
    return NULL;
  digit_groups g;
  read_groups(p + 2, &g);
  if (g.digits < DIGITS_AS_CODE)
    return NULL;
  if (lang == KIOSK_SPEECH_ZH) {
    put(s, ZH_LETTER[*p - 'A']);
    put(s, "，");
  } else {
    put_n(s, p, 1);
    put(s, ", ");
  }
  put_code(s, &g, lang);
  return g.end;
}

lobby_err kiosk_speech_text(const char *text, kiosk_speech_lang lang, char *out, size_t size)
{
  spoken s = {.buf = out, .size = size};
  out[0] = '\0';
  if (!lobby_utf8_valid(text, strlen(text)))
    return LOBBY_EINVAL;
  const char *p = text;
  while (*p && !s.full) {
    bool word_start = p == text || !is_alnum(p[-1]);
    const char *next = NULL;
    if (word_start && is_digit(*p))
      next = speak_number(&s, p, lang);
    else if (word_start && is_upper(*p))
      next = speak_ticket(&s, p, lang);
    if (!next) {
      size_t n = char_len((unsigned char)*p);
      put_n(&s, p, n);
      next = p + n;
    }
    p = next;
  }
  return s.full ? LOBBY_ETOOBIG : LOBBY_OK;
}
