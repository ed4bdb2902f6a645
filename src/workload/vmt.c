/*
 * vmt.c - vmlab's own binary trace format, built to be decoded at hundreds
 * of millions of references per second and to make truncation and
 * corruption detectable.  docs/formats.md gives the layout byte by byte;
 * in short:
 *
 *	header     16 bytes: magic 89 'V' 'M' 'T' 0d 0a 1a 0a, version 1,
 *	           unit (0 bytes, 1 pages), log2 page size (0 = none),
 *	           flags 0, 4 reserved zero bytes
 *	reference  a control byte, an optional size varint, then a 0, 1, 2
 *	           or 4-byte zigzag address delta
 *	directive  a control byte with kind 3: end (+ the reference count),
 *	           pid (+ varint), set register (+ 8-byte address)
 *
 *	control byte   7     6 5    4 3 2    1 0
 *	               S     len    reg      kind
 *
 * kind 0 read, 1 write, 2 instruction fetch.  The address is a delta from
 * one of eight address registers (reg), which then holds the new address:
 * the writer keeps code, stack and heap streams in different registers,
 * so most deltas fit in 0 to 2 bytes (len 0, 1, 2, 3 = 0, 1, 2, 4 bytes).
 * S says a new access size follows (LEB128); size and pid persist until
 * changed, starting at size 1, pid 0.  An address more than 2^31 from
 * every register is loaded by a set-register directive first.
 *
 * Decoding: while at least 32 bytes are buffered (more than the longest
 * record), a reference without S is decoded with one unaligned 8-byte
 * load masked to its length: no per-byte loop, no bounds check.  Anything
 * else, and the last bytes of the buffer, go through a careful path that
 * checks every byte.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/input.h"
#include "workload/output.h"
#include "workload/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMT_MAGIC "\x89VMT\r\n\x1a\n"
#define VMT_HEADER 16
#define VMT_VERSION 1
#define VMT_NREG 8
#define VMT_FAST 32 /* bytes buffered for the unchecked path */
#define VMT_MAX_OUT 32 /* longest output for one reference: pid directive
			  (6) + set register (9) + control, size, delta (10) */

#define CTRL_KIND(c) ((c) & 3u)
#define CTRL_REG(c) (((c) >> 2) & 7u)
#define CTRL_LEN(c) (((c) >> 5) & 3u)
#define CTRL_SIZE 0x80u
#define CTRL_IS_PLAIN(c) ((c) < 0x80u && CTRL_KIND(c) != 3u)

/* Directives: kind 3, opcode in bits 2-7. */
#define DIR_END 0x03u     /* + 8-byte reference count */
#define DIR_PID 0x07u     /* + varint pid */
#define DIR_SETREG 0x23u  /* + 4 * reg; + 8-byte address */
#define IS_SETREG(c) ((c) >= DIR_SETREG && (c) <= 0x3fu && CTRL_KIND(c) == 3u)

static const uint8_t len_bytes[4] = { 0, 1, 2, 4 };
static const uint64_t len_mask[4] = { 0, 0xffull, 0xffffull, 0xffffffffull };

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t unzigzag(uint64_t z)
{
	return (z >> 1) ^ (0 - (z & 1));
}

static inline uint64_t zigzag(uint64_t d)
{
	return (d << 1) ^ (uint64_t)((int64_t)d >> 63);
}

static int vmt_probe(const unsigned char *s, size_t len)
{
	return len >= 8 && memcmp(s, VMT_MAGIC, 8) == 0 ? 100 : 0;
}

struct vmt {
	struct wl_input *in;
	uint64_t reg[VMT_NREG];
	uint32_t pid, size;
	uint64_t count; /* references decoded */
	int ended;
	int pages;      /* unit is pages: every size must be 1 */
};

