/*
 * script.c - workload scripts: from text to the flat struct script of
 * include/vmlab/script.h.  The format is documented in docs/formats.md
 * ("Workload scripts").
 *
 * The parser reads one line at a time, splits it into words (blanks
 * separate them; a word that begins with '#' starts a comment) and
 * dispatches on the first word through one of three tables, whose
 * handlers append to the script's arrays:
 *
 *	top level   file  shm  program  spawn  page-size
 *	layout      text  data  bss  heap  stack  map  shm
 *	            (inside a program, before its first event)
 *	events      R  W  X  compute  io  fork  exec  exit  wait  mmap
 *	            munmap  brk  replay  repeat  end
 *
 * Blocks.  `fork` without a program and `repeat N` open a block; `end`
 * closes the innermost one by appending an OP_END and patching the
 * opener's `end`, or, when no block is open, ends the program.  Open
 * blocks are a stack of op indices at most DEPTH_MAX deep, so nothing
 * recurses:
 *
 *	ops:  ... [FORK end=k+1] [W] [EXIT] [END start=f] [R] ...
 *	            f                        k
 *
 * A block (or a body) in which an `exit` or an `exec` has run can only
 * end: an event after it would never run, so it is refused.  A repeat
 * runs at least once, so a repeat whose block cannot go on leaves its
 * own block unable to go on too; a fork's block is the child's, and the
 * parent goes on after it.
 *
 * Names.  Files, segments and programs may be used before they are
 * declared, so a use records a pending reference (the name, its line, and
 * which field of which op, region or spawn it fills).  After the last
 * line the references are resolved, in the order they were met, through
 * one hash table per name space.  The regions of `mmap` ops are built in
 * an array of their own and appended after every layout, so that each
 * program's layout stays one contiguous range of regions[].
 *
 * Checks come in three passes: while reading (words, keys, ranges,
 * blocks), after the last line (open blocks, no spawn, names, file
 * bounds), then the layouts (script_check_layout, script_layout.c, at
 * the script's page size).  Every failure is "PATH:LINE: expected ..., found ..." with
 * ERR_USAGE (a script is a program the user wrote: like a command line
 * that cannot be understood, it exits 2).  Any bytes are valid input to the parser: it reads only
 * within TEXT[0..LEN), copies a word before handing it to a C string
 * function (a word holding a NUL is refused), and bounds every count and
 * product it computes (fuzz/fuzz_script.c holds it to that).
 */
#include "vmlab/script.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/workload.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 64          /* blocks open at once */
#define WORDS_MAX 32          /* words on a line */
#define NAME_LEN_MAX 64
#define PAGES_MAX ((uint64_t)1 << 40)
#define TIME_MAX 1000000000000000ull /* 10^15 ns, about 11.6 days */
#define TICKETS_MAX 1000000
#define KEYS_MAX 6

extern const struct workload_ops wl_format_script;

struct word {
	const char *s;
	size_t n;
};

/* Name spaces and the fields a pending reference fills. */
enum space { SPACE_PROGRAM, SPACE_FILE, SPACE_SHM, NSPACES };
enum owner { OWNER_OP, OWNER_REGION, OWNER_MAP, OWNER_SPAWN };

struct pending {
	char *name;
	uint32_t line;
	uint32_t index;  /* into ops[], regions[], maps[] or spawns[] */
	uint8_t space;   /* enum space */
	uint8_t owner;   /* enum owner */
};

/* Open addressing, linear probing, at most half full. */
struct name_slot {
	const char *name; /* owned by the file, segment or program */
	uint32_t index;
};

struct names {
	struct name_slot *slot;
	uint32_t cap, count;
};

struct parser {
	struct script *s;
	struct error *err;
	const char *path;
	size_t dirlen;           /* path[0..dirlen): the script's directory */
	uint32_t line;           /* number of the line being read */
	struct word w[WORDS_MAX];
	int nw;
	char quoted[2][112];     /* words quoted for a message */
	uint32_t cap_files, cap_shms, cap_programs, cap_regions, cap_ops,
		 cap_spawns, cap_maps, cap_pending;
	struct script_region *maps; /* regions of mmap ops */
	uint32_t nmaps;
	struct pending *pending;
	uint32_t npending;
	struct names names[NSPACES];
	uint32_t page_size_line; /* 0: no page-size line yet */
	uint32_t prog;           /* program being read, or SCRIPT_NONE */
	int in_body;             /* it has had an event */
	int depth;               /* blocks open */
	uint32_t open[DEPTH_MAX]; /* the ops that opened them */
	uint8_t stuck[DEPTH_MAX + 1]; /* an exit or exec ran at this depth */
};

static const char *const space_name[] = {
	[SPACE_PROGRAM] = "program", [SPACE_FILE] = "file",
	[SPACE_SHM] = "segment",
};

/* Messages. */

static int vfail(struct parser *ps, uint32_t line, const char *fmt,
		 va_list ap)
{
	char msg[400];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return error_set(ps->err, ERR_USAGE, "%s:%lu: %s", ps->path,
			 (unsigned long)line, msg);
}

static int fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int rc = vfail(ps, ps->line, fmt, ap);
	va_end(ap);
	return rc;
}

static int fail_at(struct parser *ps, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct parser *ps, uint32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int rc = vfail(ps, line, fmt, ap);
	va_end(ap);
	return rc;
}

/* 'text' in BUF: bytes that are not printable ASCII as \xNN, at most 40
 * bytes of S shown. */
static const char *quote(char *buf, size_t cap, const char *s, size_t n)
{
	size_t used = 1, i;

	buf[0] = '\'';
	for (i = 0; i < n && i < 40 && used + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
			buf[used++] = (char)c;
		else
			used += (size_t)snprintf(buf + used, cap - used,
						 "\\x%02x", c);
	}
	snprintf(buf + used, cap - used, "%s'", i < n ? "..." : "");
	return buf;
}

/* Word I of the line quoted for a message, or "end of line". */
static const char *found(struct parser *ps, int i)
{
	if (i >= ps->nw)
		return "end of line";
	return quote(ps->quoted[0], sizeof(ps->quoted[0]), ps->w[i].s,
		     ps->w[i].n);
}

/* Words. */

static int word_is(const struct word *w, const char *lit)
{
	size_t n = strlen(lit);

	return w->n == n && memcmp(w->s, lit, n) == 0;
}

/* W as a C string in BUF; -1 if it is longer than CAP - 1 or holds a
 * NUL (which a C string would cut short). */
