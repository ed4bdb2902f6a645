/*
 * cmd_convert.c - `vmlab convert`: read workloads, write one trace file.
 *
 * The inputs are read in order and their references written one after
 * another, each keeping its process ids, into one output in any format
 * that can represent them (wlwriter.h refuses, naming the reference, what
 * it cannot).  A failed conversion removes the half-written output file.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/wlwriter.h"
#include "vmlab/workload.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char convert_help[] =
	"usage: vmlab convert [options] WORKLOAD...\n"
	"\n"
	"Read the workloads and write their references, in order, as one\n"
	"trace.  Any workload vmlab reads can be converted: trace files (format\n"
	"detected from content; .gz/.zst; - for stdin), pages:LIST and\n"
	"generators (gen:KIND,...), which makes convert the way to save a\n"
	"synthetic workload.\n"
	"\n"
	"Options:\n"
	"  -t, --to FORMAT        output format (default vmt): vmt, vmsim, lackey,\n"
	"                         din, pages, oracle-general\n"
	"  -o, --output FILE      output file, - for standard output (default -);\n"
	"                         a name ending in .gz or .zst is compressed\n"
	"      --compress KIND    gz, zst or none (default: from the file name)\n"
	"      --format NAME      read every input file as this format\n"
	"  -P, --page-size SIZE   page size (4096, 4k): needed to turn byte\n"
	"                         addresses into page numbers (pages,\n"
	"                         oracle-general) and back, and to write\n"
	"                         multi-byte accesses in formats without sizes\n"
	"                         (vmsim, din) as one reference per page touched;\n"
	"                         recorded in a vmt header (default: the page\n"
	"                         size the input records, if any)\n"
	"      --as-reads         write every reference as a read (to make a page\n"
	"                         list from a trace with writes)\n"
	"      --seed N           seed for generators (default 0)\n"
	"  -h, --help             this help\n"
	"\n"
	"A format that cannot represent a reference (a write in a page list,\n"
	"a process id in vmsim, an instruction fetch in vmsim) is an error that\n"
	"names the reference; nothing is dropped silently.  Binary formats (vmt,\n"
	"oracle-general) are not written to a terminal.\n"
	"\n"
	"Examples:\n"
	"  vmlab convert -o gcc.vmt ../shared/traces/classic/gcc.trace.gz\n"
	"  vmlab convert --to vmsim gcc.vmt | head\n"
	"  vmlab convert -o zipf.vmt gen:zipf,pages=100000,refs=20000000\n"
	"  vmlab convert --to pages -P 4k -o gcc.pages --as-reads gcc.vmt\n";

struct convert_opts {
	const char *to, *output, *format, *compress;
	uint64_t page_size, seed;
	int as_reads;
};

static int parse_args(int argc, char **argv, struct convert_opts *o)
{
	enum { O_COMPRESS = 256, O_FORMAT, O_AS_READS, O_SEED };
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "compress", required_argument, NULL, O_COMPRESS },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "page-size", required_argument, NULL, 'P' },
		{ "as-reads", no_argument, NULL, O_AS_READS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = cli_getopt("convert", argc, argv, "t:o:P:h", longopts)) !=
	       -1) {
		switch (c) {
		case 't':
			o->to = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case O_COMPRESS:
			if (strcmp(optarg, "gz") && strcmp(optarg, "zst") &&
			    strcmp(optarg, "none"))
				return cli_usage_error("convert", "--compress "
						       "expects gz, zst or none, found "
						       "'%s'", optarg);
			o->compress = optarg;
			break;
		case O_FORMAT:
			o->format = optarg;
			break;
		case 'P':
			if (parse_size(optarg, &o->page_size) ||
			    o->page_size == 0 ||
			    (o->page_size & (o->page_size - 1)) ||
			    o->page_size > ((uint64_t)1 << 30))
				return cli_usage_error("convert", "--page-size "
						       "expects a power of two from 1 to "
						       "1g, such as 4096 or 4k, found '%s'",
						       optarg);
			break;
		case O_AS_READS:
			o->as_reads = 1;
			break;
		case O_SEED:
			if (parse_u64(optarg, &o->seed))
				return cli_usage_error("convert", "--seed expects "
						       "a non-negative integer, found "
						       "'%s'", optarg);
			break;
		case 'h':
			fputs(convert_help, stdout);
			return -1;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error("convert", "no workload given");
	if (wl_writer_is_binary(o->to) < 0) {
		size_t n;
		const char *const *names = wl_writer_names(&n);
		char list[128];
		size_t used = 0;
		for (size_t i = 0; i < n; i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used,
						 "%s%s", i ? ", " : "", names[i]);
		return cli_usage_error("convert", "--to: cannot write format "
				       "'%s' (formats: %s)", o->to, list);
	}
	return 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcmp(s + n - k, suffix) == 0;
}

static int compression(const struct convert_opts *o)
{
	if (o->compress)
		return !strcmp(o->compress, "gz") ? 1 :
		       !strcmp(o->compress, "zst") ? 2 : 0;
	if (has_suffix(o->output, ".gz"))
		return 1;
	if (has_suffix(o->output, ".zst"))
		return 2;
	return 0;
}

/* Is the output one of the input files?  (Creating it would empty it.) */
static int output_is_input(const char *out, int argc, char **argv)
{
	struct stat so, si;

	if (!strcmp(out, "-") || stat(out, &so) != 0)
		return 0;
	for (int i = optind; i < argc; i++)
		if (stat(argv[i], &si) == 0 && si.st_dev == so.st_dev &&
		    si.st_ino == so.st_ino)
			return 1;
	return 0;
}

