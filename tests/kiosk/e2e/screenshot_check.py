#!/usr/bin/env python3
"""Checks a remote screenshot against the kiosk's own shot of the same
screen.

  screenshot_check.py REMOTE.png SHOT.png DUMP.json

DUMP.json is the widget tree the kiosk's `dump` step printed for that
screen.  Every private widget's rectangle (a form field, the keyboard's
composition and candidates) must be one flat colour in REMOTE and show
more than one colour (its text) in SHOT; outside those rectangles the two
pictures must be the same (a few pixels may differ: the clock's minute).
Only the standard library and netpbm's pngtopnm, as picture_check.py."""
import json
import subprocess
import sys

from picture_check import read_ppm


def private_rects(tree, w, h):
    out = []
    for wd in tree["widgets"]:
        if not wd.get("private"):
            continue
        x, y, rw, rh = wd["rect"]
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + rw, w), min(y + rh, h)
        if x1 > x0 and y1 > y0:
            out.append((x0, y0, x1, y1, wd["text"]))
    return out


def colours(px, w, rect):
    x0, y0, x1, y1 = rect[:4]
    seen = set()
    for y in range(y0, y1):
        row = px[(y * w + x0) * 3:(y * w + x1) * 3]
        for i in range(0, len(row), 3):
            seen.add(row[i:i + 3])
    return seen


def main(remote, shot, dump):
    tree = json.load(open(dump, encoding="utf-8"))
    rw, rh, rpx = read_ppm(remote)
    sw, sh, spx = read_ppm(shot)
    if (rw, rh) != (sw, sh) or (rw, rh) != (tree["width"], tree["height"]):
        sys.exit(f"sizes differ: remote {rw}x{rh}, shot {sw}x{sh}, screen {tree['width']}x{tree['height']}")
    rects = private_rects(tree, rw, rh)
    if len(rects) < 2:
        sys.exit(f"expected the name and phone fields among private widgets, found {len(rects)}")
    for r in rects:
        flat = colours(rpx, rw, r)
        if len(flat) != 1:
            sys.exit(f"private widget {r[4]!r} at {r[:4]} is not blanked: {len(flat)} colours")
        if len(colours(spx, sw, r)) < 2:
            sys.exit(f"the kiosk's own shot shows nothing in {r[4]!r} at {r[:4]}")
    inside = bytearray(rw * rh)
    for x0, y0, x1, y1, _ in rects:
        for y in range(y0, y1):
            inside[y * rw + x0:y * rw + x1] = b"\x01" * (x1 - x0)
    outside = same = 0
    for i in range(rw * rh):
        if inside[i]:
            continue
        outside += 1
        same += rpx[i * 3:i * 3 + 3] == spx[i * 3:i * 3 + 3]
    if same < outside * 0.99:
        sys.exit(f"outside the private widgets only {same} of {outside} pixels match the kiosk's shot")
    print(f"{len(rects)} private widgets blanked; {same}/{outside} other pixels as on screen")


if __name__ == "__main__":
    main(*sys.argv[1:4])
