/* The kiosk's pinyin engine (src/kiosk/pinyin.c) against the real librime
 * and the distribution's Luna Pinyin data: phrases in simplified
 * characters, the kiosk's own vocabulary (config/rime/lobby_pinyin.dict.yaml),
 * backspace, paging, partial choices, no learning from one resident to the
 * next, the deploy stamp, and clean failures when the data is missing or
 * broken.
 *
 * Every test that needs working data shares one deployed user directory
 * (deployed once by the group set-up); tests about deployment make their
 * own directories under KIOSK_PINYIN_TEST_WORK_DIR. */
/* nftw() is an X/Open function. */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lobby_fs.h"
#include "pinyin.h"

#ifndef KIOSK_PINYIN_SHARED_DIR
#define KIOSK_PINYIN_SHARED_DIR "/usr/share/rime-data"
#endif

static char shared_user_dir[PATH_MAX];

/* ---- Helpers ---- */

static void remove_tree(const char *dir)
{
  assert_int_equal(lobby_fs_remove_tree(dir), LOBBY_OK);
}

static void join(char *out, size_t cap, const char *dir, const char *name)
{
  int n = snprintf(out, cap, "%s/%s", dir, name);
  assert_true(n > 0 && (size_t)n < cap);
}

/* A new empty directory under the work directory. */
static void make_temp_dir(char *out, size_t cap, const char *label)
{
  assert_int_equal(lobby_fs_mkdirs(KIOSK_PINYIN_TEST_WORK_DIR), LOBBY_OK);
  int n = snprintf(out, cap, "%s/%s-XXXXXX", KIOSK_PINYIN_TEST_WORK_DIR, label);
  assert_true(n > 0 && (size_t)n < cap);
  assert_non_null(mkdtemp(out));
}

static kiosk_pinyin_paths paths_for(const char *shared_dir, const char *user_dir)
{
  return (kiosk_pinyin_paths){
    .shared_data_dir = shared_dir,
    .kiosk_config_dir = KIOSK_TEST_SOURCE_DIR "/config/rime",
    .user_dir = user_dir,
  };
}

static kiosk_pinyin *open_shared(void)
{
  kiosk_pinyin_paths paths = paths_for(KIOSK_PINYIN_SHARED_DIR, shared_user_dir);
  kiosk_pinyin *engine = NULL;
  char why[KIOSK_PINYIN_WHY_CAP];
  lobby_err err = kiosk_pinyin_open(&paths, &engine, NULL, why, sizeof why);
  if (err != LOBBY_OK)
    fail_msg("open: %s: %s", lobby_strerror(err), why);
  return engine;
}

static void type(kiosk_pinyin *engine, const char *letters)
{
  for (const char *p = letters; *p; p++)
    assert_int_equal(kiosk_pinyin_key(engine, *p), LOBBY_OK);
}

/* Index of text on the current page, or -1. */
static int find_candidate(const kiosk_pinyin *engine, const char *text)
{
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  for (int i = 0; i < view->candidate_count; i++)
    if (strcmp(view->candidates[i], text) == 0)
      return i;
  return -1;
}

/* Index of text on this or a later page (the engine is left on that
 * page), or -1. */
static int find_candidate_paging(kiosk_pinyin *engine, const char *text)
{
  for (int pages = 0; pages < 20; pages++) {
    int i = find_candidate(engine, text);
    if (i >= 0)
      return i;
    if (kiosk_pinyin_next_page(engine) != LOBBY_OK)
      return -1;
  }
  return -1;
}

static size_t utf8_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}

static int group_setup(void **state)
{
  (void)state;
  /* Directories left by an earlier run that failed half-way. */
  remove_tree(KIOSK_PINYIN_TEST_WORK_DIR);
  make_temp_dir(shared_user_dir, sizeof shared_user_dir, "shared");
  kiosk_pinyin *engine = open_shared();
  kiosk_pinyin_close(engine);
  return 0;
}

static int group_teardown(void **state)
{
  (void)state;
  remove_tree(shared_user_dir);
  return 0;
}

static int engine_setup(void **state)
{
  *state = open_shared();
  return *state ? 0 : -1;
}

static int engine_teardown(void **state)
{
  kiosk_pinyin_close(*state);
  return 0;
}

/* ---- Phrases ---- */

static void expect_first(kiosk_pinyin *engine, const char *pinyin, const char *first)
{
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  type(engine, pinyin);
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  assert_true(view->composing);
  assert_true(view->candidate_count > 0);
  assert_string_equal(view->candidates[0], first);
}

static void test_phrases_in_simplified_characters(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "weixiu", "维修");
  assert_string_equal(kiosk_pinyin_view_get(engine)->preedit, "wei xiu");
  /* The traditional form must not be offered at all. */
  assert_int_equal(find_candidate(engine, "維修"), -1);
  expect_first(engine, "shuilongtou", "水龙头");
  assert_string_equal(kiosk_pinyin_view_get(engine)->preedit, "shui long tou");
  expect_first(engine, "loushui", "漏水");
  expect_first(engine, "dianti", "电梯");
}

static void test_sentence(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "chufangshuilongtouloushui", "厨房水龙头漏水");
  assert_string_equal(kiosk_pinyin_view_get(engine)->preedit, "chu fang shui long tou lou shui");
}

/* ---- The kiosk's vocabulary ---- */

/* What residents write on a repair or complaint form comes first, where
 * Luna Pinyin alone offers the commoner homophone (保修, 情节, 无关, 即使). */
static void test_property_words_come_first(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "baoxiu", "报修");
  /* The word it displaced is still on the first page. */
  assert_true(find_candidate(engine, "保修") > 0);
  expect_first(engine, "qingjie", "清洁");
  assert_true(find_candidate(engine, "情节") > 0);
  expect_first(engine, "jishi", "及时");
  assert_true(find_candidate(engine, "即使") > 0);
  expect_first(engine, "fenwei", "氛围");
  expect_first(engine, "jiaofa", "角阀");
  expect_first(engine, "menjinka", "门禁卡");
  /* Residents' own wording (the everyday reports' section), and the
   * compound before a phrase of it stays whole (承重墙, not 城中 + 墙有裂缝). */
  expect_first(engine, "chufangxiashuidaofanwei", "厨房下水道反味");
  expect_first(engine, "diantikongtiaobuliang", "电梯空调不凉");
  expect_first(engine, "chengzhongqiangyouliefeng", "承重墙有裂缝");
  expect_first(engine, "shengkongdengbulingmin", "声控灯不灵敏");
  /* Sentences: the words hold together (not 无关费用收焦虑, 游玩征得保修). */
  expect_first(engine, "wuguanfeiyongshoujiaolv", "物管费用收缴率");
  expect_first(engine, "youwanzhengdebaoxiu", "有完整的报修");
  expect_first(engine, "loudaodengbuliangle", "楼道灯不亮了");
  expect_first(engine, "woshisanhaoloudeyezhu", "我是三号楼的业主");
  /* What broke, in the words residents use: 爆了 not 包了, a box's door
   * (箱门) not 箱们, a floor (九楼) not a restaurant (酒楼). */
  expect_first(engine, "shuiguanbaole", "水管爆了");
  expect_first(engine, "dianbiaoxiangmenhuaile", "电表箱门坏了");
  expect_first(engine, "wojiazaijiulou", "我家在九楼");
  /* The water pressure, not 谁呀; a lock (锁), not 所; nobody collects,
   * not 没忍受. */
  expect_first(engine, "shuiyataidi", "水压太低");
  expect_first(engine, "xinxiangsuohuaile", "信箱锁坏了");
  expect_first(engine, "lajihaojitianmeirenshou", "垃圾好几天没人收");
  expect_first(engine, "qingbangwotongzhiyixia", "请帮我通知一下");
  /* An everyday word stays ahead of a kept homophone (冻了, 鸽子). */
  expect_first(engine, "gezi", "各自");
  assert_true(find_candidate(engine, "鸽子") > 0);
  /* 堵塞 is typed both ways. */
  expect_first(engine, "dusai", "堵塞");
  expect_first(engine, "duse", "堵塞");
}

