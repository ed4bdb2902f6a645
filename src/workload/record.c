/*
 * record.c - a real program's memory accesses, from valgrind's Lackey
 * straight into a vmt trace (vmlab record; wlrecord.h).
 *
 *	program under valgrind --tool=lackey --trace-mem=yes
 *	   |  stdout, stderr: untouched, where the user's were
 *	   |  the log: "I  0401ab70,3" / " S 1fff000628,8" / "==PID== ..."
 *	   v
 *	stream (a pipe, or one log file per process image)
 *	   |  whole lines, parsed by wl_lackey_parse as they arrive
 *	   v
 *	batch of struct wl_ref (pid set) --> wl_writer "vmt", zstd --> output
 *
 * Keeping the log apart.  By default valgrind writes its log, and Lackey
 * its trace, to the program's stderr, where the program's own messages
 * would land between the trace lines.  So the log always goes elsewhere:
 *
 * Without follow_forks, to a pipe: --log-fd=N, N the pipe's write end.
 * Only the program itself is traced (--trace-children=no), and the
 * children it forks stay silent (--child-silent-after-fork=yes): after a
 * fork both processes would otherwise write to the one pipe, and nothing
 * in a Lackey line says which process it came from.  The run ends when the
 * pipe reaches its end, or when the program has exited and the pipe holds
 * nothing more (an untraced grandchild may keep the pipe open, but only
 * the program wrote to it).
 *
 * With follow_forks, valgrind offers one way to tell processes apart
 * reliably, and it is the log's destination: --log-file=DIR/%p.%n with
 * --trace-children=yes.  Valgrind expands %p to the pid when it opens the
 * log, and opens it again in every forked child (m_libcprint.c,
 * VG_(logging_atfork_child) re-expands the name after fork), and a traced
 * exec starts a new valgrind that opens its own; so every process image
 * writes a file of its own and lines never mix.  The alternatives do not:
 * with --log-fd every process shares one stream of anonymous lines, and
 * with --log-socket a forked child keeps using its parent's connection.
 * One trap: %n is a counter of the valgrind instance, so it starts again
 * at 1 after an exec, and a process that execs twice opens the same name
 * twice - with O_TRUNC.  Hence each log is opened and unlinked the moment
 * it appears (inotify IN_CREATE): valgrind writes on into the unlinked
 * file, the next open of the name creates a new one, and nothing of the
 * run is ever visible in DIR for long.  vmlab reads each file as it grows
 * and gives back what it has read (FALLOC_FL_PUNCH_HOLE; where the file
 * system cannot, the space comes back when the file is closed), so the
 * disk holds a few megabytes, not the text of the whole run.  A watch on
 * each open log (IN_CLOSE_WRITE) says when its writers are gone: the log
 * is read to its end and closed then, so a build of a thousand processes
 * holds a descriptor and a line of memory for the running ones only (the
 * streams share one read buffer).  The end of the run is known from a
 * "life" pipe whose write end every traced process inherits: when the
 * program has exited and the pipe reads end-of-file, every process has
 * ended and every log is complete.
 *
 * Each Lackey line reaches the log in one write() (VG_(printf) formats
 * into a 512-byte buffer and writes it whole), but a read may still end
 * in the middle of a line: the unfinished tail stays in the stream's
 * buffer until the rest arrives.
 *
 * Pids of the trace are given in the order the process images make their
 * first access: the program is pid 0.
 */
#include "vmlab/wlrecord.h"

#include "vmlab/base.h"
#include "vmlab/wlwriter.h"
#include "vmlab/workload.h"
#include "workload/input.h"
#include "workload/lackey.h"
#include "workload/output.h"
#include "workload/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1u << 20)           /* bytes read from a stream at a time */
#define PUNCH_EVERY (8u << 20)     /* give back read log bytes this often */
#define BATCH 4096                 /* references per wl_writer_put */
#define NO_PID UINT32_MAX

