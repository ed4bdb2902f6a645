#!/usr/bin/env bash
# Benchmarks of the analysis commands (issue #4), on one trace -- meant for
# the 20M-reference Zipf trace over 1M pages that bench/run.sh makes:
#
#   bench/analysis.sh TRACE [BUILD]
#
#   1. vmlab mrc -p lru: the exact LRU curve at every size, one core
#      (target: under 10 s);
#   2. vmlab mrc --shards 1%: the SHARDS estimate (target: under 1 s);
#      its mean absolute error against the exact curve over sizes 1 .. the
#      distinct pages, from two untimed runs (target: below 0.01);
#   3. vmlab sweep: 8 policies x 16 sizes with -j 2 (target: both cores
#      busy, i.e. CPU time close to twice the wall time).
#
# Prints one line per measurement: wall seconds, references per second,
# and for the sweep the CPU time and the cores it kept busy.  Times are
# the whole command (reading the trace included), measured with bash's
# `time` on whatever else the machine is doing: run it on a quiet machine.
set -u
trace=${1:?usage: bench/analysis.sh TRACE [BUILD]}
build=${2:-build}
VMLAB=$build/vmlab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$VMLAB" ] || { echo "bench/analysis.sh: $VMLAB not built" >&2; exit 1; }
[ -e "$trace" ] || { echo "bench/analysis.sh: no trace '$trace'" >&2; exit 1; }

json_num() { grep -o "\"$1\": *[-0-9.e+]*" "$2" | head -1 | sed 's/.*: *//'; }

# run NAME CMD...: time CMD (stdout to $tmp/NAME.out); sets real, cpu.
run() {
	local name=$1; shift
	local TIMEFORMAT='%3R %3U %3S'
	{ time "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; } 2>"$tmp/$name.time"
	if [ -s "$tmp/$name.err" ] || ! [ -s "$tmp/$name.out" ]; then
		echo "bench/analysis.sh: $name failed: $(head -c 300 "$tmp/$name.err")" >&2
		exit 1
	fi
	read -r real user sys <"$tmp/$name.time"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f M refs/s", (s > 0 ? n / s / 1e6 : 0) }'; }
verdict() { awk -v v="$1" -v lim="$2" 'BEGIN { print (v < lim ? "ok" : "OVER") }'; }

run exact "$VMLAB" mrc -p lru --json "$trace"
refs=$(json_num references "$tmp/exact.out")
pages=$(json_num distinct_pages "$tmp/exact.out")
printf 'mrc exact LRU, every size  %8.2f s  %s  (%s references, %s pages; limit 10 s: %s)\n' \
	"$real" "$(rate "$refs" "$real")" "$refs" "$pages" "$(verdict "$real" 10)"

run shards "$VMLAB" mrc --shards 1% --json "$trace"
printf 'mrc SHARDS 1%%              %8.2f s  %s  (limit 1 s: %s)\n' \
	"$real" "$(rate "$refs" "$real")" "$(verdict "$real" 1)"

# Error of the estimate: both curves at every size 1 .. pages (untimed).
"$VMLAB" mrc -p lru -f "1..$pages" --csv "$trace" >"$tmp/e.csv"
"$VMLAB" mrc --shards 1% -f "1..$pages" --csv "$trace" >"$tmp/s.csv"
mae=$(awk -F, '
	FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	FILENAME == ARGV[1] { e[$col["frames"]] = $col["miss_ratio"]; next }
	{ d = $col["miss_ratio"] - e[$col["frames"]]; s += d < 0 ? -d : d; n++ }
	END { printf "%.4f", n ? s / n : -1 }' "$tmp/e.csv" "$tmp/s.csv")
printf 'SHARDS 1%% mean abs. error  %8s    over %s sizes (limit 0.01: %s)\n' \
	"$mae" "$pages" "$(verdict "$mae" 0.01)"

# Eight policies: the first eight of these that this build has (repeating
# if it has fewer), at 16 log-spaced sizes.
want="lru fifo clock opt random mru esc aging 2q arc sieve s3fifo car lirs"
pols=()
for p in $want; do
	"$VMLAB" sweep -p "$p" -f 1 pages:1 >/dev/null 2>&1 && pols+=("$p")
	[ ${#pols[@]} -eq 8 ] && break
done
[ ${#pols[@]} -gt 0 ] || { echo "bench/analysis.sh: no policy runs" >&2; exit 1; }
have=${#pols[@]}
while [ ${#pols[@]} -lt 8 ]; do pols+=("${pols[$(( ${#pols[@]} % have ))]}"); done
plist=$(IFS=,; echo "${pols[*]}")
top=$pages
[ "$top" -gt 16 ] || top=16
run sweep "$VMLAB" sweep -p "$plist" -f "1..$top/16" -j 2 --csv "$trace"
runs=$(($(wc -l <"$tmp/sweep.out") - 1))
cores=$(awk -v c="$cpu" -v r="$real" 'BEGIN { printf "%.2f", (r > 0 ? c / r : 0) }')
printf 'sweep %s x 16 sizes, -j 2  %8.2f s  %s  (%d runs; %s s CPU = %s cores busy)\n' \
	"$plist" "$real" "$(rate $((refs * runs)) "$real")" "$runs" "$cpu" "$cores"
[ "$have" -lt 8 ] && echo "  (this build has only $have of the 8 policies; the others are repeats)"
exit 0
