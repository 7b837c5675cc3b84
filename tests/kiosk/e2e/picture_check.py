#!/usr/bin/env python3
"""A test poster and the checks of where the kiosk shows it.

  picture_check.py make OUT.png W H
      a PNG of four blocks: red top left, green top right, blue bottom
      left, yellow bottom right.
  picture_check.py check SHOT.png DUMPS.json INDEX W H
      the INDEX-th widget tree of DUMPS.json (what the kiosk's `dump` step
      printed, one tree after another) must hold one picture whose
      rectangle keeps the poster's W:H and is at most twice its size, and
      the screenshot must show the four colours in the right blocks there.
  picture_check.py none DUMPS.json INDEX
      the INDEX-th tree holds no picture.
Only the standard library and netpbm's pngtopnm, which the tests use."""
import json
import struct
import subprocess
import sys
import zlib

COLOURS = {"red": (220, 30, 30), "green": (30, 170, 60), "blue": (30, 60, 220), "yellow": (240, 200, 20)}
BLOCKS = (("red", "green"), ("blue", "yellow"))


def make(out, w, h):
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        for x in range(w):
            rows += bytes(COLOURS[BLOCKS[y * 2 // h][x * 2 // w]])

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
    with open(out, "wb") as f:
        f.write(png)


def trees(path):
    text = open(path, encoding="utf-8").read()
    dec, i, out = json.JSONDecoder(), 0, []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        tree, i = dec.raw_decode(text, i)
        out.append(tree)


def pictures(tree):
    return [w for w in tree["widgets"] if w["role"] == "picture"]


def read_ppm(png):
    ppm = subprocess.run(["pngtopnm", png], check=True, capture_output=True).stdout
    fields, i = [], 0
    while len(fields) < 4:
        while ppm[i:i + 1].isspace():
            i += 1
        j = i
        while not ppm[j:j + 1].isspace():
            j += 1
        fields.append(ppm[i:j])
        i = j
    assert fields[0] == b"P6" and fields[3] == b"255", "not an 8-bit PPM"
    return int(fields[1]), int(fields[2]), ppm[i + 1:]


def check(shot, dumps, index, pw, ph):
    tree = trees(dumps)[index]
    pics = pictures(tree)
    if len(pics) != 1:
        sys.exit(f"{shot}: expected one picture on screen {tree['screen']}, found {len(pics)}")
    x, y, w, h = pics[0]["rect"]
    if w <= 0 or h <= 0 or w > 2 * pw or h > 2 * ph:
        sys.exit(f"{shot}: picture rectangle {w}x{h} is empty or more than twice {pw}x{ph}")
    if abs(w * ph - h * pw) > max(pw, ph):
        sys.exit(f"{shot}: picture {w}x{h} does not keep the poster's {pw}:{ph}")
    iw, ih, px = read_ppm(shot)
    if x < 0 or y < 0 or x + w > iw or y + h > ih:
        sys.exit(f"{shot}: picture at {x},{y} {w}x{h} is off the {iw}x{ih} screen")
    for by in range(2):
        for bx in range(2):
            name = BLOCKS[by][bx]
            sx, sy = x + w * (1 + 2 * bx) // 4, y + h * (1 + 2 * by) // 4
            o = (sy * iw + sx) * 3
            got = tuple(px[o:o + 3])
            if any(abs(a - b) > 45 for a, b in zip(got, COLOURS[name])):
                sys.exit(f"{shot}: at {sx},{sy} expected {name} {COLOURS[name]}, found {got}")
    print(f"ok {shot}: picture {w}x{h} at {x},{y}")


def main():
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif cmd == "none":
        tree = trees(sys.argv[2])[int(sys.argv[3])]
        if pictures(tree):
            sys.exit(f"a picture is on screen {tree['screen']}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
