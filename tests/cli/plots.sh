#!/usr/bin/env bash
# Plots and tables stay readable with many policies: twenty policies give
# twenty distinct line styles (colour x dash x marker), every plot renders
# (svgcheck.py: rsvg-convert) and is well-formed (xmllint), --log-y makes
# a logarithmic miss-ratio axis, titles name a trace by its file name, and
# the sweep table wraps at 100 columns instead of running off the screen.
. "$(dirname "$0")/../lib.sh"

GCC=../shared/traces/classic/gcc.trace.gz
P20=opt,fifo,random,lru,mru,clock,esc,aging,twoq,arc,car,lirs,clockpro,lru-k,s3fifo,sieve,gclock,ws,wsclock,pff

if ! "$VMLAB" sweep -p "$P20" -f 1..4096/12 --svg "$TMP/p20.svg" --log-x \
	"$GCC" >"$TMP/p20.txt" 2>"$TMP/err"; then
	fail "sweep with twenty policies" "$(head -c 300 "$TMP/err")"
	exit 0
fi
read -r series styles markers < <(python3 tests/tools/svgstyles.py "$TMP/p20.svg")
t_eq "twenty policies: twenty series" 20 "$series"
t_eq "twenty policies: twenty distinct styles (colour, dash, marker)" 20 "$styles"
if [ "${markers:-0}" -ge 20 ]; then pass "series carry point markers ($markers)"; else
	fail "series carry point markers" "only ${markers:-0} markers"; fi
legend=$(grep -c '<text x="[0-9.]*" y="[0-9.]*" fill="#333333">' "$TMP/p20.svg")
t_eq "the legend names twenty policies" 20 "$legend"
if msg=$(python3 tests/tools/svgcheck.py "$TMP/p20.svg" '#1f77b4' '#ff7f0e' 2>&1); then
	pass "twenty-policy plot renders: $msg"; else fail "twenty-policy plot renders" "$msg"; fi
if xmllint --noout "$TMP/p20.svg" 2>"$TMP/err"; then pass "twenty-policy plot is well-formed (xmllint)"
else fail "twenty-policy plot is well-formed (xmllint)" "$(head -c 300 "$TMP/err")"; fi

# Titles name the trace by its file name, not its path.
title=$(sed -n 's/.*<title>\(.*\)<\/title>.*/\1/p' "$TMP/p20.svg")
t_eq "title names the trace by its file name" "Miss ratio by memory size: gcc.trace.gz" "$title"
"$VMLAB" mrc --svg "$TMP/m.svg" --log-y "$GCC" >/dev/null 2>&1
title=$(sed -n 's/.*<title>\(.*\)<\/title>.*/\1/p' "$TMP/m.svg")
t_eq "mrc title names the trace by its file name" "Miss ratio curve: gcc.trace.gz" "$title"

# --log-y: the y axis says so, and its ticks are powers of ten.
for cmd in "mrc" "sweep -p lru,fifo -f 1..4096/12"; do
	# shellcheck disable=SC2086
	"$VMLAB" $cmd --svg "$TMP/y.svg" --log-y "$GCC" >/dev/null 2>"$TMP/err"
	if grep -q 'miss ratio (log scale)</text>' "$TMP/y.svg" &&
	   grep -q '>0.01</text>' "$TMP/y.svg" && grep -q '>0.1</text>' "$TMP/y.svg"; then
		pass "${cmd%% *} --log-y: logarithmic miss-ratio axis"
	else
		fail "${cmd%% *} --log-y: logarithmic miss-ratio axis" "$(head -c 200 "$TMP/err")"
	fi
	if msg=$(python3 tests/tools/svgcheck.py "$TMP/y.svg" '#1f77b4' 2>&1); then
		pass "${cmd%% *} --log-y plot renders"; else fail "${cmd%% *} --log-y plot renders" "$msg"; fi
done

# The text table: twenty policies wrap into blocks of at most 100 columns,
# each block repeating the frames column with every size.
width=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$TMP/p20.txt")
if [ "$width" -le 100 ]; then pass "sweep table fits 100 columns ($width)"; else
	fail "sweep table fits 100 columns" "a line of $width characters"; fi
blocks=$(grep -c '^    frames ' "$TMP/p20.txt")
t_eq "twenty policies: five blocks of four" 5 "$blocks"
missing=""
for p in ${P20//,/ }; do
	grep -Eq "^    frames .* $p( |$)" "$TMP/p20.txt" || missing="$missing $p"
done
t_eq "every policy has a column" "" "$missing"
rows=$(awk '/^ +[0-9]+ +[0-9]+ \(/ { n++ } END { print n + 0 }' "$TMP/p20.txt")
t_eq "every block has every size (5 x 12 rows)" 60 "$rows"
# Few policies: one block, as before.
"$VMLAB" sweep -p lru,fifo,clock,opt -f 1..8 "$GCC" >"$TMP/p4.txt" 2>/dev/null
t_eq "four policies: one block" 1 "$(grep -c '^    frames ' "$TMP/p4.txt")"
