# Helpers for the command-line tests in tests/cli/*.sh (sourced).
# Each check prints one line, "PASS name" or "FAIL name: why", which
# tests/run.sh counts.  $VMLAB is the binary under test; the working
# directory is the project root, so ../shared/... paths work.

: "${VMLAB:?VMLAB must name the vmlab binary}"
TMP=${TMP:-$(mktemp -d)}

# The checking tools' python3, resolved once by tests/run.sh: a version
# manager's shim (pyenv's) costs a third of a second a call here.
python3() { "${VMLAB_PYTHON:-$(type -P python3)}" "$@"; }

# The helpers below spawn as little as they can: on this machine a fork
# and exec costs milliseconds, and the suite makes thousands of checks.

# matches_ere REGEX FILE: some line of FILE matches REGEX (as grep -Eq).
matches_ere() {
	local line
	while IFS= read -r line || [ -n "$line" ]; do
		[[ $line =~ $1 ]] && return 0
	done <"$2"
	return 1
}

pass() { printf 'PASS %s\n' "$1"; }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; }

# t_out NAME EXPECTED_FILE CMD...: stdout equals the file byte for byte and
# the command exits 0.
t_out() {
	local name=$1 want=$2; shift 2
	local got=$TMP/out.$$ rc=0
	"$@" >"$got" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit $rc: $(head -c 300 "$TMP/err.$$")"
	elif cmp -s "$got" "$want"; then
		pass "$name"
	else
		fail "$name" "output differs from $want: $(diff "$want" "$got" | head -5 | tr '\n' '|')"
	fi
}

# t_ok NAME CMD...: the command exits 0.
t_ok() {
	local name=$1; shift
	local rc=0
	"$@" >"$TMP/out.$$" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -eq 0 ]; then pass "$name"; else
		fail "$name" "exit $rc: $(head -c 300 "$TMP/err.$$")"; fi
}

# t_fail NAME REGEX CMD...: the command exits with a status from 1 to 125
# (an error, not a crash or a signal) and its stderr matches REGEX
# (extended regular expression).
t_fail() {
	local name=$1 re=$2; shift 2
	local rc=0
	"$@" >"$TMP/out.$$" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -eq 0 ]; then
		fail "$name" "expected failure, exit 0"
	elif [ "$rc" -gt 125 ]; then
		fail "$name" "crashed (exit $rc): $(head -c 300 "$TMP/err.$$")"
	elif ! matches_ere "$re" "$TMP/err.$$"; then
		fail "$name" "stderr does not match /$re/: $(head -c 300 "$TMP/err.$$")"
	else
		pass "$name"
	fi
}

# t_status NAME STATUS REGEX CMD...: the command exits with exactly STATUS
# (docs/usage.md: 1 the run or its input failed, 2 a bad command line) and
# its stderr matches REGEX.
t_status() {
	local name=$1 want=$2 re=$3; shift 3
	local rc=0
	"$@" >"$TMP/out.$$" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "expected exit $want, got $rc: $(head -c 300 "$TMP/err.$$")"
	elif ! matches_ere "$re" "$TMP/err.$$"; then
		fail "$name" "stderr does not match /$re/: $(head -c 300 "$TMP/err.$$")"
	else
		pass "$name"
	fi
}

# t_eq NAME EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else
		fail "$1" "expected '$2', got '$3'"; fi
}

# json_get FIELD FILE: the number after "FIELD": in a JSON file (first match).
json_get() {
	local text re="\"$1\": *(-?[0-9.e+]*)"
	IFS= read -r -d '' text <"$2"
	[[ $text =~ $re ]] && printf '%s\n' "${BASH_REMATCH[1]}"
	return 0
}
