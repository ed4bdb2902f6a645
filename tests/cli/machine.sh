#!/usr/bin/env bash
# vmlab run --machine and vmlab list machines (docs/machine.md): the JSON
# fields, the same replacement decisions as without a machine (the CS1550
# gcc oracle through the MMU), TLB hit rates that page size predicts, the
# page-table memory of a sparse 64-bit address space in each format, soft
# faults from thrown-away mappings, OSTEP's AMAT, and refusals.
. "$(dirname "$0")/../lib.sh"

GCC=../shared/traces/classic/gcc.trace.gz

# run_json NAME OUT ARGS...: vmlab run --json ARGS into OUT; fails NAME on
# a non-zero exit.
run_json() {
	local name=$1 out=$2; shift 2
	if ! "$VMLAB" run --json "$@" >"$out" 2>"$TMP/err.$$"; then
		fail "$name" "exit: $(head -c 300 "$TMP/err.$$")"
		return 1
	fi
}

# --- list machines ---------------------------------------------------------
"$VMLAB" list machines >"$TMP/list" 2>&1
missing=
for w in vax i386 x86_64 riscv-sv39 mips-swtlb ostep-tlb ostep-2level \
	 tlb.entries tlb.ways tlb.repl tlb.asid tlb.split tlb.refill ref mod \
	 levels huge format cost.walk cost.trap "x86_64=64" "vax=fault"; do
	grep -qF -- "$w" "$TMP/list" || missing="$missing $w"
done
t_eq list_machines_shows_presets_and_keys "" "$missing"

# --- JSON fields and the CS1550 oracle through the MMU ---------------------
if run_json machine_gcc_clock_8 "$TMP/m.json" --machine x86_64 -p clock -f 8 "$GCC"; then
	t_eq machine_gcc_clock_8_faults 181856 "$(json_get faults "$TMP/m.json")"
	t_eq machine_gcc_clock_8_writebacks 29401 "$(json_get writebacks "$TMP/m.json")"
	missing=
	for f in tlb_hits tlb_misses walk_references page_table_pages \
		 amat_ns elapsed_ns soft_faults linear_table_bytes; do
		grep -q "\"$f\":" "$TMP/m.json" || missing="$missing $f"
	done
	t_eq machine_json_fields "" "$missing"
	h=$(json_get tlb_hits "$TMP/m.json")
	m=$(json_get tlb_misses "$TMP/m.json")
	t_eq machine_tlb_counts_add_up 1000000 "$((h + m))"
	grep -q '"name": "x86_64"' "$TMP/m.json" && pass machine_json_config ||
		fail machine_json_config "config.machine.name missing"
fi

# VAX: system and reserved-region addresses are access violations, counted
# apart from hits and faults; emulated reference bits with clock.
if run_json machine_vax_gcc "$TMP/v.json" --machine vax -p clock -f 64 "$GCC"; then
	v=$(json_get violations "$TMP/v.json")
	hits=$(json_get hits "$TMP/v.json")
	f=$(json_get faults "$TMP/v.json")
	t_eq machine_vax_violations 223 "$v"
	t_eq machine_vax_counts_add_up 1000000 "$((hits + f + v))"
	r=$(json_get ref_faults "$TMP/v.json")
	[ "${r:-0}" -gt 0 ] && pass machine_vax_reference_emulation ||
		fail machine_vax_reference_emulation "ref_faults '$r'"
fi

# --- TLB reach: a sequential scan, and 2 MiB pages on a real trace ---------
awk 'BEGIN { for (i = 0; i < 262144; i++) printf "%08x R\n", 1073741824 + 8 * i }' \
	>"$TMP/scan.trace"
if run_json machine_scan_4k "$TMP/s4.json" --machine x86_64 -p lru "$TMP/scan.trace"; then
	t_eq machine_scan_4k_tlb_misses 512 "$(json_get tlb_misses "$TMP/s4.json")"
fi
if run_json machine_scan_2m "$TMP/s2.json" --machine x86_64,map=2m -p lru "$TMP/scan.trace"; then
	t_eq machine_scan_2m_tlb_misses 1 "$(json_get tlb_misses "$TMP/s2.json")"
fi
if run_json machine_gcc_4k "$TMP/g4.json" --machine x86_64 -p lru "$GCC" &&
   run_json machine_gcc_2m "$TMP/g2.json" --machine x86_64,map=2m -p lru "$GCC"; then
	m4=$(json_get tlb_misses "$TMP/g4.json")
	m2=$(json_get tlb_misses "$TMP/g2.json")
	if [ "$m2" -lt "$((m4 / 3))" ]; then pass machine_gcc_2m_tlb_reach; else
		fail machine_gcc_2m_tlb_reach "2 MiB misses $m2, 4 KiB misses $m4"; fi