/* Pieces of the company's own documents (notices, standards, contracts)
 * come out in their written words, where Luna Pinyin alone gives 玩好驴,
 * 不变, 手里, 易容, 维护不, 有物业, 平有效 and 氯化汞. */
static void test_document_words_come_first(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "fangwuwanhaolv", "房屋完好率");
  expect_first(engine, "geinindailaibubian", "给您带来不便");
  expect_first(engine, "shouliyezhutousu", "受理业主投诉");
  expect_first(engine, "yirongyibiao", "仪容仪表");
  expect_first(engine, "zhixuweihubu", "秩序维护部");
  expect_first(engine, "youwuyefuze", "由物业负责");
  expect_first(engine, "pingyouxiaozhengjian", "凭有效证件");
  expect_first(engine, "lvhuagong", "绿化工");
  /* A resident's complaint about staff is still about 物管人员, and the
   * documents' words give way to what residents say alone: 手里, not
   * 受理; 戒指, not 截止; prices went up 大幅, not 答复. */
  expect_first(engine, "wuguanrenyuantaiducha", "物管人员态度差");
  expect_first(engine, "yaoshizaitashouli", "钥匙在他手里");
  expect_first(engine, "wodejiezhidiule", "我的戒指丢了");
  expect_first(engine, "wuyefeidafuzhangjia", "物业费大幅涨价");
}

/* librime discounts a reading across an ambiguous joint ("quan" read as
 * qu + an) by 1e-10, so 小区安全 came out as 小圈圈; an entry that pays
 * it gets the factor back, and only such an entry: 余额 and 应急预案 pay
 * nothing, and boosted they took 月's place in 十月 and 原因's in
 * 启动原因. */
static void test_words_across_ambiguous_joints(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "quebaoxiaoquanquan", "确保小区安全");
  expect_first(engine, "qinghelianpaishijian", "请合理安排时间");
  expect_first(engine, "shiyueyiri", "十月一日");
  expect_first(engine, "qidongyuanyin", "启动原因");
}

/* A polyphone surname is read as a surname: with a title it comes first,
 * alone it is on the first page without displacing the common character. */
static void test_surname_readings(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "shanxiansheng", "单先生");
  expect_first(engine, "zengnvshi", "曾女士");
  expect_first(engine, "piaoshifu", "朴师傅");
  expect_first(engine, "ouyangxiansheng", "欧阳先生");
  expect_first(engine, "shan", "山");
  assert_true(find_candidate(engine, "单") > 0);
  expect_first(engine, "xie", "写");
  assert_true(find_candidate(engine, "解") > 0);
}

/* A name field types with the names schema: surname and given name come
 * out whole where the general schema makes words of them, and a given-name
 * character that shares its syllable with a surname follows the surname
 * (韩冬, not 韩董).  The mode outlasts a wipe; the text mode is back to
 * Luna Pinyin and the kiosk's words. */
static void test_name_mode(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "hexinyi", "核心一");
  assert_int_equal(kiosk_pinyin_set_mode(engine, KIOSK_PINYIN_NAMES), LOBBY_OK);
  expect_first(engine, "hexinyi", "何欣怡");
  expect_first(engine, "wangjianguo", "王建国");
  expect_first(engine, "handong", "韩冬");
  expect_first(engine, "ouyangfeng", "欧阳峰");
  expect_first(engine, "shanlimin", "单立民");
  expect_first(engine, "wangshifu", "王师傅");
  /* Any character can still be typed. */
  expect_first(engine, "weixiu", "魏秀");
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  type(engine, "xiu");
  assert_true(find_candidate_paging(engine, "修") >= 0);
  /* A composition is dropped by a change of mode, not by the same mode. */
  type(engine, "li");
  assert_int_equal(kiosk_pinyin_set_mode(engine, KIOSK_PINYIN_NAMES), LOBBY_OK);
  assert_true(kiosk_pinyin_view_get(engine)->composing);
  assert_int_equal(kiosk_pinyin_wipe(engine), LOBBY_OK);
  expect_first(engine, "hexinyi", "何欣怡");
  assert_int_equal(kiosk_pinyin_set_mode(engine, KIOSK_PINYIN_TEXT), LOBBY_OK);
  assert_false(kiosk_pinyin_view_get(engine)->composing);
  expect_first(engine, "weixiu", "维修");
  assert_int_equal(kiosk_pinyin_set_mode(engine, (kiosk_pinyin_mode)7), LOBBY_EINVAL);
  assert_int_equal(kiosk_pinyin_set_mode(NULL, KIOSK_PINYIN_TEXT), LOBBY_EINVAL);
}

/* Position of text among the first five candidates, the places a resident
 * reads first, or -1. */
static int find_in_first_five(const kiosk_pinyin *engine, const char *text)
{
  int i = find_candidate(engine, text);
  return i < 5 ? i : -1;
}

/* An alternative the kiosk added at `at` stays there through paging
 * away and back, and choosing it commits it whole. */
static void expect_kept_and_committed(kiosk_pinyin *engine, const char *text, int at)
{
  assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_OK);
  assert_int_equal(kiosk_pinyin_prev_page(engine), LOBBY_OK);
  assert_int_equal(find_in_first_five(engine, text), at);
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  assert_int_equal(kiosk_pinyin_choose(engine, at, committed, sizeof committed), LOBBY_OK);
  assert_string_equal(committed, text);
  assert_false(kiosk_pinyin_view_get(engine)->composing);
}

/* A three-character name the engine does not know comes out whole with
 * each homophone surname and with its other given names, among the first
 * five (许博文 was two choices away: 许, then 博文); choosing one commits
 * the whole name. */
