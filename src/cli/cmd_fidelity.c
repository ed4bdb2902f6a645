/*
 * cmd_fidelity.c - `vmlab fidelity`: the live kernel against the `linux`
 * system, on the same page sequence and the same memory.
 *
 * For each limit L (MiB) and each of --runs runs:
 *   1. a fresh data file of --file-size bytes is written in --dir (a real
 *      file system, not tmpfs), synced and dropped from the page cache
 *      (posix_fadvise DONTNEED), and checked to have no page resident
 *      (mincore): a new inode each run, so no page of an earlier run can
 *      be cached, wherever it was charged;
 *   2. a memory cgroup (v1 memory.limit_in_bytes, or v2 memory.max) is
 *      made with the limit, and a child of this process joins it, maps
 *      the file MAP_SHARED read-only, advises MADV_RANDOM (readahead off)
 *      or MADV_NORMAL (on), and reads one byte of each page of the
 *      sequence in order, counting its own major faults (getrusage);
 *   3. before the child exits, the cgroup's memory is read: what it
 *      charges besides the file's pages (page tables, the child's stack
 *      and heap) is the run's charged_pages.
 * The prediction is `vmlab run --system linux,cgroup=1` (this program,
 * /proc/self/exe) on a workload script of one process mapping a file of
 * the same size the same way (advice=random or normal) and replaying the
 * sequence, with memory = L minus the median charged pages: every key at
 * the kernel's default, the memory measured.  LRU, CLOCK and FIFO on the
 * same frames are printed beside it.  docs/fidelity.md has the results
 * and reads them.
 *
 * Needs root and a memory cgroup controller; without either it says so
 * and exits 2.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/json.h"
#include "vmlab/rng.h"
#include "vmlab/workload.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define TMPFS_MAGIC 0x01021994
#define MAX_LIMITS 64
#define PAGE 4096u

static const char fidelity_help[] =
	"usage: vmlab fidelity [options]\n"
	"\n"
	"Measure this machine's Linux against `--system linux`: the same page\n"
	"sequence is read through a mapped file by a real process confined to a\n"
	"memory cgroup of each limit (its major faults counted by getrusage, the\n"
	"page cache emptied first), and replayed on the linux system (cgroup=1)\n"
	"with the same memory, less what the cgroup charged besides the file.\n"
	"LRU, CLOCK and FIFO on the same frames are shown for contrast.  Needs\n"
	"root and a memory cgroup controller (exit 2 without them).\n"
	"\n"
	"Options:\n"
	"      --pattern GEN      the page sequence, a generator (gen:zipf,alpha=0.9;\n"
	"                         vmlab list generators); pages= and refs= default\n"
	"                         to the file's pages and --refs (default\n"
	"                         gen:zipf,alpha=0.9)\n"
	"      --sequence FILE    the page sequence from a pages-format file (page\n"
	"                         numbers within the file) instead of --pattern\n"
	"      --refs N           references to generate (default 200000)\n"
	"      --file-size SIZE   the mapped file (default 64m; 4 KiB pages)\n"
	"      --limit LIST       cgroup limits in MiB, comma-separated (default: 25,\n"
	"                         37.5, 50, 62.5 and 75% of the file)\n"
	"      --runs N           kernel runs per limit, median reported (default 3)\n"
	"      --readahead on|off MADV_NORMAL or MADV_RANDOM (default off)\n"
	"      --dir DIR          where the data file is written (default /var/tmp;\n"
	"                         not tmpfs)\n"
	"      --seed N           generator seed (default 1)\n"
	"      --json             JSON: the configuration and one object per limit\n"
	"  -h, --help             this text\n"
	"\n"
	"Example:\n"
	"  sudo vmlab fidelity --pattern gen:zipf,alpha=0.9 --limit 16,32,48\n";

struct fid_opts {
	const char *pattern, *sequence, *dir;
	uint64_t refs, file_pages, runs, seed;
	double limits[MAX_LIMITS];
	size_t nlimits;
	int readahead, json;
};

struct limit_result {
	double mib;
	uint64_t limit_pages, runs[16], median, charged, frames;
	uint64_t predicted, lru, clock, fifo;
};

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	uint64_t mul = 1;

	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ull << 10; end++; break;
	case 'm': case 'M': mul = 1ull << 20; end++; break;
	case 'g': case 'G': mul = 1ull << 30; end++; break;
	default: break;
	}
	if (*end || *v > UINT64_MAX / mul)
		return -1;
	*v *= mul;
	return 0;
}

static int parse_limits(const char *arg, struct fid_opts *o)
{
	const char *p = arg;

	o->nlimits = 0;
	while (*p) {
		char *end;
		errno = 0;
		double v = strtod(p, &end);
		if (errno || end == p || v <= 0 || v > 1048576 ||
		    (*end && *end != ',') || o->nlimits == MAX_LIMITS)
			return cli_usage_error("fidelity", "--limit: expected "
					       "MiB values (0 < L <= 1048576) "
					       "separated by commas, at most "
					       "%d, found '%s'", MAX_LIMITS,
					       arg);
		o->limits[o->nlimits++] = v;
		p = *end ? end + 1 : end;
	}
	if (!o->nlimits)
		return cli_usage_error("fidelity", "--limit: expected MiB "
				       "values, found ''");
	return 0;
}

/* 0, -1 after --help, or the exit status of a usage error. */
static int parse_args(int argc, char **argv, struct fid_opts *o)
{
	static const struct option longopts[] = {
		{ "pattern", required_argument, NULL, 'P' },
		{ "sequence", required_argument, NULL, 'S' },
		{ "refs", required_argument, NULL, 'r' },
		{ "file-size", required_argument, NULL, 'F' },
		{ "limit", required_argument, NULL, 'L' },
		{ "runs", required_argument, NULL, 'n' },
		{ "readahead", required_argument, NULL, 'R' },
		{ "dir", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *limits = NULL;
	uint64_t size = 64ull << 20;
	int c;

	o->refs = 200000;
	o->runs = 3;
	o->seed = 1;
	o->dir = "/var/tmp";
	optind = 1;
	while ((c = cli_getopt("fidelity", argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'P': o->pattern = optarg; break;
		case 'S': o->sequence = optarg; break;
		case 'd': o->dir = optarg; break;
		case 'L': limits = optarg; break;
		case 'j': o->json = 1; break;
		case 'r':
			if (parse_u64(optarg, &o->refs) || !o->refs ||
			    o->refs > 100000000)
				return cli_usage_error("fidelity", "--refs: "
						       "expected 1 to 10^8, "
						       "found '%s'", optarg);
			break;
		case 'n':
			if (parse_u64(optarg, &o->runs) || !o->runs ||
			    o->runs > 15)
				return cli_usage_error("fidelity", "--runs: "
						       "expected 1 to 15, "
						       "found '%s'", optarg);
			break;
		case 's':
			if (parse_u64(optarg, &o->seed))
				return cli_usage_error("fidelity", "--seed: "
						       "expected a number, "
						       "found '%s'", optarg);
			break;
		case 'F':
			if (parse_size(optarg, &size) || size < 64 * PAGE ||
			    size > (64ull << 30) || size % PAGE)
				return cli_usage_error("fidelity", "--file-size:"
						       " expected a multiple of"
						       " 4k from 256k to 64g, "
						       "found '%s'", optarg);
			break;
		case 'R':
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				return cli_usage_error("fidelity", "--readahead:"
						       " expected on or off, "
						       "found '%s'", optarg);
			o->readahead = !strcmp(optarg, "on");
			break;
		case 'h':
			fputs(fidelity_help, stdout);
			return -1;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("fidelity", "expected no operands, found "
				       "'%s'", argv[optind]);
	if (o->pattern && o->sequence)
		return cli_usage_error("fidelity", "expected --pattern or "
				       "--sequence, not both");
	if (o->pattern && strncmp(o->pattern, "gen:", 4))
		return cli_usage_error("fidelity", "--pattern: expected a "
				       "generator, gen:KIND[,key=value...], "
				       "found '%s'", o->pattern);
	o->file_pages = size / PAGE;
	if (limits) {
		int rc = parse_limits(limits, o);
		if (rc)
			return rc;
	} else {
		static const double share[] = { 0.25, 0.375, 0.5, 0.625,
						0.75 };
		for (size_t i = 0; i < ARRAY_LEN(share); i++)
			o->limits[o->nlimits++] = share[i] *
						  (double)(size >> 20);
	}
	return 0;
}

/* --- the page sequence ----------------------------------------------- */

/* Whether the generator spec GEN ("gen:KIND,k=v,...") gives KEY. */
static int has_key(const char *gen, const char *key)
{
	size_t n = strlen(key);

	for (const char *c = strchr(gen, ','); c; c = strchr(c + 1, ','))
		if (!strncmp(c + 1, key, n) && c[1 + n] == '=')
			return 1;
	return 0;
}

/* Read the sequence into *SEQ / *N; 0 or an exit status. */
static int load_sequence(const struct fid_opts *o, uint32_t **seq,
			 size_t *n)
{
	struct workload_options wopt = { .format = NULL, .seed = o->seed };
	struct workload *w;
	struct error err = { 0 };
	char spec[1024];
	struct wl_ref buf[4096];
	size_t cap = 1 << 16;
	long got;

	if (o->sequence) {
		snprintf(spec, sizeof(spec), "%s", o->sequence);
		wopt.format = "pages";
	} else {
		const char *p = o->pattern ? o->pattern : "gen:zipf,alpha=0.9";
		snprintf(spec, sizeof(spec), "%s", p);
		if (!has_key(p, "pages"))
			snprintf(spec + strlen(spec),
				 sizeof(spec) - strlen(spec), ",pages=%" PRIu64,
				 o->file_pages);
		if (!has_key(p, "refs"))
			snprintf(spec + strlen(spec),
				 sizeof(spec) - strlen(spec), ",refs=%" PRIu64,
				 o->refs);
	}
	if (workload_open(spec, &wopt, &w, &err))
		return cli_fail(&err);
	*seq = xmalloc(cap * sizeof(**seq));
	*n = 0;
	while ((got = workload_next(w, buf, ARRAY_LEN(buf), &err)) > 0) {
		for (long i = 0; i < got; i++) {
			if (buf[i].vaddr >= o->file_pages) {
				cli_error("fidelity: %s: page %" PRIu64 " is "
					  "beyond the file's %" PRIu64
					  " pages (--file-size)", spec,
					  buf[i].vaddr, o->file_pages);
				workload_close(w);
				free(*seq);
				return CLI_EXIT_FAIL;
			}
			if (*n == cap) {
				cap *= 2;
				*seq = xrealloc(*seq, cap * sizeof(**seq));
			}
			(*seq)[(*n)++] = (uint32_t)buf[i].vaddr;
		}
	}
	workload_close(w);
	if (got < 0) {
		free(*seq);
		return cli_fail(&err);
	}
	if (!*n) {
		free(*seq);
		cli_error("fidelity: %s: no references", spec);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* --- the kernel side --------------------------------------------------- */

/*
 * What a run has made, for an interrupted run to remove: the reader, the
 * data file and the cgroup (only async-signal-safe calls in the handler).
 */
static volatile pid_t live_child = -1;
static char live_file[512], live_cgdir[256];
static volatile sig_atomic_t live_made;

static void clean_up(int sig)
{
	if (live_child > 0) {
		kill(live_child, SIGKILL);
		waitpid(live_child, NULL, 0);
	}
	if (live_made) {
		unlink(live_file);
		rmdir(live_cgdir);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

struct cgroup_fs {
	int v2;
	char root[64];
};

/* Which memory controller the machine has; 0, or exit 2 with why not. */
static int find_cgroup(struct cgroup_fs *cg)
{
	char buf[512] = { 0 };
	FILE *f;

	if (geteuid() != 0) {
		cli_error("fidelity: needs root (it makes memory cgroups and "
			  "drops the page cache)");
		return CLI_EXIT_USAGE;
	}
	if (access("/sys/fs/cgroup/memory/memory.limit_in_bytes", W_OK) == 0) {
		cg->v2 = 0;
		snprintf(cg->root, sizeof(cg->root), "/sys/fs/cgroup/memory");
		return 0;
	}
	f = fopen("/sys/fs/cgroup/cgroup.subtree_control", "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		if (strstr(buf, "memory")) {
			cg->v2 = 1;
			snprintf(cg->root, sizeof(cg->root), "/sys/fs/cgroup");
			return 0;
		}
	}
	cli_error("fidelity: no memory cgroup controller (neither "
		  "/sys/fs/cgroup/memory (v1) nor memory in "
		  "/sys/fs/cgroup/cgroup.subtree_control (v2))");
	return CLI_EXIT_USAGE;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t len = (ssize_t)strlen(text);
	int ok = fd >= 0 && write(fd, text, (size_t)len) == len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static uint64_t read_u64_file(const char *path)
{
	char buf[64] = { 0 };
	int fd = open(path, O_RDONLY);
	uint64_t v = 0;

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			v = strtoull(buf, NULL, 10);
		close(fd);
	}
	return v;
}

/* Bytes of file pages the cgroup at DIR holds (memory.stat). */
static uint64_t stat_file_bytes(const struct cgroup_fs *cg, const char *dir)
{
	char path[512], key[64];
	unsigned long long v;
	uint64_t out = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fscanf(f, "%63s %llu", key, &v) == 2)
		if (!strcmp(key, cg->v2 ? "file" : "cache")) {
			out = v;
			break;
		}
	fclose(f);
	return out;
}

/* A fresh data file at PATH of PAGES pages, none of them cached. */
static int make_file(const char *path, uint64_t pages, uint64_t seed)
{
	struct rng r;
	uint64_t block[PAGE / 8];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0) {
		cli_error("fidelity: %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	rng_seed(&r, seed);
	for (uint64_t p = 0; p < pages; p++) {
		for (size_t i = 0; i < ARRAY_LEN(block); i++)
			block[i] = rng_next(&r);
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block)) {
			cli_error("fidelity: %s: cannot write: %s", path,
				  strerror(errno));
			close(fd);
			return CLI_EXIT_FAIL;
		}
	}
	if (fdatasync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)) {
		cli_error("fidelity: %s: cannot sync and drop it: %s", path,
			  strerror(errno));
		close(fd);
		return CLI_EXIT_FAIL;
	}
	/* Nothing of the file may be cached when the run starts. */
	void *m = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	unsigned char *vec = xmalloc(pages);
	size_t resident = 0;
	if (m == MAP_FAILED || mincore(m, pages * PAGE, vec)) {
		cli_error("fidelity: %s: cannot check the page cache: %s",
			  path, strerror(errno));
		free(vec);
		close(fd);
		return CLI_EXIT_FAIL;
	}
	for (uint64_t p = 0; p < pages; p++)
		resident += vec[p] & 1;
	munmap(m, pages * PAGE);
	free(vec);
	close(fd);
	if (resident) {
		cli_error("fidelity: %s: %zu pages still cached after "
			  "POSIX_FADV_DONTNEED", path, resident);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/*
 * Read one byte of each page of SEQ in M.  Not instrumented: a sanitizer
 * would touch shadow memory for every read, charging the cgroup pages
 * that grow during the run and are not the reader's.
 */
__attribute__((no_sanitize_address)) static char
touch_pages(volatile const char *m, const uint32_t *seq, size_t n)
{
	char sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += m[(size_t)seq[i] * PAGE];
	return sum;
}

/* The child: join the cgroup, map, read, report. Never returns. */
static void reader(const char *cgdir, const char *file, uint64_t pages,
		   const uint32_t *seq, size_t n, int readahead, int out,
		   int in)
{
	char path[512], pid[32];
	struct rusage r0, r1;
	long res[2] = { -1, -1 };
	char go;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgdir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	int fd = write_file(path, pid) ? -1 : open(file, O_RDONLY);
	volatile const char *m = fd < 0 ? MAP_FAILED :
		mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED &&
	    !madvise((void *)m, pages * PAGE,
		     readahead ? MADV_NORMAL : MADV_RANDOM)) {
		getrusage(RUSAGE_SELF, &r0);
		char sum = touch_pages(m, seq, n);
		getrusage(RUSAGE_SELF, &r1);
		res[0] = r1.ru_majflt - r0.ru_majflt;
		res[1] = sum; /* keeps the reads */
	}
	if (write(out, res, sizeof(res)) != (ssize_t)sizeof(res) ||
	    read(in, &go, 1) < 0)
		_exit(1);
	_exit(res[0] < 0);
}

/* One run at LIMIT pages: its major faults and charged pages. */
static int kernel_run(const struct cgroup_fs *cg, const struct fid_opts *o,
		      const uint32_t *seq, size_t n, uint64_t limit_pages,
		      uint64_t run, uint64_t *majflt, uint64_t *charged)
{
	char file[512], cgdir[256], path[512], val[32];
	int to_parent[2], to_child[2], status = 0;
	long res[2];

	snprintf(file, sizeof(file), "%s/vmlab-fidelity-%d.dat", o->dir,
		 (int)getpid());
	snprintf(cgdir, sizeof(cgdir), "%s/vmlab-fidelity-%d-%" PRIu64,
		 cg->root, (int)getpid(), run);
	memcpy(live_file, file, sizeof(live_file));
	memcpy(live_cgdir, cgdir, sizeof(live_cgdir));
	live_made = 1;
	int rc = make_file(file, o->file_pages, o->seed + run);
	if (rc) {
		unlink(file);
		live_made = 0;
		return rc;
	}
	snprintf(path, sizeof(path), "%s/%s", cgdir,
		 cg->v2 ? "memory.max" : "memory.limit_in_bytes");
	snprintf(val, sizeof(val), "%" PRIu64, limit_pages * PAGE);
	if (mkdir(cgdir, 0755) || write_file(path, val)) {
		cli_error("fidelity: cannot make the cgroup %s: %s", cgdir,
			  strerror(errno));
		rmdir(cgdir);
		unlink(file);
		return CLI_EXIT_FAIL;
	}
	if (cg->v2) {
		snprintf(path, sizeof(path), "%s/memory.swap.max", cgdir);
		write_file(path, "0"); /* absent without swap accounting */
	}
	if (pipe(to_parent) || pipe(to_child)) {
		cli_error("fidelity: pipe: %s", strerror(errno));
		rmdir(cgdir);
		unlink(file);
		return CLI_EXIT_FAIL;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		reader(cgdir, file, o->file_pages, seq, n, o->readahead,
		       to_parent[1], to_child[0]);
	live_child = pid;
	close(to_parent[1]);
	close(to_child[0]);
	ssize_t got = pid > 0 ? read(to_parent[0], res, sizeof(res)) : -1;
	if (got == (ssize_t)sizeof(res) && res[0] >= 0) {
		snprintf(path, sizeof(path), "%s/%s", cgdir,
			 cg->v2 ? "memory.current" : "memory.usage_in_bytes");
		uint64_t usage = read_u64_file(path);
		uint64_t filebytes = stat_file_bytes(cg, cgdir);
		*majflt = (uint64_t)res[0];
		*charged = usage > filebytes ? (usage - filebytes) / PAGE : 0;
	} else {
		cli_error("fidelity: the reader could not join %s, map %s or "
			  "advise it", cgdir, file);
		rc = CLI_EXIT_FAIL;
	}
	if (write(to_child[1], "x", 1) < 0)
		rc = CLI_EXIT_FAIL;
	close(to_parent[0]);
	close(to_child[1]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	live_child = -1;
	unlink(file);
	rmdir(cgdir);
	live_made = 0;
	return rc;
}

/* --- the simulated side ------------------------------------------------- */

/* `vmlab ARGV...` (this program), its JSON's totals.KEY into *OUT. */
static int self_run(char **argv, const char *key, uint64_t *out)
{
	struct json_value v;
	struct error err = { 0 };
	FILE *f = tmpfile();
	int st;

	if (!f) {
		cli_error("fidelity: cannot make a temporary file");
		return CLI_EXIT_FAIL;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fileno(f), STDOUT_FILENO);
		execv("/proc/self/exe", argv);
		_exit(CLI_EXIT_FAIL);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st)) {
		fclose(f);
		cli_error("fidelity: `vmlab %s %s ...` failed", argv[1],
			  argv[2]);
		return CLI_EXIT_FAIL;
	}
	long len = ftell(f);
	char *text = xmalloc(len > 0 ? (size_t)len : 1);
	rewind(f);
	size_t rd = len > 0 ? fread(text, 1, (size_t)len, f) : 0;
	fclose(f);
	int rc = rd != (size_t)len || len <= 0 ||
		 json_parse(text, (size_t)len, "(vmlab run)", &v, &err);
	free(text);
	if (rc) {
		cli_error("fidelity: cannot read `vmlab run`'s results");
		return CLI_EXIT_FAIL;
	}
	rc = json_get_u64(json_get(&v, "totals"), key, out);
	json_value_free(&v);
	if (rc) {
		cli_error("fidelity: `vmlab run` gave no totals.%s", key);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

static int predict(const char *script, const char *seqfile,
		   struct limit_result *r)
{
	char frames[32];
	static const char *const plain[] = { "lru", "clock", "fifo" };
	uint64_t *dst[] = { &r->lru, &r->clock, &r->fifo };

	snprintf(frames, sizeof(frames), "%" PRIu64, r->frames);
	char *av[] = { "vmlab", "run", "--system", "linux,cgroup=1", "-f",
		       frames, "--json", (char *)script, NULL };
	int rc = self_run(av, "hard_faults", &r->predicted);
	for (size_t i = 0; !rc && i < ARRAY_LEN(plain); i++) {
		char *pv[] = { "vmlab", "run", "-p", (char *)plain[i], "-f",
			       frames, "--json", (char *)seqfile, NULL };
		rc = self_run(pv, "faults", dst[i]);
	}
	return rc;
}

/* The script and the sequence file of the simulated run, in DIR. */
static int write_inputs(const char *dir, const struct fid_opts *o,
			const uint32_t *seq, size_t n, char *script,
			char *seqfile, size_t cap)
{
	FILE *f;

	snprintf(seqfile, cap, "%s/sequence.pages", dir);
	snprintf(script, cap, "%s/reader.vms", dir);
	if (!(f = fopen(seqfile, "w"))) {
		cli_error("fidelity: %s: %s", seqfile, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%" PRIu32 "\n", seq[i]);
	if (fclose(f) || !(f = fopen(script, "w"))) {
		cli_error("fidelity: cannot write in %s", dir);
		return CLI_EXIT_FAIL;
	}
	fprintf(f, "vmlab-script 1\n"
		   "# vmlab fidelity: one process reading a mapped file\n"
		   "file data pages=%" PRIu64 "\n"
		   "program reader\n"
		   "  map 0x10000000 file=data prot=r shared advice=%s\n"
		   "  replay sequence.pages base=0x10000000\n"
		   "end\n"
		   "spawn reader\n",
		o->file_pages, o->readahead ? "normal" : "random");
	return fclose(f) ? CLI_EXIT_FAIL : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct(uint64_t pred, uint64_t real)
{
	return real ? 100.0 * ((double)pred - (double)real) / (double)real : 0;
}

static void print_table(const struct fid_opts *o, const struct limit_result *r,
			size_t n, const char *release, size_t nrefs)
{
	printf("kernel %s, file %" PRIu64 " pages, %zu references, readahead "
	       "%s, %" PRIu64 " runs per limit\n\n", release, o->file_pages,
	       nrefs, o->readahead ? "on" : "off", o->runs);
	printf("%9s %9s %8s %17s %8s %7s %8s %8s %8s\n", "limit-MiB",
	       "kernel", "charged", "kernel-runs-range", "linux", "error",
	       "LRU", "CLOCK", "FIFO");
	for (size_t i = 0; i < n; i++) {
		char range[40];
		snprintf(range, sizeof(range), "%" PRIu64 "..%" PRIu64,
			 r[i].runs[0], r[i].runs[o->runs - 1]);
		printf("%9.4g %9" PRIu64 " %8" PRIu64 " %17s %8" PRIu64
		       " %+6.1f%% %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n",
		       r[i].mib, r[i].median, r[i].charged, range,
		       r[i].predicted, pct(r[i].predicted, r[i].median),
		       r[i].lru, r[i].clock, r[i].fifo);
	}
}

static void print_json(const struct fid_opts *o, const struct limit_result *r,
		       size_t n, const char *release, size_t nrefs)
{
	printf("{\"kernel\": \"%s\", \"file_pages\": %" PRIu64 ", "
	       "\"references\": %zu, \"readahead\": \"%s\", \"runs\": %" PRIu64
	       ", \"limits\": [", release, o->file_pages, nrefs,
	       o->readahead ? "on" : "off", o->runs);
	for (size_t i = 0; i < n; i++) {
		printf("%s\n  {\"limit_mib\": %.6g, \"limit_pages\": %" PRIu64
		       ", \"kernel_major_faults\": %" PRIu64
		       ", \"kernel_major_faults_runs\": [", i ? "," : "",
		       r[i].mib, r[i].limit_pages, r[i].median);
		for (uint64_t k = 0; k < o->runs; k++)
			printf("%s%" PRIu64, k ? ", " : "", r[i].runs[k]);
		printf("], \"charged_pages\": %" PRIu64 ", \"frames\": %" PRIu64
		       ", \"predicted_major_faults\": %" PRIu64
		       ", \"lru\": %" PRIu64 ", \"clock\": %" PRIu64
		       ", \"fifo\": %" PRIu64 "}", r[i].charged, r[i].frames,
		       r[i].predicted, r[i].lru, r[i].clock, r[i].fifo);
	}
	printf("\n]}\n");
}

static int fidelity_main(int argc, char **argv)
{
	struct fid_opts o = { 0 };
	struct cgroup_fs cg;
	struct limit_result res[MAX_LIMITS];
	struct statfs sfs;
	struct utsname uts;
	uint32_t *seq = NULL;
	size_t n = 0;
	char tmpdir[] = "/tmp/vmlab-fidelity-XXXXXX";
	char script[256], seqfile[256];
	int rc = parse_args(argc, argv, &o);

	if (rc)
		return rc < 0 ? CLI_EXIT_OK : rc;
	if ((rc = find_cgroup(&cg)))
		return rc;
	if (statfs(o.dir, &sfs)) {
		cli_error("fidelity: --dir %s: %s", o.dir, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	if (sfs.f_type == TMPFS_MAGIC) {
		cli_error("fidelity: --dir %s is tmpfs, whose pages cannot be "
			  "reclaimed without swap: give a directory on a disk",
			  o.dir);
		return CLI_EXIT_USAGE;
	}
	if ((rc = load_sequence(&o, &seq, &n)))
		return rc;
	if (!mkdtemp(tmpdir)) {
		cli_error("fidelity: cannot make %s: %s", tmpdir,
			  strerror(errno));
		free(seq);
		return CLI_EXIT_FAIL;
	}
	uname(&uts);
	signal(SIGINT, clean_up);
	signal(SIGTERM, clean_up);
	signal(SIGHUP, clean_up);
	rc = write_inputs(tmpdir, &o, seq, n, script, seqfile,
			  sizeof(script));
	memset(res, 0, sizeof(res));
	for (size_t i = 0; !rc && i < o.nlimits; i++) {
		struct limit_result *r = &res[i];
		uint64_t charged[16];
		r->mib = o.limits[i];
		r->limit_pages = (uint64_t)(o.limits[i] * 256.0);
		for (uint64_t k = 0; !rc && k < o.runs; k++) {
			if (!o.json)
				fprintf(stderr, "fidelity: limit %.4g MiB, "
					"run %" PRIu64 "/%" PRIu64 "\n",
					r->mib, k + 1, o.runs);
			rc = kernel_run(&cg, &o, seq, n, r->limit_pages, k,
					&r->runs[k], &charged[k]);
		}
		if (rc)
			break;
		qsort(r->runs, o.runs, sizeof(r->runs[0]), cmp_u64);
		qsort(charged, o.runs, sizeof(charged[0]), cmp_u64);
		r->median = r->runs[o.runs / 2];
		r->charged = charged[o.runs / 2];
		if (r->charged + 1 >= r->limit_pages) {
			cli_error("fidelity: limit %.4g MiB leaves no memory "
				  "for the file (%" PRIu64 " pages charged "
				  "besides it)", r->mib, r->charged);
			rc = CLI_EXIT_FAIL;
			break;
		}
		r->frames = r->limit_pages - r->charged;
		rc = predict(script, seqfile, r);
	}
	if (!rc) {
		if (o.json)
			print_json(&o, res, o.nlimits, uts.release, n);
		else
			print_table(&o, res, o.nlimits, uts.release, n);
	}
	unlink(script);
	unlink(seqfile);
	rmdir(tmpdir);
	free(seq);
	return rc;
}

const struct cli_command cmd_fidelity = {
	.name = "fidelity",
	.summary = "this machine's Linux against --system linux, in a memory "
		   "cgroup",
	.help = fidelity_help,
	.main = fidelity_main,
};
