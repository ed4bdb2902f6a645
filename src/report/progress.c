/*
 * progress.c - progress lines on standard error (see progress.h).
 *
 * State: the units done, when counting started and when the last line
 * was written.  An update writes only when `interval` seconds have passed
 * since the last line, so a caller may report every batch at no real
 * cost (one clock read).  The rate is done / elapsed; the time left is
 * (total - done) / rate, shown once a rate is known.
 */
#include "vmlab/progress.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* 12345678 -> "12.3M"; 1.96 -> "2.0", 0.375 -> "0.38" (a sweep of long
 * runs does less than one a second: "0/s" would say it is stuck). */
static void human(double v, char *buf, size_t n)
{
	if (v >= 1e9)
		snprintf(buf, n, "%.1fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, n, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, n, "%.1fk", v / 1e3);
	else if (v < 1 && v > 0)
		snprintf(buf, n, "%.2g", v);
	else if (v < 10 && v != floor(v))
		snprintf(buf, n, "%.1f", v);
	else
		snprintf(buf, n, "%.0f", v);
}

static void clock_text(double s, char *buf, size_t n)
{
	unsigned long t = s > 0 && s < 1e9 ? (unsigned long)llround(s) : 0;

	if (t >= 3600)
		snprintf(buf, n, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60,
			 t % 60);
	else
		snprintf(buf, n, "%lu:%02lu", t / 60, t % 60);
}

void progress_start(struct progress *p, enum progress_mode mode,
		    const char *what, uint64_t total)
{
	const char *iv = getenv("VMLAB_PROGRESS_INTERVAL");
	char *end;

	p->out = stderr;
	p->tty = isatty(fileno(stderr));
	p->on = mode == PROGRESS_ON || (mode == PROGRESS_AUTO && p->tty);
	p->printed = 0;
	p->what = what;
	p->total = total;
	p->done = 0;
	p->start = p->last = now_seconds();
	p->interval = p->tty ? 0.25 : 1.0;
	if (iv && *iv) {
		double v = strtod(iv, &end);
		if (!*end && v >= 0)
			p->interval = v;
	}
	pthread_mutex_init(&p->lock, NULL);
}

/* Write the line for the current state (the caller holds the lock). */
static void show(struct progress *p, double t, int final)
{
	double el = t - p->start, rate = el > 0 ? (double)p->done / el : 0;
	char done[32], r[32], left[32];

	human((double)p->done, done, sizeof(done));
	human(rate, r, sizeof(r));
	if (p->tty)
		fputs("\r\033[K", p->out);
	fprintf(p->out, "vmlab: %s %s, %s/s", done, p->what, r);
	if (final) {
		clock_text(el, left, sizeof(left));
		fprintf(p->out, ", done in %s", left);
	} else if (p->total) {
		fprintf(p->out, ", %.0f%%", 100.0 * (double)p->done /
					     (double)p->total);
		if (rate > 0 && p->done <= p->total) {
			clock_text((double)(p->total - p->done) / rate, left,
				   sizeof(left));
			fprintf(p->out, ", %s left", left);
		}
	} else {
		clock_text(el, left, sizeof(left));
		fprintf(p->out, ", %s", left);
	}
	if (!p->tty || final)
		fputc('\n', p->out);
	fflush(p->out);
	p->printed = 1;
	p->last = t;
}

void progress_set(struct progress *p, uint64_t done)
{
	if (!p || !p->on || pthread_mutex_trylock(&p->lock) != 0)
		return;
	if (done > p->done)
		p->done = done;
	double t = now_seconds();
	if (t - p->last >= p->interval)
		show(p, t, 0);
	pthread_mutex_unlock(&p->lock);
}

void progress_hook(void *arg, uint64_t done)
{
	progress_set(arg, done);
}

void progress_end(struct progress *p)
{
	if (p->on) {
		pthread_mutex_lock(&p->lock);
		show(p, now_seconds(), 1);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_destroy(&p->lock);
}
