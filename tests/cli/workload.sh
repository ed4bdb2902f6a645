#!/usr/bin/env bash
# The workload layer from the command line: every format through `vmlab
# run` (files, gzip, zstd, standard input), `vmlab convert` round trips and
# refusals, `vmlab list`, and the messages and exit codes of bad input.
set -u
. tests/lib.sh

D=tests/data
C=../shared/traces/classic
L=../shared/traces/libcachesim
J=$TMP/wl.json

# refs NAME WANT_RECORDS WANT_REFS WANT_R WANT_W WANT_X CMD...: run --json
# and check the counts.
refs() {
	local name=$1 rec=$2 refs=$3 r=$4 w=$5 x=$6; shift 6
	if ! "$@" >"$J" 2>"$TMP/err.wl"; then
		fail "$name" "exit $?: $(head -c 300 "$TMP/err.wl")"
		return
	fi
	local got
	got="$(json_get records "$J") $(json_get references "$J") $(json_get reads "$J") $(json_get writes "$J") $(json_get ifetches "$J")"
	t_eq "$name" "$rec $refs $r $w $x" "$got"
}

# Every format, detected from content.
refs "run lackey (valgrind lines skipped, M = 2, page split)" 10 11 5 3 3 \
	"$VMLAB" run --json "$D/lackey.trace"
refs "run lackey.zst" 10 11 5 3 3 "$VMLAB" run --json "$D/lackey.trace.zst"
refs "run din" 6 6 2 1 3 "$VMLAB" run --json "$D/dinero.din"
refs "run din.gz" 6 6 2 1 3 "$VMLAB" run --json "$D/dinero.din.gz"
refs "run memsim CRLF, 7 digits, upper case, blank line" 4 4 2 2 0 \
	"$VMLAB" run --json "$D/memsim-crlf.trace"
refs "run pages file" 12 12 12 0 0 "$VMLAB" run --json "$D/belady.pages"
refs "run gcc.trace.gz" 1000000 1000000 892816 107184 0 \
	"$VMLAB" run --json "$C/gcc.trace.gz"
refs "run oracleGeneral" 113872 113872 113872 0 0 \
	"$VMLAB" run --json "$L/cloudPhysicsIO.oracleGeneral.bin"
refs "run cloudPhysicsIO.txt.gz" 113872 113872 113872 0 0 \
	"$VMLAB" run --json "$L/cloudPhysicsIO.txt.gz"
refs "run gen:zipf" 5000 5000 5000 0 0 \
	"$VMLAB" run --json gen:zipf,pages=100,refs=5000

# Standard input, plain and compressed.
refs "stdin gzip" 1000000 1000000 892816 107184 0 \
	sh -c "\"$VMLAB\" run --json - < $C/gcc.trace.gz"
refs "stdin pipe zstd" 10 11 5 3 3 \
	sh -c "cat $D/lackey.trace.zst | \"$VMLAB\" run --json -"
refs "stdin --format" 12 12 12 0 0 \
	sh -c "cat $D/belady.pages | \"$VMLAB\" run --json --format pages -"

# Same faults from the text and binary forms of cloudPhysicsIO.
"$VMLAB" run --json -f 100 "$L/cloudPhysicsIO.txt.gz" >"$TMP/cp1.json"
"$VMLAB" run --json -f 100 "$L/cloudPhysicsIO.oracleGeneral.bin" >"$TMP/cp2.json"
t_eq "cloudPhysicsIO text and binary fault alike" \
	"$(json_get faults "$TMP/cp1.json")" "$(json_get faults "$TMP/cp2.json")"

# Course traces against their published answers.
"$VMLAB" run --json -p lru -f 6 ../shared/traces/course/trace2 >"$J"
t_eq "course trace2 lru 6 frames" "10 4" \
	"$(json_get faults "$J") $(json_get writebacks "$J")"

# Errors: message and exit status 1 (2 for a command line).
t_fail "missing file" '^vmlab: no/such\.trace: cannot open: No such file or directory$' \
	"$VMLAB" run no/such.trace
t_fail "malformed line names file:line:col" \
	"^vmlab: $D/bad-kind.trace:3:10: expected R or W, found 'X'\$" \
	"$VMLAB" run "$D/bad-kind.trace"
t_fail "undetectable format lists the formats" \
	"cannot tell the trace format .*first line '#!/usr/bin/env bash'.*--format NAME \(formats: vmt, vmsim, lackey, din, pages, oracle-general" \
	"$VMLAB" run tests/cli/workload.sh
t_fail "unknown format" "unknown format 'csv' \(formats: vmt, vmsim" \
	"$VMLAB" run --format csv "$D/belady.pages"
t_fail "unknown generator" "unknown generator 'zipfian' \(generators: uniform, hotcold, hotscan, loop, zipf, phase" \
	"$VMLAB" run gen:zipfian
t_fail "generator parameter out of range" "generator zipf: parameter 'alpha' must be between 0 and 20, found '30'" \
	"$VMLAB" run gen:zipf,alpha=30
t_fail "inline page list column" "pages:1,2,x:1:11: expected a decimal page number, found 'x'" \
	"$VMLAB" run pages:1,2,x
# A lackey trace with the program's own stderr in it: still an error (no
# line is skipped), which says what the line probably is and the way out.
{ head -3 "$D/lackey.trace"; echo "hello from the program"; tail -2 "$D/lackey.trace"; } \
	>"$TMP/mixed.trace"
t_fail "lackey: a program's line is refused, with the cause and the cure" \
	"^vmlab: $TMP/mixed.trace:4:1: expected I, L, S or M .*found 'hello'; not lackey output: probably the traced program's own.*--log-fd=N or --log-file=FILE; 'vmlab record' keeps them apart" \
	"$VMLAB" run --format lackey "$TMP/mixed.trace"
