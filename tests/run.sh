#!/usr/bin/env bash
# Run the test suite once against a build directory (default: build):
# the C unit tests, then every tests/cli/*.sh.  Prints one PASS/FAIL line per
# check and ends with "N passed, N failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
export VMLAB=$PWD/$build/vmlab
export TMP
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
log=$TMP/results

{
	if [ -x "$build/unit-tests" ]; then
		"$build/unit-tests" || true
	else
		echo "FAIL unit-tests: $build/unit-tests was not built"
	fi
	for t in tests/cli/*.sh; do
		[ -e "$t" ] || continue
		bash "$t" || echo "FAIL $t: script exited with status $?"
	done
} 2>&1 | tee "$log" | grep -v '^PASS '

passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
