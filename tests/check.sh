#!/usr/bin/env bash
# The test suite, as CI runs it.  Two parts, each a make target:
#
#   tests/check.sh            (make check: the whole suite, once)
#     1. gcc build, -Werror, and the suite (tests/run.sh: unit tests and
#        command-line tests, side by side);
#     2. clang build of everything, -Werror (both compilers must stay
#        clean), with libFuzzer instrumentation and ASan + UBSan: the same
#        build is the library the fuzz targets link against (main.c and
#        the unit tests, which no target links, are only checked:
#        make syntax-check);
#     3. each fuzz target for FUZZ_SECONDS seconds (default 7: the
#        seventy seconds of fuzzing the seven reader targets had, over
#        the ten targets there were then; there are twelve now), side by
#        side (fuzz/run.sh).
#   tests/check.sh sanitize   (make check-sanitize: the suite again)
#     4. gcc build under AddressSanitizer + UndefinedBehaviorSanitizer
#        (-O1, DEBUG_ASSERTs on) and the whole suite against it, with
#        VMLAB_CHECK=1 so that every system run checks the VM's
#        invariants as it goes.
#
# .ci/run runs both.  They are apart because together they cannot take
# less than about 340 s on a 2-core machine (they are CPU-bound: about
# 675 CPU-seconds, the sanitizer pass 350 of them), and `make check`
# should answer in under three minutes (it takes about 170 s).
#
# Within a part the steps overlap so that no core waits: the clang build
# runs beside the gcc suite; the fuzzing waits for both, so that each
# target has a core of its own for its seconds.  Each step's report (its
# FAIL lines, or a build's log when it fails) is printed in the order
# above, with the wall time the step took, when it ended and the CPU time
# it used (on two cores, a part cannot take less than half the CPU times'
# sum); the run ends with one line "N passed, N failed" over everything.
set -u
cd "$(dirname "$0")/.."
j=$(nproc 2>/dev/null || echo 2)
total_pass=0
total_fail=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
t0=$SECONDS

# step KEY CMD...: run CMD; its output goes to $logs/KEY.out, its exit
# status to $logs/KEY.rc, and its wall time, when it ended and the CPU
# time it used (user + system, all its processes; `times` in the
# subshell that ran it) to $logs/KEY.time.
step() {
	local key=$1 start=$SECONDS rc=0
	shift
	(
		"$@" >"$logs/$key.out" 2>&1
		echo "$?" >"$logs/$key.rc"
		times >"$logs/$key.cpu" # not in a pipe: its own subshell
	)
	read -r rc <"$logs/$key.rc"
	echo "$((SECONDS - start)) s; ended $((SECONDS - t0)) s in;" \
		"$(awk -F'[ms]' 'NR == 2 { printf "%.0f", 60 * ($1 + $3) + $2 + $4 }' \
			"$logs/$key.cpu") s of CPU" >"$logs/$key.time"
	return "$rc"
}

build() { make -s -j"$j" "$@"; }

# VMLAB_CHECK: every system run also checks the VM's invariants over the
# run (run --check).
asan_suite() {
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 VMLAB_CHECK=1 \
		tests/run.sh build-asan
}

# Every source through clang -Werror: the library and the commands as
# the fuzz targets' instrumented build, main.c and the unit tests for
# their warnings only.
clang_build() {
	build CC=clang BUILD=build-fuzz FUZZ=1 OPT=-O1 fuzz-targets syntax-check
}

took() { echo "   ($(cat "$logs/$1.time" 2>/dev/null || echo 'did not run'))"; }

report_build() { # KEY TITLE: returns 0 if the build succeeded
	echo "== build: $2"
	if [ "$(cat "$logs/$1.rc" 2>/dev/null)" = 0 ]; then
		total_pass=$((total_pass + 1))
		echo "PASS build $2"
		took "$1"
		return 0
	fi
	cat "$logs/$1.out" 2>/dev/null
	echo "FAIL build $2"
	total_fail=$((total_fail + 1))
	took "$1"
	return 1
}

# report_suite KEY TITLE: print a suite's report and count its last line,
# "N passed, N failed".
report_suite() {
	local line p f
	echo "== $2"
	cat "$logs/$1.out" 2>/dev/null
	line=$(tail -n 1 "$logs/$1.out" 2>/dev/null)
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$line")
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$line")
	if [ -z "$p" ]; then
		echo "FAIL $2: did not finish"
		total_fail=$((total_fail + 1))
	else
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + f))
	fi
	took "$1"
}

case ${1:-} in
"")
	step gcc-build build CC=gcc BUILD=build all build/unit-tests
	gcc_ok=$(cat "$logs/gcc-build.rc")
	step clang-build clang_build &
	[ "$gcc_ok" = 0 ] && step gcc-suite tests/run.sh build
	wait
	report_build gcc-build gcc
	[ "$gcc_ok" = 0 ] && report_suite gcc-suite "suite: gcc -O2"
	if report_build clang-build "clang -Werror, libFuzzer-instrumented"; then
		step fuzz fuzz/run.sh "${FUZZ_SECONDS:-7}"
		report_suite fuzz "fuzz: ${FUZZ_SECONDS:-7} s a target"
	fi
	;;
sanitize)
	step asan-build build CC=gcc BUILD=build-asan SAN=1 OPT=-O1 \
		all build-asan/unit-tests &&
		step asan-suite asan_suite
	report_build asan-build asan+ubsan &&
		report_suite asan-suite "suite: AddressSanitizer + UndefinedBehaviorSanitizer"
	;;
*)
	echo "usage: tests/check.sh [sanitize]" >&2
	exit 2
	;;
esac

echo "($((SECONDS - t0)) s in all)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