static int word_cstr(const struct word *w, char *buf, size_t cap)
{
	if (w->n >= cap || memchr(w->s, '\0', w->n))
		return -1;
	memcpy(buf, w->s, w->n);
	buf[w->n] = '\0';
	return 0;
}

/* Decimal or 0x hexadecimal. */
static int word_u64(const struct word *w, uint64_t *v)
{
	char buf[40];

	return word_cstr(w, buf, sizeof(buf)) ? -1 : parse_u64(buf, v);
}

/* A number of bytes: as word_u64, or decimal with k/m/g/t. */
static int word_size(const struct word *w, uint64_t *v)
{
	char buf[40];

	if (word_cstr(w, buf, sizeof(buf)))
		return -1;
	return parse_u64(buf, v) && parse_size(buf, v) ? -1 : 0;
}

static int word_i64(const struct word *w, int64_t *v)
{
	char buf[40];

	return word_cstr(w, buf, sizeof(buf)) ? -1 : parse_i64(buf, v);
}

/* Decimal nanoseconds, or with a unit ns, us, ms or s. */
static int word_time(const struct word *w, uint64_t *v)
{
	static const struct {
		const char *unit;
		uint64_t ns;
	} units[] = {
		{ "", 1 }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 },
	};
	size_t digits = 0;
	uint64_t x;

	while (digits < w->n && w->s[digits] >= '0' && w->s[digits] <= '9')
		digits++;
	struct word num = { w->s, digits }, unit = { w->s + digits,
						     w->n - digits };
	if (digits == 0 || word_u64(&num, &x))
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(units); i++)
		if (word_is(&unit, units[i].unit))
			return __builtin_mul_overflow(x, units[i].ns, v) ? -1 : 0;
	return -1;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	       c == '+' || c == '/';
}

static int word_name(const struct word *w)
{
	if (w->n == 0 || w->n > NAME_LEN_MAX)
		return -1;
	for (size_t i = 0; i < w->n; i++)
		if (!name_char(w->s[i]))
			return -1;
	return 0;
}

static char *word_dup(const struct word *w)
{
	char *p = xmalloc(w->n + 1);

	memcpy(p, w->s, w->n);
	p[w->n] = '\0';
	return p;
}

#define NAME_RULE "letters, digits and _ . - + /, at most 64"

/* Positional word I: an address. */
static int arg_addr(struct parser *ps, int i, const char *what, uint64_t *v)
{
	if (i >= ps->nw || word_u64(&ps->w[i], v))
		return fail(ps, "expected %s (decimal or 0x hex) after %.*s, "
			    "found %s", what, (int)ps->w[0].n, ps->w[0].s,
			    found(ps, i));
	return 0;
}

/* Positional word I: a name. */
static int arg_name(struct parser *ps, int i, const char *what)
{
	if (i >= ps->nw || word_name(&ps->w[i]))
		return fail(ps, "expected %s (" NAME_RULE ") after %.*s, "
			    "found %s", what, (int)ps->w[0].n, ps->w[0].s,
			    found(ps, i));
	return 0;
}

/* Nothing after word I - 1. */
static int no_more(struct parser *ps, int i)
{
	if (i < ps->nw)
		return fail(ps, "expected end of line after %.*s, found %s",
			    (int)ps->w[i - 1].n, ps->w[i - 1].s, found(ps, i));
	return 0;
}

/* Growing arrays. */

static void *grow(void *a, uint32_t n, uint32_t *cap, size_t size)
{
	if (n < *cap)
		return a;
	*cap = *cap ? *cap * 2 : 8;
	return xreallocarray(a, *cap, size);
}

/* Name tables. */

static uint32_t name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static uint32_t names_find(const struct names *h, const char *s, size_t n)
{
	if (!h->cap)
		return SCRIPT_NONE;
	for (uint32_t i = name_hash(s, n) & (h->cap - 1);;
	     i = (i + 1) & (h->cap - 1)) {
		const struct name_slot *e = &h->slot[i];
		if (!e->name)
			return SCRIPT_NONE;
		if (strncmp(e->name, s, n) == 0 && e->name[n] == '\0')
			return e->index;
	}
}

static void names_put(struct name_slot *slot, uint32_t cap,
		      const char *name, uint32_t index)
{
	uint32_t i = name_hash(name, strlen(name)) & (cap - 1);

	while (slot[i].name)
		i = (i + 1) & (cap - 1);
	slot[i].name = name;
	slot[i].index = index;
}

static void names_add(struct names *h, const char *name, uint32_t index)
{
	if (2 * (h->count + 1) > h->cap) {
		uint32_t cap = h->cap ? 2 * h->cap : 16;
		struct name_slot *slot = xcalloc(cap, sizeof(*slot));
		for (uint32_t i = 0; i < h->cap; i++)
			if (h->slot[i].name)
				names_put(slot, cap, h->slot[i].name,
					  h->slot[i].index);
		free(h->slot);
		h->slot = slot;
		h->cap = cap;
	}
	names_put(h->slot, h->cap, name, index);
	h->count++;
}

static uint32_t declared_line(const struct parser *ps, int space,
			      uint32_t i)
{
	switch (space) {
	case SPACE_PROGRAM: return ps->s->programs[i].line;
	case SPACE_FILE: return ps->s->files[i].line;
	default: return ps->s->shms[i].line;
	}
}

/* Word I names a new member of SPACE: refuse one declared before. */
static int check_new_name(struct parser *ps, int space, int i)
{
	const struct word *w = &ps->w[i];
	uint32_t old = names_find(&ps->names[space], w->s, w->n);

	if (old != SCRIPT_NONE)
		return fail(ps, "expected a new %s name, found %s (already "
			    "declared at line %lu)", space_name[space],
			    found(ps, i),
			    (unsigned long)declared_line(ps, space, old));
	return 0;
}

static void pend(struct parser *ps, int space, int owner, uint32_t index,
		 const struct word *name)
{
	ps->pending = grow(ps->pending, ps->npending, &ps->cap_pending,
			   sizeof(*ps->pending));
	ps->pending[ps->npending++] = (struct pending){
		.name = word_dup(name), .line = ps->line, .index = index,
		.space = (uint8_t)space, .owner = (uint8_t)owner,
	};
}

/*
 * Keys.  A directive describes its key=value words with a table; the
 * values are read into a struct kv, each key at most once.
 */
enum key_type {
	K_PAGES,   /* 1 .. 2^40 */
	K_OFFSET,  /* 0 .. 2^40 - 1 */
	K_NAME,
	K_PROT,
	K_TIME,    /* 0 .. TIME_MAX ns */
	K_TICKETS, /* 1 .. TICKETS_MAX */
	K_NICE,    /* -20 .. 19 */
	K_OOM,     /* -1000 .. 1000 */
	K_FORMAT,  /* a trace format of the registry */
	K_ADDR,    /* any 64-bit number */
	K_ADVICE,  /* normal or random (madvise) */
};

