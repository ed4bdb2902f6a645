# tests/cli/sched.sh - `vmlab sched` (jobs on one CPU under a scheduler)
# and `vmlab list schedulers`: OSTEP chapter 7's numbers from the command
# line, the trace, and the errors of a bad scheduler or job (exit 2).

. tests/lib.sh

# avg LINE_FIELD CMD...: the average turnaround (or response) printed.
avg() {
	local field=$1; shift
	"$@" | awk -v f="$field" '$1 == "average" { print $f }'
}

t_eq "sched fifo three 10s jobs" 20.00 \
	"$(avg 3 "$VMLAB" sched -s fifo length=10 length=10 length=10)"
t_eq "sched fifo convoy" 110.00 \
	"$(avg 3 "$VMLAB" sched -s fifo length=100 length=10 length=10)"
t_eq "sched sjf" 50.00 \
	"$(avg 3 "$VMLAB" sched -s sjf length=100 length=10 length=10)"
t_eq "sched stcf late arrivals" 50.00 \
	"$(avg 3 "$VMLAB" sched -s stcf length=100 arrival=10,length=10 \
		arrival=10,length=10)"
t_eq "sched rr response" 1.00 \
	"$(avg 2 "$VMLAB" sched -s rr,quantum=1 length=5 length=5 length=5)"
t_eq "sched sjf response" 5.00 \
	"$(avg 2 "$VMLAB" sched -s sjf length=5 length=5 length=5)"
t_eq "sched times with units" 19000000.00 \
	"$(avg 3 "$VMLAB" sched -s rr,quantum=2ms length=10ms length=10ms)"

# The trace: MLFQ's figure 8.3, B preempts A at 100 and ends at 120.
"$VMLAB" sched -s mlfq,quantum=10,boost=0 -t length=180 \
	arrival=100,length=20 >"$TMP/mlfq.out"
t_eq "sched trace preemption" "100 job 1 runs" \
	"$(awk '$2 == "job" && $3 == 1 && $4 == "runs" { print $1, $2, $3, $4; exit }' \
		"$TMP/mlfq.out")"
t_eq "sched trace finish" "120 job 1 finishes" \
	"$(grep 'job 1 finishes' "$TMP/mlfq.out" | awk '{ print $1, $2, $3, $4 }')"
t_eq "sched trace io" 3 "$("$VMLAB" sched -s rr -t length=4,io_every=1,io_time=2 |
	grep -c 'starts an I/O')"
t_eq "sched trace boost" 2 "$("$VMLAB" sched -s mlfq,boost=100 -t length=250 |
	grep -c "scheduler's event")"

# Lottery: the seed changes the draws, the same seed the same run.
l1=$("$VMLAB" sched -s lottery,quantum=1 --seed 1 length=50 length=50)
l2=$("$VMLAB" sched -s lottery,quantum=1 --seed 1 length=50 length=50)
l3=$("$VMLAB" sched -s lottery,quantum=1 --seed 2 length=50 length=50)
t_eq "sched lottery same seed" "$l1" "$l2"
if [ "$l1" != "$l3" ]; then pass "sched lottery other seed"; else
	fail "sched lottery other seed" "seeds 1 and 2 gave the same run"; fi

# vmlab list schedulers: every scheduler with its keys.
"$VMLAB" list schedulers >"$TMP/list.out"
t_eq "list schedulers" 8 "$(grep -cE '^  (fifo|sjf|stcf|rr|mlfq|lottery|stride|cfs) ' \
	"$TMP/list.out")"
t_eq "list schedulers keys" 1 "$(grep -c '^      quantum=10ms .*time slice at every level' \
	"$TMP/list.out")"
t_ok "list includes schedulers" sh -c "'$VMLAB' list | grep -q '^CPU schedulers'"

# Bad input: usage errors, exit 2.
t_fail "sched unknown scheduler" "unknown scheduler 'bogus' \(one of fifo" \
	"$VMLAB" sched -s bogus length=1
t_fail "sched unknown key" "scheduler rr: unknown parameter 'slice' \(keys: quantum\)" \
	"$VMLAB" sched -s rr,slice=5 length=1
t_fail "sched zero quantum" "parameter 'quantum' must be between 1" \
	"$VMLAB" sched -s rr,quantum=0 length=1
t_fail "sched negative quantum" "parameter 'quantum' expects a time" \
	"$VMLAB" sched -s mlfq,quantum=-10 length=1
t_fail "sched zero tickets" "parameter 'tickets' must be between 1" \
	"$VMLAB" sched -s lottery,tickets=0 length=1
t_fail "sched bad mlfq levels" "quanta lists 3 levels, levels=2" \
	"$VMLAB" sched -s mlfq,levels=2,quanta=1:2:3 length=1
t_fail "sched no scheduler" "which scheduler" "$VMLAB" sched length=1
t_fail "sched no job" "no job given" "$VMLAB" sched -s fifo
t_fail "sched job without length" "job 1 \('arrival=5'\): length=TIME" \
	"$VMLAB" sched -s fifo length=1 arrival=5
t_fail "sched job bad key" "job 0: unknown parameter 'len'" \
	"$VMLAB" sched -s fifo len=5
t_fail "sched job bad nice" "job 0: parameter 'nice' must be between -20 and 19" \
	"$VMLAB" sched -s cfs length=5,nice=-21
for args in "-s bogus length=1" "-s rr,quantum=0 length=1" "-s fifo" \
	"-s fifo length=0" "-s lottery,tickets=0 length=1"; do
	rc=0
	# shellcheck disable=SC2086
	"$VMLAB" sched $args >/dev/null 2>&1 || rc=$?
	t_eq "sched exit status 2: $args" 2 "$rc"
done
t_ok "sched --help" "$VMLAB" sched --help
