#!/usr/bin/env bash
# vmlab run --system --events: the kernel's teaching view.  Each run below
# is made twice, with --events --json and without, and the events are
# held against the summary of the same run: every reference appears once
# and the hits and faults by kind add up to the summary's, per process
# too; the I/O issued adds up to page_ins/page_outs and their requests;
# every read a process waits for is completed later, at the time its wait
# said, and no more pages complete than were issued (a page written as
# its frame is taken is written at once: no completion of its own; and
# memsim has no disk); a fork comes before anything its child does; the clock never goes
# back; and --events changes no other output.  Then the text form: one
# line per event, the same every time, hits and faults where the JSON has
# them.
set -u
. tests/lib.sh

D=tests/data

# check_events NAME EVENTS_JSON SUMMARY_JSON: PASS/FAIL lines.
check_events() {
	python3 - "$@" <<'EOF'
import json, sys
name, evf, sumf = sys.argv[1:4]
def out(ok, what, why=""):
    print(("PASS %s: %s" % (name, what)) if ok else
          ("FAIL %s: %s: %s" % (name, what, why)))
try:
    d = json.load(open(evf))
    s = json.load(open(sumf))
except Exception as x:
    out(False, "JSON parses", x)
    sys.exit(0)
ev = d["events"]
tot = s["totals"]
out(d["totals"] == tot and d["processes"] == s["processes"],
    "--events changes no count", "totals or processes differ")
refs = [e for e in ev if e["event"] == "ref"]
faulting = [e for e in ev if e["event"] in ("ref", "failed", "inswap")]
out(len(refs) == tot["references"], "one ref event per reference",
    "%d refs, %d references" % (len(refs), tot["references"]))
out(sum(e["hit"] for e in refs) == tot["hits"], "hits add up",
    "%d vs %d" % (sum(e["hit"] for e in refs), tot["hits"]))
kinds = ["hard", "soft", "zero_fill", "cow", "protection", "segmentation"]
got = {k: sum(e.get("fault") == k for e in faulting) for k in kinds}
want = {k: tot[k + "_faults"] for k in kinds}
out(got == want, "faults by kind add up", "%s vs %s" % (got, want))
bad = []
for p in s["processes"]:
    mine = [e for e in faulting if e["pid"] == p["pid"]]
    n = sum(e["event"] == "ref" for e in mine)
    f = {k: sum(e.get("fault") == k for e in mine) for k in kinds}
    if n != p["references"] or any(f[k] != p[k + "_faults"] for k in kinds):
        bad.append(p["pid"])
out(not bad, "per process too", "pids %s" % bad)
# A page-table-page fault (pageable page tables: vms) is marked on the
# event of the access it came before, or of its wait.
pt = [e for e in ev if e.get("pt_fault")]
out(len(pt) == tot["pt_faults"] and
    all(sum(e["pid"] == p["pid"] for e in pt) == p["pt_faults"]
        for p in s["processes"]),
    "page-table-page faults add up", "%d vs %d" % (len(pt), tot["pt_faults"]))
issued = [e for e in ev if e["event"] != "io_done"]
for key, total in (("reads", "read_ios"), ("read_pages", "page_ins"),
                   ("writes", "write_ios"), ("write_pages", "page_outs")):
    n = sum(e.get(key, 0) for e in issued)
    out(n == tot[total], "I/O issued: %s = %s" % (key, total),
        "%d vs %d" % (n, tot[total]))
done = [(i, e) for i, e in enumerate(ev) if e["event"] == "io_done"]
lost = []
for i, e in enumerate(ev):
    if e["event"] == "block" and e["wait"] == "page" and e.get("reads"):
        if not any(j > i and x.get("reads") and x["until"] == e["until"]
                   for j, x in done):
            lost.append(e["t"])
out(not lost, "every read waited for completes when due", "at %s" % lost[:5])
for key in ("read_pages", "write_pages"):
    n = sum(x.get(key, 0) for _, x in done)
    m = sum(e.get(key, 0) for e in issued)
    out(n <= m, "%s completed <= issued" % key,
        "%d done, %d issued" % (n, m))
first, forked, late = {}, {}, []
for i, e in enumerate(ev):
    if "pid" in e:
        first.setdefault(e["pid"], i)
    if e["event"] == "fork":
        forked[e["child"]] = i
for c, i in forked.items():
    if first.get(c, i + 1) <= i:
        late.append(c)
out(not late, "a fork comes before its child's first event", "%s" % late)
out(len(forked) == tot["forks"], "one fork event per fork",
    "%d vs %d" % (len(forked), tot["forks"]))
ends = {e["pid"]: e["end"] for e in ev if e["event"] == "exit"}
want = {p["pid"]: p["end"] for p in s["processes"] if p["end"] != "running"}
out(ends == want, "one exit event per process, with its end",
    "%s vs %s" % (ends, want))
back = [e["t"] for a, e in zip(ev, ev[1:]) if e["t"] < a["t"]]
out(not back, "the clock never goes back", "at %s" % back[:3])
EOF
}

# run_case NAME ARGS...: the checks above for vmlab run --system ARGS.
run_case() {
	local name=$1; shift
	if "$VMLAB" run --events --json "$@" >"$TMP/e.json" 2>"$TMP/e.err" &&
	   "$VMLAB" run --json "$@" >"$TMP/s.json" 2>"$TMP/s.err"; then
		check_events "$name" "$TMP/e.json" "$TMP/s.json"
	else
		fail "$name" "run failed: $(head -c 300 "$TMP/e.err" "$TMP/s.err")"
	fi
}

