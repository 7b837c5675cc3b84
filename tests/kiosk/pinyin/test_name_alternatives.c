/* Whole-name alternatives (src/kiosk/input/name_alternatives.c): the
 * surname table the kiosk ships, hostile tables refused whole, and which
 * names are offered in which order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lobby_fs.h"
#include "name_alternatives.h"

#define SHIPPED_TABLE KIOSK_TEST_SOURCE_DIR "/config/rime/lobby_surnames.txt"
#define CAP 64

static kiosk_surnames *load_text(const char *text, lobby_err *err)
{
  char path[] = "/tmp/test-surnames-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  assert_int_equal(lobby_fs_write_atomic(path, text, strlen(text)), LOBBY_OK);
  kiosk_surnames *table = NULL;
  *err = kiosk_surnames_load(path, &table);
  unlink(path);
  return table;
}

static void test_shipped_table_loads(void **state)
{
  (void)state;
  kiosk_surnames *table = NULL;
  assert_int_equal(kiosk_surnames_load(SHIPPED_TABLE, &table), LOBBY_OK);
  const char *syllables[] = {"si", "ma", "jun"};
  kiosk_name_request req = {"\xe5\x8f\xb8\xe9\xa9\xac\xe4\xbf\x8a" /* 司马俊 */, syllables, 3, NULL, 0};
  size_t bytes = 0;
  assert_int_equal(kiosk_surname_syllables(table, &req, &bytes), 2);
  assert_int_equal(bytes, 6);
  kiosk_surnames_free(table);
}

/* One bad line and the whole table is refused: a half-read list would
 * offer some homophones and silently not others. */
static void test_hostile_tables_refused(void **state)
{
  (void)state;
  static const char *const bad[] = {
    "",                                          /* no surname at all */
    "# only a comment\n",
    "\xe7\x8e\x8b wang\n",                       /* no tab */
    "\xe7\x8e\x8b\tWang\n",                      /* upper case */
    "\xe7\x8e\x8b\twang\n\xe6\x9d\x8e\tli li\n", /* two syllables, one character */
    "\xe7\x8e\x8b\t\n",                          /* no reading */
    "\tli\n",                                    /* no surname */
    "\xff\xfe\tli\n",                            /* not UTF-8 */
    "ab\tli\n",                                  /* not Chinese */
    "\xe7\x8e\x8b\twang  yang\n",                /* two spaces */
    "\xe7\x8e\x8b\twangwangwang\n",              /* not a syllable */
    "\xe6\xac\xa7\xe9\x98\xb3\xe5\xb3\xb0\tou yang feng\n", /* three characters */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    lobby_err err = LOBBY_OK;
    kiosk_surnames *table = load_text(bad[i], &err);
    if (table || err == LOBBY_OK)
      fail_msg("table %zu was accepted", i);
  }
  lobby_err err = LOBBY_OK;
  kiosk_surnames *table = NULL;
  assert_int_equal(kiosk_surnames_load("/nonexistent/lobby_surnames.txt", &table), LOBBY_ENOTFOUND);
  assert_null(table);
  /* More lines than the table holds. */
  size_t size = (KIOSK_SURNAMES_MAX + 1) * sizeof "\xe7\x8e\x8b\twang\n" + 1;
  char *many = calloc(1, size);
  assert_non_null(many);
  for (int i = 0; i <= KIOSK_SURNAMES_MAX; i++)
    strcat(many, "\xe7\x8e\x8b\twang\n");
  table = load_text(many, &err);
  free(many);
  assert_null(table);
  assert_int_equal(err, LOBBY_ETOOBIG);
}

/* 徐 xu, 许 xu, 胥 xu, 于 yu, 司马 si ma, 司 si. */
static const char small_table[] =
  "# test\n"
  "\xe5\xbe\x90\txu\n"
  "\xe8\xae\xb8\txu\n"
  "\xe8\x83\xa5\txu\n"
  "\xe4\xba\x8e\tyu\n"
  "\xe5\x8f\xb8\xe9\xa9\xac\tsi ma\n"
  "\xe5\x8f\xb8\tsi\n";

#define XU_BO_WEN "\xe5\xbe\x90\xe5\x8d\x9a\xe6\x96\x87"   /* 徐博文 */
#define XU2_BO_WEN "\xe8\xae\xb8\xe5\x8d\x9a\xe6\x96\x87"  /* 许博文 */
#define XU3_BO_WEN "\xe8\x83\xa5\xe5\x8d\x9a\xe6\x96\x87"  /* 胥博文 */
#define BO_WEN "\xe5\x8d\x9a\xe6\x96\x87"                  /* 博文 */
#define BO2_WEN "\xe4\xbc\xaf\xe6\x96\x87"                 /* 伯文 */
#define BO_WEN2 "\xe5\x8d\x9a\xe9\x97\xbb"                 /* 博闻 */
#define BO "\xe5\x8d\x9a"                                  /* 博 */

