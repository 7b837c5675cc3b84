/* The durable outbox.
 *
 * Why one file per item rather than an append-only journal: an item is a
 * few hundred bytes and the queue is short, so the cost of a file each is
 * nothing, while the benefits are real.  lobby_fs_write_atomic gives each
 * item all-or-nothing durability (write, fsync, rename, fsync of the
 * directory), so there is no torn-record recovery to get wrong; delivering
 * an item is a plain unlink with no compaction step; and a damaged file
 * affects only its own item.  Delivery order comes from the zero-padded
 * sequence number in the name. */
#include "kiosk_outbox.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lobby_domain.h"
#include "lobby_fs.h"
#include "lobby_log.h"
#include "lobby_time.h"

#define OUTBOX_PATH_MAX 4096
#define OUTBOX_ITEM_MAX_BYTES (256 * 1024)
#define OUTBOX_SEQ_DIGITS 16
#define REF_CODE_LEN 6

struct kiosk_outbox {
  char items_dir[OUTBOX_PATH_MAX];
  char refs_dir[OUTBOX_PATH_MAX];
  kiosk_outbox_item *items;  /* sorted by seq */
  size_t count;
  size_t capacity;
  uint64_t next_seq;
};

/* Each kind's stored name, the path it is posted to and the member of
 * the server's answer that names the result, in enum order. */
static const struct {
  const char *name, *path, *id_key;
} submit_kinds[] = {
  [KIOSK_SUBMIT_REPAIR] = {"repair", "/api/v1/repairs", "ticket"},
  [KIOSK_SUBMIT_VISIT] = {"visit", "/api/v1/visits", "id"},
  [KIOSK_SUBMIT_COMPLAINT] = {"complaint", "/api/v1/complaints", "number"},
  [KIOSK_SUBMIT_RELEASE] = {"release", "/api/v1/releases", "number"},
};
#define N_SUBMIT_KINDS (sizeof submit_kinds / sizeof submit_kinds[0])

static bool submit_kind_known(kiosk_submit_kind kind)
{
  return (unsigned)kind < N_SUBMIT_KINDS;
}

const char *kiosk_submit_kind_name(kiosk_submit_kind kind)
{
  return submit_kinds[submit_kind_known(kind) ? kind : KIOSK_SUBMIT_REPAIR].name;
}

const char *kiosk_submit_kind_path(kiosk_submit_kind kind)
{
  return submit_kinds[submit_kind_known(kind) ? kind : KIOSK_SUBMIT_REPAIR].path;
}

const char *kiosk_submit_kind_id_key(kiosk_submit_kind kind)
{
  return submit_kinds[submit_kind_known(kind) ? kind : KIOSK_SUBMIT_REPAIR].id_key;
}

static lobby_err submit_kind_parse(const char *name, kiosk_submit_kind *out)
{
  for (size_t i = 0; name && i < N_SUBMIT_KINDS; i++) {
    if (strcmp(name, submit_kinds[i].name) == 0) {
      *out = (kiosk_submit_kind)i;
      return LOBBY_OK;
    }
  }
  return LOBBY_EINVAL;
}

/* A ref is used in a file name, so anything but "Q-" and six code
 * characters is refused before it gets near the file system. */
static bool provisional_ref_valid(const char *ref)
{
  return ref && ref[0] == 'Q' && ref[1] == '-' && lobby_code_alphabet_valid(ref + 2, REF_CODE_LEN);
}

static lobby_err join_path(char *buf, size_t size, const char *dir, const char *name)
{
  int n = snprintf(buf, size, "%s/%s", dir, name);
  return n < 0 || (size_t)n >= size ? LOBBY_EINVAL : LOBBY_OK;
}

static lobby_err item_path(const kiosk_outbox *ob, uint64_t seq, char *buf, size_t size)
{
  char name[64];
  snprintf(name, sizeof name, "%0*llu.json", OUTBOX_SEQ_DIGITS, (unsigned long long)seq);
  return join_path(buf, size, ob->items_dir, name);
}

static lobby_err record_path(const kiosk_outbox *ob, const char *ref, char *buf, size_t size)
{
  char name[64];
  snprintf(name, sizeof name, "%s.json", ref);
  return join_path(buf, size, ob->refs_dir, name);
}

