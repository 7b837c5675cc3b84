#!/usr/bin/env python3
"""Writes the entries of config/rime/lobby_name.dict.yaml, the dictionary of
the kiosk's name fields, from the lists below; the file's header (up to its
"..." line) explains the weights and is kept as it is.  Also writes
lobby_surnames.txt beside it: the surnames with their readings, commonest
first, from which the kiosk offers a whole name with each homophone surname
(许博文 next to 徐博文; src/kiosk/input/name_alternatives.h).

    python3 tests/bench/pinyin/name_dict.py [config/rime/lobby_name.dict.yaml]

A character's reading is its commonest one in Luna Pinyin's compiled table
(Debian's rime-data-luna-pinyin), unless SURNAME_READINGS or GIVEN_READINGS
say otherwise: the table's simplified characters often carry the reading of
another traditional one (叶 as xie, 乔 as jiao).  Standard library only.
"""
import math
import sys

TABLE = "/usr/share/rime-data/build/luna_pinyin.table.txt"
# Surnames, most common first (2020-ish household register ranking, approx.).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤洪赖"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由丘钮"
)
SURNAME_READINGS = {
    "叶": "ye", "陆": "lu", "汤": "tang", "齐": "qi", "乔": "qiao", "庄": "zhuang", "关": "guan",
    "裴": "pei", "芦": "lu", "荣": "rong", "厉": "li", "权": "quan",
    "单": "shan", "曾": "zeng", "仇": "qiu", "解": "xie", "区": "ou", "查": "zha", "朴": "piao",
    "盖": "ge", "乐": "yue", "缪": "miao", "覃": "qin", "翟": "zhai", "尉": "wei", "万": "wan",
    "薄": "bo", "华": "hua", "任": "ren", "燕": "yan", "纪": "ji", "曲": "qu", "宿": "su",
    "谌": "chen", "冼": "xian", "阚": "kan", "句": "gou", "长": "chang", "种": "chong",
    "召": "shao", "折": "she", "员": "yun", "那": "na", "相": "xiang", "都": "du", "和": "he",
    "盛": "sheng", "卜": "bu", "柏": "bai", "贾": "jia", "石": "shi", "沈": "shen", "朝": "chao",
    "繁": "po", "秘": "bi", "过": "guo", "么": "yao", "藏": "zang", "重": "chong", "能": "nai",
    "隗": "wei", "亓": "qi", "嵇": "ji", "於": "yu", "干": "gan", "但": "dan", "冶": "ye",
    "阿": "a", "乌": "wu", "哈": "ha", "呼": "hu", "居": "ju", "揭": "jie", "信": "xin",
    "展": "zhan", "阴": "yin", "昝": "zan", "行": "xing", "降": "xiang", "占": "zhan",
    "参": "can", "应": "ying", "宁": "ning", "强": "qiang", "传": "chuan", "教": "jiao",
    "蔺": "lin", "佘": "she", "逯": "lu", "鲜": "xian", "战": "zhan",
}
COMPOUND_SURNAMES = [
    ("欧阳", "ou yang"), ("司马", "si ma"), ("诸葛", "zhu ge"), ("上官", "shang guan"),
    ("东方", "dong fang"), ("皇甫", "huang fu"), ("尉迟", "yu chi"), ("公孙", "gong sun"),
    ("慕容", "mu rong"), ("令狐", "ling hu"), ("长孙", "zhang sun"), ("宇文", "yu wen"),
    ("夏侯", "xia hou"), ("司徒", "si tu"), ("司空", "si kong"), ("端木", "duan mu"),
    ("南宫", "nan gong"), ("轩辕", "xuan yuan"), ("独孤", "du gu"), ("呼延", "hu yan"),
    ("澹台", "tan tai"), ("公羊", "gong yang"), ("申屠", "shen tu"), ("钟离", "zhong li"),
    ("濮阳", "pu yang"), ("闻人", "wen ren"), ("万俟", "mo qi"), ("单于", "chan yu"),
    ("太史", "tai shi"), ("赫连", "he lian"), ("拓跋", "tuo ba"), ("第五", "di wu"),
    ("左丘", "zuo qiu"), ("东郭", "dong guo"), ("百里", "bai li"), ("梁丘", "liang qiu"),
    ("乐正", "yue zheng"), ("公冶", "gong ye"), ("宗政", "zong zheng"), ("巫马", "wu ma"),
    ("漆雕", "qi diao"), ("谷梁", "gu liang"), ("西门", "xi men"),
]

