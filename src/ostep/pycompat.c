/*
 * pycompat.c - behaving like Python where the OSTEP homework simulators
 * depend on it (see ostep.h).
 *
 * The Python programs read their command line with optparse, turn strings
 * into numbers with int() and their own convert() (a k/m/g suffix), and
 * print with %-formatting.  Each of those has rules a C program does not
 * share, and each is visible in the output: `-s 010` seeds with 8 (optparse
 * reads a leading 0 as octal) and echoes "ARG seed 8"; `-s 08` is refused;
 * int(" 7\n") is 7; '%08x' % -5 is "-0000005".  This file reproduces those
 * rules, from CPython 3.11's Lib/optparse.py (OptionParser._process_args,
 * _process_long_opt, _process_short_opts, _match_abbrev, _parse_num,
 * IndentedHelpFormatter) and Objects/longobject.c (PyLong_FromString), so
 * the front ends can stay close to the programs they reproduce.
 *
 * Integers are held as struct pyint, a bounded sign-magnitude number: a
 * seed may be any integer (random.seed hashes all of its words), while
 * every other value must fit in an int64_t to be simulated.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- struct pyint ---- */

/* Python's whitespace for int(): ASCII space, \t\n\v\f\r and \x1c-\x1f. */
static int py_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int isdigit_ascii(char c)
{
	return c >= '0' && c <= '9';
}

static int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* V = V * MUL + ADD; -1 if the result needs more than PYINT_WORDS words. */
static int mag_muladd(struct pyint *v, uint32_t mul, uint32_t add)
{
	uint64_t carry = add;

	for (size_t i = 0; i < v->n; i++) {
		uint64_t t = (uint64_t)v->w[i] * mul + carry;
		v->w[i] = (uint32_t)t;
		carry = t >> 32;
	}
	if (carry) {
		if (v->n == PYINT_WORDS)
			return -1;
		v->w[v->n++] = (uint32_t)carry;
	}
	return 0;
}

/* V = V / DIV, returning the remainder. */
static uint32_t mag_divmod(struct pyint *v, uint32_t div)
{
	uint64_t rem = 0;

	for (size_t i = v->n; i-- > 0;) {
		uint64_t cur = rem << 32 | v->w[i];
		v->w[i] = (uint32_t)(cur / div);
		rem = cur % div;
	}
	while (v->n && v->w[v->n - 1] == 0)
		v->n--;
	return (uint32_t)rem;
}

int ostep_pyint_parse(const char *s, int base, struct pyint *out)
{
	const unsigned char *p = (const unsigned char *)s;
	int ndigits = 0, prev_underscore = 0, too_big = 0;

	memset(out, 0, sizeof(*out));
	while (*p && py_isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		out->neg = *p++ == '-';
	if (p[0] == '0' &&
	    ((base == 16 && (p[1] == 'x' || p[1] == 'X')) ||
	     (base == 8 && (p[1] == 'o' || p[1] == 'O')) ||
	     (base == 2 && (p[1] == 'b' || p[1] == 'B')))) {
		p += 2;
		if (*p == '_') /* one underscore may follow the prefix */
			p++;
	}
	if (*p == '_')
		return PYINT_INVALID;
	for (; *p && !py_isspace(*p); p++) {
		if (*p == '_') {
			if (prev_underscore)
				return PYINT_INVALID;
			prev_underscore = 1;
			continue;
		}
		int d = digit_value(*p);
		if (d >= base)
			return PYINT_INVALID;
		prev_underscore = 0;
		ndigits++;
		if (!too_big && mag_muladd(out, (uint32_t)base, (uint32_t)d))
			too_big = 1;
	}
	if (prev_underscore || ndigits == 0)
		return PYINT_INVALID;
	while (*p && py_isspace(*p))
		p++;
	if (*p)
		return PYINT_INVALID;
	if (out->n == 0)
		out->neg = 0;
	return too_big ? PYINT_TOO_BIG : PYINT_OK;
}

int ostep_pyint_parse_optparse(const char *s, struct pyint *out)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return ostep_pyint_parse(s, 16, out);
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return ostep_pyint_parse(s[2] ? s + 2 : "0", 2, out);
	if (s[0] == '0')
		return ostep_pyint_parse(s, 8, out);
	return ostep_pyint_parse(s, 10, out);
}

