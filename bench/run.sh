#!/usr/bin/env bash
# make bench: measure vmlab's speed on standard workloads.
#
# The replacement benchmark of issue #2: a 20,000,000-reference Zipf(0.9)
# trace over 1,000,000 pages (popular pages scattered over the address
# space), replayed with 100,000 frames under each policy, one process on one
# core (taskset -c 0).  Times are wall-clock for the whole `vmlab run`
# (reading the trace file included); refs/s = page references / seconds;
# max RSS from /usr/bin/time when available.  The trace is generated once
# into bench/out/ as vmt (what vmlab reads) and as a libCacheSim
# oracleGeneral file (so other simulators can replay the same sequence).
#
#   bench/run.sh [BUILD_DIR]        (default build)
#   POLICIES="lru clock" bench/run.sh  to time a subset
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
vmlab=$build/vmlab
out=bench/out
mkdir -p "$out"

trace=$out/zipf-0.9-1M-20M.vmt
spec="gen:zipf,pages=1000000,refs=20000000,alpha=0.9,scatter=1,seed=1"
if [ ! -s "$trace" ]; then
	echo "generating $trace ($spec)"
	"$vmlab" convert -o "$trace" "$spec" || exit 1
	"$vmlab" convert --to oracle-general -o "$out/zipf-0.9-1M-20M.oracleGeneral.bin" "$trace" || exit 1
fi

pin=
command -v taskset >/dev/null && pin="taskset -c 0"
timer=
[ -x /usr/bin/time ] && timer="/usr/bin/time -f %M -o $out/rss"

echo "vmlab bench  $(git rev-parse --short HEAD 2>/dev/null)  $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "trace:   $trace ($(du -h "$trace" | cut -f1)), 100000 frames, one core"
echo
printf '%-10s %12s %10s %9s %14s %10s\n' policy references faults seconds "M refs/s" "max RSS"
targets="fifo:20 clock:20 lru:20 opt:5"
for p in ${POLICIES:-opt fifo random lru mru clock esc aging twoq arc car lirs clockpro lru-k s3fifo sieve gclock ws wsclock pff}; do
	start=$EPOCHREALTIME
	$timer $pin "$vmlab" run -p "$p" -f 100000 --json "$trace" >"$out/$p.json" || { echo "$p: run failed"; continue; }
	end=$EPOCHREALTIME
	secs=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
	refs=$(grep -o '"references": [0-9]*' "$out/$p.json" | head -1 | awk '{print $2}')
	faults=$(grep -o '"faults": [0-9]*' "$out/$p.json" | head -1 | awk '{print $2}')
	rate=$(awk -v r="$refs" -v s="$secs" 'BEGIN { print r / s / 1e6 }')
	rss=-
	[ -s "$out/rss" ] && rss="$(( $(cat "$out/rss") / 1024 )) MiB"
	note=
	for t in $targets; do
		if [ "${t%%:*}" = "$p" ]; then
			want=${t##*:}
			if awk -v r="$rate" -v w="$want" 'BEGIN { exit !(r >= w) }'; then
				note="(target $want: met)"
			else
				note="(target $want: MISSED)"
			fi
		fi
	done
	printf '%-10s %12s %10s %9.2f %14.1f %10s %s\n' "$p" "$refs" "$faults" "$secs" "$rate" "$rss" "$note"
done
if [ -x bench/machine.sh ]; then
	echo
	echo "full translation (issue #3):"
	bench/machine.sh "$build" "$trace"
fi
if [ -x bench/system.sh ]; then
	echo
	echo "under each operating system (issues 7 and 9: four classic traces as four processes):"
	bench/system.sh "$build"
fi
if [ -x bench/sched.sh ]; then
	echo
	echo "what scheduling costs (issue 8: the same four processes under vms, each scheduler against fifo):"
	bench/sched.sh "$build"
fi
if [ -x bench/analysis.sh ]; then
	echo
	echo "analysis (issue #4):"
	bench/analysis.sh "$trace" "$build"
fi