struct stream {
	int fd;              /* -1 once finished and closed */
	int wd;              /* follow: inotify watch for its writers' close */
	int is_file;         /* a log file (follow_forks), not the pipe */
	int ended;           /* no more data will come */
	uint32_t pid;        /* in the trace; NO_PID before the first access */
	uint64_t lineno;     /* lines parsed so far */
	uint64_t offset;     /* bytes read so far */
	uint64_t punched;    /* bytes given back to the file system */
	char *tail;          /* an unfinished last line, kept for the next read */
	size_t tail_len;
	char name[48];       /* for messages */
};

struct recorder {
	const struct wl_record_options *opt;
	struct wl_writer *out;
	pid_t child;
	int child_done, status;
	int life_fd;         /* follow: read end of the life pipe */
	int life_ended;
	int notify_fd;       /* follow: inotify on dir and on each log */
	char dir[PATH_MAX];  /* follow: where valgrind writes the logs */
	struct stream *streams;
	size_t nstreams;
	char *chunk;         /* read buffer shared by the streams */
	uint32_t npids;
	uint64_t accesses;
	size_t nbatch;
	struct wl_ref batch[BATCH];
	double start, last_progress;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --- finding programs ---------------------------------------------------- */

/*
 * Resolve NAME as execvp would: as given if it holds a '/', else the first
 * executable regular file of that name in PATH.  Returns 0 with the path
 * in OUT, or -1 with errno (ENOENT, EACCES, EISDIR).
 */
static int find_program(const char *name, char *out, size_t n)
{
	const char *path = getenv("PATH");
	struct stat st;
	int why = ENOENT;

	if (strchr(name, '/')) {
		if (stat(name, &st) != 0)
			return -1;
		if (S_ISDIR(st.st_mode))
			return errno = EISDIR, -1;
		if (access(name, X_OK) != 0)
			return -1;
		snprintf(out, n, "%s", name);
		return 0;
	}
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t k = strcspn(p, ":");
		snprintf(out, n, "%.*s/%s", (int)k, k ? p : ".", name);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(out, X_OK) == 0)
				return 0;
			why = EACCES;
		}
		p += k + (p[k] == ':');
	}
	return errno = why, -1;
}

/* --- the child ----------------------------------------------------------- */

/* In the child: undo what the parent set for itself, then exec valgrind;
 * on failure, send errno through REPORT and exit 127. */
static _Noreturn void child_exec(const char *valgrind, char **args,
				 int keep_fd, int report)
{
	int e;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	fcntl(keep_fd, F_SETFD, 0); /* inherited by valgrind and the program */
	execv(valgrind, args);
	e = errno;
	ssize_t ignored = write(report, &e, sizeof(e));
	(void)ignored;
	_exit(127);
}

/*
 * Start valgrind on PROGRAM ARGV[1..].  KEEP_FD is the descriptor valgrind
 * and the program inherit (the log pipe, or the life pipe).  Returns 0,
 * or ERR_IO if the exec failed.
 */
static int spawn(struct recorder *r, const char *valgrind,
		 const char *program, char *const argv[], int keep_fd,
		 struct error *err)
{
	char logopt[PATH_MAX + 32];
	size_t n = 0, nargv = 0;
	int report[2], e = 0;

	while (argv[nargv])
		nargv++;
	char **args = xcalloc(nargv + 8, sizeof(*args));
	args[n++] = (char *)"valgrind";
	args[n++] = (char *)"--tool=lackey";
	args[n++] = (char *)"--trace-mem=yes";
	if (r->opt->follow_forks) {
		snprintf(logopt, sizeof(logopt), "--log-file=%s/%%p.%%n", r->dir);
		args[n++] = (char *)"--trace-children=yes";
	} else {
		snprintf(logopt, sizeof(logopt), "--log-fd=%d", keep_fd);
		args[n++] = (char *)"--trace-children=no";
		args[n++] = (char *)"--child-silent-after-fork=yes";
	}
	args[n++] = logopt;
	args[n++] = (char *)program;
	for (size_t i = 1; i < nargv; i++)
		args[n++] = argv[i];
	args[n] = NULL;

