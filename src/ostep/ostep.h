/*
 * ostep.h - what the OSTEP homework programs share (private to src/ostep;
 * the public side is include/vmlab/ostep.h).
 *
 * Each program is one file (NAME.c) exporting a struct ostep_sim: its
 * option table, written the way the Python program declares its optparse
 * options, and a run function that receives the parsed values.
 * registry.c lists them and runs one; pycompat.c holds what it takes to
 * behave like Python: optparse's command-line syntax, int() and optparse's
 * integer syntax, the programs' size suffixes, and Python's %x of negative
 * numbers.  Those quirks live here and in the programs, never in the
 * mechanisms the programs drive (relocation.h, segmentation.h, freespace.h,
 * sched.h).
 *
 * Three ways a run ends, mirroring the Python programs:
 *   - success: exit 0;
 *   - the program's own error message (e.g. "Policy X is not yet
 *     implemented"): printed to stdout exactly as Python does, exit 1;
 *   - where Python would die with a traceback (int('x'), an IndexError, an
 *     assertion, or an endless loop): what Python printed before the crash
 *     is printed, then "vmlab ostep SIM: ..." on stderr, exit 1 — see
 *     ostep_crash().
 * A command line optparse would refuse is a usage error: exit 2.
 */
#ifndef VMLAB_OSTEP_OSTEP_H
#define VMLAB_OSTEP_OSTEP_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/ostep.h"

/*
 * A Python int of bounded size: sign and magnitude, 32-bit words least
 * significant first, N minimal (0 for zero).  Big enough for any seed a
 * person types (2048 bits); larger values are refused as "too large".
 */
#define PYINT_WORDS 64

struct pyint {
	int neg;
	size_t n;
	uint32_t w[PYINT_WORDS];
};

/* Results of the parsers below. */
#define PYINT_OK 0
#define PYINT_INVALID (-1) /* Python raises ValueError */
#define PYINT_TOO_BIG (-2) /* valid for Python, beyond what we hold */

/*
 * Python's int(S, BASE) for BASE 2, 8, 10 or 16 over ASCII text: optional
 * surrounding whitespace, a sign, the base's 0x/0o/0b prefix (with one
 * optional underscore after it), digits with single underscores between
 * them.  Non-ASCII text (which Python may accept: Unicode digits and
 * spaces) is refused.
 */
int ostep_pyint_parse(const char *s, int base, struct pyint *out);

/*
 * optparse's integer syntax (optparse._parse_num): "0x.." is hex, "0b.."
 * binary, any other leading "0" octal ("08" is invalid), else decimal;
 * the chosen base then goes through int(S, BASE).
 */
int ostep_pyint_parse_optparse(const char *s, struct pyint *out);

/*
 * int(S) as an int64_t, for a number in a list the program splits (an
 * -l item).  Returns 0, or exit status 1 after reporting (ostep_crash)
 * the ValueError Python raises, or a value too large to simulate; WHAT
 * names the list or item in the message.
 */
struct ostep_sim;
int ostep_int_of(const struct ostep_sim *sim, const char *s,
		 const char *what, int64_t *out);

/* The value as an int64_t; -1 if it does not fit. */
int ostep_pyint_to_i64(const struct pyint *v, int64_t *out);

/* Decimal text, as Python's str(); BUF needs 700 bytes for any pyint. */
#define PYINT_DEC_MAX 700
void ostep_pyint_to_dec(const struct pyint *v, char *buf);

/* random.seed(v): seed the generator from the magnitude's words. */
struct pyrandom;
void ostep_pyint_seed(struct pyrandom *r, const struct pyint *v);

/*
 * The programs' convert(): a decimal integer with an optional k/K, m/M or
 * g/G suffix (times 2^10, 2^20, 2^30).  Returns PYINT_OK, PYINT_INVALID
 * (ValueError), PYINT_EMPTY (the IndexError of "" in Python) or
 * PYINT_TOO_BIG (beyond +-2^53, which we refuse: up to there every size is
 * exact as a double, so Python's float arithmetic on it is reproduced).
 */
#define PYINT_EMPTY (-3)
int ostep_convert(const char *s, int64_t *out);

/*
 * convert() of the string option NAME.  Returns 0, or exit status 1 after
 * reporting (ostep_crash) the ValueError or IndexError Python would raise
 * (WHAT names the quantity in the message: "address space size").
 */
struct ostep_args;
int ostep_convert_opt(const struct ostep_args *a, const char *name,
		      const char *what, int64_t *out);

/*
 * Python's "%0Wx" / "%Wx" of a possibly negative value: a minus sign and
 * the magnitude in hex ("-0000005" for -5 in "%08x"), where C would print
 * the two's complement.  Widths beyond 32 are treated as 32.  BUF holds
 * OSTEP_FMT_X_MAX bytes; returns BUF.
 */
#define OSTEP_FMT_X_MAX 56
char *ostep_fmt_x(char *buf, int64_t v, int width, int zero_pad);

