/*
 * test_script.c - workload scripts (src/workload/script.c): every
 * construct parsed into the expected arrays (indices, block ends, lines),
 * every refusal with its exact "PATH:LINE: expected ..., found ..."
 * message, the layout check at other page sizes, the examples in
 * examples/ (parsed from their files, printed back and parsed again to
 * the same arrays), and detection through the workload layer, plain and
 * gzip-compressed.
 */
#include "unit.h"
#include "wltest.h"

#include "vmlab/base.h"
#include "vmlab/script.h"
#include "vmlab/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static struct script *parse_named(const char *path, const char *text)
{
	struct script *s = NULL;
	struct error err = { 0 };

	if (script_parse(path, text, strlen(text), &s, &err)) {
		unit_fail(__FILE__, __LINE__, "parse: %s", err.msg);
		return NULL;
	}
	return s;
}

static struct script *parse(const char *text)
{
	return parse_named("t.vms", text);
}

/* The message refusing TEXT (named t.vms), or "" if it parses. */
static const char *error_of(const char *text)
{
	static char msg[sizeof(((struct error *)0)->msg)];
	struct script *s = NULL;
	struct error err = { 0 };
	int rc = script_parse("t.vms", text, strlen(text), &s, &err);

	msg[0] = '\0';
	if (rc) {
		snprintf(msg, sizeof(msg), "%s", err.msg);
		if (rc != ERR_USAGE || s)
			unit_fail(__FILE__, __LINE__, "status %d", rc);
	}
	script_free(s);
	return msg;
}

/* The refusal of a script that is HEAD then BODY inside `program p`, then
 * `spawn p`; its lines are 1 magic, 2 program, 3.. BODY. */
static const char *body_error(const char *body)
{
	static char text[4096];

	snprintf(text, sizeof(text), "vmlab-script 1\nprogram p\n%send\n"
		 "spawn p\n", body);
	return error_of(text);
}

#define CHECK_REGION(r, k, a, pg, mx, pr, sh, f, sm, off, ln)               \
	do {                                                                 \
		CHECK_EQ((r).kind, k);                                       \
		CHECK_EQ((r).addr, a);                                       \
		CHECK_EQ((r).pages, pg);                                     \
		CHECK_EQ((r).max_pages, mx);                                 \
		CHECK_EQ((r).prot, pr);                                      \
		CHECK_EQ((r).shared, sh);                                    \
		CHECK_EQ((r).file, f);                                       \
		CHECK_EQ((r).shm, sm);                                       \
		CHECK_EQ((r).offset, off);                                   \
		CHECK_EQ((r).line, ln);                                      \
	} while (0)

enum { R_ = SCRIPT_PROT_R, W_ = SCRIPT_PROT_W, X_ = SCRIPT_PROT_X };
#define NONE SCRIPT_NONE

TEST(script_layout_every_region_kind)
{
	struct script *s = parse(
		"vmlab-script 1\n"
		"file sh pages=40\n"
		"shm buf pages=16\n"
		"program sh\n"
		"  text  0x400000 file=sh pages=32\n"
		"  data  0x600000 file=sh offset=32\n"
		"  bss   0x608000 pages=16\n"
		"  heap  0x700000 pages=4 max=64\n"
		"  stack 0x7ffffffff000 pages=8 max=256\n"
		"  map   0x10000000 pages=4 prot=r shared\n"
		"  map   0x20000000 file=sh offset=8 pages=2 prot=xwr private\n"
		"  map   0x21000000 file=sh offset=38 prot=none\n"
		"  shm   0x30000000 buf offset=4 pages=8 prot=r\n"
		"  shm   0x40000000 buf\n"
		"  bss   0x50000000 pages=1\n"
		"end\n"
		"spawn sh\n");

	if (!s)
		return;
	CHECK_EQ(s->nfiles, 1);
	CHECK_STR(s->files[0].name, "sh");
	CHECK_EQ(s->files[0].pages, 40);
	CHECK_EQ(s->files[0].line, 2);
	CHECK_EQ(s->nshms, 1);
	CHECK_STR(s->shms[0].name, "buf");
	CHECK_EQ(s->shms[0].pages, 16);
	CHECK_EQ(s->shms[0].line, 3);
	CHECK_EQ(s->nprograms, 1);
	CHECK_EQ(s->programs[0].line, 4);
	CHECK_EQ(s->programs[0].region_first, 0);
	CHECK_EQ(s->programs[0].nregions, 11);
	CHECK_EQ(s->programs[0].body_first, 0);
	CHECK_EQ(s->programs[0].body_end, 0);
	CHECK_EQ(s->nregions, 11);
	CHECK_EQ(s->page_size, 4096);
	const struct script_region *r = s->regions;
	CHECK_REGION(r[0], SREG_TEXT, 0x400000, 32, 32, R_ | X_, 0, 0, NONE, 0, 5);
	/* no pages=: the rest of the file from the offset */
	CHECK_REGION(r[1], SREG_DATA, 0x600000, 8, 8, R_ | W_, 0, 0, NONE, 32, 6);
	CHECK_REGION(r[2], SREG_BSS, 0x608000, 16, 16, R_ | W_, 0, NONE, NONE, 0,
		     7);
	CHECK_REGION(r[3], SREG_HEAP, 0x700000, 4, 64, R_ | W_, 0, NONE, NONE, 0,
		     8);
	CHECK_REGION(r[4], SREG_STACK, 0x7ffffffff000ull, 8, 256, R_ | W_, 0,
		     NONE, NONE, 0, 9);
	CHECK_EQ(r[4].grows_down, 1);
	CHECK_EQ(r[3].grows_down, 0);
	CHECK_REGION(r[5], SREG_MAP, 0x10000000, 4, 4, R_, 1, NONE, NONE, 0, 10);
	CHECK_REGION(r[6], SREG_MAP, 0x20000000, 2, 2, R_ | W_ | X_, 0, 0, NONE,
		     8, 11);
	CHECK_REGION(r[7], SREG_MAP, 0x21000000, 2, 2, 0, 0, 0, NONE, 38, 12);
	CHECK_REGION(r[8], SREG_SHM, 0x30000000, 8, 8, R_, 1, NONE, 0, 4, 13);
	CHECK_REGION(r[9], SREG_SHM, 0x40000000, 16, 16, R_ | W_, 1, NONE, 0, 0,
		     14);
	CHECK_EQ(r[10].line, 15);
	CHECK_EQ(s->nspawns, 1);
	CHECK_EQ(s->spawns[0].program, 0);
	CHECK_STR(s->spawns[0].name, "sh");
	CHECK_EQ(s->spawns[0].line, 17);
	CHECK_EQ(s->spawns[0].at, 0);
	CHECK_EQ(s->spawns[0].tickets, 100);
	CHECK_EQ(s->spawns[0].nice, 0);
	CHECK_EQ(s->spawns[0].oom_score_adj, 0);
	CHECK_EQ(script_program_find(s, "sh"), 0);
	CHECK_EQ(script_program_find(s, "ls"), NONE);
	script_free(s);
}

#define CHECK_OP(o, k, ln, a, nn)                                            \
	do {                                                                 \
		CHECK_EQ((o).kind, k);                                       \
		CHECK_EQ((o).line, ln);                                      \
		CHECK_EQ((o).addr, a);                                       \
		CHECK_EQ((o).n, nn);                                         \
	} while (0)