	if (pipe2(report, O_CLOEXEC) != 0) {
		free(args);
		return error_set(err, ERR_IO, "pipe: %s", strerror(errno));
	}
	fflush(NULL);
	r->child = fork();
	if (r->child == 0)
		child_exec(valgrind, args, keep_fd, report[1]);
	e = errno;
	free(args);
	close(report[1]);
	if (r->child < 0) {
		close(report[0]);
		return error_set(err, ERR_IO, "fork: %s", strerror(e));
	}
	ssize_t got = read(report[0], &e, sizeof(e));
	close(report[0]);
	if (got == (ssize_t)sizeof(e)) {
		waitpid(r->child, NULL, 0);
		r->child_done = 1;
		return error_set(err, ERR_IO, "cannot run %s: %s", valgrind,
				 strerror(e));
	}
	return 0;
}

/* Has the program (valgrind's first process) exited?  Collects its status. */
static int child_exited(struct recorder *r, int block)
{
	if (!r->child_done &&
	    waitpid(r->child, &r->status, block ? 0 : WNOHANG) == r->child)
		r->child_done = 1;
	return r->child_done;
}

/* --- streams ------------------------------------------------------------- */

static struct stream *stream_add(struct recorder *r, int fd, int is_file,
				 const char *name)
{
	struct stream *s;

	r->streams = xreallocarray(r->streams, r->nstreams + 1,
				   sizeof(*r->streams));
	s = &r->streams[r->nstreams++];
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->wd = -1;
	s->is_file = is_file;
	s->pid = NO_PID;
	snprintf(s->name, sizeof(s->name), "%s", name);
	return s;
}

static void stream_close(struct stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->ended = 1;
	free(s->tail);
	s->tail = NULL;
	s->tail_len = 0;
}

static int flush_batch(struct recorder *r, struct error *err)
{
	int rc = r->nbatch ? wl_writer_put(r->out, r->batch, r->nbatch, err) : 0;

	r->accesses += r->nbatch;
	r->nbatch = 0;
	return rc;
}

/* Parse one line of S into the batch. */
static int parse_line(struct recorder *r, struct stream *s, const char *line,
		      size_t len, struct error *err)
{
	struct wl_fail f;
	int k;

	s->lineno++;
	if (r->nbatch + 2 > BATCH && flush_batch(r, err))
		return -1;
	k = wl_lackey_parse(line, len, &r->batch[r->nbatch], &f);
	if (k < 0) {
		f.hint = NULL; /* the program's output cannot be here */
		return wl_line_fail(s->name, s->lineno, 0, line, len, &f, err);
	}
	if (k > 0 && s->pid == NO_PID)
		s->pid = r->npids++;
	for (int i = 0; i < k; i++)
		r->batch[r->nbatch++].pid = s->pid;
	return 0;
}

/*
 * Parse the whole lines of BUF[0, LEN) (S's tail and what was just read);
 * keep an unfinished last line as S's tail, unless FINAL: at the end of
 * the stream the rest is a line too.
 */
static int parse_buffer(struct recorder *r, struct stream *s, char *buf,
			size_t len, int final, struct error *err)
{
	char *p = buf, *end = buf + len, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (parse_line(r, s, p, (size_t)(nl - p), err))
			return -1;
		p = nl + 1;
	}
	if (final && p < end) {
		if (parse_line(r, s, p, (size_t)(end - p), err))
			return -1;
		p = end;
	}
	size_t keep = (size_t)(end - p);
	if (keep >= WL_LINE_MAX)
		return error_set(err, ERR_INPUT, "%s:%llu: a line longer than "
				 "%d bytes: this is not Lackey's log", s->name,
				 (unsigned long long)s->lineno + 1, WL_LINE_MAX);
	char *tail = keep ? xmalloc(keep) : NULL; /* P may be in s->tail */
	if (keep)
		memcpy(tail, p, keep);
	free(s->tail);
	s->tail = tail;
	s->tail_len = keep;
	return 0;
}

/* Give the bytes of a log file already parsed back to the file system. */
static void punch(struct stream *s)
{
	uint64_t done = (s->offset - s->tail_len) & ~(uint64_t)4095;

	if (!s->is_file || done - s->punched < PUNCH_EVERY)
		return;
	fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		  (off_t)s->punched, (off_t)(done - s->punched));
	s->punched = done; /* where unsupported, closing frees it instead */
}

/*
 * Read what S has now (one chunk, after its tail) and parse it.  Returns
 * the bytes read (0: nothing now, or the pipe's end, which sets
 * s->ended), or -1.
 */
