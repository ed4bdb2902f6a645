#!/usr/bin/env bash
# vmlab explain: golden outputs (tests/cli/explain/NAME.out, reviewed by
# hand against the architecture manuals and OSTEP), the two OSTEP oracles
# of ../shared/oracles/README.md as exact results, and refusals.
# Regenerate a golden file only after checking the new output:
#	build/vmlab explain ARGS > tests/cli/explain/NAME.out
. "$(dirname "$0")/../lib.sh"

G=tests/cli/explain

# OSTEP figure 20.5: the directory's entries 0 and 15 point to page-table
# pages at PFN 100 and 101 (the directory itself: any free frame, here 200).
OSTEP_20_3="-m ostep-2level --pt-frames 200,100,101 --map 0x0:10,0x40:23,0x100:80,0x140:59,0x3f80:55,0x3fc0:45"
# OSTEP §19.2: ten 4-byte integers at VA 100 (VPNs 6, 7, 8), twice.
OSTEP_19_2="-m ostep-tlb --map 0x60:20,0x70:21,0x80:22"
ARRAY="100 104 108 112 116 120 124 128 132 136"

# golden NAME ARGS...
golden() {
	local name=$1; shift
	t_out "explain_$name" "$G/$name.out" "$VMLAB" explain "$@"
}

golden ostep_20_3 $OSTEP_20_3 0x3f80
golden ostep_19_2 $OSTEP_19_2 $ARRAY
golden ostep_tlb_demand -m ostep-tlb --demand 100 104 112 w:116
golden vax -m vax --map 0x200:3,0x10000:4,0x7ffffe00:5 0x204 w:0x208 0x10004 0x7ffffe10 0x400 0x81000000 0xc0000000
golden vax_fault_while_walking -m vax --demand --map 0x10000:4 0x200
golden x86_64 --map 0x401000:7,0x7ffffffde000:8,1/0x401000:9 0x401234 w:0x401238 0x7ffffffde010 1/0x401000 0x401000
golden x86_64_huge -m x86_64,map=2m --map 0x40200000:3 0x40212345 w:0x403fffff
golden i386_flush -m i386 --map 0x8048000:1,1/0x8048000:2 0x8048000 1/0x8048000 0x8048000
golden sv39 -m riscv-sv39 --demand 0x10000 0x3fffffe000
golden mips_swtlb -m mips-swtlb --map 0x400000:2 w:0x400010 0x400020
golden inverted -m inverted,buckets=4 --map 0x1000:1,0x5000:2,1/0x1000:3 1/0x1000 0x1000 0x9000
# The TSB: a miss walks and fills, a TLB miss on the page is then a TSB
# hit; VPNs 1 and 5 share entry 1 of 4; each pid has its own TSB.
golden sparc_tsb -m sparc-tsb,tlb.entries=1,tsb=4 \
	--map 0x2000:5,0x4000:6,0xa000:7,1/0x2000:8 \
	0x2000 0x4000 0x2000 0xa000 0x2000 1/0x2000 0x2000 w:0x2008

# --demand: the VM (vm_fault) resolves faults.  Two frames of memory: two
# zero_fill faults, FIFO evicts the first page (dirty: a zero-filled page
# goes to swap), and touching it again is a hard fault.
golden demand_evict -m ostep-tlb --demand -f 2 0x10 w:0x20 0x30 0x10
# Frames 1 and 3 hold --map's pages: the VM takes 0, 2 and 4, then evicts
# around them, across processes (pid 0's fault takes pid 1's page last).
DEMAND_MAP="-m ostep-2level --pt-frames 200,100,101 --map 0x0:1,0x40:3 --demand -f 5"
DEMAND_REFS="0x200 0x240 1/0x280 0x0 0x2c0 0x200 0x240 0x40"
golden demand_claims $DEMAND_MAP $DEMAND_REFS
"$VMLAB" explain $DEMAND_MAP $DEMAND_REFS >"$TMP/dclaims" 2>&1
t_eq explain_demand_never_takes_map_frames "0 2 4 0 2 4" \
	"$(grep -o 'to \(free \)\?frame [0-9]*' "$TMP/dclaims" | awk '{print $NF}' | tr '\n' ' ' | sed 's/ $//')"
t_eq explain_demand_map_pages_stay "PFN 1 PFN 3" \
	"$(grep -A20 -E '^read 0x00(00|40) ' "$TMP/dclaims" | grep -o 'result   PA 0x[0-9a-f]* = PFN [0-9]*' | awk '{print $5, $6}' | tr '\n' ' ' | sed 's/ $//')"
