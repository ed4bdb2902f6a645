/*
 * fork.c - `vmlab ostep fork`, OSTEP's cpu-api/fork.py (chapter 5,
 * "Interlude: Process API").
 *
 * A process tree rooted at "a" changes by forks ("a+b": a forks b) and
 * exits ("b-"); the student guesses the tree from the actions (or, with
 * -t, the actions from the trees).  When a process exits, its children go
 * to the root (or, with -R, to its own parent); with -L only leaves may
 * exit.  Trees print in four styles, fancy with box-drawing characters.
 *
 * Random actions (no -A) draw from Python's generator, seeded only when
 * -s is given (the default, -1, means no seed: as in Python, every run is
 * different, the generator seeded from the operating system):
 *
 *	fork if random() < -f:  parent = L[int(random() * len(L))], a new name
 *	else exit:              L[int(random() * len(L))], retried (without
 *	                        counting an action) if it is the root
 *
 * where L is the list of live processes in the order they were made.
 * Names run a..z, A..Z, then aa, ab, ... (52 letters per place).
 *
 * -A takes any names, and the program then works on a dictionary of names
 * whatever they say; this file keeps the same model - a table of names,
 * each with a list of children (or "exited"), a parent, and the number of
 * times it is in the process list - so that odd lists (a name forked
 * twice, a process forking itself) do what they do in Python, up to the
 * exceptions Python raises there, where vmlab stops with an error after
 * the same output: a tree that loops or is deeper than Python's recursion
 * limit lets (RecursionError), an exited name still in the tree
 * (TypeError), and the like.  The program's own errors keep their
 * messages (bad action, root process, bad style, fork_percentage: stdout,
 * exit 1).
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * How deep the program's recursive walk() and collect_children() may go
 * before CPython 3.11's recursion limit (1000 frames, less those of the
 * calls around them) raises RecursionError, measured against the
 * program: a tree printed to level 994 prints, level 995 raises; a
 * collection reaches depth 995, not 996.
 */
#define WALK_DEPTH_MAX 994
#define COLLECT_DEPTH_MAX 995

#define NO_PARENT ((size_t)-1)
#define DEAD ((size_t)-2) /* Python's -1 for an exited process */

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "-1", "the random seed", "SEED" },
	{ 'f', "forks", OSTEP_FLOAT, "0.7",
	  "percent of actions that are forks (not exits)", "FORK_PERCENTAGE" },
	{ 'A', "action_list", OSTEP_STRING, "",
	  "action list, instead of randomly generated ones (format: "
	  "a+b,b+c,b- means a fork b, b fork c, b exit)", "ACTION_LIST" },
	{ 'a', "actions", OSTEP_INT, "5", "number of forks/exits to do",
	  "ACTIONS" },
	{ 't', "show_tree", OSTEP_TRUE, "False", "show tree (not actions)",
	  NULL },
	{ 'P', "print_style", OSTEP_STRING, "fancy",
	  "tree print style (basic, line1, line2, fancy)", "PRINT_STYLE" },
	{ 'F', "final_only", OSTEP_TRUE, "False", "just show final state",
	  NULL },
	{ 'L', "leaf_only", OSTEP_TRUE, "False", "only leaf processes exit",
	  NULL },
	{ 'R', "local_reparent", OSTEP_TRUE, "False",
	  "reparent to local parent", NULL },
	{ 'c', "compute", OSTEP_TRUE, "False", "compute answers for me", NULL },
};

struct node {
	char *name;
	int has_list;    /* children[name] exists */
	int exited;      /* children[name] == -1 */
	size_t *kids;    /* indices, in order */
	size_t nkids, cap;
	size_t parent;   /* index, NO_PARENT or DEAD */
	size_t listed;   /* occurrences in the process list */
};

struct forker {
	const struct ostep_args *a;
	struct node *nodes;
	size_t n, cap;
	size_t *hash;     /* open addressing: index + 1, 0 empty */
	size_t hcap;
	const char *chars[4]; /* vertical, horizontal, tee, corner; or NULL */
	int basic;
	int *pmask;       /* the walk's dictionary of levels */
	size_t npmask;
	int show_tree, just_final, leaf_only, local, solve;
};

