/* Checks on text that arrives from users: UTF-8 validity, lengths counted
 * in characters (a Chinese character is one), phone numbers, and masking of
 * personal data for public screens. */
#ifndef LOBBY_TEXT_H
#define LOBBY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lobby_error.h"

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). */
bool lobby_utf8_valid(const char *s, size_t len);

/* The whole of text as a decimal integer from lo to hi: LOBBY_EINVAL for
 * empty text, anything after the digits, or a value out of range.  The
 * one number parser for options, configuration and query strings. */
lobby_err lobby_parse_int64(const char *text, int64_t lo, int64_t hi, int64_t *out);

/* Copies text into out (size bytes, at least 1) with every byte that is
 * not part of well-formed UTF-8 replaced by U+FFFD; a character that does
 * not fit whole is left out, so out is always well-formed.  For text from
 * outside that must reach a JSON encoder (an echoed path, say). */
void lobby_utf8_sanitize(const char *text, char *out, size_t size);

/* Formats the one-line reason a call failed into why (size bytes), the
 * "why" buffers that start-up and tools hand to staff.  A NULL why or a
 * zero size is allowed: the caller did not ask. */
void lobby_explain(char *why, size_t size, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* Number of code points in a valid UTF-8 string. */
size_t lobby_utf8_count(const char *s);

/* Text a person typed: valid UTF-8, between min and max characters after
 * trimming, and no control characters (newline and tab allowed only when
 * multiline). */
lobby_err lobby_text_check(const char *s, size_t min_chars, size_t max_chars, bool multiline);

/* Mainland mobile (1[3-9] and 9 digits, optionally +86/86 in front) or a
 * landline (0 + 2-3 digit area code, optional '-', 7-8 digits, optional
 * '-' extension).  Spaces are not accepted: the kiosk sends digits. */
bool lobby_phone_valid(const char *s);

/* The last four digits of a phone, for ticket look-ups; false if fewer. */
bool lobby_phone_last4(const char *phone, char out[5]);

/* "13812345678" -> "138****5678"; other forms keep their last four digits.
 * out must hold at least strlen(phone)+1 bytes and 16. */
void lobby_phone_mask(const char *phone, char *out, size_t out_size);

/* "张三" -> "张*", "欧阳娜娜" -> "欧***", "Li Lei" -> "L*****". */
void lobby_name_mask(const char *name, char *out, size_t out_size);

/* Idempotency keys: 8 to 64 of [A-Za-z0-9_-]. */
bool lobby_idempotency_key_valid(const char *s);

/* A plain code such as a building, unit or room code or a kiosk name:
 * 1..max of [A-Za-z0-9_-] and not starting with '-'. */
bool lobby_code_valid(const char *s, size_t max);

/* A record's daily number, "<prefix>-YYYYMMDD-NNNN" (R- repairs, C-
 * complaints, F- releases, Z- renovations): the local date and the day's sequence, which
 * may grow past four digits.  buf must hold 24 bytes. */
void lobby_day_number_format(char prefix, const char date8[9], unsigned seq, char *buf,
                             int buf_size);
bool lobby_day_number_valid(char prefix, const char *s);

#endif
