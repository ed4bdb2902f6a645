/*
 * json.c - the streaming JSON writer (see json.h).
 */
#include "vmlab/json.h"

#include "vmlab/base.h"

#include <math.h>
#include <stdlib.h>

void json_init(struct json_writer *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->count[0] = 0;
	j->compact = 0;
}

void json_write_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* Separator, indentation and key before a value. */
static void prefix(struct json_writer *j, const char *key)
{
	if (j->count[j->depth]++ > 0)
		fputc(',', j->out);
	if (j->depth > 0 && !j->compact) {
		fputc('\n', j->out);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	if (key) {
		json_write_string(j->out, key);
		fputs(j->compact ? ":" : ": ", j->out);
	}
}

static void open_nest(struct json_writer *j, const char *key, char c)
{
	prefix(j, key);
	fputc(c, j->out);
	ASSERT(j->depth + 1 < JSON_MAX_DEPTH, "nesting too deep");
	j->count[++j->depth] = 0;
}

static void close_nest(struct json_writer *j, char c)
{
	ASSERT(j->depth > 0, "unbalanced json end");
	int had = j->count[j->depth--];
	if (had && !j->compact) {
		fputc('\n', j->out);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	fputc(c, j->out);
	if (j->depth == 0)
		fputc('\n', j->out);
}

void json_begin_object(struct json_writer *j, const char *key)
{
	open_nest(j, key, '{');
}

void json_end_object(struct json_writer *j)
{
	close_nest(j, '}');
}

void json_begin_array(struct json_writer *j, const char *key)
{
	open_nest(j, key, '[');
}

void json_end_array(struct json_writer *j)
{
	close_nest(j, ']');
}

void json_u64(struct json_writer *j, const char *key, uint64_t v)
{
	prefix(j, key);
	fprintf(j->out, "%llu", (unsigned long long)v);
}

void json_i64(struct json_writer *j, const char *key, int64_t v)
{
	prefix(j, key);
	fprintf(j->out, "%lld", (long long)v);
}

void json_write_double(FILE *out, double v)
{
	char buf[40];

	/* The shortest of %.15g..%.17g that reads back as the same double. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, out);
}

void json_double(struct json_writer *j, const char *key, double v)
{
	prefix(j, key);
	if (!isfinite(v))
		fputs("null", j->out);
	else
		json_write_double(j->out, v);
}

void json_bool(struct json_writer *j, const char *key, int v)
{
	prefix(j, key);
	fputs(v ? "true" : "false", j->out);
}

void json_string(struct json_writer *j, const char *key, const char *s)
{
	prefix(j, key);
	json_write_string(j->out, s);
}

void json_null(struct json_writer *j, const char *key)
{
	prefix(j, key);
	fputs("null", j->out);
}
