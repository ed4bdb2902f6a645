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
# (oom_score_adj 1000 adds all of memory and swap, 72 pages, to its 7
# mapped pages and 1 page of tables: 80), then the biggest, and a
# finishes.  --check holds throughout.
"$VMLAB" run --system vms,pagefile=8,oom=kill --sched rr,quantum=100us \
	--memory 32k --check --json "$D/oom.vms" >"$TMP/k.json"
t_eq "oom: b and big killed, a exits" "oom exit oom" \
	"$(grep -o '"end": "[a-z]*"' "$TMP/k.json" | sed 's/.*: "//; s/"//' | tr '\n' ' ' | sed 's/ $//')"
t_eq "oom: two victims with reason" 2 "$(grep -c '"killed": "oom"' "$TMP/k.json")"
t_eq "oom: b's badness" 80 \
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

# Copies and the thrashing sweep (docs/thrashing.md).  A job needs 160
# pages; 1024 frames hold six.  Alone it keeps the CPU busy 37% of the
# time (2 ms of compute and 64 us of references a pass, 4 ms of I/O);
# three fill the CPU; seven steal each other's pages and wait on the
# disk; with load control the working sets that do not fit wait outside
# memory and the CPU stays busy.
X=examples/thrash.vms
"$VMLAB" run --system vms,rss=200 --memory 512k --copies 3 --json "$X" >"$TMP/c.json"
t_eq "copies: a script's spawns three times" 3 "$(json_get processes "$TMP/c.json")"
"$VMLAB" run --system vms,rss=200 --memory 512k --copies 1..9 "$X" >"$TMP/t.csv"
t_eq "thrash: csv header" "load_control,copies,cpu_utilization,disk_utilization,time_ns,references,hard_faults,soft_faults,swapouts" \
	"$(head -1 "$TMP/t.csv")"
t_eq "thrash: 9 points per load control" "9 9" \
	"$(grep -c '^none,' "$TMP/t.csv") $(grep -c '^ws,' "$TMP/t.csv")"
util() { awk -F, -v l="$1" -v c="$2" '$1 == l && $2 == c { print $3 }' "$TMP/t.csv"; }
t_eq "thrash: one job 37% busy" 0.368700 "$(util none 1)"
t_eq "thrash: the curve rises to 3 jobs" 1 \
	"$(awk -v a="$(util none 1)" -v b="$(util none 2)" -v c="$(util none 3)" 'BEGIN { print (a < b && b < c && c > 0.95) }')"
t_eq "thrash: it collapses at 7 jobs" 1 \
	"$(awk -v a="$(util none 7)" -v b="$(util none 9)" 'BEGIN { print (a < 0.05 && b < 0.05) }')"
t_eq "thrash: load control keeps it up" 1 \
	"$(awk -v a="$(util ws 7)" -v b="$(util ws 9)" 'BEGIN { print (a > 0.7 && b > 0.7) }')"
t_eq "thrash: load control swaps out" 1 \
	"$(awk -F, '$1 == "ws" && $2 == 9 { print ($9 > 0) }' "$TMP/t.csv")"
t_eq "thrash: below memory, load control changes nothing" \
	"$(grep '^none,4,' "$TMP/t.csv" | cut -d, -f2-)" "$(grep '^ws,4,' "$TMP/t.csv" | cut -d, -f2-)"
"$VMLAB" run --system vms,rss=200 --memory 512k --copies 6..7 --load-control ws \
	--json --svg "$TMP/t.svg" "$X" >"$TMP/t.json"
t_eq "thrash: json points" 2 "$(grep -c '"load_control": "ws"' "$TMP/t.json")"
t_eq "thrash: svg has the series" 1 "$(grep -c 'data-name="load_control=ws"' "$TMP/t.svg")"
# With --check the kernel's invariants hold while processes go out and
# come back (a short run: 8 copies, load control and the swapper).
t_ok "load control under --check" "$VMLAB" run --system vms,rss=200,load_control=ws \
	--memory 512k --copies 8 --check "$X"
"$VMLAB" run --system vms,rss=200,swapper=on,freelim=128 --memory 512k \
	--copies 8 --check --json "$X" >"$TMP/s.json"
t_eq "swapper: processes swapped out and back" 1 \
	"$(awk -v o="$(json_get swapouts "$TMP/s.json")" -v i="$(json_get swapins "$TMP/s.json")" \
	       -v p="$(json_get pages_swapped_out "$TMP/s.json")" 'BEGIN { print (o > 0 && o == i && p > 0) }')"
