/* String tables: parsing, placeholders, the shipped zh/en files agree on
 * their keys, and no user-visible text is hard-coded in the kiosk's C. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lobby_fs.h"
#include "kiosk_strings.h"

static void test_parse_and_format(void **state)
{
  (void)state;
  kiosk_strings s;
  assert_int_equal(kiosk_strings_parse("# comment\n; other\n\na = 甲\nb=  {n} 分钟前 \nc = 一\\n二\nbad line\n",
                                       "zh", &s), LOBBY_OK);
  assert_int_equal(s.n, 3);
  assert_string_equal(kiosk_strings_find(&s, "a"), "甲");
  assert_string_equal(kiosk_strings_find(&s, "c"), "一\n二");
  assert_null(kiosk_strings_find(&s, "zzz"));
  char out[64];
  kiosk_strings_format(&s, out, sizeof out, "b", "n", "12", NULL);
  assert_string_equal(out, "12 分钟前");
  /* Unknown placeholders stay visible; a missing key shows the key. */
  kiosk_strings_format(&s, out, sizeof out, "b", NULL);
  assert_string_equal(out, "{n} 分钟前");
  kiosk_strings_format(&s, out, sizeof out, "nope", NULL);
  assert_string_equal(out, "nope");
  kiosk_strings_free(&s);
}

/* Found by fuzz.fuzz_kiosk_strings: an empty file (or one of comments
 * only) sorted a NULL array, undefined behaviour. */
static void test_empty_file_has_no_strings(void **state)
{
  (void)state;
  const char *texts[] = {"", "# only a comment\n", "\n\n"};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    kiosk_strings s = {0};
    assert_int_equal(kiosk_strings_parse(texts[i], "zh", &s), LOBBY_OK);
    assert_int_equal(s.n, 0);
    assert_null(kiosk_strings_find(&s, "home.repair"));
    kiosk_strings_free(&s);
  }
}

static void test_format_truncates_on_char_boundary(void **state)
{
  (void)state;
  char out[8];
  const char *pairs[] = {NULL};
  kiosk_strings_vformat_tpl("网络中断了", out, sizeof out, pairs);
  /* 7 bytes of room: two whole characters, never half of the third. */
  assert_string_equal(out, "网络");
}

static void load(const char *lang, kiosk_strings *s)
{
  char path[512];
  snprintf(path, sizeof path, "%s/assets/strings/%s.ini", KIOSK_TEST_SOURCE_DIR, lang);
  assert_int_equal(kiosk_strings_load(path, lang, s), LOBBY_OK);
}

static void test_shipped_files_have_same_keys(void **state)
{
  (void)state;
  kiosk_strings zh, en;
  load("zh", &zh);
  load("en", &en);
  assert_true(zh.n > 200);
  for (size_t i = 0; i < zh.n; i++)
    if (!kiosk_strings_find(&en, zh.v[i].key))
      fail_msg("en.ini lacks %s", zh.v[i].key);
  for (size_t i = 0; i < en.n; i++)
    if (!kiosk_strings_find(&zh, en.v[i].key))
      fail_msg("zh.ini lacks %s", en.v[i].key);
  assert_string_equal(kiosk_strings_find(&zh, "home.repair"), "报修");
  assert_string_equal(kiosk_strings_find(&zh, "repair_status.on_site"), "师傅已到场");
  kiosk_strings_free(&zh);
  kiosk_strings_free(&en);
}

/* The kiosk's sources: the app's folder and its layers'. */
#define MAX_SOURCES 256
typedef struct {
  char path[MAX_SOURCES][512];
  const char *name[MAX_SOURCES];
  int n;
} source_list;

static bool has_suffix(const char *name, const char *suffix)
{
  size_t n = strlen(name), k = strlen(suffix);
  return n > k && !strcmp(name + n - k, suffix);
}

static void list_sources(source_list *out, bool headers_too)
{
  static const char *const layers[] = {"", "/ui", "/input", "/screens", "/net"};
  out->n = 0;
  for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s/src/kiosk%s", KIOSK_TEST_SOURCE_DIR, layers[i]);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!has_suffix(e->d_name, ".c") && !(headers_too && has_suffix(e->d_name, ".h")))
        continue;
      assert_true(out->n < MAX_SOURCES);
      int len = snprintf(out->path[out->n], sizeof out->path[0], "%s/%s", dir, e->d_name);
      assert_true(len > 0 && (size_t)len < sizeof out->path[0]);
      out->name[out->n] = strrchr(out->path[out->n], '/') + 1;
      out->n++;
    }
    closedir(d);
  }
}

