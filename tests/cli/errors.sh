#!/usr/bin/env bash
# One exit status per kind of failure (docs/usage.md): 2 for a command line
# that cannot be understood, 1 for a run or input that fails; messages that
# quote the part that is wrong; nothing accepted silently (repeated keys,
# trailing commas, stdin twice, integers past their range, addresses past
# 64 bits).
. "$(dirname "$0")/../lib.sh"

# A bad policy parameter is a usage error in every command, checked while
# the options are parsed.
for cmd in run sweep; do
	t_status "$cmd: bad policy parameter exits 2" 2 \
		"policy aging: parameter 'bits' must be between 1 and 64" \
		"$VMLAB" "$cmd" -p aging,bits=99 pages:1,2
	t_status "$cmd: unknown policy key exits 2" 2 "unknown parameter 'bitz'" \
		"$VMLAB" "$cmd" -p aging,bitz=4 pages:1,2
	t_status "$cmd: -p lru, (trailing comma) exits 2" 2 "trailing comma" \
		"$VMLAB" "$cmd" -p lru, pages:1,2
	t_status "$cmd: repeated policy key exits 2" 2 "'bits' is given twice" \
		"$VMLAB" "$cmd" -p aging,bits=2,bits=3 pages:1,2
done

# --format names a format even when no workload is a file.
for cmd in run sweep mrc; do
	for wl in pages:1,2 gen:uniform,pages=4,refs=10; do
		t_status "$cmd: --format nosuch with $wl exits 2" 2 \
			"unknown format 'nosuch'" "$VMLAB" "$cmd" --format nosuch "$wl"
	done
	t_status "$cmd: stdin given twice exits 2" 2 \
		"'-' \(standard input\) is given twice" "$VMLAB" "$cmd" - - </dev/null
done
echo 1,2,3 | t_ok "stdin given once is read" "$VMLAB" run --format pages -

t_out "help help prints help's help" <(printf '%s\n' \
	"usage: vmlab help [COMMAND]" "" \
	"Without COMMAND, list the commands; with one, print its full help" \
	"(the same as 'vmlab COMMAND --help').  'vmlab --help' is 'vmlab help'." "" \
	"Examples:" "  vmlab help" "  vmlab help sweep") "$VMLAB" help help

# Messages blame the part that is wrong.
t_status "frames: a bad count is quoted" 2 "malformed count '0' in '1\.\.10/0'" \
	"$VMLAB" sweep -f 1..10/0 pages:1,2
t_status "frames: a bad step is quoted" 2 "malformed step '0' in '1\.\.64:0'" \
	"$VMLAB" sweep -f 1..64:0 pages:1,2
t_status "frames: a bad end is quoted" 2 "malformed end 'x' in '1\.\.x'" \
	"$VMLAB" mrc -f 1..x pages:1,2
t_status "page size: 4t is a power of two but too large" 2 \
	"--page-size 4t is too large: at most 1t" "$VMLAB" run -P 4t pages:1
t_ok "page size: 1t is the largest" "$VMLAB" run -P 1t pages:1

printf '0x123456789abcdef012 W\n' >"$TMP/long.trace"
t_status "an over-long address: too large, with file and line" 1 \
	"long\.trace:1:1: address '0x123456789abcdef012' is too large" \
	"$VMLAB" run "$TMP/long.trace"
printf ' L 1000,4\n S fffffffffffffffe,8\n' >"$TMP/wrap.lackey"
t_status "a lackey access past 2^64: an error with file and line" 1 \
	"wrap\.lackey:2:21: an access of 8 bytes at 0xfffffffffffffffe runs past the top" \
	"$VMLAB" run "$TMP/wrap.lackey"

# key=value lists: a repeated key, an empty item and an integer past its
# range are refused, for generators and machines alike.
t_status "generator: repeated key" 1 "generator uniform: parameter 'refs' is given twice" \
	"$VMLAB" run gen:uniform,refs=2,refs=3
t_status "generator: trailing comma" 1 "generator uniform: an empty parameter" \
	"$VMLAB" run gen:uniform,refs=2,
t_status "generator: refs one past its range" 1 \
	"parameter 'refs' must be between 0 and 4000000000000000000, found '4000000000000000001'" \
	"$VMLAB" run gen:uniform,refs=4000000000000000001
t_status "machine: repeated key" 2 "machine x86_64: key 'map' is given twice" \
	"$VMLAB" run --machine x86_64,map=2m,map=4k pages:1
t_status "machine: trailing comma" 2 "machine x86_64: an empty key=value" \
	"$VMLAB" run --machine x86_64, pages:1
