#!/usr/bin/env bash
# vmlab record: real programs, built here, recorded under valgrind's Lackey.
# The trace holds exactly the stores a program makes to its own array, at
# the pages it touches; the program's stdout and stderr stay its own (its
# stderr, even when it prints lines that look like Lackey's, is not in the
# trace); --follow-forks gives each process (and each exec) a pid of its
# own, also across two execs in one process; without it forked children
# are not traced; the trace replays under vmlab run; failures are clear.
set -u
. tests/lib.sh

if ! command -v valgrind >/dev/null 2>&1; then
	fail "record: valgrind" "not installed (make deps installs it)"
	exit 0
fi

# arr.c: stores REPS times to the first byte of each of N pages of a static
# array, prints the array's address on stdout, and on stderr a line of its
# own and lines that look like Lackey's.
cat >"$TMP/arr.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#define N 40
#define PAGE 4096
static char arr[N * PAGE];
int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 3;
	printf("%p\n", (void *)arr);
	fflush(stdout);
	fprintf(stderr, "this is the program's stderr\n");
	for (int i = 0; i < 100; i++)
		fprintf(stderr, " S badc0de000,8\n");
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < N; i++)
			arr[i * PAGE] = (char)i;
	return 7;
}
C
# fork.c: the parent stores to pages 0..7 of its array, a forked child to
# pages 32..47.
cat >"$TMP/fork.c" <<'C'
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
#define PAGE 4096
static char arr[64 * PAGE];
int main(void)
{
	printf("%p\n", (void *)arr);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		for (int i = 32; i < 48; i++)
			arr[i * PAGE] = 1;
		_exit(0);
	}
	for (int i = 0; i < 8; i++)
		arr[i * PAGE] = 1;
	waitpid(p, NULL, 0);
	return 0;
}
C
# chain.c: "chain N PROG" execs itself N times, then PROG.
cat >"$TMP/chain.c" <<'C'
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char n[16];
	if (argc != 3)
		return 2;
	if (argv[1][0] == '0')
		execl(argv[2], argv[2], (char *)0);
	snprintf(n, sizeof(n), "%d", argv[1][0] - '0' - 1);
	execl(argv[0], argv[0], n, argv[2], (char *)0);
	return 1;
}
C
printf '#include <signal.h>\nint main(void) { raise(SIGTERM); return 0; }\n' >"$TMP/sig.c"
# Static when the C library allows: valgrind starts four times faster
# without the dynamic loader.
for p in arr fork chain sig; do
	if ! cc -O0 -static -o "$TMP/$p" "$TMP/$p.c" 2>/dev/null &&
		! cc -O0 -o "$TMP/$p" "$TMP/$p.c" 2>"$TMP/cc.log"; then
		fail "record: build $p.c" "$(head -c 300 "$TMP/cc.log")"
		exit 0
	fi
done

# stores TRACE PID BASE PAGES: "STORES DISTINCT_PAGES FIRST_PAGE" of the
# writes by PID to [BASE, BASE + PAGES pages), from vmlab run's events.
stores() {
	"$VMLAB" run --json --events -f 1000000 "$1" >"$TMP/ev.json" 2>&1
	grep -o "\"pid\":$2,\"kind\":\"W\",\"vaddr\":[0-9]*" "$TMP/ev.json" |
		awk -F'[:,]' -v lo="$3" -v hi=$(($3 + $4 * 4096)) -v base="$3" '
		$6 >= lo && $6 < hi {
			n++; pg = int(($6 - base) / 4096); seen[pg] = 1
			if (min == "" || pg < min) min = pg
		}
		END { c = 0; for (k in seen) c++; print n + 0, c, min }'
}

# A program's accesses, exactly; its stdout and stderr its own.
T=$TMP/arr.vmt.zst
if "$VMLAB" record -o "$T" -- "$TMP/arr" >"$TMP/out" 2>"$TMP/err"; then
	pass "record: a program"
else
	fail "record: a program" "$(head -c 300 "$TMP/err")"
fi
base=$(( $(head -1 "$TMP/out") ))
t_eq "record: the program's stdout is its own" "1" "$(wc -l <"$TMP/out")"
t_eq "record: the program's stderr goes where it would" "1" \
	"$(grep -c "^this is the program's stderr$" "$TMP/err")"
t_eq "record: 120 stores to 40 pages of the array, from its first" "120 40 0" \
	"$(stores "$T" 0 "$base" 40)"
t_eq "record: Lackey-like lines on the program's stderr are not in the trace" "" \
	"$(grep -o '"vaddr":802310996992,' "$TMP/ev.json" | head -1)"
t_eq "record: the exit status is reported" "1" \
	"$(grep -c 'accesses of 1 process in .* written to .*arr.vmt.zst; .*arr exited with status 7$' "$TMP/err")"