static bool has_suffix(const char *s, const char *suffix)
{
  size_t ls = strlen(s), lx = strlen(suffix);
  return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* "0000000000000042.json" -> 42; false for any other name. */
static bool parse_item_name(const char *name, uint64_t *seq)
{
  if (strlen(name) != OUTBOX_SEQ_DIGITS + 5 || strcmp(name + OUTBOX_SEQ_DIGITS, ".json") != 0)
    return false;
  uint64_t v = 0;
  for (int i = 0; i < OUTBOX_SEQ_DIGITS; i++) {
    if (name[i] < '0' || name[i] > '9')
      return false;
    v = v * 10 + (uint64_t)(name[i] - '0');
  }
  *seq = v;
  return true;
}

static void item_free(kiosk_outbox_item *item)
{
  json_decref(item->body);
  item->body = NULL;
}

static lobby_err items_reserve(kiosk_outbox *ob, size_t want)
{
  if (want <= ob->capacity)
    return LOBBY_OK;
  size_t cap = ob->capacity ? ob->capacity * 2 : 16;
  while (cap < want)
    cap *= 2;
  kiosk_outbox_item *grown = realloc(ob->items, cap * sizeof *grown);
  if (!grown)
    return LOBBY_ENOMEM;
  ob->items = grown;
  ob->capacity = cap;
  return LOBBY_OK;
}

static json_t *item_to_json(const kiosk_outbox_item *item)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:I, s:O}", "seq", (json_int_t)item->seq, "kind",
                   kiosk_submit_kind_name(item->kind), "ref", item->ref, "idempotency_key",
                   item->idempotency_key, "created_at", (json_int_t)item->created_at, "body",
                   item->body);
}

static lobby_err item_from_json(const json_t *obj, uint64_t seq, kiosk_outbox_item *item)
{
  const char *kind = NULL, *ref = NULL, *key = NULL;
  json_int_t created = 0;
  json_t *body = NULL;
  if (json_unpack((json_t *)obj, "{s:s, s:s, s:s, s:I, s:o}", "kind", &kind, "ref", &ref,
                  "idempotency_key", &key, "created_at", &created, "body", &body) != 0)
    return LOBBY_EINVAL;
  memset(item, 0, sizeof *item);
  if (submit_kind_parse(kind, &item->kind) != LOBBY_OK || !provisional_ref_valid(ref) ||
      strlen(key) >= sizeof item->idempotency_key || !json_is_object(body))
    return LOBBY_EINVAL;
  item->seq = seq;
  snprintf(item->ref, sizeof item->ref, "%s", ref);
  snprintf(item->idempotency_key, sizeof item->idempotency_key, "%s", key);
  item->created_at = created;
  item->body = json_incref(body);
  return LOBBY_OK;
}

/* Moves a file that cannot be parsed out of the way, keeping it for a
 * technician instead of deleting what might be someone's request. */
static void quarantine_file(const char *path)
{
  char aside[OUTBOX_PATH_MAX + 16];
  snprintf(aside, sizeof aside, "%s.corrupt", path);
  if (rename(path, aside) != 0)
    LOBBY_WARN("outbox: could not move aside unreadable file (errno %d)", errno);
}

static lobby_err load_item_file(kiosk_outbox *ob, const char *name, uint64_t seq)
{
  /* Even a damaged item's number is never reused, so a new item can not
   * land on top of a file that could not be moved aside. */
  if (seq >= ob->next_seq)
    ob->next_seq = seq + 1;
  char path[OUTBOX_PATH_MAX];
  lobby_err err = join_path(path, sizeof path, ob->items_dir, name);
  if (err != LOBBY_OK)
    return err;
  char *text = NULL;
  size_t len = 0;
  err = lobby_fs_read_all(path, OUTBOX_ITEM_MAX_BYTES, &text, &len);
  if (err != LOBBY_OK)
    return err;
  json_t *obj = json_loadb(text, len, 0, NULL);
  free(text);
  kiosk_outbox_item item;
  err = obj ? item_from_json(obj, seq, &item) : LOBBY_EINVAL;
  json_decref(obj);
  if (err != LOBBY_OK) {
    LOBBY_WARN("outbox: item %llu is unreadable; moved aside", (unsigned long long)seq);
    quarantine_file(path);
    return LOBBY_OK;
  }
  err = items_reserve(ob, ob->count + 1);
  if (err != LOBBY_OK) {
    item_free(&item);
    return err;
  }
  ob->items[ob->count++] = item;
  return LOBBY_OK;
}