/* Python's divmod-style modulo: the result has the sign of B (B != 0). */
int64_t ostep_pymod(int64_t a, int64_t b);

/*
 * int(x) of a finite double: truncation toward zero.  Returns -1 when the
 * result would not fit in an int64_t (Python would make a big int).
 */
int ostep_trunc(double x, int64_t *out);

/*
 * Python's float(S) over ASCII text: surrounding whitespace, a sign,
 * digits with single underscores between them, a fraction, an exponent;
 * "inf", "infinity" and "nan" in any case.  Returns PYINT_OK, or
 * PYINT_INVALID where Python raises ValueError.
 */
int ostep_pyfloat_parse(const char *s, double *out);

/*
 * Python's repr() (and str()) of a float: the shortest digits that read
 * back as X, in fixed notation from 1e-4 up to 1e16 ("2.5", "7.0",
 * "0.0001"), else in exponent notation ("1e-05", "1.5e+16"); "inf",
 * "-inf", "nan".  BUF holds OSTEP_FLOAT_REPR_MAX bytes; returns BUF.
 */
#define OSTEP_FLOAT_REPR_MAX 32
char *ostep_float_repr(char *buf, double x);

/*
 * The decimal digits of int(X), X finite, however large (Python's "%d" of
 * a float): "-2" for -2.7, "0" for -0.5.  BUF holds OSTEP_FLOAT_INT_MAX
 * bytes; returns BUF.
 */
#define OSTEP_FLOAT_INT_MAX 320
char *ostep_float_int(char *buf, double x);

/*
 * Python's str() of a list of strings: ['a', 'b'], each item as repr()
 * quotes it (single quotes, or double quotes if it holds a single quote
 * and no double quote; backslash escapes for \\, the quote, \t, \n,
 * \r and other control characters).  Bytes from 0x80 up are printed as
 * they are.  Writes to stdout.
 */
void ostep_print_str_list(const char *const *items, size_t n);

/* ---- options, the way optparse declares and parses them ---- */

enum ostep_opt_type {
	OSTEP_STRING, /* type='string': kept as typed */
	OSTEP_INT,    /* type='int': optparse integer syntax */
	OSTEP_TRUE,   /* action='store_true' */
	OSTEP_FLOAT,  /* type='float': Python's float() */
};

struct ostep_opt {
	char short_name;       /* 'a' for -a; 0 if none */
	const char *long_name; /* "addresses" for --addresses; NULL if none */
	enum ostep_opt_type type;
	const char *def;       /* default: a string, an int's digits, or
				  "False"/"True" for flags */
	const char *help;
	const char *metavar;   /* shown in help (optparse: DEST upper-cased) */
};

/* One option's value after parsing. */
struct ostep_val {
	const char *str; /* STRING: the text as typed (or the default) */
	struct pyint num; /* INT: the value */
	double real;     /* FLOAT: the value */
	int flag;        /* TRUE: 0 or 1 */
	int given;       /* set on the command line */
};

struct ostep_sim;

/*
 * Everything a simulator's run function is given: its table and one value
 * per option in table order.  (Positional arguments are accepted and
 * ignored, as the Python programs do.)
 */
struct ostep_args {
	const struct ostep_sim *sim;
	struct ostep_val *v;
};

/*
 * Parse ARGV (ARGV[0] is the simulator's name) against SIM's options with
 * optparse's rules: -s7, -s 7, --seed=7, --seed 7, unambiguous prefixes of
 * long names, clustered flags (-cN), "--" ending the options, positional
 * arguments anywhere.  A value is taken even if it starts with '-'.
 * Fills VALS (nopts entries).  Returns 0, 1 if -h/--help was handled
 * (help printed), or 2 after printing a usage error.
 */
int ostep_parse(const struct ostep_sim *sim, int argc, char **argv,
		struct ostep_val *vals);

/* Print SIM's help, in the layout of optparse's. */
void ostep_help(const struct ostep_sim *sim);

/* The value of the option whose long (or short) name is NAME. */
const struct ostep_val *ostep_get(const struct ostep_args *a,
				  const char *name);

/*
 * Python's str() of the value of option NAME, as the programs' "ARG"
 * lines print it: a string as typed, an int in decimal, a flag as True or
 * False, a float as repr() prints it.  BUF holds PYINT_DEC_MAX bytes; the
 * result is BUF or the option's own text.
 */
const char *ostep_str(const struct ostep_args *a, const char *name,
		      char *buf);

/*
 * An int option's value as an int64_t.  Returns 0, or exit status 1 after
 * reporting (ostep_crash) a value too large to simulate.
 */
int ostep_get_i64(const struct ostep_args *a, const char *name,
		  int64_t *out);

/*
 * Report what would have been a Python traceback: flush stdout, print
 * "vmlab ostep SIM: MESSAGE" on stderr, return exit status 1.
 */
int ostep_crash(const struct ostep_sim *sim, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* VMLAB_OSTEP_OSTEP_H */