static const char events_script[] =
	"vmlab-script 1\n"                              /* 1 */
	"program a\n"                                   /* 2 */
	"  heap 0x700000 pages=1 max=16\n"              /* 3 */
	"  R 0x1000\n"                                  /* 4  op 0 */
	"  W 0x2000 4k\n"                               /* 5  op 1 */
	"  X 0x3000 0x40\n"                             /* 6  op 2 */
	"  compute 5us\n"                               /* 7  op 3 */
	"  io 2ms\n"                                    /* 8  op 4 */
	"  repeat 3\n"                                  /* 9  op 5 */
	"    fork\n"                                    /* 10 op 6 */
	"      W 0x2000 8\n"                            /* 11 op 7 */
	"      repeat 2\n"                              /* 12 op 8 */
	"        R 0x1000\n"                            /* 13 op 9 */
	"      end\n"                                   /* 14 op 10 */
	"      exit 3\n"                                /* 15 op 11 */
	"    end\n"                                     /* 16 op 12 */
	"    fork b\n"                                  /* 17 op 13 */
	"    wait\n"                                    /* 18 op 14 */
	"  end\n"                                       /* 19 op 15 */
	"  mmap 0x50000000 pages=4 shared\n"            /* 20 op 16 */
	"  mmap 0x60000000 file=f offset=1 prot=r\n"    /* 21 op 17 */
	"  munmap 0x50000000 pages=2\n"                 /* 22 op 18 */
	"  brk +8\n"                                    /* 23 op 19 */
	"  brk -2\n"                                    /* 24 op 20 */
	"  brk 0x704000\n"                              /* 25 op 21 */
	"  replay t.trace format=memsim base=0x1000\n"  /* 26 op 22 */
	"  replay gen:zipf,pages=100\n"                 /* 27 op 23 */
	"  replay /abs/t.vmt\n"                         /* 28 op 24 */
	"  exec b\n"                                    /* 29 op 25 */
	"end\n"                                         /* 30 */
	"program b\n"                                   /* 31 */
	"  exit\n"                                      /* 32 op 26 */
	"end\n"                                         /* 33 */
	"file f pages=3\n"                              /* 34 */
	"spawn a\n"                                     /* 35 */
	"spawn b name=bee at=1ms tickets=7 nice=-5 oom_score_adj=1000\n";

TEST(script_events_blocks_and_indices)
{
	struct script *s = parse_named("dir/sub/t.vms", events_script);

	if (!s)
		return;
	const struct script_op *o = s->ops;
	CHECK_EQ(s->nops, 27);
	CHECK_OP(o[0], OP_REF, 4, 0x1000, 1);
	CHECK_EQ(o[0].ref_kind, REF_READ);
	CHECK_OP(o[1], OP_REF, 5, 0x2000, 4096);
	CHECK_EQ(o[1].ref_kind, REF_WRITE);
	CHECK_OP(o[2], OP_REF, 6, 0x3000, 64);
	CHECK_EQ(o[2].ref_kind, REF_EXEC);
	CHECK_OP(o[3], OP_COMPUTE, 7, 0, 5000);
	CHECK_OP(o[4], OP_IO, 8, 0, 2000000);
	/* blocks: end = the op after the OP_END, start = the opener */
	CHECK_OP(o[5], OP_REPEAT, 9, 0, 3);
	CHECK_EQ(o[5].end, 16);
	CHECK_OP(o[6], OP_FORK, 10, 0, 0);
	CHECK_EQ(o[6].program, NONE);
	CHECK_EQ(o[6].end, 13);
	CHECK_OP(o[8], OP_REPEAT, 12, 0, 2);
	CHECK_EQ(o[8].end, 11);
	CHECK_OP(o[10], OP_END, 14, 0, 0);
	CHECK_EQ(o[10].start, 8);
	CHECK_OP(o[11], OP_EXIT, 15, 0, 3);
	CHECK_OP(o[12], OP_END, 16, 0, 0);
	CHECK_EQ(o[12].start, 6);
	CHECK_OP(o[13], OP_FORK, 17, 0, 0);
	CHECK_EQ(o[13].program, 1);
	CHECK_EQ(o[13].end, 14);
	CHECK_OP(o[14], OP_WAIT, 18, 0, 0);
	CHECK_OP(o[15], OP_END, 19, 0, 0);
	CHECK_EQ(o[15].start, 5);
	for (int i = 0; i < 27; i++)
		if (o[i].kind != OP_END)
			CHECK_EQ(o[i].start, NONE);
	/* mmap regions follow every layout (a's heap, then none for b) */
	CHECK_EQ(s->nregions, 3);
	CHECK_OP(o[16], OP_MMAP, 20, 0, 0);
	CHECK_EQ(o[16].region, 1);
	CHECK_REGION(s->regions[1], SREG_MAP, 0x50000000, 4, 4, R_ | W_, 1, NONE,
		     NONE, 0, 20);
	CHECK_EQ(o[17].region, 2);
	CHECK_REGION(s->regions[2], SREG_MAP, 0x60000000, 2, 2, R_, 0, 0, NONE, 1,
		     21);
	CHECK_OP(o[18], OP_MUNMAP, 22, 0x50000000, 2);
	CHECK_OP(o[19], OP_BRK, 23, 0, 1);
	CHECK_EQ(o[19].delta, 8);
	CHECK_OP(o[20], OP_BRK, 24, 0, 1);
	CHECK_EQ(o[20].delta, -2);
	CHECK_OP(o[21], OP_BRK, 25, 0x704000, 0);
	CHECK_EQ(o[21].delta, 0);
	/* replay paths: relative ones joined to the script's directory */
	CHECK_OP(o[22], OP_REPLAY, 26, 0x1000, 0);
	CHECK_STR(o[22].path, "dir/sub/t.trace");
	CHECK_STR(o[22].format, "vmsim");
	CHECK_STR(o[23].path, "gen:zipf,pages=100");
	CHECK(o[23].format == NULL);
	CHECK_EQ(o[23].addr, 0);
	CHECK_STR(o[24].path, "/abs/t.vmt");
	CHECK_OP(o[25], OP_EXEC, 29, 0, 0);
	CHECK_EQ(o[25].program, 1);
	CHECK_OP(o[26], OP_EXIT, 32, 0, 0);
	/* programs and spawns, names resolved after the last line */
	CHECK_EQ(s->programs[0].body_first, 0);
	CHECK_EQ(s->programs[0].body_end, 26);
	CHECK_EQ(s->programs[0].nregions, 1);
	CHECK_EQ(s->programs[1].body_first, 26);
	CHECK_EQ(s->programs[1].body_end, 27);
	CHECK_EQ(s->programs[1].region_first, 1);
	CHECK_EQ(s->programs[1].nregions, 0);
	CHECK_EQ(s->nspawns, 2);
	CHECK_STR(s->spawns[1].name, "bee");
	CHECK_EQ(s->spawns[1].program, 1);
	CHECK_EQ(s->spawns[1].at, 1000000);
	CHECK_EQ(s->spawns[1].tickets, 7);
	CHECK_EQ(s->spawns[1].nice, -5);
	CHECK_EQ(s->spawns[1].oom_score_adj, 1000);
	CHECK_EQ(s->spawns[1].line, 36);
	script_free(s);
}

TEST(script_names_before_their_declaration)
{
	struct script *s = parse("vmlab-script 1\n"
				 "spawn init at=0\n"
				 "program init\n"
				 "  text 0x400000 file=init.bin\n"
				 "  fork worker\n"
				 "end\n"
				 "program worker\n"
				 "  exec init\n"
				 "end\n"
				 "file init.bin pages=4\n");

	if (!s)
		return;
	CHECK_EQ(s->spawns[0].program, 0);
	CHECK_EQ(s->ops[0].program, 1);
	CHECK_EQ(s->ops[1].program, 0);
	CHECK_EQ(s->regions[0].file, 0);
	CHECK_EQ(s->regions[0].pages, 4);
	script_free(s);
}

