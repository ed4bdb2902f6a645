/* test_base.c - number parsing, parameter lists, the seeded generator and
 * the layout of large blocks. */
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/rng.h"

#include <malloc.h>
#include <stdlib.h>

TEST(parse_numbers)
{
	uint64_t u = 0;
	double d = 0;

	CHECK(parse_u64("42", &u) == 0 && u == 42);
	CHECK(parse_u64("0x1F", &u) == 0 && u == 31);
	CHECK(parse_u64("12x", &u) == -1);
	CHECK(parse_u64("", &u) == -1);
	CHECK(parse_u64("-3", &u) == -1);
	CHECK(parse_u64("18446744073709551616", &u) == -1);
	CHECK(parse_size("4k", &u) == 0 && u == 4096);
	CHECK(parse_size("2MiB", &u) == 0 && u == 2u << 20);
	CHECK(parse_size("1G", &u) == 0 && u == 1u << 30);
	CHECK(parse_size("512", &u) == 0 && u == 512);
	CHECK(parse_size("4q", &u) == -1);
	CHECK(parse_double("0.9", &d) == 0 && d == 0.9);
	CHECK(parse_double("nan", &d) == -1);
	CHECK(parse_duration("250", &u) == 0 && u == 250);
	CHECK(parse_duration("10ms", &u) == 0 && u == 10000000);
	CHECK(parse_duration("0.75ms", &u) == 0 && u == 750000);
	CHECK(parse_duration("2S", &u) == 0 && u == 2000000000);
	CHECK(parse_duration("1.5us", &u) == 0 && u == 1500);
	CHECK(parse_duration("1.5", &u) == -1);    /* a fraction of a unit */
	CHECK(parse_duration("0.5ns", &u) == -1);
	CHECK(parse_duration("1.0000000001s", &u) == -1);
	CHECK(parse_duration("10min", &u) == -1);
	CHECK(parse_duration("-1", &u) == -1);
	CHECK(parse_duration(".5s", &u) == -1);
	CHECK(parse_duration("20000000000s", &u) == -1); /* beyond 2^64 ns */
}

static const struct param_desc test_params[] = {
	{ "bits", PARAM_U64, "8", 1, 64, "counter width" },
	{ "alpha", PARAM_DOUBLE, "0.5", 0, 10, "skew" },
	{ "name", PARAM_STRING, "x", 0, 0, "label" },
	{ 0 },
};

TEST(params_defaults_and_values)
{
	struct params p;
	struct error err = { 0 };

	CHECK(params_parse(test_params, NULL, "test", &p, &err) == 0);
	CHECK_EQ(params_u64(&p, "bits"), 8);
	CHECK(!params_given(&p, "bits"));
	CHECK(params_parse(test_params, "bits=3,alpha=1.5,name=yz", "test",
			      &p, &err) == 0);
	CHECK_EQ(params_u64(&p, "bits"), 3);
	CHECK(params_double(&p, "alpha") == 1.5);
	CHECK_STR(params_str(&p, "name"), "yz");
	CHECK(params_given(&p, "alpha"));
}

TEST(params_errors)
{
	struct params p;
	struct error err = { 0 };

	CHECK(params_parse(test_params, "bogus=1", "policy t", &p, &err) ==
	      ERR_INPUT);
	CHECK(strstr(err.msg, "unknown parameter 'bogus'") != NULL);
	CHECK(params_parse(test_params, "bits=0", "policy t", &p, &err) ==
	      ERR_INPUT);
	CHECK(strstr(err.msg, "between 1 and 64") != NULL);
	CHECK(params_parse(test_params, "bits=two", "policy t", &p, &err) ==
	      ERR_INPUT);
	CHECK(params_parse(test_params, "bits", "policy t", &p, &err) ==
	      ERR_INPUT);
}

/* A repeated key and an empty item are errors, never "the last wins". */
TEST(params_repeated_and_empty)
{
	struct params p;
	struct error err = { 0 };

	CHECK(params_parse(test_params, "bits=2,bits=3", "gen t", &p, &err) ==
	      ERR_INPUT);
	CHECK_STR(err.msg, "gen t: parameter 'bits' is given twice");
	CHECK(params_parse(test_params, "bits=2,", "gen t", &p, &err) ==
	      ERR_INPUT);
	CHECK(strstr(err.msg, "an empty parameter in 'bits=2,'") != NULL);
	CHECK(params_parse(test_params, "bits=2,,alpha=1", "gen t", &p,
			   &err) == ERR_INPUT);
	CHECK(params_parse(test_params, ",", "gen t", &p, &err) == ERR_INPUT);
	CHECK(params_parse(test_params, "", "gen t", &p, &err) == 0);
}