static const char *const key_rule[] = {
	[K_PAGES] = "N with N from 1 to 2^40",
	[K_OFFSET] = "N with N from 0 to 2^40-1",
	[K_NAME] = "NAME (" NAME_RULE ")",
	[K_PROT] = "PROT (r, w and x, each at most once, or none)",
	[K_TIME] = "TIME (N, Nns, Nus, Nms or Ns, at most 10^15 ns)",
	[K_TICKETS] = "N with N from 1 to 1000000",
	[K_NICE] = "N with N from -20 to 19",
	[K_OOM] = "N with N from -1000 to 1000",
	[K_FORMAT] = "NAME of a trace format (vmlab list formats)",
	[K_ADDR] = "ADDR (decimal or 0x hex)",
	[K_ADVICE] = "normal or random",
};

struct key {
	const char *name;
	uint8_t type;     /* enum key_type */
	uint8_t required;
};

enum flag { FLAG_NONE, FLAG_SHARED, FLAG_PRIVATE };

struct kv {
	unsigned given;             /* bit i: keys[i] given */
	uint64_t u[KEYS_MAX];       /* numbers (signed ones as int64_t) */
	struct word val[KEYS_MAX];  /* the value's text */
	struct word word[KEYS_MAX]; /* the whole key=value word */
	int flag;                   /* enum flag */
};

static int parse_prot(const struct word *w, uint64_t *prot)
{
	static const char letters[] = "rwx";

	*prot = 0;
	if (word_is(w, "none"))
		return 0;
	if (w->n == 0)
		return -1;
	for (size_t i = 0; i < w->n; i++) {
		const char *l = memchr(letters, w->s[i], 3);
		uint64_t bit = l ? 1u << (l - letters) : 0;
		if (!bit || (*prot & bit))
			return -1;
		*prot |= bit;
	}
	return 0;
}

/* The trace format named W (a script cannot replay a script), or NULL. */
static const struct workload_ops *trace_format(const struct word *w)
{
	char buf[40];
	const struct workload_ops *ops;

	if (word_cstr(w, buf, sizeof(buf)) || !(ops = workload_find(buf, 0)) ||
	    ops == &wl_format_script)
		return NULL;
	return ops;
}

static int in_range(int64_t v, int64_t lo, int64_t hi)
{
	return v >= lo && v <= hi;
}

/* Value W of a key of TYPE into *V; -1 if it is not one. */
static int parse_value(int type, const struct word *w, uint64_t *v)
{
	int64_t i;

	switch (type) {
	case K_PAGES:
		return word_u64(w, v) || *v < 1 || *v > PAGES_MAX ? -1 : 0;
	case K_OFFSET:
		return word_u64(w, v) || *v >= PAGES_MAX ? -1 : 0;
	case K_NAME:
		return word_name(w);
	case K_PROT:
		return parse_prot(w, v);
	case K_ADVICE:
		if (word_is(w, "normal") || word_is(w, "random")) {
			*v = word_is(w, "random") ? SCRIPT_ADVICE_RANDOM :
						    SCRIPT_ADVICE_NORMAL;
			return 0;
		}
		return -1;
	case K_TIME:
		return word_time(w, v) || *v > TIME_MAX ? -1 : 0;
	case K_TICKETS:
		return word_u64(w, v) || *v < 1 || *v > TICKETS_MAX ? -1 : 0;
	case K_NICE:
	case K_OOM:
		if (word_i64(w, &i) || !in_range(i, type == K_NICE ? -20 : -1000,
						 type == K_NICE ? 19 : 1000))
			return -1;
		*v = (uint64_t)i;
		return 0;
	case K_FORMAT:
		return trace_format(w) ? 0 : -1;
	default:
		return word_u64(w, v);
	}
}

/* "pages=, max=" and, with FLAGS, "shared, private", for messages. */
static void list_keys(const struct key *keys, int nkeys, int flags,
		      char *buf, size_t cap)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < nkeys && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s=",
					 i ? ", " : "", keys[i].name);
	if (flags && used < cap)
		snprintf(buf + used, cap - used, "%sshared, private",
			 nkeys ? ", " : "");
}

static int key_flag(struct parser *ps, int i, struct kv *kv)
{
	int flag = word_is(&ps->w[i], "shared") ? FLAG_SHARED : FLAG_PRIVATE;

	if (kv->flag)
		return fail(ps, "expected one of shared and private, found "
			    "%s after %s", found(ps, i),
			    kv->flag == FLAG_SHARED ? "shared" : "private");
	kv->flag = flag;
	return 0;
}

static int key_value(struct parser *ps, int i, const struct key *keys,
		     int nkeys, struct kv *kv, const char *what, int flags)
{
	const struct word *w = &ps->w[i];
	const char *eq = memchr(w->s, '=', w->n);
	size_t klen = eq ? (size_t)(eq - w->s) : w->n;
	char list[160];
	int k;

	for (k = 0; k < nkeys; k++)
		if (strlen(keys[k].name) == klen &&
		    memcmp(keys[k].name, w->s, klen) == 0)
			break;
	if (k == nkeys || !eq) {
		list_keys(keys, nkeys, flags, list, sizeof(list));
		if (!nkeys && !flags)
			return no_more(ps, i);
		return fail(ps, "expected a key of %s (%s), found %s", what,
			    list, found(ps, i));
	}
	if (kv->given & (1u << k))
		return fail(ps, "expected %s= at most once, found %s",
			    keys[k].name, found(ps, i));
	kv->val[k] = (struct word){ eq + 1, w->n - klen - 1 };
	kv->word[k] = *w;
	if (parse_value(keys[k].type, &kv->val[k], &kv->u[k]))
		return fail(ps, "expected %s=%s, found %s", keys[k].name,
			    key_rule[keys[k].type], found(ps, i));
	kv->given |= 1u << k;
	return 0;
}

/*
 * Read the key=value words of the line from word FROM on against KEYS
 * (and the words shared and private when FLAGS) into KV, for directive
 * WHAT.  Refuses unknown and repeated keys, bad values and missing
 * required keys.
 */
