/*
 * main.c - runner for the unit tests (see unit.h).
 *
 * Tests run in name order so the output is stable.  Usage:
 *	unit-tests [--shard K/N] [PREFIX]
 * runs the tests whose names start with PREFIX (all without it); with
 * --shard, only every Nth of those from the Kth (1 <= K <= N), so N
 * processes run them all between them (tests/run.sh runs shards side by
 * side).
 */
#include "unit.h"

#include <stdarg.h>
#include <stdlib.h>

static struct unit_test *tests;
static int current_failed;
static const char *current_name;

void unit_register(struct unit_test *t)
{
	struct unit_test **p = &tests;

	while (*p && strcmp((*p)->name, t->name) < 0)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (!current_failed)
		printf("FAIL %s: ", current_name);
	else
		printf("     %s: ", current_name);
	current_failed = 1;
	printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* "--shard K/N": sets *K (from 0) and *N; returns -1 if malformed. */
static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
	char end;

	if (sscanf(s, "%u/%u%c", k, n, &end) != 2 || *n == 0 || *k == 0 ||
	    *k > *n)
		return -1;
	(*k)--;
	return 0;
}

int main(int argc, char **argv)
{
	const char *prefix = "";
	unsigned k = 0, n = 1, index = 0;
	int failed = 0;

	if (argc > 2 && strcmp(argv[1], "--shard") == 0) {
		if (parse_shard(argv[2], &k, &n)) {
			fprintf(stderr, "unit-tests: --shard expects K/N with "
				"1 <= K <= N, found '%s'\n", argv[2]);
			return 2;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc > 1)
		prefix = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct unit_test *t = tests; t; t = t->next) {
		if (strncmp(t->name, prefix, strlen(prefix)) != 0)
			continue;
		if (index++ % n != k)
			continue;
		current_name = t->name;
		current_failed = 0;
		t->fn();
		if (!current_failed)
			printf("PASS %s\n", t->name);
		failed += current_failed;
	}
	return failed ? 1 : 0;
}
