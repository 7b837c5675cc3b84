#!/usr/bin/env python3
"""Weigh new entries for config/rime/lobby_pinyin.dict.yaml by its rules.

    python3 tests/bench/pinyin/weigh_words.py [WORDS] [--dict config/rime/lobby_pinyin.dict.yaml]

WORDS (default: standard input) holds one entry a line, text<TAB>code<TAB>rule,
rule being `domain` or `kept` as the dictionary's header defines them.  For
each line it prints text<TAB>code<TAB>weight, computed from Luna Pinyin's
compiled table (Debian's rime-data-luna-pinyin), whose traditional texts
are simplified with OpenCC (Debian's libopencc1.1, through ctypes) before
they are compared:

    E  the word's own weight in the table (0 when Luna does not have it);
    H  the strongest weight of another text with the same code;
    domain  max(E, 2H rounded up to two significant digits, 1000);
    kept    max(E, 1000) when H <= 1000, else max(E, H / 2).

An entry the dictionary already has (same text and code) is reported on
standard error and left out, and so is a code another new entry or a word
of the dictionary already spells (their order is the author's choice: the
header's rule for the dictionary's own homophones).

A code with ambiguous joints that librime discounts (two neighbouring
syllables that together spell one, "qu an" as "quan"; see
ambiguous_joints) gets its weight written as WEIGHTeN, N being ten per
joint: librime discounts a reading across such a joint by 1e-10 when it is
typed without an apostrophe, and the factor gives that back, so 小区安全
competes for "xiaoquanquan" at its rule's weight.

    python3 tests/bench/pinyin/weigh_words.py --joints [--dict PATH]

rewrites the dictionary's weights in place with the factor each code
needs, and says on standard error how many it changed.  Standard library
only.
"""
import argparse
import ctypes
import math
import sys

TABLE = "/usr/share/rime-data/build/luna_pinyin.table.txt"
LUNA_DICT = "/usr/share/rime-data/luna_pinyin.dict.yaml"


class Simplifier:
    """OpenCC's t2s conversion, the one the kiosk's schema applies."""

    def __init__(self):
        lib = ctypes.CDLL("libopencc.so.1.1")
        lib.opencc_open.restype = ctypes.c_void_p
        lib.opencc_open.argtypes = [ctypes.c_char_p]
        lib.opencc_convert_utf8.restype = ctypes.c_void_p
        lib.opencc_convert_utf8.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        lib.opencc_convert_utf8_free.argtypes = [ctypes.c_void_p]
        self.lib = lib
        self.handle = lib.opencc_open(b"t2s.json")
        if not self.handle or self.handle == ctypes.c_void_p(-1).value:
            sys.exit("weigh_words: OpenCC's t2s.json could not be opened (libopencc-data)")

    def __call__(self, text):
        raw = text.encode()
        out = self.lib.opencc_convert_utf8(self.handle, raw, len(raw))
        if not out:
            return text
        result = ctypes.string_at(out).decode()
        self.lib.opencc_convert_utf8_free(out)
        return result


def round_up_two_digits(value):
    if value <= 0:
        return 0
    step = 10 ** max(0, int(math.floor(math.log10(value))) - 1)
    return int(math.ceil(value / step) * step)


def entry_rows(lines):
    """(index, tab-separated fields) of each entry among a Rime
    dictionary's lines: those after its "..." that are neither comments
    nor blank."""
    body = False
    for i, line in enumerate(lines):
        if line.startswith("..."):
            body = True
        elif body and not line.startswith("#") and line.strip():
            yield i, line.rstrip("\n").split("\t")


def dictionary_rows(path):
    """The fields of each entry of the Rime dictionary at path."""
    with open(path, encoding="utf-8") as f:
        for _, fields in entry_rows(f):
            yield fields


def read_syllables():
    """Luna Pinyin's syllables: the codes of its single-character entries."""
    return {fields[1] for fields in dictionary_rows(LUNA_DICT)
            if len(fields) >= 2 and len(fields[0]) == 1 and " " not in fields[1]}


def ambiguous_joints(code, syllables):
    """Joints of code that librime discounts: two neighbouring syllables
    that spell one ("qu an": "quan"; its syllabifier's
    kPenaltyForAmbiguousSyllable, log(1e-10), charged to the syllable after
    the joint).  An entry pays only for its second and third syllables and
    never for its last (Table::Query adds the credibility of the syllables
    it advances over, and indexes three), so 小区安全 pays once, 余额 and
    应急预案 not at all."""
    parts = code.split(" ")
    paid = range(1, min(2, len(parts) - 2) + 1)
    return sum(1 for i in paid if parts[i - 1] + parts[i] in syllables)


def weight_text(weight, joints):
    return f"{weight}e{10 * joints}" if joints else str(weight)


def base_weight(text):
    """The weight without the joints' factor: 1000 for "1000e10"."""
    return int(text.split("e")[0])


def rewrite_joints(path, syllables):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    changed = 0
    for i, fields in entry_rows(lines):
        if len(fields) != 3:
            continue
        weight = weight_text(base_weight(fields[2]), ambiguous_joints(fields[1], syllables))
        if weight != fields[2]:
            lines[i] = "\t".join(fields[:2] + [weight])
            changed += 1
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"weigh_words: {path}: {changed} weights changed for ambiguous joints", file=sys.stderr)


def read_words(stream):
    words = []
    for number, line in enumerate(stream, 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[2] not in ("domain", "kept"):
            sys.exit(f"weigh_words: line {number}: want text<TAB>code<TAB>domain|kept, got {line!r}")
        words.append(tuple(fields))
    return words


def read_dictionary(path):
    entries = {}
    for fields in dictionary_rows(path):
        if len(fields) >= 2:
            entries.setdefault(fields[1], set()).add(fields[0])
    return entries


def read_table(codes, simplify):
    """Maps each wanted code to {simplified text: strongest weight}."""
    table = {code: {} for code in codes}
    with open(TABLE, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3 or fields[1] not in table:
                continue
            text = simplify(fields[0])
            weight = int(fields[2])
            known = table[fields[1]]
            known[text] = max(weight, known.get(text, 0))
    return table


def weigh(text, rule, homophones):
    own = homophones.get(text, 0)
    strongest = max((w for t, w in homophones.items() if t != text), default=0)
    if rule == "domain":
        return max(own, round_up_two_digits(2 * strongest), 1000)
    if strongest <= 1000:
        return max(own, 1000)
    return max(own, strongest // 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("words", nargs="?")
    parser.add_argument("--dict", default="config/rime/lobby_pinyin.dict.yaml")
    parser.add_argument("--joints", action="store_true")
    args = parser.parse_args()
    syllables = read_syllables()
    if args.joints:
        rewrite_joints(args.dict, syllables)
        return
    with (open(args.words, encoding="utf-8") if args.words else sys.stdin) as f:
        words = read_words(f)
    existing = read_dictionary(args.dict)
    seen = {}
    kept = []
    for text, code, rule in words:
        if text in existing.get(code, ()):
            print(f"weigh_words: {text} {code}: already in the dictionary", file=sys.stderr)
        elif code in existing or code in seen:
            other = seen.get(code) or "/".join(sorted(existing[code]))
            print(f"weigh_words: {text} {code}: the code is also {other}'s; weigh by hand", file=sys.stderr)
        else:
            seen[code] = text
            kept.append((text, code, rule))
    table = read_table({code for _, code, _ in kept}, Simplifier())
    for text, code, rule in kept:
        weight = weigh(text, rule, table[code])
        print(f"{text}\t{code}\t{weight_text(weight, ambiguous_joints(code, syllables))}")


if __name__ == "__main__":
    main()
