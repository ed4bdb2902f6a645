#!/usr/bin/env bash
# The whole test suite, as CI runs it (`make check`, after `make deps`):
#   1. gcc build, -Werror, and the suite (tests/run.sh: unit tests and
#      command-line tests, side by side);
#   2. the suite again under AddressSanitizer + UndefinedBehaviorSanitizer
#      (gcc, -O1);
#   3. clang build of everything, -Werror (both compilers must stay clean),
#      with libFuzzer instrumentation: the same build is the library the
#      fuzz targets link against;
#   4. each fuzz target for FUZZ_SECONDS seconds (default 10), side by side
#      (fuzz/run.sh).
# Each step prints its wall time.  Ends with one line "N passed, N failed"
# over everything.
set -u
cd "$(dirname "$0")/.."
j=$(nproc 2>/dev/null || echo 2)
total_pass=0
total_fail=0
summary=$(mktemp)
trap 'rm -f "$summary" "$summary.log"' EXIT
t0=$SECONDS
t_step=$SECONDS

took() { # how long the step took, and the run so far
	echo "   ($((SECONDS - t_step)) s; $((SECONDS - t0)) s so far)"
	t_step=$SECONDS
}

tally() { # NAME: count the last line of $summary, "N passed, N failed"
	local line p f
	line=$(tail -n 1 "$summary")
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$line")
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$line")
	if [ -z "$p" ]; then
		echo "FAIL $1: did not finish"
		total_fail=$((total_fail + 1))
		return
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

build() { # NAME make-args...
	local name=$1; shift
	echo "== build: $name"
	if make -s -j"$j" "$@" >"$summary.log" 2>&1; then
		total_pass=$((total_pass + 1))
		echo "PASS build $name"
		took
		return 0
	fi
	cat "$summary.log"
	echo "FAIL build $name"
	total_fail=$((total_fail + 1))
	took
	return 1
}

if build gcc CC=gcc BUILD=build all build/unit-tests; then
	echo "== suite: gcc -O2"
	tests/run.sh build | tee "$summary"; tally "suite gcc"
	took
fi
if build asan+ubsan CC=gcc BUILD=build-asan SAN=1 OPT=-O1 all build-asan/unit-tests; then
	echo "== suite: AddressSanitizer + UndefinedBehaviorSanitizer"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/run.sh build-asan | tee "$summary"; tally "suite asan"
	took
fi
if build "clang -Werror, libFuzzer-instrumented" CC=clang BUILD=build-fuzz FUZZ=1 \
	OPT=-O1 build-fuzz/vmlab build-fuzz/unit-tests fuzz-targets; then
	echo "== fuzz"
	fuzz/run.sh "${FUZZ_SECONDS:-10}" | tee "$summary"; tally fuzz
	took
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
