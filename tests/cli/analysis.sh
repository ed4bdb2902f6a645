#!/usr/bin/env bash
# vmlab mrc and vmlab sweep: the one-pass curves equal per-size simulation
# on the classic traces and textbook strings, curves of stack algorithms
# never rise, Belady's anomaly is found where it is and nowhere else,
# results do not depend on -j, SHARDS stays close to exact, every SVG
# renders, and bad input is refused with a clear message.
. "$(dirname "$0")/../lib.sh"

# Every check below reads workloads; if the simplest one cannot be read,
# say that once instead of failing forty checks for one missing piece.
if ! "$VMLAB" sweep -p lru -f 1 pages:1 >/dev/null 2>&1; then
	fail "analysis: vmlab cannot sweep an inline page list" "see: $VMLAB sweep -p lru -f 1 pages:1"
	exit 0
fi

CLASSIC=../shared/traces/classic
BELADY=pages:1,2,3,4,1,2,5,1,2,3,4,5
SVGCHECK=tests/tools/svgcheck.py
BLUE='#1f77b4' ORANGE='#ff7f0e'

# csv_cols FILE COLS [FILTER_COL=VALUE]: the named columns of a CSV file,
# comma-joined, header dropped (columns chosen by name, never position).
csv_cols() {
	awk -F, -v want="$2" -v filt="${3:-}" '
		NR == 1 { n = split(want, w, ","); for (i = 1; i <= NF; i++) idx[$i] = i
			  if (filt != "") { split(filt, f, "="); fc = idx[f[1]]; fv = f[2] }
			  next }
		fc && $fc != fv { next }
		{ line = ""; for (k = 1; k <= n; k++) line = line (k > 1 ? "," : "") $(idx[w[k]]); print line }' "$1"
}

have_policy() { "$VMLAB" sweep -p "$1" -f 1 pages:1 >/dev/null 2>&1; }

# curves_match NAME SIZES WORKLOAD: mrc's exact LRU (and OPT) faults equal
# the simulator's at every size in SIZES.
curves_match() {
	local name=$1 sizes=$2 wl=$3 pols=lru
	have_policy opt && pols=lru,opt
	if ! "$VMLAB" mrc -p "$pols" -f "$sizes" --csv "$wl" >"$TMP/m.csv" 2>"$TMP/err"; then
		fail "$name" "mrc failed: $(head -c 300 "$TMP/err")"; return
	fi
	if ! "$VMLAB" sweep -p "$pols" -f "$sizes" --csv "$wl" >"$TMP/s.csv" 2>"$TMP/err"; then
		fail "$name" "sweep failed: $(head -c 300 "$TMP/err")"; return
	fi
	csv_cols "$TMP/m.csv" policy,frames,references,faults method=exact >"$TMP/m.txt"
	csv_cols "$TMP/s.csv" policy,frames,references,faults >"$TMP/s.txt"
	if [ ! -s "$TMP/m.txt" ]; then
		fail "$name" "no rows"
	elif cmp -s "$TMP/m.txt" "$TMP/s.txt"; then
		pass "$name ($pols, $(wc -l <"$TMP/m.txt") points)"
	else
		fail "$name" "$(diff "$TMP/s.txt" "$TMP/m.txt" | head -4 | tr '\n' '|')"
	fi
}

for t in gcc swim bzip sixpack; do
	curves_match "mrc equals simulation: $t" 1..8,12..4096/10 "$CLASSIC/$t.trace.gz"
done
curves_match "mrc equals simulation: Belady's string" 1..7 "$BELADY"
curves_match "mrc equals simulation: OSTEP string" 1..6 pages:0,1,2,0,1,3,0,3,1,2,1
curves_match "mrc equals simulation: Silberschatz string" 1..9 \
	pages:7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1

# Curves of stack algorithms never rise (every size, gcc).
if "$VMLAB" mrc --all --csv "$CLASSIC/gcc.trace.gz" >"$TMP/all.csv" 2>"$TMP/err"; then
	rises=$(csv_cols "$TMP/all.csv" policy,faults | awk -F, '
		$1 == p && $2 > f { r++ } { p = $1; f = $2 } END { print r + 0 }')
	rows=$(($(wc -l <"$TMP/all.csv") - 1))
	t_eq "mrc curves never rise (gcc, $rows points)" 0 "$rises"
else
	fail "mrc --all" "$(head -c 300 "$TMP/err")"
fi

# Belady's anomaly: FIFO 3 -> 4 frames, and nothing else; nothing for LRU.
out=$("$VMLAB" sweep --belady "$BELADY" 2>&1)
t_eq "belady finds FIFO 3 -> 4 frames" \
	"Belady's anomaly: fifo faults 9 times with 3 frames but 10 times with 4" "$out"
out=$("$VMLAB" sweep --belady -p lru "$BELADY" 2>&1)
case $out in "No anomaly"*) pass "belady finds nothing for LRU" ;;
	*) fail "belady finds nothing for LRU" "$out" ;; esac
