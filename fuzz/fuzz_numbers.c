/*
 * fuzz_numbers.c - libFuzzer target for the number and size parsers every
 * option goes through: parse_u64, parse_i64, parse_size, parse_double
 * (param.h) and the --frames list grammar (cli_parse_frames: "1..64:8",
 * "1..4096/12").  Beyond not crashing: a number that parses prints back
 * to the same value, a size is at least the count it was written with,
 * and a frame list is sorted, without repeats, within its documented
 * bounds.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "vmlab/base.h"
#include "vmlab/param.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_numbers(const char *s)
{
	char buf[64];
	uint64_t u, u2;
	int64_t i, i2;
	double d;

	if (parse_u64(s, &u) == 0) {
		snprintf(buf, sizeof(buf), "%" PRIu64, u);
		if (parse_u64(buf, &u2) || u2 != u)
			abort();
		if (parse_size(buf, &u2) || u2 != u)
			abort(); /* a plain count is a size of that many */
	}
	if (parse_i64(s, &i) == 0) {
		snprintf(buf, sizeof(buf), "%" PRId64, i);
		if (parse_i64(buf, &i2) || i2 != i)
			abort();
	}
	if (parse_size(s, &u) == 0) {
		snprintf(buf, sizeof(buf), "%" PRIu64, u);
		if (parse_size(buf, &u2) || u2 != u)
			abort();
	}
	if (parse_double(s, &d) == 0 && d != d)
		abort(); /* never NaN */
}

static void check_frames(const char *s)
{
	uint64_t *v = NULL;
	size_t n = 0;

	if (cli_parse_frames("fuzz", s, &v, &n) != 0)
		return;
	if (n < 1 || n > 1000000)
		abort();
	for (size_t k = 0; k < n; k++)
		if (v[k] < 1 || v[k] > UINT32_MAX - 2 || (k && v[k] <= v[k - 1]))
			abort();
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 256)
		return 0;
	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	check_numbers(s);
	check_frames(s);
	free(s);
	return 0;
}