static long stream_pump(struct recorder *r, struct stream *s, struct error *err)
{
	ssize_t n;

	if (s->ended)
		return 0;
	if (s->tail_len)
		memcpy(r->chunk, s->tail, s->tail_len);
	do
		n = read(s->fd, r->chunk + s->tail_len, CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0)
		return error_set(err, ERR_IO, "%s: %s", s->name, strerror(errno));
	if (n == 0) {
		s->ended = !s->is_file;
		return 0;
	}
	s->offset += (uint64_t)n;
	if (parse_buffer(r, s, r->chunk, s->tail_len + (size_t)n, 0, err))
		return -1;
	punch(s);
	return n;
}

/* Read S to its end, parse its last line, and close it. */
static int stream_finish(struct recorder *r, struct stream *s,
			 struct error *err)
{
	long n;

	if (s->fd < 0)
		return 0;
	s->ended = 0;
	while ((n = stream_pump(r, s, err)) > 0)
		;
	if (n < 0 || (s->tail_len &&
		      parse_buffer(r, s, s->tail, s->tail_len, 1, err)))
		return -1;
	stream_close(s);
	return 0;
}

/* --- follow_forks: the log directory ------------------------------------- */

/*
 * Take the log file NAME in the directory: open it, unlink it, and watch
 * for its writers' close (IN_CLOSE_WRITE, on the open file itself): then
 * the log is complete and is read to its end and closed, so a long run of
 * many processes holds few descriptors.  Without the watch (no /proc) the
 * log is finished with the others at the end.
 */
static int take_log(struct recorder *r, const char *name, struct error *err)
{
	char path[PATH_MAX * 2], label[48];
	struct stream *s;
	int fd;

	if (name[0] == '.')
		return 0;
	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 :
		       error_set(err, ERR_IO, "%s: %s", path, strerror(errno));
	unlink(path);
	snprintf(label, sizeof(label), "valgrind log of process %.*s",
		 (int)strcspn(name, "."), name);
	s = stream_add(r, fd, 1, label);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	s->wd = inotify_add_watch(r->notify_fd, path, IN_CLOSE_WRITE);
	return 0;
}

/* The log whose watch is WD has no writer left: finish it. */
static int log_closed(struct recorder *r, int wd, struct error *err)
{
	for (size_t i = 0; i < r->nstreams; i++)
		if (r->streams[i].wd == wd && r->streams[i].fd >= 0)
			return stream_finish(r, &r->streams[i], err);
	return 0;
}

/* Every log file now in the directory (after an inotify overflow, and at
 * the end). */
