#!/usr/bin/env bash
# Full-translation benchmark (issue #3): every reference goes through the
# simulated x86-64 MMU - a 64-entry 4-way TLB, 4-level page-table walks on
# misses, A/D bits, the pmap's reverse map - under Clock.  Target: at least
# 10 million references per second on one core.
#
#   bench/machine.sh [BUILD_DIR [ZIPF_TRACE]]
#
# bench/run.sh calls it with its build directory and its 20M-reference
# Zipf(0.9) trace.  The classic gcc trace is converted once to vmt in
# bench/out (as run.sh does for the Zipf trace) so both runs time the
# simulator, not gzip and text parsing.  Times are wall-clock for the whole
# `vmlab run`, pinned to one core; refs/s = page references / seconds.
#
# Rows:
#   gcc        gcc.trace, the machine's own memory (4 GiB: no evictions)
#   zipf       the Zipf trace, the machine's own memory
#   zipf-100k  the Zipf trace with 100,000 frames, as run.sh replays it
#              without a machine: 37% of references fault, and every fault
#              also walks, unmaps the victim through the reverse map and
#              maps the new page (for comparison; no target)
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
zipf=${2:-bench/out/zipf-0.9-1M-20M.vmt}
vmlab=$build/vmlab
out=bench/out
mkdir -p "$out"

gcc=$out/gcc.vmt
if [ ! -s "$gcc" ]; then
	"$vmlab" convert -o "$gcc" ../shared/traces/classic/gcc.trace.gz || exit 1
fi
if [ ! -s "$zipf" ]; then
	echo "machine bench: no trace $zipf (bench/run.sh makes it)" >&2
	zipf=
fi

pin=
command -v taskset >/dev/null && pin="taskset -c 0"
machine=x86_64
target=10

echo "full translation: --machine $machine ($("$vmlab" list machines |
	sed -n "s/^  $machine  *//p" | cut -c1-60)...), clock"
printf '%-10s %12s %10s %12s %9s %14s\n' run references faults tlb_misses \
	seconds "M refs/s"

# bench NAME TARGET vmlab-run-args...
bench() {
	local name=$1 want=$2; shift 2
	local json=$out/machine-$name.json
	local start end secs refs faults misses rate note=
	start=$EPOCHREALTIME
	$pin "$vmlab" run --machine "$machine" -p clock --json "$@" >"$json" ||
		{ echo "$name: run failed"; return; }
	end=$EPOCHREALTIME
	secs=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
	refs=$(grep -o '"references": [0-9]*' "$json" | head -1 | awk '{print $2}')
	faults=$(grep -o '"faults": [0-9]*' "$json" | head -1 | awk '{print $2}')
	misses=$(grep -o '"tlb_misses": [0-9]*' "$json" | head -1 | awk '{print $2}')
	rate=$(awk -v r="$refs" -v s="$secs" 'BEGIN { print r / s / 1e6 }')
	if [ "$want" != - ]; then
		if awk -v r="$rate" -v w="$want" 'BEGIN { exit !(r >= w) }'; then
			note="(target $want: met)"
		else
			note="(target $want: MISSED)"
		fi
	fi
	printf '%-10s %12s %10s %12s %9.2f %14.1f %s\n' "$name" "$refs" \
		"$faults" "$misses" "$secs" "$rate" "$note"
}

bench gcc "$target" "$gcc"
if [ -n "$zipf" ]; then
	bench zipf "$target" "$zipf"
	bench zipf-100k - -f 100000 "$zipf"
fi