static void test_whole_name_alternatives(void **state)
{
  kiosk_pinyin *engine = *state;
  assert_int_equal(kiosk_pinyin_set_mode(engine, KIOSK_PINYIN_NAMES), LOBBY_OK);
  expect_first(engine, "wanghaiyang", "\xe7\x8e\x8b\xe6\xb5\xb7\xe6\xb4\x8b"); /* 王海洋 */
  assert_true(find_in_first_five(engine, "\xe6\xb1\xaa\xe6\xb5\xb7\xe6\xb4\x8b") > 0); /* 汪海洋 */
  expect_first(engine, "gujiaming", "\xe9\xa1\xbe\xe5\x98\x89\xe6\x98\x8e"); /* 顾嘉明 */
  assert_true(find_in_first_five(engine, "\xe9\xa1\xbe\xe5\xae\xb6\xe6\x98\x8e") > 0); /* 顾家明 */
  expect_first(engine, "xubowen", "\xe5\xbe\x90\xe5\x8d\x9a\xe6\x96\x87"); /* 徐博文 */
  int at = find_in_first_five(engine, "\xe8\xae\xb8\xe5\x8d\x9a\xe6\x96\x87"); /* 许博文 */
  assert_true(at > 0);
  expect_kept_and_committed(engine, "\xe8\xae\xb8\xe5\x8d\x9a\xe6\x96\x87", at);
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  /* The engine's own parts after them still choose what they show. */
  type(engine, "xubowen");
  int part = find_candidate(engine, "\xe8\xae\xb8\xe6\xb3\xa2"); /* 许波 */
  assert_true(part > at);
  assert_int_equal(kiosk_pinyin_choose(engine, part, committed, sizeof committed), LOBBY_OK);
  assert_string_equal(committed, "");
  assert_true(strncmp(kiosk_pinyin_view_get(engine)->preedit, "\xe8\xae\xb8\xe6\xb3\xa2", 6) == 0);
  /* Once a part is chosen, or in a description, there are none. */
  assert_int_equal(find_candidate(engine, "\xe8\xae\xb8\xe6\xb3\xa2\xe6\x96\x87"), -1);
  assert_int_equal(kiosk_pinyin_set_mode(engine, KIOSK_PINYIN_TEXT), LOBBY_OK);
  type(engine, "xubowen");
  assert_int_equal(find_candidate(engine, "\xe8\xae\xb8\xe5\x8d\x9a\xe6\x96\x87"), -1);
}

/* Whether a candidate after the first on the current page is as long as
 * the first: a whole sentence. */
static bool page_has_second_sentence(const kiosk_pinyin *engine)
{
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  for (int i = 1; i < view->candidate_count; i++)
    if (utf8_chars(view->candidates[i]) == utf8_chars(view->candidates[0]))
      return true;
  return false;
}

/* A sentence that goes wrong in its first word (电梯厅在半层 for
 * "diantitingzaibanceng") comes with the sentences that start with the
 * first page's next parts: 电梯 and then the rest gives 电梯停在半层,
 * which was two choices away.  Choosing one commits it whole. */
static void test_sentence_alternatives(void **state)
{
  kiosk_pinyin *engine = *state;
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  expect_first(engine, "diantitingzaibanceng", "电梯厅在半层");
  int at = find_in_first_five(engine, "电梯停在半层");
  assert_true(at == 1 || at == 2);
  /* The engine's own parts follow them. */
  assert_true(find_in_first_five(engine, "电梯厅") > at);
  expect_kept_and_committed(engine, "电梯停在半层", at);
  char committed[KIOSK_PINYIN_COMMIT_CAP];

  /* A letter too many and a backspace give the same page again. */
  type(engine, "dengyizhishanx");
  assert_int_equal(kiosk_pinyin_key(engine, KIOSK_PINYIN_BACKSPACE), LOBBY_OK);
  assert_string_equal(view->candidates[0], "等一直闪");
  assert_true(find_in_first_five(engine, "灯一直闪") > 0);

  /* Once a part is chosen there are none: the rest is the engine's. */
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  type(engine, "diantitingzaibanceng");
  assert_int_equal(kiosk_pinyin_choose(engine, find_candidate(engine, "电梯厅"), committed,
                                       sizeof committed),
                   LOBBY_OK);
  assert_false(page_has_second_sentence(engine));
  /* Nor for input longer than a phrase of ten characters, where each
   * would cost the keystroke a translation of the whole rest. */
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  type(engine, "diantitingzaibancengqingkuailaiweixiuxiexie");
  assert_false(page_has_second_sentence(engine));
}

static bool refine(kiosk_pinyin *engine)
{
  bool changed = false;
  assert_int_equal(kiosk_pinyin_refine(engine, &changed), LOBBY_OK);
  return changed;
}

/* A sentence wrong in a later word gets, once the kiosk refines the page
 * when idle, the sentence with that word read otherwise among the first
 * five (收据补开 next to 收据不开, which the first-word
 * alternatives cannot reach).  Turning pages keeps it without refining
 * again; choosing it commits it whole; a wipe forgets it. */
static void test_later_word_alternatives(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "shoujubukai", "收据不开");
  assert_int_equal(find_in_first_five(engine, "收据补开"), -1);
  assert_true(kiosk_pinyin_refine_due(engine));
  assert_true(refine(engine));
  assert_false(kiosk_pinyin_refine_due(engine));
  int at = find_in_first_five(engine, "收据补开");
  assert_true(at > 0);
  assert_string_equal(kiosk_pinyin_view_get(engine)->candidates[0], "收据不开");
  assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_OK);
  assert_false(kiosk_pinyin_refine_due(engine));
  assert_int_equal(kiosk_pinyin_prev_page(engine), LOBBY_OK);
  assert_false(kiosk_pinyin_refine_due(engine));
  expect_kept_and_committed(engine, "收据补开", at);

  /* A key asks for them again; a single word has none. */
  type(engine, "weixi");
  assert_false(refine(engine));
  type(engine, "u");
  assert_true(kiosk_pinyin_refine_due(engine));
  assert_false(refine(engine));
  assert_int_equal(find_candidate(engine, "维修"), 0);

  /* A wipe forgets what was made: the same letters need refining. */
  assert_int_equal(kiosk_pinyin_wipe(engine), LOBBY_OK);
  type(engine, "shoujubukai");
  assert_int_equal(find_in_first_five(engine, "收据补开"), -1);
  assert_true(kiosk_pinyin_refine_due(engine));
  bool changed;
  assert_int_equal(kiosk_pinyin_refine(NULL, &changed), LOBBY_EINVAL);
  assert_int_equal(kiosk_pinyin_refine(engine, NULL), LOBBY_EINVAL);
}

/* The names in dir, sorted, joined by spaces. */
static void list_dir(const char *dir, char *out, size_t cap)
{
  struct dirent **names = NULL;
  int n = scandir(dir, &names, NULL, alphasort);
  assert_true(n >= 0);
  size_t len = 0;
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    if (names[i]->d_name[0] != '.')
      len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", len ? " " : "", names[i]->d_name);
    free(names[i]);
  }
  free(names);
  assert_true(len < cap);
}

/* A sentence librime gets wrong in a small word gets, once refined,
 * libpinyin's sentence among the first five (总建筑面积约 next to
 * librime's 总建筑面积月), which stays through paging and commits whole.
 * libpinyin's directory holds only the kiosk's user.conf after it. */
static void test_bigram_sentence_alternative(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "zongjianzhumianjiyue", "总建筑面积月");
  assert_int_equal(find_in_first_five(engine, "总建筑面积约"), -1);
  assert_true(refine(engine));
  int at = find_in_first_five(engine, "总建筑面积约");
  assert_true(at > 0);
  assert_string_equal(kiosk_pinyin_view_get(engine)->candidates[0], "总建筑面积月");
  expect_kept_and_committed(engine, "总建筑面积约", at);

  char dir[PATH_MAX], names[256];
  join(dir, sizeof dir, shared_user_dir, "libpinyin");
  list_dir(dir, names, sizeof names);
  assert_string_equal(names, "user.conf");
}

