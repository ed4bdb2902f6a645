/*
 * main.c - runner for the unit tests (see unit.h).
 *
 * Tests run in name order so the output is stable.  Usage:
 *	unit-tests [PREFIX]
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

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "";
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct unit_test *t = tests; t; t = t->next) {
		if (strncmp(t->name, prefix, strlen(prefix)) != 0)
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
