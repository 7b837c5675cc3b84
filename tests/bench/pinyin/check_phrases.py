#!/usr/bin/env python3
"""Validate tests/bench/pinyin/phrases.tsv, the pinyin evaluation set.

Checks: the header, four tab-separated columns, the part and kind values,
phrases of 2 to 10 CJK characters, no duplicate phrase, one pinyin syllable
per character in the form `abc def` (lower case, ü written v), and that each
syllable is a reading the character has as a single-character entry of
Luna Pinyin's reading table. It also checks that tune and held are balanced
within each kind (they may differ by one).

Prints the counts per part and kind and every error with its line number;
exits 1 on any error, 2 if a file cannot be read.

Usage: check_phrases.py [PHRASES_TSV] [--dict LUNA_PINYIN_DICT_YAML]
Standard library only.
"""

import os
import re
import sys
from collections import Counter, defaultdict

HEADER = ["part", "kind", "phrase", "pinyin"]
PARTS = ("tune", "held")
KINDS = ("fault", "complaint", "suggestion", "name", "place", "service", "polite", "document")
MIN_CHARS, MAX_CHARS = 2, 10
DEFAULT_DICT = "/usr/share/rime-data/luna_pinyin.dict.yaml"

# Readings that are right in the phrase but absent from Luna Pinyin's table,
# as (character, syllable). Keep it small; every entry needs a reason.
# Empty: every reading used in phrases.tsv is in the table.
ALLOW = {
}

SYLLABLES = re.compile(r"^[a-z]+( [a-z]+)*$")


def is_cjk(ch):
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF
            or 0x20000 <= cp <= 0x2FA1F or 0xF900 <= cp <= 0xFAFF)


def normalise(syllable):
    """Luna may write ü as v or u:; the evaluation set writes v."""
    return syllable.strip().lower().replace("u:", "v").replace("ü", "v")


def load_readings(path):
    """Map each character to the set of its readings (single-char entries)."""
    readings = defaultdict(set)
    in_body = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not in_body:
                if line.strip() == "...":
                    in_body = True
                continue
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 2 or len(cols[0]) != 1:
                continue
            code = cols[1].strip()
            if " " in code:
                continue
            readings[cols[0]].add(normalise(code))
    return readings


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    tsv = os.path.join(here, "phrases.tsv")
    dict_path = DEFAULT_DICT
    args = list(argv[1:])
    while args:
        a = args.pop(0)
        if a == "--dict" and args:
            dict_path = args.pop(0)
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        else:
            tsv = a

    try:
        readings = load_readings(dict_path)
    except OSError as e:
        print(f"cannot read {dict_path}: {e}", file=sys.stderr)
        return 2
    if not readings:
        print(f"{dict_path}: no single-character entries found", file=sys.stderr)
        return 2
    try:
        with open(tsv, encoding="utf-8", newline="") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        print(f"cannot read {tsv}: {e}", file=sys.stderr)
        return 2
    if lines and lines[-1] == "":
        lines.pop()

    errors = []

    def err(n, msg):
        errors.append(f"{tsv}:{n}: {msg}")

    if not lines or lines[0].lstrip("\ufeff").split("\t") != HEADER:
        err(1, "header must be " + "\\t".join(HEADER))

    counts = Counter()
    seen = {}
    for n, line in enumerate(lines[1:], start=2):
        if line.endswith("\r"):
            err(n, "CR line ending")
            line = line[:-1]
        cols = line.split("\t")
        if len(cols) != 4:
            err(n, f"{len(cols)} columns, want 4")
            continue
        part, kind, phrase, pinyin = cols
        if part not in PARTS:
            err(n, f"part {part!r} is not one of {', '.join(PARTS)}")
        if kind not in KINDS:
            err(n, f"kind {kind!r} is not one of {', '.join(KINDS)}")
        counts[(part, kind)] += 1

        bad = [c for c in phrase if not is_cjk(c)]
        if bad:
            err(n, f"phrase {phrase!r} has non-CJK characters {''.join(bad)!r}")
        if not MIN_CHARS <= len(phrase) <= MAX_CHARS:
            err(n, f"phrase {phrase!r} has {len(phrase)} characters, "
                   f"want {MIN_CHARS} to {MAX_CHARS}")
        if phrase in seen:
            err(n, f"phrase {phrase!r} duplicates line {seen[phrase]}")
        else:
            seen[phrase] = n

        if not SYLLABLES.match(pinyin):
            err(n, f"pinyin {pinyin!r} is not lower-case syllables "
                   "separated by single spaces (write ü as v)")
        syllables = pinyin.split()
        if len(syllables) != len(phrase):
            err(n, f"{len(syllables)} syllables for {len(phrase)} characters "
                   f"in {phrase!r}")
            continue
        for ch, syl in zip(phrase, syllables):
            if (ch, syl) in ALLOW:
                continue
            known = readings.get(ch)
            if known is None:
                if is_cjk(ch):
                    err(n, f"{ch!r} in {phrase!r} is not in {dict_path}")
            elif syl not in known:
                err(n, f"{ch!r} in {phrase!r} read {syl!r}; known readings: "
                       f"{' '.join(sorted(known))}")

    total = sum(counts.values())
    width = max(len(k) for k in KINDS + ("kind", "total"))
    print(f"{'kind':<{width}}  {'tune':>5}  {'held':>5}  {'all':>5}")
    for kind in KINDS:
        t, h = counts[("tune", kind)], counts[("held", kind)]
        print(f"{kind:<{width}}  {t:>5}  {h:>5}  {t + h:>5}")
        if abs(t - h) > 1:
            errors.append(f"{tsv}: kind {kind}: tune {t} and held {h} "
                          "are not balanced")
    tt = sum(v for (p, _), v in counts.items() if p == "tune")
    th = sum(v for (p, _), v in counts.items() if p == "held")
    print(f"{'total':<{width}}  {tt:>5}  {th:>5}  {total:>5}")

    for e in errors:
        print(e)
    print(f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