TEST(script_comments_blanks_crlf_and_units)
{
	/* '#' starts a comment only at the start of a word: "1#x" is a
	 * word, and not a number */
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  R 1#x\nend\nspawn p\n"),
		  "t.vms:3: expected an address (decimal or 0x hex) after R, "
		  "found '1#x'");
	struct script *s = parse("vmlab-script 1 # the magic line\r\n"
		  "\r\n"
		  "# a comment line\n"
		  "\t program\tp   # trailing comment\n"
		  "  R 1 #comment\n"
		  "  compute 7\r\n"
		  "  compute 3ns\n"
		  "  io 2s\n"
		  "  R 0x10 1m\n"
		  "  W 8 2g\n"
		  "  replay a#b.trace\n"
		  "end\n"
		  "spawn p at=3us");
	if (!s)
		return;
	CHECK_EQ(s->programs[0].line, 4);
	CHECK_EQ(s->nops, 7);
	CHECK_OP(s->ops[0], OP_REF, 5, 1, 1);
	CHECK_OP(s->ops[1], OP_COMPUTE, 6, 0, 7);
	CHECK_OP(s->ops[2], OP_COMPUTE, 7, 0, 3);
	CHECK_OP(s->ops[3], OP_IO, 8, 0, 2000000000);
	CHECK_OP(s->ops[4], OP_REF, 9, 0x10, 1 << 20);
	CHECK_OP(s->ops[5], OP_REF, 10, 8, 2u << 30);
	CHECK_STR(s->ops[6].path, "a#b.trace");
	CHECK_EQ(s->spawns[0].at, 3000);
	CHECK_EQ(s->spawns[0].line, 13);
	script_free(s);
}

TEST(script_page_size_sets_the_layout_check)
{
	const char *vax = "vmlab-script 1\n"
			  "page-size 512\n"
			  "program p\n"
			  "  bss 0x200 pages=1\n"
			  "  bss 0x400 pages=2\n"
			  "end\n"
			  "spawn p\n";
	struct script *s = parse(vax);
	struct error err = { 0 };

	if (!s)
		return;
	CHECK_EQ(s->page_size, 512);
	/* at a larger page size the same layout is misaligned, then overlaps */
	CHECK_EQ(script_check_layout(s, 512, &err), 0);
	CHECK_EQ(script_check_layout(s, 256, &err), 0);
	CHECK_EQ(script_check_layout(s, 1024, &err), ERR_USAGE);
	CHECK_STR(err.msg, "t.vms:4: expected a bss address that is a multiple "
		  "of the page size 1024, found 0x200");
	s->regions[0].addr = 0x800;
	CHECK_EQ(script_check_layout(s, 1024, &err), ERR_USAGE);
	CHECK_STR(err.msg, "t.vms:5: expected regions that do not overlap, found "
		  "bss [0x400, 0xc00) overlapping bss [0x800, 0xc00) of line 4");
	script_free(s);
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  bss 0x200 pages=1\n"
			   "end\nspawn p\n"),
		  "t.vms:3: expected a bss address that is a multiple of the page "
		  "size 4096, found 0x200");
	CHECK_STR(error_of("vmlab-script 1\npage-size 4k\npage-size 4k\n"),
		  "t.vms:3: expected one page-size line, found another (the first "
		  "is at line 2)");
	CHECK_STR(error_of("vmlab-script 1\npage-size 3000\n"),
		  "t.vms:2: expected a power of two up to 2^40 (such as 4096 or "
		  "4k) after page-size, found '3000'");
	CHECK_STR(error_of("vmlab-script 1\npage-size 2t\n"),
		  "t.vms:2: expected a power of two up to 2^40 (such as 4096 or "
		  "4k) after page-size, found '2t'");
	CHECK_STR(error_of("vmlab-script 1\npage-size 4k 8k\n"),
		  "t.vms:2: expected end of line after 4k, found '8k'");
}

/* The first lines of a file, and what is not a script at all. */
TEST(script_refuses_what_is_not_a_script)
{
	CHECK_STR(error_of(""), "t.vms:1: expected 'vmlab-script 1' as the first "
		  "line, found end of line");
	CHECK_STR(error_of("# hello\nvmlab-script 1\n"), "t.vms:1: expected "
		  "'vmlab-script 1' as the first line, found end of line");
	CHECK_STR(error_of("0041f7a0 R\n"), "t.vms:1: expected 'vmlab-script 1' "
		  "as the first line, found '0041f7a0'");
	CHECK_STR(error_of("vmlab-script 2\n"), "t.vms:1: expected version 1 "
		  "after vmlab-script, found '2'");
	CHECK_STR(error_of("vmlab-script\n"), "t.vms:1: expected version 1 after "
		  "vmlab-script, found end of line");
	CHECK_STR(error_of("vmlab-script 1 x\n"), "t.vms:1: expected end of line "
		  "after 1, found 'x'");
	/* an empty script: nothing would run */
	CHECK_STR(error_of("vmlab-script 1\n"), "t.vms:1: expected at least one "
		  "spawn (a script without one runs nothing), found end of file");
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  R 0x1000\nend\n\n"),
		  "t.vms:5: expected at least one spawn (a script without one runs "
		  "nothing), found end of file");
	/* any bytes are quoted safely */
	CHECK_STR(error_of("vmlab-script 1\n\x01\xff'\\\n"), "t.vms:2: expected "
		  "file, shm, program, spawn or page-size, found "
		  "'\\x01\\xff\\x27\\x5c'");
	struct script *s = (struct script *)1;
	struct error err = { 0 };
	CHECK_EQ(script_parse("big.vms", "", SCRIPT_MAX_BYTES + 1, &s, &err),
		 ERR_USAGE);
	CHECK(s == NULL);
	CHECK_STR(err.msg, "big.vms: expected a script of at most 256 MiB, found "
		  "268435457 bytes");
}

TEST(script_refuses_unknown_words)
{
	CHECK_STR(error_of("vmlab-script 1\nprogramme a\n"), "t.vms:2: expected "
		  "file, shm, program, spawn or page-size, found 'programme'");
	CHECK_STR(error_of("vmlab-script 1\nend\n"), "t.vms:2: expected file, "
		  "shm, program, spawn or page-size, found 'end' (no program is "
		  "open)");
	CHECK_STR(body_error("  txt 0x1000\n"), "t.vms:3: expected a region "
		  "(text, data, bss, heap, stack, map, shm), an event (R, W, X, "
		  "compute, io, fork, exec, exit, wait, mmap, munmap, brk, "
		  "replay, repeat) or end, found 'txt'");
	CHECK_STR(body_error("  R 0x1000\n  jump 4\n"), "t.vms:4: expected an "
		  "event (R, W, X, compute, io, fork, exec, exit, wait, mmap, "
		  "munmap, brk, replay, repeat) or end, found 'jump'");
	CHECK_STR(body_error("  r 0x1000\n"), "t.vms:3: expected a region (text, "
		  "data, bss, heap, stack, map, shm), an event (R, W, X, compute, "
		  "io, fork, exec, exit, wait, mmap, munmap, brk, replay, repeat) "
		  "or end, found 'r'");
	CHECK_STR(body_error("  R 0x1000\n  bss 0x1000 pages=1\n"), "t.vms:4: "
		  "expected an event (R, W, X, compute, io, fork, exec, exit, "
		  "wait, mmap, munmap, brk, replay, repeat) or end, found 'bss' "
		  "(a layout comes before the program's first event; mmap maps "
		  "during the run)");
	CHECK_STR(body_error("  repeat 2\n    stack 0x1000 pages=1\n  end\n"),
		  "t.vms:4: expected an event (R, W, X, compute, io, fork, exec, "
		  "exit, wait, mmap, munmap, brk, replay, repeat) or end, found "
		  "'stack' (a layout comes before the program's first event; mmap "
		  "maps during the run)");
	CHECK_STR(error_of("vmlab-script 1\nprogram a\n  R 0x1000\nprogram b\n"),
		  "t.vms:4: expected an event (R, W, X, compute, io, fork, exec, "
		  "exit, wait, mmap, munmap, brk, replay, repeat) or end, found "
		  "'program' (program a of line 2 has no end yet)");
}

