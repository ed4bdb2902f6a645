/*
 * test_progress.c - the progress line (src/report/progress.c): what it
 * says when the work is slower than one unit a second, as a sweep of
 * long runs is.
 */
#include "unit.h"

#include "vmlab/progress.h"

#include <stdlib.h>
#include <time.h>

/* One run done after half a second: a rate of at most 2 runs a second,
 * given with its fraction ("1.9/s"), never rounded to "0/s" (that looked
 * stuck) or "2/s". */
TEST(progress_rate_below_one_a_second)
{
	struct progress p;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct timespec half = { 0, 500000000 };

	CHECK(out != NULL);
	if (!out)
		return;
	progress_start(&p, PROGRESS_ON, "runs", 4);
	p.out = out; /* a file, not a terminal: one line per update */
	p.tty = 0;
	p.interval = 0;
	nanosleep(&half, NULL);
	progress_set(&p, 1);
	progress_end(&p);
	fclose(out);
	char rate[32] = "";
	CHECK(sscanf(text, "vmlab: 1 runs, %31[0-9.]/s, 25%%, ", rate) == 1);
	CHECK(strchr(rate, '.') != NULL);
	CHECK(atof(rate) > 0.05 && atof(rate) <= 2.0);
	free(text);
}