printf ' L 04015a70,x\n' >"$TMP/badsize.trace"
t_fail "lackey: a malformed event keeps the plain message" \
	"^vmlab: $TMP/badsize.trace:1:13: expected a decimal access size, found 'x'\$" \
	"$VMLAB" run --format lackey "$TMP/badsize.trace"
rc=0; "$VMLAB" run "$D/bad-kind.trace" >/dev/null 2>&1 || rc=$?
t_eq "malformed trace exits 1" 1 "$rc"
rc=0; "$VMLAB" run --format csv "$D/belady.pages" >/dev/null 2>&1 || rc=$?
t_eq "unknown --format exits 2" 2 "$rc"
printf '' >"$TMP/empty"
t_fail "empty file" "empty, so its format cannot be detected" "$VMLAB" run "$TMP/empty"
t_fail "truncated gzip" "gzip data is truncated" \
	sh -c "head -c 100000 $C/gcc.trace.gz | \"$VMLAB\" run -"

# convert: gcc -> vmt -> vmsim is the original, and vmt is smaller.
t_ok "convert gcc to vmt" "$VMLAB" convert -o "$TMP/gcc.vmt" "$C/gcc.trace.gz"
gzip -dc "$C/gcc.trace.gz" >"$TMP/gcc.txt"
"$VMLAB" convert --to vmsim "$TMP/gcc.vmt" >"$TMP/gcc.back" 2>"$TMP/err.wl"
if cmp -s "$TMP/gcc.txt" "$TMP/gcc.back"; then pass "gcc -> vmt -> vmsim is identical"
else fail "gcc -> vmt -> vmsim is identical" "$(cmp "$TMP/gcc.txt" "$TMP/gcc.back" 2>&1 | head -1)"; fi
vsize=$(wc -c <"$TMP/gcc.vmt"); tsize=$(wc -c <"$TMP/gcc.txt")
if [ "$vsize" -lt $((tsize / 4)) ]; then pass "vmt is smaller ($vsize < $tsize bytes)"
else fail "vmt is smaller" "$vsize vs $tsize"; fi
refs "run the vmt" 1000000 1000000 892816 107184 0 "$VMLAB" run --json "$TMP/gcc.vmt"

# convert: compressed output, lackey round trip, generators saved.
t_ok "convert to .vmt.zst" "$VMLAB" convert -o "$TMP/l.vmt.zst" "$D/lackey.trace"
refs "run the .vmt.zst" 10 11 5 3 3 "$VMLAB" run --json "$TMP/l.vmt.zst"
"$VMLAB" convert --to lackey "$TMP/l.vmt.zst" >"$TMP/l.back"
grep -v '^[-=]' "$D/lackey.trace" >"$TMP/l.data"
t_out "lackey -> vmt -> lackey keeps M" "$TMP/l.data" cat "$TMP/l.back"
"$VMLAB" convert -o "$TMP/z.vmt" --seed 3 gen:zipf,pages=1000,refs=20000
"$VMLAB" run --json --seed 3 gen:zipf,pages=1000,refs=20000 >"$TMP/z1.json"
"$VMLAB" run --json "$TMP/z.vmt" >"$TMP/z2.json"
t_eq "a saved generator faults like the generator" \
	"$(json_get faults "$TMP/z1.json")" "$(json_get faults "$TMP/z2.json")"
printf '1055\n3\n10\n912091\n' >"$TMP/want.pages"
t_out "convert bytes to pages with -P and --as-reads" "$TMP/want.pages" \
	"$VMLAB" convert --to pages -P 4k --as-reads "$D/memsim-crlf.trace"

# convert: refusals remove the output, exit 1.
t_fail "pages cannot hold writes" \
	"pages: reference 1 is a write, which this format cannot represent" \
	"$VMLAB" convert --to pages -P 4096 -o "$TMP/x.pages" "$D/memsim-crlf.trace"
if [ -e "$TMP/x.pages" ]; then fail "failed convert leaves no file" "$TMP/x.pages exists"
else pass "failed convert leaves no file"; fi
t_fail "vmsim needs -P for page numbers" "give the page size with --page-size" \
	"$VMLAB" convert --to vmsim pages:1,2
t_fail "convert cannot mix units" "holds byte addresses but the workloads before it hold page numbers" \
	"$VMLAB" convert -o "$TMP/mix.vmt" pages:1 "$D/dinero.din"
t_fail "convert --to unknown" "cannot write format 'csv' \(formats: vmt, vmsim, lackey, din, pages, oracle-general\)" \
	"$VMLAB" convert --to csv pages:1

cp "$D/belady.pages" "$TMP/self.pages"
t_fail "convert will not overwrite its input" "refusing to write .*self.pages: it is also an input" \
	"$VMLAB" convert --to pages -o "$TMP/self.pages" "$TMP/self.pages"
t_out "... and the input is intact" "$D/belady.pages" cat "$TMP/self.pages"

# list
"$VMLAB" list >"$TMP/list" 2>&1
for word in 'lru' 'vmt ' 'oracle-general' 'zipf' 'alpha=1' 'hotrefs=0.8' 'ws=50'; do
	if grep -q -- "$word" "$TMP/list"; then pass "list shows $word"
	else fail "list shows $word" "missing"; fi
done
t_ok "list generators" "$VMLAB" list generators
t_fail "list bogus" "unknown list 'bogus'" "$VMLAB" list bogus
t_ok "help convert" "$VMLAB" help convert
