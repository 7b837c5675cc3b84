/* libpinyin's sentence for a composition (bigram_sentence.h). */
#include "bigram_sentence.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdbool.h> /* before pinyin.h, which uses bool without it */
/* libpinyin's novel_types.h defines these constants in the header, which
 * in C makes each a global of every file that includes it; renamed here,
 * so that a program may also include the header elsewhere (the accuracy
 * benchmark's libpinyin peer does). */
#define null_token kiosk_bigram__null_token
#define sentence_start kiosk_bigram__sentence_start
#define token_min kiosk_bigram__token_min
#define token_max kiosk_bigram__token_max
#define c_separate kiosk_bigram__c_separate
#include <pinyin.h>
#undef null_token
#undef sentence_start
#undef token_min
#undef token_max
#undef c_separate
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lobby_fs.h"
#include "lobby_text.h"

/* What libpinyin reads from its user directory at start-up.  Versions
 * that no data of libpinyin's have make the directory foreign to it, so it
 * loads nothing from there (nothing could be there: nothing is saved); and
 * with the file present it does not complain on stderr that it is
 * missing. */
#define USER_CONF "user.conf"
/* The file that describes libpinyin's model, in its data directory. */
#define SYSTEM_TABLE "table.conf"
#define USER_CONF_FOREIGN "binary format version:0\nmodel data version:0\ndatabase format:BerkeleyDB\n"

#ifndef LIBPINYIN_LIBRARY
#define LIBPINYIN_LIBRARY "libpinyin.so.15"
#endif

/* As ibus-libpinyin sets libpinyin up by default: incomplete and
 * corrected pinyin, no fuzzy pinyin.  The same settings as the peer in
 * tests/bench/pinyin_peer_libpinyin.c, where its figures come from. */
#define BIGRAM_OPTIONS                                                                    \
  (PINYIN_INCOMPLETE | ZHUYIN_INCOMPLETE | PINYIN_CORRECT_ALL | DYNAMIC_ADJUST |         \
   USE_RESPLIT_TABLE | USE_DIVIDED_TABLE)

/* The functions used, looked up once when the library is loaded. */
typedef struct {
  pinyin_context_t *(*init)(const char *, const char *);
  void (*fini)(pinyin_context_t *);
  bool (*set_options)(pinyin_context_t *, pinyin_option_t);
  pinyin_instance_t *(*alloc_instance)(pinyin_context_t *);
  void (*free_instance)(pinyin_instance_t *);
  bool (*reset)(pinyin_instance_t *);
  size_t (*parse_more_full_pinyins)(pinyin_instance_t *, const char *);
  bool (*guess_sentence)(pinyin_instance_t *);
  bool (*get_sentence)(pinyin_instance_t *, guint8, char **);
  void (*free_text)(void *);
} libpinyin_calls;

struct kiosk_bigram {
  void *library;
  libpinyin_calls call;
  pinyin_context_t *context;
  pinyin_instance_t *instance;
};

/* Looks name up into *slot (a function pointer's storage); false when the
 * library lacks it.  memcpy because ISO C has no cast from void * to a
 * function pointer. */
static bool look_up(void *library, const char *name, void *slot, size_t slot_size)
{
  void *symbol = dlsym(library, name);
  if (!symbol || slot_size != sizeof symbol)
    return false;
  memcpy(slot, &symbol, slot_size);
  return true;
}

#define LOOK_UP(lib, calls, field, name) look_up((lib), (name), &(calls)->field, sizeof (calls)->field)

static bool load_calls(void *library, libpinyin_calls *calls)
{
  /* g_free comes from GLib, which libpinyin loads: dlsym searches the
   * library's dependencies too. */
  return LOOK_UP(library, calls, init, "pinyin_init") && LOOK_UP(library, calls, fini, "pinyin_fini") &&
         LOOK_UP(library, calls, set_options, "pinyin_set_options") &&
         LOOK_UP(library, calls, alloc_instance, "pinyin_alloc_instance") &&
         LOOK_UP(library, calls, free_instance, "pinyin_free_instance") &&
         LOOK_UP(library, calls, reset, "pinyin_reset") &&
         LOOK_UP(library, calls, parse_more_full_pinyins, "pinyin_parse_more_full_pinyins") &&
         LOOK_UP(library, calls, guess_sentence, "pinyin_guess_sentence") &&
         LOOK_UP(library, calls, get_sentence, "pinyin_get_sentence") &&
         LOOK_UP(library, calls, free_text, "g_free");
}