/* ---- the table of names ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static size_t *slot(struct forker *f, const char *name)
{
	size_t i = (size_t)hash_str(name) & (f->hcap - 1);

	while (f->hash[i] && strcmp(f->nodes[f->hash[i] - 1].name, name))
		i = (i + 1) & (f->hcap - 1);
	return &f->hash[i];
}

static void rehash(struct forker *f)
{
	free(f->hash);
	f->hcap = f->hcap ? f->hcap * 2 : 64;
	f->hash = xcalloc(f->hcap, sizeof(*f->hash));
	for (size_t i = 0; i < f->n; i++)
		*slot(f, f->nodes[i].name) = i + 1;
}

/* The node of NAME, made (with no entries) if new. */
static size_t node_of(struct forker *f, const char *name)
{
	size_t *s;

	if (2 * (f->n + 1) > f->hcap)
		rehash(f);
	s = slot(f, name);
	if (*s)
		return *s - 1;
	f->nodes = xreallocarray(f->nodes, f->n + 1, sizeof(*f->nodes));
	f->nodes[f->n] = (struct node){ .name = xstrdup(name),
					.parent = NO_PARENT };
	*s = ++f->n;
	return f->n - 1;
}

static void add_kid(struct node *p, size_t kid)
{
	if (p->nkids == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 4;
		p->kids = xreallocarray(p->kids, p->cap, sizeof(*p->kids));
	}
	p->kids[p->nkids++] = kid;
}

/* list.remove(KID): the first occurrence; 0, or -1 if absent. */
static int remove_kid(struct node *p, size_t kid)
{
	for (size_t i = 0; i < p->nkids; i++)
		if (p->kids[i] == kid) {
			memmove(&p->kids[i], &p->kids[i + 1],
				(p->nkids - i - 1) * sizeof(*p->kids));
			p->nkids--;
			return 0;
		}
	return -1;
}

static void set_list(struct node *x)
{
	x->has_list = 1;
	x->exited = 0;
	x->nkids = 0;
}

/* ---- printing trees ---- */

static int python_error(const struct forker *f, const char *what)
{
	return ostep_crash(f->a->sim, "%s (the Python program raises %s)", what,
			   strstr(what, "deep") ? "RecursionError" :
			   "TypeError");
}

static void set_pmask(struct forker *f, size_t level, int v)
{
	if (level >= f->npmask) {
		size_t n = 2 * level + 8;
		f->pmask = xreallocarray(f->pmask, n, sizeof(*f->pmask));
		memset(f->pmask + f->npmask, 0,
		       (n - f->npmask) * sizeof(*f->pmask));
		f->npmask = n;
	}
	f->pmask[level] = v;
}

static void print_prefix(const struct forker *f, size_t level, int is_last)
{
	const char *const *c = f->chars;

	for (size_t i = 0; i + 1 < level; i++)
		printf(f->pmask[i] ? "%s   " : "    ", c[0]);
	if (!f->pmask[level - 1])
		printf(" %s%s%s ", c[1], c[1], c[1]);
	else
		printf("%s%s%s ", is_last ? c[3] : c[2], c[1], c[1]);
}

/* The program's walk(); returns 0 or the exit status of an error. */
static int walk(struct forker *f, size_t x, size_t level, int is_last)
{
	struct node *p = &f->nodes[x];
	size_t nk;
	int rc;

	if (level > WALK_DEPTH_MAX)
		return python_error(f, "the tree is too deep to print");
	printf("                               ");
	if (f->basic) {
		printf("%*s%2s\n", (int)(3 * level), "", p->name);
	} else {
		if (level > 0)
			print_prefix(f, level, is_last);
		printf("%s\n", p->name);
		if (is_last)
			set_pmask(f, level - 1, 0);
		set_pmask(f, level, 1);
	}
	if (p->exited)
		return python_error(f, "an exited process is still in the tree");
	nk = p->nkids;
	for (size_t i = 0; i < nk; i++)
		if ((rc = walk(f, f->nodes[x].kids[i], level + 1,
			       !f->basic && i + 1 == nk)))
			return rc;
	return 0;
}

static int print_tree(struct forker *f)
{
	if (f->pmask)
		memset(f->pmask, 0, f->npmask * sizeof(*f->pmask));
	return walk(f, 0, 0, 0);
}

/* ---- actions ---- */

static int bad_action(const char *action)
{
	printf("bad action (%s), must be X+Y or X- where X and Y are "
	       "processes\n", action);
	return OSTEP_EXIT_FAIL;
}

