#!/usr/bin/env bash
# vmlab run --system: the kernel with processes.  The memsim handout's
# worked example and its two-process rule, the VMS system on the classic
# traces, fork and copy-on-write with shadow chains that collapse and
# leave nothing behind, processes killed for bad accesses, and bad
# options and scripts refused with file, line and exit 2.
set -u
. tests/lib.sh

T=../shared/traces/classic
D=tests/data/scripts

t_eq "list systems shows vms and memsim" "2" \
	"$("$VMLAB" list systems | grep -Ec '^  (vms|memsim) ')"
t_eq "list systems shows the VMS keys" "4" \
	"$("$VMLAB" list systems | grep -Ec '^      (mpw_hilimit|mpw_lolimit|mpw_wrtcluster|pfcdefault)=')"

# The handout's worked example (../shared/oracles/README.md), B's pages
# marked by a first hex digit 3: 12 reads from disk, no write, page 1
# taken back from the Dirty list.
printf '%s\n' 00001000\ R 00001000\ W 00002000\ R 00003000\ R 00004000\ R \
	00005000\ R 00006000\ W 30064000\ R 30065000\ R 30066000\ W \
	00001000\ R 00005000\ W 30067000\ R 30068000\ R 30069000\ W \
	>"$TMP/vms.trace"
"$VMLAB" run --system memsim -f 8 --split-hex 3 --json "$TMP/vms.trace" \
	>"$TMP/ex.json"
t_eq "memsim example: 12 hard faults" 12 "$(json_get hard_faults "$TMP/ex.json")"
t_eq "memsim example: 0 writes" 0 "$(json_get page_outs "$TMP/ex.json")"
t_eq "memsim example: 1 reclaim from Dirty" 1 \
	"$(json_get reclaims_modified "$TMP/ex.json")"
t_eq "memsim example: two processes" 2 "$(json_get processes "$TMP/ex.json")"
t_eq "memsim example: rss is frames/2" 1 \
	"$(grep -c '"rss": "4"' "$TMP/ex.json")"
# VMS's own name for the limit, WSDEFAULT, sets it too.
"$VMLAB" run --system vms,wsdefault=6 -f 64 --json "$TMP/vms.trace" >"$TMP/wsd.json"
t_eq "vms: wsdefault sets rss" "1 1" \
	"$(grep -c '"rss": "6"' "$TMP/wsd.json") $(grep -c '"wsdefault": "6"' "$TMP/wsd.json")"
t_status "vms: rss and wsdefault disagree" 2 "name the same limit: give one" \
	"$VMLAB" run --system vms,wsdefault=6,rss=7 -f 64 "$TMP/vms.trace"

# gcc.trace under the handout's rule: every page read once at least, and
# more frames never read more (FIFO per process could, in principle; the
# handout's sizes do not).
prev=
ok=1
# Every system run here checks the VM's invariants (--check spreads the
# checks over the run; VMLAB_CHECK=all checks after every event, the same
# results either way).
for f in 4 8 16 32 64 128; do
	"$VMLAB" run --check --system memsim -f "$f" --split-hex 3 --json \
		"$T/gcc.trace.gz" >"$TMP/g.json"
	h=$(json_get hard_faults "$TMP/g.json")
	[ "$h" = "$(json_get page_ins "$TMP/g.json")" ] || ok=0
	[ "$h" -ge "$(json_get distinct_pages "$TMP/g.json")" ] || ok=0
	[ -z "$prev" ] || [ "$h" -le "$prev" ] || ok=0
	prev=$h
done
t_eq "memsim gcc 4..128 frames: reads fall, one per fault" 1 "$ok"
"$VMLAB" run --system vms,rss=32 -f 256 --check --json examples/vax-shell.vms \
	>"$TMP/g.json"
VMLAB_CHECK=all "$VMLAB" run --system vms,rss=32 -f 256 --json \
	examples/vax-shell.vms >"$TMP/g-all.json"
t_eq "vax-shell: VMLAB_CHECK=all runs the same as --check" "" \
	"$(diff "$TMP/g.json" "$TMP/g-all.json")"

# VMS on the four classic traces as four processes: clustered writes,
# demand-zero first touches, faults served from the lists.
"$VMLAB" run --check --system vms -f 4096 --json "$T/gcc.trace.gz" \
	"$T/swim.trace.gz" "$T/bzip.trace.gz" "$T/sixpack.trace.gz" >"$TMP/v.json"
