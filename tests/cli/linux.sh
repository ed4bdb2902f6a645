#!/usr/bin/env bash
# vmlab run --system linux: its keys listed, the kernel's watermarks for
# several memory sizes worked out here from the formulas of
# mm/page_alloc.c (independently of src/sys/linux.c), runs that complete
# under --check, swappiness moving reclaim between anonymous and file
# pages, and bad keys refused with exit 2.
set -u
. tests/lib.sh

T=../shared/traces/classic
D=tests/data/scripts

t_eq "list systems shows linux" 1 \
	"$("$VMLAB" list systems | grep -Ec '^  linux ')"
t_eq "list systems shows the linux keys" 7 \
	"$("$VMLAB" list systems | sed -n '/^  linux /,/^  [a-z]/p' |
	   grep -Ec '^      (swappiness|page_cluster|min_free_kbytes|watermark_scale_factor|watermark_min|watermark_low|watermark_high)=')"

# A value of config.system (a string) from a JSON file.
sysval() {
	grep -o "\"$1\": \"[0-9]*\"" "$2" | head -1 | tr -dc '0-9'
}

# The kernel's boot-time values for MEMORY (KiB) of 4 KiB pages, in awk:
# "min_free_kbytes min low high inactive_ratio".
expect() {
	awk -v kib="$1" 'function isqrt(x,  r) {
		r = int(sqrt(x)); while (r * r > x) r--;
		while ((r + 1) * (r + 1) <= x) r++; return r }
	BEGIN {
		pages = kib / 4
		mfk = isqrt(kib * 16)
		if (mfk < 128) mfk = 128
		if (mfk > 262144) mfk = 262144
		min = int(mfk / 4)
		step = int(min / 4)
		s = int(pages * 10 / 10000)
		if (s > step) step = s
		gib = int(kib / 1048576)
		ratio = gib ? isqrt(10 * gib) : 1
		printf "%d %d %d %d %d\n", mfk, min, min + step, min + 2 * step, ratio
	}'
}

# The worked values for three sizes, by hand (the brief's check of the
# awk above): 16 MiB: int_sqrt(16384 x 16) = 512 KiB = 128 pages, step
# max(32, 4) = 32; 1 GiB: 4096 KiB = 1024 pages, step max(256, 262) =
# 262, ratio int_sqrt(10) = 3; 8 GiB: int_sqrt(134217728) = 11585 KiB =
# 2896 pages, step max(724, 2097) = 2097, ratio int_sqrt(80) = 8.
t_eq "awk formula, 16 MiB" "512 128 160 192 1" "$(expect 16384)"
t_eq "awk formula, 1 GiB" "4096 1024 1286 1548 3" "$(expect 1048576)"
t_eq "awk formula, 8 GiB" "11585 2896 4993 7090 8" "$(expect 8388608)"

for m in 256k:256 2m:2048 16m:16384 100m:102400 1g:1048576 3g:3145728 \
	 8g:8388608 64g:67108864 8t:8589934592; do
	mem=${m%%:*} kib=${m#*:}
	"$VMLAB" run --system linux --memory "$mem" --json \
		examples/fork-shell.vms >"$TMP/w.json" 2>"$TMP/w.err"
	got="$(sysval min_free_kbytes "$TMP/w.json") \
$(sysval watermark_min "$TMP/w.json") $(sysval watermark_low "$TMP/w.json") \
$(sysval watermark_high "$TMP/w.json") $(sysval inactive_ratio "$TMP/w.json")"
	t_eq "watermarks for $mem as the kernel derives them" "$(expect "$kib")" "$got"
done
t_eq "8 TiB: min_free_kbytes clamped to 262144" 262144 \
	"$(sysval min_free_kbytes "$TMP/w.json")"
t_eq "json: swappiness in force" 60 "$(sysval swappiness "$TMP/w.json")"
t_eq "json: page_cluster in force" 3 "$(sysval page_cluster "$TMP/w.json")"
"$VMLAB" run --system linux,min_free_kbytes=1024,watermark_scale_factor=200 \
	--memory 16m --json examples/fork-shell.vms >"$TMP/k.json"
t_eq "keys given: min 256, step 4096 x 200 / 10000 = 81" "256 337 418" \
	"$(sysval watermark_min "$TMP/k.json") $(sysval watermark_low "$TMP/k.json") $(sysval watermark_high "$TMP/k.json")"

# The policy and its parameters as the system sets them.
t_eq "policy line names linuxlru and its parameters" 1 \
	"$("$VMLAB" run --system linux --memory 1g examples/fork-shell.vms |
	   grep -c '^policy *linuxlru,swappiness=60,inactive_ratio=3$')"