static int read_header(struct workload *w, struct vmt *v, struct error *err)
{
	const unsigned char *h;
	size_t len;
	int rc = wl_input_peek(v->in, VMT_HEADER, &h, &len, err);
	const char *name = v->in->name;

	if (rc)
		return rc;
	if (len < 8 || memcmp(h, VMT_MAGIC, 8) != 0)
		return error_set(err, ERR_INPUT,
				    "%s: not a vmt file (it does not begin with "
				    "the vmt magic bytes 89 56 4d 54 0d 0a 1a 0a)",
				    name);
	if (len < VMT_HEADER)
		return error_set(err, ERR_INPUT,
				    "%s: truncated vmt header: %zu of %d bytes",
				    name, len, VMT_HEADER);
	if (h[8] != VMT_VERSION)
		return error_set(err, ERR_INPUT,
				    "%s: vmt version %u is not supported (this "
				    "vmlab reads version %d)", name, h[8],
				    VMT_VERSION);
	if (h[9] > 1)
		return error_set(err, ERR_INPUT,
				    "%s: header byte 9: unit %u is neither 0 "
				    "(bytes) nor 1 (pages)", name, h[9]);
	if (h[10] > 31)
		return error_set(err, ERR_INPUT,
				    "%s: header byte 10: page-size exponent %u is "
				    "out of range (0 to 31)", name, h[10]);
	for (int i = 11; i < VMT_HEADER; i++)
		if (h[i])
			return error_set(err, ERR_INPUT,
					    "%s: header byte %d is %u; flags and "
					    "reserved bytes must be 0", name, i, h[i]);
	w->unit = h[9] ? WL_UNIT_PAGES : WL_UNIT_BYTES;
	v->pages = h[9];
	w->page_size = h[10] ? (uint32_t)1 << h[10] : 0;
	wl_input_consume(v->in, VMT_HEADER);
	memset(v->reg, 0, sizeof(v->reg));
	v->pid = 0;
	v->size = 1;
	v->count = 0;
	v->ended = 0;
	return 0;
}

static int vmt_open(struct workload *w, struct wl_input *in,
		    const struct workload_options *opt, struct error *err)
{
	struct vmt *v = xcalloc(1, sizeof(*v));

	v->in = in;
	int rc = read_header(w, v, err);
	if (rc) {
		free(v);
		return rc;
	}
	w->priv = v;
	return 0;
}

static int corrupt(struct vmt *v, uint64_t off, struct error *err,
		   const char *what)
{
	return error_set(err, ERR_INPUT,
			    "%s: byte offset %llu (after %llu references): %s",
			    v->in->name, (unsigned long long)off,
			    (unsigned long long)v->count, what);
}

static int truncated(struct vmt *v, struct error *err)
{
	return error_set(err, ERR_INPUT,
			    "%s: truncated: the file ends at byte offset %llu "
			    "after %llu references, without the vmt end marker",
			    v->in->name,
			    (unsigned long long)(wl_input_offset(v->in) +
						 wl_input_avail(v->in)),
			    (unsigned long long)v->count);
}

/* LEB128 of at most 5 bytes (a uint32) at *PP, before END.  Returns 0,
 * -1 if the bytes run out, -2 if it is malformed. */
static int varint32(const unsigned char **pp, const unsigned char *end,
		    uint32_t *out)
{
	const unsigned char *p = *pp;
	uint64_t v = 0;

	for (int shift = 0; shift < 35; shift += 7) {
		if (p == end)
			return -1;
		unsigned char b = *p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (v > UINT32_MAX)
				return -2;
			*pp = p;
			*out = (uint32_t)v;
			return 0;
		}
	}
	return -2;
}

/* The end marker is at the input: check the count and that nothing
 * follows. */
static int read_end(struct vmt *v, struct error *err)
{
	struct wl_input *in = v->in;
	uint64_t off = wl_input_offset(in);
	char msg[160];

	if (wl_input_avail(in) < 9)
		return truncated(v, err);
	uint64_t n = load64(wl_input_data(in) + 1);
	if (n != v->count) {
		snprintf(msg, sizeof(msg), "the end marker counts %llu references "
			 "but the file holds %llu (corrupt file)",
			 (unsigned long long)n, (unsigned long long)v->count);
		return corrupt(v, off, err, msg);
	}
	wl_input_consume(in, 9);
	int rc = wl_input_fill(in, 1, err);
	if (rc)
		return rc;
	if (wl_input_avail(in))
		return corrupt(v, off + 9, err, "data after the end marker");
	v->ended = 1;
	return 0;
}

/* A directive at the input (kind 3).  Returns 0 or negative. */
static int directive(struct vmt *v, struct error *err)
{
	struct wl_input *in = v->in;
	const unsigned char *start = wl_input_data(in), *p = start + 1;
	const unsigned char *end = start + wl_input_avail(in);
	unsigned c = start[0];
	char msg[64];

	if (c == DIR_END)
		return read_end(v, err);
	if (c == DIR_PID) {
		int rc = varint32(&p, end, &v->pid);
		if (rc == -1)
			return truncated(v, err);
		if (rc)
			return corrupt(v, wl_input_offset(in), err,
				       "pid varint longer than 32 bits");
	} else if (IS_SETREG(c)) {
		if (end - p < 8)
			return truncated(v, err);
		v->reg[(c - DIR_SETREG) >> 2] = load64(p);
		p += 8;
	} else {
		snprintf(msg, sizeof(msg), "unknown directive byte 0x%02x", c);
		return corrupt(v, wl_input_offset(in), err, msg);
	}
	wl_input_consume(in, (size_t)(p - start));
	return 0;
}

