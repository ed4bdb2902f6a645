#!/usr/bin/env bash
# The kernel's CPU side (issue 8): each process's turnaround, response
# and waiting time and the run's CPU and disk utilisation, exact where
# OSTEP's chapter 7 derives them by hand; the OOM killer's choice by
# badness, and what happens without it.
set -u
. tests/lib.sh

D=tests/data/kernel

# Three 10 ms jobs under FIFO (OSTEP 7.3): turnaround 10, 20 and 30 ms,
# except that c also waits 5 ms for its own I/O (35), during which the
# CPU is idle: 30 ms busy of 35.
"$VMLAB" run --system vms --sched fifo --json "$D/three-jobs.vms" >"$TMP/f.json"
t_eq "fifo turnarounds 10 20 35 ms" "10000000 20000000 35000000" \
	"$(grep -o '"turnaround_ns": [0-9]*' "$TMP/f.json" | sed 's/.*: //' | tr '\n' ' ' | sed 's/ $//')"
t_eq "fifo responses 0 10 20 ms" "0 10000000 20000000" \
	"$(grep -o '"response_ns": [0-9]*' "$TMP/f.json" | sed 's/.*: //' | tr '\n' ' ' | sed 's/ $//')"
t_eq "fifo waiting excludes the io wait" "0 10000000 20000000" \
	"$(grep -o '"waiting_ns": [0-9]*' "$TMP/f.json" | sed 's/.*: //' | tr '\n' ' ' | sed 's/ $//')"
t_eq "fifo io wait of c" 5000000 \
	"$(grep -o '"io_wait_ns": [0-9]*' "$TMP/f.json" | tail -1 | sed 's/.*: //')"
t_eq "fifo CPU utilisation 30/35" 0.8571428571428571 \
	"$(json_get cpu_utilization "$TMP/f.json")"
t_eq "fifo disk idle" 0 "$(json_get disk_utilization "$TMP/f.json")"

# Round robin with a 1 ms slice (OSTEP 7.6): responses 0, 1 and 2 ms.
"$VMLAB" run --system vms --sched rr,quantum=1ms --json "$D/three-jobs.vms" \
	>"$TMP/r.json"
t_eq "rr responses 0 1 2 ms" "0 1000000 2000000" \
	"$(grep -o '"response_ns": [0-9]*' "$TMP/r.json" | sed 's/.*: //' | tr '\n' ' ' | sed 's/ $//')"
"$VMLAB" run --system vms --sched fifo "$D/three-jobs.vms" >"$TMP/f.txt"
t_eq "text: the times table" 1 \
	"$(grep -cE '^ +3 c +0\.000 +35\.000 +20\.000 +20\.000 +10\.000 +0\.000 +5\.000$' "$TMP/f.txt")"
t_eq "text: CPU and disk busy" 1 \
	"$(grep -c 'CPU busy 85.7%, disk busy 0.0%' "$TMP/f.txt")"

# Out of memory and page file.  Without a killer each process whose
# fault finds nothing fails; with oom=kill the killer chooses b first
# (oom_score_adj 1000 adds all of memory and swap, 72 pages, to its 9
# mapped pages and 1 page of tables: 82), then the biggest, and a
# finishes.  --check holds throughout.
"$VMLAB" run --system vms,pagefile=8,oom=kill --sched rr,quantum=100us \
	--memory 32k --check --json "$D/oom.vms" >"$TMP/k.json"
t_eq "oom: b and big killed, a exits" "oom exit oom" \
	"$(grep -o '"end": "[a-z]*"' "$TMP/k.json" | sed 's/.*: "//; s/"//' | tr '\n' ' ' | sed 's/ $//')"
t_eq "oom: two victims with reason" 2 "$(grep -c '"killed": "oom"' "$TMP/k.json")"
t_eq "oom: b's badness" 82 \
	"$(grep -A3 '"killed": "oom"' "$TMP/k.json" | grep -o '"badness": [0-9]*' | tail -1 | sed 's/.*: //')"
t_eq "oom: killed count" 2 "$(json_get killed "$TMP/k.json")"
"$VMLAB" run --system vms,pagefile=8,oom=kill --sched rr,quantum=100us \
	--memory 32k "$D/oom.vms" >"$TMP/k.txt"
t_eq "oom: text names the victims" 2 "$(grep -c '^oom-killed  pid [13] ' "$TMP/k.txt")"
"$VMLAB" run --system vms,pagefile=8 --sched rr,quantum=100us \
	--memory 32k --check --json "$D/oom.vms" >"$TMP/n.json"
t_eq "oom=none: no victim chosen" 0 "$(grep -c '"killed": "oom"' "$TMP/n.json")"
t_fail "oom: bad value" "oom=maybe: expected none or kill" \
	"$VMLAB" run --system vms,oom=maybe "$D/oom.vms"