/* Copy every reference of W to the writer. */
static int copy_refs(struct workload *w, struct wl_writer *out,
		     struct wl_ref *buf, size_t cap, struct error *err)
{
	long n;

	while ((n = workload_next(w, buf, cap, err)) > 0) {
		int rc = wl_writer_put(out, buf, (size_t)n, err);
		if (rc)
			return rc;
	}
	return (int)n;
}

static int convert_main(int argc, char **argv)
{
	struct convert_opts o = { .to = "vmt", .output = "-" };
	struct error err = { 0 };
	struct wl_writer *out = NULL;
	struct workload *w = NULL;
	enum { CAP = 4096 };
	struct wl_ref *buf = NULL;
	enum wl_unit unit = WL_UNIT_BYTES;
	int rc;

	optind = 1;
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_EXIT_OK : rc;
	int compress = compression(&o);
	if (!strcmp(o.output, "-") && !compress &&
	    wl_writer_is_binary(o.to) == 1 && isatty(STDOUT_FILENO))
		return cli_usage_error("convert", "refusing to write binary %s "
				       "to a terminal; use -o FILE or redirect "
				       "the output", o.to);

	if (output_is_input(o.output, argc, argv))
		return cli_usage_error("convert", "refusing to write %s: it is "
				       "also an input", o.output);

	struct workload_options wopt = { .format = o.format, .seed = o.seed };
	buf = xmalloc(CAP * sizeof(*buf));
	for (int i = optind; i < argc; i++) {
		rc = workload_open(argv[i], &wopt, &w, &err);
		if (rc)
			goto fail;
		if (!out) {
			struct wl_writer_options wo = {
				.unit = w->unit,
				.page_size = o.page_size ? (uint32_t)o.page_size :
					     w->page_size,
				.compress = compress,
				.as_reads = o.as_reads,
			};
			unit = w->unit;
			rc = wl_writer_open(o.to, o.output, &wo, &out, &err);
			if (rc)
				goto fail;
		} else if (w->unit != unit) {
			rc = error_set(&err, ERR_INPUT,
					  "%s: holds %s but the workloads before it "
					  "hold %s; one trace cannot mix them",
					  argv[i], w->unit == WL_UNIT_PAGES ?
					  "page numbers" : "byte addresses",
					  unit == WL_UNIT_PAGES ? "page numbers" :
					  "byte addresses");
			goto fail;
		}
		rc = copy_refs(w, out, buf, CAP, &err);
		if (rc)
			goto fail;
		workload_close(w);
		w = NULL;
	}
	rc = wl_writer_close(out, 0, &err);
	out = NULL;
	if (rc)
		goto fail;
	free(buf);
	return CLI_EXIT_OK;
fail:
	rc = cli_fail(&err);
	if (out) {
		struct error ignored;
		wl_writer_close(out, 1, &ignored);
	}
	workload_close(w);
	free(buf);
	return rc;
}

const struct cli_command cmd_convert = {
	.name = "convert",
	.summary = "convert workloads to a trace file (vmt, vmsim, lackey, din, "
		   "pages, oracle-general)",
	.help = convert_help,
	.main = convert_main,
};