# Given-name characters in three bands of how often they occur in given
# names; within a band, a syllable's characters are listed likelier first.
GIVEN_BAND_1 = (
    "英华玉秀明珍文芳兰国丽红金伟云海建平志军梅燕霞凤春敏静杰强永勇林军生荣桂琴涛波辉刚峰磊鹏洋超亮俊丹娟婷佳"
    "欣怡雨宇浩子涵轩萱晨思嘉琪晓小雪慧颖丽娜玲新宏振东德福成飞龙"
)
GIVEN_BAND_2 = (
    "淑素彩翠菊莲兰花香秋月冬雁琳瑶婉妍悦梦雅诗语彤晴蕾薇菲蓉倩媛茜瑞巧莉萍洁琼珠贞凤娇艳霞"
    "斌彬博晖昊皓宸泽睿铭锐哲杰凯航翔旭鑫楠栋梁森松柏山川江河湖海峻骏钧君健康宁安然逸一诺依可馨"
    "国庆立民利力学武兴旺发财贵祥顺义仁忠孝良善广庆春雷电光耀华中华家建设卫东红兵胜利跃进抗援朝"
    "晓璐露蓓芸苗叶青清晶婧静菁妮娅姗珊琦瑾岚芷淇熙晗瑜钰沐锦宣若汐苒芊知予煜烨霖逸梓紫奕"
    "辰琛昌达远航鸿宏志伟豪毅诚信祥瑞泰升腾继承绍亚彦文武斌"
)
GIVEN_BAND_3 = (
    "莺娥姣娴婵蝶霓裳黛翠苹芹菁蕊芮薰岩峦崇嵩钦铎锋钢镇银铁栋桐桦枫桥楷槐樟璋琮珏瑛璇琰璟瑄玥玮炜烽炳焕灿"
    "煊熠燚垚鑫淼森磊犇晶赫奕弈翊羿翼飒飘帆凡帆舟舸楫远征途程谦让恭俭让敬德仲伯叔季孟"
)
# Readings where a name character's usual reading is not its commonest one.
GIVEN_READINGS = {"荣": "rong", "洁": "jie", "学": "xue", "义": "yi", "广": "guang", "胜": "sheng",
                  "叶": "ye", "煊": "xuan", "燚": "yi", "业": "ye", "权": "quan", "齐": "qi", "儿": "er","乐": "le", "茜": "qian", "朝": "chao", "长": "chang", "重": "zhong", "单": "dan",
                  "曾": "ceng", "仇": "chou", "解": "jie", "查": "cha", "朴": "pu", "盖": "gai",
                  "燕": "yan", "华": "hua", "柏": "bai", "石": "shi", "行": "xing", "都": "du",
                  "和": "he", "盛": "sheng", "强": "qiang", "宁": "ning", "应": "ying", "传": "chuan",
                  "万": "wan", "纪": "ji", "曲": "qu", "任": "ren", "薄": "bo", "沈": "shen",
                  "贾": "jia", "相": "xiang", "员": "yuan", "卜": "bu", "折": "zhe", "种": "zhong",
                  "召": "zhao", "那": "na", "宿": "su"}