# Forks, execs, copy-on-write, the free and modified lists, evictions and
# the writer's clusters: the VAX shell in 256 KiB.
run_case "vax-shell 256k" --system vms --memory 256k examples/vax-shell.vms
# The swapper: a swap-out's flush and its writes, the inswap's faults.
run_case "inswap" --system vms,rss=700,swapper=on,freelim=128,pagefile=4096 \
	--memory 512k "$D/kernel/inswap.vms"
# Killed processes: segmentation and protection faults fail.
run_case "segv" --system vms "$D/scripts/segv.vms"
# Out of memory and swap, no killer: faults that fail.
run_case "oom" --system vms,pagefile=8 --sched rr,quantum=100us \
	--memory 32k "$D/kernel/oom.vms"
# ... and with the OOM killer: faults tried again after a kill count once.
run_case "oom killer" --system vms,pagefile=8,oom=kill \
	--sched rr,quantum=100us --memory 32k "$D/kernel/oom.vms"
# Working-set load control (processes that start out) and a plain trace
# under memsim (no disk: I/O takes no time).
run_case "load control" --system vms,load_control=ws --memory 512k \
	--copies 3 "$D/kernel/three-jobs.vms"
printf '%s\n' 00001000\ R 00001000\ W 00002000\ R 00003000\ R 00004000\ R \
	00005000\ R 00006000\ W 30064000\ R 30065000\ R 30066000\ W \
	00001000\ R 00005000\ W 30067000\ R 30068000\ R 30069000\ W \
	>"$TMP/vms.trace"
run_case "memsim trace" --system memsim -f 4 --split-hex 3 "$TMP/vms.trace"

# The text form: a header, then one line per event, the same twice.
"$VMLAB" run --system vms --memory 256k --events examples/vax-shell.vms \
	>"$TMP/a.txt"
"$VMLAB" run --system vms --memory 256k --events examples/vax-shell.vms \
	>"$TMP/b.txt"
"$VMLAB" run --system vms --memory 256k --events --json \
	examples/vax-shell.vms >"$TMP/a.json"
"$VMLAB" run --system vms --memory 256k examples/vax-shell.vms >"$TMP/s.txt"
if cmp -s "$TMP/a.txt" "$TMP/b.txt"; then pass "text: deterministic"; else
	fail "text: deterministic" "two runs differ"; fi
t_eq "text: header" "time_ns pid process event" \
	"$(head -1 "$TMP/a.txt" | tr -s ' ' | sed 's/^ //')"
nev=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["events"]))' "$TMP/a.json")
t_eq "text: one line per event" "$nev" \
	"$(sed '/^$/,$d' "$TMP/a.txt" | tail -n +2 | wc -l | tr -d ' ')"
t_eq "text: hits as in the summary" \
	"$(grep -E '^hits ' "$TMP/s.txt" | awk '{print $2}')" \
	"$(grep -cE '^ +[0-9]+ +[0-9]+ +[^ ]+ +[RWX] 0x[0-9a-f]+ +hit$' "$TMP/a.txt")"
t_eq "text: cow faults as in the summary" \
	"$(grep -oE '[0-9]+ copy-on-write' "$TMP/s.txt" | awk '{print $1}')" \
	"$(grep -cE ' FAULT (page_table \+ )?cow' "$TMP/a.txt")"
t_eq "text: the summary follows unchanged" "" \
	"$(sed '1,/^$/d' "$TMP/a.txt" | diff - "$TMP/s.txt")"
matches_ere '^ +[0-9]+ +1 +sh +fork: child 2$' "$TMP/a.txt" &&
	pass "text: fork line" || fail "text: fork line" "not found"
matches_ere '^ +[0-9]+ +- +disk +done: read [0-9]+ pages? \(ended at [0-9]+\)$' \
	"$TMP/a.txt" && pass "text: I/O done line" ||
	fail "text: I/O done line" "not found"
matches_ere 'FAULT [a-z_]+.*, evicts [0-9]+:0x[0-9a-f]+ to the (free|modified) list' \
	"$TMP/a.txt" && pass "text: victim and its list" ||
	fail "text: victim and its list" "not found"
matches_ere ', writes [0-9]+ pages' "$TMP/a.txt" &&
	pass "text: write cluster issued" ||
	fail "text: write cluster issued" "not found"

# A golden teaching view, checked by hand: three processes killed, a
# hard fault that waits for its read (timed: fault_ns 50000, ref_ns 400;
# a first touch under a new page-table page takes two faults' time).
# The events only: the summary after them is other tests' to pin.
"$VMLAB" run --system vms --events "$D/scripts/segv.vms" >"$TMP/g.txt"
sed '/^$/,$d' "$TMP/g.txt" >"$TMP/g.events"
if cmp -s "$TMP/g.events" tests/golden/run-events-system-segv.out; then
	pass "text: golden segv"
else
	fail "text: golden segv" "$(diff tests/golden/run-events-system-segv.out "$TMP/g.events" | head -5 | tr '\n' '|')"
fi

# Still refused: a --copies range sweeps many runs.
t_status "events with a copies range" 2 "--events does not work with a --copies range" \
	"$VMLAB" run --system vms --copies 1..3 --events examples/vax-shell.vms