static int parse_keys(struct parser *ps, int from, const struct key *keys,
		      int nkeys, int flags, const char *what, struct kv *kv)
{
	ASSERT(nkeys <= KEYS_MAX, "%d keys for %s", nkeys, what);
	memset(kv, 0, sizeof(*kv));
	for (int i = from; i < ps->nw; i++) {
		int rc;
		if (flags && (word_is(&ps->w[i], "shared") ||
			      word_is(&ps->w[i], "private")))
			rc = key_flag(ps, i, kv);
		else
			rc = key_value(ps, i, keys, nkeys, kv, what, flags);
		if (rc)
			return rc;
	}
	for (int k = 0; k < nkeys; k++)
		if (keys[k].required && !(kv->given & (1u << k)))
			return fail(ps, "expected %s=%s for %s, found end of line",
				    keys[k].name, key_rule[keys[k].type], what);
	return 0;
}

/* Key NAME of KEYS: 1 and its value in *V if it was given, else 0 (also
 * when KEYS has no such key). */
static int kv_get(const struct kv *kv, const struct key *keys, int nkeys,
		  const char *name, uint64_t *v)
{
	for (int k = 0; k < nkeys; k++)
		if (strcmp(keys[k].name, name) == 0) {
			if (!(kv->given & (1u << k)))
				return 0;
			*v = kv->u[k];
			return 1;
		}
	return 0;
}

static const struct word *kv_word(const struct kv *kv, const struct key *keys,
				  int nkeys, const char *name, int whole)
{
	for (int k = 0; k < nkeys; k++)
		if (strcmp(keys[k].name, name) == 0)
			return whole ? &kv->word[k] : &kv->val[k];
	ASSERT(0, "no key %s", name);
}

/*
 * Regions.  One table says, for each kind, its keys, its fixed
 * protections and whether it is shared; `map` and `shm` take prot=, and
 * `map` the words shared and private.
 */
static const struct key keys_file[] = {
	{ "file", K_NAME, 1 }, { "offset", K_OFFSET, 0 },
	{ "pages", K_PAGES, 0 },
};
static const struct key keys_anon[] = { { "pages", K_PAGES, 1 } };
static const struct key keys_grow[] = {
	{ "pages", K_PAGES, 1 }, { "max", K_PAGES, 0 },
};
static const struct key keys_map[] = {
	{ "pages", K_PAGES, 0 }, { "file", K_NAME, 0 },
	{ "offset", K_OFFSET, 0 }, { "prot", K_PROT, 0 },
	{ "advice", K_ADVICE, 0 },
};
static const struct key keys_shm[] = {
	{ "pages", K_PAGES, 0 }, { "offset", K_OFFSET, 0 },
	{ "prot", K_PROT, 0 },
};

#define RW (SCRIPT_PROT_R | SCRIPT_PROT_W)

static const struct region_spec {
	const char *word;
	uint8_t kind, prot, shared, flags;
	const struct key *keys;
	int nkeys;
} region_specs[] = { /* in enum script_region_kind order */
	{ "text", SREG_TEXT, SCRIPT_PROT_R | SCRIPT_PROT_X, 0, 0, keys_file,
	  ARRAY_LEN(keys_file) },
	{ "data", SREG_DATA, RW, 0, 0, keys_file, ARRAY_LEN(keys_file) },
	{ "bss", SREG_BSS, RW, 0, 0, keys_anon, ARRAY_LEN(keys_anon) },
	{ "heap", SREG_HEAP, RW, 0, 0, keys_grow, ARRAY_LEN(keys_grow) },
	{ "stack", SREG_STACK, RW, 0, 0, keys_grow, ARRAY_LEN(keys_grow) },
	{ "map", SREG_MAP, RW, 0, 1, keys_map, ARRAY_LEN(keys_map) },
	{ "shm", SREG_SHM, RW, 1, 0, keys_shm, ARRAY_LEN(keys_shm) },
};

const char *script_region_word(unsigned kind)
{
	ASSERT(kind < ARRAY_LEN(region_specs) &&
	       region_specs[kind].kind == kind, "kind %u", kind);
	return region_specs[kind].word;
}

static const struct region_spec *region_spec_of(const struct word *w)
{
	for (size_t i = 0; i < ARRAY_LEN(region_specs); i++)
		if (word_is(w, region_specs[i].word))
			return &region_specs[i];
	return NULL;
}

/* The other keys of a region: pages, max (heap, stack), offset, prot. */
static int region_sizes(struct parser *ps, const struct region_spec *sp,
			const struct kv *kv, struct script_region *r)
{
	const struct key *k = sp->keys;
	int n = sp->nkeys;
	uint64_t v;

	r->pages = 0; /* 0: the rest of the file or segment, when bound */
	kv_get(kv, k, n, "pages", &r->pages);
	r->max_pages = r->pages;
	if ((sp->kind == SREG_HEAP || sp->kind == SREG_STACK) &&
	    kv_get(kv, k, n, "max", &r->max_pages) &&
	    r->max_pages < r->pages)
		return fail(ps, "expected max= of at least pages= (%llu), "
			    "found %s", (unsigned long long)r->pages,
			    quote(ps->quoted[1], sizeof(ps->quoted[1]),
				  kv_word(kv, k, n, "max", 1)->s,
				  kv_word(kv, k, n, "max", 1)->n));
	kv_get(kv, k, n, "offset", &r->offset);
	if (kv_get(kv, k, n, "prot", &v))
		r->prot = (uint8_t)v;
	if (kv_get(kv, k, n, "advice", &v))
		r->advice = (uint8_t)v;
	return 0;
}

/*
 * Read a region of kind SP from the line: its address at word 1, for shm
 * a segment name at word 2, then keys.  Fills R and *OBJ with the name of
 * its file or segment (n = 0 for anonymous memory).
 */
static int read_region(struct parser *ps, const struct region_spec *sp,
		       struct script_region *r, struct word *obj)
{
	struct kv kv;
	int from = sp->kind == SREG_SHM ? 3 : 2;
	uint64_t v;

	memset(r, 0, sizeof(*r));
	r->kind = sp->kind;
	r->prot = sp->prot;
	r->shared = sp->shared;
	r->grows_down = sp->kind == SREG_STACK;
	r->line = ps->line;
	r->file = r->shm = SCRIPT_NONE;
	*obj = (struct word){ NULL, 0 };
	if (arg_addr(ps, 1, sp->kind == SREG_STACK ? "the stack's top address"
		     : "an address", &r->addr))
		return -1;
	if (sp->kind == SREG_SHM) {
		if (arg_name(ps, 2, "a segment name"))
			return -1;
		*obj = ps->w[2];
	}
	if (parse_keys(ps, from, sp->keys, sp->nkeys, sp->flags, sp->word, &kv))
		return -1;
	if (kv_get(&kv, sp->keys, sp->nkeys, "file", &v))
		*obj = *kv_word(&kv, sp->keys, sp->nkeys, "file", 0);
	if (sp->kind == SREG_MAP && !obj->n) {
		if (kv_get(&kv, sp->keys, sp->nkeys, "offset", &v)) {
			const struct word *o = kv_word(&kv, sp->keys,
						       sp->nkeys, "offset", 1);
			return fail(ps, "expected file=NAME with offset= (an "
				    "anonymous map has no offset), found %s",
				    quote(ps->quoted[1], sizeof(ps->quoted[1]),
					  o->s, o->n));
		}
		if (!kv_get(&kv, sp->keys, sp->nkeys, "pages", &v))
			return fail(ps, "expected pages=%s for an anonymous map, "
				    "found end of line", key_rule[K_PAGES]);
	}
	if (sp->kind == SREG_MAP && kv.flag == FLAG_SHARED)
		r->shared = 1;
	return region_sizes(ps, sp, &kv, r);
}