t_eq "vms classic: four processes" 4 "$(json_get processes "$TMP/v.json")"
t_eq "vms classic: every reference made" 4000000 \
	"$(json_get references "$TMP/v.json")"
t_eq "vms classic: first touches are zero fills" \
	"$(json_get compulsory_faults "$TMP/v.json")" \
	"$(json_get zero_fill_faults "$TMP/v.json")"
t_eq "vms classic: writes are clustered (> 10 pages a write)" 1 \
	"$(awk -v p="$(json_get page_outs "$TMP/v.json")" \
	       -v w="$(json_get write_ios "$TMP/v.json")" \
	       'BEGIN { print (w > 0 && p / w > 10) }')"
t_eq "vms classic: most faults are soft or zero fills" 1 \
	"$(awk -v s="$(json_get soft_faults "$TMP/v.json")" \
	       -v z="$(json_get zero_fill_faults "$TMP/v.json")" \
	       -v f="$(json_get faults "$TMP/v.json")" \
	       'BEGIN { print ((s + z) / f > 0.5) }')"
t_eq "vms classic: the disk made processes wait" 1 \
	"$(grep -c '"page_wait_ns": [1-9]' "$TMP/v.json" | awk '{ print ($1 > 0) }')"

# One process alone below its resident-set limit, memory short (the lists
# hold the rest): it pages against itself instead of running out of
# memory; with rss at half of memory and the lists as a second chance,
# its faults that need a read or a zero page are about LRU's with all of
# memory (Turner & Levy; docs/systems.md).  Their comparison is of data
# pages: the page tables stay apart (pagetables=resident).  VMS's own
# pageable page tables take part of the resident set and fault
# themselves: on gcc the other faults grow too.
"$VMLAB" run --system vms,pagetables=resident -f 1024 --json "$T/gcc.trace.gz" \
	>"$TMP/one.json"
t_eq "vms alone, memory short: runs to its end" '"end": "exit"' \
	"$(grep -o '"end": "[a-z]*"' "$TMP/one.json")"
"$VMLAB" run --system vms -f 1024 --check --json "$T/gcc.trace.gz" >"$TMP/pt.json"
t_eq "vms alone, pageable page tables: they fault and cost faults" 1 \
	"$(awk -v p="$(json_get pt_faults "$TMP/pt.json")" \
	       -v a="$(json_get faults "$TMP/pt.json")" \
	       -v b="$(json_get faults "$TMP/one.json")" \
	       'BEGIN { print (p > 0 && a >= b + p) }')"
lru=$("$VMLAB" run -p lru -f 1024 --machine vax --json "$T/gcc.trace.gz" |
	grep -o '"faults": [0-9]*' | head -1 | sed 's/.*: //')
t_eq "vms alone: hard + zero-fill faults within 10% of LRU at 1024" 1 \
	"$(awk -v h="$(json_get hard_faults "$TMP/one.json")" \
	       -v z="$(json_get zero_fill_faults "$TMP/one.json")" -v l="$lru" \
	       'BEGIN { d = (h + z) / l; print (d > 0.9 && d < 1.1) }')"

# fork-shell: fork copies nothing; each subshell copies the two pages it
# writes; exec'd children copy none; nothing is left when all have exited.
for s in vms,rss=64 memsim; do
	mach=
	[ "$s" = memsim ] || mach="--machine x86_64,mem=16m"
	# shellcheck disable=SC2086
	"$VMLAB" run --system "$s" $mach --json examples/fork-shell.vms \
		>"$TMP/f.json"
	t_eq "fork-shell ($s): 100 forks, 50 execs" "100 50" \
		"$(json_get forks "$TMP/f.json") $(json_get execs "$TMP/f.json")"
	t_eq "fork-shell ($s): two copies per subshell" 100 \
		"$(json_get cow_copies "$TMP/f.json")"
	t_eq "fork-shell ($s): no object left" 2 \
		"$(json_get objects_at_end "$TMP/f.json")"
	t_eq "fork-shell ($s): no swap slot left" 0 \
		"$(json_get swap_at_end "$TMP/f.json")"
	t_eq "fork-shell ($s): every process exited" 101 \
		"$(grep -c '"end": "exit"' "$TMP/f.json")"
done

# A parent writing while its child lives: one shadow per fork, collapsed
# when the child exits, so the chain never grows: at most three objects
# of memory at once, and the two processes' page tables (pageable on
# the VAX: an object each).
"$VMLAB" run --system vms --check --json "$D/collapse.vms" >"$TMP/c.json"
t_eq "collapse: one collapse per fork" "5 5" \
	"$(json_get forks "$TMP/c.json") $(json_get collapses "$TMP/c.json")"