static int compare_items(const void *a, const void *b)
{
  const kiosk_outbox_item *x = a, *y = b;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Deletes a temp file left by a write that was interrupted before its
 * rename: nothing was promised for it. */
static void remove_stale_temp(const char *dir, const char *name)
{
  char path[OUTBOX_PATH_MAX];
  if (join_path(path, sizeof path, dir, name) == LOBBY_OK && unlink(path) == 0)
    LOBBY_INFO("outbox: removed an interrupted write");
}

static lobby_err load_items(kiosk_outbox *ob)
{
  DIR *dir = opendir(ob->items_dir);
  if (!dir)
    return LOBBY_EIO;
  lobby_err err = LOBBY_OK;
  struct dirent *de;
  while (err == LOBBY_OK && (de = readdir(dir)) != NULL) {
    uint64_t seq;
    if (has_suffix(de->d_name, ".tmp"))
      remove_stale_temp(ob->items_dir, de->d_name);
    else if (parse_item_name(de->d_name, &seq))
      err = load_item_file(ob, de->d_name, seq);
  }
  closedir(dir);
  if (err == LOBBY_OK && ob->count > 1)
    qsort(ob->items, ob->count, sizeof *ob->items, compare_items);
  return err;
}

/* Look-up records older than KIOSK_OUTBOX_RECORD_DAYS are dropped so the
 * directory does not grow for the life of the kiosk. */
static void prune_old_records(const kiosk_outbox *ob)
{
  DIR *dir = opendir(ob->refs_dir);
  if (!dir)
    return;
  time_t cutoff = time(NULL) - (time_t)KIOSK_OUTBOX_RECORD_DAYS * 86400;
  struct dirent *de;
  while ((de = readdir(dir)) != NULL) {
    char path[OUTBOX_PATH_MAX];
    struct stat st;
    if (de->d_name[0] == '.' || join_path(path, sizeof path, ob->refs_dir, de->d_name) != LOBBY_OK)
      continue;
    if (has_suffix(de->d_name, ".tmp") ||
        (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime < cutoff))
      unlink(path);
  }
  closedir(dir);
}

lobby_err kiosk_outbox_open(const char *state_dir, kiosk_outbox **out)
{
  if (!state_dir || !out)
    return LOBBY_EINVAL;
  kiosk_outbox *ob = calloc(1, sizeof *ob);
  if (!ob)
    return LOBBY_ENOMEM;
  ob->next_seq = 1;
  lobby_err err = join_path(ob->items_dir, sizeof ob->items_dir, state_dir, "outbox");
  if (err == LOBBY_OK)
    err = join_path(ob->refs_dir, sizeof ob->refs_dir, state_dir, "refs");
  if (err == LOBBY_OK)
    err = lobby_fs_mkdirs(ob->items_dir);
  if (err == LOBBY_OK)
    err = lobby_fs_mkdirs(ob->refs_dir);
  if (err == LOBBY_OK)
    err = load_items(ob);
  if (err != LOBBY_OK) {
    kiosk_outbox_close(ob);
    return err;
  }
  prune_old_records(ob);
  *out = ob;
  return LOBBY_OK;
}

void kiosk_outbox_close(kiosk_outbox *ob)
{
  if (!ob)
    return;
  for (size_t i = 0; i < ob->count; i++)
    item_free(&ob->items[i]);
  free(ob->items);
  free(ob);
}

size_t kiosk_outbox_count(const kiosk_outbox *ob)
{
  return ob ? ob->count : 0;
}

const kiosk_outbox_item *kiosk_outbox_at(const kiosk_outbox *ob, size_t i)
{
  return ob && i < ob->count ? &ob->items[i] : NULL;
}

const kiosk_outbox_item *kiosk_outbox_find_ref(const kiosk_outbox *ob, const char *ref)
{
  if (!ob || !ref)
    return NULL;
  for (size_t i = 0; i < ob->count; i++)
    if (strcmp(ob->items[i].ref, ref) == 0)
      return &ob->items[i];
  return NULL;
}

static bool record_exists(const kiosk_outbox *ob, const char *ref)
{
  char path[OUTBOX_PATH_MAX];
  return record_path(ob, ref, path, sizeof path) != LOBBY_OK || access(path, F_OK) == 0;
}

/* A provisional ref not used by a waiting item or a kept record.  There are
 * 25^6 codes, so a clash is rare and a few tries always suffice. */
static lobby_err new_provisional_ref(const kiosk_outbox *ob, char ref[KIOSK_OUTBOX_REF_SIZE])
{
  for (int attempt = 0; attempt < 32; attempt++) {
    char code[REF_CODE_LEN + 1];
    lobby_code_random(code, REF_CODE_LEN);
    snprintf(ref, KIOSK_OUTBOX_REF_SIZE, "Q-%s", code);
    if (!kiosk_outbox_find_ref(ob, ref) && !record_exists(ob, ref))
      return LOBBY_OK;
  }
  return LOBBY_EDUP;
}

static void new_idempotency_key(char key[KIOSK_OUTBOX_KEY_SIZE])
{
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(key, KIOSK_OUTBOX_KEY_SIZE, raw, sizeof raw);
}

static lobby_err write_json_atomic(const char *path, const json_t *obj)
{
  char *text = json_dumps(obj, JSON_COMPACT);
  if (!text)
    return LOBBY_ENOMEM;
  lobby_err err = lobby_fs_write_atomic(path, text, strlen(text));
  free(text);
  return err;
}

lobby_err kiosk_outbox_append(kiosk_outbox *ob, kiosk_submit_kind kind, const json_t *body,
                              const kiosk_outbox_item **out)
{
  if (!ob || !json_is_object(body) || !submit_kind_known(kind))
    return LOBBY_EINVAL;
  if (ob->count >= KIOSK_OUTBOX_MAX_ITEMS)
    return LOBBY_ETOOBIG;
  lobby_err err = items_reserve(ob, ob->count + 1);
  if (err != LOBBY_OK)
    return err;
  kiosk_outbox_item item = {.seq = ob->next_seq, .kind = kind, .created_at = lobby_now()};
  err = new_provisional_ref(ob, item.ref);
  if (err != LOBBY_OK)
    return err;
  new_idempotency_key(item.idempotency_key);
  item.body = json_deep_copy(body);
  json_t *file_obj = item.body ? item_to_json(&item) : NULL;
  char path[OUTBOX_PATH_MAX];
  err = file_obj ? item_path(ob, item.seq, path, sizeof path) : LOBBY_ENOMEM;
  if (err == LOBBY_OK)
    err = write_json_atomic(path, file_obj);
  json_decref(file_obj);
  if (err != LOBBY_OK) {
    item_free(&item);
    return err;
  }
  ob->next_seq++;
  ob->items[ob->count++] = item;
  if (out)
    *out = &ob->items[ob->count - 1];
  return LOBBY_OK;
}

static json_t *string_or_null(const json_t *obj, const char *key)
{
  json_t *v = json_object_get(obj, key);
  return json_is_string(v) ? json_incref(v) : json_null();
}

/* The durable record of a final answer.  Only what the status screen needs
 * is kept: the ticket (a complaint's or a release's number goes there
 * too), visit id, pass code, the follow page's link, or the server's
 * error object. */
static json_t *build_record(const kiosk_outbox_item *item, int http_status, const json_t *server_body)
{
  bool delivered = http_status >= 200 && http_status < 300;
  /* Every kind but a visit is named by one number. */
  bool numbered = item->kind != KIOSK_SUBMIT_VISIT;
  json_t *error = delivered ? NULL : json_object_get(server_body, "error");
  return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:O?, s:I}", "ref", item->ref, "kind",
                   kiosk_submit_kind_name(item->kind), "state",
                   delivered ? "delivered" : "rejected", "ticket",
                   delivered && numbered ? string_or_null(server_body, kiosk_submit_kind_id_key(item->kind))
                                         : json_null(),
                   "visit_id", delivered && !numbered ? string_or_null(server_body, "id") : json_null(),
                   "pass_code", delivered && !numbered ? string_or_null(server_body, "pass_code") : json_null(),
                   "follow_url", delivered ? string_or_null(server_body, "follow_url") : json_null(),
                   "http_status", http_status, "error", json_is_object(error) ? error : NULL,
                   "completed_at", (json_int_t)lobby_now());
}