/* Without libpinyin's model the keyboard works as before, only without
 * the second opinion. */
static void test_without_bigram_model(void **state)
{
  (void)state;
  char empty[PATH_MAX];
  make_temp_dir(empty, sizeof empty, "no-bigram");
  kiosk_pinyin_paths paths = paths_for(KIOSK_PINYIN_SHARED_DIR, shared_user_dir);
  paths.bigram_data_dir = empty;
  kiosk_pinyin *engine = NULL;
  char why[KIOSK_PINYIN_WHY_CAP];
  assert_int_equal(kiosk_pinyin_open(&paths, &engine, NULL, why, sizeof why), LOBBY_OK);
  expect_first(engine, "zongjianzhumianjiyue", "总建筑面积月");
  (void)refine(engine);
  assert_int_equal(find_candidate(engine, "总建筑面积约"), -1);
  expect_first(engine, "shoujubukai", "收据不开");
  assert_true(refine(engine));
  assert_true(find_in_first_five(engine, "收据补开") > 0);
  kiosk_pinyin_close(engine);
  remove_tree(empty);
}

/* The page each key shows, as one line: candidates, then "|". */
static void record_pages(kiosk_pinyin *engine, const char *letters, bool refine_each, char *out, size_t cap)
{
  size_t n = 0;
  out[0] = '\0';
  for (const char *p = letters; *p; p++) {
    assert_int_equal(kiosk_pinyin_key(engine, *p), LOBBY_OK);
    const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
    for (int i = 0; i < view->candidate_count; i++)
      n += (size_t)snprintf(out + n, cap - n, "%s ", view->candidates[i]);
    n += (size_t)snprintf(out + n, cap - n, "|");
    assert_true(n < cap);
    if (refine_each)
      (void)refine(engine);
  }
  assert_int_equal(kiosk_pinyin_wipe(engine), LOBBY_OK);
}

/* Refining walks the sentence in the helper session and backs out; the
 * next key must find that session as it was, so every key's page is the
 * same whether or not the kiosk refined after the key before. */
static void test_refining_leaves_the_next_key_alone(void **state)
{
  kiosk_pinyin *engine = *state;
  static const char *const inputs[] = {"shoujubukai", "jianyichekuanzhuangpaifengshan",
                                       "loushangzhuangxiubawojiazhenliele"};
  static char refined[8192], plain[8192];
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    record_pages(engine, inputs[i], true, refined, sizeof refined);
    record_pages(engine, inputs[i], false, plain, sizeof plain);
    assert_string_equal(refined, plain);
  }
}

/* Everyday words and sentences come out as with Luna Pinyin alone,
 * including those whose homophone the vocabulary keeps behind them (一起
 * before 一期, 以为 before 异味), and a sentence that starts with 即使. */
static void test_ordinary_words_unchanged(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "women", "我们");
  expect_first(engine, "shijian", "时间");
  expect_first(engine, "xianzai", "现在");
  expect_first(engine, "yiqi", "一起");
  expect_first(engine, "woyiweitabulaile", "我以为他不来了");
  expect_first(engine, "jishishiwo", "即使是我");
}

/* Syllables Luna Pinyin spells: the codes of its dictionary's single
 * characters, sorted for bsearch. */
typedef struct {
  char (*items)[8];
  size_t count, cap;
} syllable_set;

static int compare_syllables(const void *a, const void *b)
{
  return strcmp(a, b);
}

static void load_luna_syllables(syllable_set *set)
{
  char path[PATH_MAX];
  join(path, sizeof path, KIOSK_PINYIN_SHARED_DIR, "luna_pinyin.dict.yaml");
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[512];
  bool body = false;
  while (fgets(line, sizeof line, f)) {
    if (!body) {
      body = strncmp(line, "...", 3) == 0;
      continue;
    }
    char *tab = strchr(line, '\t');
    if (!tab || line[0] == '#')
      continue;
    char *code = tab + 1;
    size_t len = strcspn(code, "\t\r\n");
    if (len == 0 || len >= sizeof set->items[0] || memchr(code, ' ', len))
      continue;
    if (set->count == set->cap) {
      set->cap = set->cap ? 2 * set->cap : 1024;
      set->items = realloc(set->items, set->cap * sizeof set->items[0]);
      assert_non_null(set->items);
    }
    memcpy(set->items[set->count], code, len);
    set->items[set->count++][len] = '\0';
  }
  fclose(f);
  qsort(set->items, set->count, sizeof set->items[0], compare_syllables);
}

static bool is_syllable(const syllable_set *syllables, const char *s)
{
  return bsearch(s, syllables->items, syllables->count, sizeof syllables->items[0],
                 compare_syllables) != NULL;
}

/* Joints of a code that librime discounts by 1e-10, which the dictionary
 * gives back as e10 on the weight: two neighbouring syllables that spell
 * one ("xiao qu an quan": qu + an = quan), charged to the syllable after
 * the joint, which an entry pays for only as its second or third syllable
 * and never as its last (tests/bench/pinyin/weigh_words.py says why). */
static long ambiguous_joints(const syllable_set *syllables, char *const *parts, size_t n)
{
  long joints = 0;
  for (size_t i = 1; n >= 3 && i <= 2 && i <= n - 2; i++) {
    char both[16];
    int len = snprintf(both, sizeof both, "%s%s", parts[i - 1], parts[i]);
    if (len > 0 && (size_t)len < sizeof syllables->items[0] && is_syllable(syllables, both))
      joints++;
  }
  return joints;
}

/* Every entry of the kiosk's dictionary is text<TAB>code<TAB>weight with
 * one syllable per character, each a syllable Luna Pinyin knows: the
 * compiler would take a misspelt one ("lue" for "lve") as a new syllable
 * and the word would never come up for what residents type.  The weight is
 * a positive integer, followed by e10 per ambiguous joint of the code and
 * only then. */
static void check_dictionary(const char *path)
{
  syllable_set syllables = { 0 };
  load_luna_syllables(&syllables);
  assert_true(syllables.count > 1000);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[512];
  bool body = false;
  int entries = 0, line_no = 0;
  while (fgets(line, sizeof line, f)) {
    line_no++;
    line[strcspn(line, "\r\n")] = '\0';
    if (!body) {
      body = strcmp(line, "...") == 0;
      continue;
    }
    if (line[0] == '\0' || line[0] == '#')
      continue;
    char *code = strchr(line, '\t');
    char *weight = code ? strchr(code + 1, '\t') : NULL;
    if (!code || !weight)
      fail_msg("line %d: not text<TAB>code<TAB>weight: %s", line_no, line);
    *code++ = '\0';
    *weight++ = '\0';
    char *end = NULL;
    long w = strtol(weight, &end, 10);
    long exponent = 0;
    if (*end == 'e' && end[1] >= '1' && end[1] <= '9')
      exponent = strtol(end + 1, &end, 10);
    /* librime reads the weight with boost::lexical_cast, which takes no
     * leading blank or sign. */
    if (weight[0] < '1' || weight[0] > '9' || w <= 0 || *end != '\0')
      fail_msg("line %d: weight %s is not a positive integer (with e10 per joint)", line_no,
               weight);
    size_t syllable_count = 0;
    char *parts[16];
    char *save = NULL;
    for (char *s = strtok_r(code, " ", &save); s; s = strtok_r(NULL, " ", &save)) {
      if (syllable_count < sizeof parts / sizeof parts[0])
        parts[syllable_count] = s;
      syllable_count++;
      if (!is_syllable(&syllables, s))
        fail_msg("line %d: %s: \"%s\" is no Luna Pinyin syllable", line_no, line, s);
    }
    /* Only the first three syllables can pay (parts holds them). */
    long joints = ambiguous_joints(&syllables, parts, syllable_count);
    if (exponent != 10 * joints)
      fail_msg("line %d: %s pays for %ld ambiguous joints, so its weight takes e%ld (none"
               " for 0), not %s (weigh_words.py --joints)", line_no, line, joints, 10 * joints,
               weight);
    if (syllable_count != utf8_chars(line))
      fail_msg("line %d: %s has %zu syllables for %zu characters", line_no, line, syllable_count,
               utf8_chars(line));
    entries++;
  }
  fclose(f);
  free(syllables.items);
  print_message("%s: %d entries\n", path, entries);
  assert_true(entries > 1000);
}

