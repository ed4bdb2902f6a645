#!/usr/bin/env bash
# The solaris and mach systems: listed with their keys, their thresholds
# derived from memory exactly as setupclock() and vm_pageout() derive
# them (worked out by hand below), the classic traces and example scripts
# run under --check, the mechanisms at work (Solaris's scanner wakes on
# the clock and frees pages; Mach's emulated reference bit makes soft
# faults), and bad keys refused with exit 2.
set -u
. tests/lib.sh

T=../shared/traces/classic

t_eq "list systems shows solaris and mach" "2" \
	"$("$VMLAB" list systems | grep -Ec '^  (solaris|mach) ')"
t_eq "list systems shows the Solaris keys" "8" \
	"$("$VMLAB" list systems | grep -Ec '^      (lotsfree|desfree|minfree|throttlefree|pageout_reserve|fastscan|slowscan|handspreadpages)=')"
t_eq "list systems shows the Mach keys" "4" \
	"$("$VMLAB" list systems | grep -Ec '^      (free_reserved|free_min|free_target|inactive_target)=')"

printf '%s\n' 00001000\ R 00002000\ W 00003000\ R >"$TMP/tiny.trace"

# config.system's value of KEY in JSON file F.
cfg() { grep -o "\"$1\": \"[^\"]*\"" "$2" | head -1 | sed 's/.*: "//; s/"$//'; }

# Solaris, 8 KiB pages (512 KiB = 64 pages, 64 MiB = 8192 pages).
# F = 1024: lotsfree = max(1024/64, 64) = 64, desfree 32, minfree 16,
# throttlefree 16, pageout_reserve 8, fastscan = min(1024/2, 8192) = 512,
# slowscan = min(512/10, 100) = 51, handspreadpages = fastscan = 512.
"$VMLAB" run --system solaris -f 1024 --json "$TMP/tiny.trace" >"$TMP/s1.json"
t_eq "solaris 1024 frames: setupclock's values" \
	"64 32 16 16 8 512 51 512" \
	"$(for k in lotsfree desfree minfree throttlefree pageout_reserve \
		fastscan slowscan handspreadpages; do cfg $k "$TMP/s1.json"; done | xargs)"
# F = 65536: lotsfree = 1024, desfree 512, minfree 256, throttlefree 256,
# pageout_reserve 128, fastscan = min(32768, 8192) = 8192, slowscan =
# min(819, 100) = 100, handspreadpages 8192.
"$VMLAB" run --system solaris -f 65536 --json "$TMP/tiny.trace" >"$TMP/s2.json"
t_eq "solaris 65536 frames: setupclock's values" \
	"1024 512 256 256 128 8192 100 8192" \
	"$(for k in lotsfree desfree minfree throttlefree pageout_reserve \
		fastscan slowscan handspreadpages; do cfg $k "$TMP/s2.json"; done | xargs)"
# A tunable at or above its bound is derived again (setupclock's rule);
# one below it stays.
"$VMLAB" run --system solaris,lotsfree=5000,desfree=10 -f 1024 --json \
	"$TMP/tiny.trace" >"$TMP/s3.json"
t_eq "solaris: lotsfree above memory is derived, desfree kept" "64 10 5" \
	"$(for k in lotsfree desfree minfree; do cfg $k "$TMP/s3.json"; done | xargs)"

# Mach: free_after_reserve = F - 15.  F = 1024: free_min = 15 + 10 +
# 1009/100 = 35, free_target = 15 + 15 + 1009/80 = 42.  F = 65536:
# free_min = 25 + 65521/100 = 680, free_target = 30 + 65521/80 = 849.
"$VMLAB" run --system mach -f 1024 --json "$TMP/tiny.trace" >"$TMP/m1.json"
t_eq "mach 1024 frames: vm_pageout's targets" "15 35 42 2/3" \
	"$(for k in free_reserved free_min free_target inactive_target; do cfg $k "$TMP/m1.json"; done | xargs)"
"$VMLAB" run --system mach -f 65536 --json "$TMP/tiny.trace" >"$TMP/m2.json"
t_eq "mach 65536 frames: vm_pageout's targets" "15 680 849" \
	"$(for k in free_reserved free_min free_target; do cfg $k "$TMP/m2.json"; done | xargs)"
# free_target at least free_min + 5.
"$VMLAB" run --system mach,free_min=100 -f 1024 --json "$TMP/tiny.trace" \
	>"$TMP/m3.json"
t_eq "mach: free_target raised to free_min + 5" "105" \
	"$(cfg free_target "$TMP/m3.json")"

