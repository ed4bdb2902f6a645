/*
 * script_format.c - workload scripts as a format of the registry, so that
 * a script is found the way a trace is: detected from its first line
 * (`vmlab-script 1`), read from a file or standard input, gzip or zstd
 * compressed or not.
 *
 * Opening reads the whole decoded input (at most SCRIPT_MAX_BYTES) and
 * parses it (script.c); the workload then holds the parsed script, which
 * workload_script() hands to the kernel.  A script is not a stream of
 * references, so next refuses to be read as one: `vmlab convert` or a
 * trace-driven run of a script fails with a message that says what a
 * script is for.
 */
#include "vmlab/script.h"
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/input.h"

#include <stdlib.h>
#include <string.h>

#define MAGIC_WORD "vmlab-script"

/* The first word of the magic line, then a blank: whatever the version,
 * the parser is the one to say which versions it reads. */
static int script_probe(const unsigned char *sample, size_t len)
{
	size_t n = sizeof(MAGIC_WORD) - 1;

	if (len <= n || memcmp(sample, MAGIC_WORD, n) != 0 ||
	    (sample[n] != ' ' && sample[n] != '\t'))
		return 0;
	return 100;
}

/* The decoded bytes of IN, up to one more than SCRIPT_MAX_BYTES (so that
 * the parser refuses a longer script) in a new buffer. */
static int read_all(struct wl_input *in, char **text, size_t *len,
		    struct error *err)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	while (n <= SCRIPT_MAX_BYTES) {
		int rc = wl_input_fill(in, 1 << 16, err);
		size_t k = rc ? 0 : wl_input_avail(in);
		if (rc || k == 0) {
			if (rc) {
				free(buf);
				return rc;
			}
			break;
		}
		if (n + k > cap) {
			cap = 2 * (n + k);
			buf = xrealloc(buf, cap);
		}
		memcpy(buf + n, wl_input_data(in), k);
		wl_input_consume(in, k);
		n += k;
	}
	*text = buf;
	*len = n;
	return 0;
}

static int script_open(struct workload *w, struct wl_input *in,
		       const struct workload_options *opt, struct error *err)
{
	struct script *s;
	char *text;
	size_t len;
	int rc = read_all(in, &text, &len, err);

	if (rc)
		return rc;
	rc = script_parse(in->name, text ? text : "", len, &s, err);
	free(text);
	if (rc)
		return rc;
	wl_input_close(in); /* ours on success: everything is read */
	w->priv = s;
	w->unit = WL_UNIT_SCRIPT;
	return 0;
}

static long script_next(struct workload *w, struct wl_ref *buf, size_t cap,
			struct error *err)
{
	const struct script *s = w->priv;

	return error_set(err, ERR_INPUT, "%s: is a workload script: it "
			 "describes processes, which the kernel runs (vmlab "
			 "run --system NAME), and cannot be read as a trace",
			 s->path);
}

static int script_rewind(struct workload *w, struct error *err)
{
	return 0;
}

static void script_close(struct workload *w)
{
	script_free(w->priv);
	w->priv = NULL;
}

const struct workload_ops wl_format_script = {
	.name = "script",
	.summary = "workload script ('vmlab-script 1'): processes, their "
		   "address spaces and events, run by the kernel",
	.probe = script_probe,
	.open_input = script_open,
	.next = script_next,
	.rewind = script_rewind,
	.close = script_close,
};

const struct script *workload_script(const struct workload *w)
{
	return w && w->ops == &wl_format_script ? w->priv : NULL;
}