static void test_dictionary_entries_are_well_formed(void **state)
{
  (void)state;
  check_dictionary(KIOSK_TEST_SOURCE_DIR "/config/rime/lobby_pinyin.dict.yaml");
  check_dictionary(KIOSK_TEST_SOURCE_DIR "/config/rime/lobby_name.dict.yaml");
}

static void test_apostrophe_separates_syllables(void **state)
{
  kiosk_pinyin *engine = *state;
  expect_first(engine, "xi'an", "西安");
  assert_string_equal(kiosk_pinyin_view_get(engine)->preedit, "xi'an");
  /* A leading apostrophe is ignored rather than typed as punctuation. */
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  assert_int_equal(kiosk_pinyin_key(engine, '\''), LOBBY_OK);
  assert_false(kiosk_pinyin_view_get(engine)->composing);
}

/* ---- Keys ---- */

static void test_backspace_through_composition(void **state)
{
  kiosk_pinyin *engine = *state;
  type(engine, "weixiu");
  /* "we" is no syllable, so the engine shows it as two. */
  const char *expected[] = { "wei xi", "wei x", "wei", "w e", "w" };
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
    assert_int_equal(kiosk_pinyin_key(engine, KIOSK_PINYIN_BACKSPACE), LOBBY_OK);
    assert_true(view->composing);
    assert_string_equal(view->preedit, expected[i]);
    assert_true(view->candidate_count > 0);
  }
  assert_int_equal(kiosk_pinyin_key(engine, KIOSK_PINYIN_BACKSPACE), LOBBY_OK);
  assert_false(view->composing);
  assert_string_equal(view->preedit, "");
  assert_int_equal(view->candidate_count, 0);
  /* Nothing left: the kiosk deletes from its field instead. */
  assert_int_equal(kiosk_pinyin_key(engine, KIOSK_PINYIN_BACKSPACE), LOBBY_ENOTFOUND);
}

static void test_invalid_and_too_many_keys(void **state)
{
  kiosk_pinyin *engine = *state;
  assert_int_equal(kiosk_pinyin_key(engine, '1'), LOBBY_EINVAL);
  assert_int_equal(kiosk_pinyin_key(engine, ' '), LOBBY_EINVAL);
  assert_int_equal(kiosk_pinyin_key(engine, '\n'), LOBBY_EINVAL);
  assert_false(kiosk_pinyin_view_get(engine)->composing);
  /* Upper case is folded. */
  assert_int_equal(kiosk_pinyin_key(engine, 'W'), LOBBY_OK);
  assert_string_equal(kiosk_pinyin_view_get(engine)->preedit, "w");
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  for (int i = 0; i < KIOSK_PINYIN_INPUT_MAX / 2; i++) {
    assert_int_equal(kiosk_pinyin_key(engine, 'm'), LOBBY_OK);
    assert_int_equal(kiosk_pinyin_key(engine, 'a'), LOBBY_OK);
  }
  assert_int_equal(kiosk_pinyin_key(engine, 'm'), LOBBY_ETOOBIG);
  /* Backspace still works on a full composition. */
  assert_int_equal(kiosk_pinyin_key(engine, KIOSK_PINYIN_BACKSPACE), LOBBY_OK);
  assert_int_equal(kiosk_pinyin_key(engine, 'a'), LOBBY_OK);
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  assert_int_equal(kiosk_pinyin_choose(engine, 0, committed, sizeof committed), LOBBY_OK);
}

static void test_paging(void **state)
{
  kiosk_pinyin *engine = *state;
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  /* Nothing composed: no pages. */
  assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_ENOTFOUND);
  type(engine, "shi");
  assert_int_equal(view->page_no, 0);
  assert_false(view->last_page);
  assert_int_equal(view->candidate_count, 5);
  char first_page[5][KIOSK_PINYIN_CANDIDATE_CAP];
  memcpy(first_page, view->candidates, sizeof first_page);
  assert_int_equal(kiosk_pinyin_prev_page(engine), LOBBY_ENOTFOUND);

  assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_OK);
  assert_int_equal(view->page_no, 1);
  assert_true(view->candidate_count > 0);
  for (int i = 0; i < view->candidate_count; i++)
    for (int j = 0; j < 5; j++)
      assert_string_not_equal(view->candidates[i], first_page[j]);
  char second_first[KIOSK_PINYIN_CANDIDATE_CAP];
  memcpy(second_first, view->candidates[0], sizeof second_first);

  assert_int_equal(kiosk_pinyin_prev_page(engine), LOBBY_OK);
  assert_int_equal(view->page_no, 0);
  for (int j = 0; j < 5; j++)
    assert_string_equal(view->candidates[j], first_page[j]);

  /* Choosing on page 2 picks from that page. */
  assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_OK);
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  assert_int_equal(kiosk_pinyin_choose(engine, 0, committed, sizeof committed), LOBBY_OK);
  assert_string_equal(committed, second_first);
  assert_false(view->composing);

  /* A short list ends: "ceng" has five pages, "eng" one. */
  type(engine, "ceng");
  int pages = 0;
  while (!view->last_page && pages < 50) {
    assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_OK);
    pages++;
  }
  assert_int_equal(pages, 4);
  assert_int_equal(view->page_no, 4);
  assert_true(view->candidate_count > 0);
  assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_ENOTFOUND);
  assert_int_equal(view->page_no, 4);
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  type(engine, "eng");
  assert_true(view->last_page);
  assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_ENOTFOUND);
}

static void test_choose_whole_phrase(void **state)
{
  kiosk_pinyin *engine = *state;
  type(engine, "dianti");
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  assert_int_equal(kiosk_pinyin_choose(engine, 0, committed, sizeof committed), LOBBY_OK);
  assert_string_equal(committed, "电梯");
  assert_false(kiosk_pinyin_view_get(engine)->composing);
  /* Out of range, and a buffer too small to be safe. */
  type(engine, "dianti");
  assert_int_equal(kiosk_pinyin_choose(engine, 7, committed, sizeof committed), LOBBY_ENOTFOUND);
  assert_int_equal(kiosk_pinyin_choose(engine, -1, committed, sizeof committed), LOBBY_ENOTFOUND);
  char small[8];
  assert_int_equal(kiosk_pinyin_choose(engine, 0, small, sizeof small), LOBBY_EINVAL);
  assert_true(kiosk_pinyin_view_get(engine)->composing);
}