# The four classic traces as processes, memory short, under --check.
"$VMLAB" run --system solaris -f 1024 --check --json "$T/gcc.trace.gz" \
	"$T/swim.trace.gz" "$T/bzip.trace.gz" "$T/sixpack.trace.gz" >"$TMP/sc.json"
t_eq "solaris classic: every reference made" 4000000 \
	"$(json_get references "$TMP/sc.json")"
t_eq "solaris classic: the scanner woke and freed pages" 1 \
	"$(awk -v w="$(json_get scan_wakeups "$TMP/sc.json")" \
	       -v f="$(json_get scan_freed "$TMP/sc.json")" \
	       -v s="$(json_get pages_scanned "$TMP/sc.json")" \
	       'BEGIN { print (w > 0 && f > 0 && s >= f) }')"
t_eq "solaris classic: freed pages reclaimed from the free list" 1 \
	"$(json_get reclaims_free "$TMP/sc.json" | awk '{ print ($1 > 0) }')"
# The sparc-tsb machine: TLB misses served by the TSB or by a walk of
# the hashed table, every one of them one or the other; its faults are
# those of the same run on an 8 KiB machine without a TSB.
t_eq "solaris runs on sparc-tsb" "sparc-tsb 512" \
	"$(grep -o '"name": "sparc-tsb"' "$TMP/sc.json" | head -1 | sed 's/.*: "//; s/"//') $(json_get tsb_entries "$TMP/sc.json")"
t_eq "solaris classic: tlb misses = tsb hits + tsb misses" \
	"$(json_get tlb_misses "$TMP/sc.json")" \
	"$(( $(json_get tsb_hits "$TMP/sc.json") + $(json_get tsb_misses "$TMP/sc.json") ))"
t_eq "solaris classic: the TSB serves misses" 1 \
	"$(json_get tsb_hits "$TMP/sc.json" | awk '{ print ($1 > 0) }')"
"$VMLAB" run --system solaris --machine inverted,page=8k -f 1024 --json \
	"$T/gcc.trace.gz" "$T/swim.trace.gz" "$T/bzip.trace.gz" \
	"$T/sixpack.trace.gz" >"$TMP/si.json"
t_eq "solaris classic: the TSB changes no fault" \
	"$(for k in hard_faults soft_faults zero_fill_faults page_outs time_ns; do json_get $k "$TMP/si.json"; done | xargs)" \
	"$(for k in hard_faults soft_faults zero_fill_faults page_outs time_ns; do json_get $k "$TMP/sc.json"; done | xargs)"
"$VMLAB" run --system mach -f 1024 --check --json "$T/gcc.trace.gz" \
	"$T/swim.trace.gz" >"$TMP/mc.json"
t_eq "mach classic: every reference made" 2000000 \
	"$(json_get references "$TMP/mc.json")"
t_eq "mach classic: inactive pages used again take emulation faults" 1 \
	"$(json_get ref_faults "$TMP/mc.json" | awk '{ print ($1 > 0) }')"
# Draves: an inactive queue far too small makes more faults.
"$VMLAB" run --system mach,inactive_target=1/100 -f 1024 --json \
	"$T/gcc.trace.gz" "$T/swim.trace.gz" >"$TMP/mt.json"
t_eq "mach: a tiny inactive target faults more than 2/3" 1 \
	"$(awk -v a="$(json_get hard_faults "$TMP/mt.json")" \
	       -v b="$(json_get hard_faults "$TMP/mc.json")" \
	       'BEGIN { print (a > b) }')"

# Example scripts: written for 64-bit address spaces of 4 KiB pages, so
# Mach runs them on the x86-64 with the same emulation.
for x in fork-shell shm-pair gcc-replay; do
	t_ok "mach runs examples/$x.vms under --check" "$VMLAB" run \
		--system mach --machine x86_64,ref=fault --check \
		"examples/$x.vms"
done

t_status "solaris: an unknown key" 2 "system solaris.*nosuch" \
	"$VMLAB" run --system solaris,nosuch=1 "$TMP/tiny.trace"
t_status "mach: a bad inactive target" 2 "inactive=2/1" \
	"$VMLAB" run --system mach,inactive_target=2/1 "$TMP/tiny.trace"
t_status "mach: free_target above memory" 2 "free_target=.*not below" \
	"$VMLAB" run --system mach -f 24 "$TMP/tiny.trace"
t_status "solaris: a policy that cannot scan" 2 "-p lru has none \(clock2 has\)" \
	"$VMLAB" run --system solaris -p lru "$TMP/tiny.trace"

