/*
 * test_ostep_py.c - the Python behaviours `vmlab ostep` reproduces: int()
 * and optparse integer syntax, convert()'s size suffixes, %x of negative
 * numbers, modulo, and str() of big integers.  Expected values were
 * printed by python3 (3.11).
 */
#include "unit.h"

#include "ostep/ostep.h"

#include <math.h>

static int64_t int_of(const char *s, int base, int *rc)
{
	struct pyint v;
	int64_t out = 0;

	*rc = ostep_pyint_parse(s, base, &v);
	if (*rc == PYINT_OK && ostep_pyint_to_i64(&v, &out))
		*rc = PYINT_TOO_BIG;
	return out;
}

TEST(ostep_py_int_syntax)
{
	int rc;

	CHECK_EQ(int_of(" 7\n", 10, &rc), 7);
	CHECK_EQ(rc, PYINT_OK);
	CHECK_EQ(int_of("+3", 10, &rc), 3);
	CHECK_EQ(int_of("-0", 10, &rc), 0);
	CHECK_EQ(int_of("1_000", 10, &rc), 1000);
	CHECK_EQ(int_of("007", 10, &rc), 7);
	CHECK_EQ(int_of("0x_1f", 16, &rc), 31);
	CHECK_EQ(int_of("-9223372036854775808", 10, &rc), INT64_MIN);
	CHECK_EQ(rc, PYINT_OK);
	static const char *const bad[] = { "1__0", "_1", "1_", "", "  ", "0x",
					   "1 2", "12a", "5\x01" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int_of(bad[i], 10, &rc);
		CHECK_EQ(rc, PYINT_INVALID);
	}
	int_of("9223372036854775808", 10, &rc);
	CHECK_EQ(rc, PYINT_TOO_BIG);
}

TEST(ostep_py_optparse_ints)
{
	struct pyint v;
	int64_t x = 0;

	CHECK_EQ(ostep_pyint_parse_optparse("010", &v), PYINT_OK);
	CHECK(ostep_pyint_to_i64(&v, &x) == 0 && x == 8);
	CHECK_EQ(ostep_pyint_parse_optparse("0x1F", &v), PYINT_OK);
	CHECK(ostep_pyint_to_i64(&v, &x) == 0 && x == 31);
	CHECK_EQ(ostep_pyint_parse_optparse("0b101", &v), PYINT_OK);
	CHECK(ostep_pyint_to_i64(&v, &x) == 0 && x == 5);
	CHECK_EQ(ostep_pyint_parse_optparse("0B", &v), PYINT_OK);
	CHECK(ostep_pyint_to_i64(&v, &x) == 0 && x == 0);
	CHECK_EQ(ostep_pyint_parse_optparse("0o17", &v), PYINT_OK);
	CHECK(ostep_pyint_to_i64(&v, &x) == 0 && x == 15);
	CHECK_EQ(ostep_pyint_parse_optparse("-12", &v), PYINT_OK);
	CHECK(ostep_pyint_to_i64(&v, &x) == 0 && x == -12);
	CHECK_EQ(ostep_pyint_parse_optparse("08", &v), PYINT_INVALID);
	CHECK_EQ(ostep_pyint_parse_optparse("-0x5", &v), PYINT_INVALID);
	CHECK_EQ(ostep_pyint_parse_optparse("1.5", &v), PYINT_INVALID);
}

TEST(ostep_py_big_ints)
{
	char dec[PYINT_DEC_MAX];
	struct pyint v;

	CHECK_EQ(ostep_pyint_parse("1267650600228229401496703205376", 10, &v),
		 PYINT_OK); /* 2^100 */
	CHECK_EQ(v.n, 4);
	CHECK_EQ(v.w[3], 16);
	ostep_pyint_to_dec(&v, dec);
	CHECK_STR(dec, "1267650600228229401496703205376");
	ostep_pyint_parse("-1000000000000000000", 10, &v);
	ostep_pyint_to_dec(&v, dec);
	CHECK_STR(dec, "-1000000000000000000");
	ostep_pyint_parse("0x3b9aca00", 16, &v);
	ostep_pyint_to_dec(&v, dec);
	CHECK_STR(dec, "1000000000");
	ostep_pyint_parse("0", 10, &v);
	ostep_pyint_to_dec(&v, dec);
	CHECK_STR(dec, "0");
}

