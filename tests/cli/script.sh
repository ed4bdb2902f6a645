#!/usr/bin/env bash
# Workload scripts from the command line: listed among the formats,
# detected from content (plain, gzip, standard input), refused as a trace
# by convert with a message that says what a script is for (and no output
# left behind), and malformed scripts reported as FILE:LINE.
set -u
. tests/lib.sh

E=examples

t_eq "list formats shows script" "1" \
	"$("$VMLAB" list formats | grep -c '^  script  *read  *workload script')"

t_fail "convert refuses a script" \
	"^vmlab: $E/fork-shell.vms: is a workload script: it describes processes, which the kernel runs \(vmlab run --system NAME\), and cannot be read as a trace\$" \
	"$VMLAB" convert -o "$TMP/s.vmt" "$E/fork-shell.vms"
t_eq "convert of a script leaves no output" "absent" \
	"$([ -e "$TMP/s.vmt" ] && echo present || echo absent)"

gzip -c "$E/shm-pair.vms" >"$TMP/shm-pair.vms.gz"
t_fail "a gzip script is detected" \
	"^vmlab: $TMP/shm-pair.vms.gz: is a workload script" \
	"$VMLAB" convert "$TMP/shm-pair.vms.gz"
t_fail "a script on standard input is detected" \
	"^vmlab: <stdin>: is a workload script" \
	sh -c "gzip -c '$E/overcommit.vms' | '$VMLAB' convert -"

# the fork's end is missing: the program's end closes the fork instead
printf 'vmlab-script 1\nprogram p\n  fork\n    W 0x1000 8\nend\nspawn p\n' \
	>"$TMP/bad.vms"
t_fail "a malformed script names file and line" \
	"^vmlab: $TMP/bad.vms:6: expected an event \(R, W, X, .*\) or end, found 'spawn' \(program p of line 2 has no end yet\)\$" \
	"$VMLAB" convert "$TMP/bad.vms"
printf 'vmlab-script 1\nprogram p\n  exec ls\nend\nspawn p\n' >"$TMP/noprog.vms"
t_fail "a script naming a missing program" \
	"^vmlab: $TMP/noprog.vms:3: expected a program defined in this script, found 'ls'\$" \
	"$VMLAB" convert "$TMP/noprog.vms"