t_eq "collapse: at most three objects at once, and two of page tables" 5 \
	"$(json_get objects_peak "$TMP/c.json")"
t_eq "collapse: nothing left" "0 0" \
	"$(json_get objects_at_end "$TMP/c.json") $(json_get swap_at_end "$TMP/c.json")"

# Bad accesses kill the process that makes them; the others go on.
"$VMLAB" run --system memsim --json "$D/segv.vms" >"$TMP/s.json"
t_eq "segv: ends" "segv protection exit" \
	"$(grep -o '"end": "[a-z]*"' "$TMP/s.json" | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//')"
t_eq "segv: counted" "1 1 2" \
	"$(json_get segmentation_faults "$TMP/s.json") $(json_get protection_faults "$TMP/s.json") $(json_get killed "$TMP/s.json")"

# Options and scripts that cannot run.
t_status "split-hex needs a system" 2 "--split-hex works only with --system" \
	"$VMLAB" run --split-hex 3 "$TMP/vms.trace"
t_status "split-hex takes one hex digit" 2 "expects one hex digit .* found 'x3'" \
	"$VMLAB" run --system memsim --split-hex x3 "$TMP/vms.trace"
# Every policy that needs no future replaces pages within each process's
# resident set (local pools), the VM's invariants holding throughout.
ok=1
for p in fifo random lru mru clock esc aging twoq arc car lirs clockpro \
	lru-k s3fifo sieve gclock ws wsclock pff; do
	"$VMLAB" run --system vms,rss=32 -f 256 -p "$p" --check --json \
		examples/vax-shell.vms >"$TMP/p.json" 2>"$TMP/p.err" &&
		[ "$(grep -c '"end": "exit"' "$TMP/p.json")" = 101 ] ||
		{ ok=0; echo "policy $p: $(head -c 200 "$TMP/p.err")"; }
done
t_eq "every policy in local pools under --check" 1 "$ok"
t_status "OPT under a system" 2 "needs every page's next use" \
	"$VMLAB" run --system vms -p opt examples/vax-shell.vms

t_status "unknown system" 2 "unknown system 'nosuch' \(one of vms, memsim" \
	"$VMLAB" run --system nosuch "$TMP/vms.trace"
t_status "unknown system key" 2 "system vms.*'bogus'" \
	"$VMLAB" run --system vms,bogus=1 "$TMP/vms.trace"
t_status "rss larger than memory" 2 "rss=100 is more than the 8 frames" \
	"$VMLAB" run --system memsim,rss=100 -f 8 "$TMP/vms.trace"
t_status "a script without a system" 1 "is a workload script" \
	"$VMLAB" run examples/fork-shell.vms
t_status "a 64-bit script on a VAX" 2 \
	"^vmlab: examples/fork-shell.vms:28: expected addresses inside the machine's user address space" \
	"$VMLAB" run --system vms examples/fork-shell.vms
"$VMLAB" run --system vms --json examples/vax-shell.vms >"$TMP/vax.json"
t_eq "vax-shell on the VAX: 100 forks, 50 execs, 100 copies" "100 50 100" \
	"$(json_get forks "$TMP/vax.json") $(json_get execs "$TMP/vax.json") $(json_get cow_copies "$TMP/vax.json")"
printf 'vmlab-script 1\nprogram p\n  bss 0x10000 pages=1\n  mmap 0x10000 pages=1\nend\nspawn p\n' \
	>"$TMP/overlap.vms"
t_status "an mmap over a mapping" 2 "^vmlab: $TMP/overlap.vms:4: " \
	"$VMLAB" run --system memsim "$TMP/overlap.vms"
printf 'vmlab-script 1\nprogram p\n  bss 0x10000 pages=1\n  R 0x10000 8\n  replay /nonexistent/trace\nend\nspawn p\n' \
	>"$TMP/replay.vms"
t_status "a replay of a missing file" 1 "^vmlab: $TMP/replay.vms:5: .*nonexistent" \
	"$VMLAB" run --system memsim "$TMP/replay.vms"

# ostep: the book's system.  Watermarks 1/64 and 1/32 of memory, any
# value may be given; the daemon's dirty pages go out in clusters; the
# fork-heavy shell runs under --check with every copy made.
"$VMLAB" list systems >"$TMP/ls.txt"
t_eq "ostep listed with its watermarks" 2 \
	"$(grep -cE '^      (lw|hw)=0 ' "$TMP/ls.txt")"