/* Top level. */

static int top_object(struct parser *ps, int space)
{
	static const struct key keys[] = { { "pages", K_PAGES, 1 } };
	struct script *s = ps->s;
	struct kv kv;
	uint64_t pages = 0;

	if (arg_name(ps, 1, space == SPACE_FILE ? "a file name" :
		     "a segment name") || check_new_name(ps, space, 1) ||
	    parse_keys(ps, 2, keys, 1, 0, space == SPACE_FILE ? "file" : "shm",
		       &kv))
		return -1;
	kv_get(&kv, keys, 1, "pages", &pages);
	char *name = word_dup(&ps->w[1]);
	if (space == SPACE_FILE) {
		s->files = grow(s->files, s->nfiles, &ps->cap_files,
				sizeof(*s->files));
		s->files[s->nfiles] = (struct script_file){ name, pages,
							    ps->line };
		names_add(&ps->names[space], name, s->nfiles++);
	} else {
		s->shms = grow(s->shms, s->nshms, &ps->cap_shms,
			       sizeof(*s->shms));
		s->shms[s->nshms] = (struct script_shm){ name, pages, ps->line };
		names_add(&ps->names[space], name, s->nshms++);
	}
	return 0;
}

static int top_program(struct parser *ps, int arg)
{
	struct script *s = ps->s;

	if (arg_name(ps, 1, "a program name") ||
	    check_new_name(ps, SPACE_PROGRAM, 1) || no_more(ps, 2))
		return -1;
	s->programs = grow(s->programs, s->nprograms, &ps->cap_programs,
			   sizeof(*s->programs));
	struct script_program *p = &s->programs[s->nprograms];
	*p = (struct script_program){
		.name = word_dup(&ps->w[1]), .line = ps->line,
		.region_first = s->nregions, .body_first = s->nops,
		.body_end = s->nops,
	};
	names_add(&ps->names[SPACE_PROGRAM], p->name, s->nprograms);
	ps->prog = s->nprograms++;
	ps->in_body = 0;
	ps->depth = 0;
	ps->stuck[0] = 0;
	return 0;
}

static int top_spawn(struct parser *ps, int arg)
{
	static const struct key keys[] = {
		{ "name", K_NAME, 0 }, { "at", K_TIME, 0 },
		{ "tickets", K_TICKETS, 0 }, { "nice", K_NICE, 0 },
		{ "oom_score_adj", K_OOM, 0 },
	};
	struct script *s = ps->s;
	struct kv kv;
	uint64_t v;

	if (arg_name(ps, 1, "a program name") ||
	    parse_keys(ps, 2, keys, ARRAY_LEN(keys), 0, "spawn", &kv))
		return -1;
	s->spawns = grow(s->spawns, s->nspawns, &ps->cap_spawns,
			 sizeof(*s->spawns));
	struct script_spawn *sp = &s->spawns[s->nspawns];
	*sp = (struct script_spawn){ .program = SCRIPT_NONE, .line = ps->line,
				     .tickets = 100 };
	if (kv_get(&kv, keys, ARRAY_LEN(keys), "name", &v))
		sp->name = word_dup(kv_word(&kv, keys, ARRAY_LEN(keys), "name",
					    0));
	kv_get(&kv, keys, ARRAY_LEN(keys), "at", &sp->at);
	if (kv_get(&kv, keys, ARRAY_LEN(keys), "tickets", &v))
		sp->tickets = (uint32_t)v;
	if (kv_get(&kv, keys, ARRAY_LEN(keys), "nice", &v))
		sp->nice = (int32_t)(int64_t)v;
	if (kv_get(&kv, keys, ARRAY_LEN(keys), "oom_score_adj", &v))
		sp->oom_score_adj = (int32_t)(int64_t)v;
	pend(ps, SPACE_PROGRAM, OWNER_SPAWN, s->nspawns++, &ps->w[1]);
	return 0;
}

static int top_page_size(struct parser *ps, int arg)
{
	uint64_t v;

	if (ps->page_size_line)
		return fail(ps, "expected one page-size line, found another "
			    "(the first is at line %lu)",
			    (unsigned long)ps->page_size_line);
	if (ps->nw < 2 || word_size(&ps->w[1], &v) || v == 0 ||
	    (v & (v - 1)) || v > ((uint64_t)1 << 40))
		return fail(ps, "expected a power of two up to 2^40 (such as "
			    "4096 or 4k) after page-size, found %s",
			    found(ps, 1));
	if (no_more(ps, 2))
		return -1;
	ps->s->page_size = v;
	ps->page_size_line = ps->line;
	return 0;
}

/* A layout line of the program being read. */
static int layout_region(struct parser *ps, const struct region_spec *sp)
{
	struct script *s = ps->s;
	struct script_program *p = &s->programs[ps->prog];
	struct script_region r;
	struct word obj;

	if (read_region(ps, sp, &r, &obj))
		return -1;
	for (uint32_t i = p->region_first; i < s->nregions; i++)
		if ((r.kind == SREG_HEAP || r.kind == SREG_STACK) &&
		    s->regions[i].kind == r.kind)
			return fail(ps, "expected one %s per program, found "
				    "another (the first is at line %lu)",
				    sp->word, (unsigned long)s->regions[i].line);
	s->regions = grow(s->regions, s->nregions, &ps->cap_regions,
			  sizeof(*s->regions));
	s->regions[s->nregions] = r;
	if (obj.n)
		pend(ps, r.kind == SREG_SHM ? SPACE_SHM : SPACE_FILE,
		     OWNER_REGION, s->nregions, &obj);
	s->nregions++;
	p->nregions++;
	return 0;
}

/* Events. */

static struct script_op *op_new(struct parser *ps, int kind)
{
	struct script *s = ps->s;