t_eq "swapper: every resident set swapped out is restored" \
	"$(json_get pages_swapped_out "$TMP/s.json")" \
	"$(json_get pages_swapped_in "$TMP/s.json")"
# VMS's pageable page tables, worked by hand in the script's comment:
# page-table pages are pages of the resident set, passed over while they
# map a page, faulted back from the lists.
"$VMLAB" run --system vms,rss=4,pfcdefault=1 --memory 32k --check --json \
	"$D/pagetables.vms" >"$TMP/pt.json"
t_eq "page tables: faults by kind (pt zero soft hard)" "4 3 2 0" \
	"$(json_get pt_faults "$TMP/pt.json") $(json_get zero_fill_faults "$TMP/pt.json") $(json_get soft_faults "$TMP/pt.json") $(json_get hard_faults "$TMP/pt.json")"
t_eq "page tables: faults are the sum, evictions and reclaims" "9 5 3 0" \
	"$(json_get faults "$TMP/pt.json") $(json_get evictions "$TMP/pt.json") $(json_get reclaims_modified "$TMP/pt.json") $(json_get page_ins "$TMP/pt.json")"
t_eq "page tables: the value in force" 1 "$(grep -c '"pagetables": "pageable"' "$TMP/pt.json")"
"$VMLAB" run --system vms,rss=4,pfcdefault=1 --memory 32k --events \
	"$D/pagetables.vms" >"$TMP/pt.txt"
t_eq "page tables: events name the page-table fault" 4 \
	"$(grep -c 'FAULT page_table + ' "$TMP/pt.txt")"
t_eq "page tables: the summary's kinds" 1 \
	"$(grep -c '0 segmentation, 4 page-table$' "$TMP/pt.txt")"
"$VMLAB" run --system vms,rss=4,pfcdefault=1,pagetables=resident --memory 32k \
	--json "$D/pagetables.vms" >"$TMP/ptr.json"
t_eq "page tables resident: three first touches, two hits" "0 3 3" \
	"$(json_get pt_faults "$TMP/ptr.json") $(json_get faults "$TMP/ptr.json") $(json_get zero_fill_faults "$TMP/ptr.json")"
# Read back from the page file: the process waits for its page-table
# page, then for its page (two reads, one fault of each kind).
"$VMLAB" run --system vms,rss=4,pfcdefault=1,mpw_hilimit=4,mpw_lolimit=0 \
	--memory 8k --check --json "$D/pagetables-io.vms" >"$TMP/pti.json"
t_eq "page tables: a hard page-table fault (pt hard zero reads)" "13 1 12 2" \
	"$(json_get pt_faults "$TMP/pti.json") $(json_get hard_faults "$TMP/pti.json") $(json_get zero_fill_faults "$TMP/pti.json") $(json_get read_ios "$TMP/pti.json")"
"$VMLAB" run --system vms,rss=4,pfcdefault=1,mpw_hilimit=4,mpw_lolimit=0 \
	--memory 8k --events "$D/pagetables-io.vms" >"$TMP/pti.txt"
t_eq "page tables: it waits for the page-table page, then the page" 1 \
	"$(grep -A6 'R 0x80 *WAIT page_table,' "$TMP/pti.txt" | grep -c 'R 0x80 *WAIT hard,')"
# A page-table page that maps only another resident set's page is the
# one that goes when nothing else may (its mapping dropped with it).
VMLAB_CHECK=all "$VMLAB" run --system vms,rss=2 --memory 32k --check \
	--events "$D/pagetables-shared.vms" >"$TMP/pts.txt"
t_eq "page tables: the child's first page-table page goes, mapping and all" 1 \
	"$(grep -c 'W 0x100 *FAULT page_table + zero_fill (first touch), evicts 2:0x1 to the modified list$' "$TMP/pts.txt")"
t_eq "page tables: reading the page again: page-table fault, soft fault" 1 \
	"$(grep -c 'R 0x80 *FAULT page_table + soft, evicts' "$TMP/pts.txt")"
t_status "swapper: freelim above memory" 2 "freelim=200: expected fewer than the 128 frames" \
	"$VMLAB" run --system vms,swapper=on,freelim=200 --memory 64k examples/vax-shell.vms
t_status "page tables: a bad value" 2 "pagetables=paged: expected pageable or resident" \
	"$VMLAB" run --system vms,pagetables=paged "$D/pagetables.vms"
t_status "page tables: pageable only on the VAX" 2 "pagetables=pageable needs the VAX machine" \
	"$VMLAB" run --system vms,pagetables=pageable --machine x86_64 "$D/pagetables.vms"