static const struct param_desc big_params[] = {
	{ "refs", PARAM_U64, "1", 0, 4.0e18, "count" },
	{ "top", PARAM_U64, "1", 0, 18446744073709551615.0, "anything" },
	{ 0 },
};

/* Integer bounds are compared as integers: no rounding through double. */
TEST(params_integer_range_exact)
{
	struct params p;
	struct error err = { 0 };

	CHECK(params_parse(big_params, "refs=4000000000000000000", "g", &p,
			   &err) == 0);
	CHECK_EQ(params_u64(&p, "refs"), 4000000000000000000ULL);
	CHECK(params_parse(big_params, "refs=4000000000000000001", "g", &p,
			   &err) == ERR_INPUT);
	CHECK_STR(err.msg, "g: parameter 'refs' must be between 0 and "
		  "4000000000000000000, found '4000000000000000001'");
	CHECK(params_parse(big_params, "top=18446744073709551615", "g", &p,
			   &err) == 0);
	CHECK_EQ(params_u64(&p, "top"), UINT64_MAX);
}

TEST(rng_reproducible_and_bounded)
{
	struct rng a, b;
	int seen[7] = { 0 };

	rng_seed(&a, 1);
	rng_seed(&b, 1);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(rng_next(&a), rng_next(&b));
	for (int i = 0; i < 7000; i++) {
		uint64_t x = rng_below(&a, 7);
		CHECK(x < 7);
		seen[x < 7 ? x : 0]++;
	}
	for (int i = 0; i < 7; i++)
		CHECK(seen[i] > 800 && seen[i] < 1200);
}

/* --- the huge-page layout of large blocks (base.c) ---------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN_BUILD 1
#endif
#endif

#ifndef ASAN_BUILD
/* Whether this host gives transparent huge pages to advised memory. */
static int thp_available(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return buf[0] && !strstr(buf, "[never]");
}

/* The mapping of this process holding ADDR (/proc/self/smaps): its
 * bounds, and whether it is advised MADV_HUGEPAGE (VmFlags "hg"). */
static int mapping_of(const void *addr, uintptr_t *lo, uintptr_t *hi,
		      int *hg)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2) {
			in = (uintptr_t)addr >= s && (uintptr_t)addr < e;
			if (in) {
				*lo = s;
				*hi = e;
				*hg = 0;
				found = 1;
			}
		} else if (in && !strncmp(line, "VmFlags:", 8)) {
			*hg = strstr(line, " hg") != NULL;
		}
	}
	fclose(f);
	return found;
}

/* A large block on this host: a mapping of whole 2 MiB pages on a 2 MiB
 * boundary, advised for huge pages. */
static void check_huge_layout(void *p, size_t n)
{
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t lo = 0, hi = 0;
	int hg = 0;

	if (!thp_available())
		return;
	CHECK(mapping_of(p, &lo, &hi, &hg));
	CHECK_EQ(lo % huge, 0);
	CHECK_EQ((hi - lo) % huge, 0);
	CHECK((uintptr_t)p + n <= hi);
	CHECK(hg);
}
#else
/* Under the sanitizer a block is exactly what was asked for, so that a
 * write one byte past it is caught. */
static void check_huge_layout(void *p, size_t n)
{
	CHECK_EQ(malloc_usable_size(p), n);
}
#endif

TEST(alloc_huge_layout)
{
	size_t n = (size_t)3 << 20;

#if defined(M_MMAP_THRESHOLD) && !defined(ASAN_BUILD)
	/* As in a fresh process: earlier tests may have freed large blocks,
	 * after which glibc serves them from its heap (see base.c). */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	unsigned char *p = xmalloc(n);

	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7);
	check_huge_layout(p, n);
	p = xrealloc(p, (size_t)9 << 20); /* grown: moved, not copied */
	check_huge_layout(p, (size_t)9 << 20);
	int same = 1;
	for (size_t i = 0; i < n; i++)
		same &= p[i] == (unsigned char)(i * 7);
	CHECK(same);
	p[((size_t)9 << 20) - 1] = 1;
	free(p);

	unsigned char *z = xcalloc(5, (size_t)1 << 20);
	check_huge_layout(z, (size_t)5 << 20);
	int zero = 1;
	for (size_t i = 0; i < ((size_t)5 << 20); i += 4093)
		zero &= z[i] == 0;
	CHECK(zero);
	free(z);
}