static void test_partial_commit(void **state)
{
  kiosk_pinyin *engine = *state;
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  type(engine, "weixiushuilongtou");
  int index = find_candidate_paging(engine, "维修");
  assert_true(index >= 0);
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  assert_int_equal(kiosk_pinyin_choose(engine, index, committed, sizeof committed), LOBBY_OK);
  /* Only part of the input was chosen: nothing is committed yet and the
   * rest is still being composed, behind the chosen part. */
  assert_string_equal(committed, "");
  assert_true(view->composing);
  assert_string_equal(view->preedit, "维修shui long tou");
  assert_int_equal(view->page_no, 0);
  assert_string_equal(view->candidates[0], "水龙头");
  assert_int_equal(kiosk_pinyin_choose(engine, 0, committed, sizeof committed), LOBBY_OK);
  assert_string_equal(committed, "维修水龙头");
  assert_false(view->composing);
  assert_int_equal(view->candidate_count, 0);
}

static void test_clear_commits_nothing(void **state)
{
  kiosk_pinyin *engine = *state;
  type(engine, "loushui");
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  assert_false(view->composing);
  assert_int_equal(view->candidate_count, 0);
  type(engine, "dianti");
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  assert_int_equal(kiosk_pinyin_choose(engine, 0, committed, sizeof committed), LOBBY_OK);
  assert_string_equal(committed, "电梯");
}

/* ---- Privacy ---- */

#define RARE_NAME_PINYIN "zhangwei"
#define RARE_NAME_PAGES 3

/* The first RARE_NAME_PAGES pages of candidates for RARE_NAME_PINYIN, one
 * string, '|' between candidates. */
static void candidates_for_name(kiosk_pinyin *engine, char *out, size_t cap)
{
  out[0] = '\0';
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  type(engine, RARE_NAME_PINYIN);
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  for (int page = 0; page < RARE_NAME_PAGES; page++) {
    for (int i = 0; i < view->candidate_count; i++) {
      size_t used = strlen(out);
      int n = snprintf(out + used, cap - used, "%s|", view->candidates[i]);
      assert_true(n > 0 && (size_t)n < cap - used);
    }
    if (page + 1 < RARE_NAME_PAGES)
      assert_int_equal(kiosk_pinyin_next_page(engine), LOBBY_OK);
  }
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
}

/* The least likely whole-name candidate on the first page (仗卫 for
 * "zhangwei" rather than 张伟): what a learning engine would promote. */
static void pick_rare_name(kiosk_pinyin *engine, char *name, size_t cap)
{
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
  type(engine, RARE_NAME_PINYIN);
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  int rare = -1;
  for (int i = 1; i < view->candidate_count; i++)
    if (utf8_chars(view->candidates[i]) == 2)
      rare = i;
  assert_true(rare > 0);
  assert_true(strlen(view->candidates[rare]) < cap);
  memcpy(name, view->candidates[rare], strlen(view->candidates[rare]) + 1);
  assert_int_equal(kiosk_pinyin_clear(engine), LOBBY_OK);
}

static void commit_name(kiosk_pinyin *engine, const char *name)
{
  type(engine, RARE_NAME_PINYIN);
  int index = find_candidate_paging(engine, name);
  assert_true(index >= 0);
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  assert_int_equal(kiosk_pinyin_choose(engine, index, committed, sizeof committed), LOBBY_OK);
  assert_string_equal(committed, name);
  assert_false(kiosk_pinyin_view_get(engine)->composing);
}

static bool file_contains(const char *path, const char *needle)
{
  char *text = NULL;
  size_t len = 0;
  if (lobby_fs_read_all(path, 64 * 1024 * 1024, &text, &len) != LOBBY_OK)
    return false;
  size_t needle_len = strlen(needle);
  bool found = false;
  for (size_t i = 0; !found && i + needle_len <= len; i++)
    found = memcmp(text + i, needle, needle_len) == 0;
  free(text);
  return found;
}

static const char *privacy_needle;
static int privacy_violations;

static int check_no_user_data(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)ftw;
  if (strstr(path, ".userdb") != NULL) {
    print_error("user dictionary on disk: %s\n", path);
    privacy_violations++;
  }
  /* Compiled dictionaries under build/ hold every word by design; what
   * must not hold typed text is everything else: logs, user.yaml, and
   * any database librime might have created. */
  if (flag == FTW_F && S_ISREG(st->st_mode) && strstr(path, "/build/") == NULL &&
      file_contains(path, privacy_needle)) {
    print_error("typed text found in %s\n", path);
    privacy_violations++;
  }
  return 0;
}

static void test_privacy_nothing_learnt(void **state)
{
  (void)state;
  char fresh[4096], after_wipe[4096], after_restart[4096], name[KIOSK_PINYIN_COMMIT_CAP];
  char user_dir[PATH_MAX];
  make_temp_dir(user_dir, sizeof user_dir, "privacy");
  kiosk_pinyin_paths paths = paths_for(KIOSK_PINYIN_SHARED_DIR, user_dir);
  char why[KIOSK_PINYIN_WHY_CAP];
  kiosk_pinyin *engine = NULL;
  assert_int_equal(kiosk_pinyin_open(&paths, &engine, NULL, why, sizeof why), LOBBY_OK);

  candidates_for_name(engine, fresh, sizeof fresh);
  /* One resident types and commits an unusual name, three times to be
   * sure a learning engine would have promoted it. */
  pick_rare_name(engine, name, sizeof name);
  for (int i = 0; i < 3; i++)
    commit_name(engine, name);
  print_message("committed %s; fresh order: %.60s...\n", name, fresh);
  assert_int_equal(kiosk_pinyin_wipe(engine), LOBBY_OK);
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  assert_false(view->composing);
  assert_string_equal(view->preedit, "");

  /* The next resident sees exactly the order a fresh engine shows. */
  candidates_for_name(engine, after_wipe, sizeof after_wipe);
  assert_string_equal(after_wipe, fresh);
  kiosk_pinyin_close(engine);

  /* Nor does a restart bring the name back... */
  assert_int_equal(kiosk_pinyin_open(&paths, &engine, NULL, why, sizeof why), LOBBY_OK);
  candidates_for_name(engine, after_restart, sizeof after_restart);
  assert_string_equal(after_restart, fresh);
  kiosk_pinyin_close(engine);

  /* ...and nothing on disk holds it: no user dictionary, no log line. */
  privacy_needle = name;
  privacy_violations = 0;
  nftw(user_dir, check_no_user_data, 16, FTW_PHYS);
  assert_int_equal(privacy_violations, 0);
  remove_tree(user_dir);
}