t_status "page tables: a resident set for a table and a page" 2 "rss=1: pageable page tables need at least 2" \
	"$VMLAB" run --system vms,rss=1 "$D/pagetables.vms"
t_ok "page tables: rss=1 with resident tables" \
	"$VMLAB" run --system vms,rss=1,pagetables=resident "$D/pagetables.vms"

# The inswap: a (nice 10) goes out while it waits for its I/O, b's faults
# take its frames and send its dirty pages to the page file; back in, a's
# whole resident set is read in clusters before it reads its one page:
# its 600 pages and the 5 page-table pages that map them (128 pages
# each), which go out and come back with them.
"$VMLAB" run --system vms,rss=700,swapper=on,freelim=128,pagefile=4096 \
	--memory 512k --check --json "$D/inswap.vms" >"$TMP/in.json"
t_eq "inswap: a out and back with 605 pages" "1 1 605 605" \
	"$(json_get swapouts "$TMP/in.json") $(json_get swapins "$TMP/in.json") $(json_get pages_swapped_out "$TMP/in.json") $(json_get pages_swapped_in "$TMP/in.json")"
t_eq "inswap: the resident set faulted back, not one page" 1 \
	"$(awk -v h="$(json_get hard_faults "$TMP/in.json")" -v s="$(json_get soft_faults "$TMP/in.json")" \
	       'BEGIN { print (h > 0 && h + s >= 400) }')"
t_eq "inswap: read in clusters" 1 \
	"$(awk -v p="$(json_get page_ins "$TMP/in.json")" -v r="$(json_get read_ios "$TMP/in.json")" \
	       'BEGIN { print (r > 0 && p / r >= 16) }')"
t_eq "swapper: better than thrashing" 1 \
	"$(awk -v u="$(json_get cpu_utilization "$TMP/s.json")" 'BEGIN { print (u > 0.3) }')"
t_status "copies without a system" 2 "--copies works only with --system" \
	"$VMLAB" run --copies 2 "$X"
t_status "copies of zero" 2 "--copies expects N or A..B" \
	"$VMLAB" run --system vms --copies 0 "$X"
t_status "copies backwards" 2 "--copies expects N or A..B" \
	"$VMLAB" run --system vms --copies 5..2 "$X"
t_status "svg without a range" 2 "--svg works only with --copies A..B" \
	"$VMLAB" run --system vms --svg x.svg "$X"
# Page-fault frequency: once faults come faster than one a disk read's
# service time of CPU (the RP06: 27 a CPU second), processes go out.
"$VMLAB" run --system vms,rss=200,load_control=pff --memory 512k \
	--copies 7 --check --json "$X" >"$TMP/pff.json"
"$VMLAB" run --system vms,rss=200 --memory 512k --copies 7 --json "$X" \
	>"$TMP/none.json"
t_eq "pff: the default threshold is L = S on the RP06" 1 \
	"$(grep -c '"pff_high": "27"' "$TMP/pff.json")"
t_eq "pff: processes go out and come back, and the CPU does more" 1 \
	"$(awk -v o="$(json_get swapouts "$TMP/pff.json")" -v i="$(json_get swapins "$TMP/pff.json")" \
	       -v u="$(json_get cpu_utilization "$TMP/pff.json")" -v n="$(json_get cpu_utilization "$TMP/none.json")" \
	       'BEGIN { print (o > 0 && o == i && u > 5 * n) }')"
"$VMLAB" run --system vms,rss=200,load_control=pff --memory 512k \
	--copies 6 --json "$X" >"$TMP/pff6.json"
t_eq "pff: six that fit are never taken out" 0 "$(json_get swapouts "$TMP/pff6.json")"
t_status "pff: low above high" 2 "pff_low=5 must not be above pff_high=4" \
	"$VMLAB" run --system vms,load_control=pff,pff_high=4,pff_low=5 "$X"
t_status "pff: a window of no faults" 2 "pff_faults" \
	"$VMLAB" run --system vms,load_control=pff,pff_faults=0 "$X"
# Automatic working-set adjustment: one job of 160 pages against an rss of
# 100 faults on every page of every pass; allowed to grow to 300, its
# limit rises by wsinc (150) and the faults stop.
"$VMLAB" run --system vms,rss=100 --memory 512k --check --json "$X" \
	>"$TMP/aw0.json"
"$VMLAB" run --system vms,rss=100,wsquota=300 --memory 512k --check --json \
	"$X" >"$TMP/aw1.json"
t_eq "awsa: off by default" "0 100" \
	"$(grep -c ws_limit_peak "$TMP/aw0.json") $(sed -n 's/.*"wsquota": "\([0-9]*\)".*/\1/p' "$TMP/aw0.json")"