int ostep_pyint_to_i64(const struct pyint *v, int64_t *out)
{
	uint64_t mag;

	if (v->n > 2)
		return -1;
	mag = v->n == 0 ? 0 : v->n == 1 ? v->w[0] :
	      (uint64_t)v->w[1] << 32 | v->w[0];
	if (v->neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -1;
		*out = (int64_t)(0 - mag);
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return -1;
		*out = (int64_t)mag;
	}
	return 0;
}

void ostep_pyint_to_dec(const struct pyint *v, char *buf)
{
	struct pyint t = *v;
	char tmp[PYINT_DEC_MAX];
	size_t n = 0, k = 0;

	do /* nine digits at a time, least significant group first */
	{
		uint32_t group = mag_divmod(&t, 1000000000U);
		for (int i = 0; i < 9; i++) {
			tmp[n++] = (char)('0' + group % 10);
			group /= 10;
			if (t.n == 0 && group == 0)
				break;
		}
	} while (t.n);
	if (v->neg)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
}

void ostep_pyint_seed(struct pyrandom *r, const struct pyint *v)
{
	static const uint32_t zero = 0;

	if (v->n == 0)
		pyrandom_seed_words(r, &zero, 1);
	else
		pyrandom_seed_words(r, v->w, v->n);
}

/* ---- numbers the way the programs compute them ---- */

int ostep_convert(const char *s, int64_t *out)
{
	size_t len = strlen(s);
	char digits[256];
	int64_t mult = 1, v;
	struct pyint p;
	int rc;

	if (len == 0)
		return PYINT_EMPTY;
	switch (s[len - 1]) {
	case 'k': case 'K': mult = (int64_t)1 << 10; len--; break;
	case 'm': case 'M': mult = (int64_t)1 << 20; len--; break;
	case 'g': case 'G': mult = (int64_t)1 << 30; len--; break;
	}
	if (len >= sizeof(digits))
		return PYINT_TOO_BIG;
	memcpy(digits, s, len);
	digits[len] = '\0';
	rc = ostep_pyint_parse(digits, 10, &p);
	if (rc)
		return rc;
	if (ostep_pyint_to_i64(&p, &v))
		return PYINT_TOO_BIG;
	/*
	 * At most 2^53 in magnitude: every size is then exact as a double,
	 * as the programs' float arithmetic (asize / 4.0, psize * random())
	 * assumes, and sums of sizes stay far inside int64_t.
	 */
	const int64_t lim = (int64_t)1 << 53;
	if (v > lim / mult || v < -(lim / mult))
		return PYINT_TOO_BIG;
	*out = v * mult;
	return PYINT_OK;
}

char *ostep_fmt_x(char *buf, int64_t v, int width, int zero_pad)
{
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char digits[20], *p = buf;
	int nd = snprintf(digits, sizeof(digits), "%llx",
			  (unsigned long long)mag);
	int pad = width - nd - (v < 0);

	if (pad < 0)
		pad = 0;
	if (pad > 32)
		pad = 32;
	if (!zero_pad) {
		memset(p, ' ', (size_t)pad);
		p += pad;
	}
	if (v < 0) /* the sign comes before any zeros: -0000005 */
		*p++ = '-';
	if (zero_pad) {
		memset(p, '0', (size_t)pad);
		p += pad;
	}
	memcpy(p, digits, (size_t)nd + 1);
	return buf;
}

int64_t ostep_pymod(int64_t a, int64_t b)
{
	int64_t m = a % b;

	if (m != 0 && ((m < 0) != (b < 0)))
		m += b;
	return m;
}

int ostep_trunc(double x, int64_t *out)
{
	/* 2^63 is exact as a double; anything at or beyond it does not fit. */
	if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
		return -1;
	*out = (int64_t)x;
	return 0;
}

/* ---- floats ---- */

/* Copy DIGITS ("1_000") into OUT without the underscores that Python
 * allows between two digits; advances *P past them.  Returns the number
 * of digits, or -1 for a misplaced underscore. */
