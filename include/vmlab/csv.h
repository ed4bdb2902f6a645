/*
 * csv.h - a small CSV writer (RFC 4180): a header row, then records.
 *
 * Fields are separated by commas and records end with "\n"; a field
 * holding a comma, a quote or a line break is quoted, with quotes doubled.
 * Doubles are written with the fewest digits that read back exactly, as in
 * the JSON output.  Column names are the documented field names, so
 * readers select columns by name, never by position.
 *
 *	struct csv_writer c;
 *	csv_init(&c, stdout);
 *	csv_str(&c, "policy"); csv_str(&c, "faults"); csv_end(&c);
 *	csv_str(&c, "lru");    csv_u64(&c, 5);        csv_end(&c);
 */
#ifndef VMLAB_CSV_H
#define VMLAB_CSV_H

#include <stdint.h>
#include <stdio.h>

struct csv_writer {
	FILE *out;
	int col; /* fields written in the current record */
};

void csv_init(struct csv_writer *c, FILE *out);
void csv_str(struct csv_writer *c, const char *s);
void csv_u64(struct csv_writer *c, uint64_t v);
void csv_double(struct csv_writer *c, double v); /* non-finite: empty */
/* End the record. */
void csv_end(struct csv_writer *c);

/* Write a header row from a comma-separated list of names. */
void csv_header(struct csv_writer *c, const char *names);

#endif /* VMLAB_CSV_H */