static void test_wipe_resets_session(void **state)
{
  kiosk_pinyin *engine = *state;
  type(engine, "weixiushuilongtou");
  char committed[KIOSK_PINYIN_COMMIT_CAP];
  assert_int_equal(kiosk_pinyin_choose(engine, find_candidate_paging(engine, "维修"), committed,
                                       sizeof committed),
                   LOBBY_OK);
  assert_int_equal(kiosk_pinyin_wipe(engine), LOBBY_OK);
  const kiosk_pinyin_view *view = kiosk_pinyin_view_get(engine);
  assert_false(view->composing);
  assert_int_equal(view->candidate_count, 0);
  /* The chosen 维修 is gone with the old session. */
  type(engine, "dianti");
  assert_string_equal(view->preedit, "dian ti");
  assert_int_equal(kiosk_pinyin_choose(engine, 0, committed, sizeof committed), LOBBY_OK);
  assert_string_equal(committed, "电梯");
}

/* ---- Start-up, deployment and broken data ---- */

static void test_deploys_once(void **state)
{
  (void)state;
  char user_dir[PATH_MAX];
  make_temp_dir(user_dir, sizeof user_dir, "deploy");
  kiosk_pinyin_paths paths = paths_for(KIOSK_PINYIN_SHARED_DIR, user_dir);
  char why[KIOSK_PINYIN_WHY_CAP];
  kiosk_pinyin_open_info info;
  kiosk_pinyin *engine = NULL;

  assert_int_equal(kiosk_pinyin_open(&paths, &engine, &info, why, sizeof why), LOBBY_OK);
  assert_true(info.deployed);
  assert_true(info.deploy_ms > 0);
  kiosk_pinyin_close(engine);

  assert_int_equal(kiosk_pinyin_open(&paths, &engine, &info, why, sizeof why), LOBBY_OK);
  assert_false(info.deployed);
  assert_true(info.deploy_ms == 0);
  kiosk_pinyin_close(engine);

  /* Deployed data damaged since: the stamp still matches, the start-up
   * probe fails, and open deploys again by itself. */
  char schema[PATH_MAX];
  join(schema, sizeof schema, user_dir, "build/lobby_pinyin.schema.yaml");
  assert_int_equal(lobby_fs_write_atomic(schema, "schema: [", 9), LOBBY_OK);
  assert_int_equal(kiosk_pinyin_open(&paths, &engine, &info, why, sizeof why), LOBBY_OK);
  assert_true(info.deployed);
  kiosk_pinyin_close(engine);
  remove_tree(user_dir);
}

static void test_one_engine_at_a_time(void **state)
{
  (void)state;
  kiosk_pinyin *first = open_shared();
  kiosk_pinyin_paths paths = paths_for(KIOSK_PINYIN_SHARED_DIR, shared_user_dir);
  kiosk_pinyin *second = NULL;
  char why[KIOSK_PINYIN_WHY_CAP];
  assert_int_equal(kiosk_pinyin_open(&paths, &second, NULL, why, sizeof why), LOBBY_ECONFLICT);
  assert_null(second);
  kiosk_pinyin_close(first);
}

static void test_missing_data_fails_cleanly(void **state)
{
  (void)state;
  char empty[PATH_MAX], user_dir[PATH_MAX];
  make_temp_dir(empty, sizeof empty, "empty");
  make_temp_dir(user_dir, sizeof user_dir, "user-missing");
  kiosk_pinyin_paths paths = paths_for(empty, user_dir);
  kiosk_pinyin *engine = (kiosk_pinyin *)&paths; /* must be reset to NULL */
  char why[KIOSK_PINYIN_WHY_CAP];
  assert_int_equal(kiosk_pinyin_open(&paths, &engine, NULL, why, sizeof why), LOBBY_ENOTFOUND);
  assert_null(engine);
  assert_non_null(strstr(why, "missing"));
  print_message("status area would show: %s\n", why);

  /* Missing kiosk configuration, and no directories at all. */
  paths = paths_for(KIOSK_PINYIN_SHARED_DIR, user_dir);
  paths.kiosk_config_dir = empty;
  assert_int_equal(kiosk_pinyin_open(&paths, &engine, NULL, why, sizeof why), LOBBY_ENOTFOUND);
  assert_null(engine);
  assert_true(why[0] != '\0');
  assert_int_equal(kiosk_pinyin_open(NULL, &engine, NULL, why, sizeof why), LOBBY_EINVAL);

  /* The real data still opens afterwards in the same process. */
  kiosk_pinyin_close(open_shared());
  remove_tree(empty);
  remove_tree(user_dir);
}

/* Symbolic links in dir to every entry of from, except build/ (made a
 * directory of links in turn) when copying the top level. */
static void link_entries(const char *from, const char *dir, bool top_level)
{
  DIR *d = opendir(from);
  assert_non_null(d);
  struct dirent *entry;
  while ((entry = readdir(d)) != NULL) {
    if (entry->d_name[0] == '.')
      continue;
    char source[PATH_MAX], link[PATH_MAX];
    join(source, sizeof source, from, entry->d_name);
    join(link, sizeof link, dir, entry->d_name);
    if (top_level && strcmp(entry->d_name, "build") == 0) {
      assert_int_equal(mkdir(link, 0700), 0);
      link_entries(source, link, false);
    } else {
      assert_int_equal(symlink(source, link), 0);
    }
  }
  closedir(d);
}

/* A copy of the shared data, as symbolic links, with one file replaced. */
static void make_shared_copy(char *dir, size_t cap, const char *replace, const char *content,
                             size_t content_len)
{
  make_temp_dir(dir, cap, "broken-shared");
  link_entries(KIOSK_PINYIN_SHARED_DIR, dir, true);
  char path[PATH_MAX];
  join(path, sizeof path, dir, replace);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(lobby_fs_write_atomic(path, content, content_len), LOBBY_OK);
}

/* Returns the reason open gave (valid until the next call). */
static const char *expect_broken_data_fails(const char *replace, const char *content,
                                            size_t content_len)
{
  char shared[PATH_MAX], user_dir[PATH_MAX];
  make_shared_copy(shared, sizeof shared, replace, content, content_len);
  make_temp_dir(user_dir, sizeof user_dir, "user-broken");
  kiosk_pinyin_paths paths = paths_for(shared, user_dir);
  kiosk_pinyin *engine = NULL;
  static char why[KIOSK_PINYIN_WHY_CAP];
  lobby_err err = kiosk_pinyin_open(&paths, &engine, NULL, why, sizeof why);
  print_message("%s replaced: %s: %s\n", replace, lobby_strerror(err), why);
  assert_int_equal(err, LOBBY_EIO);
  assert_null(engine);
  assert_true(why[0] != '\0');
  remove_tree(shared);
  remove_tree(user_dir);
  return why;
}

static void test_broken_data_fails_cleanly(void **state)
{
  (void)state;
  const char *bad_yaml = "schema: [ not yaml\n";
  expect_broken_data_fails("luna_pinyin_simp.schema.yaml", bad_yaml, strlen(bad_yaml));
  const char *empty_dict = "---\nname: luna_pinyin\nversion: \"0\"\n...\n";
  expect_broken_data_fails("luna_pinyin.dict.yaml", empty_dict, strlen(empty_dict));
  /* A word that is not UTF-8, offered for the start-up probe's pinyin,
   * makes the simplifier (OpenCC) throw an exception librime does not
   * catch, and the process aborts; open must report it, not take the
   * kiosk down with it. */
  const char *not_utf8 = "---\nname: luna_pinyin\nversion: \"0\"\n...\n\xff\xfe\twei xiu\t100\n";
  const char *why = expect_broken_data_fails("luna_pinyin.dict.yaml", not_utf8, strlen(not_utf8));
  assert_non_null(strstr(why, "crashes librime"));
  kiosk_pinyin_close(open_shared());
}