static int take_digits(const char **p, char *out, size_t *k, size_t cap)
{
	int n = 0;

	while (isdigit_ascii(**p) || (**p == '_' && n > 0)) {
		if (**p == '_') {
			if (!isdigit_ascii((*p)[1]))
				return -1;
			(*p)++;
			continue;
		}
		if (*k + 1 < cap)
			out[(*k)++] = **p;
		(*p)++;
		n++;
	}
	return n;
}

int ostep_pyfloat_parse(const char *s, double *out)
{
	char buf[512];
	size_t k = 0;
	int before, after = 0, exp;
	const char *p = s, *end;

	while (*p && py_isspace((unsigned char)*p))
		p++;
	end = p + strlen(p);
	while (end > p && py_isspace((unsigned char)end[-1]))
		end--;
	if (*p == '+' || *p == '-')
		buf[k++] = *p++;
	if ((size_t)(end - p) < sizeof(buf) - 2 && end - p >= 3) {
		size_t len = (size_t)(end - p);
		if ((len == 3 && !strncasecmp(p, "inf", 3)) ||
		    (len == 8 && !strncasecmp(p, "infinity", 8)) ||
		    (len == 3 && !strncasecmp(p, "nan", 3))) {
			memcpy(buf + k, p, len);
			buf[k + len] = '\0';
			*out = strtod(buf, NULL);
			return PYINT_OK;
		}
	}
	if ((before = take_digits(&p, buf, &k, sizeof(buf))) < 0)
		return PYINT_INVALID;
	if (*p == '.') {
		buf[k++] = *p++;
		if ((after = take_digits(&p, buf, &k, sizeof(buf))) < 0)
			return PYINT_INVALID;
	}
	if (before + after == 0)
		return PYINT_INVALID;
	if (*p == 'e' || *p == 'E') {
		buf[k++] = *p++;
		if (*p == '+' || *p == '-')
			buf[k++] = *p++;
		if ((exp = take_digits(&p, buf, &k, sizeof(buf))) <= 0)
			return PYINT_INVALID;
	}
	if (p != end || k + 1 >= sizeof(buf))
		return PYINT_INVALID;
	buf[k] = '\0';
	*out = strtod(buf, NULL);
	return PYINT_OK;
}