TEST(script_refuses_bad_keys)
{
	CHECK_STR(error_of("vmlab-script 1\nfile f pages=4\nprogram p\n"
			   "  text 0x400000 file=f size=4\nend\n"),
		  "t.vms:4: expected a key of text (file=, offset=, pages=), "
		  "found 'size=4'");
	CHECK_STR(body_error("  bss 0x1000 16\n"), "t.vms:3: expected a key of "
		  "bss (pages=), found '16'");
	CHECK_STR(body_error("  bss 0x1000 pages\n"), "t.vms:3: expected a key of "
		  "bss (pages=), found 'pages'");
	CHECK_STR(body_error("  map 0x1000 pages=1 anon\n"), "t.vms:3: expected "
		  "a key of map (pages=, file=, offset=, prot=, advice=, shared, private), "
		  "found 'anon'");
	CHECK_STR(body_error("  bss 0x1000 pages=1 pages=2\n"), "t.vms:3: "
		  "expected pages= at most once, found 'pages=2'");
	CHECK_STR(body_error("  map 0x1000 pages=1 shared private\n"), "t.vms:3: "
		  "expected one of shared and private, found 'private' after "
		  "shared");
	CHECK_STR(body_error("  map 0x1000 pages=1 private private\n"),
		  "t.vms:3: expected one of shared and private, found 'private' "
		  "after private");
	CHECK_STR(body_error("  bss 0x1000\n"), "t.vms:3: expected pages=N with N "
		  "from 1 to 2^40 for bss, found end of line");
	CHECK_STR(body_error("  map 0x1000 prot=rr pages=1\n"), "t.vms:3: "
		  "expected prot=PROT (r, w and x, each at most once, or none), "
		  "found 'prot=rr'");
	CHECK_STR(body_error("  map 0x1000 prot= pages=1\n"), "t.vms:3: expected "
		  "prot=PROT (r, w and x, each at most once, or none), found "
		  "'prot='");
	CHECK_STR(error_of("vmlab-script 1\nprogram p\nend\nspawn p now\n"),
		  "t.vms:4: expected a key of spawn (name=, at=, tickets=, nice=, "
		  "oom_score_adj=), found 'now'");
	CHECK_STR(error_of("vmlab-script 1\nprogram p\nend\nspawn p name=a=b\n"),
		  "t.vms:4: expected name=NAME (letters, digits and _ . - + /, at "
		  "most 64), found 'name=a=b'");
}

TEST(script_refuses_numbers_out_of_range)
{
	const char *spawn = "vmlab-script 1\nprogram p\nend\nspawn p %s\n";
	static const struct {
		const char *arg, *msg;
	} spawns[] = {
		{ "nice=20", "expected nice=N with N from -20 to 19, found "
		  "'nice=20'" },
		{ "nice=-21", "expected nice=N with N from -20 to 19, found "
		  "'nice=-21'" },
		{ "oom_score_adj=-1001", "expected oom_score_adj=N with N from "
		  "-1000 to 1000, found 'oom_score_adj=-1001'" },
		{ "tickets=0", "expected tickets=N with N from 1 to 1000000, "
		  "found 'tickets=0'" },
		{ "tickets=1000001", "expected tickets=N with N from 1 to "
		  "1000000, found 'tickets=1000001'" },
		{ "at=2h", "expected at=TIME (N, Nns, Nus, Nms or Ns, at most "
		  "10^15 ns), found 'at=2h'" },
		{ "at=1000001s", "expected at=TIME (N, Nns, Nus, Nms or Ns, at "
		  "most 10^15 ns), found 'at=1000001s'" },
		{ "at=99999999999999999999s", "expected at=TIME (N, Nns, Nus, "
		  "Nms or Ns, at most 10^15 ns), found "
		  "'at=99999999999999999999s'" },
	};
	char text[256], want[512];

	for (size_t i = 0; i < ARRAY_LEN(spawns); i++) {
		snprintf(text, sizeof(text), spawn, spawns[i].arg);
		snprintf(want, sizeof(want), "t.vms:4: %s", spawns[i].msg);
		CHECK_STR(error_of(text), want);
	}
	CHECK_STR(body_error("  bss 0x1000 pages=0\n"), "t.vms:3: expected "
		  "pages=N with N from 1 to 2^40, found 'pages=0'");
	CHECK_STR(body_error("  bss 0x1000 pages=1099511627777\n"), "t.vms:3: "
		  "expected pages=N with N from 1 to 2^40, found "
		  "'pages=1099511627777'");
	CHECK_STR(body_error("  exit 256\n"), "t.vms:3: expected an exit status "
		  "from 0 to 255 or end of line, found '256'");
	CHECK_STR(body_error("  repeat 0\n  end\n"), "t.vms:3: expected a count "
		  "from 1 to 2^32-1 after repeat, found '0'");
	CHECK_STR(body_error("  R 0x1000 0\n"), "t.vms:3: expected a size in "
		  "bytes from 1 to 2^32-1 (such as 8, 0x40 or 4k), found '0'");
	CHECK_STR(body_error("  R 0x1000 4g\n"), "t.vms:3: expected a size in "
		  "bytes from 1 to 2^32-1 (such as 8, 0x40 or 4k), found '4g'");
	CHECK_STR(body_error("  R 0x1g\n"), "t.vms:3: expected an address "
		  "(decimal or 0x hex) after R, found '0x1g'");
	CHECK_STR(body_error("  W -1\n"), "t.vms:3: expected an address (decimal "
		  "or 0x hex) after W, found '-1'");
	CHECK_STR(body_error("  R 0x100000000000000000\n"), "t.vms:3: expected an "
		  "address (decimal or 0x hex) after R, found "
		  "'0x100000000000000000'");
	CHECK_STR(body_error("  R 0xffffffffffffffff 2\n"), "t.vms:3: expected "
		  "an access that ends below 2^64, found 2 bytes at "
		  "0xffffffffffffffff");
	CHECK_STR(body_error("  R 0x1000 8 9\n"), "t.vms:3: expected end of line "
		  "after 8, found '9'");
	CHECK_STR(body_error("  brk +0\n"), "t.vms:3: expected +N or -N pages (N "
		  "from 1 to 2^40), or an address, after brk, found '+0'");
	CHECK_STR(body_error("  brk up\n"), "t.vms:3: expected +N or -N pages (N "
		  "from 1 to 2^40), or an address, after brk, found 'up'");
	CHECK_STR(body_error("  brk\n"), "t.vms:3: expected +N or -N pages, or an "
		  "address, after brk, found end of line");
}

TEST(script_refuses_time_without_its_length)
{
	CHECK_STR(body_error("  io\n"), "t.vms:3: expected a time from 1 ns to "
		  "10^15 ns after io (N, Nns, Nus, Nms or Ns), found end of "
		  "line");
	CHECK_STR(body_error("  compute\n"), "t.vms:3: expected a time from 1 ns "
		  "to 10^15 ns after compute (N, Nns, Nus, Nms or Ns), found end "
		  "of line");
	CHECK_STR(body_error("  compute 0\n"), "t.vms:3: expected a time from 1 "
		  "ns to 10^15 ns after compute (N, Nns, Nus, Nms or Ns), found "
		  "'0'");
	CHECK_STR(body_error("  compute 5 us\n"), "t.vms:3: expected end of line "
		  "after 5, found 'us'");
	CHECK_STR(body_error("  io 0x10\n"), "t.vms:3: expected a time from 1 ns "
		  "to 10^15 ns after io (N, Nns, Nus, Nms or Ns), found '0x10'");
}

