#include "lobby_domain.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

const char *const notice_category_names[] = {
  "works", "outage", "fees", "safety", "community", "other", NULL};
const char *const visit_purpose_names[] = {
  "business", "family", "delivery", "interview", "other", NULL};
const char *const visit_state_names[] = {
  "pending", "approved", "refused", "checked_out", "cancelled", NULL};

static const char code_alphabet[] = "34679ACDEFGHJKMNPQRTUVWXY";

void lobby_code_random(char *buf, size_t len)
{
  const uint32_t n = (uint32_t)(sizeof code_alphabet - 1);
  for (size_t i = 0; i < len; i++)
    buf[i] = code_alphabet[randombytes_uniform(n)];
  buf[len] = '\0';
}

void lobby_code_normalize(char *s)
{
  for (; *s; s++)
    *s = (char)toupper((unsigned char)*s);
}

int lobby_code_alphabet_valid(const char *s, size_t len)
{
  if (!s || strlen(s) != len)
    return 0;
  for (size_t i = 0; i < len; i++)
    if (!strchr(code_alphabet, toupper((unsigned char)s[i])))
      return 0;
  return 1;
}

int lobby_pass_code_valid(const char *s)
{
  return lobby_code_alphabet_valid(s, LOBBY_PASS_CODE_LEN) ||
         lobby_code_alphabet_valid(s, LOBBY_PASS_CODE_OLD_LEN);
}