t_ok "linuxlru alone, without a system" \
	"$VMLAB" run -p linuxlru,swappiness=0 -f 64 gen:zipf,pages=500,refs=20000

# Every example and a classic trace run to the end, checking every
# invariant after every event (all four classic traces pass --check at
# 1 MiB; the suite runs swim, the quickest but bzip, which hardly
# pages).
for w in fork-shell shm-pair gcc-replay; do
	t_ok "linux --check examples/$w.vms" \
		"$VMLAB" run --system linux --memory 2m --check examples/$w.vms
done
# overcommit's 320 MiB of anonymous memory: the one system run of the
# suite without the check after every event (it takes most of ten
# minutes with it, over an hour in the sanitizer pass).
env -u VMLAB_CHECK "$VMLAB" run --system linux --memory 16m --json \
	examples/overcommit.vms >"$TMP/o.json"
t_eq "overcommit: no process killed with unbounded swap" 0 \
	"$(json_get killed "$TMP/o.json")"
t_eq "overcommit: every reference made" 761876 \
	"$(json_get references "$TMP/o.json")"
t_ok "linux --check swim.trace" \
	"$VMLAB" run --system linux --memory 1m --check "$T/swim.trace.gz"

# Swappiness: 0 writes no anonymous page to swap while file pages are
# left to reclaim; more swappiness, more swap writes.
prev=-1
ok=1
for s in 0 60 200; do
	"$VMLAB" run --system linux,swappiness=$s --memory 2m --json \
		"$D/linux-mix.vms" >"$TMP/s$s.json"
	outs=$(json_get page_outs "$TMP/s$s.json")
	[ "$outs" -gt "$prev" ] || ok=0
	prev=$outs
done
t_eq "swappiness=0: no swap writes" 0 "$(json_get page_outs "$TMP/s0.json")"
t_eq "swappiness 0 < 60 < 200: swap writes rise" 1 "$ok"

# Bad input.
t_status "watermark_low above watermark_high" 2 \
	"watermarks must keep min <= low <= high" \
	"$VMLAB" run --system linux,watermark_low=500,watermark_high=400 \
	--memory 16m examples/fork-shell.vms
t_status "memory too small for the watermarks" 2 \
	"watermark_high=.* leaves nothing" \
	"$VMLAB" run --system linux --memory 128k examples/fork-shell.vms
t_status "swappiness out of range" 2 "swappiness" \
	"$VMLAB" run --system linux,swappiness=201 examples/fork-shell.vms
t_status "a vms key is not a linux key" 2 "system linux.*'rss'" \
	"$VMLAB" run --system linux,rss=4 examples/fork-shell.vms
t_status "linux disk must be ssd or rotating" 2 "disk=floppy" \
	"$VMLAB" run --system linux,disk=floppy examples/fork-shell.vms

# The OOM killer: memory (8 frames) and swap (1 page) run out; the killer
# takes b first (oom_score_adj 1000), then the hog; a finishes.
"$VMLAB" run --system linux,swap=1,watermark_min=1,watermark_low=2,watermark_high=3,ref=100us \
	--sched rr,quantum=100us --memory 32k --check --json \
	tests/data/kernel/oom.vms >"$TMP/oom.json"
t_eq "linux oom: big and b killed, a exits" "oom exit oom" \
	"$(grep -o '"end": "[a-z]*"' "$TMP/oom.json" | sed 's/.*: "//; s/"//' | tr '\n' ' ' | sed 's/ $//')"
t_eq "linux oom: two victims chosen by the killer" 2 \
	"$(grep -c '"killed": "oom"' "$TMP/oom.json")"