# vmlab compare: one row per system, each the numbers run gives.
"$VMLAB" compare --systems mach,solaris -f 1024 --csv "$T/gcc.trace.gz" \
	>"$TMP/cmp.csv"
"$VMLAB" run --system solaris -f 1024 --json "$T/gcc.trace.gz" >"$TMP/one.json"
t_eq "compare: solaris's hard faults and time are run's" \
	"$(json_get hard_faults "$TMP/one.json") $(json_get time_ns "$TMP/one.json")" \
	"$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		    $1 == "solaris" { print $c["hard_faults"], $c["time_ns"] }' "$TMP/cmp.csv")"
"$VMLAB" compare --systems mach -f 1024 --json "$T/gcc.trace.gz" >"$TMP/cmp.json"
t_eq "compare --json: mach's ref_faults are there" 1 \
	"$(json_get ref_faults "$TMP/cmp.json" | awk '{ print ($1 > 0) }')"
t_eq "compare --csv: a header and two systems" "3 mach solaris" \
	"$("$VMLAB" compare --systems mach,solaris -f 1024 --csv "$TMP/tiny.trace" |
	   awk -F, 'NR > 1 { s = s " " $1 } END { print NR s }')"
t_eq "compare: every registered system by default" \
	"$("$VMLAB" list systems | grep -Ec '^  [a-z]+ ')" \
	"$("$VMLAB" compare -f 1024 "$TMP/tiny.trace" | tail -n +2 | wc -l)"
t_status "compare: an unknown system" 2 "unknown system 'nosuch'" \
	"$VMLAB" compare --systems vms,nosuch "$TMP/tiny.trace"
t_status "compare: a system's run that fails" 2 "free_target" \
	"$VMLAB" compare --systems mach -f 24 "$TMP/tiny.trace"
t_status "compare: no workload" 2 "at least one workload" \
	"$VMLAB" compare

# swapfs: swap reserved at allocation.  1,024 frames of 8 KiB:
# swapfs_minfree = min(64k, 1024/8) = 128, swapfs_reserve = min(16k,
# max(512, 8)) = 512, reservable = 256 + 1024 - 128 - 512 = 640.
"$VMLAB" run --system solaris,swap=256 --memory 8m --check --json \
	tests/data/kernel/swapfs.vms >"$TMP/sw.json"
t_eq "swapfs: minfree, reserve, reservable at 8 MiB" "128 512 640" \
	"$(sed -n 's/.*"swapfs_minfree": "\([0-9]*\)".*/\1/p' "$TMP/sw.json") $(sed -n 's/.*"swapfs_reserve": "\([0-9]*\)".*/\1/p' "$TMP/sw.json") $(grep -o '"swap_reservable": [0-9][0-9]*' "$TMP/sw.json" | sed 's/.*: //')"
t_eq "swapfs: the third worker's brk is refused, the others finish" \
	"exit exit enomem 1" \
	"$(grep -o '"end": "[a-z]*"' "$TMP/sw.json" | sed 's/.*: "//; s/"//' | tr '\n' ' ')$(json_get swap_refusals "$TMP/sw.json")"
t_eq "swapfs: never more reserved than reservable" 1 \
	"$(awk -v p="$(json_get swap_reserved_peak "$TMP/sw.json")" 'BEGIN { print (p > 300 && p <= 640) }')"
# 64 MiB: 8,192 frames; minfree 1,024, reserve 512; with 100 pages of
# swap 6,756 reservable.
"$VMLAB" run --system solaris,swap=100 --memory 64m --json \
	tests/data/kernel/swapfs.vms >"$TMP/sw2.json"
t_eq "swapfs: reservable at 64 MiB" 6756 \
	"$(grep -o '"swap_reservable": [0-9][0-9]*' "$TMP/sw2.json" | sed 's/.*: //')"
t_eq "swapfs: room for all three there" "exit exit exit " \
	"$(grep -o '"end": "[a-z]*"' "$TMP/sw2.json" | sed 's/.*: "//; s/"//' | tr '\n' ' ')"
"$VMLAB" run --system solaris --memory 8m --json tests/data/kernel/swapfs.vms \
	>"$TMP/sw3.json"
t_eq "swapfs: swap=0 reserves nothing" "0 exit exit exit " \
	"$(grep -c swap_reservable "$TMP/sw3.json")$(grep -o '"end": "[a-z]*"' "$TMP/sw3.json" | sed 's/.*: "//; s/"//' | tr '\n' ' ' | sed 's/^/ /')"