TEST(script_refuses_unknown_and_duplicate_names)
{
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  fork q\nend\n"
			   "spawn p\n"), "t.vms:3: expected a program defined "
		  "in this script, found 'q'");
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  exec ls\nend\n"
			   "spawn p\n"), "t.vms:3: expected a program defined "
		  "in this script, found 'ls'");
	CHECK_STR(error_of("vmlab-script 1\nprogram p\nend\nspawn q\n"),
		  "t.vms:4: expected a program defined in this script, found "
		  "'q'");
	CHECK_STR(body_error("  text 0x400000 file=sh\n"), "t.vms:3: expected a "
		  "file declared by 'file' in this script, found 'sh'");
	CHECK_STR(body_error("  mmap 0x400000 file=sh\n"), "t.vms:3: expected a "
		  "file declared by 'file' in this script, found 'sh'");
	CHECK_STR(body_error("  shm 0x400000 buf\n"), "t.vms:3: expected a "
		  "segment declared by 'shm' in this script, found 'buf'");
	CHECK_STR(error_of("vmlab-script 1\nfile f pages=1\nfile f pages=2\n"),
		  "t.vms:3: expected a new file name, found 'f' (already declared "
		  "at line 2)");
	CHECK_STR(error_of("vmlab-script 1\nshm s pages=1\n\nshm s pages=2\n"),
		  "t.vms:4: expected a new segment name, found 's' (already "
		  "declared at line 2)");
	CHECK_STR(error_of("vmlab-script 1\nprogram p\nend\nprogram p\nend\n"),
		  "t.vms:4: expected a new program name, found 'p' (already "
		  "declared at line 2)");
	/* a file and a program may share a name: separate name spaces */
	CHECK_STR(error_of("vmlab-script 1\nfile p pages=1\nshm p pages=1\n"
			   "program p\n  text 0x1000 file=p\n  shm 0x2000 p\nend\n"
			   "spawn p\n"), "");
	CHECK_STR(error_of("vmlab-script 1\nprogram a=b\n"), "t.vms:2: expected a "
		  "program name (letters, digits and _ . - + /, at most 64) after "
		  "program, found 'a=b'");
	CHECK_STR(error_of("vmlab-script 1\nprogram\n"), "t.vms:2: expected a "
		  "program name (letters, digits and _ . - + /, at most 64) after "
		  "program, found end of line");
	CHECK_STR(error_of("vmlab-script 1\nprogram p q\n"), "t.vms:2: expected "
		  "end of line after p, found 'q'");
	CHECK_STR(error_of("vmlab-script 1\nfile f\n"), "t.vms:2: expected "
		  "pages=N with N from 1 to 2^40 for file, found end of line");
	CHECK_STR(body_error("  exec\n"), "t.vms:3: expected a program name "
		  "(letters, digits and _ . - + /, at most 64) after exec, found "
		  "end of line");
	CHECK_STR(body_error("  fork p q\n"), "t.vms:3: expected end of line "
		  "after p, found 'q'");
	CHECK_STR(body_error("  fork 'p'\n"), "t.vms:3: expected a program name "
		  "or end of line (letters, digits and _ . - + /, at most 64) "
		  "after fork, found '\\x27p\\x27'");
}

TEST(script_refuses_bad_regions)
{
	CHECK_STR(body_error("  text 0x400000 pages=4\n"), "t.vms:3: expected "
		  "file=NAME (letters, digits and _ . - + /, at most 64) for "
		  "text, found end of line");
	CHECK_STR(error_of("vmlab-script 1\nfile sh pages=40\nprogram p\n"
			   "  data 0x600000 file=sh offset=32 pages=16\nend\n"
			   "spawn p\n"), "t.vms:4: expected offset + pages within "
		  "the 40 pages of file sh, found 32 + 16 = 48");
	CHECK_STR(error_of("vmlab-script 1\nfile sh pages=40\nprogram p\n"
			   "  text 0x400000 file=sh offset=40\nend\nspawn p\n"),
		  "t.vms:4: expected offset= below the 40 pages of file sh, found "
		  "offset=40");
	CHECK_STR(error_of("vmlab-script 1\nshm s pages=4\nprogram p\n"
			   "  shm 0x400000 s pages=5\nend\nspawn p\n"), "t.vms:4: "
		  "expected offset + pages within the 4 pages of segment s, found "
		  "0 + 5 = 5");
	CHECK_STR(body_error("  heap 0x1000 pages=1\n  heap 0x9000 pages=1\n"),
		  "t.vms:4: expected one heap per program, found another (the "
		  "first is at line 3)");
	CHECK_STR(body_error("  stack 0x9000 pages=1\n  stack 0x19000 pages=1\n"),
		  "t.vms:4: expected one stack per program, found another (the "
		  "first is at line 3)");
	CHECK_STR(body_error("  heap 0x1000 pages=8 max=4\n"), "t.vms:3: expected "
		  "max= of at least pages= (8), found 'max=4'");
	CHECK_STR(body_error("  map 0x1000\n"), "t.vms:3: expected pages=N with N "
		  "from 1 to 2^40 for an anonymous map, found end of line");
	CHECK_STR(body_error("  map 0x1000 pages=1 offset=2\n"), "t.vms:3: "
		  "expected file=NAME with offset= (an anonymous map has no "
		  "offset), found 'offset=2'");
	CHECK_STR(body_error("  shm 0x1000\n"), "t.vms:3: expected a segment name "
		  "(letters, digits and _ . - + /, at most 64) after shm, found "
		  "end of line");
	CHECK_STR(body_error("  stack\n"), "t.vms:3: expected the stack's top "
		  "address (decimal or 0x hex) after stack, found end of line");
}

TEST(script_refuses_overlapping_and_misplaced_regions)
{
	CHECK_STR(error_of("vmlab-script 1\nfile f pages=8\nprogram p\n"
			   "  text 0x400000 file=f\n"
			   "  data 0x404000 file=f offset=4\n"
			   "  bss  0x406000 pages=4\nend\nspawn p\n"),
		  "t.vms:5: expected regions that do not overlap, found data "
		  "[0x404000, 0x408000) overlapping text [0x400000, 0x408000) of "
		  "line 4");
	/* the later line is reported, whichever region starts first */
	CHECK_STR(body_error("  bss 0x10000 pages=4\n  bss 0x8000 pages=9\n"),
		  "t.vms:4: expected regions that do not overlap, found bss "
		  "[0x8000, 0x11000) overlapping bss [0x10000, 0x14000) of line "
		  "3");
	/* a heap's max and a stack's max count */
	CHECK_STR(body_error("  heap 0x100000 pages=1 max=256\n"
			     "  bss 0x1f0000 pages=1\n"),
		  "t.vms:4: expected regions that do not overlap, found bss "
		  "[0x1f0000, 0x1f1000) overlapping heap [0x100000, 0x200000) of "
		  "line 3");
	CHECK_STR(body_error("  map 0x7fff0000 pages=1\n"
			     "  stack 0x80000000 pages=4 max=32\n"),
		  "t.vms:4: expected regions that do not overlap, found stack "
		  "[0x7ffe0000, 0x80000000) overlapping map [0x7fff0000, "
		  "0x7fff1000) of line 3");
	/* touching is not overlapping */
	CHECK_STR(body_error("  bss 0x1000 pages=1\n  bss 0x2000 pages=1\n"
			     "  stack 0x5000 pages=1 max=2\n"), "");
	CHECK_STR(body_error("  bss 0 pages=1\n"), "t.vms:3: expected a bss above "
		  "page 0 (never mapped), found address 0");
	CHECK_STR(body_error("  stack 0x2000 pages=1 max=2\n"), "t.vms:3: "
		  "expected a stack whose max= pages lie above page 0 (never "
		  "mapped), found 2 pages of 4096 below 0x2000");
	CHECK_STR(body_error("  stack 0 pages=1\n"), "t.vms:3: expected a stack "
		  "whose max= pages lie above page 0 (never mapped), found 1 "
		  "pages of 4096 below 0x0");
	CHECK_STR(body_error("  map 0xfffffffffffff000 pages=1\n"), "t.vms:3: "
		  "expected a map that ends below 2^64, found 1 pages of 4096 at "
		  "0xfffffffffffff000");
	CHECK_STR(body_error("  text 0x400800 file=f\n"), "t.vms:3: expected a "
		  "file declared by 'file' in this script, found 'f'");
	CHECK_STR(error_of("vmlab-script 1\nfile f pages=1\nprogram p\n"
			   "  text 0x400800 file=f\nend\nspawn p\n"), "t.vms:4: "
		  "expected a text address that is a multiple of the page size "
		  "4096, found 0x400800");
	/* mmap and munmap at run time: each on its own, never against the
	 * layout (which the process may have changed by then) */
	CHECK_STR(body_error("  bss 0x1000 pages=1\n  mmap 0x1000 pages=1\n"), "");
	CHECK_STR(body_error("  mmap 0x1800 pages=1\n"), "t.vms:3: expected a "
		  "mmap address that is a multiple of the page size 4096, found "
		  "0x1800");
	CHECK_STR(body_error("  mmap 0 pages=1\n"), "t.vms:3: expected a mmap "
		  "above page 0 (never mapped), found address 0");
	CHECK_STR(body_error("  munmap 0x1800 pages=1\n"), "t.vms:3: expected a "
		  "munmap address that is a multiple of the page size 4096, found "
		  "0x1800");
	CHECK_STR(body_error("  munmap 0xfffffffffffff000 pages=2\n"), "t.vms:3: "
		  "expected a munmap that ends below 2^64, found 2 pages of 4096 "
		  "at 0xfffffffffffff000");
	CHECK_STR(body_error("  munmap 0x1000\n"), "t.vms:3: expected pages=N "
		  "with N from 1 to 2^40 for munmap, found end of line");
}

