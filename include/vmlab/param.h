/*
 * param.h - number parsing and "key=value,key=value" parameter lists.
 *
 * Policies and generators describe their parameters with a table of
 * struct param_desc; params_parse() checks a user's text against the
 * table (unknown keys, malformed numbers and out-of-range values are errors
 * that name the plug-in, the key and the accepted range) and fills in
 * defaults.  `vmlab list` prints the same tables, so the help cannot drift
 * from what is accepted.
 */
#ifndef VMLAB_PARAM_H
#define VMLAB_PARAM_H

#include <stdint.h>

struct error;

/*
 * Whole-string parsers; they return 0 on success and -1 when the text is not
 * entirely a number of the right form (no message: the caller knows the
 * context).  parse_u64 accepts decimal or 0x-prefixed hex.  parse_size
 * accepts a decimal count with an optional binary suffix k, m, g or t (either
 * case, optionally followed by "b" or "ib": 4k = 4KiB = 4096).
 */
int parse_u64(const char *s, uint64_t *out);
int parse_i64(const char *s, int64_t *out);
int parse_size(const char *s, uint64_t *out);
int parse_double(const char *s, double *out);

/*
 * A duration in simulated time units: a count ("250", a number of units),
 * or a decimal number with a unit, ns, us, ms or s ("10ms", "0.75ms"),
 * where one unit is a nanosecond.  A value with a unit must come to a whole
 * number of units.  Returns 0 or -1 like the parsers above.
 */
int parse_duration(const char *s, uint64_t *out);

enum param_type {
	PARAM_U64,    /* unsigned integer */
	PARAM_SIZE,   /* unsigned integer with optional k/m/g/t suffix */
	PARAM_DOUBLE, /* real number */
	PARAM_STRING, /* free text (no commas) */
	PARAM_INT,    /* signed integer */
	PARAM_TIME,   /* a duration (parse_duration), in time units */
};

#define PARAM_MAX 32

struct param_desc {
	const char *key;
	enum param_type type;
	const char *def; /* default, as the user would write it */
	double min, max; /* inclusive bounds for numeric types */
	const char *help;
};

/* Parsed values, parallel to the descriptor table (terminated by key NULL). */
struct params {
	const struct param_desc *desc;
	int n;
	uint8_t given[PARAM_MAX]; /* 1 if the user set it explicitly */
	union {
		uint64_t u; /* U64, SIZE, TIME */
		int64_t i;  /* INT */
		double d;
		char s[64];
	} v[PARAM_MAX];
};

/*
 * Parse TEXT ("k=v,k=v"; NULL or "" for all defaults) against DESC.  WHAT
 * names the owner in messages ("policy aging").  Returns 0, or ERR_INPUT
 * with ERR set.
 */
int params_parse(const struct param_desc *desc, const char *text,
		    const char *what, struct params *out,
		    struct error *err);

/* Typed getters; asking for a key the table does not have is a bug. */
uint64_t params_u64(const struct params *p, const char *key); /* U64, SIZE, TIME */
int64_t params_int(const struct params *p, const char *key);
double params_double(const struct params *p, const char *key);
const char *params_str(const struct params *p, const char *key);
int params_given(const struct params *p, const char *key);

#endif /* VMLAB_PARAM_H */