fi

# A machine without a TLB misses on every reference it can map (the VAX
# refuses a few of gcc's addresses: violations) and gives the same faults; the VAX's split buffer once took tlb.entries=0 for two buffers
# and crashed (found by fuzz_machine_spec).
for m in vax x86_64; do
	if run_json "machine_${m}_no_tlb" "$TMP/nt.json" --machine "$m,tlb.entries=0" \
		-p clock -f 64 "$GCC" &&
	   run_json "machine_${m}_tlb" "$TMP/t.json" --machine "$m" -p clock -f 64 "$GCC"; then
		t_eq "machine_${m}_no_tlb_hits" 0 "$(json_get tlb_hits "$TMP/nt.json")"
		t_eq "machine_${m}_no_tlb_misses" \
			"$((1000000 - $(json_get violations "$TMP/nt.json")))" \
			"$(json_get tlb_misses "$TMP/nt.json")"
		t_eq "machine_${m}_no_tlb_same_faults" "$(json_get faults "$TMP/t.json")" \
			"$(json_get faults "$TMP/nt.json")"
	fi
done

# --- page-table memory of a sparse 64-bit address space --------------------
# code, heap, a library and a stack, as a lackey trace
{
	for i in 0 1 2 3; do printf 'I  %08x,4\n' $((0x401000 + i * 4096)); done
	for i in 0 1 2; do printf ' L %08x,8\n' $((0x4d2000 + i * 4096)); done
	for i in 0 1; do printf ' L %x,8\n' $((0x7f3a1c200000 + i * 4096)); done
	for i in 0 1 2; do printf ' S %x,8\n' $((0x7ffd4a6e0000 + i * 4096)); done
} >"$TMP/sparse.lackey"
if run_json machine_sparse_radix "$TMP/sp.json" --machine x86_64 "$TMP/sparse.lackey"; then
	p=$(json_get page_table_pages "$TMP/sp.json")
	l=$(json_get linear_table_bytes "$TMP/sp.json")
	[ "$p" -le 10 ] && pass machine_sparse_radix_pages ||
		fail machine_sparse_radix_pages "page_table_pages $p"
	[ "$l" -ge $((250 << 30)) ] && pass machine_sparse_linear_bytes ||
		fail machine_sparse_linear_bytes "linear_table_bytes $l"
fi
t_fail machine_sparse_linear_refuses 'cannot hold address 0x7f3a1c200000.*\(254 GiB\)' \
	"$VMLAB" run --machine x86_64,format=linear,huge=none "$TMP/sparse.lackey"
if run_json machine_sparse_hashed "$TMP/sh.json" --machine x86_64,format=hashed,huge=none,buckets=1024 "$TMP/sparse.lackey"; then
	t_eq machine_sparse_hashed_pages 3 "$(json_get page_table_pages "$TMP/sh.json")"
fi

# --- throwing mappings away changes only soft faults -----------------------
if run_json machine_drop_none "$TMP/d0.json" --machine x86_64 -p clock -f 64 "$GCC" &&
   run_json machine_drop_some "$TMP/d1.json" --machine x86_64,drop=0.01 -p clock -f 64 "$GCC"; then
	for f in hard_faults writebacks evictions page_ins page_outs; do
		t_eq "machine_drop_same_$f" "$(json_get $f "$TMP/d0.json")" \
			"$(json_get $f "$TMP/d1.json")"
	done
	s=$(json_get soft_faults "$TMP/d1.json")
	[ "$s" -gt 0 ] && pass machine_drop_soft_faults ||
		fail machine_drop_soft_faults "soft_faults '$s'"
	# The references that took a soft fault are no longer hits.
	t_eq machine_drop_hits_less_soft "$(json_get hits "$TMP/d0.json")" \
		"$(( $(json_get hits "$TMP/d1.json") + s ))"
	t_eq machine_drop_faults_plus_soft "$(( $(json_get faults "$TMP/d0.json") + s ))" \
		"$(json_get faults "$TMP/d1.json")"
fi

# --- OSTEP AMAT: T_M 100 ns, T_D 10 ms, 90% hits -> 1.0001 ms -------------
costs=cost.mem=100ns,cost.tlb=0,cost.walk=0,cost.trap=0,cost.fault=0,cost.disk=10ms
if run_json machine_amat "$TMP/a.json" --machine ostep-tlb,$costs pages:3,3,3,3,3,3,3,3,3,3; then
	t_eq machine_amat_ostep 1000100 "$(json_get amat_ns "$TMP/a.json")"
fi

