# tests/cli/ostep.sh - `vmlab ostep`, byte for byte against the OSTEP
# homework programs.
#
# 1. Every golden file in ../shared/oracles/ostep/: NAME.cmd is the Python
#    command line ("python3 paging-policy.py -a ... -c"), NAME.out its exact
#    output; `vmlab ostep paging-policy -a ... -c` must print the same bytes.
#    And 20_big_s7_n2000_m50.addrs, the page list seed 7 generates.
# 2. Our own cases in tests/cli/ostep/, in the same format (produced once by
#    the Python programs when the front ends were written; the Python code
#    is not part of the repository and is not run here).  NAME.rc, where
#    present, is the exit status the program ends with (its own "Error:"
#    messages exit 1).
# 3. -f with the address list of the big golden runs, option syntax
#    variants, the .py alias, help, and errors where Python would crash.

. tests/lib.sh

O=../shared/oracles/ostep
L=tests/cli/ostep

# run_cmd FILE: run the vmlab equivalent of the Python command in FILE.
run_cmd() {
	local words script
	read -r -a words <"$1"
	script=${words[1]%.py}
	"$VMLAB" ostep "$script" "${words[@]:2}"
}

# t_cmd NAME CMDFILE OUTFILE [RC]: stdout equals OUTFILE, exit status RC.
t_cmd() {
	local name=$1 cmd=$2 want=$3 wantrc=${4:-0} rc=0
	run_cmd "$cmd" >"$TMP/out.$$" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -ne "$wantrc" ]; then
		fail "$name" "exit $rc, want $wantrc: $(head -c 300 "$TMP/err.$$")"
	elif cmp -s "$TMP/out.$$" "$want"; then
		pass "$name"
	else
		fail "$name" "output differs from $want: $(diff "$want" "$TMP/out.$$" | head -5 | tr '\n' '|')"
	fi
}

n=0
for cmd in "$O"/*.cmd; do
	name=${cmd##*/} name=${name%.cmd}
	t_cmd "ostep golden $name" "$cmd" "$O/$name.out"
	n=$((n + 1))
done
t_eq "ostep golden count" 37 "$n"

# The 38th golden file: the address list seed 7 generates (2000 pages
# below 50), as the question mode lists it.
"$VMLAB" ostep paging-policy -s 7 -n 2000 -m 50 |
	sed -n 's/^Access: \([0-9]*\)  Hit\/Miss?  State of Memory?$/\1/p' \
	>"$TMP/gen.addrs"
if cmp -s "$TMP/gen.addrs" "$O/20_big_s7_n2000_m50.addrs"; then
	pass "ostep golden 20_big_s7_n2000_m50.addrs"
else
	fail "ostep golden 20_big_s7_n2000_m50.addrs" "generated list differs"
fi

for cmd in "$L"/*.cmd; do
	name=${cmd##*/} name=${name%.cmd}
	rc=0
	[ -e "$L/$name.rc" ] && read -r rc <"$L/$name.rc"
	t_cmd "ostep case $name" "$cmd" "$L/$name.out" "$rc"
done

# -f: the address list seed 7 generates gives the same answers as the
# generated list (the deterministic policies; RAND and CLOCK draw from the
# generator, which -f leaves where the seed put it).  Only the echo of
# -f differs.
addrs=$O/20_big_s7_n2000_m50.addrs
for p in FIFO LRU OPT UNOPT MRU; do
	sed "s|^ARG addressfile $|ARG addressfile $addrs|" \
		"$O/20_big_${p}_s7_n2000_m50_C10.out" >"$TMP/f_$p.out"
	t_out "ostep -f $p" "$TMP/f_$p.out" "$VMLAB" ostep paging-policy \
		-s 7 -n 2000 -m 50 -C 10 -p "$p" -N -c -f "$addrs"
done
# With the trace on, every access of the list is replayed.
t_eq "ostep -f traced accesses" 2000 "$("$VMLAB" ostep paging-policy \
	-f "$addrs" -C 10 -p LRU -c | grep -c '^Access: ')"