n=$(sed -n 's/^vmlab record: \([0-9,]*\) accesses.*/\1/p' "$TMP/err" | tr -d ,)
"$VMLAB" run --json -p clock -f 16 "$T" >"$TMP/run.json" 2>&1
t_eq "record: vmlab run replays every access" "$n 1" \
	"$(json_get records "$TMP/run.json") $(json_get processes "$TMP/run.json")"
t_eq "record: the trace is zstd-compressed vmt with the page size" \
	"28b52ffd 89564d54 12" \
	"$(head -c 4 "$T" | od -An -tx1 | tr -d ' \n') $("$VMLAB" convert -o - "$T" | head -c 4 | od -An -tx1 | tr -d ' \n') $("$VMLAB" convert -o - "$T" | od -An -tu1 -j10 -N1 | tr -d ' ')"

# Forks.
T=$TMP/fork.vmt.zst
"$VMLAB" record -q -o "$T" --follow-forks -- "$TMP/fork" >"$TMP/out" 2>"$TMP/err"
base=$(( $(head -1 "$TMP/out") ))
"$VMLAB" run --json "$T" >"$TMP/run.json" 2>&1
t_eq "record --follow-forks: two processes" "2" "$(json_get processes "$TMP/run.json")"
t_eq "record --follow-forks: the parent's stores, pages 0..7" "8 8 0" \
	"$(stores "$T" 0 "$base" 64)"
t_eq "record --follow-forks: the child's stores, pages 32..47, as pid 1" \
	"16 16 32" "$(stores "$T" 1 "$base" 64)"
t_eq "record -q: nothing on stderr when the program succeeds" "" "$(cat "$TMP/err")"
"$VMLAB" record -q -o "$T" -- "$TMP/fork" >"$TMP/out" 2>"$TMP/err"
"$VMLAB" run --json "$T" >"$TMP/run.json" 2>&1
t_eq "record without --follow-forks: one process" "1" "$(json_get processes "$TMP/run.json")"
t_eq "record without --follow-forks: the child is not traced" "8 8 0" \
	"$(stores "$T" 0 "$base" 64)"

# Two execs in one process: each image is a process of the trace, and
# the last one's accesses are all there (valgrind reuses its log's name).
T=$TMP/exec.vmt.zst
"$VMLAB" record -q -o "$T" --follow-forks -- "$TMP/chain" 1 "$TMP/arr" \
	>"$TMP/out" 2>"$TMP/err"
base=$(( $(head -1 "$TMP/out") ))
"$VMLAB" run --json "$T" >"$TMP/run.json" 2>&1
t_eq "record --follow-forks: chain, exec chain, exec arr: three processes" "3" \
	"$(json_get processes "$TMP/run.json")"
t_eq "record --follow-forks: all of the last image's stores" "120 40 0" \
	"$(stores "$T" 2 "$base" 40)"

# Progress on stderr only; a signal reported; failures.
"$VMLAB" record --progress -o "$TMP/p.vmt.zst" -- "$TMP/arr" 300 >"$TMP/out" 2>"$TMP/err"
t_eq "record --progress: stdout is the program's alone" "1" "$(wc -l <"$TMP/out")"
if grep -Eq '^vmlab record: [0-9,]+ accesses, [0-9.]+ M/s$' "$TMP/err"; then
	pass "record --progress: accesses and rate on stderr"
else
	fail "record --progress: accesses and rate on stderr" "$(head -c 300 "$TMP/err")"
fi
"$VMLAB" record -q -o "$TMP/sig.vmt.zst" -- "$TMP/sig" >"$TMP/out" 2>"$TMP/err"
t_eq "record -q: a program killed by a signal is reported" "1" \
	"$(grep -c 'sig was killed by signal 15 (Terminated)$' "$TMP/err")"
t_fail "record: a program that does not exist" \
	'^vmlab: cannot run /nonexistent/prog: No such file or directory$' \
	"$VMLAB" record -o "$TMP/none.vmt.zst" -- /nonexistent/prog
t_eq "record: no trace left when the program could not run" "no" \
	"$([ -e "$TMP/none.vmt.zst" ] && echo yes || echo no)"
t_fail "record: a program that is not executable" 'cannot run .*arr.c: Permission denied' \
	"$VMLAB" record -o "$TMP/none.vmt.zst" -- "$TMP/arr.c"
t_fail "record: no valgrind in PATH" 'valgrind is not installed' \
	env PATH=/nonexistent "$VMLAB" record -o "$TMP/none.vmt.zst" -- /bin/true
t_fail "record: no program" 'no program given' "$VMLAB" record -o "$TMP/x"
t_fail "record: the trace cannot go to stdout" 'cannot go to standard output' \
	"$VMLAB" record -o - -- /bin/true
t_fail "record: a bad page size" 'page-size expects a power of two' \
	"$VMLAB" record -P 3000 -- /bin/true