/* Every key the C code asks for exists: scan the sources for "a.b" string
 * literals that look like keys and are not found. */
static void test_keys_used_in_code_exist(void **state)
{
  (void)state;
  kiosk_strings zh;
  load("zh", &zh);
  static source_list src;
  list_sources(&src, false);
  static const char *const prefixes[] = {"nav.", "home.", "repair.", "status.", "visit.", "checkout.", "field.",
                                         "err.local.", "common.", "unit.", "notice.", "emergency.", "offline.", "src.",
                                         "review.", "sla.", "key.", NULL};
  int checked = 0;
  for (int f = 0; f < src.n; f++) {
    const char *path = src.path[f];
    char *text;
    size_t len;
    assert_int_equal(lobby_fs_read_all(path, 1 << 22, &text, &len), LOBBY_OK);
    for (char *p = text; (p = strchr(p, '"'));) {
      char *q = strchr(p + 1, '"');
      if (!q)
        break;
      size_t l = (size_t)(q - p - 1);
      char key[128];
      if (l > 0 && l < sizeof key) {
        memcpy(key, p + 1, l);
        key[l] = '\0';
        for (int i = 0; prefixes[i]; i++)
          if (!strncmp(key, prefixes[i], strlen(prefixes[i])) && !strchr(key, ' ') && !strchr(key, '%') &&
              key[l - 1] != '.') {
            if (!kiosk_strings_find(&zh, key))
              fail_msg("%s uses missing key %s", src.name[f], key);
            checked++;
          }
      }
      p = q + 1;
    }
    free(text);
  }
  assert_true(checked > 100);
  kiosk_strings_free(&zh);
}

/* The index of the first non-ASCII byte inside a string or character
 * literal of C source, or -1.  Comments may hold Chinese examples. */
static long non_ascii_literal(const char *t, size_t len)
{
  enum { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR } st = CODE;
  for (size_t i = 0; i < len; i++) {
    char c = t[i], n = i + 1 < len ? t[i + 1] : 0;
    switch (st) {
    case CODE:
      if (c == '/' && n == '/') st = LINE_COMMENT, i++;
      else if (c == '/' && n == '*') st = BLOCK_COMMENT, i++;
      else if (c == '"') st = STRING;
      else if (c == '\'') st = CHAR;
      break;
    case LINE_COMMENT:
      if (c == '\n') st = CODE;
      break;
    case BLOCK_COMMENT:
      if (c == '*' && n == '/') st = CODE, i++;
      break;
    case STRING:
    case CHAR:
      if ((unsigned char)c >= 0x80)
        return (long)i;
      if (c == '\\') i++;
      else if ((st == STRING && c == '"') || (st == CHAR && c == '\'')) st = CODE;
      break;
    }
  }
  return -1;
}

/* User-visible text lives in assets/: no string literal in the kiosk's C
 * holds anything but ASCII. */
static void test_no_text_hard_coded_in_c(void **state)
{
  (void)state;
  assert_int_equal(non_ascii_literal("/* 注释 */ // 注释\nint a = 1; const char *s = \"ok\";", 50), -1);
  assert_true(non_ascii_literal("const char *s = \"报修\";", 26) > 0);
  static source_list src;
  list_sources(&src, true);
  int files = 0;
  for (int f = 0; f < src.n; f++) {
    const char *path = src.path[f];
    char *text;
    size_t len;
    assert_int_equal(lobby_fs_read_all(path, 1 << 22, &text, &len), LOBBY_OK);
    long at = non_ascii_literal(text, len);
    free(text);
    if (at >= 0)
      fail_msg("%s has non-ASCII text in a literal at byte %ld", src.name[f], at);
    files++;
  }
  assert_true(files > 20);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_parse_and_format),
    cmocka_unit_test(test_format_truncates_on_char_boundary),
    cmocka_unit_test(test_empty_file_has_no_strings),
    cmocka_unit_test(test_shipped_files_have_same_keys),
    cmocka_unit_test(test_keys_used_in_code_exist),
    cmocka_unit_test(test_no_text_hard_coded_in_c),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
