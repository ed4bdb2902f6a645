#!/usr/bin/env bash
# Published results for replacement on one address space, through
# `vmlab run --json` and the project's trace readers
# (../shared/oracles/README.md).  tests/unit/test_policy_oracles.c pins the
# same numbers through a minimal in-test reader; if only this script fails,
# suspect the reader.
. "$(dirname "$0")/../lib.sh"

TRACES=../shared/traces

# oracle NAME FAULTS WRITES|- vmlab-run-args...: totals.faults (and
# totals.writebacks unless WRITES is -) of `vmlab run --json ARGS`.
oracle() {
	local name=$1 want_f=$2 want_w=$3; shift 3
	local out=$TMP/oracle.$$ rc=0
	"$VMLAB" run --json "$@" >"$out" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit $rc: $(head -c 300 "$TMP/err.$$")"
		return
	fi
	local f w
	f=$(json_get faults "$out")
	w=$(json_get writebacks "$out")
	if [ "$f" != "$want_f" ]; then
		fail "$name" "expected $want_f faults, got '$f'"
	elif [ "$want_w" != - ] && [ "$w" != "$want_w" ]; then
		fail "$name" "expected $want_w writebacks, got '$w'"
	else
		pass "$name"
	fi
}

# Adelaide memsim course traces: "disk reads" are faults, "disk writes"
# dirty evictions (4 KiB pages).
C=$TRACES/course
oracle oracle_trace1_clock_4 9 3 -p clock -f 4 "$C/trace1"
oracle oracle_trace1_clock_8 6 0 -p clock -f 8 "$C/trace1"
oracle oracle_trace1_lru_8 6 0 -p lru -f 8 "$C/trace1"
oracle oracle_trace2_lru_6 10 4 -p lru -f 6 "$C/trace2"
oracle oracle_trace3_lru_4 50 6 -p lru -f 4 "$C/trace3"

# Pitt CS1550 project 3: gcc.trace, 4 KiB pages, clock with 8 frames.
oracle oracle_cs1550_gcc_clock_8 181856 29401 \
	-p clock -f 8 "$TRACES/classic/gcc.trace.gz"

# libCacheSim's own LRU test expectations on cloudPhysicsIO (each block a
# page; oracleGeneral binary format).
LCS=$TRACES/libcachesim/cloudPhysicsIO.oracleGeneral.bin
for fw in 1:111187 2:110525 3:109964 4:109206 5:108968 20:105561; do
	oracle "oracle_cloudphysics_lru_${fw%%:*}" "${fw#*:}" - \
		-p lru -f "${fw%%:*}" "$LCS"
done

# Textbook reference strings, as a user would type them.
OSTEP=pages:0,1,2,0,1,3,0,3,1,2,1
BELADY=pages:1,2,3,4,1,2,5,1,2,3,4,5
SILB=pages:7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1
oracle oracle_ostep_fifo 7 0 -p fifo -f 3 "$OSTEP"
oracle oracle_ostep_lru 5 0 -p lru -f 3 "$OSTEP"
oracle oracle_ostep_opt 5 0 -p opt -f 3 "$OSTEP"
oracle oracle_belady_fifo_3 9 0 -p fifo -f 3 "$BELADY"
oracle oracle_belady_fifo_4 10 0 -p fifo -f 4 "$BELADY"
oracle oracle_belady_lru_4 8 0 -p lru -f 4 "$BELADY"
oracle oracle_belady_opt_3 7 0 -p opt -f 3 "$BELADY"
oracle oracle_belady_opt_4 6 0 -p opt -f 4 "$BELADY"
oracle oracle_silberschatz_fifo 15 0 -p fifo -f 3 "$SILB"
oracle oracle_silberschatz_lru 12 0 -p LRU -f 3 "$SILB"
oracle oracle_silberschatz_opt 9 0 -p MIN -f 3 "$SILB"