static size_t index_of_seq(const kiosk_outbox *ob, uint64_t seq)
{
  for (size_t i = 0; i < ob->count; i++)
    if (ob->items[i].seq == seq)
      return i;
  return ob->count;
}

static lobby_err remove_item_file(const kiosk_outbox *ob, uint64_t seq)
{
  char path[OUTBOX_PATH_MAX];
  lobby_err err = item_path(ob, seq, path, sizeof path);
  if (err != LOBBY_OK)
    return err;
  if (unlink(path) != 0 && errno != ENOENT)
    return LOBBY_EIO;
  return lobby_fs_sync_dir(path);
}

lobby_err kiosk_outbox_complete(kiosk_outbox *ob, uint64_t seq, int http_status,
                                const json_t *server_body, json_t **record_out)
{
  if (!ob)
    return LOBBY_EINVAL;
  size_t i = index_of_seq(ob, seq);
  if (i == ob->count)
    return LOBBY_ENOTFOUND;
  json_t *record = build_record(&ob->items[i], http_status, server_body);
  if (!record)
    return LOBBY_ENOMEM;
  char path[OUTBOX_PATH_MAX];
  lobby_err err = record_path(ob, ob->items[i].ref, path, sizeof path);
  if (err == LOBBY_OK)
    err = write_json_atomic(path, record);
  if (err == LOBBY_OK)
    err = remove_item_file(ob, seq);
  if (err != LOBBY_OK) {
    json_decref(record);
    return err;
  }
  item_free(&ob->items[i]);
  memmove(&ob->items[i], &ob->items[i + 1], (ob->count - i - 1) * sizeof *ob->items);
  ob->count--;
  json_object_del(record, "kind");
  json_object_del(record, "completed_at");
  if (record_out)
    *record_out = record;
  else
    json_decref(record);
  return LOBBY_OK;
}

