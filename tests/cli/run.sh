#!/usr/bin/env bash
# vmlab run: the readable summary, the teaching view (--events) against
# golden files checked by hand against OSTEP's tables, the JSON fields,
# multi-process runs, and every kind of bad input the issue names.
. "$(dirname "$0")/../lib.sh"

G=tests/golden
COURSE=../shared/traces/course

# The teaching view.  OSTEP ch. 22's LRU table: victims 2 then 0.
t_out "events: OSTEP LRU example" "$G/run-events-ostep-lru.out" \
	"$VMLAB" run -p lru -f 3 --events pages:0,1,2,0,1,3,0,3,1,2,1
t_out "events: trace1 clock 4 frames (9 faults, 3 writebacks)" \
	"$G/run-events-trace1-clock.out" "$VMLAB" run -p clock -f 4 --events "$COURSE/trace1"
n=$("$VMLAB" run -p fifo -f 3 --events pages:1,2,3,4,1,2,5,1,2,3,4,5 | grep -c 'FAULT')
t_eq "events: one FAULT line per fault (Belady FIFO 3 frames)" 9 "$n"

# JSON: the totals the issue names, and their arithmetic.
"$VMLAB" run -p clock -f 4 --json "$COURSE/trace1" >"$TMP/t1.json"
for f in references reads writes hits faults compulsory_faults evictions writebacks; do
	v=$(json_get "$f" "$TMP/t1.json")
	if [ -n "$v" ]; then pass "json totals has $f"; else fail "json totals has $f" "missing"; fi
done
t_eq "json faults (trace1 clock 4)" 9 "$(json_get faults "$TMP/t1.json")"
t_eq "json writebacks (trace1 clock 4)" 3 "$(json_get writebacks "$TMP/t1.json")"
t_eq "json references = hits + faults" "$(json_get references "$TMP/t1.json")" \
	"$(( $(json_get hits "$TMP/t1.json") + $(json_get faults "$TMP/t1.json") ))"
t_eq "json config frames" 4 "$(json_get frames "$TMP/t1.json")"
"$VMLAB" run -p lru -f 3 --json --events pages:1,2,3,1 >"$TMP/ev.json"
t_eq "json events array" 4 "$(grep -c '"t": *[0-9]' "$TMP/ev.json")"
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/ev.json" 2>/dev/null; then
	pass "json with events parses"
else
	fail "json with events parses" "invalid JSON"
fi

# --memory is frames times the page size.
t_eq "--memory 32k = 8 frames of 4k" 8 \
	"$("$VMLAB" run --memory 32k -P 4k --json "$COURSE/trace1" | json_get frames /dev/stdin)"

# Two workloads are two processes sharing memory.
"$VMLAB" run -p lru -f 8 --json "$COURSE/trace1" "$COURSE/trace1" >"$TMP/two.json"
t_eq "two workloads, two processes" 2 "$(json_get processes "$TMP/two.json")"
t_eq "two workloads, separate pages" 12 "$(json_get distinct_pages "$TMP/two.json")"

# Deterministic for a seed; the seed matters for random.
a=$("$VMLAB" run -p random -f 50 --seed 7 --json gen:zipf,pages=500,refs=20000 | json_get faults /dev/stdin)
b=$("$VMLAB" run -p random -f 50 --seed 7 --json gen:zipf,pages=500,refs=20000 | json_get faults /dev/stdin)
c=$("$VMLAB" run -p random -f 50 --seed 8 --json gen:zipf,pages=500,refs=20000 | json_get faults /dev/stdin)
t_eq "same seed, same result" "$a" "$b"
if [ "$a" != "$c" ]; then pass "another seed, another result"; else fail "another seed, another result" "both $a"; fi

# Policy names are case-insensitive; aliases work.
t_ok "policy name case-insensitive" "$VMLAB" run -p LRU -f 2 pages:1,2,3
t_ok "policy alias nru" "$VMLAB" run -p nru -f 2 pages:1,2,3

# Bad input: a clear message and a non-zero exit, never a crash.
t_fail "unknown option" "unknown option '--frobnicate'" "$VMLAB" run --frobnicate pages:1
t_fail "unknown policy" "unknown policy 'lfu2'" "$VMLAB" run -p lfu2 pages:1
t_fail "missing file" "nonexistent\.trace: cannot open: No such file" "$VMLAB" run "$TMP/nonexistent.trace"
t_fail "a directory is not a trace" "is a directory|cannot read" "$VMLAB" run "$TMP"
printf '0041f7a0 R\n0041f7a4 Q\n' >"$TMP/bad.trace"
t_fail "malformed line: file, line and column" "bad\.trace:2:10: expected" "$VMLAB" run "$TMP/bad.trace"
head -c 40 ../shared/traces/libcachesim/cloudPhysicsIO.oracleGeneral.bin >"$TMP/trunc.oracleGeneral.bin"
t_fail "truncated binary record" "truncated" "$VMLAB" run --format oracle-general "$TMP/trunc.oracleGeneral.bin"
t_fail "zero frames" "--frames expects a number of frames from 1" "$VMLAB" run -f 0 pages:1
t_fail "frames not a number" "--frames expects" "$VMLAB" run -f many pages:1
t_fail "page size not a power of two" "--page-size expects a power of two" "$VMLAB" run -P 3000 pages:1
t_fail "memory not a multiple of the page size" "not a multiple of the page size" "$VMLAB" run --memory 5000 pages:1
t_fail "frames and memory both" "give --frames or --memory, not both" "$VMLAB" run -f 2 --memory 8k pages:1
t_fail "policy parameter out of range" "policy aging: parameter 'bits' must be between 1 and 64" \
	"$VMLAB" run -p aging,bits=65 pages:1
t_fail "no workload" "no workload given" "$VMLAB" run -p lru
t_fail "option needs a value" "option '-p' needs a value" "$VMLAB" run -p
t_fail "unknown command" "no command 'rnu'" "$VMLAB" rnu

# Help is real: every command answers --help with its usage.
for c in run sweep mrc convert list merge report; do
	if "$VMLAB" help "$c" | grep -q "^usage: vmlab $c"; then pass "help $c"; else fail "help $c" "no usage line"; fi
done
