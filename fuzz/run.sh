#!/usr/bin/env bash
# Build every fuzz target fuzz/fuzz_*.c with clang + libFuzzer (plus ASan and
# UBSan) against the library sources, and run each for SECONDS seconds
# (default 10), starting from its seed corpus fuzz/corpus/NAME/ if present.
# Prints PASS/FAIL per target and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
secs=${1:-10}
out=build-fuzz
mkdir -p "$out"
pass=0
fail=0
src=$(ls src/*/*.c | grep -v '^src/cli/main.c$')
flags="-std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
for f in fuzz/fuzz_*.c; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .c)
	if ! clang $flags -o "$out/$name" "$f" $src -lzstd -lz -lm -lpthread 2>"$out/$name.log"; then
		echo "FAIL $name: does not build"; cat "$out/$name.log"
		fail=$((fail + 1)); continue
	fi
	corpus=$out/corpus-$name
	rm -rf "$corpus"; mkdir -p "$corpus"
	[ -d "fuzz/corpus/$name" ] && cp fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
	if "$out/$name" -max_total_time="$secs" -max_len=4096 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 "$corpus" >"$out/$name.log" 2>&1; then
		echo "PASS fuzz $name ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/$name.log" | awk '{print $2}') runs)"
		pass=$((pass + 1))
	else
		echo "FAIL fuzz $name:"; tail -40 "$out/$name.log"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
