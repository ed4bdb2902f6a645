#!/usr/bin/env bash
# bench/sched.sh BUILD: what scheduling costs.  `vmlab run --system vms
# --memory 4m` on the four classic traces as four concurrent processes
# under each CPU scheduler with a 1 ms quantum where it has one (so that
# it decides often: thousands of dispatches), one core, min wall-clock of
# 3 runs, against the same run under fifo, which never preempts.  The
# references are the same in every run; the interleaving, and so the
# faults, differ with the scheduler, so the difference is an upper bound
# on the scheduler's own cost.  Target (issue 8): no scheduler adds more
# than 10%.
set -u
cd "$(dirname "$0")/.."
vmlab=${1:-build}/vmlab
t=../shared/traces/classic
pin=
command -v taskset >/dev/null && pin="taskset -c 0"
mkdir -p bench/out
base=
printf '%-26s %9s %9s %9s %9s %s\n' scheduler seconds switches faults "vs fifo" ""
for s in fifo rr,quantum=1ms mlfq,quantum=1ms stride,quantum=1ms \
	 lottery,quantum=1ms cfs sjf stcf; do
	best=
	for _ in 1 2 3; do
		start=$EPOCHREALTIME
		$pin "$vmlab" run --system vms --sched "$s" --memory 4m --json \
			"$t/gcc.trace.gz" "$t/swim.trace.gz" "$t/bzip.trace.gz" \
			"$t/sixpack.trace.gz" >bench/out/sched.json ||
			{ echo "$s: run failed"; continue 2; }
		end=$EPOCHREALTIME
		secs=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
		if [ -z "$best" ] ||
		   awk -v s="$secs" -v b="$best" 'BEGIN { exit !(s < b) }'; then
			best=$secs
		fi
	done
	sw=$(grep -o '"context_switches": [0-9]*' bench/out/sched.json | head -1 | awk '{print $2}')
	faults=$(grep -o '"faults": [0-9]*' bench/out/sched.json | head -1 | awk '{print $2}')
	[ -z "$base" ] && base=$best
	over=$(awk -v s="$best" -v b="$base" 'BEGIN { printf "%+.1f%%", 100 * (s / b - 1) }')
	note=
	[ "$s" = fifo ] || { awk -v s="$best" -v b="$base" 'BEGIN { exit !(s <= 1.1 * b) }' &&
		note="(target +10%: met)" || note="(target +10%: MISSED)"; }
	printf '%-26s %9.3f %9s %9s %9s %s\n' "$s" "$best" "$sw" "$faults" "$over" "$note"
done