# Common two-character given names, of every generation.
GIVEN_WORDS = """
秀英 桂英 秀兰 玉兰 桂兰 秀珍 秀云 秀芳 秀华 淑珍 淑英 淑兰 凤英 玉梅 红梅 春梅 冬梅 玉珍 玉英 玉华 桂芳 桂珍 金凤 凤兰 翠花 秀梅 秀荣 玉芳 玉琴 玉凤 玉霞
淑华 淑芬 淑琴 淑贞 淑敏 淑云 丽华 丽娟 丽萍 丽君 丽娜 丽丽 丽霞 丽红 丽芳 丽珍 美华 美玲 美兰 美英 美琴 美珍 美娟 美霞 慧敏 慧娟 慧芳 慧玲 慧琴
海燕 海霞 海英 海涛 海波 海峰 海龙 海军 海洋 海鹰 海明 海滨 海林 海东 海平 海生 海清 春华 春兰 春花 春燕 春霞 春生 春林 春明 春雷 春芳 秋菊 秋月 秋霞 秋云 秋生
建国 建华 建军 建平 建明 建新 建伟 建中 建林 建设 建成 建强 建忠 建民 建波 建勇 建刚 建业 建峰 建东 建文 国强 国华 国庆 国平 国栋 国良 国明 国忠 国伟 国权 国安 国荣 国胜 国斌 国清 国辉 国峰
志强 志明 志刚 志勇 志伟 志军 志华 志国 志平 志远 志宏 志鹏 志成 志文 志新 志超 志坚 志红 立新 立民 立国 立军 立平 立华 立伟 立明 立强 立群 立红 振华 振国 振东 振兴 振宇 振江
卫东 卫国 卫平 卫华 卫红 卫民 红兵 红军 红梅 红霞 红英 红艳 红玲 红燕 红星 永强 永红 永刚 永明 永华 永生 永胜 永平 永杰 永军 永林 永新 永祥 文华 文明 文斌 文杰 文军 文静 文涛 文龙 文博 文轩
德华 德明 德胜 德福 德才 德林 德兴 德生 德强 德荣 福生 福林 福田 福来 金华 金龙 金生 金花 金兰 金山 金明 金凤 宝华 宝林 宝山 宝玉 宝生 宝珠 玉林 玉山 玉成 玉龙 玉明 玉洁 玉婷
俊杰 俊峰 俊辉 俊宇 俊豪 俊熙 俊凯 俊涛 俊伟 子涵 子轩 子豪 子怡 子墨 子琪 子萱 子健 子航 子杰 子骞 梓涵 梓轩 梓萱 梓豪 梓睿 梓琪 梓晨 欣怡 欣妍 欣然 欣悦 欣雨 雨涵 雨轩 雨欣 雨桐 雨萱 雨辰 雨婷 雨晴 雨泽
浩然 浩宇 浩轩 浩天 浩洋 浩南 浩东 浩文 宇轩 宇航 宇豪 宇辰 宇泽 宇杰 宇飞 宇涵 宇恒 一鸣 一帆 一诺 一凡 一航 一博 一涵 一然 思远 思彤 思琪 思雨 思涵 思源 思颖 思佳 思怡 思宇 思齐
雅婷 雅琪 雅静 雅楠 雅雯 雅丽 雅琴 雅欣 雅涵 梦瑶 梦琪 梦洁 梦婷 梦雪 梦涵 梦瑾 婉清 婉婷 婉儿 晓琳 晓丽 晓雯 晓燕 晓红 晓东 晓明 晓峰 晓军 晓辉 晓梅 晓敏 晓婷 晓晴 晓宇 晓光 晓龙 晓华 晓霞 晓静 晓芳 晓玲
若兰 若曦 若彤 若涵 若晴 雨薇 佳怡 佳琪 佳颖 佳慧 佳乐 佳豪 佳宁 佳欣 佳伟 嘉欣 嘉怡 嘉琪 嘉豪 嘉乐 嘉慧 嘉伟 嘉明 嘉诚 嘉宇 家明 家豪 家伟 家辉 家乐 家俊 家琪 家欣 明辉 明杰 明亮 明轩 明华 明强 明浩 明远 明月 明珠 明霞
鹏飞 鹏程 鹏辉 鹏宇 鹏涛 云飞 云龙 云峰 云霞 云鹏 云海 云芳 云华 云秀 桂香 桂花 桂荣 桂珍 桂云 桂林 丽丽 小雨 小红 小燕 小梅 小明 小龙 小军 小伟 小芳 小丽 小兰 小英 小娟 小华 小玲 小平 小东 小虎 小琴 小霞
梓萱 思彤 慧琳 晓琳 雪梅 雪莲 雪琴 雪芳 雪峰 雪松 雪婷 雪晴 雪丽 雪儿 冰冰 冰洁 冰心 静怡 静雯 静宜 静茹 静文 婧怡 婧雯 淑慧 淑婷 慧玲 慧芬 慧珍 秀丽 秀玲 秀娟 秀清 秀霞 秀凤 秀琴 秀珠 秀红
咏梅 傲雪 傲天 凌云 凌霄 凌峰 天宇 天佑 天明 天琪 天翔 天浩 天成 天华 天赐 天乐 天一 天骄 博文 博涛 博宇 博远 博轩 博超 志豪 振宇 泽宇 泽华 泽明 泽民 泽林 泽轩 泽楷 睿泽 睿哲 睿杰 睿博 皓轩 皓宇 昊天 昊然 昊宇
海洋 江涛 江华 江波 江峰 江平 江南 长江 长青 长生 长林 长春 长庚 长海 长明 长征 长胜 长荣 长安 长发 长顺 长寿 长福
建伟 伟强 伟明 伟华 伟东 伟杰 伟民 伟国 伟平 伟峰 伟军 伟涛 伟光 伟林 军华 军伟 军强 军民 军平 军辉 刚强 勇军 勇强 勇刚 勇敢 新华 新民 新宇 新明 新生 新建 新春 新平 新国 新军 新华 新月
丹丹 婷婷 倩倩 晶晶 莹莹 欢欢 乐乐 笑笑 悦悦 楠楠 琳琳 娜娜 露露 璐璐 萌萌 甜甜 佳佳 菲菲 芳芳 燕燕 玲玲 红红 亮亮 磊磊 强强 明明 东东 洋洋 阳阳 鑫鑫 浩浩 涛涛 龙龙 飞飞 豆豆 果果 贝贝 晨晨 宁宁 欣欣 妞妞
国栋 振东 春生 晓琳 建平 若兰 雨桐 海洋 晓丽 咏梅 雅婷 秀珠 家明 明辉 雨辰 晓雯 玉梅 国栋 立民 春梅 嘉欣 永强 鹏飞 秀云 丽丽 小雨 梓萱 思彤 桂兰 慧敏 美玲 婉清 一帆 欣怡 子涵 志强 凤英 浩然 一鸣 思远 梦瑶 博文
丽君 丽珠 丽清 丽琴 丽梅 丽霞 丽英 丽艳 丽莉 丽敏 丽芬 艳红 艳华 艳丽 艳芳 艳玲 艳霞 艳梅 艳秋 艳萍 艳春 艳平 丽平 萍萍 平平 秀平 玉平 和平 太平 安平 建英 桂英 爱华 爱国 爱民 爱军 爱玲 爱萍 爱琴 爱莲
宏伟 宏亮 宏宇 宏图 宏杰 宏斌 宏刚 宏达 宏远 宏涛 洪涛 洪波 洪亮 洪伟 鸿飞 鸿宇 鸿涛 鸿儒 鸿博 鑫磊 鑫宇 鑫源 鑫涛 磊磊 晨曦 晨阳 晨宇 晨光 晨轩 辰逸 逸飞 逸凡 逸轩 奕辰 奕涵 铭轩 铭泽 锦程 锦涛 锦华 锦辉
诗涵 诗琪 诗雨 诗琳 诗雅 诗颖 语嫣 语桐 语涵 语汐 可馨 可欣 可儿 梦洁 紫涵 紫萱 紫琪 紫怡 紫薇 安琪 安然 安娜 安宁 子琳 子彤 子萌 芷若 芷涵 若汐 沐阳 沐辰 沐晨 熙然 煜祺 煜城 瑾萱 瑾瑜 晗玥 芊芊 苒苒
光明 光辉 光华 光荣 光远 学军 学文 学明 学兵 学良 学勇 学武 学林 学成 学民 兴华 兴国 兴旺 兴业 兆丰 兆龙 世杰 世明 世豪 世昌 世荣 世民 绍辉 承志 继红 继东 继承 继光 少华 少杰 少东 少军 少伟 少卿 守仁 守义
富贵 发财 来福 招娣 引娣 来娣 桂芬 凤芝 淑芝 秀芝 玉芝 凤琴 凤霞 凤云 凤珍 凤莲 凤仙 翠兰 翠英 翠萍 翠玲 翠华 翠云 巧云 巧玲 巧英 彩云 彩霞 彩虹 彩凤 素芬 素珍 素英 素兰 素梅 素琴 素华 素云 月英 月娥 月华 月兰
"""
# Characters that make a whole given name on their own (张伟, 王静), likelier first.
SINGLE_GIVEN = "伟静敏丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华芳娜斌鹏辉飞玲燕婷雪冬立佳楠海建亮峰波宁欣琳瑶萍红英梅兰琴玉东林龙凯浩宇鑫晨健毅俊骏帆凡然颖莉倩蕾薇琦慧岩松博坤琪"
COMBO_SURNAMES = 150

