/*
 * test_workload_traces.c - the real traces in ../shared/traces read with
 * their published counts: the four classic SPEC-derived traces (R and W
 * from the README table) and the course traces with 7-digit and
 * upper-case addresses.
 */
#include "unit.h"
#include "wltest.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"

#include <stdlib.h>

#define TRACES "../shared/traces/"

struct counts {
	uint64_t refs, r, w, x, max_size;
	const char *format;
};

static struct counts count_spec(const char *spec)
{
	struct counts c = { 0 };
	struct workload *w;
	struct error err = { 0 };
	struct workload_options opt = { 0 };
	static struct wl_ref buf[4096];
	long n;

	if (workload_open(spec, &opt, &w, &err)) {
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
		return c;
	}
	c.format = w->ops->name;
	while ((n = workload_next(w, buf, 4096, &err)) > 0) {
		for (long i = 0; i < n; i++) {
			c.r += buf[i].kind == REF_READ;
			c.w += buf[i].kind == REF_WRITE;
			c.x += buf[i].kind == REF_EXEC;
			if (buf[i].size > c.max_size)
				c.max_size = buf[i].size;
		}
		c.refs += (uint64_t)n;
	}
	if (n < 0)
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
	workload_close(w);
	return c;
}

static void check_classic(const char *name, uint64_t r, uint64_t w)
{
	char spec[256];

	snprintf(spec, sizeof(spec), TRACES "classic/%s.trace.gz", name);
	struct counts c = count_spec(spec);
	CHECK_STR(c.format, "vmsim");
	CHECK_EQ(c.refs, 1000000);
	CHECK_EQ(c.r, r);
	CHECK_EQ(c.w, w);
	CHECK_EQ(c.max_size, 1);
}

TEST(wl_classic_traces_read_and_write_counts)
{
	check_classic("gcc", 892816, 107184);
	check_classic("swim", 932830, 67170);
	check_classic("bzip", 877581, 122419);
	check_classic("sixpack", 839017, 160983);
}

TEST(wl_course_traces_7_digit_and_upper_case)
{
	struct counts c1 = count_spec(TRACES "course/trace1");
	struct counts c2 = count_spec(TRACES "course/trace2");
	struct counts c3 = count_spec(TRACES "course/trace3");

	CHECK_STR(c1.format, "vmsim");
	CHECK_EQ(c1.refs, 12); /* "events in trace: 12" */
	CHECK_STR(c2.format, "vmsim");
	CHECK_EQ(c2.refs, 20);
	CHECK_STR(c3.format, "vmsim");
	CHECK_EQ(c3.refs, 201);
}
