"""Visual regression: compares PNG images with committed baselines, within a tolerance.

Usage:
  visual_check.py shoot CHROMIUM PAGE OUT_DIR WIDTHxHEIGHT...  screenshots of PAGE (one per size) into OUT_DIR
  visual_check.py compare BASELINE_DIR OUT_DIR NAME...          compares OUT_DIR/NAME with BASELINE_DIR/NAME

`compare` prints one JSON object per image: its size, the share of pixels that differ (any channel by more
than THRESHOLD out of 255) and whether that share is within TOLERANCE. A different size, or no baseline, is a
failure. With GUIDEKIT_UPDATE_BASELINES=1 it copies the new images over the baselines instead.

Why these numbers: anti-aliasing and font hinting move single pixels between Chromium and poppler builds, and
never by much, so a pixel counts as changed only past 48/255 on some channel, and 1.5% of the pixels may
change. A broken layout (a column that overflows, a figure gone, a font fallback, a shifted section) changes
far more: moving the page by one text line alone changes about 10% of the pixels.

Only the standard library: PNG is decoded here (8-bit RGB or RGBA, not interlaced, which is what Chromium
and pdftoppm write).
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

THRESHOLD = 48
TOLERANCE = 0.015


def decode_png(path):
    """(width, height, rows of RGB bytes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, color type {color}, interlace {interlace})")
    channels = 3 if color == 2 else 4
    stride = width * channels
    raw = zlib.decompress(b"".join(idat))
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        previous = line
        rows.append(bytes(line) if channels == 3 else bytes(b for i, b in enumerate(line) if i % 4 != 3))
    return width, height, rows


def changed_share(a, b):
    """The share of pixels whose colour differs by more than THRESHOLD on some channel."""
    (_, height, rows_a), (width, _, rows_b) = a, b
    changed = 0
    for row_a, row_b in zip(rows_a, rows_b):
        if row_a == row_b:
            continue
        for x in range(0, width * 3, 3):
            if (abs(row_a[x] - row_b[x]) > THRESHOLD or abs(row_a[x + 1] - row_b[x + 1]) > THRESHOLD
                    or abs(row_a[x + 2] - row_b[x + 2]) > THRESHOLD):
                changed += 1
    return changed / float(width * height)


def shoot(chromium, page, out_dir, sizes):
    for size in sizes:
        width, height = size.split("x")
        profile = tempfile.mkdtemp(prefix="guidekit-visual-chromium-")
        try:
            subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={profile}",
                 f"--window-size={width},{height}", f"--screenshot={os.path.join(out_dir, f'page-{width}.png')}",
                 "file://" + os.path.abspath(page)],
                check=True, capture_output=True, timeout=120)
        finally:
            shutil.rmtree(profile, ignore_errors=True)


def compare(baseline_dir, out_dir, names):
    update = os.environ.get("GUIDEKIT_UPDATE_BASELINES") == "1"
    for name in names:
        new, old = os.path.join(out_dir, name), os.path.join(baseline_dir, name)
        if update:
            shutil.copyfile(new, old)
            print(json.dumps({"name": name, "updated": True, "ok": True}))
            continue
        if not os.path.exists(old):
            print(json.dumps({"name": name, "ok": False, "why": "no baseline: run with GUIDEKIT_UPDATE_BASELINES=1"}))
            continue
        a, b = decode_png(old), decode_png(new)
        if a[:2] != b[:2]:
            print(json.dumps({"name": name, "baseline": a[:2], "new": b[:2], "ok": False, "why": "size differs"}))
            continue
        share = changed_share(a, b)
        print(json.dumps({"name": name, "size": a[:2], "changed": round(share, 5), "tolerance": TOLERANCE,
                          "ok": share <= TOLERANCE}))


if __name__ == "__main__":
    if sys.argv[1] == "shoot":
        shoot(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)
