#!/usr/bin/env bash
# Memory follows the pages a workload touches, not the frames it is given
# (docs/design.md, "Memory"): the largest pools -f and --memory accept,
# with every policy, on a machine too, in run, sweep and mrc, finish in a
# moment within a few hundred MB.  Before, `run -f 4294967293 pages:1`
# ran out of host memory, and `--memory 1t` took 2 GB for one reference.
. "$(dirname "$0")/../lib.sh"

LIMIT_MB=300
MAXF=4294967293

# Run CMD... with at most LIMIT_MB of memory.  A normal build gets a
# virtual-memory limit (allocations beyond it fail and vmlab aborts); a
# sanitizer build reserves terabytes of address space for its shadow, so
# there the sanitizer's own limits apply instead: no single allocation
# over LIMIT_MB, and the process dies if its resident set exceeds it.
limited() {
	if grep -q __asan_init "$VMLAB"; then
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}max_allocation_size_mb=$LIMIT_MB:hard_rss_limit_mb=$LIMIT_MB:allocator_may_return_null=0 \
			"$@"
	else
		(ulimit -v $((LIMIT_MB * 1024)) && exec "$@")
	fi
}

# t_small NAME CMD...: CMD exits 0 within the memory limit, in under 5 s.
t_small() {
	local name=$1; shift
	local rc=0 t0=$SECONDS
	limited "$@" >"$TMP/out.$$" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit $rc: $(head -c 300 "$TMP/err.$$")"
	elif [ $((SECONDS - t0)) -ge 5 ]; then
		fail "$name" "took $((SECONDS - t0)) s"
	else
		pass "$name"
	fi
}

# The limit bites: OPT holding 34M references (9 bytes each) exceeds it.
# (Sanitizer builds: its limits are the sanitizer's, not checked here.)
if ! grep -q __asan_init "$VMLAB"; then
	rc=0
	limited "$VMLAB" run -p opt -f 8 gen:uniform,pages=10,refs=34000000 \
		>/dev/null 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then pass "memory limit: OPT on 34M references exceeds it"
	else fail "memory limit: OPT on 34M references exceeds it" \
		"it ran within $LIMIT_MB MB"; fi
fi

# The runs of issue 10.
t_small "run -f $MAXF pages:1" "$VMLAB" run -f $MAXF pages:1
t_eq "run -f $MAXF: one fault" 1 \
	"$(limited "$VMLAB" run -f $MAXF --json pages:1 | json_get faults /dev/stdin)"
t_small "run -p opt -f 3000000000 pages:1" "$VMLAB" run -p opt -f 3000000000 pages:1
t_small "run --memory 1t pages:1" "$VMLAB" run --memory 1t pages:1
t_small "run --machine x86_64 --memory 1t pages:1" \
	"$VMLAB" run --machine x86_64 --memory 1t pages:1
t_small "run --machine x86_64,mem=1t pages:1" "$VMLAB" run --machine x86_64,mem=1t pages:1
t_small "run --machine x86_64 -p opt -f $MAXF" \
	"$VMLAB" run --machine x86_64 -p opt -f $MAXF pages:1,2,1
t_small "run --machine inverted,mem=1t (a 5 GiB table, modelled)" \
	"$VMLAB" run --machine inverted,mem=1t pages:1,2,1
t_small "run --machine riscv-sv39 -p clockpro --memory 1t" \
	"$VMLAB" run --machine riscv-sv39 -p clockpro --memory 1t pages:1,2,1

# Every policy, on a workload that loads 5000 pages into the huge pool:
# as many faults as pages, whatever the policy (memory never fills).
# (ws with a window longer than the run: it releases nothing.)
for p in $("$VMLAB" list policies | awk '/^  [a-z]/ { print $1 }'); do
	[ "$p" = ws ] && p=ws,tau=1000000
	limited "$VMLAB" run -p "$p" -f $MAXF --json \
		gen:zipf,pages=5000,refs=50000,alpha=0.8 >"$TMP/p.json" 2>"$TMP/p.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "run -p $p -f $MAXF" "exit $rc: $(head -c 300 "$TMP/p.err")"
	else
		t_eq "run -p $p -f $MAXF: faults = distinct pages" \
			"$(json_get distinct_pages "$TMP/p.json")" "$(json_get faults "$TMP/p.json")"
	fi
done

# Sweeps and curves at the largest size.
t_small "sweep -f $MAXF" "$VMLAB" sweep -j 2 -f $MAXF pages:1,2,3
t_small "sweep of six policies, sizes 1 to $MAXF" \
	"$VMLAB" sweep -j 2 -p lru,opt,arc,lirs,clockpro,ws -f 1,2,$MAXF pages:1,2,3,1
t_small "sweep -f 1..$MAXF/4 --csv" "$VMLAB" sweep -j 2 -f 1..$MAXF/4 --csv pages:1,2,3
t_eq "sweep at $MAXF: 3 faults for 3 pages" 3 \
	"$(limited "$VMLAB" sweep -j 2 -p lru -f $MAXF --csv pages:1,2,3,1 |
	   awk -F, 'NR == 2 { print $5 }')"
t_small "mrc -f 1,$MAXF" "$VMLAB" mrc -f 1,$MAXF pages:1,2