COMPOUND = 1e11        # a compound surname
WORD = 2e10            # a two-character given name, a title
COMBO_FACTOR = 5       # surname + one-character given name: 5 x the surname
BANDS = (2.5e7, 6e6, 1.2e6)
TITLES = [("先生", "xian sheng"), ("女士", "nv shi"), ("小姐", "xiao jie"), ("师傅", "shi fu"),
          ("阿姨", "a yi"), ("老师", "lao shi"), ("大爷", "da ye"), ("大妈", "da ma"),
          ("奶奶", "nai nai"), ("爷爷", "ye ye"), ("经理", "jing li"), ("老板", "lao ban")]


def commonest_readings():
    best = {}
    with open(TABLE, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(fields) < 3 or len(fields[0]) != 1:
                continue
            weight = float(fields[2])
            if fields[0] not in best or weight > best[fields[0]][1]:
                best[fields[0]] = (fields[1], weight)
    return {ch: code for ch, (code, _) in best.items()}


def two_digits(x):
    if x < 100:
        return int(round(x))
    step = 10 ** (int(math.floor(math.log10(x))) - 1)
    return int(round(x / step) * step)


def ranked_surnames():
    ranked = []
    for ch in SURNAMES:
        if ch not in ranked:
            ranked.append(ch)
    return ranked


SURNAMES_HEAD = """\
# Surnames for the kiosk's name fields, commonest first, then the compound
# ones: text<TAB>reading.  Written by tests/bench/pinyin/name_dict.py with
# lobby_name.dict.yaml; run it rather than editing this file.
"""


def surname_lines():
    reading = commonest_readings()
    lines = [f"{ch}\t{SURNAME_READINGS.get(ch, reading[ch])}\n" for ch in ranked_surnames()]
    lines += [f"{text}\t{code}\n" for text, code in COMPOUND_SURNAMES]
    return SURNAMES_HEAD + "".join(lines)


def entries():
    reading = commonest_readings()
    surname = lambda ch: SURNAME_READINGS.get(ch, reading[ch])
    given = lambda ch: GIVEN_READINGS.get(ch, reading[ch])
    out = {}

    def put(text, code, weight):
        out[(text, code)] = max(out.get((text, code), 0), two_digits(weight))

    ranked = ranked_surnames()
    surname_weight = {ch: 2e9 * (rank + 1) ** -0.9 for rank, ch in enumerate(ranked)}
    for ch in ranked:
        put(ch, surname(ch), surname_weight[ch])
    for text, code in COMPOUND_SURNAMES:
        put(text, code, COMPOUND)
    seen = set()
    for band, base in zip((GIVEN_BAND_1, GIVEN_BAND_2, GIVEN_BAND_3), BANDS):
        per_syllable = {}
        for ch in band:
            if ch in seen:
                continue
            seen.add(ch)
            code = given(ch)
            k = per_syllable.get(code, 0)
            per_syllable[code] = k + 1
            put(ch, code, base * 0.8 ** k)
    word_codes = {}
    for word in GIVEN_WORDS.split():
        code = " ".join(given(ch) for ch in word)
        if (word, code) in out:
            continue
        n = word_codes.get(code, 0)
        word_codes[code] = n + 1
        put(word, code, WORD * 0.9 ** n)
    for text, code in TITLES:
        put(text, code, WORD)
    for ch in ranked[:COMBO_SURNAMES]:
        for g in SINGLE_GIVEN:
            put(ch + g, surname(ch) + " " + given(g), COMBO_FACTOR * surname_weight[ch])
    for text, code in COMPOUND_SURNAMES:
        for g in SINGLE_GIVEN:
            put(text + g, code + " " + given(g), COMBO_FACTOR * COMPOUND)
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "config/rime/lobby_name.dict.yaml"
    with open(path, encoding="utf-8") as f:
        text = f.read()
    head = text[: text.index("\n...\n") + 5]
    body = "".join(f"{t}\t{c}\t{w}\n" for (t, c), w in entries().items())
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + "\n" + body)
    surnames_path = path.rsplit("/", 1)[0] + "/lobby_surnames.txt" if "/" in path else "lobby_surnames.txt"
    with open(surnames_path, "w", encoding="utf-8") as f:
        f.write(surname_lines())


if __name__ == "__main__":
    main()
