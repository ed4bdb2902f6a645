/*
 * csv.c - the CSV writer (see csv.h).
 */
#include "vmlab/csv.h"

#include "vmlab/json.h"

#include <math.h>
#include <string.h>

void csv_init(struct csv_writer *c, FILE *out)
{
	c->out = out;
	c->col = 0;
}

static void sep(struct csv_writer *c)
{
	if (c->col++ > 0)
		fputc(',', c->out);
}

void csv_str(struct csv_writer *c, const char *s)
{
	sep(c);
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, c->out);
		return;
	}
	fputc('"', c->out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', c->out);
		fputc(*s, c->out);
	}
	fputc('"', c->out);
}

void csv_u64(struct csv_writer *c, uint64_t v)
{
	sep(c);
	fprintf(c->out, "%llu", (unsigned long long)v);
}

void csv_double(struct csv_writer *c, double v)
{
	sep(c);
	if (isfinite(v))
		json_write_double(c->out, v);
}

void csv_end(struct csv_writer *c)
{
	fputc('\n', c->out);
	c->col = 0;
}

void csv_header(struct csv_writer *c, const char *names)
{
	char buf[64];

	for (const char *p = names; *p;) {
		size_t n = strcspn(p, ",");
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		csv_str(c, buf);
		p += n;
		if (*p == ',')
			p++;
	}
	csv_end(c);
}