# Universal newlines, surrounding blanks and Python's int() syntax.
printf '3\n 4 \r\n5\r+6\n1_0\n' >"$TMP/nl.addrs"
t_eq "ostep -f line endings" "3 4 5 6 10" "$("$VMLAB" ostep paging-policy \
	-f "$TMP/nl.addrs" | sed -n 's/^Access: \([0-9]*\) .*/\1/p' | tr '\n' ' ' |
	sed 's/ $//')"

# Option syntax: optparse's forms all give the golden output.
g=$O/51_relocation_s1_c.out
for args in "-s1 -c" "--seed=1 -c" "--seed 1 --compute" "--se=1 --comp" \
	"-cs1" "-cs 1" "-s 0x1 -c" "-s 01 -c" "-s 0b1 -c" "-c -s 1 extra" \
	"-s 2 -s 1 -c" "-s 1_0 -s+1 -c"; do
	# shellcheck disable=SC2086
	t_out "ostep syntax relocation $args" "$g" "$VMLAB" ostep relocation $args
done
g=$O/08_readme_s10_n3_fifo.out
for args in "-s10 -n3 -c" "--seed=10 --numaddrs=3 --compute" \
	"--seed 10 --num 3 -c" "-cn3 -s 10" "-s 10 -n 3 -c -p FIFO"; do
	# shellcheck disable=SC2086
	t_out "ostep syntax paging-policy $args" "$g" "$VMLAB" ostep paging-policy $args
done
t_out "ostep .py alias" "$O/70_malloc_s0.out" "$VMLAB" ostep malloc.py -s 0 -n 10 -c
# "--" ends the options: what follows is positional and ignored.
"$VMLAB" ostep relocation -c >"$TMP/seed0.out"
t_out "ostep -- ends options" "$TMP/seed0.out" "$VMLAB" ostep relocation -c -- -s 1

# Help.
t_ok "ostep --help" "$VMLAB" ostep --help
t_eq "ostep --help lists the simulators" 12 "$("$VMLAB" ostep --help |
	grep -cE '^  (process-run|fork|scheduler|mlfq|lottery|multi|paging-policy|relocation|segmentation|malloc|paging-linear-translate|paging-multilevel-translate) ')"
for sim in paging-policy relocation segmentation malloc \
	paging-linear-translate paging-multilevel-translate; do
	t_eq "ostep $sim -h" "Usage: vmlab ostep $sim [options]" \
		"$("$VMLAB" ostep "$sim" -h | head -1)"
done
t_eq "ostep -h option line" \
	"  -C CACHESIZE, --cachesize=CACHESIZE" \
	"$("$VMLAB" ostep paging-policy --help | grep -e '-C CACHESIZE')"
t_eq "ostep -h ends the parse" "Usage: vmlab ostep malloc [options]" \
	"$("$VMLAB" ostep malloc -h -x | head -1)"

# Command lines optparse refuses: usage errors (exit 2).
t_fail "ostep no simulator" "which simulator" "$VMLAB" ostep
t_fail "ostep unknown simulator" "no simulator 'paging'" "$VMLAB" ostep paging
t_fail "ostep unknown option" "no such option: -x" "$VMLAB" ostep relocation -x
t_fail "ostep unknown long option" "no such option: --bogus" \
	"$VMLAB" ostep malloc --bogus
t_fail "ostep ambiguous option" "ambiguous option: --c \(--cachesize, --clockbits, --compute\?\)" \
	"$VMLAB" ostep paging-policy --c
t_fail "ostep missing value" "-s option requires 1 argument" \
	"$VMLAB" ostep segmentation -s
t_fail "ostep flag with value" "--compute option does not take a value" \
	"$VMLAB" ostep relocation --compute=yes
t_fail "ostep bad integer" "option -s: invalid integer value: 'abc'" \
	"$VMLAB" ostep relocation -s abc
