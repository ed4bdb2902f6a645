#!/usr/bin/env python3
"""svgstyles.py - how many series does a vmlab plot draw, in how many looks?

    svgstyles.py FILE.svg

Reads the <g class="series"> groups of an SVG written by src/report/svg.c
and prints "SERIES STYLES MARKERS": the number of series, the number of
distinct (stroke colour, dash pattern, marker shape) styles among them, and
the number of marker elements drawn.  Exits 1 if the file is not
well-formed or has no series.  Standard library only.
"""
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2])
        return 2
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except (ET.ParseError, OSError) as e:
        print("%s: not well-formed XML: %s" % (sys.argv[1], e))
        return 1
    styles, series, markers = set(), 0, 0
    for g in root.iter(NS + "g"):
        if g.get("class") != "series":
            continue
        series += 1
        line = g.find(NS + "polyline")
        if line is None:
            continue
        styles.add((line.get("stroke"), line.get("stroke-dasharray", ""),
                    g.get("data-marker")))
        for inner in g.iter(NS + "g"):
            if inner is not g:
                markers += len(list(inner))
    if series == 0:
        print("%s: no series" % sys.argv[1])
        return 1
    print("%d %d %d" % (series, len(styles), markers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
