# tests/cli/ostep_cpu.sh - the CPU-virtualization homework programs
# (process-run, fork, scheduler, mlfq, lottery, multi), byte for byte
# against ../shared/oracles/ostep-cpu/.
#
# NAME.cmd is the Python command line ("python3 mlfq.py -j 3 -c"), NAME.out
# its exact output; `vmlab ostep mlfq -j 3 -c` must print the same bytes
# and exit 0.  Then help, option syntax, and the errors where Python would
# crash or loop forever (a message naming what is wrong, exit 1; a command
# line optparse refuses, exit 2).

. tests/lib.sh

O=../shared/oracles/ostep-cpu

# run_cmd FILE: run the vmlab equivalent of the Python command in FILE.
run_cmd() {
	local words script
	read -r -a words <"$1"
	script=${words[1]%.py}
	"$VMLAB" ostep "$script" "${words[@]:2}"
}

n=0
for cmd in "$O"/*.cmd; do
	name=${cmd##*/} name=${name%.cmd}
	rc=0
	run_cmd "$cmd" >"$TMP/out.$$" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "ostep-cpu golden $name" "exit $rc: $(head -c 300 "$TMP/err.$$")"
	elif cmp -s "$TMP/out.$$" "$O/$name.out"; then
		pass "ostep-cpu golden $name"
	else
		fail "ostep-cpu golden $name" "output differs: $(diff "$O/$name.out" \
			"$TMP/out.$$" | head -5 | tr '\n' '|')"
	fi
	n=$((n + 1))
done
t_eq "ostep-cpu golden count" 51 "$n"

# Our own cases in tests/cli/ostep-cpu/, in the same format, recorded once
# from the Python programs (which are not part of the repository and are
# not run here); NAME.rc, where present, is the exit status (the programs'
# own errors exit 1; mlfq.py's abort prints on stderr).
L=tests/cli/ostep-cpu
for cmd in "$L"/*.cmd; do
	name=${cmd##*/} name=${name%.cmd}
	want=0
	[ -e "$L/$name.rc" ] && read -r want <"$L/$name.rc"
	rc=0
	run_cmd "$cmd" >"$TMP/out.$$" 2>"$TMP/err.$$" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "ostep-cpu case $name" "exit $rc, want $want: $(head -c 300 "$TMP/err.$$")"
	elif cmp -s "$TMP/out.$$" "$L/$name.out"; then
		pass "ostep-cpu case $name"
	else
		fail "ostep-cpu case $name" "output differs: $(diff "$L/$name.out" \
			"$TMP/out.$$" | head -5 | tr '\n' '|')"
	fi
done

# --- process-run -------------------------------------------------------------
t_fail "process-run bad switch" "-S 'FOO' is not SWITCH_ON_IO or SWITCH_ON_END" \
	"$VMLAB" ostep process-run -S FOO -l 1:100
t_fail "process-run bad iodone" "-I 'NOW' is not IO_RUN_LATER" \
	"$VMLAB" ostep process-run -I NOW -l 1:100
t_fail "process-run negative io length" "an I/O length of -1" \
	"$VMLAB" ostep process-run -L -1 -l 1:100
t_fail "process-run bad count" "process 'x:5': 'x' is not an integer" \
	"$VMLAB" ostep process-run -l x:5
t_fail "process-run bad chance" "process '3:y': 'y' is not a number" \
	"$VMLAB" ostep process-run -l 3:y
t_fail "process-run empty instruction" "an empty instruction" \
	"$VMLAB" ostep process-run -P c3,,i
t_fail "process-run c without count" "program 'c': '' is not an integer" \
	"$VMLAB" ostep process-run -P c
t_fail "process-run too many instructions" "too many to simulate" \
	"$VMLAB" ostep process-run -P c200000000
# An opcode is one character, even a multi-byte one.
t_eq "process-run utf-8 opcode" "bad opcode é (should be c or i)" \
	"$("$VMLAB" ostep process-run -P é3)"

