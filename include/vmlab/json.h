/*
 * json.h - a small streaming JSON writer.
 *
 * Writes indented JSON with keys in the order given, escapes strings, and
 * prints doubles with enough digits to round-trip.  Nesting is tracked so a
 * caller cannot forget a comma; mismatched begin/end is a bug (asserted).
 *
 *	struct json_writer j;
 *	json_init(&j, stdout);
 *	json_begin_object(&j, NULL);
 *	json_u64(&j, "faults", 5);
 *	json_end_object(&j);   // also writes the final newline at depth 0
 */
#ifndef VMLAB_JSON_H
#define VMLAB_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_writer {
	FILE *out;
	int depth;
	int count[JSON_MAX_DEPTH]; /* items written at each depth */
	int compact;               /* 1: no newlines or indentation */
};

void json_init(struct json_writer *j, FILE *out);

/* KEY is NULL inside arrays and for the outermost value. */
void json_begin_object(struct json_writer *j, const char *key);
void json_end_object(struct json_writer *j);
void json_begin_array(struct json_writer *j, const char *key);
void json_end_array(struct json_writer *j);
void json_u64(struct json_writer *j, const char *key, uint64_t v);
void json_i64(struct json_writer *j, const char *key, int64_t v);
void json_double(struct json_writer *j, const char *key, double v);
void json_bool(struct json_writer *j, const char *key, int v);
void json_string(struct json_writer *j, const char *key, const char *s);
void json_null(struct json_writer *j, const char *key);

/* Write V with the fewest digits that read back exactly (finite V). */
void json_write_double(FILE *out, double v);

/* Write S as a JSON string literal (with quotes) to OUT. */
void json_write_string(FILE *out, const char *s);

#endif /* VMLAB_JSON_H */
