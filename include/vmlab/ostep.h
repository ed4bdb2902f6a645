/*
 * ostep.h - the OSTEP homework programs, reproduced byte for byte.
 *
 * "Operating Systems: Three Easy Pieces" (Arpaci-Dusseau) comes with small
 * Python programs that generate exercises and, with -c, solve them.  Each
 * is reproduced by one file in src/ostep/ exporting a struct ostep_sim:
 * for the same command-line flags it prints exactly the bytes the Python
 * program prints (the same random exercise for the same seed, the same
 * spacing, the same error messages).  docs/ostep.md describes them.
 *
 * This is what the command layer sees: the table of programs and one call
 * that runs a program on its own command line.  Everything else (optparse,
 * int(), CPython's random) is private to src/ostep/ (src/ostep/ostep.h).
 */
#ifndef VMLAB_OSTEP_H
#define VMLAB_OSTEP_H

#include <stddef.h>

/* Exit statuses of ostep_main(), those of the vmlab command (cli.h). */
#define OSTEP_EXIT_OK 0    /* the program finished */
#define OSTEP_EXIT_FAIL 1  /* the program's own error, or where Python
			      would have died with a traceback */
#define OSTEP_EXIT_USAGE 2 /* a command line optparse refuses */

struct ostep_opt;
struct ostep_args;

struct ostep_sim {
	const char *name;    /* "paging-policy" */
	const char *python;  /* "vm-beyondphys-policy/paging-policy.py" */
	const char *summary; /* one line for `vmlab ostep --help` */
	const char *about;   /* a paragraph for `vmlab ostep SIM -h` */
	const struct ostep_opt *opts;
	size_t nopts;
	int (*run)(const struct ostep_args *a); /* returns the exit status */
};

/* The programs, in the book's chapter order; *N receives the count. */
const struct ostep_sim *const *ostep_registry(size_t *n);

/* The program called NAME, also written as the Python file ("NAME.py"). */
const struct ostep_sim *ostep_find(const char *name);

/*
 * Run SIM on ARGV (ARGV[0] is the program's name, the rest its options as
 * the Python program takes them).  Output goes to stdout (the program's)
 * and stderr (vmlab's errors); returns an OSTEP_EXIT_* status.
 */
int ostep_main(const struct ostep_sim *sim, int argc, char **argv);

#endif /* VMLAB_OSTEP_H */
