#!/usr/bin/env bash
# The whole test suite, as CI runs it (`make check`, after `make deps`):
#   1. gcc build, -Werror, and the suite (tests/run.sh: unit tests and
#      command-line tests, side by side);
#   2. the suite again under AddressSanitizer + UndefinedBehaviorSanitizer
#      (gcc, -O1);
#   3. clang build of everything, -Werror (both compilers must stay clean),
#      with libFuzzer instrumentation: the same build is the library the
#      fuzz targets link against;
#   4. each fuzz target for FUZZ_SECONDS seconds (default 7: the seventy
#      seconds of fuzzing the seven reader targets had, over ten targets),
#      side by side (fuzz/run.sh).
# Each build starts while the suite before it runs, so the cores the
# suite's last jobs leave idle compile instead of waiting.  Each step
# prints the wall time since the step before it ended, and the total.  Ends
# with one line "N passed, N failed" over everything.
set -u
cd "$(dirname "$0")/.."
j=$(nproc 2>/dev/null || echo 2)
total_pass=0
total_fail=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
t0=$SECONDS
t_step=$SECONDS

took() { # how long the step took, and the run so far
	echo "   ($((SECONDS - t_step)) s; $((SECONDS - t0)) s so far)"
	t_step=$SECONDS
}

tally() { # NAME: count the last line of $logs/summary, "N passed, N failed"
	local line p f
	line=$(tail -n 1 "$logs/summary")
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

# start_build KEY make-args...: build in the background (its log and exit
# status in $logs/KEY.*); finish_build KEY TITLE waits and reports.
start_build() {
	local key=$1; shift
	( make -s -j"$j" "$@" >"$logs/$key.log" 2>&1; echo $? >"$logs/$key.rc" ) &
}

finish_build() { # KEY TITLE: returns 0 if the build succeeded
	local key=$1 name=$2
	wait
	echo "== build: $name"
	if [ "$(cat "$logs/$key.rc" 2>/dev/null)" = 0 ]; then
		total_pass=$((total_pass + 1))
		echo "PASS build $name"
		took
		return 0
	fi
	cat "$logs/$key.log"
	echo "FAIL build $name"
	total_fail=$((total_fail + 1))
	took
	return 1
}

suite() { # TITLE BUILD: the suite against BUILD
	echo "== suite: $1"
	tests/run.sh "$2" | tee "$logs/summary"; tally "suite $2"
	took
}

start_build gcc CC=gcc BUILD=build all build/unit-tests
finish_build gcc gcc && gcc_ok=1 || gcc_ok=0
start_build asan CC=gcc BUILD=build-asan SAN=1 OPT=-O1 all build-asan/unit-tests
[ $gcc_ok = 1 ] && suite "gcc -O2" build
if finish_build asan asan+ubsan; then
	start_build clang CC=clang BUILD=build-fuzz FUZZ=1 OPT=-O1 \
		build-fuzz/vmlab build-fuzz/unit-tests fuzz-targets
	# VMLAB_CHECK: every system run also checks the VM's invariants
	# after every event (run --check).
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 VMLAB_CHECK=1 \
		suite "AddressSanitizer + UndefinedBehaviorSanitizer" build-asan
else
	start_build clang CC=clang BUILD=build-fuzz FUZZ=1 OPT=-O1 \
		build-fuzz/vmlab build-fuzz/unit-tests fuzz-targets
fi
if finish_build clang "clang -Werror, libFuzzer-instrumented"; then
	echo "== fuzz"
	fuzz/run.sh "${FUZZ_SECONDS:-7}" | tee "$logs/summary"; tally fuzz
	took
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