"$VMLAB" run --system ostep -f 6400 --json pages:1 >"$TMP/o.json"
t_eq "ostep: lw and hw from 6400 frames" '"lw": "100" "hw": "200"' \
	"$(grep -o '"[lh]w": "[0-9]*"' "$TMP/o.json" | tr '\n' ' ' | sed 's/ $//')"
"$VMLAB" run --system ostep,lw=5,hw=7 -f 64 --json pages:1 >"$TMP/o.json"
t_eq "ostep: lw and hw given" '"lw": "5" "hw": "7"' \
	"$(grep -o '"[lh]w": "[0-9]*"' "$TMP/o.json" | tr '\n' ' ' | sed 's/ $//')"
t_status "ostep: lw above hw" 2 "lw=9 must not be above hw=3" \
	"$VMLAB" run --system ostep,lw=9,hw=3 pages:1
"$VMLAB" run --system ostep --check --json examples/fork-shell.vms >"$TMP/o.json"
t_eq "ostep fork-shell under --check: 100 forks, 100 copies, 101 exits" \
	"100 100 101" "$(json_get forks "$TMP/o.json") $(json_get cow_copies "$TMP/o.json") $(grep -c '"end": "exit"' "$TMP/o.json")"
"$VMLAB" run --check --system ostep -f 256 --json "$T/gcc.trace.gz" >"$TMP/o.json"
t_eq "ostep gcc at 256 frames: dirty pages written several a write" 1 \
	"$(awk -v p="$(json_get page_outs "$TMP/o.json")" \
	       -v w="$(json_get write_ios "$TMP/o.json")" \
	       'BEGIN { print (w > 0 && p / w > 1.2) }')"

# examples/any-shell.vms runs under every system (its layout holds on
# every machine), passes --check everywhere, and each system copies
# exactly the 100 pages the subshells write.
if "$VMLAB" compare --check --json --memory 16m --svg "$TMP/any.svg" \
	examples/any-shell.vms >"$TMP/any.json" 2>"$TMP/any.err"; then
	t_eq "compare --svg: a bar part per system and fault kind" \
		"$(( $(grep -c '"system":' "$TMP/any.json") * 5 ))" \
		"$(grep -c 'data-part=' "$TMP/any.svg")"
	t_eq "compare --svg: the copy-on-write parts are the JSON's" \
		"$(grep -c '"system":' "$TMP/any.json")" \
		"$(grep -c 'data-part="copy-on-write" data-value="100"' "$TMP/any.svg")"
	t_eq "any-shell: every system ran it" \
		"$("$VMLAB" list systems | grep -c '^  [a-z]')" \
		"$(grep -c '"system":' "$TMP/any.json")"
	t_eq "any-shell: 100 copy-on-write faults under every system" \
		"$(grep -c '"system":' "$TMP/any.json")" \
		"$(grep -c '"cow_faults": 100,' "$TMP/any.json")"
else
	fail "any-shell under every system" "$(head -c 300 "$TMP/any.err")"
fi
t_status "compare --svg into a missing directory" 1 "cannot write it" \
	"$VMLAB" compare --systems ostep -f 64 --svg "$TMP/no/such/dir.svg" \
	pages:1,2,3

# Draves's Mach result: an inactive target far too small loses the hot
# set to the scan; the default runs several times faster.
W=gen:hotscan,pages=4000,refs=400000,hot=0.3,scanrefs=0.1
"$VMLAB" run --system mach,inactive_target=1/100 --memory 8m --check --json \
	"$W" >"$TMP/d1.json"
"$VMLAB" run --system mach --memory 8m --check --json "$W" >"$TMP/d2.json"
t_eq "mach: inactive_target 2/3 runs over 3 times faster than 1/100" 1 \
	"$(awk -v a="$(json_get time_ns "$TMP/d1.json")" -v b="$(json_get time_ns "$TMP/d2.json")" \
	       'BEGIN { print (a > 3 * b) }')"
t_eq "mach: ... with fewer hard faults and more reference faults" 1 \
	"$(awk -v h1="$(json_get hard_faults "$TMP/d1.json")" -v h2="$(json_get hard_faults "$TMP/d2.json")" \
	       -v r1="$(json_get ref_faults "$TMP/d1.json")" -v r2="$(json_get ref_faults "$TMP/d2.json")" \
	       'BEGIN { print (h2 < h1 && r2 > r1) }')"