"$VMLAB" sweep -p fifo,lru -f 1..6 --json "$BELADY" >"$TMP/b.json"
t_eq "belady in JSON" 1 "$(grep -c '"frames_from": *3' "$TMP/b.json")"

# Same numbers whatever the thread count.
sizes=1..1024/6
"$VMLAB" sweep -p all -f $sizes -j 1 --csv "$CLASSIC/bzip.trace.gz" >"$TMP/j1.csv"
"$VMLAB" sweep -p all -f $sizes -j 2 --csv "$CLASSIC/bzip.trace.gz" >"$TMP/j2.csv"
"$VMLAB" sweep -p all -f $sizes -j 7 --csv "$CLASSIC/bzip.trace.gz" >"$TMP/j7.csv"
if [ -s "$TMP/j1.csv" ] && cmp -s "$TMP/j1.csv" "$TMP/j2.csv" &&
   cmp -s "$TMP/j1.csv" "$TMP/j7.csv"; then
	pass "sweep identical with -j 1, 2, 7 ($(($(wc -l <"$TMP/j1.csv") - 1)) runs)"
else
	fail "sweep identical with -j 1, 2, 7" "outputs differ"
fi
head -1 "$TMP/j1.csv" | grep -q '^policy,params,frames,references,faults,miss_ratio' &&
	pass "sweep CSV header" || fail "sweep CSV header" "$(head -1 "$TMP/j1.csv")"

# SHARDS against exact LRU on a trace it samples well.
for spec in "--shards 10%" "--shards-size 256"; do
	# shellcheck disable=SC2086
	if "$VMLAB" mrc -p lru $spec --json "$CLASSIC/gcc.trace.gz" >"$TMP/sh.json" 2>"$TMP/err"; then
		mae=$(json_get shards_mae "$TMP/sh.json")
		if awk -v m="$mae" 'BEGIN { exit !(m != "" && m < 0.02) }'; then
			pass "mrc $spec on gcc: mean absolute error $mae"
		else
			fail "mrc $spec on gcc" "mean absolute error '$mae' >= 0.02"
		fi
	else
		fail "mrc $spec" "$(head -c 300 "$TMP/err")"
	fi
done