	s->ops = grow(s->ops, s->nops, &ps->cap_ops, sizeof(*s->ops));
	struct script_op *op = &s->ops[s->nops++];
	*op = (struct script_op){
		.kind = (uint8_t)kind, .line = ps->line,
		.program = SCRIPT_NONE, .region = SCRIPT_NONE,
		.end = SCRIPT_NONE, .start = SCRIPT_NONE,
	};
	return op;
}

static int open_block(struct parser *ps)
{
	if (ps->depth == DEPTH_MAX)
		return fail(ps, "expected blocks nested at most %d deep, found "
			    "%s opening one more", DEPTH_MAX, found(ps, 0));
	ps->open[ps->depth++] = ps->s->nops - 1;
	ps->stuck[ps->depth] = 0;
	return 0;
}

static int ev_ref(struct parser *ps, int kind)
{
	uint64_t addr, size = 1;

	if (arg_addr(ps, 1, "an address", &addr))
		return -1;
	if (ps->nw > 2 && (word_size(&ps->w[2], &size) || size < 1 ||
			   size > UINT32_MAX))
		return fail(ps, "expected a size in bytes from 1 to 2^32-1 (such "
			    "as 8, 0x40 or 4k), found %s", found(ps, 2));
	if (size - 1 > UINT64_MAX - addr)
		return fail(ps, "expected an access that ends below 2^64, found "
			    "%llu bytes at 0x%llx", (unsigned long long)size,
			    (unsigned long long)addr);
	if (no_more(ps, 3))
		return -1;
	struct script_op *op = op_new(ps, OP_REF);
	op->ref_kind = (uint8_t)kind;
	op->addr = addr;
	op->n = size;
	return 0;
}

static int ev_time(struct parser *ps, int kind)
{
	uint64_t t;

	if (ps->nw < 2 || word_time(&ps->w[1], &t) || t < 1 || t > TIME_MAX)
		return fail(ps, "expected a time from 1 ns to 10^15 ns after %s "
			    "(N, Nns, Nus, Nms or Ns), found %s",
			    kind == OP_IO ? "io" : "compute", found(ps, 1));
	if (no_more(ps, 2))
		return -1;
	op_new(ps, kind)->n = t;
	return 0;
}

static int ev_fork(struct parser *ps, int arg)
{
	if (ps->nw == 1) {
		op_new(ps, OP_FORK);
		return open_block(ps);
	}
	if (arg_name(ps, 1, "a program name or end of line") ||
	    no_more(ps, 2))
		return -1;
	struct script_op *op = op_new(ps, OP_FORK);
	op->end = ps->s->nops;
	pend(ps, SPACE_PROGRAM, OWNER_OP, ps->s->nops - 1, &ps->w[1]);
	return 0;
}

static int ev_exec(struct parser *ps, int arg)
{
	if (arg_name(ps, 1, "a program name") || no_more(ps, 2))
		return -1;
	op_new(ps, OP_EXEC);
	pend(ps, SPACE_PROGRAM, OWNER_OP, ps->s->nops - 1, &ps->w[1]);
	ps->stuck[ps->depth] = 1;
	return 0;
}

static int ev_exit(struct parser *ps, int arg)
{
	uint64_t status = 0;

	if (ps->nw > 1 && (word_u64(&ps->w[1], &status) || status > 255))
		return fail(ps, "expected an exit status from 0 to 255 or end of "
			    "line, found %s", found(ps, 1));
	if (no_more(ps, 2))
		return -1;
	op_new(ps, OP_EXIT)->n = status;
	ps->stuck[ps->depth] = 1;
	return 0;
}

static int ev_wait(struct parser *ps, int arg)
{
	if (no_more(ps, 1))
		return -1;
	op_new(ps, OP_WAIT);
	return 0;
}

static int ev_mmap(struct parser *ps, int arg)
{
	const struct region_spec *map = region_spec_of(&(struct word){ "map",
									3 });
	struct script_region r;
	struct word obj;

	if (read_region(ps, map, &r, &obj))
		return -1;
	ps->maps = grow(ps->maps, ps->nmaps, &ps->cap_maps, sizeof(*ps->maps));
	ps->maps[ps->nmaps] = r;
	if (obj.n)
		pend(ps, SPACE_FILE, OWNER_MAP, ps->nmaps, &obj);
	op_new(ps, OP_MMAP)->region = ps->nmaps++;
	return 0;
}

static int ev_munmap(struct parser *ps, int arg)
{
	static const struct key keys[] = { { "pages", K_PAGES, 1 } };
	struct kv kv;
	uint64_t addr, pages = 0;

	if (arg_addr(ps, 1, "an address", &addr) ||
	    parse_keys(ps, 2, keys, 1, 0, "munmap", &kv))
		return -1;
	kv_get(&kv, keys, 1, "pages", &pages);
	struct script_op *op = op_new(ps, OP_MUNMAP);
	op->addr = addr;
	op->n = pages;
	return 0;
}

static int ev_brk(struct parser *ps, int arg)
{
	uint64_t v;

	if (ps->nw < 2)
		return fail(ps, "expected +N or -N pages, or an address, after "
			    "brk, found end of line");
	const struct word *w = &ps->w[1];
	int sign = w->n && (w->s[0] == '+' || w->s[0] == '-');
	struct word num = { w->s + sign, w->n - (size_t)sign };
	if (word_u64(&num, &v) || (sign && (v < 1 || v > PAGES_MAX)))
		return fail(ps, "expected +N or -N pages (N from 1 to 2^40), or "
			    "an address, after brk, found %s", found(ps, 1));
	if (no_more(ps, 2))
		return -1;
	struct script_op *op = op_new(ps, OP_BRK);
	if (!sign)
		op->addr = v;
	else
		op->delta = w->s[0] == '-' ? -(int64_t)v : (int64_t)v;
	op->n = (uint64_t)sign;
	return 0;
}

/* The replay spec of word 1: a relative path joined to the script's
 * directory; generators and inline page lists as they are. */
static char *replay_spec(struct parser *ps, const struct word *w)
{
	int as_is = w->s[0] == '/' || ps->dirlen == 0 ||
		    (w->n > 4 && memcmp(w->s, "gen:", 4) == 0) ||
		    (w->n > 6 && memcmp(w->s, "pages:", 6) == 0);
	size_t dir = as_is ? 0 : ps->dirlen;
	char *spec = xmalloc(dir + w->n + 1);

	memcpy(spec, ps->path, dir);
	memcpy(spec + dir, w->s, w->n);
	spec[dir + w->n] = '\0';
	return spec;
}