t_fail "ostep octal 08" "option -n: invalid integer value: '08'" \
	"$VMLAB" ostep malloc -n 08
rc=0; "$VMLAB" ostep relocation -x 2>/dev/null || rc=$?
t_eq "ostep usage error exit status" 2 "$rc"

# Where Python dies with a traceback or loops forever: a clear error.
t_fail "ostep policy cache 0" "cache of size 0" \
	"$VMLAB" ostep paging-policy -c -C 0
t_fail "ostep policy no accesses" "no page accesses" \
	"$VMLAB" ostep paging-policy -c -n 0
t_fail "ostep policy bad page" "page 'x' \(access 2\) is not an integer" \
	"$VMLAB" ostep paging-policy -c -a 1,x,3
t_fail "ostep policy bad page ahead of OPT" "page 'x' \(access 5\)" \
	"$VMLAB" ostep paging-policy -c -p OPT -a 1,2,3,4,x,1
t_fail "ostep policy bad numaddrs" "numaddrs 'ten' is not an integer" \
	"$VMLAB" ostep paging-policy -n ten
t_fail "ostep policy missing file" "cannot open address file '/nonexistent'" \
	"$VMLAB" ostep paging-policy -c -f /nonexistent
printf '1\n2\n\n3\n' >"$TMP/blank.addrs"
t_fail "ostep policy blank line" "blank.addrs line 3: '' is not an integer" \
	"$VMLAB" ostep paging-policy -c -f "$TMP/blank.addrs"
t_fail "ostep relocation endless placement" "loops forever" \
	"$VMLAB" ostep relocation -l 16384 -c
t_fail "ostep relocation negative base" "base register -5 is negative" \
	"$VMLAB" ostep relocation -b -5 -c
t_fail "ostep relocation empty size" "address space size \(--asize\) is empty" \
	"$VMLAB" ostep relocation -a ''
t_fail "ostep relocation bad size" "'1.5k' is not a number" \
	"$VMLAB" ostep relocation -a 1.5k
t_fail "ostep segmentation endless placement" "loops forever" \
	"$VMLAB" ostep segmentation -l 20000 -c
t_fail "ostep segmentation below zero" "reaches below physical address 0" \
	"$VMLAB" ostep segmentation -B 10 -L 100 -b 200 -l 50 -c -A 1023,1000
t_fail "ostep malloc policy NEXT" "policy 'NEXT' is not BEST, WORST or FIRST" \
	"$VMLAB" ostep malloc -p NEXT
t_fail "ostep malloc alignment 0" "alignment 0" "$VMLAB" ostep malloc -a 0
t_fail "ostep malloc percent 0" "percentAlloc 0 must be positive" \
	"$VMLAB" ostep malloc -P 0
t_fail "ostep malloc bad op" "'x' is neither \+size nor -index" \
	"$VMLAB" ostep malloc -c -A +10,x
t_fail "ostep malloc free of failed alloc" "ptr\[0\] was never allocated" \
	"$VMLAB" ostep malloc -c -A +200,+3,-0
t_fail "ostep malloc zero-size chunk" "Alloc\(0\) needs a chunk of 0 bytes" \
	"$VMLAB" ostep malloc -c -A +0
t_fail "ostep linear page size 0" "page size of 0" \
	"$VMLAB" ostep paging-linear-translate -P 0 -c
t_fail "ostep linear beyond the table" "beyond the 4-entry page table" \
	"$VMLAB" ostep paging-linear-translate -A 16384 -c
t_fail "ostep multilevel out of memory" "do not fit in 128 physical pages" \
	"$VMLAB" ostep paging-multilevel-translate -a 128 -c
# What Python printed before its crash is printed too.
"$VMLAB" ostep paging-policy -c -a 1,x,3 >"$TMP/partial.out" 2>/dev/null
t_eq "ostep output before a crash" "Access: 1  MISS FirstIn ->          [1] <- Lastin  Replaced:- [Hits:0 Misses:1]" \
	"$(tail -1 "$TMP/partial.out")"