static int take_all_logs(struct recorder *r, struct error *err)
{
	struct dirent **names;
	int n = scandir(r->dir, &names, NULL, alphasort), rc = 0;

	if (n < 0)
		return error_set(err, ERR_IO, "%s: %s", r->dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		if (rc == 0)
			rc = take_log(r, names[i]->d_name, err);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* New log files, in the order they were created, and logs complete. */
static int take_new_logs(struct recorder *r, struct error *err)
{
	char buf[64 * 1024] __attribute__((aligned(8)));
	ssize_t n;

	while ((n = read(r->notify_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			int rc = 0;
			if (ev->mask & IN_Q_OVERFLOW)
				rc = take_all_logs(r, err);
			else if (ev->mask & IN_CREATE)
				rc = take_log(r, ev->name, err);
			else if (ev->mask & IN_CLOSE_WRITE)
				rc = log_closed(r, ev->wd, err);
			if (rc)
				return rc;
			p += sizeof(*ev) + ev->len;
		}
	}
	return 0;
}

/* Where the logs go: $TMPDIR, else /dev/shm (memory: valgrind's write
 * per line costs less there than on a disk), else /tmp. */
static const char *log_parent(void)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp && *tmp)
		return tmp;
	return access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
}

/* Make the directory and its watch, and the life pipe.  *KEEP_FD is the
 * life pipe's write end, for the child. */
static int follow_setup(struct recorder *r, int *keep_fd, struct error *err)
{
	const char *parent = log_parent();
	int life[2];

	snprintf(r->dir, sizeof(r->dir), "%s/vmlab-record-XXXXXX", parent);
	if (!mkdtemp(r->dir)) {
		int e = errno;
		r->dir[0] = '\0';
		return error_set(err, ERR_IO, "cannot make a directory for "
				 "valgrind's logs in %s: %s", parent,
				 strerror(e));
	}
	r->notify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (r->notify_fd < 0 ||
	    inotify_add_watch(r->notify_fd, r->dir, IN_CREATE) < 0)
		return error_set(err, ERR_IO, "inotify on %s: %s", r->dir,
				 strerror(errno));
	if (pipe2(life, O_CLOEXEC) != 0)
		return error_set(err, ERR_IO, "pipe: %s", strerror(errno));
	r->life_fd = life[0];
	*keep_fd = life[1];
	return 0;
}

/*
 * Has every traced process ended (the life pipe reads end-of-file)?
 * Waits up to TIMEOUT_MS for that or for a new log file.
 */
static int life_over(struct recorder *r, int timeout_ms)
{
	struct pollfd pf[2] = { { .fd = r->notify_fd, .events = POLLIN },
				{ .fd = r->life_fd, .events = POLLIN } };
	char c;

	if (poll(pf, r->life_ended ? 1 : 2, timeout_ms) > 0 && !r->life_ended &&
	    (pf[1].revents & (POLLIN | POLLHUP)) && read(r->life_fd, &c, 1) == 0)
		r->life_ended = 1;
	return r->life_ended;
}

/* Remove the log directory and anything still in it. */
static void remove_dir(const char *dir)
{
	struct dirent **names;
	char path[PATH_MAX * 2];
	int n = scandir(dir, &names, NULL, NULL);

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.')
			unlink(path);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	rmdir(dir);
}

/* --- the run ------------------------------------------------------------- */

static void progress(struct recorder *r, int done)
{
	double t = now_seconds();

	if (!r->opt->progress || (!done && t - r->last_progress < 0.5))
		return;
	r->last_progress = t;
	r->opt->progress(r->opt->progress_arg, r->accesses + r->nbatch,
			 t - r->start, done);
}

/*
 * After a round that read little, wait a moment before the next: Lackey
 * writes every line with a write() of its own, and a reader woken for
 * each would spend more than valgrind does.  2 ms of a busy trace is well
 * under the pipe's 1 MiB.
 */
static void nap(long bytes)
{
	struct timespec ts = { 0, 2000000 };

	if (bytes > 0 && bytes < (long)CHUNK / 4)
		nanosleep(&ts, NULL);
}

/* One round over every stream; returns the bytes read, or -1. */
static long pump_all(struct recorder *r, struct error *err)
{
	long total = 0;

	if (r->opt->follow_forks && take_new_logs(r, err))
		return -1;
	for (size_t i = 0; i < r->nstreams; i++) {
		long n = stream_pump(r, &r->streams[i], err);
		if (n < 0)
			return -1;
		total += n;
	}
	progress(r, 0);
	return total;
}

/* Without follow_forks: until the pipe ends, or the program has exited
 * and the pipe is empty. */
static int run_pipe(struct recorder *r, struct error *err)
{
	struct stream *s = &r->streams[0];
	struct pollfd pf = { .fd = s->fd, .events = POLLIN };

	for (;;) {
		long n = pump_all(r, err);
		if (n < 0)
			return -1;
		nap(n);
		if (n > 0)
			continue;
		if (s->ended || child_exited(r, 0))
			break;
		poll(&pf, 1, 100);
	}
	child_exited(r, 1);
	return stream_finish(r, s, err);
}

/* With follow_forks: until the program has exited and every process that
 * inherited the life pipe has too; then every log to its end. */
static int run_logs(struct recorder *r, struct error *err)
{
	for (;;) {
		long n = pump_all(r, err);
		if (n < 0)
			return -1;
		nap(n);
		if (n > 0)
			continue;
		if (life_over(r, 10) && child_exited(r, 0))
			break;
	}
	if (take_all_logs(r, err) || take_new_logs(r, err))
		return -1;
	for (size_t i = 0; i < r->nstreams; i++)
		if (stream_finish(r, &r->streams[i], err))
			return -1;
	return 0;
}

static void result(struct recorder *r, struct wl_record_result *res)
{
	memset(res, 0, sizeof(*res));
	res->accesses = r->accesses;
	res->processes = r->npids;
	res->seconds = now_seconds() - r->start;
	if (WIFEXITED(r->status)) {
		res->exited = 1;
		res->exit_status = WEXITSTATUS(r->status);
	} else if (WIFSIGNALED(r->status)) {
		res->signal = WTERMSIG(r->status);
	}
}

static void cleanup(struct recorder *r)
{
	if (r->child > 0 && !r->child_done) {
		kill(r->child, SIGKILL);
		child_exited(r, 1);
	}
	for (size_t i = 0; i < r->nstreams; i++)
		stream_close(&r->streams[i]);
	free(r->streams);
	free(r->chunk);
	if (r->life_fd >= 0)
		close(r->life_fd);
	if (r->notify_fd >= 0)
		close(r->notify_fd);
	if (r->dir[0])
		remove_dir(r->dir);
}

/* Open the log channel and start valgrind. */
static int start(struct recorder *r, const char *valgrind, const char *program,
		 char *const argv[], struct error *err)
{
	int keep_fd = -1, p[2], rc;

	if (r->opt->follow_forks) {
		rc = follow_setup(r, &keep_fd, err);
	} else {
		rc = pipe2(p, O_CLOEXEC) ? error_set(err, ERR_IO, "pipe: %s",
						    strerror(errno)) : 0;
		if (rc == 0) {
			fcntl(p[0], F_SETFL, O_NONBLOCK);
			fcntl(p[0], F_SETPIPE_SZ, 1 << 20); /* fewer wake-ups */
			stream_add(r, p[0], 0, "valgrind log");
			keep_fd = p[1];
		}
	}
	if (rc == 0)
		rc = spawn(r, valgrind, program, argv, keep_fd, err);
	if (keep_fd >= 0)
		close(keep_fd); /* only the child's copy keeps it open */
	return rc;
}

static int open_output(struct recorder *r, struct error *err)
{
	struct wl_writer_options wo = {
		.unit = WL_UNIT_BYTES,
		.page_size = r->opt->page_size,
		.compress = WL_COMPRESS_ZSTD,
	};

	return wl_writer_open("vmt", r->opt->output, &wo, &r->out, err);
}

int wl_record(char *const argv[], const struct wl_record_options *opt,
	      struct wl_record_result *res, struct error *err)
{
	struct recorder *r = xcalloc(1, sizeof(*r));
	char valgrind[PATH_MAX], program[PATH_MAX];
	int rc;

	r->opt = opt;
	r->life_fd = r->notify_fd = -1;
	r->chunk = xmalloc(CHUNK + WL_LINE_MAX);
	if (find_program("valgrind", valgrind, sizeof(valgrind))) {
		rc = error_set(err, ERR_IO, "valgrind is not installed (not "
			       "found in PATH); vmlab record runs the program "
			       "under it (Debian: apt-get install valgrind, or "
			       "make deps)");
		goto out;
	}
	if (find_program(argv[0], program, sizeof(program))) {
		rc = error_set(err, ERR_INPUT, "cannot run %s: %s", argv[0],
			       strerror(errno));
		goto out;
	}
	rc = open_output(r, err);
	if (rc)
		goto out;
	r->start = r->last_progress = now_seconds();
	rc = start(r, valgrind, program, argv, err);
	if (rc == 0)
		rc = opt->follow_forks ? run_logs(r, err) : run_pipe(r, err);
	if (rc == 0)
		rc = flush_batch(r, err);
	if (rc == 0 && r->accesses == 0)
		rc = error_set(err, ERR_INPUT, "%s did not run under valgrind "
			       "(no access recorded; valgrind's message, if "
			       "any, is above)", argv[0]);
	if (rc == 0) {
		progress(r, 1);
		result(r, res);
	}
out:
	cleanup(r);
	if (r->out) {
		struct error ignored;
		int crc = wl_writer_close(r->out, rc != 0, rc ? &ignored : err);
		rc = rc ? rc : crc;
	}
	free(r);
	return rc < 0 ? rc : 0;
}