static int do_fork(struct forker *f, size_t p, size_t c, char *out,
		   size_t n)
{
	f->nodes[c].listed++;
	set_list(&f->nodes[c]);
	if (f->nodes[p].exited)
		return python_error(f, "a process that exited forks");
	add_kid(&f->nodes[p], c);
	f->nodes[c].parent = p;
	snprintf(out, n, "%s forks %s", f->nodes[p].name, f->nodes[c].name);
	return 0;
}

/* collect_children(): X and everything below it, depth first. */
static int collect(struct forker *f, size_t x, size_t depth, size_t **out,
		   size_t *n, size_t *cap)
{
	int rc;

	if (depth > COLLECT_DEPTH_MAX)
		return python_error(f, "the tree is too deep to collect");
	if (f->nodes[x].exited)
		return python_error(f, "an exited process is still in the tree");
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*out = xreallocarray(*out, *cap, sizeof(**out));
	}
	(*out)[(*n)++] = x;
	for (size_t i = 0; i < f->nodes[x].nkids; i++)
		if ((rc = collect(f, f->nodes[x].kids[i], depth + 1, out, n,
				  cap)))
			return rc;
	return 0;
}

/* Non-local reparenting: every descendant of X becomes a child of root. */
static int reparent_to_root(struct forker *f, size_t x)
{
	size_t *d = NULL, n = 0, cap = 0;
	int rc = collect(f, x, 0, &d, &n, &cap);

	for (size_t i = 1; rc == 0 && i < n; i++) {
		set_list(&f->nodes[d[i]]);
		f->nodes[d[i]].parent = 0;
		add_kid(&f->nodes[0], d[i]);
	}
	free(d);
	return rc;
}

static int reparent_locally(struct forker *f, size_t x, size_t parent)
{
	struct node *p = &f->nodes[x];

	if (p->nkids && parent == DEAD)
		return python_error(f, "a process that exited has orphans");
	if (p->nkids && parent == x)
		return ostep_crash(f->a->sim, "a process that is its own parent "
				   "exits (the Python program loops forever)");
	for (size_t i = 0; i < p->nkids; i++) {
		if (f->nodes[parent].exited)
			return python_error(f, "orphans go to a process that "
					    "exited");
		f->nodes[p->kids[i]].parent = parent;
		add_kid(&f->nodes[parent], p->kids[i]);
	}
	return 0;
}

static int do_exit(struct forker *f, size_t x, char *out, size_t n)
{
	size_t parent = f->nodes[x].parent;
	int rc;

	if (x == 0) { /* the root, "a" */
		printf("root process: cannot exit\n");
		return OSTEP_EXIT_FAIL;
	}
	f->nodes[x].listed--;
	if (f->nodes[x].exited)
		return python_error(f, "a process that exited exits");
	rc = f->local ? reparent_locally(f, x, parent) :
			reparent_to_root(f, x);
	if (rc)
		return rc;
	if (parent == DEAD || f->nodes[parent].exited ||
	    remove_kid(&f->nodes[parent], x))
		return ostep_crash(f->a->sim, "the parent of '%s' does not have "
				   "it as a child (the Python program raises "
				   "an exception)", f->nodes[x].name);
	f->nodes[x].exited = 1;
	f->nodes[x].nkids = 0;
	f->nodes[x].parent = DEAD;
	snprintf(out, n, "%s EXITS", f->nodes[x].name);
	return 0;
}

/* check_legal and the action itself; OUT receives its description. */
static int act(struct forker *f, const char *action, char *out, size_t n)
{
	const char *plus = strchr(action, '+'), *minus = strchr(action, '-');
	size_t x;

	if (plus) {
		if (strchr(plus + 1, '+'))
			return bad_action(action);
		char *pname = xmalloc((size_t)(plus - action) + 1);
		memcpy(pname, action, (size_t)(plus - action));
		pname[plus - action] = '\0';
		x = node_of(f, pname);
		free(pname);
		if (!f->nodes[x].listed)
			return bad_action(action);
		return do_fork(f, x, node_of(f, plus + 1), out, n);
	}
	if (!minus || strchr(minus + 1, '-'))
		return bad_action(action);
	char *name = xmalloc((size_t)(minus - action) + 1);
	memcpy(name, action, (size_t)(minus - action));
	name[minus - action] = '\0';
	x = node_of(f, name);
	free(name);
	if (!f->nodes[x].listed)
		return bad_action(action);
	if (f->leaf_only && f->nodes[x].exited)
		return python_error(f, "a process that exited exits");
	if (f->leaf_only && f->nodes[x].nkids > 0) {
		snprintf(out, n, "%s EXITS (failed: has children)",
			 f->nodes[x].name);
		return 0;
	}
	return do_exit(f, x, out, n);
}