static int alternatives(const kiosk_surnames *table, const char *name, const char *const *syllables, int n,
                        const char *const *given, int given_count, const char *const *taken,
                        int taken_count, char out[][CAP], int max)
{
  kiosk_name_request req = {name, syllables, n, given, given_count};
  return kiosk_name_alternatives(table, &req, taken, taken_count, &out[0][0], CAP, max);
}

/* Homophone surnames and the engine's other given names in turn; the
 * name itself, what the page has and given names of another length are
 * left out. */
static void test_homophones_and_given_names_in_turn(void **state)
{
  (void)state;
  lobby_err err = LOBBY_OK;
  kiosk_surnames *table = load_text(small_table, &err);
  assert_non_null(table);
  const char *syllables[] = {"xu", "bo", "wen"};
  /* 博揃 is no everyday name (揃 is not in GB 2312). */
  const char *given[] = {BO_WEN, BO, "\xe5\x8d\x9a\xe6\x8f\x83", BO2_WEN, BO_WEN2};
  char out[8][CAP];
  int n = alternatives(table, XU_BO_WEN, syllables, 3, given, 5, NULL, 0, out, 8);
  assert_int_equal(n, 4);
  assert_string_equal(out[0], XU2_BO_WEN);
  assert_string_equal(out[1], "\xe5\xbe\x90" BO2_WEN);
  assert_string_equal(out[2], XU3_BO_WEN);
  assert_string_equal(out[3], "\xe5\xbe\x90" BO_WEN2);
  /* At most max, and none the page offers already. */
  const char *taken[] = {XU2_BO_WEN};
  n = alternatives(table, XU_BO_WEN, syllables, 3, given, 5, taken, 1, out, 2);
  assert_int_equal(n, 2);
  assert_string_equal(out[0], "\xe5\xbe\x90" BO2_WEN);
  assert_string_equal(out[1], XU3_BO_WEN);
  kiosk_surnames_free(table);
}

static void test_only_names_that_start_with_a_surname(void **state)
{
  (void)state;
  lobby_err err = LOBBY_OK;
  kiosk_surnames *table = load_text(small_table, &err);
  assert_non_null(table);
  char out[4][CAP];
  const char *given[] = {BO2_WEN};
  /* 博文 typed as "bowen": 博 is no surname. */
  const char *two[] = {"bo", "wen"};
  assert_int_equal(alternatives(table, BO_WEN, two, 2, given, 1, NULL, 0, out, 4), 0);
  /* 徐 read as something other than xu. */
  const char *other[] = {"xv", "bo", "wen"};
  assert_int_equal(alternatives(table, XU_BO_WEN, other, 3, given, 1, NULL, 0, out, 4), 0);
  /* A name of another length than the syllables. */
  const char *four[] = {"xu", "bo", "wen", "a"};
  assert_int_equal(alternatives(table, XU_BO_WEN, four, 4, given, 1, NULL, 0, out, 4), 0);
  /* A compound surname is the whole of 司马, so 司 is not offered for 司. */
  const char *sima[] = {"si", "ma", "jun"};
  const char *jun[] = {"\xe4\xbf\x8a" /* 俊 */};
  int n = alternatives(table, "\xe5\x8f\xb8\xe9\xa9\xac\xe5\x86\x9b" /* 司马军 */, sima, 3, jun, 1, NULL, 0,
                       out, 4);
  assert_int_equal(n, 1);
  assert_string_equal(out[0], "\xe5\x8f\xb8\xe9\xa9\xac\xe4\xbf\x8a");
  /* Nothing that does not fit. */
  const char *xu[] = {"xu", "bo", "wen"};
  kiosk_name_request req = {XU_BO_WEN, xu, 3, given, 1};
  char tight[2][9];
  assert_int_equal(kiosk_name_alternatives(table, &req, NULL, 0, &tight[0][0], sizeof tight[0], 2), 0);
  kiosk_surnames_free(table);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_shipped_table_loads),
    cmocka_unit_test(test_hostile_tables_refused),
    cmocka_unit_test(test_homophones_and_given_names_in_turn),
    cmocka_unit_test(test_only_names_that_start_with_a_surname),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
