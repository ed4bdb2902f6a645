#!/usr/bin/env bash
# Progress on standard error: --progress forces it (here stderr is a file,
# not a terminal), --quiet silences it, and none of it reaches standard
# output, which stays byte-identical with or without it; both at once
# are refused.
. "$(dirname "$0")/../lib.sh"

WL=gen:zipf,pages=20000,refs=200000,seed=3
export VMLAB_PROGRESS_INTERVAL=0 # a line per update, so short runs show several

check_progress() { # NAME UNIT CMD...: the command's progress, three ways
	local name=$1 unit=$2; shift 2
	if ! "$@" >"$TMP/plain.out" 2>"$TMP/plain.err"; then
		fail "$name" "$(head -c 300 "$TMP/plain.err")"; return
	fi
	"$@" --progress >"$TMP/prog.out" 2>"$TMP/prog.err"
	"$@" --quiet >"$TMP/quiet.out" 2>"$TMP/quiet.err"
	local lines
	lines=$(grep -Ec "^vmlab: [0-9.]+[kMG]? $unit, [0-9.]+[kMG]?/s, " "$TMP/prog.err")
	if [ "$lines" -ge 2 ] && grep -q "done in " "$TMP/prog.err"; then
		pass "$name --progress: $lines progress lines on stderr"
	else
		fail "$name --progress" "stderr: $(head -c 300 "$TMP/prog.err")"
	fi
	if cmp -s "$TMP/plain.out" "$TMP/prog.out"; then
		pass "$name --progress: stdout byte-identical"
	else
		fail "$name --progress: stdout byte-identical" "differs"
	fi
	if [ ! -s "$TMP/quiet.err" ] && cmp -s "$TMP/plain.out" "$TMP/quiet.out"; then
		pass "$name --quiet: nothing on stderr, same stdout"
	else
		fail "$name --quiet" "stderr: $(head -c 300 "$TMP/quiet.err")"
	fi
	# Not a terminal and not asked for: nothing either.
	if [ ! -s "$TMP/plain.err" ]; then pass "$name: no progress when stderr is a file"
	else fail "$name: no progress when stderr is a file" "$(head -c 200 "$TMP/plain.err")"; fi
}

check_progress "run" references "$VMLAB" run -p clock -f 1000 "$WL"
# A generator's length is known before it runs: run shows the share done
# and the time left.
"$VMLAB" run -p clock -f 1000 --progress "$WL" >/dev/null 2>"$TMP/left.err"
t_eq "run: a generator's progress shows the time left" 1 \
	"$(grep -Ec '^vmlab: [0-9.]+[kMG]? references, [0-9.]+[kMG]?/s, [0-9]+%, [0-9:]+ left' "$TMP/left.err" | awk '{ print ($1 > 0) }')"
check_progress "run --machine" references "$VMLAB" run --machine x86_64 -f 1000 "$WL"
check_progress "sweep" runs "$VMLAB" sweep -p lru,fifo,clock -f 10,100,1000 -j 2 "$WL"
check_progress "sweep --csv" runs "$VMLAB" sweep -p lru,fifo -f 10,100 --csv "$WL"
check_progress "mrc" references "$VMLAB" mrc -p lru "$WL"
check_progress "mrc --shards" references "$VMLAB" mrc --shards 10% "$WL"

# On a terminal (script(1) gives the command a pseudo-terminal) progress is
# on by default and rewrites one line in place; --quiet still silences it.
if command -v script >/dev/null 2>&1; then
	script -qec "'$VMLAB' run -p clock -f 100 $WL >/dev/null" /dev/null >"$TMP/tty.err" 2>&1
	if grep -q $'\r\033\[Kvmlab: .* references, ' "$TMP/tty.err" && grep -q "done in" "$TMP/tty.err"; then
		pass "progress is on by default on a terminal, rewritten in place"
	else
		fail "progress is on by default on a terminal" "$(head -c 200 "$TMP/tty.err" | od -c | head -3)"
	fi
	script -qec "'$VMLAB' run --quiet -p clock -f 100 $WL >/dev/null" /dev/null >"$TMP/tty.err" 2>&1
	if ! grep -q "references" "$TMP/tty.err"; then pass "--quiet silences it on a terminal"
	else fail "--quiet silences it on a terminal" "$(head -c 200 "$TMP/tty.err")"; fi
else
	fail "progress on a terminal" "script(1) is missing (bsdutils)"
fi

# Both at once contradict each other: a usage error, in every command.
for cmd in run sweep mrc; do
	t_status "$cmd --progress --quiet is refused" 2 \
		"--progress and --quiet contradict each other" "$VMLAB" $cmd --progress --quiet "$WL"
done
t_status "report --quiet --progress is refused" 2 "contradict each other" \
	"$VMLAB" report -o "$TMP/r.html" --quiet --progress "$WL"
t_status "record --progress -q is refused" 2 "contradict each other" \
	"$VMLAB" record --progress -q -- /bin/true
t_ok "--quiet twice is fine" "$VMLAB" run --quiet --quiet pages:1
