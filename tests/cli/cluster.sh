#!/usr/bin/env bash
# A sweep split into shards (sweep --shard K/N) and run apart - here three
# shards through GNU parallel on this host, as docs/cluster.md runs them
# across hosts - merges (vmlab merge) into exactly the bytes of the
# unsharded sweep, for CSV and JSON; shards that do not make one sweep are
# refused with a clear message and exit 2, unreadable ones with exit 1.
. "$(dirname "$0")/../lib.sh"

GCC=../shared/traces/classic/gcc.trace.gz
ARGS=(-p lru,fifo,clock,aging,bits=4,arc,opt -f 1..2000/9 -j 1)

if ! command -v parallel >/dev/null 2>&1; then
	fail "GNU parallel" "not installed (scripts/deps.sh installs Debian's parallel)"
	exit 0
fi
for kind in csv json; do
	if ! "$VMLAB" sweep "${ARGS[@]}" --"$kind" "$GCC" >"$TMP/full.$kind" 2>"$TMP/err"; then
		fail "unsharded sweep ($kind)" "$(head -c 300 "$TMP/err")"; continue
	fi
	# GNU parallel runs the three shards at once; {} is the shard number.
	if ! parallel --will-cite -j 3 --halt now,fail=1 \
		"'$VMLAB' sweep ${ARGS[*]} --$kind --shard {}/3 '$GCC' >'$TMP/shard{}.$kind'" \
		::: 1 2 3 2>"$TMP/err"; then
		fail "three shards through GNU parallel ($kind)" "$(head -c 300 "$TMP/err")"; continue
	fi
	pass "three shards through GNU parallel ($kind)"
	rows=$(cat "$TMP"/shard[123]."$kind" | grep -c '"cell":\|^[0-9a-f]\{16\},')
	t_eq "the shards hold every cell once ($kind: 6 policies x 9 sizes)" 54 "$rows"
	t_out "merged shards = unsharded sweep, byte for byte ($kind)" "$TMP/full.$kind" \
		"$VMLAB" merge "$TMP/shard2.$kind" "$TMP/shard3.$kind" "$TMP/shard1.$kind"
	"$VMLAB" merge -o "$TMP/merged.$kind" "$TMP"/shard[123]."$kind" 2>/dev/null
	if cmp -s "$TMP/merged.$kind" "$TMP/full.$kind"; then pass "merge -o FILE ($kind)"
	else fail "merge -o FILE ($kind)" "differs"; fi
done

# The split: shard K computes the cells c with c mod N = K - 1.
cells=$(awk -F, 'NR > 1 { printf "%s ", $4 }' "$TMP/shard2.csv")
t_eq "shard 2/3 holds cells 1, 4, 7, ..." "1 4 7 10 13 16 19 22 25 28 31 34 37 40 43 46 49 52 " "$cells"

# Bad input.
t_status "--shard 0/3 is refused" 2 "--shard expects K/N with 1 <= K <= N" \
	"$VMLAB" sweep --shard 0/3 --csv "$GCC"
t_status "--shard 4/3 is refused" 2 "found '4/3'" "$VMLAB" sweep --shard 4/3 --csv "$GCC"
t_status "--shard needs --csv or --json" 2 "--shard needs --csv or --json" \
	"$VMLAB" sweep --shard 1/3 "$GCC"
t_status "more shards than cells" 2 "only 2 cells" \
	"$VMLAB" sweep -p lru -f 1,2 --shard 3/3 --csv "$GCC"
t_status "merge: a missing shard" 2 "shards missing: 3 of 3" \
	"$VMLAB" merge "$TMP/shard1.csv" "$TMP/shard2.csv"
"$VMLAB" sweep -p lru,fifo -f 1..8 --csv --shard 3/3 "$GCC" >"$TMP/other3.csv" 2>/dev/null
t_status "merge: shards of different sweeps" 2 "shards of different sweeps" \
	"$VMLAB" merge "$TMP/shard1.csv" "$TMP/shard2.csv" "$TMP/other3.csv"
t_status "merge: the same shard twice" 2 "are both shard 1/3" \
	"$VMLAB" merge "$TMP/shard1.csv" "$TMP/shard1.csv" "$TMP/shard3.csv"
t_status "merge: CSV mixed with JSON" 2 "merge shards of one kind" \
	"$VMLAB" merge "$TMP/shard1.csv" "$TMP/shard2.json" "$TMP/shard3.csv"
t_status "merge: a file that is not there" 1 "nonexistent.csv: cannot open" \
	"$VMLAB" merge "$TMP/shard1.csv" "$TMP/nonexistent.csv" "$TMP/shard3.csv"
t_status "merge: an unsharded sweep is not a shard" 1 "not the CSV of 'vmlab sweep --shard" \
	"$VMLAB" merge "$TMP/full.csv"
head -c 200 "$TMP/shard2.json" >"$TMP/cut.json"
t_status "merge: a shard cut short" 1 "cut\.json:[0-9]+:[0-9]+: " \
	"$VMLAB" merge "$TMP/shard1.json" "$TMP/cut.json" "$TMP/shard3.json"
t_status "merge: no files" 2 "no shard files given" "$VMLAB" merge
"$VMLAB" merge "$TMP/shard1.csv" "$TMP/shard2.csv" >"$TMP/partial.out" 2>/dev/null
t_eq "merge writes nothing on an error" 0 "$(wc -c <"$TMP/partial.out")"

# The Slurm example is a real script: run its three array tasks and the
# merge step here, with the variables Slurm would set.
rm -rf "$TMP/slurm"
ok=1
for k in 1 2 3; do
	SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=1 \
	VMLAB="$VMLAB" VMLAB_SWEEP="-p lru,fifo,clock -f 1..64/5" \
		bash examples/slurm/sweep.sbatch "$GCC" "$TMP/slurm" 2>"$TMP/err" || ok=0
done
VMLAB="$VMLAB" bash examples/slurm/merge.sbatch "$TMP/slurm" >/dev/null 2>>"$TMP/err" || ok=0
"$VMLAB" sweep -p lru,fifo,clock -f 1..64/5 --csv "$GCC" >"$TMP/slurm-full.csv" 2>/dev/null
if [ "$ok" = 1 ] && cmp -s "$TMP/slurm/sweep.csv" "$TMP/slurm-full.csv"; then
	pass "examples/slurm: three array tasks and the merge step give the unsharded sweep"
else
	fail "examples/slurm" "$(head -c 300 "$TMP/err")"
fi
