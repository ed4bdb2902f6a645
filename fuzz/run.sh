#!/usr/bin/env bash
# Build every fuzz target fuzz/fuzz_*.c with clang + libFuzzer (plus ASan
# and UBSan) and run each for SECONDS seconds (default 10), starting from
# its seed corpus fuzz/corpus/NAME/ if present and with the dictionary
# fuzz/NAME.dict if there is one.
#
# The library is compiled once, instrumented, into build-fuzz/ by the
# Makefile (make CC=clang BUILD=build-fuzz FUZZ=1 fuzz-targets: -j, and
# incremental), and every target links against it; the targets then run
# side by side, JOBS at a time (default: the number of cores).  Prints
# PASS/FAIL per target, in name order, and ends with "N passed, N failed".
# A target's log is build-fuzz/NAME.log; a crashing input is saved beside
# it as build-fuzz/crash-* (libFuzzer's -artifact_prefix).
set -u
cd "$(dirname "$0")/.."
secs=${1:-10}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
out=build-fuzz
mkdir -p "$out"

if ! make -s -j"$jobs" CC=clang BUILD=$out FUZZ=1 OPT=-O1 fuzz-targets \
	>"$out/build.log" 2>&1; then
	cat "$out/build.log"
	echo "FAIL fuzz: the targets do not build"
	echo "0 passed, 1 failed"
	exit 1
fi

# run_one NAME: fuzz one target; its verdict goes to $out/NAME.result.
run_one() {
	local name=$1 corpus=$out/corpus-$1 dict=()
	rm -rf "$corpus"; mkdir -p "$corpus"
	[ -d "fuzz/corpus/$name" ] && cp fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
	[ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
	# stderr and stdout closed for the target's own messages (an
	# option parser prints every refusal); libFuzzer and the sanitizers
	# still report on a copy of stderr.
	if "$out/fuzz/$name" -max_total_time="$secs" -max_len=4096 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=3 \
		-artifact_prefix="$out/" "${dict[@]}" "$corpus" >"$out/$name.log" 2>&1; then
		echo "PASS fuzz $name ($(grep -o 'stat::number_of_executed_units: [0-9]*' \
			"$out/$name.log" | awk '{print $2}') runs)" >"$out/$name.result"
	else
		{ echo "FAIL fuzz $name:"; tail -40 "$out/$name.log"; } >"$out/$name.result"
	fi
}

names=()
for f in fuzz/fuzz_*.c; do
	[ -e "$f" ] || continue
	names+=("$(basename "$f" .c)")
done
running=0
for name in "${names[@]}"; do
	rm -f "$out/$name.result"
	run_one "$name" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

pass=0
fail=0
for name in "${names[@]}"; do
	if [ -f "$out/$name.result" ]; then
		cat "$out/$name.result"
	else
		echo "FAIL fuzz $name: no result"
	fi
	if grep -q '^PASS' "$out/$name.result" 2>/dev/null; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
