#!/usr/bin/env python3
"""pngcheck.py - is a screenshot a real picture?

    pngcheck.py FILE.png MIN_COLOURS [#rrggbb ...]

Decodes FILE.png (8-bit RGB or RGBA, with svgcheck.py's decoder: standard
library only) and checks that it is not blank: at least MIN_COLOURS
distinct colours, and each colour given present in at least 5 pixels (the
plot's series colours, so the plots really were drawn).  Prints what it
found; exits 0 if all is well, 1 if not.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from svgcheck import count_colours, decode_png  # noqa: E402


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[2])
        return 2
    path, least = sys.argv[1], int(sys.argv[2])
    want = ["#" + c.lower().lstrip("#") for c in sys.argv[3:]]
    try:
        w, h, ch, rows = decode_png(open(path, "rb").read())
    except (OSError, ValueError) as e:
        print("%s: not a PNG this checker reads: %s" % (path, e))
        return 1
    colours = count_colours(w, ch, rows)
    missing = [c for c in want if colours.get(c, 0) < 5]
    if len(colours) < least or missing:
        print("%s: %dx%d, %d colours (want %d), missing %s" %
              (path, w, h, len(colours), least, " ".join(missing) or "none"))
        return 1
    print("%s: %dx%d, %d colours, series colours present" %
          (path, w, h, len(colours)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
