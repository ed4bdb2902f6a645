#!/usr/bin/env python3
"""svgcheck.py - is an SVG plot a real picture?

    svgcheck.py FILE.svg [#rrggbb ...]

Checks that FILE.svg is well-formed XML with an <svg> root, renders it to
PNG with rsvg-convert (a real SVG renderer, librsvg), decodes the PNG here
(standard library only) and checks that the picture is not trivial: more
than a handful of distinct colours, and every colour given on the command
line (the line colours of the series) present in some pixels.  Prints one
line saying what it found; exits 0 if all is well, 1 if not, 2 if a tool
is missing.
"""
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib


def decode_png(data):
    """Return (width, height, channels, rows) of an 8-bit RGB/RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                raise ValueError("unexpected PNG type %d/%d" % (depth, ctype))
            channels = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def count_colours(width, channels, rows):
    """{"#rrggbb": pixels} of decoded PNG rows."""
    colours = {}
    for row in rows:
        for x in range(0, width * channels, channels):
            key = "#%02x%02x%02x" % (row[x], row[x + 1], row[x + 2])
            colours[key] = colours.get(key, 0) + 1
    return colours


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2])
        return 2
    path, want = sys.argv[1], [c.lower() for c in sys.argv[2:]]
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        print("%s: not well-formed XML: %s" % (path, e))
        return 1
    if not root.tag.endswith("svg"):
        print("%s: root element is <%s>, not <svg>" % (path, root.tag))
        return 1
    if not shutil.which("rsvg-convert"):
        print("rsvg-convert not found (install librsvg2-bin: scripts/deps.sh)")
        return 2
    with tempfile.NamedTemporaryFile(suffix=".png") as png:
        r = subprocess.run(["rsvg-convert", "-o", png.name, path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("%s: rsvg-convert failed: %s" % (path, r.stderr.strip()))
            return 1
        w, h, ch, rows = decode_png(open(png.name, "rb").read())
    colours = count_colours(w, ch, rows)
    missing = [c for c in want if colours.get(c, 0) < 5]
    if len(colours) < 4:
        print("%s: rendered %dx%d with only %d colours" %
              (path, w, h, len(colours)))
        return 1
    if missing:
        print("%s: rendered %dx%d, %d colours, but line colours %s are "
              "missing" % (path, w, h, len(colours), " ".join(missing)))
        return 1
    print("%s: rendered %dx%d, %d colours, line colours present" %
          (path, w, h, len(colours)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