# Plots render.
svg_ok() { # NAME FILE COLOURS...
	local name=$1 file=$2; shift 2
	local msg rc=0
	msg=$(python3 "$SVGCHECK" "$file" "$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then pass "$name"; else fail "$name" "$msg"; fi
}
"$VMLAB" mrc --svg "$TMP/mrc.svg" --log-x "$CLASSIC/swim.trace.gz" >/dev/null
svg_ok "mrc --svg renders" "$TMP/mrc.svg" "$BLUE" "$ORANGE"
"$VMLAB" sweep -p fifo,lru -f 1..512/10 --svg "$TMP/sweep.svg" \
	--timeline "$TMP/tl.svg" --timeline-frames 32 "$CLASSIC/bzip.trace.gz" >/dev/null
svg_ok "sweep --svg renders" "$TMP/sweep.svg" "$BLUE" "$ORANGE"
svg_ok "sweep --timeline renders" "$TMP/tl.svg" "$BLUE" "$ORANGE"

# Bad input: a clear message and a non-zero exit.
t_fail "empty frame list" "list of sizes is empty" "$VMLAB" sweep -f '' "$BELADY"
t_fail "empty item in frame list" "empty size" "$VMLAB" sweep -f 1,,2 "$BELADY"
t_fail "range going down" "range going down in '8\.\.4'" "$VMLAB" sweep -f 8..4 "$BELADY"
t_fail "zero frames" "zero frames" "$VMLAB" mrc -f 0..4 "$BELADY"
t_fail "malformed range" "malformed end 'x' in '1\.\.x'" "$VMLAB" sweep -f 1..x "$BELADY"
t_fail "malformed step" "malformed step" "$VMLAB" sweep -f 1..8:0 "$BELADY"
t_fail "malformed log count" "malformed count" "$VMLAB" sweep -f 1..8/1 "$BELADY"
t_fail "unknown policy" "unknown policy 'nosuch'" "$VMLAB" sweep -p lru,nosuch "$BELADY"
t_fail "unknown policy parameter" "lru" "$VMLAB" sweep -p lru,depth=3 "$BELADY"
if have_policy aging; then
	t_fail "policy parameter out of range" "aging" \
		"$VMLAB" sweep -p aging,bits=1000 -f 1..4 "$BELADY"
fi
t_fail "parameter before policy" "before any policy" "$VMLAB" sweep -p k=1 "$BELADY"
t_fail "bad -j" "-j expects" "$VMLAB" sweep -j 0 "$BELADY"
t_fail "bad shards rate" "--shards expects" "$VMLAB" mrc --shards 2 "$BELADY"
t_fail "mrc of a non-stack policy" "no one-pass curve" "$VMLAB" mrc -p fifo "$BELADY"
t_fail "mrc without workload" "no workload" "$VMLAB" mrc
t_fail "unwritable svg" "cannot write" "$VMLAB" mrc --svg /nonexistent/x.svg "$BELADY"

# miss_ratio is the row's faults / references in mrc (SHARDS rows too) as
# in sweep, so the two commands print the same ratio for the same counts.
if "$VMLAB" mrc -p lru --shards 10% -f 8,100,1000 --csv "$CLASSIC/gcc.trace.gz" >"$TMP/p.csv" 2>"$TMP/err" &&
   "$VMLAB" sweep -p lru -f 8,100,1000 --csv "$CLASSIC/gcc.trace.gz" >"$TMP/q.csv" 2>>"$TMP/err"; then
	off=$(cat <(csv_cols "$TMP/p.csv" references,faults,miss_ratio) \
		  <(csv_cols "$TMP/q.csv" references,faults,miss_ratio) |
		awk -F, '{ d = $2 / $1 - $3; if (d < 0) d = -d; if (d > 1e-15 || length($3) > 19) n++ } END { print n + 0 }')
	rows=$(($(wc -l <"$TMP/p.csv") + $(wc -l <"$TMP/q.csv") - 2))
	t_eq "miss_ratio = faults/references in mrc and sweep CSV ($rows rows)" 0 "$off"
	m=$(csv_cols "$TMP/p.csv" frames,miss_ratio method=exact | sort)
	s=$(csv_cols "$TMP/q.csv" frames,miss_ratio | sort)
	t_eq "mrc and sweep print the same miss_ratio text" "$s" "$m"
else
	fail "miss_ratio precision" "$(head -c 300 "$TMP/err")"
fi

# OPT's exact pass is slow on big traces: mrc says so before it starts, and
# --sample-opt estimates OPT from a sample of pages instead (rate 100% is
# the exact curve; below it, an estimate marked "shards").
BIG=gen:uniform,pages=64,refs=2000000,seed=5
if "$VMLAB" mrc -p lru,opt -f 8,32 --csv "$BIG" >"$TMP/o.csv" 2>"$TMP/o.err"; then
	if grep -q "the exact OPT curve of 2000000 references over 64 pages may take minutes to hours" "$TMP/o.err" &&
	   grep -q -- "--sample-opt 1% estimates it in seconds" "$TMP/o.err"; then
		pass "mrc: the exact OPT pass on a big trace is announced with its alternatives"
	else
		fail "mrc: the exact OPT pass is announced" "$(head -c 300 "$TMP/o.err")"
	fi
	"$VMLAB" mrc -p lru,opt -f 8,32 --csv --quiet "$BIG" >"$TMP/q.csv" 2>"$TMP/q.err"
	if [ ! -s "$TMP/q.err" ] && cmp -s "$TMP/o.csv" "$TMP/q.csv"; then pass "mrc --quiet: no notice, same output"
	else fail "mrc --quiet: no notice" "$(head -c 200 "$TMP/q.err")"; fi
else
	fail "mrc on a 2M-reference trace" "$(head -c 300 "$TMP/o.err")"
fi
"$VMLAB" mrc -p opt -f 1..64 --csv "$CLASSIC/gcc.trace.gz" >"$TMP/e.csv" 2>/dev/null
"$VMLAB" mrc -p lru --sample-opt 100% -f 1..64 --csv "$CLASSIC/gcc.trace.gz" >"$TMP/s.csv" 2>/dev/null
t_eq "mrc --sample-opt 100% is the exact OPT curve" \
	"$(csv_cols "$TMP/e.csv" frames,faults policy=opt)" "$(csv_cols "$TMP/s.csv" frames,faults policy=opt)"
t_eq "mrc --sample-opt marks the curve as an estimate" "shards" \
	"$(csv_cols "$TMP/s.csv" method policy=opt | sort -u)"
t_status "mrc --sample-opt 0 is refused" 2 "--sample-opt expects a rate" \
	"$VMLAB" mrc --sample-opt 0 "$BELADY"

# docs/results.md quotes gcc.trace's miss ratios at 8 frames in its text:
# they must be what vmlab prints (the doc once said 11.9% for OPT's 11.8%).
doc=$(tr '\n' ' ' <docs/results.md | sed -n \
	's/.*At 8 frames it misses \([0-9.]*\)% against LRU.s *\([0-9.]*\)%.*CLOCK and enhanced second chance .*(\([0-9.]*\)% and \([0-9.]*\)% at 8 frames).*/\1 \2 \3 \4/p')
got=$("$VMLAB" sweep -p opt,lru,clock,esc -f 8 --csv "$CLASSIC/gcc.trace.gz" 2>/dev/null |
	awk -F, 'NR > 1 { printf "%s%.1f", (NR > 2 ? " " : ""), 100 * $6 }')
if [ -n "$doc" ]; then t_eq "docs/results.md: OPT, LRU, CLOCK, ESC at 8 frames on gcc" "$doc" "$got"
else fail "docs/results.md: OPT, LRU, CLOCK, ESC at 8 frames on gcc" "the sentence is not in the doc"; fi