static lobby_err prepare_user_dir(const char *user_dir)
{
  char path[PATH_MAX];
  struct stat st;
  int n = snprintf(path, sizeof path, "%s/%s", user_dir, USER_CONF);
  if (n < 0 || (size_t)n >= sizeof path)
    return LOBBY_ETOOBIG;
  lobby_err err = lobby_fs_mkdirs(user_dir);
  if (err == LOBBY_OK && stat(path, &st) != 0)
    err = lobby_fs_write_atomic(path, USER_CONF_FOREIGN, strlen(USER_CONF_FOREIGN));
  return err;
}

lobby_err kiosk_bigram_open(const char *data_dir, const char *user_dir, kiosk_bigram **out,
                            char *why, size_t why_size)
{
  if (!out || !data_dir || !user_dir)
    return LOBBY_EINVAL;
  *out = NULL;
  lobby_err err = prepare_user_dir(user_dir);
  if (err != LOBBY_OK) {
    lobby_explain(why, why_size, "pinyin: cannot prepare %s for libpinyin: %s", user_dir, lobby_strerror(err));
    return err;
  }
  /* Checked here because pinyin_init, when it fails for a missing model,
   * leaks what it had allocated. */
  char table[PATH_MAX];
  struct stat st;
  int n = snprintf(table, sizeof table, "%s/%s", data_dir, SYSTEM_TABLE);
  if (n < 0 || (size_t)n >= sizeof table || stat(table, &st) != 0 || !S_ISREG(st.st_mode)) {
    lobby_explain(why, why_size, "pinyin: libpinyin's model is missing: no %s in %s (install libpinyin-data)",
                  SYSTEM_TABLE, data_dir);
    return LOBBY_ENOTFOUND;
  }
  kiosk_bigram *bigram = calloc(1, sizeof *bigram);
  if (!bigram)
    return LOBBY_ENOMEM;
  bigram->library = dlopen(LIBPINYIN_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (!bigram->library) {
    lobby_explain(why, why_size, "pinyin: cannot load %s (install libpinyin15): %s", LIBPINYIN_LIBRARY,
                  dlerror());
    kiosk_bigram_close(bigram);
    return LOBBY_ENOTFOUND;
  }
  if (!load_calls(bigram->library, &bigram->call)) {
    lobby_explain(why, why_size, "pinyin: %s lacks a function the kiosk uses", LIBPINYIN_LIBRARY);
    kiosk_bigram_close(bigram);
    return LOBBY_EIO;
  }
  bigram->context = bigram->call.init(data_dir, user_dir);
  if (!bigram->context || !bigram->call.set_options(bigram->context, BIGRAM_OPTIONS) ||
      !(bigram->instance = bigram->call.alloc_instance(bigram->context))) {
    lobby_explain(why, why_size, "pinyin: libpinyin cannot open its model in %s (install libpinyin-data)",
                  data_dir);
    kiosk_bigram_close(bigram);
    return LOBBY_EIO;
  }
  *out = bigram;
  return LOBBY_OK;
}

void kiosk_bigram_close(kiosk_bigram *bigram)
{
  if (!bigram)
    return;
  if (bigram->instance)
    bigram->call.free_instance(bigram->instance);
  if (bigram->context)
    bigram->call.fini(bigram->context);
  /* The library stays loaded: GLib, which it brings, cannot be unloaded
   * safely once it has run. */
  free(bigram);
}

lobby_err kiosk_bigram_sentence(kiosk_bigram *bigram, const char *letters, char *out, size_t cap)
{
  if (!bigram || !letters || !out || cap == 0)
    return LOBBY_EINVAL;
  out[0] = '\0';
  libpinyin_calls *call = &bigram->call;
  if (!call->reset(bigram->instance))
    return LOBBY_EIO;
  size_t parsed = call->parse_more_full_pinyins(bigram->instance, letters);
  char *sentence = NULL;
  lobby_err err = LOBBY_ENOTFOUND;
  if (parsed == strlen(letters) && call->guess_sentence(bigram->instance) &&
      call->get_sentence(bigram->instance, 0, &sentence) && sentence) {
    size_t len = strlen(sentence);
    err = len == 0 ? LOBBY_ENOTFOUND : len < cap ? LOBBY_OK : LOBBY_ETOOBIG;
    if (err == LOBBY_OK)
      memcpy(out, sentence, len + 1);
    explicit_bzero(sentence, len);
    call->free_text(sentence);
  }
  (void)call->reset(bigram->instance);
  return err;
}

#ifdef KIOSK_BIGRAM_LSAN
/* LeakSanitizer builds only.  libpinyin's Berkeley DB keeps about 16 KB
 * after pinyin_fini, the same for every open and none for a sentence:
 * theirs, not the kiosk's, and the engine opens once in a kiosk's life.
 * LeakSanitizer asks every program for this function's suppressions. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
  return "leak:libdb-5\n";
}
#endif