/*
 * One record at the input with every byte checked; the input holds at
 * least VMT_FAST bytes or all that remains.  Returns 1 with *R filled, 0
 * after a directive, or negative.
 */
static int slow_record(struct vmt *v, struct wl_ref *r, struct error *err)
{
	struct wl_input *in = v->in;
	const unsigned char *start = wl_input_data(in), *p = start;
	const unsigned char *end = p + wl_input_avail(in);

	if (p == end)
		return truncated(v, err);
	unsigned c = *p++;
	if (CTRL_KIND(c) == 3)
		return directive(v, err);
	if (c & CTRL_SIZE) {
		int rc = varint32(&p, end, &v->size);
		if (rc == -1)
			return truncated(v, err);
		if (rc || v->size == 0 || (v->pages && v->size != 1))
			return corrupt(v, wl_input_offset(in), err, rc ?
				       "size varint longer than 32 bits" :
				       v->size == 0 ? "access size 0" :
				       "access size other than 1 in a file of page "
				       "numbers");
	}
	unsigned nb = len_bytes[CTRL_LEN(c)];
	if ((size_t)(end - p) < nb)
		return truncated(v, err);
	uint64_t z = 0;
	for (unsigned i = nb; i-- > 0;)
		z = (z << 8) | p[i];
	p += nb;
	uint64_t a = v->reg[CTRL_REG(c)] + unzigzag(z);
	v->reg[CTRL_REG(c)] = a;
	r->vaddr = a;
	r->pid = v->pid;
	r->size = v->size;
	r->kind = (uint8_t)CTRL_KIND(c);
	v->count++;
	wl_input_consume(in, (size_t)(p - start));
	return 1;
}

static long vmt_next(struct workload *w, struct wl_ref *buf, size_t cap,
		     struct error *err)
{
	struct vmt *v = w->priv;
	struct wl_input *in = v->in;
	size_t n = 0;

	while (n < cap && !v->ended) {
		/* Fast path: plain references while VMT_FAST bytes remain. */
		const unsigned char *start = wl_input_data(in), *p = start;
		size_t avail = wl_input_avail(in);
		const unsigned char *stop = avail >= VMT_FAST ?
					    start + avail - VMT_FAST + 1 : start;
		uint64_t *reg = v->reg;
		uint32_t pid = v->pid, size = v->size;
		size_t n0 = n;
		while (n < cap && p < stop && CTRL_IS_PLAIN(*p)) {
			unsigned c = *p, len = CTRL_LEN(c);
			uint64_t z = load64(p + 1) & len_mask[len];
			p += 1 + len_bytes[len];
			uint64_t a = reg[CTRL_REG(c)] + unzigzag(z);
			reg[CTRL_REG(c)] = a;
			buf[n].vaddr = a;
			buf[n].pid = pid;
			buf[n].size = size;
			buf[n].kind = (uint8_t)CTRL_KIND(c);
			n++;
		}
		v->count += n - n0;
		wl_input_consume(in, (size_t)(p - start));
		if (n == cap)
			break;
		if (wl_input_avail(in) < VMT_FAST) {
			int rc = wl_input_fill(in, VMT_FAST, err);
			if (rc)
				return rc;
			if (wl_input_avail(in) >= VMT_FAST)
				continue; /* back to the fast path */
		}
		/* One record the careful way (size, directive, the tail). */
		int rc = slow_record(v, &buf[n], err);
		if (rc < 0)
			return rc;
		n += (size_t)rc;
	}
	return (long)n;
}

static int vmt_rewind(struct workload *w, struct error *err)
{
	struct vmt *v = w->priv;
	int rc = wl_input_rewind(v->in, err);

	return rc ? rc : read_header(w, v, err);
}

static void vmt_close(struct workload *w)
{
	struct vmt *v = w->priv;

	if (!v)
		return;
	wl_input_close(v->in);
	free(v);
	w->priv = NULL;
}

const struct workload_ops wl_format_vmt = {
	.name = "vmt",
	.summary = "vmlab's binary trace: pid, kind, 64-bit address, size; "
		   "compact, fast to read",
	.probe = vmt_probe,
	.open_input = vmt_open,
	.next = vmt_next,
	.rewind = vmt_rewind,
	.close = vmt_close,
};