TEST(ostep_py_convert)
{
	int64_t v = 0;

	CHECK(ostep_convert("16k", &v) == PYINT_OK && v == 16384);
	CHECK(ostep_convert("1M", &v) == PYINT_OK && v == 1 << 20);
	CHECK(ostep_convert("2g", &v) == PYINT_OK && v == (int64_t)2 << 30);
	CHECK(ostep_convert(" 4k", &v) == PYINT_OK && v == 4096);
	CHECK(ostep_convert("-1", &v) == PYINT_OK && v == -1);
	CHECK_EQ(ostep_convert("", &v), PYINT_EMPTY);
	CHECK_EQ(ostep_convert("k", &v), PYINT_INVALID);
	CHECK_EQ(ostep_convert("4k ", &v), PYINT_INVALID);
	CHECK_EQ(ostep_convert("1.5k", &v), PYINT_INVALID);
	CHECK_EQ(ostep_convert("9007199254740993", &v), PYINT_TOO_BIG);
}

TEST(ostep_py_formatting)
{
	char buf[OSTEP_FMT_X_MAX];

	CHECK_STR(ostep_fmt_x(buf, -5, 8, 1), "-0000005");
	CHECK_STR(ostep_fmt_x(buf, -255, 4, 0), " -ff");
	CHECK_STR(ostep_fmt_x(buf, 7, 2, 1), "07");
	CHECK_STR(ostep_fmt_x(buf, 0, 0, 0), "0");
	CHECK_STR(ostep_fmt_x(buf, 0x123456789, 8, 1), "123456789");
	CHECK_EQ(ostep_pymod(-7, 4), 1);
	CHECK_EQ(ostep_pymod(7, -4), (uint64_t)-1);
	CHECK_EQ(ostep_pymod(-8, 4), 0);
}

static const char *repr(double x)
{
	static char buf[OSTEP_FLOAT_REPR_MAX];

	return ostep_float_repr(buf, x);
}

TEST(ostep_py_float_repr)
{
	/* repr() as python3 prints it. */
	CHECK_STR(repr(2.5), "2.5");
	CHECK_STR(repr(7.0), "7.0");
	CHECK_STR(repr(100.0), "100.0");
	CHECK_STR(repr(0.1), "0.1");
	CHECK_STR(repr(0.7), "0.7");
	CHECK_STR(repr(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR(repr(-0.0), "-0.0");
	CHECK_STR(repr(0.0001), "0.0001");
	CHECK_STR(repr(0.00001), "1e-05");
	CHECK_STR(repr(1.5e-7), "1.5e-07");
	CHECK_STR(repr(1e15), "1000000000000000.0");
	CHECK_STR(repr(1e16), "1e+16");
	CHECK_STR(repr(123456789.125), "123456789.125");
	CHECK_STR(repr(1.2345678901234567e16), "1.2345678901234568e+16");
	CHECK_STR(repr(1e300 * 10), "1e+301");
	CHECK_STR(repr(1e308 * 10), "inf");
	CHECK_STR(repr(-1e308 * 10), "-inf");
}

static int float_of(const char *s, double *d)
{
	return ostep_pyfloat_parse(s, d);
}

TEST(ostep_py_float_syntax)
{
	double d;
	char buf[OSTEP_FLOAT_INT_MAX];

	CHECK(float_of("2.5", &d) == PYINT_OK && d == 2.5);
	CHECK(float_of(" 7\n", &d) == PYINT_OK && d == 7.0);
	CHECK(float_of("+.5", &d) == PYINT_OK && d == 0.5);
	CHECK(float_of("5.", &d) == PYINT_OK && d == 5.0);
	CHECK(float_of("1_000.2_5", &d) == PYINT_OK && d == 1000.25);
	CHECK(float_of("1e3", &d) == PYINT_OK && d == 1000.0);
	CHECK(float_of("1.E-2", &d) == PYINT_OK && d == 0.01);
	CHECK(float_of("-Infinity", &d) == PYINT_OK && isinf(d) && d < 0);
	CHECK(float_of("nan", &d) == PYINT_OK && isnan(d));
	CHECK(float_of("1e999", &d) == PYINT_OK && isinf(d));
	CHECK_EQ(float_of("", &d), PYINT_INVALID);
	CHECK_EQ(float_of(".", &d), PYINT_INVALID);
	CHECK_EQ(float_of("0x10", &d), PYINT_INVALID);
	CHECK_EQ(float_of("1__0", &d), PYINT_INVALID);
	CHECK_EQ(float_of("_1", &d), PYINT_INVALID);
	CHECK_EQ(float_of("1_", &d), PYINT_INVALID);
	CHECK_EQ(float_of("1e", &d), PYINT_INVALID);
	CHECK_EQ(float_of("1 2", &d), PYINT_INVALID);
	CHECK_EQ(float_of("infinit", &d), PYINT_INVALID);
	/* int() of a float, as "%d" prints it */
	CHECK_STR(ostep_float_int(buf, 2.99), "2");
	CHECK_STR(ostep_float_int(buf, -2.99), "-2");
	CHECK_STR(ostep_float_int(buf, -0.5), "0");
	CHECK_STR(ostep_float_int(buf, 1e20), "100000000000000000000");
}