t_eq "awsa: the limit grows to wsquota in steps of wsinc" "300 2" \
	"$(json_get ws_limit_peak "$TMP/aw1.json") $(json_get ws_increases "$TMP/aw1.json")"
t_eq "awsa: growing cuts the faults" 1 \
	"$(awk -v a="$(json_get faults "$TMP/aw0.json")" -v b="$(json_get faults "$TMP/aw1.json")" \
	       'BEGIN { print (b * 4 < a) }')"
"$VMLAB" run --system vms,rss=100,wsquota=120,wsextent=300,borrowlim=100000 \
	--memory 512k --check --json "$X" >"$TMP/aw2.json"
t_eq "awsa: past wsquota only while borrowlim frames are free" 120 \
	"$(json_get ws_limit_peak "$TMP/aw2.json")"
"$VMLAB" run --system vms,rss=100,wsquota=120,wsextent=300 \
	--memory 512k --check --json "$X" >"$TMP/aw3.json"
t_eq "awsa: to wsextent when they are" 300 "$(json_get ws_limit_peak "$TMP/aw3.json")"
sed 's/^  repeat 30$/  repeat 300/' "$X" >"$TMP/long.vms"
"$VMLAB" run --system vms,rss=100,wsquota=300,pfratl=50 --memory 512k \
	--check --json "$TMP/long.vms" >"$TMP/aw4.json"
t_eq "awsa: below pfratl the limit shrinks again" 1 \
	"$(awk -v d="$(json_get ws_decreases "$TMP/aw4.json")" 'BEGIN { print (d > 0) }')"
t_status "awsa: wsquota below rss" 2 "expected rss=100 <= wsquota=50" \
	"$VMLAB" run --system vms,rss=100,wsquota=50 "$X"
t_status "awsa: pfratl above pfrath" 2 "pfratl=200 must not be above pfrath=120" \
	"$VMLAB" run --system vms,pfratl=200 "$X"
t_status "bad load control" 2 "load_control=lru: expected none, ws or pff" \
	"$VMLAB" run --system vms --copies 1..2 --load-control lru "$X"
t_status "bad swapper" 2 "swapper=maybe: expected on or off" \
	"$VMLAB" run --system vms,swapper=maybe "$X"

# The four classic traces as concurrent processes under VMS: their faults
# block them on the disk, so the scheduler changes how much the CPU is
# used, and every process reports the time it waited for its page-ins.
# (With --check: the VM's invariants after every event.)
T=../shared/traces/classic
for s in fifo rr; do
	"$VMLAB" run --check --system vms -f 4096 --sched $s --json "$T/gcc.trace.gz" \
		"$T/swim.trace.gz" "$T/bzip.trace.gz" "$T/sixpack.trace.gz" \
		>"$TMP/$s.json"
done
t_eq "classic: fifo and rr use the CPU differently" 1 \
	"$(awk -v f="$(json_get cpu_utilization "$TMP/fifo.json")" \
	       -v r="$(json_get cpu_utilization "$TMP/rr.json")" 'BEGIN { print (f != r && f > 0 && r > 0) }')"
t_eq "classic: each of the four waited for the disk" 4 \
	"$(grep -c '"page_wait_ns": [1-9]' "$TMP/rr.json")"
t_eq "classic: waiting is what is left of turnaround" 1 \
	"$(tr -d ' \n' <"$TMP/rr.json" | grep -o '"cpu_ns":[0-9]*,"page_wait_ns":[0-9]*,"io_wait_ns":[0-9]*,"turnaround_ns":[0-9]*,"response_ns":[0-9]*,"waiting_ns":[0-9]*' |
	   sed 's/"[a-z_]*"://g' | awk -F, '{ if ($1 + $2 + $3 + $6 != $4) bad = 1 } END { print (NR == 4 && !bad) }')"

# The swapper keeps the highest-priority processes resident: of three
# jobs that do not fit together, nice -10 is never taken out, nice 10 is.
"$VMLAB" run --system vms,rss=500,swapper=on,freelim=128 --memory 512k \
	--check --json tests/data/kernel/nice-swap.vms >"$TMP/ns.json"
t_eq "swapper: the highest priority stays in, the lowest goes out" "0 1" \
	"$(awk '/"name": "high"/ { h = 1 } /"name": "low"/ { l = 1 }
		/"swapouts":/ && (h || l) { gsub(/[^0-9]/, ""); if (h) hs = $0; else ls = $0; h = l = 0 }
		END { print hs, (ls > 0) }' "$TMP/ns.json")"