char *ostep_float_repr(char *buf, double x)
{
	char e[40], digits[24];
	int nd = 0, exp10, decpt, i;
	const char *p = e;
	char *o = buf;

	if (isnan(x) || isinf(x)) {
		strcpy(buf, isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
		return buf;
	}
	for (int prec = 0; prec < 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec, x);
		if (strtod(e, NULL) == x)
			break;
	}
	if (*p == '-')
		*o++ = *p++;
	for (; *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	exp10 = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	decpt = exp10 + 1;
	if (decpt > -4 && decpt <= 16) {
		if (decpt <= 0) {
			o += sprintf(o, "0.");
			for (i = decpt; i < 0; i++)
				*o++ = '0';
			memcpy(o, digits, (size_t)nd);
			o += nd;
		} else {
			for (i = 0; i < decpt || i < nd; i++) {
				if (i == decpt)
					*o++ = '.';
				*o++ = i < nd ? digits[i] : '0';
			}
			if (decpt >= nd)
				o += sprintf(o, ".0");
		}
		*o = '\0';
		return buf;
	}
	*o++ = digits[0];
	if (nd > 1) {
		*o++ = '.';
		memcpy(o, digits + 1, (size_t)nd - 1);
		o += nd - 1;
	}
	sprintf(o, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
	return buf;
}

char *ostep_float_int(char *buf, double x)
{
	double t = trunc(x);

	snprintf(buf, OSTEP_FLOAT_INT_MAX, "%.0f", t == 0 ? 0.0 : t);
	return buf;
}

/* repr() of one str, as Python 3 quotes it. */
static void print_str_repr(const char *s)
{
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';

	putchar(q);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == (unsigned char)q)
			printf("\\%c", *p);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\r')
			fputs("\\r", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	putchar(q);
}

void ostep_print_str_list(const char *const *items, size_t n)
{
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", stdout);
		print_str_repr(items[i]);
	}
	putchar(']');
}

/* ---- errors ---- */

int ostep_crash(const struct ostep_sim *sim, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "vmlab ostep %s: ", sim->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return OSTEP_EXIT_FAIL;
}

static int usage_error(const struct ostep_sim *sim, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(const struct ostep_sim *sim, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "vmlab ostep %s: ", sim->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'vmlab ostep %s -h')\n", sim->name);
	return OSTEP_EXIT_USAGE;
}

int ostep_int_of(const struct ostep_sim *sim, const char *s,
		 const char *what, int64_t *out)
{
	struct pyint v;
	int rc = ostep_pyint_parse(s, 10, &v);

	if (rc == PYINT_OK && ostep_pyint_to_i64(&v, out) == 0)
		return 0;
	if (rc == PYINT_INVALID)
		return ostep_crash(sim, "%s: '%s' is not an integer (Python "
				   "raises ValueError)", what, s);
	return ostep_crash(sim, "%s: '%s' is too large to simulate", what, s);
}

int ostep_convert_opt(const struct ostep_args *a, const char *name,
		      const char *what, int64_t *out)
{
	const char *s = ostep_get(a, name)->str;

	switch (ostep_convert(s, out)) {
	case PYINT_OK:
		return 0;
	case PYINT_EMPTY:
		return ostep_crash(a->sim, "%s (--%s) is empty (Python raises "
				   "IndexError)", what, name);
	case PYINT_TOO_BIG:
		return ostep_crash(a->sim, "%s (--%s) '%s' is too large to "
				   "simulate", what, name, s);
	default:
		return ostep_crash(a->sim, "%s (--%s) '%s' is not a number "
				   "with an optional k, m or g suffix (Python "
				   "raises ValueError)", what, name, s);
	}
}

/* ---- option values ---- */

static size_t opt_index(const struct ostep_sim *sim, const char *name)
{
	for (size_t i = 0; i < sim->nopts; i++) {
		const struct ostep_opt *o = &sim->opts[i];
		if ((o->long_name && !strcmp(o->long_name, name)) ||
		    (!name[1] && o->short_name == name[0]))
			return i;
	}
	panic("opt_index", "%s has no option '%s'", sim->name, name);
}

const struct ostep_val *ostep_get(const struct ostep_args *a,
				  const char *name)
{
	return &a->v[opt_index(a->sim, name)];
}

const char *ostep_str(const struct ostep_args *a, const char *name,
		      char *buf)
{
	size_t i = opt_index(a->sim, name);
	const struct ostep_val *v = &a->v[i];

	switch (a->sim->opts[i].type) {
	case OSTEP_INT:
		ostep_pyint_to_dec(&v->num, buf);
		return buf;
	case OSTEP_TRUE:
		return v->flag ? "True" : "False";
	case OSTEP_FLOAT:
		return ostep_float_repr(buf, v->real);
	default:
		return v->str;
	}
}

int ostep_get_i64(const struct ostep_args *a, const char *name,
		  int64_t *out)
{
	const struct ostep_val *v = ostep_get(a, name);
	char dec[PYINT_DEC_MAX];

	if (ostep_pyint_to_i64(&v->num, out) == 0)
		return 0;
	ostep_pyint_to_dec(&v->num, dec);
	return ostep_crash(a->sim, "option %s: %s is too large to simulate",
			   name, dec);
}

/* Set every value to its default. */
static void set_defaults(const struct ostep_sim *sim, struct ostep_val *vals)
{
	for (size_t i = 0; i < sim->nopts; i++) {
		const struct ostep_opt *o = &sim->opts[i];
		struct ostep_val *v = &vals[i];

		memset(v, 0, sizeof(*v));
		v->str = o->def;
		if (o->type == OSTEP_INT) {
			int rc = ostep_pyint_parse(o->def, 10, &v->num);
			ASSERT(rc == PYINT_OK, "%s: bad default", o->def);
		}
		if (o->type == OSTEP_FLOAT) {
			int rc = ostep_pyfloat_parse(o->def, &v->real);
			ASSERT(rc == PYINT_OK, "%s: bad default", o->def);
		}
		v->flag = o->type == OSTEP_TRUE && !strcmp(o->def, "True");
	}
}

/* Store VALUE for option I, used on the command line as OPTSTR. */
static int store(const struct ostep_sim *sim, size_t i, const char *optstr,
		 const char *value, struct ostep_val *vals)
{
	const struct ostep_opt *o = &sim->opts[i];
	struct ostep_val *v = &vals[i];

	v->given = 1;
	switch (o->type) {
	case OSTEP_STRING:
		v->str = value;
		break;
	case OSTEP_INT:
		switch (ostep_pyint_parse_optparse(value, &v->num)) {
		case PYINT_OK:
			break;
		case PYINT_TOO_BIG:
			return usage_error(sim, "option %s: integer value '%s' "
					   "is too large", optstr, value);
		default:
			return usage_error(sim, "option %s: invalid integer "
					   "value: '%s'", optstr, value);
		}
		v->str = value;
		break;
	case OSTEP_TRUE:
		v->flag = 1;
		break;
	case OSTEP_FLOAT:
		if (ostep_pyfloat_parse(value, &v->real) != PYINT_OK)
			return usage_error(sim, "option %s: invalid "
					   "floating-point value: '%s'", optstr,
					   value);
		v->str = value;
		break;
	}
	return 0;
}

/*
 * optparse's _match_abbrev: NAME exactly, or the one long option it is a
 * prefix of.  Returns the option index, SIZE_MAX for --help, or SIZE_MAX-1
 * after printing the error.
 */
#define MATCH_HELP ((size_t)-1)
#define MATCH_ERR ((size_t)-2)

static size_t match_long(const struct ostep_sim *sim, const char *name,
			 size_t len)
{
	size_t nhits = 0;
	char list[512] = "";

	if (len == 4 && !strncmp(name, "help", 4))
		return MATCH_HELP;
	for (size_t i = 0; i < sim->nopts; i++) {
		const char *ln = sim->opts[i].long_name;
		if (ln && strlen(ln) == len && !strncmp(ln, name, len))
			return i;
	}
	/* Prefixes, listed in sorted order as optparse does. */
	const char *names[32];
	size_t idx[32];
	for (size_t i = 0; i <= sim->nopts && nhits < 32; i++) {
		const char *ln = i < sim->nopts ? sim->opts[i].long_name : "help";
		if (!ln || strncmp(ln, name, len))
			continue;
		size_t k = nhits++;
		while (k > 0 && strcmp(names[k - 1], ln) > 0) {
			names[k] = names[k - 1];
			idx[k] = idx[k - 1];
			k--;
		}
		names[k] = ln;
		idx[k] = i < sim->nopts ? i : MATCH_HELP;
	}
	if (nhits == 1)
		return idx[0];
	if (nhits == 0) {
		usage_error(sim, "no such option: --%.*s", (int)len, name);
		return MATCH_ERR;
	}
	for (size_t k = 0; k < nhits; k++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s--%s",
			 k ? ", " : "", names[k]);
	}
	usage_error(sim, "ambiguous option: --%.*s (%s?)", (int)len, name, list);
	return MATCH_ERR;
}