static int ev_replay(struct parser *ps, int arg)
{
	static const struct key keys[] = {
		{ "format", K_FORMAT, 0 }, { "base", K_ADDR, 0 },
	};
	struct kv kv;
	uint64_t v;

	if (ps->nw < 2 || word_is(&ps->w[1], "-") ||
	    memchr(ps->w[1].s, '\0', ps->w[1].n))
		return fail(ps, "expected a trace file or generator after replay "
			    "(standard input cannot be replayed), found %s",
			    found(ps, 1));
	if (parse_keys(ps, 2, keys, 2, 0, "replay", &kv))
		return -1;
	struct script_op *op = op_new(ps, OP_REPLAY);
	op->path = replay_spec(ps, &ps->w[1]);
	if (kv_get(&kv, keys, 2, "format", &v))
		op->format = xstrdup(trace_format(kv_word(&kv, keys, 2, "format",
							  0))->name);
	kv_get(&kv, keys, 2, "base", &op->addr);
	return 0;
}

static int ev_repeat(struct parser *ps, int arg)
{
	uint64_t n;

	if (ps->nw < 2 || word_u64(&ps->w[1], &n) || n < 1 || n > UINT32_MAX)
		return fail(ps, "expected a count from 1 to 2^32-1 after repeat, "
			    "found %s", found(ps, 1));
	if (no_more(ps, 2))
		return -1;
	op_new(ps, OP_REPEAT)->n = n;
	return open_block(ps);
}

static int ev_end(struct parser *ps, int arg)
{
	struct script *s = ps->s;

	if (no_more(ps, 1))
		return -1;
	if (ps->depth == 0) {
		s->programs[ps->prog].body_end = s->nops;
		ps->prog = SCRIPT_NONE;
		return 0;
	}
	uint32_t opener = ps->open[--ps->depth];
	op_new(ps, OP_END)->start = opener;
	s->ops[opener].end = s->nops;
	if (s->ops[opener].kind == OP_REPEAT)
		ps->stuck[ps->depth] |= ps->stuck[ps->depth + 1];
	return 0;
}

/* Dispatch. */

typedef int (*line_fn)(struct parser *ps, int arg);

struct directive {
	const char *word;
	line_fn fn;
	int arg;
};

static const struct directive top_directives[] = {
	{ "file", top_object, SPACE_FILE },
	{ "shm", top_object, SPACE_SHM },
	{ "program", top_program, 0 },
	{ "spawn", top_spawn, 0 },
	{ "page-size", top_page_size, 0 },
};

static const struct directive events[] = {
	{ "R", ev_ref, REF_READ },
	{ "W", ev_ref, REF_WRITE },
	{ "X", ev_ref, REF_EXEC },
	{ "compute", ev_time, OP_COMPUTE },
	{ "io", ev_time, OP_IO },
	{ "fork", ev_fork, 0 },
	{ "exec", ev_exec, 0 },
	{ "exit", ev_exit, 0 },
	{ "wait", ev_wait, 0 },
	{ "mmap", ev_mmap, 0 },
	{ "munmap", ev_munmap, 0 },
	{ "brk", ev_brk, 0 },
	{ "replay", ev_replay, 0 },
	{ "repeat", ev_repeat, 0 },
	{ "end", ev_end, 0 },
};

static const struct directive *lookup(const struct directive *t, size_t n,
				      const struct word *w)
{
	for (size_t i = 0; i < n; i++)
		if (word_is(w, t[i].word))
			return &t[i];
	return NULL;
}

#define EVENT_WORDS "R, W, X, compute, io, fork, exec, exit, wait, mmap, " \
		    "munmap, brk, replay, repeat"

static int unknown_in_program(struct parser *ps)
{
	const struct script_program *p = &ps->s->programs[ps->prog];
	char note[120] = "";

	if (lookup(top_directives, ARRAY_LEN(top_directives), &ps->w[0]))
		snprintf(note, sizeof(note), " (program %s of line %lu has no "
			 "end yet)", p->name, (unsigned long)p->line);
	if (region_spec_of(&ps->w[0]))
		return fail(ps, "expected an event (" EVENT_WORDS ") or end, "
			    "found %s (a layout comes before the program's "
			    "first event; mmap maps during the run)",
			    found(ps, 0));
	return fail(ps, "expected %san event (" EVENT_WORDS ") or end, found "
		    "%s%s", ps->in_body ? "" : "a region (text, data, bss, "
		    "heap, stack, map, shm), ", found(ps, 0), note);
}

static int program_line(struct parser *ps)
{
	const struct word *w = &ps->w[0];
	const struct region_spec *sp = region_spec_of(w);

	if (sp && !ps->in_body)
		return layout_region(ps, sp);
	const struct directive *d = lookup(events, ARRAY_LEN(events), w);
	if (!d)
		return unknown_in_program(ps);
	if (ps->stuck[ps->depth] && !word_is(w, "end"))
		return fail(ps, "expected end (nothing after an exit or exec in "
			    "the same block runs), found %s", found(ps, 0));
	ps->in_body = 1;
	return d->fn(ps, d->arg);
}

static int top_line(struct parser *ps)
{
	const struct directive *d = lookup(top_directives,
					   ARRAY_LEN(top_directives), &ps->w[0]);

	if (!d)
		return fail(ps, "expected file, shm, program, spawn or "
			    "page-size, found %s%s", found(ps, 0),
			    word_is(&ps->w[0], "end") ?
			    " (no program is open)" : "");
	return d->fn(ps, d->arg);
}

static int magic_line(struct parser *ps)
{
	if (ps->nw == 0 || !word_is(&ps->w[0], "vmlab-script"))
		return fail(ps, "expected '" SCRIPT_MAGIC "' as the first line, "
			    "found %s", found(ps, 0));
	if (ps->nw < 2 || !word_is(&ps->w[1], "1"))
		return fail(ps, "expected version 1 after vmlab-script, found %s",
			    found(ps, 1));
	return no_more(ps, 2);
}

/* Split [P, END) into words; a word beginning with '#' ends the line. */
static int split(struct parser *ps, const char *p, const char *end)
{
	ps->nw = 0;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == end || *p == '#')
			return 0;
		const char *q = p;
		while (q < end && *q != ' ' && *q != '\t' && *q != '\r')
			q++;
		if (ps->nw == WORDS_MAX)
			return fail(ps, "expected at most %d words on a line, "
				    "found %s", WORDS_MAX,
				    quote(ps->quoted[0], sizeof(ps->quoted[0]),
					  p, (size_t)(q - p)));
		ps->w[ps->nw++] = (struct word){ p, (size_t)(q - p) };
		p = q;
	}
}

