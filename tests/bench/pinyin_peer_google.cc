// libgooglepinyin (the Android Google Pinyin decoder) as pinyin_accuracy's
// second peer.  Its API is C++ (namespace ime_pinyin), so this file is the
// only C++ in the benchmark: three extern "C" functions (pinyin_peers.h).
//
// A lookup is what the Android IME does on each key: im_search on the
// letters, then im_get_candidate from 0.  Candidate 0 is the whole
// sentence the decoder guesses, the others are words for the first
// syllables.  im_reset_search first, so no phrase sees the one before;
// no candidate is ever chosen (im_choose is what learns), and the user
// dictionary is a throwaway file the caller names in a temporary
// directory.  The decoder reads at most GOOGLE_PEER_LETTERS_MAX letters.
#include <pinyinime.h>
#include <cstring>
#include "pinyin_peers.h"

namespace {

// Longest candidate asked for, in UTF-16 units (ACCURACY_DEPTH's phrases
// are far shorter: the decoder makes at most 40 characters).
constexpr size_t kCandidateUnits = 64;

bool decoder_open = false;

// Appends the code point as UTF-8 when it fits (room for the NUL kept).
size_t put_utf8(char *out, size_t size, size_t at, unsigned long cp)
{
  char bytes[4];
  size_t n;
  if (cp < 0x80) {
    bytes[0] = static_cast<char>(cp);
    n = 1;
  } else if (cp < 0x800) {
    bytes[0] = static_cast<char>(0xC0 | (cp >> 6));
    bytes[1] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    bytes[0] = static_cast<char>(0xE0 | (cp >> 12));
    bytes[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    bytes[2] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    bytes[0] = static_cast<char>(0xF0 | (cp >> 18));
    bytes[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    bytes[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    bytes[3] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 4;
  }
  if (at + n >= size)
    return at;
  std::memcpy(out + at, bytes, n);
  return at + n;
}

// The decoder's UTF-16 as UTF-8; an unpaired surrogate becomes U+FFFD.
void utf16_to_utf8(const ime_pinyin::char16 *in, char *out, size_t size)
{
  size_t at = 0;
  for (size_t i = 0; in[i] != 0; i++) {
    unsigned long cp = in[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (in[i + 1] - 0xDC00);
      i++;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    at = put_utf8(out, size, at, cp);
  }
  out[at] = '\0';
}

}  // namespace

extern "C" bool google_peer_open(const char *system_dict, const char *user_dict)
{
  decoder_open = ime_pinyin::im_open_decoder(system_dict, user_dict);
  return decoder_open;
}

extern "C" void google_peer_close(void)
{
  if (decoder_open)
    ime_pinyin::im_close_decoder();
  decoder_open = false;
}

extern "C" int google_peer_lookup(const char *letters, char *slots, size_t slot_size,
                                  int max_slots)
{
  if (!decoder_open || slot_size == 0)
    return -1;
  ime_pinyin::im_reset_search();
  size_t total = ime_pinyin::im_search(letters, std::strlen(letters));
  int count = 0;
  for (size_t i = 0; i < total && count < max_slots; i++) {
    ime_pinyin::char16 units[kCandidateUnits + 1];
    if (!ime_pinyin::im_get_candidate(i, units, kCandidateUnits))
      return -1;
    units[kCandidateUnits] = 0;
    utf16_to_utf8(units, slots + static_cast<size_t>(count) * slot_size, slot_size);
    count++;
  }
  return count;
}