# --- sparc-tsb: the TSB between the TLB and the hashed walk ----------------
# Two passes over 256 pages of 8 KiB: the first faults every page in (each
# TLB miss a TSB miss, then the restart's probe misses again); the second
# misses the 64-entry TLB on every page and the 512-entry TSB serves each.
# With 128 TSB entries pages 128 apart share an entry: nothing survives.
grep -qE '^  sparc-tsb ' "$TMP/list" && grep -qE '^  tsb ' "$TMP/list" &&
	grep -qF 'sparc-tsb=512' "$TMP/list" && pass machine_list_sparc_tsb ||
	fail machine_list_sparc_tsb "preset or key tsb missing"
awk 'BEGIN { for (p = 0; p < 2; p++) for (i = 0; i < 32768; i++)
	printf "%08x R\n", 1073741824 + 64 * i }' >"$TMP/scan2.trace"
if run_json machine_tsb_scan "$TMP/t1.json" --machine sparc-tsb -p lru "$TMP/scan2.trace"; then
	t_eq machine_tsb_scan_counts "256 512 256 256 768 512" \
		"$(for f in faults tlb_misses tsb_hits tsb_misses tsb_references walks; do
			json_get $f "$TMP/t1.json"; done | xargs)"
	grep -q '"tsb_entries": 512' "$TMP/t1.json" && pass machine_tsb_json_config ||
		fail machine_tsb_json_config "config.machine.tsb_entries missing"
fi
if run_json machine_tsb_collide "$TMP/t2.json" --machine sparc-tsb,tsb=128 -p lru "$TMP/scan2.trace"; then
	t_eq machine_tsb_collisions "0 512" \
		"$(json_get tsb_hits "$TMP/t2.json") $(json_get tsb_misses "$TMP/t2.json")"
fi
# gcc: the TSB serves some misses, the counts add up, and replacement is
# the same as without a machine (8 KiB pages).
if run_json machine_tsb_gcc "$TMP/t3.json" --machine sparc-tsb -p clock -f 512 "$GCC" &&
   run_json machine_tsb_gcc_plain "$TMP/t4.json" -P 8192 -p clock -f 512 "$GCC"; then
	m=$(json_get tlb_misses "$TMP/t3.json")
	h=$(json_get tsb_hits "$TMP/t3.json")
	x=$(json_get tsb_misses "$TMP/t3.json")
	t_eq machine_tsb_counts_add_up "$m" "$((h + x))"
	[ "$h" -gt 0 ] && pass machine_tsb_gcc_hits || fail machine_tsb_gcc_hits "tsb_hits '$h'"
	t_eq machine_tsb_same_faults "$(json_get faults "$TMP/t4.json")" \
		"$(json_get faults "$TMP/t3.json")"
fi
"$VMLAB" run --machine sparc-tsb -p lru "$TMP/scan2.trace" >"$TMP/t.txt" 2>&1
grep -qE '^TSB hits +256 +50\.00% of TLB misses; misses 256 \(walks\), 768 TSB entries read$' \
	"$TMP/t.txt" && pass machine_tsb_text || fail machine_tsb_text "$(grep TSB "$TMP/t.txt")"
"$VMLAB" run --machine x86_64 -p lru "$TMP/scan2.trace" >"$TMP/t.txt" 2>&1
grep -q TSB "$TMP/t.txt" && fail machine_no_tsb_elsewhere "x86_64 shows a TSB" ||
	pass machine_no_tsb_elsewhere
t_status machine_tsb_zero 2 "sparc-tsb: tsb expects an integer from 1" \
	"$VMLAB" run --machine sparc-tsb,tsb=0 pages:1
t_status machine_tsb_not_power_of_two 2 "tsb=100 is not a power of two" \
	"$VMLAB" run --machine sparc-tsb,tsb=100 pages:1
t_status machine_tsb_needs_hashed 2 "tsb=512 needs format=hashed or inverted" \
	"$VMLAB" run --machine x86_64,tsb=512 pages:1

# --- refusals ---------------------------------------------------------------
t_fail machine_unknown 'unknown machine .pdp11.' "$VMLAB" run --machine pdp11 pages:1
t_fail machine_unknown_key "unknown key 'tlb.size'" \
	"$VMLAB" run --machine x86_64,tlb.size=8 pages:1
t_fail machine_inconsistent_levels 'levels cover 27 bits' \
	"$VMLAB" run --machine x86_64,levels=9/9/9 pages:1
t_fail machine_inconsistent_bits 'no referenced bit' \
	"$VMLAB" run --machine vax,ref=hw pages:1
t_fail machine_page_size_conflict 'contradicts machine vax' \
	"$VMLAB" run --machine vax -P 4096 pages:1
t_fail machine_address_too_wide 'outside the 32-bit virtual address space of machine i386' \
	"$VMLAB" run --machine i386 "$TMP/sparse.lackey"