TEST(script_refuses_unbalanced_blocks)
{
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  fork\n    exit\n"),
		  "t.vms:4: expected end closing the fork of line 3, found end of "
		  "file");
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  repeat 2\n  fork\n"
			   "  end\n"), "t.vms:5: expected end closing the repeat "
		  "of line 3, found end of file");
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  R 0x1000\n"),
		  "t.vms:3: expected end closing program p of line 2, found end of "
		  "file");
	/* a forgotten end shows where the next program begins */
	CHECK_STR(error_of("vmlab-script 1\nprogram a\n  fork\n    exit\n"
			   "end\nprogram b\nend\n"), "t.vms:6: expected an event "
		  "(R, W, X, compute, io, fork, exec, exit, wait, mmap, munmap, "
		  "brk, replay, repeat) or end, found 'program' (program a of "
		  "line 2 has no end yet)");
	CHECK_STR(body_error("  end x\n"), "t.vms:3: expected end of line after "
		  "end, found 'x'");
	CHECK_STR(body_error("  wait now\n"), "t.vms:3: expected end of line after "
		  "wait, found 'now'");
	CHECK_STR(body_error("  repeat 2 times\n  end\n"), "t.vms:3: expected end "
		  "of line after 2, found 'times'");

	char deep[4096] = "";
	for (int i = 0; i < 65; i++)
		strcat(deep, "repeat 2\n");
	CHECK_STR(body_error(deep), "t.vms:67: expected blocks nested at most 64 "
		  "deep, found 'repeat' opening one more");
	char words[256] = "  R";
	for (int i = 0; i < 32; i++)
		strcat(words, " 1");
	strcat(words, "\n");
	CHECK_STR(body_error(words), "t.vms:3: expected at most 32 words on a "
		  "line, found '1'");
}

TEST(script_refuses_events_that_never_run)
{
	const char *after = "expected end (nothing after an exit or exec in the "
			    "same block runs), found";
	char want[256];

	snprintf(want, sizeof(want), "t.vms:4: %s 'W'", after);
	CHECK_STR(body_error("  exit\n  W 0x1000\n"), want);
	CHECK_STR(error_of("vmlab-script 1\nprogram p\n  exec p\n  wait\nend\n"
			   "spawn p\n"), "t.vms:4: expected end (nothing after "
		  "an exit or exec in the same block runs), found 'wait'");
	/* a repeat runs at least once: its exit ends the enclosing block */
	snprintf(want, sizeof(want), "t.vms:6: %s 'R'", after);
	CHECK_STR(body_error("  repeat 2\n    exit\n  end\n  R 0x1000\n"), want);
	/* a fork's block is the child's: the parent goes on after it */
	CHECK_STR(body_error("  fork\n    exit\n  end\n  R 0x1000\n"), "");
	CHECK_STR(body_error("  fork\n    exec p\n  end\n  exit\n"), "");
	snprintf(want, sizeof(want), "t.vms:5: %s 'fork'", after);
	CHECK_STR(body_error("  fork\n    exit\n    fork\n  end\n"), want);
}

TEST(script_refuses_bad_replays)
{
	CHECK_STR(body_error("  replay\n"), "t.vms:3: expected a trace file or "
		  "generator after replay (standard input cannot be replayed), "
		  "found end of line");
	CHECK_STR(body_error("  replay -\n"), "t.vms:3: expected a trace file or "
		  "generator after replay (standard input cannot be replayed), "
		  "found '-'");
	CHECK_STR(body_error("  replay t format=csv\n"), "t.vms:3: expected "
		  "format=NAME of a trace format (vmlab list formats), found "
		  "'format=csv'");
	CHECK_STR(body_error("  replay t format=script\n"), "t.vms:3: expected "
		  "format=NAME of a trace format (vmlab list formats), found "
		  "'format=script'");
	CHECK_STR(body_error("  replay t base=-1\n"), "t.vms:3: expected "
		  "base=ADDR (decimal or 0x hex), found 'base=-1'");
	CHECK_STR(body_error("  replay t offset=1\n"), "t.vms:3: expected a key "
		  "of replay (format=, base=), found 'offset=1'");
}

/* A NUL in a word never reaches a C string function as a shorter word. */
TEST(script_nul_bytes_are_words_not_ends)
{
	const char text[] = "vmlab-script 1\nprogram p\n  R 0x10\0 8\nend\n"
			    "spawn p\n";
	struct script *s = NULL;
	struct error err = { 0 };

	CHECK_EQ(script_parse("t.vms", text, sizeof(text) - 1, &s, &err),
		 ERR_USAGE);
	CHECK_STR(err.msg, "t.vms:3: expected an address (decimal or 0x hex) "
		  "after R, found '0x10\\x00'");
	const char name[] = "vmlab-script 1\nprogram p\0q\n";
	CHECK_EQ(script_parse("t.vms", name, sizeof(name) - 1, &s, &err),
		 ERR_USAGE);
	CHECK_STR(err.msg, "t.vms:2: expected a program name (letters, digits "
		  "and _ . - + /, at most 64) after program, found 'p\\x00q'");
}

/*
 * Round trips.  print_script writes a parsed script back as text in the
 * canonical form (every key spelt out); parsing that must give the same
 * arrays, lines aside.
 */
static const char *prot_text(unsigned prot, char *buf)
{
	size_t n = 0;

	if (prot & SCRIPT_PROT_R)
		buf[n++] = 'r';
	if (prot & SCRIPT_PROT_W)
		buf[n++] = 'w';
	if (prot & SCRIPT_PROT_X)
		buf[n++] = 'x';
	buf[n] = '\0';
	return n ? buf : "none";
}

static void print_map(FILE *f, const struct script *s,
		      const struct script_region *r)
{
	char prot[8];

	fprintf(f, "0x%llx pages=%llu", (unsigned long long)r->addr,
		(unsigned long long)r->pages);
	if (r->file != NONE)
		fprintf(f, " file=%s offset=%llu", s->files[r->file].name,
			(unsigned long long)r->offset);
	fprintf(f, " prot=%s %s\n", prot_text(r->prot, prot),
		r->shared ? "shared" : "private");
}

static void print_region(FILE *f, const struct script *s,
			 const struct script_region *r)
{
	static const char *const word[] = { "text", "data", "bss", "heap",
					    "stack", "map", "shm" };
	char prot[8];

	fprintf(f, "  %s ", word[r->kind]);
	switch (r->kind) {
	case SREG_TEXT:
	case SREG_DATA:
		fprintf(f, "0x%llx file=%s offset=%llu pages=%llu\n",
			(unsigned long long)r->addr, s->files[r->file].name,
			(unsigned long long)r->offset,
			(unsigned long long)r->pages);
		break;
	case SREG_BSS:
		fprintf(f, "0x%llx pages=%llu\n", (unsigned long long)r->addr,
			(unsigned long long)r->pages);
		break;
	case SREG_HEAP:
	case SREG_STACK:
		fprintf(f, "0x%llx pages=%llu max=%llu\n",
			(unsigned long long)r->addr,
			(unsigned long long)r->pages,
			(unsigned long long)r->max_pages);
		break;
	case SREG_MAP:
		print_map(f, s, r);
		break;
	default:
		fprintf(f, "0x%llx %s offset=%llu pages=%llu prot=%s\n",
			(unsigned long long)r->addr, s->shms[r->shm].name,
			(unsigned long long)r->offset,
			(unsigned long long)r->pages, prot_text(r->prot, prot));
	}
}