static json_t *queued_lookup(const kiosk_outbox_item *item)
{
  return json_pack("{s:s, s:s, s:n, s:n, s:n, s:n, s:n}", "ref", item->ref, "state", "queued",
                   "ticket", "visit_id", "pass_code", "http_status", "error");
}

static lobby_err read_record(const kiosk_outbox *ob, const char *ref, json_t **out)
{
  char path[OUTBOX_PATH_MAX];
  lobby_err err = record_path(ob, ref, path, sizeof path);
  char *text = NULL;
  size_t len = 0;
  if (err == LOBBY_OK)
    err = lobby_fs_read_all(path, OUTBOX_ITEM_MAX_BYTES, &text, &len);
  if (err != LOBBY_OK)
    return err;
  json_t *record = json_loadb(text, len, 0, NULL);
  free(text);
  if (!json_is_object(record)) {
    json_decref(record);
    return LOBBY_EIO;
  }
  json_object_del(record, "kind");
  json_object_del(record, "completed_at");
  if (!json_object_get(record, "error"))
    json_object_set_new(record, "error", json_null());
  *out = record;
  return LOBBY_OK;
}

lobby_err kiosk_outbox_lookup(const kiosk_outbox *ob, const char *ref, json_t **out)
{
  if (!ob || !out || !ref || strlen(ref) >= KIOSK_OUTBOX_REF_SIZE)
    return LOBBY_ENOTFOUND;
  /* A ref typed on the keypad may come in lower case. */
  char canonical[KIOSK_OUTBOX_REF_SIZE];
  snprintf(canonical, sizeof canonical, "%s", ref);
  lobby_code_normalize(canonical);
  if (!provisional_ref_valid(canonical))
    return LOBBY_ENOTFOUND;
  const kiosk_outbox_item *item = kiosk_outbox_find_ref(ob, canonical);
  if (item) {
    *out = queued_lookup(item);
    return *out ? LOBBY_OK : LOBBY_ENOMEM;
  }
  return read_record(ob, canonical, out);
}