/* ---- random actions ---- */

/* The K-th generated name (K >= 1): a..Z, then aa, ab, ... */
static void name_of(uint64_t k, char *buf)
{
	static const char base[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	uint64_t width = 52;
	int len = 1;

	while (k >= width) { /* the names of LEN letters are used up */
		k -= width;
		width *= 52;
		len++;
	}
	buf[len] = '\0';
	for (int i = len - 1; i >= 0; i--) {
		buf[i] = base[k % 52];
		k /= 52;
	}
}

/* The actions the program makes up: "p+c" or "x-", joined by ','. */
static int random_actions(struct forker *f, struct pyrandom *rng,
			  double fork_pct, int64_t count, char **out)
{
	if (count > 0 && isnan(fork_pct))
		return ostep_crash(f->a->sim, "a fork percentage of nan never "
				   "forks (the Python program loops forever)");

	size_t *live = xmalloc(sizeof(*live)), nlive = 1, cap = 1, len = 0;
	uint64_t next_name = 1;
	char *list = xstrdup("");
	char name[16], step[48];

	live[0] = 0; /* generated names are numbers: 0 is "a" */
	for (int64_t done = 0; done < count;) {
		if (pyrandom_random(rng) < fork_pct) {
			size_t p = live[(size_t)(pyrandom_random(rng) *
						 (double)nlive)];
			if (nlive == cap)
				live = xreallocarray(live, cap *= 2,
						     sizeof(*live));
			live[nlive++] = next_name;
			name_of(p, name);
			snprintf(step, sizeof(step), "%s+", name);
			name_of(next_name++, name);
			strcat(step, name);
		} else {
			size_t i = (size_t)(pyrandom_random(rng) * (double)nlive);
			if (live[i] == 0)
				continue; /* the root cannot exit: again */
			name_of(live[i], name);
			snprintf(step, sizeof(step), "%s-", name);
			memmove(&live[i], &live[i + 1],
				(nlive - i - 1) * sizeof(*live));
			nlive--;
		}
		list = xrealloc(list, len + strlen(step) + 2);
		len += (size_t)sprintf(list + len, "%s%s", len ? "," : "", step);
		done++;
	}
	free(live);
	*out = list;
	return 0;
}

/* ---- the run ---- */

static int report(struct forker *f, const char *desc)
{
	if (f->show_tree && !f->solve)
		printf("Action?\n");
	else
		printf("Action: %s\n", desc);
	if (f->just_final)
		return 0;
	if (f->show_tree || f->solve)
		return print_tree(f);
	printf("Process Tree?\n");
	return 0;
}

static int run_actions(struct forker *f, const char *list)
{
	int rc;

	for (const char *p = list; *list;) {
		size_t len = strcspn(p, ",");
		char *action = xmalloc(len + 1), *desc = xmalloc(2 * len + 64);
		memcpy(action, p, len);
		action[len] = '\0';
		rc = act(f, action, desc, 2 * len + 64);
		if (rc == 0)
			rc = report(f, desc);
		free(action);
		free(desc);
		if (rc)
			return rc;
		if (!p[len])
			break;
		p += len + 1;
	}
	if (!f->just_final)
		return 0;
	if (f->show_tree || f->solve) {
		printf("\n                        Final Process Tree:\n");
		if ((rc = print_tree(f)))
			return rc;
		printf("\n");
	} else {
		printf("\n                        Final Process Tree?\n\n");
	}
	return 0;
}

static int set_style(struct forker *f, const char *style)
{
	static const struct { const char *name, *c[4]; } styles[] = {
		{ "line1", { "|", "-", "+", "|" } },
		{ "line2", { "|", "_", "|", "|" } },
		/* treelib's characters: U+2502, U+2500, U+251C, U+2514 */
		{ "fancy", { "\u2502", "\u2500", "\u251c", "\u2514" } },
	};

	f->basic = !strcmp(style, "basic");
	for (size_t i = 0; i < ARRAY_LEN(styles); i++)
		if (!strcmp(style, styles[i].name))
			memcpy(f->chars, styles[i].c, sizeof(f->chars));
	if (f->basic || f->chars[0])
		return 0;
	printf("                               bad style %s\n", style);
	return OSTEP_EXIT_FAIL;
}

/* random.seed() without a seed: 624 words from the operating system. */
static int seed_from_os(struct pyrandom *rng)
{
	uint32_t key[PYRANDOM_N];

	for (size_t off = 0; off < sizeof(key); off += 256)
		if (getentropy((char *)key + off, sizeof(key) - off < 256 ?
			       sizeof(key) - off : 256))
			return -1;
	pyrandom_seed_words(rng, key, PYRANDOM_N);
	return 0;
}

static void print_args(const struct ostep_args *a)
{
	static const struct { const char *arg, *opt; } args[] = {
		{ "seed", "seed" }, { "fork_percentage", "forks" },
		{ "actions", "actions" }, { "action_list", "action_list" },
		{ "show_tree", "show_tree" }, { "just_final", "final_only" },
		{ "leaf_only", "leaf_only" },
		{ "local_reparent", "local_reparent" },
		{ "print_style", "print_style" }, { "solve", "compute" },
	};
	char buf[PYINT_DEC_MAX];

	printf("\n");
	for (size_t i = 0; i < ARRAY_LEN(args); i++)
		printf("ARG %s %s\n", args[i].arg,
		       ostep_str(a, args[i].opt, buf));
	printf("\n");
}

static int fork_main(struct forker *f)
{
	const struct ostep_args *a = f->a;
	const struct pyint *seed = &ostep_get(a, "seed")->num;
	double pct = ostep_get(a, "forks")->real;
	const char *list = ostep_get(a, "action_list")->str;
	char *made = NULL;
	struct pyrandom rng;
	int64_t n;
	int rc;

	if ((rc = ostep_get_i64(a, "actions", &n)))
		return rc;
	if (!(seed->neg && seed->n == 1 && seed->w[0] == 1))
		ostep_pyint_seed(&rng, seed);
	else if (seed_from_os(&rng))
		return ostep_crash(a->sim, "no random seed from the system");
	if (pct <= 0.001) {
		printf("fork_percentage must be > 0.001\n");
		return OSTEP_EXIT_FAIL;
	}
	print_args(a);
	printf("                           Process Tree:\n");
	if ((rc = set_style(f, ostep_get(a, "print_style")->str)) ||
	    (rc = print_tree(f)))
		return rc;
	printf("\n");
	if (!*list && (rc = random_actions(f, &rng, pct, n, &made)))
		return rc;
	rc = run_actions(f, *list ? list : made);
	free(made);
	return rc;
}

static int fork_run(const struct ostep_args *a)
{
	struct forker f = { .a = a };
	size_t root;
	int rc;

	f.show_tree = ostep_get(a, "show_tree")->flag;
	f.just_final = ostep_get(a, "final_only")->flag;
	f.leaf_only = ostep_get(a, "leaf_only")->flag;
	f.local = ostep_get(a, "local_reparent")->flag;
	f.solve = ostep_get(a, "compute")->flag;
	root = node_of(&f, "a");
	set_list(&f.nodes[root]);
	f.nodes[root].listed = 1;
	rc = fork_main(&f);
	for (size_t i = 0; i < f.n; i++) {
		free(f.nodes[i].name);
		free(f.nodes[i].kids);
	}
	free(f.nodes);
	free(f.hash);
	free(f.pmask);
	return rc;
}

const struct ostep_sim ostep_fork = {
	.name = "fork",
	.python = "cpu-api/fork.py",
	.summary = "process trees from fork and exit (ch. 5)",
	.about = "A process tree changed by forks and exits, random (-s, -f, "
		 "-a) or given (-A a+b,b-).  Without -c, guess the trees from "
		 "the actions (or, with -t, the actions from the trees); with "
		 "-c, both.  -F shows only the final tree, -L lets only leaves "
		 "exit, -R gives orphans to their grandparent instead of the "
		 "root, -P chooses the style.  Without -s, every run is "
		 "different, as in Python.  The output is byte for byte that "
		 "of OSTEP's fork.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = fork_run,
};
