/*
 * workload.c - from a spec the user wrote to an open workload, and the
 * calls every consumer makes.
 *
 * A spec is one of
 *
 *	gen:KIND[,key=value...]   a generator from the registry
 *	pages:1,2,3               an inline page list (read by the pages format
 *	                          from a memory input, so its errors carry
 *	                          columns like a file's)
 *	-                         standard input
 *	anything else             a path
 *
 * A file's format is decided by its content, never its name: the first
 * WL_PROBE_BYTES decoded bytes (after gzip or zstd is undone) are shown to
 * every format's probe and the highest score wins, ties going to the
 * earlier entry of the registry.  --format (workload_options.format)
 * skips detection.  A path that begins "gen:" or "pages:" can be written
 * "./gen:..." to read it as a file.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long workload_next(struct workload *w, struct wl_ref *buf, size_t cap,
		   struct error *err)
{
	return w->ops->next(w, buf, cap, err);
}

int workload_rewind(struct workload *w, struct error *err)
{
	return w->ops->rewind(w, err);
}

void workload_close(struct workload *w)
{
	if (!w)
		return;
	w->ops->close(w);
	free(w->spec);
	free(w);
}

/* "a, b, c": the names of every format (GENERATORS = 0) or generator. */
static void list_names(char *buf, size_t n, int generators)
{
	size_t count, used = 0;
	const struct workload_ops *const *reg = workload_registry(&count);

	buf[0] = '\0';
	for (size_t i = 0; i < count && used < n; i++) {
		if (reg[i]->is_generator != generators)
			continue;
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
					 used ? ", " : "", reg[i]->name);
	}
}

static struct workload *workload_new(const char *spec,
				     const struct workload_ops *ops)
{
	struct workload *w = xcalloc(1, sizeof(*w));

	w->ops = ops;
	w->spec = xstrdup(spec);
	return w;
}

static int open_generator(const char *spec, const struct workload_options *opt,
			  struct workload **out, struct error *err)
{
	const char *kind = spec + 4;
	const char *comma = strchr(kind, ',');
	size_t len = comma ? (size_t)(comma - kind) : strlen(kind);
	char name[64], names[256];

	list_names(names, sizeof(names), 1);
	if (len == 0)
		return error_set(err, ERR_INPUT,
				    "%s: expected gen:KIND[,key=value...] with KIND "
				    "one of %s", spec, names);
	snprintf(name, sizeof(name), "%.*s", (int)len, kind);
	const struct workload_ops *ops = workload_find(name, 1);
	if (!ops)
		return error_set(err, ERR_INPUT,
				    "%s: unknown generator '%s' (generators: %s; "
				    "see 'vmlab list generators')", spec, name,
				    names);
	struct workload *w = workload_new(spec, ops);
	int rc = ops->open(w, comma ? comma + 1 : "", opt, err);
	if (rc) {
		free(w->spec);
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

/* Describe the start of undetectable content for the message. */
static void describe_start(const unsigned char *s, size_t len, char *buf,
			   size_t n)
{
	size_t i, text = 1, line = 0;

	for (i = 0; i < len && s[i] != '\n' && line < 40; i++, line++)
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\r') || s[i] >= 0x7f)
			text = 0;
	if (text) {
		while (line > 0 && (s[line - 1] == '\r'))
			line--;
		snprintf(buf, n, "first line '%.*s'%s", (int)line, (const char *)s,
			 i < len && s[i] != '\n' ? "..." : "");
		return;
	}
	size_t used = (size_t)snprintf(buf, n, "binary data starting");
	for (i = 0; i < len && i < 8 && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, " %02x", s[i]);
}

static const struct workload_ops *detect(struct wl_input *in,
					 struct error *err)
{
	const unsigned char *s;
	size_t len, count;
	const struct workload_ops *const *reg = workload_registry(&count);
	const struct workload_ops *best = NULL;
	int best_score = 0;
	char names[256], start[128];

	if (wl_input_peek(in, WL_PROBE_BYTES, &s, &len, err))
		return NULL;
	list_names(names, sizeof(names), 0);
	if (len == 0) {
		error_set(err, ERR_INPUT,
			     "%s: is empty, so its format cannot be detected (an "
			     "empty trace is read with --format NAME; formats: %s)",
			     in->name, names);
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		if (!reg[i]->probe)
			continue;
		int score = reg[i]->probe(s, len);
		if (score > best_score) {
			best_score = score;
			best = reg[i];
		}
	}
	if (!best) {
		describe_start(s, len, start, sizeof(start));
		error_set(err, ERR_INPUT,
			     "%s: cannot tell the trace format from its content "
			     "(%s); name it with --format NAME (formats: %s; see "
			     "docs/formats.md)", in->name, start, names);
	}
	return best;
}

int workload_open_input(struct wl_input *in,
			const struct workload_options *opt,
			struct workload **out, struct error *err)
{
	const struct workload_ops *ops;
	char names[256];

	*out = NULL;
	if (opt && opt->format) {
		ops = workload_find(opt->format, 0);
		if (!ops) {
			list_names(names, sizeof(names), 0);
			wl_input_close(in);
			return error_set(err, ERR_USAGE,
					    "unknown format '%s' (formats: %s)",
					    opt->format, names);
		}
	} else {
		ops = detect(in, err);
		if (!ops) {
			wl_input_close(in);
			return err->status;
		}
	}
	struct workload *w = workload_new(in->name, ops);
	int rc = ops->open_input(w, in, opt, err);
	if (rc) {
		wl_input_close(in);
		free(w->spec);
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

static int open_inline_pages(const char *spec,
			     const struct workload_options *opt,
			     struct workload **out, struct error *err)
{
	const char *list = spec + 6;
	struct wl_input *in;
	struct workload_options o = { .format = "pages",
				      .seed = opt ? opt->seed : 0 };

	if (!*list)
		return error_set(err, ERR_INPUT,
				    "%s: expected a comma-separated list of page "
				    "numbers after 'pages:' (pages:1,2,3)", spec);
	if (strchr(list, '\n'))
		return error_set(err, ERR_INPUT,
				    "%s: an inline page list is one line", spec);
	int rc = wl_input_mem(list, strlen(list), spec, 6, &in, err);
	if (rc)
		return rc;
	return workload_open_input(in, &o, out, err);
}

int workload_open(const char *spec, const struct workload_options *opt,
		  struct workload **out, struct error *err)
{
	struct wl_input *in;
	int rc;

	*out = NULL;
	if (!*spec)
		return error_set(err, ERR_INPUT,
				    "empty workload: expected a file, -, pages:LIST "
				    "or gen:KIND,...");
	if (strncmp(spec, "gen:", 4) == 0)
		return open_generator(spec, opt, out, err);
	if (strncmp(spec, "pages:", 6) == 0)
		return open_inline_pages(spec, opt, out, err);
	rc = wl_input_open(spec, &in, err);
	if (rc)
		return rc;
	rc = workload_open_input(in, opt, out, err);
	if (rc == 0 && strcmp((*out)->spec, spec) != 0) {
		free((*out)->spec);
		(*out)->spec = xstrdup(spec);
	}
	return rc;
}