/* A long option at ARGV[*ip]; advances *ip past what it consumed. */
static int parse_long(const struct ostep_sim *sim, int argc, char **argv,
		      int *ip, struct ostep_val *vals)
{
	const char *arg = argv[*ip] + 2, *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	size_t i = match_long(sim, arg, len);
	char optstr[128];
	const char *value = NULL;

	(*ip)++;
	if (i == MATCH_ERR)
		return OSTEP_EXIT_USAGE;
	if (i == MATCH_HELP) {
		if (eq)
			return usage_error(sim, "--help option does not take "
					   "a value");
		ostep_help(sim);
		return 1;
	}
	snprintf(optstr, sizeof(optstr), "--%s", sim->opts[i].long_name);
	if (sim->opts[i].type == OSTEP_TRUE) {
		if (eq)
			return usage_error(sim, "%s option does not take a "
					   "value", optstr);
		return store(sim, i, optstr, NULL, vals);
	}
	if (eq)
		value = eq + 1;
	else if (*ip < argc)
		value = argv[(*ip)++];
	else
		return usage_error(sim, "%s option requires 1 argument",
				   optstr);
	return store(sim, i, optstr, value, vals);
}

/* A cluster of short options at ARGV[*ip] ("-c", "-s7", "-cNs", "-s"). */
static int parse_short(const struct ostep_sim *sim, int argc, char **argv,
		       int *ip, struct ostep_val *vals)
{
	const char *arg = argv[(*ip)++];

	for (const char *p = arg + 1; *p; p++) {
		char optstr[3] = { '-', *p, '\0' };
		size_t i;
		int rc;

		if (*p == 'h') {
			ostep_help(sim);
			return 1;
		}
		for (i = 0; i < sim->nopts; i++)
			if (sim->opts[i].short_name == *p)
				break;
		if (i == sim->nopts)
			return usage_error(sim, "no such option: %s", optstr);
		if (sim->opts[i].type == OSTEP_TRUE) {
			if ((rc = store(sim, i, optstr, NULL, vals)))
				return rc;
			continue;
		}
		/* The rest of the cluster, or the next argument, is the value. */
		if (p[1])
			return store(sim, i, optstr, p + 1, vals);
		if (*ip >= argc)
			return usage_error(sim, "%s option requires 1 argument",
					   optstr);
		return store(sim, i, optstr, argv[(*ip)++], vals);
	}
	return 0;
}

