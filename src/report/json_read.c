/*
 * json_read.c - a small recursive-descent JSON reader (see json.h).
 *
 * It exists so that vmlab can read back what it wrote (sweep shards for
 * `vmlab merge`), not to be a general JSON library: the whole text is in
 * memory, values become a tree of struct json_value, numbers keep their
 * text (a u64 survives exactly) and strings are decoded to UTF-8.  A
 * mistake is reported with the line and column where reading stopped.
 */
#include "vmlab/json.h"

#include "vmlab/base.h"
#include "vmlab/param.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct reader {
	const char *p, *start, *end;
	const char *name;
	struct error *err;
};

static int fail(struct reader *r, const char *what)
{
	unsigned long line = 1, col = 1;

	for (const char *q = r->start; q < r->p && q < r->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return error_set(r->err, ERR_INPUT, "%s:%lu:%lu: %s", r->name, line,
			 col, what);
}

static void skip_space(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				 *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int value(struct reader *r, struct json_value *v, int depth);

/* Append the UTF-8 encoding of code point C to BUF at *N. */
static void put_utf8(char *buf, size_t *n, unsigned c)
{
	if (c < 0x80) {
		buf[(*n)++] = (char)c;
	} else if (c < 0x800) {
		buf[(*n)++] = (char)(0xc0 | (c >> 6));
		buf[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		buf[(*n)++] = (char)(0xe0 | (c >> 12));
		buf[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else {
		buf[(*n)++] = (char)(0xf0 | (c >> 18));
		buf[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3f));
		buf[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[(*n)++] = (char)(0x80 | (c & 0x3f));
	}
}

static int hex4(struct reader *r, unsigned *c)
{
	*c = 0;
	for (int i = 0; i < 4; i++, r->p++) {
		char h = r->p < r->end ? *r->p : 0;
		int d = h >= '0' && h <= '9' ? h - '0' :
			(h | 0x20) >= 'a' && (h | 0x20) <= 'f' ? (h | 0x20) - 'a' + 10
								  : -1;
		if (d < 0)
			return fail(r, "expected four hexadecimal digits after \\u");
		*c = *c * 16 + (unsigned)d;
	}
	return 0;
}

/* One escape after the backslash into BUF. */
static int escape(struct reader *r, char *buf, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e = r->p < r->end ? strchr(from, *r->p) : NULL;
	unsigned c, lo;

	if (e && *e) {
		buf[(*n)++] = to[e - from];
		r->p++;
		return 0;
	}
	if (r->p >= r->end || *r->p != 'u')
		return fail(r, "expected an escape such as \\n or \\u0041");
	r->p++;
	if (hex4(r, &c))
		return -1;
	if (c >= 0xd800 && c < 0xdc00) { /* a surrogate pair */
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
			return fail(r, "expected the low half of a surrogate pair");
		r->p += 2;
		if (hex4(r, &lo))
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(r, "expected the low half of a surrogate pair");
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(buf, n, c);
	return 0;
}

/* A string literal at r->p (the opening quote) into *OUT. */
static int string(struct reader *r, char **out)
{
	const char *q = ++r->p;
	size_t n = 0;

	while (q < r->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	if (q >= r->end)
		return fail(r, "a string is not closed");
	/* Decoding never grows the text. */
	char *buf = xmalloc((size_t)(q - r->p) + 1);
	while (*r->p != '"') {
		if ((unsigned char)*r->p < 0x20) {
			free(buf);
			return fail(r, "a control character in a string");
		}
		if (*r->p != '\\') {
			buf[n++] = *r->p++;
			continue;
		}
		r->p++;
		if (escape(r, buf, &n)) {
			free(buf);
			return -1;
		}
	}
	r->p++;
	buf[n] = '\0';
	*out = buf;
	return 0;
}

static int number(struct reader *r, struct json_value *v)
{
	const char *q = r->p;

	if (q < r->end && *q == '-')
		q++;
	while (q < r->end && ((*q >= '0' && *q <= '9') || *q == '.' ||
			      *q == 'e' || *q == 'E' || *q == '+' || *q == '-'))
		q++;
	if (q == r->p || (q == r->p + 1 && *r->p == '-'))
		return fail(r, "expected a value");
	v->type = JSON_NUMBER;
	v->text = xmalloc((size_t)(q - r->p) + 1);
	memcpy(v->text, r->p, (size_t)(q - r->p));
	v->text[q - r->p] = '\0';
	r->p = q;
	return 0;
}

static int word(struct reader *r, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return 0;
	r->p += n;
	return 1;
}

/* Members of an array or object, after the opening bracket. */
static int members(struct reader *r, struct json_value *v, int depth)
{
	char close = v->type == JSON_OBJECT ? '}' : ']';
	size_t cap = 0;

	skip_space(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		if (v->n == cap) {
			cap = cap ? 2 * cap : 8;
			v->items = xreallocarray(v->items, cap, sizeof(*v->items));
			if (v->type == JSON_OBJECT)
				v->keys = xreallocarray(v->keys, cap,
							sizeof(char *));
		}
		skip_space(r);
		if (v->type == JSON_OBJECT) {
			if (r->p >= r->end || *r->p != '"')
				return fail(r, "expected a member name in quotes");
			if (string(r, &v->keys[v->n]))
				return -1;
			skip_space(r);
			if (r->p >= r->end || *r->p != ':') {
				free(v->keys[v->n]);
				return fail(r, "expected ':' after a member name");
			}
			r->p++;
		}
		memset(&v->items[v->n], 0, sizeof(*v->items));
		v->n++;
		if (value(r, &v->items[v->n - 1], depth + 1))
			return -1;
		skip_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return 0;
		}
		return fail(r, v->type == JSON_OBJECT ? "expected ',' or '}'"
						      : "expected ',' or ']'");
	}
}

static int value(struct reader *r, struct json_value *v, int depth)
{
	memset(v, 0, sizeof(*v));
	if (depth > MAX_DEPTH)
		return fail(r, "nested more than 64 deep");
	skip_space(r);
	if (r->p >= r->end)
		return fail(r, "expected a value, found the end");
	switch (*r->p) {
	case '{':
	case '[':
		v->type = *r->p++ == '{' ? JSON_OBJECT : JSON_ARRAY;
		return members(r, v, depth);
	case '"':
		v->type = JSON_STRING;
		return string(r, &v->text);
	default:
		break;
	}
	if (word(r, "true") || word(r, "false")) {
		v->type = JSON_BOOL;
		v->boolean = r->p[-1] == 'e' && r->p[-2] == 'u';
		return 0;
	}
	if (word(r, "null"))
		return 0;
	return number(r, v);
}

int json_parse(const char *text, size_t len, const char *name,
	       struct json_value *out, struct error *err)
{
	struct reader r = { text, text, text + len, name, err };
	int rc = value(&r, out, 0);

	if (rc == 0) {
		skip_space(&r);
		if (r.p != r.end)
			rc = fail(&r, "expected the end after the value");
	}
	if (rc)
		json_value_free(out);
	return rc;
}

void json_value_free(struct json_value *v)
{
	for (size_t i = 0; i < v->n; i++) {
		json_value_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
	memset(v, 0, sizeof(*v));
}

const struct json_value *json_get(const struct json_value *o, const char *key)
{
	if (!o || o->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->items[i];
	return NULL;
}

int json_get_u64(const struct json_value *o, const char *key, uint64_t *out)
{
	const struct json_value *v = json_get(o, key);

	if (!v || v->type != JSON_NUMBER || parse_u64(v->text, out))
		return -1;
	return 0;
}

const char *json_get_str(const struct json_value *o, const char *key)
{
	const struct json_value *v = json_get(o, key);

	return v && v->type == JSON_STRING ? v->text : NULL;
}
