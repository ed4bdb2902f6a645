/*
 * unit.h - a small unit-test framework.
 *
 *	TEST(lru_belady) { CHECK_EQ(faults, 10); }
 *
 * Tests register themselves at start-up; the runner (tests/unit/main.c)
 * runs them all, or those whose names start with argv[1], and prints
 * "PASS name" or "FAIL name: file:line: what" for each, which tests/run.sh
 * counts.  A failed CHECK marks the test failed and lets it continue, so one
 * run shows every broken expectation.
 */
#ifndef VMLAB_UNIT_H
#define VMLAB_UNIT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(name)                                                           \
	static void test_##name(void);                                       \
	__attribute__((constructor)) static void register_##name(void)      \
	{                                                                    \
		static struct unit_test t = { #name, test_##name, NULL };    \
		unit_register(&t);                                           \
	}                                                                    \
	static void test_##name(void)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond))                                                 \
			unit_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);   \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		unsigned long long a_ = (unsigned long long)(a);             \
		unsigned long long b_ = (unsigned long long)(b);             \
		if (a_ != b_)                                                \
			unit_fail(__FILE__, __LINE__, "%s == %s: %llu != %llu", \
				  #a, #b, a_, b_);                           \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (!a_ || !b_ || strcmp(a_, b_) != 0)                       \
			unit_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
				  #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)

#define CHECK_NEAR(a, b, eps)                                                \
	do {                                                                 \
		double a_ = (a), b_ = (b);                                   \
		if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                 \
			unit_fail(__FILE__, __LINE__, "%s ~= %s: %g vs %g",  \
				  #a, #b, a_, b_);                           \
	} while (0)

#endif /* VMLAB_UNIT_H */
