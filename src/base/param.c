/*
 * param.c - number parsing and key=value parameter lists (see param.h).
 *
 * Parsing is strict: "12x" is not 12, "" is not 0, and a value out of the
 * descriptor's range is refused with the range in the message, so a typo
 * never silently becomes a default.  A key given twice and an empty item
 * (a doubled or trailing comma) are errors too, never "the last one wins".
 * Integers are parsed exactly and their range is checked on integers: a
 * bound written as a double (4e18) is turned into the integer it stands
 * for, so 4000000000000000001 cannot slip under it by rounding.
 */
#include "vmlab/param.h"

#include "vmlab/base.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	int base = 10;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!isxdigit((unsigned char)*s))
			return -1;
	}
	errno = 0;
	unsigned long long v = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_i64(const char *s, int64_t *out)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 'k': shift = 10; end++; break;
	case 'm': shift = 20; end++; break;
	case 'g': shift = 30; end++; break;
	case 't': shift = 40; end++; break;
	default: break;
	}
	if (shift && tolower((unsigned char)*end) == 'i')
		end++;
	if (tolower((unsigned char)*end) == 'b')
		end++;
	if (*end)
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int parse_double(const char *s, double *out)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* The number of time units in one UNIT (ns, us, ms, s); 0 if none. */
static uint64_t time_unit(const char *unit)
{
	static const struct { const char *name; uint64_t mult; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 },
	};

	for (size_t i = 0; i < ARRAY_LEN(units); i++)
		if (!strcasecmp(unit, units[i].name))
			return units[i].mult;
	return 0;
}

int parse_duration(const char *s, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, scale = 1, mult = 1;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -1;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			if (scale >= 1000000000)
				return -1; /* below a nanosecond */
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
		}
	}
	if (*p && !(mult = time_unit(p)))
		return -1;
	if (!*p && scale > 1)
		return -1; /* a fraction of a unit */
	if (whole > UINT64_MAX / mult || frac * mult % scale)
		return -1;
	*out = whole * mult;
	if (*out > UINT64_MAX - frac * mult / scale)
		return -1;
	*out += frac * mult / scale;
	return 0;
}

static int desc_index(const struct param_desc *desc, const char *key,
		      size_t keylen)
{
	for (int i = 0; desc && desc[i].key; i++)
		if (strlen(desc[i].key) == keylen &&
		    strncmp(desc[i].key, key, keylen) == 0)
			return i;
	return -1;
}

static void known_keys(const struct param_desc *desc, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; desc && desc[i].key && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
					 i ? ", " : "", desc[i].key);
	if (!desc || !desc[0].key)
		snprintf(buf, n, "none");
}

/*
 * The integer a descriptor's bound stands for: bounds are written as
 * doubles (4e18, 2^48), so convert them once, exactly, and compare
 * integers with integers.
 */
static uint64_t bound_u64(double b)
{
	if (b <= 0)
		return 0;
	if (b >= 18446744073709551616.0) /* 2^64 */
		return UINT64_MAX;
	return (uint64_t)b;
}

static int out_of_range(const struct param_desc *d, const char *val,
			const char *what, struct error *err)
{
	if (d->type == PARAM_DOUBLE)
		return error_set(err, ERR_INPUT, "%s: parameter '%s' must be "
				 "between %g and %g, found '%s'", what, d->key,
				 d->min, d->max, val);
	return error_set(err, ERR_INPUT, "%s: parameter '%s' must be between "
			 "%llu and %llu, found '%s'", what, d->key,
			 (unsigned long long)bound_u64(d->min),
			 (unsigned long long)bound_u64(d->max), val);
}

static const char *expected(enum param_type t)
{
	switch (t) {
	case PARAM_DOUBLE: return "a number";
	case PARAM_SIZE: return "a size such as 4096 or 4k";
	case PARAM_INT: return "an integer";
	case PARAM_TIME: return "a time such as 250 (units), 10ms or 0.5s";
	default: return "a non-negative integer";
	}
}