/*
 * Writer.  The register for each address: the one needing the shortest
 * delta, the smaller delta among equals; among registers needing 4 bytes,
 * the least recently used, so that a jump to a new region does not take
 * the register of a stream still in use.  When every register is more than
 * 2^31 away, the least recently used one is set outright.
 */

struct vmt_writer {
	uint64_t reg[VMT_NREG];
	uint64_t used[VMT_NREG]; /* when each register was last used */
	uint32_t pid, size;
	uint64_t count;
};

/* Length code for zigzag delta Z; 4 if it needs more than 4 bytes. */
static unsigned len_code(uint64_t z)
{
	return z == 0 ? 0 : z <= 0xff ? 1 : z <= 0xffff ? 2 :
	       z <= 0xffffffffull ? 3 : 4;
}

static int vmt_begin(struct wl_writer *w, struct error *err)
{
	struct vmt_writer *vw = xcalloc(1, sizeof(*vw));
	unsigned char h[VMT_HEADER] = { 0 };

	vw->size = 1;
	w->priv = vw;
	memcpy(h, VMT_MAGIC, 8);
	h[8] = VMT_VERSION;
	h[9] = w->unit == WL_UNIT_PAGES;
	h[10] = (unsigned char)(w->page_size ? w->page_shift : 0);
	wl_output_write(w->out, h, sizeof(h));
	return 0;
}

static size_t put_varint(unsigned char *p, uint32_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

static void put_le(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned b = 0; b < n; b++)
		p[b] = (unsigned char)(v >> (8 * b));
}

static void vmt_put_one(struct vmt_writer *vw, struct wl_output *out,
			const struct wl_ref *r)
{
	unsigned best = 0, best_len = 5;
	uint64_t best_z = 0;
	uint32_t size = r->size ? r->size : 1;
	unsigned char *p = wl_output_space(out, VMT_MAX_OUT);
	size_t k = 0;

	ASSERT(r->kind <= REF_EXEC, "kind %u", r->kind);
	for (unsigned i = 0; i < VMT_NREG; i++) {
		uint64_t z = zigzag(r->vaddr - vw->reg[i]);
		unsigned l = len_code(z);
		if (l < best_len || (l == best_len && (l < 3 ? z < best_z :
				     vw->used[i] < vw->used[best]))) {
			best = i;
			best_len = l;
			best_z = z;
		}
	}
	if (r->pid != vw->pid) {
		p[k++] = DIR_PID;
		k += put_varint(p + k, r->pid);
		vw->pid = r->pid;
	}
	if (best_len == 4) { /* too far from every register: set one */
		for (unsigned i = 0; i < VMT_NREG; i++)
			if (vw->used[i] < vw->used[best])
				best = i;
		p[k++] = (unsigned char)(DIR_SETREG + 4 * best);
		put_le(p + k, r->vaddr, 8);
		k += 8;
		best_len = 0;
		best_z = 0;
	}
	unsigned c = r->kind | best << 2 | best_len << 5;
	size_t ctrl = k++;
	if (size != vw->size) {
		c |= CTRL_SIZE;
		k += put_varint(p + k, size);
		vw->size = size;
	}
	p[ctrl] = (unsigned char)c;
	put_le(p + k, best_z, len_bytes[best_len]);
	k += len_bytes[best_len];
	wl_output_advance(out, k);
	vw->reg[best] = r->vaddr;
	vw->used[best] = ++vw->count;
}

static void vmt_put(struct wl_writer *w, const struct wl_ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vmt_put_one(w->priv, w->out, &r[i]);
}

static int vmt_finish(struct wl_writer *w, struct error *err)
{
	struct vmt_writer *vw = w->priv;
	unsigned char *p = wl_output_space(w->out, 9);

	p[0] = DIR_END;
	put_le(p + 1, vw->count, 8);
	wl_output_advance(w->out, 9);
	return 0;
}

static void vmt_free(struct wl_writer *w)
{
	free(w->priv);
	w->priv = NULL;
}

const struct wl_writer_ops wl_writer_vmt = {
	.name = "vmt",
	.unit = WL_UNIT_BYTES,
	.caps = WL_CAN_WRITE | WL_CAN_EXEC | WL_CAN_PID | WL_CAN_SIZE |
		WL_ANY_UNIT | WL_BINARY,
	.begin = vmt_begin,
	.put = vmt_put,
	.finish = vmt_finish,
	.free = vmt_free,
};