# --- fork --------------------------------------------------------------------
t_fail "fork cycle" "the tree is too deep to print \(the Python program raises RecursionError\)" \
	"$VMLAB" ostep fork -A a+b,b+b -c
t_fail "fork exited process in the tree" "an exited process is still in the tree" \
	"$VMLAB" ostep fork -A a+b,a+b,b- -c
t_fail "fork bad float" "option -f: invalid floating-point value: 'x'" \
	"$VMLAB" ostep fork -f x
t_fail "fork nan" "a fork percentage of nan never forks" \
	"$VMLAB" ostep fork -s 1 -f nan
t_eq "fork float repr" "ARG fork_percentage 0.25" \
	"$("$VMLAB" ostep fork -s 1 -f 2.5e-1 | grep fork_percentage)"
# Without -s there is no seed: the actions change from run to run, as in
# Python; with -A nothing is random.
t_ok "fork unseeded" "$VMLAB" ostep fork -a 30 -c
t_eq "fork unseeded -A" "$("$VMLAB" ostep fork -A a+b,b+c,b- -c -s 3 |
	sed 1,3d)" "$("$VMLAB" ostep fork -A a+b,b+c,b- -c | sed 1,3d)"
# Generated names: a..z, A..Z, then aa, ab, ...
t_eq "fork names" "bcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZaa" \
	"$("$VMLAB" ostep fork -s 2 -a 200 -f 0.99 |
	awk '$1 == "Action:" && $3 == "forks" { print $4 }' | head -52 | tr -d '\n')"

# --- scheduler ---------------------------------------------------------------
t_fail "scheduler bad length" "job 1: '' is not a number" \
	"$VMLAB" ostep scheduler -l 1,,2 -c
t_fail "scheduler nan length" "job 0: a length of nan cannot be simulated" \
	"$VMLAB" ostep scheduler -l nan
t_fail "scheduler endless rr" "time slice \(-q\) of 0 never ends job 0" \
	"$VMLAB" ostep scheduler -p RR -q 0 -l 1 -c
t_fail "scheduler no jobs" "no jobs: the averages divide by zero" \
	"$VMLAB" ostep scheduler -j 0 -c
t_fail "scheduler huge jobs" "times too large to simulate" \
	"$VMLAB" ostep scheduler -m 99999999999999999 -j 2
t_fail "scheduler bad option" "no such option: -x" "$VMLAB" ostep scheduler -x
# Floats print as Python's str() and sort stably; "-0" stays "-0.0".
"$VMLAB" ostep scheduler -l 2,-0,0,1e16,0.1 -p SJF -c >"$TMP/sjf.out"
t_eq "scheduler float repr" "  Job 0 ( length = 2.0 )|  Job 1 ( length = -0.0 )|  Job 2 ( length = 0.0 )|  Job 3 ( length = 1e+16 )|  Job 4 ( length = 0.1 )" \
	"$(grep '( length' "$TMP/sjf.out" | tr '\n' '|' | sed 's/|$//')"
t_eq "scheduler stable sjf" "1 2 4 0 3" \
	"$(sed -n 's/.*Run job \([0-9]*\) .*/\1/p' "$TMP/sjf.out" | tr '\n' ' ' | sed 's/ $//')"
t_eq "scheduler help" "Usage: vmlab ostep scheduler [options]" \
	"$("$VMLAB" ostep scheduler -h | head -1)"

# --- lottery -----------------------------------------------------------------
t_fail "lottery entry without tickets" "job '5' is not LENGTH:TICKETS" \
	"$VMLAB" ostep lottery -l 5 -c
t_fail "lottery entry not an integer" "job '5:x': 'x' is not an integer" \
	"$VMLAB" ostep lottery -l 5:x,3:4
t_fail "lottery no tickets left" "only jobs without tickets are left" \
	"$VMLAB" ostep lottery -l 3:10,2:0 -c
t_fail "lottery endless redraw" "a maximum of 1 only gives lengths of 0" \
	"$VMLAB" ostep lottery -m 1
t_fail "lottery negative tickets" "not -5" \
	"$VMLAB" ostep lottery -l 10:-5,10:100 -c