/* The dictionary compiled into the user directory damaged, as a power cut
 * while deploying could leave it: the start-up probe fails, and the fresh
 * deployment that follows compiles it again rather than reading it (which
 * would abort librime). */
static void test_damaged_compiled_dictionary_is_rebuilt(void **state)
{
  (void)state;
  char user_dir[PATH_MAX];
  make_temp_dir(user_dir, sizeof user_dir, "damaged");
  kiosk_pinyin_paths paths = paths_for(KIOSK_PINYIN_SHARED_DIR, user_dir);
  char why[KIOSK_PINYIN_WHY_CAP];
  kiosk_pinyin_open_info info;
  kiosk_pinyin *engine = NULL;
  assert_int_equal(kiosk_pinyin_open(&paths, &engine, &info, why, sizeof why), LOBBY_OK);
  kiosk_pinyin_close(engine);

  char table[PATH_MAX];
  join(table, sizeof table, user_dir, "build/lobby_pinyin.table.bin");
  char *bytes = NULL;
  size_t len = 0;
  assert_int_equal(lobby_fs_read_all(table, 64 * 1024 * 1024, &bytes, &len), LOBBY_OK);
  assert_int_equal(lobby_fs_write_atomic(table, bytes, len / 100), LOBBY_OK);
  free(bytes);

  lobby_err err = kiosk_pinyin_open(&paths, &engine, &info, why, sizeof why);
  if (err != LOBBY_OK)
    fail_msg("open with a damaged compiled table: %s: %s", lobby_strerror(err), why);
  assert_true(info.deployed);
  expect_first(engine, "baoxiu", "报修");
  kiosk_pinyin_close(engine);
  remove_tree(user_dir);
}

/* ---- Opening in two steps, as the windowed kiosk does ---- */

typedef struct {
  kiosk_pinyin_paths paths;
  kiosk_pinyin_check check;
  int cancel_fd;
  kiosk_pinyin *engine;
  lobby_err err;
  char why[KIOSK_PINYIN_WHY_CAP];
} opener_job;

static void *opener_thread(void *data)
{
  opener_job *job = data;
  job->err = kiosk_pinyin_open_checked(&job->paths, &job->check, job->cancel_fd, &job->engine,
                                       NULL, job->why, sizeof job->why);
  return NULL;
}

/* The child is reaped: waiting for it again finds no such child. */
static void assert_reaped(pid_t pid)
{
  assert_true(pid > 0);
  assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
  assert_int_equal(errno, ECHILD);
}

static void test_check_then_open_on_a_worker(void **state)
{
  (void)state;
  opener_job job = { .paths = paths_for(KIOSK_PINYIN_SHARED_DIR, shared_user_dir), .cancel_fd = -1 };
  assert_int_equal(kiosk_pinyin_check_start(&job.paths, &job.check, job.why, sizeof job.why), LOBBY_OK);
  pid_t child = job.check.pid;
  pthread_t worker;
  assert_int_equal(pthread_create(&worker, NULL, opener_thread, &job), 0);
  assert_int_equal(pthread_join(worker, NULL), 0);
  if (job.err != LOBBY_OK)
    fail_msg("open on a worker: %s: %s", lobby_strerror(job.err), job.why);
  assert_reaped(child);
  assert_int_equal(job.check.pid, 0);
  /* Opened on the worker, used here. */
  expect_first(job.engine, "weixiu", "维修");
  kiosk_pinyin_close(job.engine);
}

static void test_cancel_stops_waiting_for_the_check(void **state)
{
  (void)state;
  char user_dir[PATH_MAX];
  make_temp_dir(user_dir, sizeof user_dir, "cancel");
  int cancel[2];
  assert_int_equal(pipe(cancel), 0);
  opener_job job = { .paths = paths_for(KIOSK_PINYIN_SHARED_DIR, user_dir), .cancel_fd = cancel[0] };
  /* A fresh directory: the child has a deployment to do, so the cancel
   * arrives while it works. */
  assert_int_equal(kiosk_pinyin_check_start(&job.paths, &job.check, job.why, sizeof job.why), LOBBY_OK);
  pid_t child = job.check.pid;
  assert_int_equal(write(cancel[1], "x", 1), 1);
  opener_thread(&job);
  assert_int_equal(job.err, LOBBY_ECONFLICT);
  assert_null(job.engine);
  assert_non_null(strstr(job.why, "cancelled"));
  assert_reaped(child);
  close(cancel[0]);
  close(cancel[1]);
  /* Nothing was left open: the next engine opens. */
  kiosk_pinyin_close(open_shared());
  remove_tree(user_dir);
}

static void test_abandoned_check_is_reaped(void **state)
{
  (void)state;
  kiosk_pinyin_paths paths = paths_for(KIOSK_PINYIN_SHARED_DIR, shared_user_dir);
  kiosk_pinyin_check check;
  char why[KIOSK_PINYIN_WHY_CAP];
  assert_int_equal(kiosk_pinyin_check_start(&paths, &check, why, sizeof why), LOBBY_OK);
  pid_t child = check.pid;
  kiosk_pinyin_check_abandon(&check);
  assert_int_equal(check.pid, 0);
  assert_int_equal(check.fd, -1);
  assert_reaped(child);
  kiosk_pinyin_check_abandon(&check); /* finished: left alone */
  kiosk_pinyin_close(open_shared());
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_phrases_in_simplified_characters, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_sentence, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_property_words_come_first, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_document_words_come_first, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_words_across_ambiguous_joints, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_surname_readings, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_name_mode, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_whole_name_alternatives, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_sentence_alternatives, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_later_word_alternatives, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_bigram_sentence_alternative, engine_setup, engine_teardown),
    cmocka_unit_test(test_without_bigram_model),
    cmocka_unit_test_setup_teardown(test_refining_leaves_the_next_key_alone, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_ordinary_words_unchanged, engine_setup, engine_teardown),
    cmocka_unit_test(test_dictionary_entries_are_well_formed),
    cmocka_unit_test_setup_teardown(test_apostrophe_separates_syllables, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_backspace_through_composition, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_invalid_and_too_many_keys, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_paging, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_choose_whole_phrase, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_partial_commit, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_clear_commits_nothing, engine_setup, engine_teardown),
    cmocka_unit_test_setup_teardown(test_wipe_resets_session, engine_setup, engine_teardown),
    cmocka_unit_test(test_privacy_nothing_learnt),
    cmocka_unit_test(test_deploys_once),
    cmocka_unit_test(test_one_engine_at_a_time),
    cmocka_unit_test(test_missing_data_fails_cleanly),
    cmocka_unit_test(test_broken_data_fails_cleanly),
    cmocka_unit_test(test_damaged_compiled_dictionary_is_rebuilt),
    cmocka_unit_test(test_check_then_open_on_a_worker),
    cmocka_unit_test(test_cancel_stops_waiting_for_the_check),
    cmocka_unit_test(test_abandoned_check_is_reaped),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
