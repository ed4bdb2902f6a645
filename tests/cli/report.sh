#!/usr/bin/env bash
# vmlab report: one self-contained HTML page (no scripts, links or network),
# opened in a real browser - headless Chromium - whose DOM must hold every
# plot and every series, and whose screenshot must be a real picture with
# the series' colours in it.  If Chromium is missing the checks FAIL
# (scripts/deps.sh installs Debian's chromium); they never pass without it.
. "$(dirname "$0")/../lib.sh"

PAGE=$TMP/report.html
WL1=gen:zipf,pages=400,refs=50000,seed=1
WL2=gen:loop,pages=300,refs=50000

if ! "$VMLAB" report -o "$PAGE" -p lru,clock,fifo,opt -f 1..512/8 "$WL1" "$WL2" \
	>"$TMP/out" 2>"$TMP/err"; then
	fail "report: write the page" "$(head -c 300 "$TMP/err")"
	exit 0
fi
pass "report: write the page ($(wc -c <"$PAGE") bytes)"
t_eq "report: nothing on stdout" 0 "$(wc -c <"$TMP/out")"

# Self-contained: nothing to fetch, nothing to run.
ext=$(grep -Eio '<script|<link|<img|<iframe|@import|src=|href=|url\((["'"'"']?)[^#)]' "$PAGE" | sort -u | tr '\n' ' ')
t_eq "report: no scripts, links, images or external resources" "" "$ext"
urls=$(grep -Eo 'https?://[^"'"'"' <>]*' "$PAGE" | sort -u | grep -v '^http://www.w3.org/2000/svg$' | tr '\n' ' ')
t_eq "report: the only URL is the SVG namespace" "" "$urls"
for sec in config summary curves time resident; do
	if grep -q "<section id=\"$sec\">" "$PAGE"; then pass "report: section $sec"
	else fail "report: section $sec" "missing"; fi
done
# The summary table holds the sweep's numbers.
"$VMLAB" sweep -p lru,clock,fifo,opt -f 1..512/8 --csv "$WL1" "$WL2" >"$TMP/sweep.csv" 2>/dev/null
want=$(awk -F, 'NR == 6 { print $5 }' "$TMP/sweep.csv")
if grep -q "<td>$want (" "$PAGE"; then pass "report: summary has the sweep's faults ($want)"
else fail "report: summary has the sweep's faults" "no <td>$want in the page"; fi

# A policy looks the same in every plot (sweep, exact curves, faults over
# time): one colour and one marker per series name.
awk -F'"' '/^<g class="series" data-name=/ { name = $4; marker = $6; getline
	print name "|" marker "|" $4 }' "$PAGE" | sort -u >"$TMP/styles"
t_eq "report: each policy has one style across the plots" "" \
	"$(cut -d'|' -f1 "$TMP/styles" | uniq -d | tr '\n' ' ')"
t_eq "report: opt's exact curve looks like its sweep series" "opt|diamond|#d62728" \
	"$(grep '^opt|' "$TMP/styles")"

# Belady's anomaly shows in the summary.
"$VMLAB" report -o "$TMP/belady.html" -p fifo -f 1..5 pages:1,2,3,4,1,2,5,1,2,3,4,5 2>/dev/null
if grep -q "anomaly: fifo faults 9 times with 3 frames but 10 times with 4" "$TMP/belady.html"; then
	pass "report: Belady's anomaly in the summary"
else
	fail "report: Belady's anomaly in the summary" "not found"
fi

# One process: no resident-set section.
"$VMLAB" report -o "$TMP/one.html" -p clock -f 64 "$WL1" 2>/dev/null
if [ -s "$TMP/one.html" ] && ! grep -q 'id="resident"' "$TMP/one.html"; then
	pass "report: one process, no resident-set section"
else
	fail "report: one process, no resident-set section" "$(head -c 200 "$TMP/one.html")"
fi
t_status "report: -o is required" 2 "-o FILE.html is required" "$VMLAB" report "$WL1"
t_status "report: a bad policy parameter exits 2" 2 "parameter 'bits'" \
	"$VMLAB" report -o "$TMP/x.html" -p aging,bits=99 "$WL1"
t_status "report: an unwritable page exits 1" 1 "cannot write" \
	"$VMLAB" report -o "$TMP/no/such/dir/x.html" -p lru -f 8 "$WL1"

# A real browser.
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	fail "report: Chromium" "not installed (scripts/deps.sh installs Debian's chromium)"
	exit 0
fi
chrome() { # the flags a root, offline, headless run needs; a fresh profile
	rm -rf "$TMP/chrome"
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$TMP/chrome" --hide-scrollbars "$@" \
		"file://$PAGE"
}
if ! chrome --dump-dom >"$TMP/dom.html" 2>"$TMP/chrome.err" || [ ! -s "$TMP/dom.html" ]; then
	fail "report: Chromium loads the page" "$(tail -c 300 "$TMP/chrome.err")"
	exit 0
fi
pass "report: Chromium loads the page"
svgs=$(grep -o '<svg ' "$TMP/dom.html" | wc -l)
t_eq "report: the DOM holds four plots" 4 "$svgs"
for fig in sweep exact timeline resident; do
	if grep -q "<figure class=\"plot\" id=\"fig-$fig\">" "$TMP/dom.html"; then
		pass "report: DOM has figure $fig"; else fail "report: DOM has figure $fig" "missing"; fi
done
series=""
for name in lru:3 opt:3 clock:2 fifo:2 "workload 0 pid 0:1" "workload 1 pid 0:1"; do
	n=$(grep -o "<g class=\"series\" data-name=\"${name%:*}\"" "$TMP/dom.html" | wc -l)
	series="$series${name%:*}:$n "
done
t_eq "report: the DOM holds every series (sweep, exact, timeline, resident)" \
	"lru:3 opt:3 clock:2 fifo:2 workload 0 pid 0:1 workload 1 pid 0:1 " "$series"
points=$(grep -o '<polyline [^>]*points="[^"]*"' "$TMP/dom.html" | awk '{ n += gsub(/,/, ",") } END { print n + 0 }')
if [ "$points" -ge 500 ]; then pass "report: the series have points ($points)"
else fail "report: the series have points" "only $points"; fi

# Half scale keeps the picture small enough to check quickly.
if ! chrome --force-device-scale-factor=0.5 --window-size=1200,3400 \
	--screenshot="$TMP/shot.png" >/dev/null 2>"$TMP/chrome.err" || [ ! -s "$TMP/shot.png" ]; then
	fail "report: Chromium takes a screenshot" "$(tail -c 300 "$TMP/chrome.err")"
	exit 0
fi
if msg=$(python3 tests/tools/pngcheck.py "$TMP/shot.png" 500 '#1f77b4' '#ff7f0e' '#2ca02c' '#d62728' 2>&1); then
	pass "report: the screenshot is a real picture with the series' colours: $msg"
else
	fail "report: the screenshot is a real picture" "$msg"
fi