# What Python printed before the ZeroDivisionError is printed.
"$VMLAB" ostep lottery -l 3:10,2:0 -c >"$TMP/lz.out" 2>/dev/null
t_eq "lottery output before a crash" "--> JOB 0 DONE at time 3" "$(tail -1 "$TMP/lz.out")"
# A job with 0 tickets never wins; one of length 0 is done when it wins.
t_eq "lottery zero-length job" "--> JOB 0 DONE at time 1" \
	"$("$VMLAB" ostep lottery -l 0:10,2:10 -c | grep -m1 DONE)"
# int() syntax in -l, and the random numbers of the question mode.
t_eq "lottery int syntax" "  Job 0 ( length = 5, tickets = 10 )" \
	"$("$VMLAB" ostep lottery -l ' 5 : 1_0 ' | grep 'Job 0')"
t_eq "lottery question numbers" 5 "$("$VMLAB" ostep lottery -l 5:10 | grep -c '^Random ')"

# --- mlfq --------------------------------------------------------------------
t_fail "mlfq abort message" "^Error: should never have less than 0 time left to run$" \
	"$VMLAB" ostep mlfq -c -l 0,0,1
t_fail "mlfq bad number" "-l: 'x' is not an integer" "$VMLAB" ostep mlfq -c -l 0,x,1
t_fail "mlfq bad -Q" "-Q: 'x' is not an integer" "$VMLAB" ostep mlfq -Q 5,x
t_fail "mlfq no queues" "no queues to put a job in" "$VMLAB" ostep mlfq -n 0
t_fail "mlfq no jobs" "no jobs: the averages divide by zero" \
	"$VMLAB" ostep mlfq -j 0 -c
t_fail "mlfq start before 0" "job 0 starts at -3, before time 0" \
	"$VMLAB" ostep mlfq -c -l -3,5,0
t_fail "mlfq negative io time" "an I/O time of -1: job 0 would never come back" \
	"$VMLAB" ostep mlfq -c -i -1 -l 0,5,2
t_fail "mlfq zero quantum" "a time slice of 0 and an allotment of 1" \
	"$VMLAB" ostep mlfq -c -q 0 -l 0,5,0
t_fail "mlfq zero allotment" "an allotment of 0" \
	"$VMLAB" ostep mlfq -c -a 0 -l 0,30,0
t_fail "mlfq too many queues" "at most 64 queues, not 65" \
	"$VMLAB" ostep mlfq -c -n 65 -l 0,5,0
# A negative I/O time is harmless when no job does I/O, as in Python.
t_ok "mlfq negative io time unused" "$VMLAB" ostep mlfq -c -i -1 -l 0,5,0

# --- multi -------------------------------------------------------------------
t_fail "multi no cpu" "no CPU to run the jobs on" "$VMLAB" ostep multi -n 0 -c
t_fail "multi zero slice" "a time slice of 0" "$VMLAB" ostep multi -q 0 -c
t_fail "multi steal with one cpu" "a steal with one CPU has no other CPU" \
	"$VMLAB" ostep multi -p -n 1 -P 3 -L a:5:5,b:5:5 -c
t_fail "multi bad number" "'x' is not an integer" "$VMLAB" ostep multi -L a:x:1
t_fail "multi negative cache" "cannot be emptied enough" \
	"$VMLAB" ostep multi -M -5 -c
t_fail "multi stranded job" "job j0, stolen by CPU 1, can never run again" \
	"$VMLAB" ostep multi -s 549 -n 4 -L j0:106:1 -A j0:3 -p -P 2 -q 5 -o
t_fail "multi no progress" "no job has made progress for [0-9]* ticks" \
	"$VMLAB" ostep multi -r 0 -M 1000 -c
# Python's list repr of the queues: quotes chosen as repr() chooses them.
t_eq "multi queue repr" "Scheduler central queue: ['a', \"b'c\", 'd\\\\e']" \
	"$("$VMLAB" ostep multi -L "a:1:1,b'c:1:1,d\\e:1:1" | grep central)"
