#!/usr/bin/env bash
# README's short tour, as a new user runs it: every command of its code
# block exits 0, what the comments promise is what the commands print,
# and the tour writes only under /tmp, nothing into the repository.  The
# commands are read from README.md itself, so the tour cannot go stale.
# They run in a scratch directory that stands in for the checkout (a link
# to its examples/ in it, ../shared beside it), with ./build/vmlab meaning
# the binary under test and /tmp/ meaning this test's temporary directory.
. "$(dirname "$0")/../lib.sh"

repo=$TMP/tour/vmlab
out=$TMP/tour/tmp
mkdir -p "$repo" "$out"
ln -s "$(cd ../shared && pwd)" "$TMP/tour/shared"
ln -s "$(pwd)/examples" "$repo/examples" # the checkout's examples

# The code block after "## A short tour": continuation lines joined,
# comments and blank lines dropped, one command a line.
awk '/^## A short tour/ { in_tour = 1 }
     in_tour && /^```sh/ { code = 1; next }
     code && /^```/ { exit }
     code' README.md |
	sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*/ /; ta' |
	grep -v '^[[:space:]]*\(#\|$\)' >"$TMP/tour.txt"
n=$(wc -l <"$TMP/tour.txt")
if [ "$n" -ge 15 ]; then pass "tour: $n commands read from README.md"
else fail "tour: commands read from README.md" "only $n"; fi

# Every output the tour names is under /tmp.
outside=$(grep -Eo '(-o|--svg|>) *[^ ]+' "$TMP/tour.txt" | awk '{ print $NF }' |
	sed 's/^>//' | grep -v '^/tmp/' | tr '\n' ' ')
t_eq "tour: every file it writes is under /tmp" "" "$outside"

i=0
while IFS= read -r line; do
	i=$((i + 1))
	cmd=${line//\/tmp\//$out\/} # first: $VMLAB itself may be under /tmp
	cmd=${cmd//.\/build\/vmlab/$VMLAB}
	if (cd "$repo" && bash -c "$cmd") >"$TMP/tour.$i.out" 2>"$TMP/tour.$i.err" </dev/null; then
		pass "tour $i: ${line:0:70}"
	else
		fail "tour $i: ${line:0:70}" "exit $?: $(head -c 300 "$TMP/tour.$i.err")"
	fi
done <"$TMP/tour.txt"

t_eq "tour: nothing written into the checkout" "" \
	"$(cd "$repo" && find . ! -name . ! -name examples | tr '\n' ' ')"

# out PATTERN: the output of the first tour command matching PATTERN.
out() {
	local k
	k=$(grep -n -m1 -e "$1" "$TMP/tour.txt" | cut -d: -f1)
	cat "$TMP/tour.${k:-0}.out" 2>/dev/null
}
faults() { awk '$1 == "faults" { print $2 }'; }
t_eq "tour: Belady's anomaly, FIFO faults 9 times with 3 frames, 10 with 4" "9 10" \
	"$(out 'fifo -f 3 ' | faults) $(out 'fifo -f 4 ' | faults)"
t_eq "tour: the merged shards hold every cell of -p all" \
	"$(("$("$VMLAB" list policies | grep -c '^  [a-z]')" * 16 + 1))" "$(out 'vmlab merge' | wc -l)"
evictions=$(out 'x86_64 --memory 1m -p clock' | awk '$1 == "evictions" { print $2 }')
if [ "${evictions:-0}" -gt 0 ]; then pass "tour: Clock replaces on the 1 MiB x86-64 ($evictions evictions)"
else fail "tour: Clock replaces on the 1 MiB x86-64" "evictions '${evictions}'"; fi
t_eq "tour: the recorded ls replays" "1" \
	"$(out 'run -p clock -f 64 /tmp/ls' | grep -c '^pages .* distinct, in 1 process$')"
t_eq "tour: OSTEP's two-level example, VPN 254 -> PA 0x0dc0" "1" \
	"$(out 'explain -m ostep-2level' | grep -c 'result   PA 0x0dc0 ')"
t_eq "tour: STCF's average turnaround is 50" "50.00" \
	"$(out 'sched -s stcf' | awk '$1 == "average" { print $3 }')"