grep -q 'FIFO evicts VPN 0xa of pid 1 from frame 4' "$TMP/dclaims" &&
	pass explain_demand_evicts_other_pid ||
	fail explain_demand_evicts_other_pid "$(grep evicts "$TMP/dclaims" | tr '\n' '|')"
"$VMLAB" explain -m ostep-tlb --demand -f 2 --map 0x60:0,0x70:1 0x10 0x60 >"$TMP/dfull" 2>&1
grep -q 'no frame for pages: --map and --pt-frames hold all of frames 0..1' "$TMP/dfull" &&
grep -q 'result   PA 0x000 = PFN 0' "$TMP/dfull" &&
	pass explain_demand_all_frames_held ||
	fail explain_demand_all_frames_held "$(grep -E 'OS|result' "$TMP/dfull" | tr '\n' '|')"

# The oracles, exactly.
"$VMLAB" explain $OSTEP_20_3 0x3f80 >"$TMP/o203" 2>&1
grep -q 'PDE    index 15 .*valid, PFN 101 (0x65)' "$TMP/o203" &&
grep -q 'PTE    index 14 .*valid, PFN 55 (0x37)' "$TMP/o203" &&
grep -q 'result   PA 0x0dc0' "$TMP/o203" && pass oracle_ostep_20_3_explain ||
	fail oracle_ostep_20_3_explain "$(grep -E 'PDE|PTE|result' "$TMP/o203" | tr '\n' '|')"
"$VMLAB" explain $OSTEP_19_2 $ARRAY >"$TMP/o192" 2>&1
t_eq oracle_ostep_19_2_pattern "miss hit hit miss hit hit hit miss hit hit" \
	"$(grep -E '^  TLB  ' "$TMP/o192" | awk '{print $2}' | tr '\n' ' ' | sed 's/ $//')"
grep -q 'TLB: 7 hits, 3 misses (70.0% hits)' "$TMP/o192" &&
	pass oracle_ostep_19_2_rate || fail oracle_ostep_19_2_rate "$(tail -1 "$TMP/o192")"
"$VMLAB" explain $OSTEP_19_2 $ARRAY $ARRAY >"$TMP/o192b" 2>&1
grep -q 'TLB: 17 hits, 3 misses' "$TMP/o192b" &&
	pass oracle_ostep_19_2_second_pass_hits ||
	fail oracle_ostep_19_2_second_pass_hits "$(tail -1 "$TMP/o192b")"

# Refusals: clear messages, non-zero exits.
t_fail explain_address_too_wide 'address 0x100 is outside the 8-bit virtual address space of machine ostep-tlb' \
	"$VMLAB" explain -m ostep-tlb 0x100
t_fail explain_bad_address "expected an address .* found 'q:12'" \
	"$VMLAB" explain -m ostep-tlb q:12
t_fail explain_bad_map "--map expects \[PID/\]VA:PFN" \
	"$VMLAB" explain -m ostep-tlb --map 0x60 0x60
t_fail explain_map_frame_too_big 'frame 64 is beyond the machine' \
	"$VMLAB" explain -m ostep-tlb --map 0x60:64 0x60
t_fail explain_bad_machine 'levels cover' \
	"$VMLAB" explain -m x86_64,levels=9/9 0x1000
t_fail explain_no_address 'no address given' "$VMLAB" explain -m vax
t_status explain_frames_without_demand 2 'give --demand too' \
	"$VMLAB" explain -m ostep-tlb -f 2 0x10
t_status explain_frames_zero 2 "expects a number of frames, at least 1, found '0'" \
	"$VMLAB" explain -m ostep-tlb --demand -f 0 0x10
t_status explain_frames_too_many 2 'must be 1 to 63 frames' \
	"$VMLAB" explain -m ostep-tlb --demand -f 64 0x10
t_status explain_demand_map_outside 2 "frame 10 is outside the VM's memory, frames 0..3" \
	"$VMLAB" explain -m ostep-tlb --demand -f 4 --map 0x60:10 0x60
"$VMLAB" explain -m ostep-tlb --demand --map 0x60:40 0x10 0x60 >"$TMP/dcover" 2>&1
grep -q '^memory    frames 0\.\.40 hold pages' "$TMP/dcover" &&
grep -q 'result   PA 0x280 = PFN 40' "$TMP/dcover" &&
	pass explain_demand_default_covers_map ||
	fail explain_demand_default_covers_map "$(grep -E 'memory|result|explain' "$TMP/dcover" | tr '\n' '|')"