static void print_op(FILE *f, const struct script *s,
		     const struct script_op *o)
{
	static const char refs[] = "RWX";

	switch (o->kind) {
	case OP_REF: fprintf(f, "  %c 0x%llx %llu\n", refs[o->ref_kind],
			     (unsigned long long)o->addr,
			     (unsigned long long)o->n); break;
	case OP_COMPUTE: fprintf(f, "  compute %llu\n",
				 (unsigned long long)o->n); break;
	case OP_IO: fprintf(f, "  io %lluns\n", (unsigned long long)o->n); break;
	case OP_FORK: fprintf(f, "  fork %s\n", o->program == NONE ? "" :
			      s->programs[o->program].name); break;
	case OP_EXEC: fprintf(f, "  exec %s\n", s->programs[o->program].name);
		break;
	case OP_EXIT: fprintf(f, "  exit %llu\n", (unsigned long long)o->n);
		break;
	case OP_WAIT: fprintf(f, "  wait\n"); break;
	case OP_MMAP: fprintf(f, "  mmap ");
		print_map(f, s, &s->regions[o->region]); break;
	case OP_MUNMAP: fprintf(f, "  munmap 0x%llx pages=%llu\n",
				(unsigned long long)o->addr,
				(unsigned long long)o->n); break;
	case OP_BRK:
		if (o->n)
			fprintf(f, "  brk %+lld\n", (long long)o->delta);
		else
			fprintf(f, "  brk 0x%llx\n", (unsigned long long)o->addr);
		break;
	case OP_REPLAY: fprintf(f, "  replay %s base=0x%llx%s%s\n", o->path,
				(unsigned long long)o->addr,
				o->format ? " format=" : "",
				o->format ? o->format : ""); break;
	case OP_REPEAT: fprintf(f, "  repeat %llu\n", (unsigned long long)o->n);
		break;
	default: fprintf(f, "  end\n");
	}
}

static char *print_script(const struct script *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	fprintf(f, "vmlab-script 1\npage-size %llu\n",
		(unsigned long long)s->page_size);
	for (uint32_t i = 0; i < s->nfiles; i++)
		fprintf(f, "file %s pages=%llu\n", s->files[i].name,
			(unsigned long long)s->files[i].pages);
	for (uint32_t i = 0; i < s->nshms; i++)
		fprintf(f, "shm %s pages=%llu\n", s->shms[i].name,
			(unsigned long long)s->shms[i].pages);
	for (uint32_t i = 0; i < s->nprograms; i++) {
		const struct script_program *p = &s->programs[i];
		fprintf(f, "program %s\n", p->name);
		for (uint32_t r = 0; r < p->nregions; r++)
			print_region(f, s, &s->regions[p->region_first + r]);
		for (uint32_t o = p->body_first; o < p->body_end; o++)
			print_op(f, s, &s->ops[o]);
		fprintf(f, "end\n");
	}
	for (uint32_t i = 0; i < s->nspawns; i++) {
		const struct script_spawn *sp = &s->spawns[i];
		fprintf(f, "spawn %s name=%s at=%llu tickets=%u nice=%d "
			"oom_score_adj=%d\n", s->programs[sp->program].name,
			sp->name, (unsigned long long)sp->at, sp->tickets,
			sp->nice, sp->oom_score_adj);
	}
	fclose(f);
	return text;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A and B hold the same arrays, lines and path aside. */
static void check_same(const struct script *a, const struct script *b)
{
	CHECK_EQ(a->page_size, b->page_size);
	CHECK_EQ(a->nfiles, b->nfiles);
	CHECK_EQ(a->nshms, b->nshms);
	CHECK_EQ(a->nprograms, b->nprograms);
	CHECK_EQ(a->nregions, b->nregions);
	CHECK_EQ(a->nops, b->nops);
	CHECK_EQ(a->nspawns, b->nspawns);
	if (a->nfiles != b->nfiles || a->nshms != b->nshms ||
	    a->nprograms != b->nprograms || a->nregions != b->nregions ||
	    a->nops != b->nops || a->nspawns != b->nspawns)
		return;
	for (uint32_t i = 0; i < a->nfiles; i++)
		CHECK(same_str(a->files[i].name, b->files[i].name) &&
		      a->files[i].pages == b->files[i].pages);
	for (uint32_t i = 0; i < a->nshms; i++)
		CHECK(same_str(a->shms[i].name, b->shms[i].name) &&
		      a->shms[i].pages == b->shms[i].pages);
	for (uint32_t i = 0; i < a->nprograms; i++) {
		const struct script_program *x = &a->programs[i],
					    *y = &b->programs[i];
		CHECK(same_str(x->name, y->name) &&
		      x->region_first == y->region_first &&
		      x->nregions == y->nregions &&
		      x->body_first == y->body_first && x->body_end == y->body_end);
	}
	for (uint32_t i = 0; i < a->nregions; i++) {
		const struct script_region *x = &a->regions[i],
					   *y = &b->regions[i];
		CHECK(x->kind == y->kind && x->prot == y->prot &&
		      x->shared == y->shared && x->grows_down == y->grows_down &&
		      x->addr == y->addr && x->pages == y->pages &&
		      x->max_pages == y->max_pages && x->file == y->file &&
		      x->shm == y->shm && x->offset == y->offset);
	}
	for (uint32_t i = 0; i < a->nops; i++) {
		const struct script_op *x = &a->ops[i], *y = &b->ops[i];
		CHECK(x->kind == y->kind && x->ref_kind == y->ref_kind &&
		      x->addr == y->addr && x->n == y->n &&
		      x->delta == y->delta && x->program == y->program &&
		      x->region == y->region && x->end == y->end &&
		      x->start == y->start && same_str(x->path, y->path) &&
		      same_str(x->format, y->format));
	}
	for (uint32_t i = 0; i < a->nspawns; i++) {
		const struct script_spawn *x = &a->spawns[i], *y = &b->spawns[i];
		CHECK(same_str(x->name, y->name) && x->program == y->program &&
		      x->at == y->at && x->tickets == y->tickets &&
		      x->nice == y->nice && x->oom_score_adj == y->oom_score_adj);
	}
}

/* Print S, parse the text again (under a name without a directory, so
 * that replay paths stay as printed), and compare. */
static void round_trip(const struct script *s)
{
	char *text = print_script(s);
	struct script *again = parse_named("printed.vms", text);

	if (again)
		check_same(s, again);
	else
		unit_fail(__FILE__, __LINE__, "printed text:\n%s", text);
	script_free(again);
	free(text);
}

TEST(script_round_trip_of_every_construct)
{
	struct script *s = parse_named("dir/sub/t.vms", events_script);

	if (s)
		round_trip(s);
	script_free(s);
}

/* Open an example through the workload layer, as `vmlab run` would. */
static struct workload *open_example(const char *path)
{
	struct workload *w = NULL;
	struct error err = { 0 };
	struct workload_options opt = { 0 };

	if (workload_open(path, &opt, &w, &err)) {
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	return w;
}

static const char *const examples[] = {
	"examples/fork-shell.vms",
	"examples/shm-pair.vms",
	"examples/gcc-replay.vms",
	"examples/overcommit.vms",
};

TEST(script_examples_parse_round_trip_and_hold_at_smaller_pages)
{
	for (size_t i = 0; i < ARRAY_LEN(examples); i++) {
		struct workload *w = open_example(examples[i]);
		const struct script *s = w ? workload_script(w) : NULL;
		struct error err = { 0 };

		CHECK(s != NULL);
		if (!s) {
			workload_close(w);
			continue;
		}
		CHECK_EQ(w->unit, WL_UNIT_SCRIPT);
		CHECK_STR(w->ops->name, "script");
		CHECK(s->nspawns > 0);
		round_trip(s);
		for (uint64_t ps = 512; ps <= 4096; ps *= 2)
			CHECK_EQ(script_check_layout(s, ps, &err), 0);
		workload_close(w);
	}
}

static uint32_t count_ops(const struct script *s, int kind)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->nops; i++)
		n += s->ops[i].kind == kind;
	return n;
}

