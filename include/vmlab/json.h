/*
 * json.h - a small streaming JSON writer, and a small reader for what it
 * wrote (vmlab merge reads shards back).
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

/* --- reading ------------------------------------------------------------ */

struct error;

enum json_type {
	JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT
};

/*
 * A parsed value.  Numbers keep their text, so 64-bit integers are read
 * exactly (json_get_u64); strings are decoded to UTF-8.
 */
struct json_value {
	enum json_type type;
	int boolean;
	char *text;               /* STRING (decoded) and NUMBER (as written) */
	size_t n;                 /* ARRAY and OBJECT: members */
	struct json_value *items;
	char **keys;              /* OBJECT: member names, parallel to items */
};

/*
 * Parse TEXT[0..LEN) (RFC 8259, nesting at most 64 deep) into OUT.
 * Returns 0, or ERR_INPUT with "NAME:LINE:COL: ..." in ERR.  Free OUT with
 * json_value_free.
 */
int json_parse(const char *text, size_t len, const char *name,
	       struct json_value *out, struct error *err);
void json_value_free(struct json_value *v);

/* Member KEY of object O, or NULL (also when O is not an object). */
const struct json_value *json_get(const struct json_value *o, const char *key);

/* Member KEY of O as an unsigned integer / string; -1 if absent or of
 * another form. */
int json_get_u64(const struct json_value *o, const char *key, uint64_t *out);
const char *json_get_str(const struct json_value *o, const char *key);

#endif /* VMLAB_JSON_H */
