#!/usr/bin/env bash
# Run the test suite once against a build directory (default: build):
# the C unit tests, in 2*JOBS shards (unit-tests --shard K/N), and every
# tests/cli/*.sh, each a job of its own with a temporary directory of its
# own, JOBS at a time (default: the number of cores), the longest jobs
# first (the list below).  Prints each job's
# FAIL lines (PASS lines are counted, not shown), in a fixed order
# whatever order the jobs finish in, and ends with "N passed, N failed";
# exits 1 if anything failed.  SLOWEST=N also lists the N jobs that took
# longest, with their wall times, on standard error.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export VMLAB=$PWD/$build/vmlab
# The real python3 behind any shim, once for every job (tests/lib.sh).
VMLAB_PYTHON=$( (pyenv which python3 || type -P python3) 2>/dev/null)
export VMLAB_PYTHON
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT

# The unit tests are one process that would run longest of all (under
# the sanitizers): shards spread them over the cores.
shards=$((2 * jobs))
units=()
for ((k = 1; k <= shards; k++)); do
	units+=("unit-tests $k/$shards")
done
# Longest first, so that the jobs still running when the queue is empty
# are short ones and no core idles while one long job ends: these scripts
# and the unit tests' shards each take ten seconds or more under the
# sanitizers (SLOWEST=N shows the times; keep this list in that order).
# The scripts not named here follow, in name order.
long=(analysis tour system "${units[@]}" plots ostep_cpu cluster ostep kernel
	linux solmach report install record events)
names=()
for t in "${long[@]}"; do
	case $t in
	unit-tests*) names+=("$t") ;;
	*) [ -e "tests/cli/$t.sh" ] && names+=("tests/cli/$t.sh") ;;
	esac
done
for t in tests/cli/*.sh; do
	[ -e "$t" ] || continue
	case " ${names[*]} " in *" $t "*) continue ;; esac
	names+=("$t")
done

# job I: run names[I], its output in $top/I.out.
job() {
	local i=$1 name=${names[$1]} rc start=$SECONDS
	export TMP=$top/tmp.$i
	mkdir -p "$TMP"
	if [ "${name%% *}" = unit-tests ]; then
		if [ -x "$build/unit-tests" ]; then
			# Status 1 means failed checks, each already a FAIL
			# line; anything else (a crash, a leak) is a FAIL too.
			"$build/unit-tests" --shard "${name#* }"
			rc=$?
			[ $rc -le 1 ] ||
				echo "FAIL $name: exited with status $rc"
		else
			echo "FAIL $name: $build/unit-tests was not built"
		fi
	else
		bash "$name" || echo "FAIL $name: script exited with status $?"
	fi >"$top/$i.out" 2>&1
	echo "$((SECONDS - start)) $name" >"$top/$i.time"
}

running=0
for i in "${!names[@]}"; do
	job "$i" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

for i in "${!names[@]}"; do
	cat "$top/$i.out"
done >"$top/results"
grep -v '^PASS ' "$top/results"
passed=$(grep -c '^PASS ' "$top/results")
failed=$(grep -c '^FAIL ' "$top/results")
if [ "${SLOWEST:-0}" -gt 0 ]; then
	echo "slowest jobs (wall seconds):" >&2
	cat "$top"/*.time | sort -rn | head -n "$SLOWEST" >&2
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