TEST(script_examples_say_what_they_claim)
{
	struct workload *w = open_example("examples/fork-shell.vms");
	const struct script *s = w ? workload_script(w) : NULL;

	if (s) {
		/* sh forks twice per command in a repeat 50: one child execs
		 * ls, the other writes and exits */
		uint32_t sh = script_program_find(s, "sh"),
			 ls = script_program_find(s, "ls");
		CHECK(sh != NONE && ls != NONE);
		CHECK_EQ(count_ops(s, OP_FORK), 2);
		CHECK_EQ(count_ops(s, OP_EXEC), 1);
		CHECK_EQ(count_ops(s, OP_REPEAT), 1);
		for (uint32_t i = 0; i < s->nops; i++)
			if (s->ops[i].kind == OP_REPEAT)
				CHECK_EQ(s->ops[i].n, 50);
			else if (s->ops[i].kind == OP_EXEC)
				CHECK_EQ(s->ops[i].program, ls);
		CHECK_EQ(s->spawns[0].program, sh);
	}
	workload_close(w);

	w = open_example("examples/gcc-replay.vms");
	s = w ? workload_script(w) : NULL;
	if (s) {
		/* the replay finds the trace relative to the script */
		const struct script_op *r = NULL;
		for (uint32_t i = 0; i < s->nops; i++)
			if (s->ops[i].kind == OP_REPLAY)
				r = &s->ops[i];
		CHECK(r != NULL);
		if (r) {
			CHECK_STR(r->path, "examples/../../shared/traces/classic/"
				  "gcc.trace.gz");
			FILE *f = fopen(r->path, "rb");
			CHECK(f != NULL);
			if (f)
				fclose(f);
			CHECK_EQ(r->addr, 0x1000000);
		}
	}
	workload_close(w);

	w = open_example("examples/shm-pair.vms");
	s = w ? workload_script(w) : NULL;
	if (s) {
		/* two processes map one segment */
		CHECK_EQ(s->nspawns, 2);
		CHECK_EQ(s->nshms, 1);
		uint32_t shm_maps = 0;
		for (uint32_t i = 0; i < s->nregions; i++)
			shm_maps += s->regions[i].kind == SREG_SHM &&
				    s->regions[i].shm == 0;
		CHECK_EQ(shm_maps, 2);
	}
	workload_close(w);
}

/* The gcc example's layout covers every address of the trace, moved by
 * the replay's base, and leaves page 0 alone. */
TEST(script_gcc_example_covers_the_trace)
{
	struct workload *w = open_example("examples/gcc-replay.vms");
	const struct script *s = w ? workload_script(w) : NULL;
	const struct script_op *r = NULL;

	for (uint32_t i = 0; s && i < s->nops; i++)
		if (s->ops[i].kind == OP_REPLAY)
			r = &s->ops[i];
	struct workload *t = r ? open_example(r->path) : NULL;
	if (!t) {
		CHECK(t != NULL);
		workload_close(w);
		return;
	}
	const struct script_program *p = &s->programs[0];
	struct wl_ref *refs = NULL;
	size_t n = 0, outside = 0, writes_ro = 0;
	struct error err = { 0 };
	CHECK_EQ(wlt_read_all(t, 4096, &refs, &n, &err), 0);
	CHECK_EQ(n, 1000000);
	for (size_t i = 0; i < n; i++) {
		uint64_t a = refs[i].vaddr + r->addr, end = a + refs[i].size;
		int in = 0;
		for (uint32_t k = 0; k < p->nregions && !in; k++) {
			const struct script_region *g =
				&s->regions[p->region_first + k];
			uint64_t lo = g->grows_down ? g->addr - g->max_pages * 4096
				      : g->addr;
			uint64_t hi = g->grows_down ? g->addr :
				      g->addr + g->max_pages * 4096;
			in = a >= lo && end <= hi;
			writes_ro += in && refs[i].kind == REF_WRITE &&
				     !(g->prot & SCRIPT_PROT_W);
		}
		outside += !in || a < 4096;
	}
	CHECK_EQ(outside, 0);
	CHECK_EQ(writes_ro, 0);
	free(refs);
	workload_close(t);
	workload_close(w);
}

static int write_gzip(const char *path, const void *data, size_t len)
{
	gzFile g = gzopen(path, "wb");

	if (!g)
		return -1;
	int ok = gzwrite(g, data, (unsigned)len) == (int)len;
	return gzclose(g) == Z_OK && ok ? 0 : -1;
}

TEST(script_detected_plain_and_gzip_and_refuses_to_be_a_trace)
{
	size_t len;
	unsigned char *text = wlt_read_file("examples/fork-shell.vms", &len);
	const char *gz = wlt_tmpname(".vms.gz");
	struct workload *w = NULL, *plain = open_example("examples/fork-shell.vms");
	struct error err = { 0 };
	struct workload_options opt = { 0 };
	struct wl_ref buf[4];

	CHECK(text != NULL && plain != NULL);
	if (!text || !plain || write_gzip(gz, text, len)) {
		free(text);
		workload_close(plain);
		return;
	}
	CHECK_EQ(workload_open(gz, &opt, &w, &err), 0);
	if (w) {
		CHECK_STR(w->ops->name, "script");
		CHECK_EQ(w->unit, WL_UNIT_SCRIPT);
		CHECK(workload_script(w) != NULL);
		if (workload_script(w))
			check_same(workload_script(plain), workload_script(w));
		CHECK_EQ(workload_next(w, buf, 4, &err), ERR_INPUT);
		char want[512];
		snprintf(want, sizeof(want), "%s: is a workload script: it "
			 "describes processes, which the kernel runs (vmlab run "
			 "--system NAME), and cannot be read as a trace", gz);
		CHECK_STR(err.msg, want);
		CHECK_EQ(workload_rewind(w, &err), 0);
	}
	workload_close(w);
	workload_close(plain);
	remove(gz);
	free(text);

	/* ordinary workloads have no script */
	CHECK_EQ(workload_open("pages:1,2", &opt, &w, &err), 0);
	CHECK(workload_script(w) == NULL);
	workload_close(w);
	CHECK(workload_script(NULL) == NULL);
}

TEST(script_detection_by_first_word_and_forced_format)
{
	struct error err = { 0 };
	const char *bad = "vmlab-script 2\nprogram p\n";
	struct workload *w = wlt_open_mem(bad, strlen(bad), "v2.vms", NULL, &err);

	/* detected as a script, so the parser says which versions it reads */
	CHECK(w == NULL);
	CHECK_STR(err.msg, "v2.vms:1: expected version 1 after vmlab-script, "
		  "found '2'");
	w = wlt_open_mem("vmlab-scripts 1\n", 16, "t", NULL, &err);
	CHECK(w == NULL);
	CHECK(strstr(err.msg, "cannot tell the trace format") != NULL);
	w = wlt_open_mem("1\n2\n", 4, "t", "script", &err);
	CHECK(w == NULL);
	CHECK_STR(err.msg, "t:1: expected 'vmlab-script 1' as the first line, "
		  "found '1'");
	const char *ok = "vmlab-script\t1\nprogram p\nend\nspawn p\n";
	w = wlt_open_mem(ok, strlen(ok), "t", NULL, &err);
	CHECK(w != NULL && workload_script(w) != NULL);
	workload_close(w);
}
