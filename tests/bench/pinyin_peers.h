/* The two peers pinyin_accuracy compares the kiosk's engine with, each
 * behind three plain functions so the benchmark stays C: libpinyin
 * (pinyin_peer_libpinyin.c) and libgooglepinyin, whose API is C++
 * (pinyin_peer_google.cc).  Each peer has process-wide state: open once,
 * look up any number of times, close.
 *
 * A lookup takes the letters a resident typed ("chufangshuilongtou"),
 * starts from an empty composition, learns nothing, and writes up to
 * max_slots candidates, best first, as NUL-terminated UTF-8 into
 * slots[i * slot_size]; it returns how many, or -1 when the engine failed. */
#ifndef PINYIN_PEERS_H
#define PINYIN_PEERS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libgooglepinyin reads at most this many letters and drops the rest
 * (kMaxSearchSteps - 1 in its dictdef.h). */
#define GOOGLE_PEER_LETTERS_MAX 39

bool libpinyin_peer_open(const char *data_dir, const char *user_dir);
int libpinyin_peer_lookup(const char *letters, char *slots, size_t slot_size, int max_slots);
void libpinyin_peer_close(void);

bool google_peer_open(const char *system_dict, const char *user_dict);
int google_peer_lookup(const char *letters, char *slots, size_t slot_size, int max_slots);
void google_peer_close(void);

#ifdef __cplusplus
}
#endif

#endif