static int set_value(struct params *out, int i, const char *val,
		     const char *what, struct error *err)
{
	const struct param_desc *d = &out->desc[i];
	int bad = 0;

	switch (d->type) {
	case PARAM_U64:
		bad = parse_u64(val, &out->v[i].u);
		break;
	case PARAM_SIZE:
		bad = parse_size(val, &out->v[i].u);
		break;
	case PARAM_DOUBLE:
		bad = parse_double(val, &out->v[i].d);
		break;
	case PARAM_INT:
		bad = parse_i64(val, &out->v[i].i);
		break;
	case PARAM_TIME:
		bad = parse_duration(val, &out->v[i].u);
		break;
	case PARAM_STRING:
		if (strlen(val) >= sizeof(out->v[i].s))
			return error_set(err, ERR_INPUT,
					    "%s: value of '%s' is too long",
					    what, d->key);
		strcpy(out->v[i].s, val);
		return 0;
	}
	if (bad)
		return error_set(err, ERR_INPUT,
				    "%s: parameter '%s' expects %s, found '%s'",
				    what, d->key, expected(d->type), val);
	switch (d->type) {
	case PARAM_DOUBLE:
		if (out->v[i].d < d->min || out->v[i].d > d->max)
			return out_of_range(d, val, what, err);
		break;
	case PARAM_INT:
		if ((double)out->v[i].i < d->min ||
		    (double)out->v[i].i > d->max)
			return error_set(err, ERR_INPUT, "%s: parameter '%s' "
					 "must be between %g and %g, found "
					 "'%s'", what, d->key, d->min, d->max,
					 val);
		break;
	default:
		if (out->v[i].u < bound_u64(d->min) ||
		    out->v[i].u > bound_u64(d->max))
			return out_of_range(d, val, what, err);
		break;
	}
	return 0;
}

int params_parse(const struct param_desc *desc, const char *text,
		    const char *what, struct params *out,
		    struct error *err)
{
	char keys[256];
	char val[128];

	memset(out, 0, sizeof(*out));
	out->desc = desc;
	while (desc && desc[out->n].key)
		out->n++;
	ASSERT(out->n <= PARAM_MAX, "%s has %d parameters", what, out->n);
	for (int i = 0; i < out->n; i++) {
		int rc = set_value(out, i, desc[i].def, what, err);
		ASSERT(rc == 0, "%s: bad default for %s", what, desc[i].key);
	}
	for (const char *p = text && *text ? text : NULL; p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);

		if (len == 0)
			return error_set(err, ERR_INPUT,
					 "%s: an empty parameter in '%s' (a "
					 "doubled or trailing comma?)", what, text);
		if (!eq) {
			known_keys(desc, keys, sizeof(keys));
			return error_set(err, ERR_INPUT,
					    "%s: expected key=value, found '%.*s' (keys: %s)",
					    what, (int)len, p, keys);
		}
		int i = desc_index(desc, p, (size_t)(eq - p));
		if (i < 0) {
			known_keys(desc, keys, sizeof(keys));
			return error_set(err, ERR_INPUT,
					    "%s: unknown parameter '%.*s' (keys: %s)",
					    what, (int)(eq - p), p, keys);
		}
		size_t vlen = len - (size_t)(eq + 1 - p);
		if (vlen >= sizeof(val))
			return error_set(err, ERR_INPUT,
					    "%s: value of '%s' is too long",
					    what, desc[i].key);
		memcpy(val, eq + 1, vlen);
		val[vlen] = '\0';
		if (out->given[i])
			return error_set(err, ERR_INPUT,
					 "%s: parameter '%s' is given twice",
					 what, desc[i].key);
		int rc = set_value(out, i, val, what, err);
		if (rc)
			return rc;
		out->given[i] = 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int must_find(const struct params *p, const char *key)
{
	int i = desc_index(p->desc, key, strlen(key));

	ASSERT(i >= 0, "no parameter '%s'", key);
	return i;
}

uint64_t params_u64(const struct params *p, const char *key)
{
	int i = must_find(p, key);

	ASSERT(p->desc[i].type == PARAM_U64 || p->desc[i].type == PARAM_SIZE ||
	       p->desc[i].type == PARAM_TIME, "%s is not an integer", key);
	return p->v[i].u;
}

int64_t params_int(const struct params *p, const char *key)
{
	int i = must_find(p, key);

	ASSERT(p->desc[i].type == PARAM_INT, "%s is not a signed integer", key);
	return p->v[i].i;
}

double params_double(const struct params *p, const char *key)
{
	int i = must_find(p, key);

	ASSERT(p->desc[i].type == PARAM_DOUBLE, "%s is not a real", key);
	return p->v[i].d;
}

const char *params_str(const struct params *p, const char *key)
{
	int i = must_find(p, key);

	ASSERT(p->desc[i].type == PARAM_STRING, "%s is not text", key);
	return p->v[i].s;
}

int params_given(const struct params *p, const char *key)
{
	return p->given[must_find(p, key)];
}