static int read_lines(struct parser *ps, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	do {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		ps->line++;
		if (split(ps, p, stop))
			return -1;
		int rc = ps->line == 1 ? magic_line(ps) :
			 ps->nw == 0 ? 0 :
			 ps->prog == SCRIPT_NONE ? top_line(ps) :
			 program_line(ps);
		if (rc)
			return rc;
		p = nl ? nl + 1 : end;
	} while (p < end);
	return 0;
}

/* After the last line. */

static int check_end(struct parser *ps)
{
	struct script *s = ps->s;

	if (ps->prog != SCRIPT_NONE && ps->depth > 0) {
		const struct script_op *op = &s->ops[ps->open[ps->depth - 1]];
		return fail(ps, "expected end closing the %s of line %lu, found "
			    "end of file", op->kind == OP_FORK ? "fork" :
			    "repeat", (unsigned long)op->line);
	}
	if (ps->prog != SCRIPT_NONE)
		return fail(ps, "expected end closing program %s of line %lu, "
			    "found end of file", s->programs[ps->prog].name,
			    (unsigned long)s->programs[ps->prog].line);
	if (s->nspawns == 0)
		return fail(ps, "expected at least one spawn (a script without "
			    "one runs nothing), found end of file");
	return 0;
}

/* Region R uses object I of SPACE: fill its pages or check they fit. */
static int bind_region(struct parser *ps, struct script_region *r,
		       int space, uint32_t i)
{
	const struct script *s = ps->s;
	const char *name = space == SPACE_FILE ? s->files[i].name :
			   s->shms[i].name;
	uint64_t size = space == SPACE_FILE ? s->files[i].pages :
			s->shms[i].pages;

	if (space == SPACE_FILE)
		r->file = i;
	else
		r->shm = i;
	if (r->offset >= size)
		return fail_at(ps, r->line, "expected offset= below the %llu "
			       "pages of %s %s, found offset=%llu",
			       (unsigned long long)size, space_name[space],
			       name, (unsigned long long)r->offset);
	if (r->pages == 0)
		r->pages = r->max_pages = size - r->offset;
	if (r->pages > size - r->offset)
		return fail_at(ps, r->line, "expected offset + pages within the "
			       "%llu pages of %s %s, found %llu + %llu = %llu",
			       (unsigned long long)size, space_name[space], name,
			       (unsigned long long)r->offset,
			       (unsigned long long)r->pages,
			       (unsigned long long)(r->offset + r->pages));
	return 0;
}

static int resolve(struct parser *ps, const struct pending *ref)
{
	struct script *s = ps->s;
	uint32_t i = names_find(&ps->names[ref->space], ref->name,
				strlen(ref->name));

	if (i == SCRIPT_NONE)
		return fail_at(ps, ref->line, "expected a %s %s in this script, "
			       "found '%s'", space_name[ref->space],
			       ref->space == SPACE_PROGRAM ? "defined" :
			       ref->space == SPACE_FILE ? "declared by 'file'"
			       : "declared by 'shm'", ref->name);
	switch (ref->owner) {
	case OWNER_OP:
		s->ops[ref->index].program = i;
		return 0;
	case OWNER_SPAWN:
		s->spawns[ref->index].program = i;
		if (!s->spawns[ref->index].name)
			s->spawns[ref->index].name = xstrdup(s->programs[i].name);
		return 0;
	case OWNER_REGION:
		return bind_region(ps, &s->regions[ref->index], ref->space, i);
	default:
		return bind_region(ps, &ps->maps[ref->index], ref->space, i);
	}
}

/* Append the mmap regions after the layouts and point their ops at them. */
static void append_maps(struct parser *ps)
{
	struct script *s = ps->s;
	uint32_t first = s->nregions;

	if (!ps->nmaps)
		return;
	s->regions = xreallocarray(s->regions, (size_t)first + ps->nmaps,
				   sizeof(*s->regions));
	memcpy(s->regions + first, ps->maps, ps->nmaps * sizeof(*ps->maps));
	s->nregions += ps->nmaps;
	for (uint32_t i = 0; i < s->nops; i++)
		if (s->ops[i].kind == OP_MMAP)
			s->ops[i].region += first;
}

static int finish(struct parser *ps)
{
	if (check_end(ps))
		return -1;
	for (uint32_t i = 0; i < ps->npending; i++)
		if (resolve(ps, &ps->pending[i]))
			return -1;
	append_maps(ps);
	return script_check_layout(ps->s, ps->s->page_size, ps->err);
}

static void parser_free(struct parser *ps)
{
	for (uint32_t i = 0; i < ps->npending; i++)
		free(ps->pending[i].name);
	free(ps->pending);
	free(ps->maps);
	for (int i = 0; i < NSPACES; i++)
		free(ps->names[i].slot);
}

int script_parse(const char *path, const char *text, size_t len,
		 struct script **out, struct error *err)
{
	struct script *s = xcalloc(1, sizeof(*s));
	struct parser ps = { .s = s, .err = err, .path = path,
			     .prog = SCRIPT_NONE };
	const char *slash = strrchr(path, '/');
	int rc;

	*out = NULL;
	s->path = xstrdup(path);
	s->page_size = SCRIPT_PAGE_SIZE;
	ps.dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	if (len > SCRIPT_MAX_BYTES)
		rc = error_set(err, ERR_USAGE, "%s: expected a script of at most "
			       "%zu MiB, found %zu bytes", path,
			       SCRIPT_MAX_BYTES >> 20, len);
	else
		rc = read_lines(&ps, text, len) || finish(&ps) ? ERR_USAGE : 0;
	parser_free(&ps);
	if (rc) {
		script_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void script_free(struct script *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->nfiles; i++)
		free(s->files[i].name);
	for (uint32_t i = 0; i < s->nshms; i++)
		free(s->shms[i].name);
	for (uint32_t i = 0; i < s->nprograms; i++)
		free(s->programs[i].name);
	for (uint32_t i = 0; i < s->nspawns; i++)
		free(s->spawns[i].name);
	for (uint32_t i = 0; i < s->nops; i++) {
		free((char *)s->ops[i].path);
		free((char *)s->ops[i].format);
	}
	free(s->files);
	free(s->shms);
	free(s->programs);
	free(s->regions);
	free(s->ops);
	free(s->spawns);
	free(s->path);
	free(s);
}

uint32_t script_program_find(const struct script *s, const char *name)
{
	for (uint32_t i = 0; i < s->nprograms; i++)
		if (strcmp(s->programs[i].name, name) == 0)
			return i;
	return SCRIPT_NONE;
}