int ostep_parse(const struct ostep_sim *sim, int argc, char **argv,
		struct ostep_val *vals)
{
	int i = 1, rc;

	set_defaults(sim, vals);
	while (i < argc) {
		const char *arg = argv[i];
		if (!strcmp(arg, "--"))
			break; /* the rest is positional, and ignored */
		if (arg[0] == '-' && arg[1] == '-')
			rc = parse_long(sim, argc, argv, &i, vals);
		else if (arg[0] == '-' && arg[1])
			rc = parse_short(sim, argc, argv, &i, vals);
		else {
			i++; /* positional: optparse keeps it, the program ignores it */
			rc = 0;
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- help, laid out as optparse's IndentedHelpFormatter does ---- */

#define HELP_WIDTH 78
#define HELP_MAX_POS 24

static void opt_strings(const struct ostep_opt *o, char *buf, size_t n)
{
	const char *mv = o->type == OSTEP_TRUE ? NULL : o->metavar;
	size_t k = 0;

	buf[0] = '\0';
	if (o->short_name)
		k += (size_t)snprintf(buf + k, n - k, "-%c%s%s", o->short_name,
				      mv ? " " : "", mv ? mv : "");
	if (o->long_name)
		snprintf(buf + k, n - k, "%s--%s%s%s", k ? ", " : "",
			 o->long_name, mv ? "=" : "", mv ? mv : "");
}

/* Print TEXT wrapped to WIDTH, the first line at FIRST, the rest at POS. */
static void wrap(const char *text, int first, int pos, int width)
{
	const char *p = text;
	int indent = first;

	while (*p) {
		int len = 0, last_space = -1;
		while (*p == ' ')
			p++;
		while (p[len] && len < width) {
			if (p[len] == ' ')
				last_space = len;
			len++;
		}
		if (p[len] && last_space > 0)
			len = last_space;
		printf("%*s%.*s\n", indent, "", len, p);
		p += len;
		indent = pos;
	}
}

void ostep_help(const struct ostep_sim *sim)
{
	char s[160];
	int maxlen = (int)strlen("-h, --help") + 2, pos, width;

	for (size_t i = 0; i < sim->nopts; i++) {
		opt_strings(&sim->opts[i], s, sizeof(s));
		if ((int)strlen(s) + 2 > maxlen)
			maxlen = (int)strlen(s) + 2;
	}
	pos = maxlen + 2 < HELP_MAX_POS ? maxlen + 2 : HELP_MAX_POS;
	width = HELP_WIDTH - pos > 11 ? HELP_WIDTH - pos : 11;
	printf("Usage: vmlab ostep %s [options]\n\n", sim->name);
	wrap(sim->about, 0, 0, HELP_WIDTH);
	printf("(ostep-homework/%s; see docs/ostep.md)\n", sim->python);
	printf("\nOptions:\n");
	for (size_t i = 0; i <= sim->nopts; i++) {
		const char *help = "show this help message and exit";
		if (i == 0)
			snprintf(s, sizeof(s), "-h, --help");
		else {
			opt_strings(&sim->opts[i - 1], s, sizeof(s));
			help = sim->opts[i - 1].help;
		}
		int optw = pos - 2 - 2;
		if ((int)strlen(s) > optw) {
			printf("  %s\n", s);
			wrap(help, pos, pos, width);
		} else {
			printf("  %-*s  ", optw, s);
			wrap(help, 0, pos, width);
		}
	}
}
